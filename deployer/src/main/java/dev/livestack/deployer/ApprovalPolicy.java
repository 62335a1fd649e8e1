package dev.livestack.deployer;

/** When a change set needs the user's approval before it is executed (CDK's {@code --require-approval}). */
public enum ApprovalPolicy {
    /** Never ask. */
    NEVER,
    /** Ask when the change set broadens permissions: IAM or security-group changes, as the CDK CLI decides. */
    BROADENING,
    /** Ask before executing any change set. */
    ANY_CHANGE;

    /** Whether this policy asks the user before executing {@code summary}. */
    public boolean requiresApproval(ChangeSetSummary summary) {
        return switch (this) {
            case NEVER -> false;
            case BROADENING -> summary.broadening();
            case ANY_CHANGE -> !summary.rows().isEmpty();
        };
    }

    /** Parses {@code never}, {@code broadening} or {@code any-change}. */
    public static ApprovalPolicy parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("approval policy must not be null");
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "never" -> NEVER;
            case "broadening" -> BROADENING;
            case "any-change", "any_change" -> ANY_CHANGE;
            default -> throw new IllegalArgumentException(
                    "approval policy must be never, broadening or any-change, was " + value);
        };
    }
}
