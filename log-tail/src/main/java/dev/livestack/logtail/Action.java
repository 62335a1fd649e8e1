package dev.livestack.logtail;

/**
 * Something deployed whose logs can be followed: a Lambda function or a log group resource.
 *
 * @param stackName the stack it belongs to
 * @param logicalId its logical id in the template
 * @param constructPath its CDK construct path without the trailing {@code /Resource}
 *                      (e.g. {@code Stack/Orders/Worker}); {@code null} when the template has no
 *                      {@code aws:cdk:path} metadata
 * @param physicalName the function name, or the log group name for a log group resource
 * @param logGroup the log group its events go to
 */
public record Action(String stackName, String logicalId, String constructPath, String physicalName, String logGroup) {
    public Action {
        requireText(stackName, "stackName");
        requireText(logicalId, "logicalId");
        if (constructPath != null && constructPath.isBlank()) {
            throw new IllegalArgumentException("constructPath must be null or not blank");
        }
        requireText(physicalName, "physicalName");
        requireText(logGroup, "logGroup");
    }

    /** The shortest name that tells this action apart for a person: the construct path's last part, else the logical id. */
    public String label() {
        if (constructPath != null) {
            int slash = constructPath.lastIndexOf('/');
            return slash >= 0 ? constructPath.substring(slash + 1) : constructPath;
        }
        return logicalId;
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
