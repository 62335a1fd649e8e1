package dev.livestack.localcloud.core.ports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/**
 * How CloudFormation creates, updates and deletes one resource type. Properties arrive with every
 * intrinsic already resolved. A failure is thrown as {@link ResourceFailure} with the reason
 * CloudFormation would show in the resource's event.
 */
public interface ResourceProvider {
    /** The CloudFormation type, e.g. {@code AWS::Lambda::Function}. */
    public String type();

    /** Properties whose change replaces the resource (a new physical id), e.g. {@code FunctionName}. */
    public default Set<String> replacementProperties() {
        return Set.of();
    }

    /**
     * Creates the resource.
     *
     * @param stackName the stack it belongs to (CloudFormation derives generated names from it)
     * @param logicalId its logical id in the template
     * @param properties resolved properties
     */
    public Provisioned create(String stackName, String logicalId, ObjectNode properties);

    /** Updates it in place (replacement is handled by the engine as create + delete). */
    public Provisioned update(String stackName, String logicalId, String physicalId, ObjectNode oldProperties, ObjectNode newProperties);

    /** Deletes it; a resource already gone is not an error. */
    public void delete(String physicalId, ObjectNode properties);

    /**
     * A created or updated resource.
     *
     * @param physicalId what {@code Ref} returns (for most types)
     * @param attributes what {@code Fn::GetAtt} returns, by attribute name
     */
    public record Provisioned(String physicalId, Map<String, Object> attributes) {
        public Provisioned {
            if (physicalId == null || physicalId.isBlank()) {
                throw new IllegalArgumentException("physicalId must not be blank");
            }
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }
    }

    /** A resource operation that failed; the message is the resource event's status reason. */
    public class ResourceFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ResourceFailure(String reason) {
            super(reason);
        }
    }
}
