package dev.livestack.context;

import dev.livestack.synth.SynthException;
import java.util.List;

/**
 * A context lookup that failed: the provider, the context key and AWS's or the provider's reason. Nothing is
 * written to {@code cdk.context.json} for that key (the CDK CLI does not cache a failure either), so the next synth
 * looks it up again.
 */
public final class ContextLookupException extends SynthException {
    private static final long serialVersionUID = 1L;
    private final String provider;
    private final String key;
    private final String reason;

    ContextLookupException(String provider, String key, String reason, List<String> others, Throwable cause) {
        super("context lookup " + provider + " failed for " + key + ": " + reason, others, cause);
        this.provider = provider;
        this.key = key;
        this.reason = reason;
    }

    /** The same failure, with the other lookups of its round that failed too as diagnostics. */
    ContextLookupException withOthers(List<String> others) {
        return new ContextLookupException(provider, key, reason, others, getCause());
    }

    /** Why it failed: AWS's error code and message, or the provider's own message (as the CDK CLI words it). */
    public String reason() {
        return reason;
    }

    /** The context provider that failed, e.g. {@code vpc-provider}. */
    public String provider() {
        return provider;
    }

    /** The context key it was asked for. */
    public String key() {
        return key;
    }

    /** Line two of the error: what the user can do. */
    public String hint() {
        return "Check that what the app looks up exists in the target account and region (the key names them), "
                + "or put the value under that key in cdk.context.json.";
    }
}
