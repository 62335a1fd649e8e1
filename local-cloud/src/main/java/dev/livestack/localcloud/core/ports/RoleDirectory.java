package dev.livestack.localcloud.core.ports;

import com.fasterxml.jackson.databind.JsonNode;

/** The IAM roles that live stacks created, which STS lets callers assume. */
public interface RoleDirectory {
    /** The live role with this ARN, or null when no stack holds one. */
    public StackRole role(String roleArn);

    /**
     * A role a stack created.
     *
     * @param name its physical id (the role name)
     * @param roleId the {@code RoleId} attribute, or null when the provider recorded none
     * @param properties its resolved template properties, or null
     */
    public record StackRole(String name, String roleId, JsonNode properties) {
        public StackRole {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
        }
    }
}
