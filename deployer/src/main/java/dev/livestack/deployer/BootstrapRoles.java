package dev.livestack.deployer;

import dev.livestack.synth.StackTemplate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Which credentials a stack's change sets and asset uploads use, as the CDK CLI decides it: the role the cloud
 * assembly names when the caller may assume it; when it may not but the caller's own credentials are for the
 * role's account (on local-cloud: always), those (reported once per role, as the CDK CLI warns); otherwise a
 * two-line error. Hot-swaps never come here: like {@code cdk deploy --hotswap}, they act as the caller.
 */
final class BootstrapRoles {
    /** A role's outcome: its clients, or empty for the caller's own. */
    private final Map<String, Optional<RoleAssumer.RoleClients>> assumed = new ConcurrentHashMap<>();
    private final RoleAssumer assumer;
    private final String accountId;
    private final boolean singleAccount;
    private final Consumer<DeployEvent> events;

    /**
     * @param assumer assumes roles, or {@code null}: every call acts as the caller (roles are not used)
     * @param accountId the account of the caller's own credentials, or {@code null} when unknown
     * @param singleAccount the target has one account whatever an ARN says (local-cloud): a refused role always falls
     *        back to the caller, so an app whose stacks name an explicit account still deploys there
     */
    BootstrapRoles(RoleAssumer assumer, String accountId, boolean singleAccount, Consumer<DeployEvent> events) {
        this.assumer = assumer;
        this.accountId = accountId;
        this.singleAccount = singleAccount;
        this.events = events;
    }

    /**
     * The clients acting as {@code roleArn} (placeholders replaced by {@code substitute}), or empty when the caller's
     * own credentials are to be used: no role named, no assumer, or the role refused to a caller of the same account.
     */
    Optional<RoleAssumer.RoleClients> act(String stack, String purpose, String roleArn, String externalId,
                                          UnaryOperator<String> substitute) {
        if (assumer == null || roleArn == null || roleArn.isBlank()) {
            return Optional.empty();
        }
        String arn = substitute.apply(roleArn);
        String key = arn + "\u0000" + (externalId == null ? "" : externalId);
        Optional<RoleAssumer.RoleClients> known = assumed.get(key);
        if (known != null) {
            return known;
        }
        Optional<RoleAssumer.RoleClients> outcome;
        try {
            outcome = Optional.of(assumer.assume(arn, externalId));
            events.accept(new DeployEvent.RoleAssumed(stack, purpose, arn));
        } catch (RoleAssumer.NotAssumed e) {
            String roleAccount = accountOf(arn);
            if (!singleAccount && (accountId == null || !accountId.equals(roleAccount))) {
                throw new AssetPublisher.AssetException("could not assume the " + purpose + " role " + arn + " for stack " + stack
                        + ": " + e.getMessage() + "\nUse credentials that may assume it (`cdk bootstrap --trust <your account>` for account "
                        + roleAccount + "), or credentials of account " + roleAccount + " itself.");
            }
            events.accept(new DeployEvent.RoleNotAssumed(stack, purpose, arn, e.getMessage()));
            outcome = Optional.empty();
        }
        assumed.put(key, outcome);
        return outcome;
    }

    /** The account of an IAM role ARN ({@code arn:partition:iam::account:role/name}), or "" when it has none. */
    static String accountOf(String roleArn) {
        String[] parts = roleArn.split(":", 6);
        return parts.length == 6 ? parts[4] : "";
    }

    /** The role CloudFormation deploys a stack as, placeholders replaced, or {@code null}. */
    static String executionRole(StackTemplate.Roles roles, UnaryOperator<String> substitute) {
        return roles.cloudFormationExecutionRoleArn() == null ? null : substitute.apply(roles.cloudFormationExecutionRoleArn());
    }
}
