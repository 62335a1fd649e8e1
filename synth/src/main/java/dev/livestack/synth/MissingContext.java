package dev.livestack.synth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A context value the app asked for and did not get ({@code manifest.json}'s {@code missing}): the CDK CLI
 * then runs the named context provider with the props, stores the answer under the key in
 * {@code cdk.context.json} and synthesises again.
 *
 * @param key the context key, e.g. {@code availability-zones:account=123456789012:region=eu-west-1}
 * @param provider the context provider, e.g. {@code vpc-provider}
 * @param props the provider's query (account, region, lookupRoleArn and the provider's own fields)
 */
public record MissingContext(String key, String provider, ObjectNode props) {
    public MissingContext {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("key must not be blank");
        }
        if (provider == null || provider.isBlank()) {
            throw new IllegalArgumentException("provider must not be blank");
        }
        Objects.requireNonNull(props, "props");
        props = props.deepCopy();
    }

    /** A copy of the props: the record stays unchanged whatever a caller does to them. */
    @Override
    public ObjectNode props() {
        return props.deepCopy();
    }
}
