package dev.livestack.localcloud.core;

import dev.livestack.localcloud.core.ports.ResourceProvider;
import java.util.Set;

/**
 * A {@link ResourceProvider} whose type and replacement properties are fixed data, given once to the
 * constructor, so each provider is only its create, update and delete.
 */
public abstract class TypedResourceProvider implements ResourceProvider {
    private final String type;
    private final Set<String> replacementProperties;

    protected TypedResourceProvider(String type, Set<String> replacementProperties) {
        if (type == null || !type.matches("[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+")) {
            throw new IllegalArgumentException("type must be a CloudFormation type such as AWS::S3::Bucket, was " + type);
        }
        if (replacementProperties == null) {
            throw new IllegalArgumentException("replacementProperties must not be null");
        }
        this.type = type;
        this.replacementProperties = Set.copyOf(replacementProperties);
    }

    @Override
    public final String type() {
        return type;
    }

    @Override
    public final Set<String> replacementProperties() {
        return replacementProperties;
    }
}
