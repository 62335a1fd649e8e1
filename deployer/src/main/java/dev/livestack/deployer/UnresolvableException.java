package dev.livestack.deployer;

/** An intrinsic function in a changed property cannot be resolved against the deployed stack. */
public final class UnresolvableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what could not be resolved, e.g. {@code Fn::GetAtt Queue.Arn: Queue is not deployed} */
    public UnresolvableException(String message) {
        super(message);
    }
}
