package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestack.synth.StackTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Which credentials a stack's deploy acts as, decided as the CDK CLI decides it. */
class BootstrapRolesTest {
    private static final UnaryOperator<String> ENV = v -> v.replace("${AWS::AccountId}", "111111111111")
            .replace("${AWS::Region}", "eu-west-1").replace("${AWS::Partition}", "aws");
    private static final String DEPLOY = "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-deploy-role-${AWS::AccountId}-${AWS::Region}";
    private static final String RESOLVED = "arn:aws:iam::111111111111:role/cdk-hnb659fds-deploy-role-111111111111-eu-west-1";

    private final List<DeployEvent> events = new ArrayList<>();
    private final List<String> asked = new ArrayList<>();
    private final RoleAssumer.RoleClients clients = new RoleAssumer.RoleClients(null, null);

    private RoleAssumer granting() {
        return (arn, externalId) -> {
            asked.add(arn + "|" + externalId);
            return clients;
        };
    }

    private RoleAssumer refusing() {
        return (arn, externalId) -> {
            asked.add(arn);
            throw new RoleAssumer.NotAssumed("User: arn:aws:iam::111111111111:user/ci is not authorized to perform: sts:AssumeRole on resource: "
                    + arn, null);
        };
    }

    @Test
    void anAssumableRoleIsAssumedOnceWithItsPlaceholdersReplaced() {
        BootstrapRoles roles = new BootstrapRoles(granting(), "111111111111", false, events::add);
        assertSame(clients, roles.act("Shop", "deploy", DEPLOY, "ext-1", ENV).orElseThrow());
        assertSame(clients, roles.act("Shop", "deploy", DEPLOY, "ext-1", ENV).orElseThrow());
        assertEquals(List.of(RESOLVED + "|ext-1"), asked);
        assertEquals(List.of(new DeployEvent.RoleAssumed("Shop", "deploy", RESOLVED)), events);
    }

    @Test
    void aRefusedRoleOfTheCallersOwnAccountFallsBackToTheCallerAndSaysSoOnce() {
        BootstrapRoles roles = new BootstrapRoles(refusing(), "111111111111", false, events::add);
        assertTrue(roles.act("Shop", "deploy", DEPLOY, null, ENV).isEmpty());
        assertTrue(roles.act("Shop", "deploy", DEPLOY, null, ENV).isEmpty());
        assertEquals(1, asked.size());
        assertEquals(1, events.size());
        DeployEvent.RoleNotAssumed e = (DeployEvent.RoleNotAssumed) events.get(0);
        assertEquals(RESOLVED, e.roleArn());
        assertTrue(e.reason().contains("not authorized to perform: sts:AssumeRole"), e.reason());
    }

    @Test
    void aRefusedRoleOfAnotherAccountFailsInTwoLines() {
        BootstrapRoles roles = new BootstrapRoles(refusing(), "222222222222", false, events::add);
        AssetPublisher.AssetException e = assertThrows(AssetPublisher.AssetException.class,
                () -> roles.act("Shop", "file-publishing", DEPLOY, null, ENV));
        String[] lines = e.getMessage().split("\n");
        assertEquals(2, lines.length, e.getMessage());
        assertTrue(lines[0].startsWith("could not assume the file-publishing role " + RESOLVED + " for stack Shop: User:"), lines[0]);
        assertTrue(lines[1].contains("account 111111111111"), lines[1]);
        assertTrue(events.isEmpty());
    }

    @Test
    void onLocalCloudARefusedRoleOfAnyAccountFallsBackToTheCaller() {
        // an app whose stacks name an explicit account still deploys to local-cloud's one account
        BootstrapRoles roles = new BootstrapRoles(refusing(), "000000000000", true, events::add);
        assertTrue(roles.act("Shop", "deploy", DEPLOY, null, ENV).isEmpty());
        assertEquals(List.of(RESOLVED), events.stream().map(e -> ((DeployEvent.RoleNotAssumed) e).roleArn()).toList());
    }

    @Test
    void withoutAnAssumerOrARoleEverythingActsAsTheCaller() {
        assertTrue(new BootstrapRoles(null, "111111111111", false, events::add).act("Shop", "deploy", DEPLOY, null, ENV).isEmpty());
        BootstrapRoles roles = new BootstrapRoles(granting(), "111111111111", false, events::add);
        assertTrue(roles.act("Shop", "deploy", null, null, ENV).isEmpty());
        assertTrue(asked.isEmpty());
        assertTrue(events.isEmpty());
    }

    @Test
    void theExecutionRoleIsResolvedForTheChangeSet() {
        assertEquals("arn:aws:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1", BootstrapRoles.executionRole(
                new StackTemplate.Roles(DEPLOY, null,
                        "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-cfn-exec-role-${AWS::AccountId}-${AWS::Region}"), ENV));
        assertNull(BootstrapRoles.executionRole(StackTemplate.Roles.NONE, ENV));
        assertEquals("111111111111", BootstrapRoles.accountOf(RESOLVED));
    }
}
