package dev.livestack.deployer;

import java.util.List;
import java.util.Map;

/**
 * A created change set, before it is executed: what the approval callback is shown.
 *
 * @param stackName the stack
 * @param changeSetId the change set's ARN
 * @param changeSetType {@code CREATE} or {@code UPDATE}
 * @param rows the change table
 * @param broadening whether it adds or changes IAM or security-group resources (CDK's "broadening")
 * @param parameters the parameters passed, secret ({@code NoEcho}) values masked
 */
public record ChangeSetSummary(String stackName, String changeSetId, String changeSetType, List<ChangeRow> rows,
                               boolean broadening, Map<String, String> parameters) {
    public ChangeSetSummary {
        if (stackName == null || stackName.isBlank()) {
            throw new IllegalArgumentException("stackName must not be blank");
        }
        if (changeSetId == null || changeSetId.isBlank()) {
            throw new IllegalArgumentException("changeSetId must not be blank");
        }
        if (changeSetType == null || changeSetType.isBlank()) {
            throw new IllegalArgumentException("changeSetType must not be blank");
        }
        rows = rows == null ? List.of() : List.copyOf(rows);
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }
}
