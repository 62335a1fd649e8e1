package dev.livestack.inlinepackager;

import java.util.Objects;

/**
 * A function's source cannot be turned into inline code. {@link #getMessage()} says what failed (one line,
 * naming the source); {@link #hint()} says what to do about it. The CLI prints them as two lines.
 */
public class PackagingException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String hint;

    /**
     * @param message what failed, one line
     * @param hint what the user can do, one line
     */
    public PackagingException(String message, String hint) {
        this(message, hint, null);
    }

    /**
     * @param message what failed, one line
     * @param hint what the user can do, one line
     * @param cause the underlying failure, if any
     */
    public PackagingException(String message, String hint, Throwable cause) {
        super(requireText(message, "message"), cause);
        this.hint = requireText(hint, "hint");
    }

    /** What to do about it: one line meant for the user. */
    public String hint() {
        return hint;
    }

    /** Both lines, as the CLI (or a CDK app failing at synth) shows them. */
    public String userMessage() {
        return getMessage() + System.lineSeparator() + hint;
    }

    private static String requireText(String value, String name) {
        Objects.requireNonNull(value, name + " must not be null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}
