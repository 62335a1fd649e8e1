package dev.livestack.localcloud.core;

/**
 * An error as AWS reports it: HTTP status, error code, message, and whether the caller (Sender) or
 * the service (Receiver) is at fault.
 */
public class AwsException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;
    private final boolean sender;
    private java.util.Map<String, String> details = java.util.Map.of();

    public AwsException(int status, String code, String message) {
        this(status, code, message, status < 500);
    }

    public AwsException(int status, String code, String message, boolean sender) {
        super(message);
        this.status = status;
        this.code = code;
        this.sender = sender;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public boolean sender() {
        return sender;
    }

    /** Extra elements some errors carry besides code and message (S3's {@code RequestTimeTooSkewed}: the two times). */
    public java.util.Map<String, String> details() {
        return details;
    }

    public AwsException withDetails(java.util.Map<String, String> extra) {
        this.details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extra));
        return this;
    }

    public static AwsException validation(String message) {
        return new AwsException(400, "ValidationError", message);
    }
}
