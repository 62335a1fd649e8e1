package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestack.synth.StackTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The CDK bootstrap roles against local-cloud, through real STS AssumeRole: a CDK-synthesised stack's change set acts
 * as its deploy role, its upload as the file-publishing role, and CloudFormation deploys it as the execution role; a
 * refused role falls back to the caller only within the caller's account.
 */
class BootstrapRolesIT extends LocalCloudFixture {
    private static SsmClient ssm;
    private static StsClient sts;
    /** Operation names called through assumed-role clients, by role ARN. */
    private static final Map<String, List<String>> CALLS = new ConcurrentHashMap<>();
    private static final List<AutoCloseable> BUILT = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void clients() {
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        ssm = SsmClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1).credentialsProvider(creds)
                .httpClientBuilder(ApacheHttpClient.builder()).build();
        sts = StsClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1).credentialsProvider(creds)
                .httpClientBuilder(ApacheHttpClient.builder()).build();
    }

    @AfterAll
    static void close() throws Exception {
        for (AutoCloseable c : BUILT) {
            c.close();
        }
        ssm.close();
        sts.close();
    }

    /** Records each operation a role's clients make, so a test sees which calls acted as which role. */
    private static ExecutionInterceptor recorder(String roleArn) {
        return new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                CALLS.computeIfAbsent(roleArn, k -> new CopyOnWriteArrayList<>())
                        .add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            }
        };
    }

    /** What the cli does: STS AssumeRole with the run's credentials, clients built with the role's credentials. */
    private static final RoleAssumer STS = (roleArn, externalId) -> {
        StsAssumeRoleCredentialsProvider provider = StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                .refreshRequest(r -> r.roleArn(roleArn).roleSessionName("livestack-it").externalId(externalId)).build();
        try {
            provider.resolveCredentials();
        } catch (StsException e) {
            throw new RoleAssumer.NotAssumed(e.awsErrorDetails().errorMessage(), e);
        }
        AwsCredentialsProvider c = provider;
        CloudFormationClient cfn = CloudFormationClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(c).httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> o.addExecutionInterceptor(recorder(roleArn))).build();
        S3Client s3c = S3Client.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(c).httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> o.addExecutionInterceptor(recorder(roleArn))).build();
        BUILT.add(cfn);
        BUILT.add(s3c);
        BUILT.add(provider);
        return new RoleAssumer.RoleClients(cfn, s3c);
    };

    private static final AtomicInteger SEQ = new AtomicInteger();

    private static AssetAssembly assembly(String prefix, StackTemplate.Roles roles) throws IOException {
        String stack = uniqueStack(prefix);
        String qualifier = "r" + Integer.toHexString(stack.hashCode()).replace("-", "") + SEQ.incrementAndGet();
        return new AssetAssembly(Files.createTempDirectory(root, "cdk.out"), stack, qualifier, roles);
    }

    private static Harness harness(AssetAssembly a) {
        return harness(a, true);
    }

    /** {@code local}: the deployer is told the target is local-cloud (one account; it bootstraps what is missing). */
    private static Harness harness(AssetAssembly a, boolean local) {
        return new Harness(c -> c.withS3(s3, "livestack-templates-000000000000-us-east-1")
                .withAssets(DeployerConfig.Assets.of(() -> a.dir, "000000000000", "us-east-1", ssm, local).withRoles(STS)));
    }

    private static String resolved(AssetAssembly a, String kind) {
        return "arn:aws:iam::000000000000:role/cdk-" + a.qualifier + "-" + kind + "-role-000000000000-us-east-1";
    }

    /** Synthesises the function replying {@code reply} and deploys it as {@code deploy --ci} does. */
    private static DeployResult deploy(Harness h, AssetAssembly a, String reply) {
        String source = "exports.handler = async () => ({ reply: '" + reply + "' });\n";
        AssetAssembly.Synth s = a.synth(Map.of("index.js", source.getBytes(StandardCharsets.UTF_8)), List.of());
        return h.deployer.deploy(s.assembly(), s.stack(), DeployMode.FULL);
    }

    @Test
    void aCdkStackDeploysAsItsDeployRoleUploadsAsTheFilePublishingRoleAndRunsAsTheExecutionRole() throws Exception {
        AssetAssembly a = assembly("Roles", null);
        try (Harness h = harness(a)) {
            DeployResult r = deploy(h, a, "v1");
            assertEquals(DeployResult.Status.DEPLOYED, r.status(), r::toString);

            String deployRole = resolved(a, "deploy");
            String publishing = resolved(a, "file-publishing");
            // --ci reads the deployed stack as the deploy role before it publishes
            assertEquals(List.of(new DeployEvent.RoleAssumed(a.stackName, "deploy", deployRole),
                    new DeployEvent.RoleAssumed(a.stackName, "file-publishing", publishing)), h.events(DeployEvent.RoleAssumed.class));
            assertTrue(h.events(DeployEvent.RoleNotAssumed.class).isEmpty(), h.events::toString);
            List<String> asDeployRole = CALLS.getOrDefault(deployRole, List.of());
            assertTrue(asDeployRole.containsAll(List.of("DescribeStacks", "CreateChangeSet", "ExecuteChangeSet")), asDeployRole::toString);
            assertTrue(CALLS.getOrDefault(publishing, List.of()).contains("PutObject"), () -> CALLS.toString());
            assertEquals(resolved(a, "cfn-exec"), cf.describeStacks(b -> b.stackName(a.stackName)).stacks().get(0).roleARN());

            // an edit deploys again through the roles assumed before (once per run)
            assertEquals(DeployResult.Status.DEPLOYED, deploy(h, a, "v2").status());
            assertEquals(2, h.events(DeployEvent.RoleAssumed.class).size());
        }
        // a diff outside local-cloud, with no state of its own, reads the deployed template as the deploy role
        try (Harness fresh = harness(a, false)) {
            AssetAssembly.Synth v3 = a.synth(Map.of("index.js", "exports.handler = async () => 3;\n".getBytes(StandardCharsets.UTF_8)), List.of());
            int before = CALLS.getOrDefault(resolved(a, "deploy"), List.of()).size();
            TemplateDiff d = fresh.deployer.diff(v3.stack());
            assertFalse(d.isEmpty(), d::toString);
            assertEquals(List.of("GetTemplate"), CALLS.get(resolved(a, "deploy")).subList(before, CALLS.get(resolved(a, "deploy")).size()));
        }
    }

    @Test
    void aRefusedRoleOfTheCallersAccountFallsBackToTheCallerWithAWarning() throws Exception {
        String missing = "arn:aws:iam::000000000000:role/no-such-deploy-role";
        AssetAssembly a = assembly("RolesMissing", new StackTemplate.Roles(missing, null, null));
        try (Harness h = harness(a)) {
            DeployResult r = deploy(h, a, "v1");
            assertEquals(DeployResult.Status.DEPLOYED, r.status(), r::toString);
            List<DeployEvent.RoleNotAssumed> warned = h.events(DeployEvent.RoleNotAssumed.class);
            assertEquals(1, warned.size(), h.events::toString);
            assertEquals(missing, warned.get(0).roleArn());
            assertTrue(warned.get(0).reason().contains("is not authorized to perform: sts:AssumeRole on resource: " + missing),
                    warned.get(0).reason());
            assertEquals(null, cf.describeStacks(b -> b.stackName(a.stackName)).stacks().get(0).roleARN());
        }
    }

    @Test
    void onLocalCloudARoleOfAnotherAccountFallsBackToo() throws Exception {
        // an app whose stack names an explicit account still deploys to local-cloud's one account
        String other = "arn:aws:iam::111111111111:role/cdk-hnb659fds-deploy-role-111111111111-us-east-1";
        AssetAssembly a = assembly("RolesOtherLocal", new StackTemplate.Roles(other, null, null));
        try (Harness h = harness(a)) {
            DeployResult r = deploy(h, a, "v1");
            assertEquals(DeployResult.Status.DEPLOYED, r.status(), r::toString);
            assertEquals(List.of(other), h.events(DeployEvent.RoleNotAssumed.class).stream().map(DeployEvent.RoleNotAssumed::roleArn).toList());
        }
    }

    @Test
    void aRoleOfAnotherAccountThatCannotBeAssumedStopsTheDeployBeforeAnyChange() throws Exception {
        String other = "arn:aws:iam::111111111111:role/cdk-hnb659fds-deploy-role-111111111111-us-east-1";
        AssetAssembly a = assembly("RolesOther", new StackTemplate.Roles(other, null, null));
        // a target that is not local-cloud: its bootstrap exists (made here), nothing is created for it
        s3.createBucket(b -> b.bucket(a.bucket()));
        ssm.putParameter(b -> b.name(a.bootstrapParameter()).value("30").type("String"));
        try (Harness h = harness(a, false)) {
            DeployResult r = deploy(h, a, "v1");
            assertEquals(DeployResult.Status.FAILED, r.status(), r::toString);
            String[] lines = r.error().split("\n");
            assertEquals(2, lines.length, r.error());
            assertTrue(lines[0].startsWith("could not assume the deploy role " + other + " for stack " + a.stackName + ": "), lines[0]);
            assertTrue(lines[1].contains("cdk bootstrap --trust"), lines[1]);
            assertFalse(h.events.stream().anyMatch(e -> e instanceof DeployEvent.ChangeSetCreated), h.events::toString);
            CloudFormationException gone = org.junit.jupiter.api.Assertions.assertThrows(CloudFormationException.class,
                    () -> cf.describeStacks(b -> b.stackName(a.stackName)));
            assertTrue(gone.getMessage().contains("does not exist"), gone.getMessage());
        }
    }
}
