package dev.livestack.deployer;

/**
 * One row of a change set's table, as the CDK CLI shows it.
 *
 * @param action {@code Add}, {@code Modify}, {@code Remove} (or CloudFormation's other actions: {@code Import}, {@code Dynamic})
 * @param logicalId the resource's logical id
 * @param resourceType the CloudFormation type
 * @param replacement {@code True}, {@code False} or {@code Conditional}; empty for additions and removals
 */
public record ChangeRow(String action, String logicalId, String resourceType, String replacement) {
    public ChangeRow {
        if (action == null || action.isBlank()) {
            throw new IllegalArgumentException("action must not be blank");
        }
        if (logicalId == null || logicalId.isBlank()) {
            throw new IllegalArgumentException("logicalId must not be blank");
        }
        resourceType = resourceType == null ? "" : resourceType;
        replacement = replacement == null ? "" : replacement;
    }
}
