package dev.livestack.cfntemplate;

/** A template body that is not well-formed; the message is worded as CloudFormation words it. */
public final class TemplateFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message CloudFormation's wording, e.g. {@code Template format error: JSON not well-formed. (line 1, column 2)} */
    public TemplateFormatException(String message) {
        super(message);
    }
}
