package dev.livestack.context;

/** A provider's own failure (nothing found, too many found, a bad query), in the CDK CLI's words. */
final class LookupFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LookupFailure(String message) {
        super(message);
    }
}
