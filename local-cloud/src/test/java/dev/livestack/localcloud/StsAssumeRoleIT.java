package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * STS AssumeRole with real clients (AWS SDK for Java v2, the AWS CLI): the CDK bootstrap roles, roles a
 * stack created (with an external id), AWS's validation and AccessDenied errors, GetCallerIdentity
 * with the issued credentials, role chaining, and issued credentials across a restart and expiry.
 */
class StsAssumeRoleIT {
    static final String ACCOUNT = "000000000000";
    static final String DEPLOY_ROLE = "arn:aws:iam::000000000000:role/cdk-hnb659fds-deploy-role-000000000000-us-east-1";
    static final String PUBLISHING_ROLE = "arn:aws:iam::000000000000:role/cdk-hnb659fds-file-publishing-role-000000000000-us-east-1";
    static final String PARTNER_ROLE = "arn:aws:iam::000000000000:role/ext/partner-access";
    static final String ROOT = "arn:aws:iam::000000000000:root";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TEMPLATE = """
            {"Resources": {
              "Partner": {"Type": "AWS::IAM::Role", "Properties": {
                "RoleName": "partner-access", "Path": "/ext/", "MaxSessionDuration": 7200,
                "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                  "Principal": {"AWS": {"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:root"}}, "Action": "sts:AssumeRole",
                  "Condition": {"StringEquals": {"sts:ExternalId": "partner-7f3a"}}}]}}}},
             "Outputs": {"RoleId": {"Value": {"Fn::GetAtt": ["Partner", "RoleId"]}}}}
            """;

    @RegisterExtension
    static final LocalCloudFixture cloud = new LocalCloudFixture();
    static StsClient sts;
    static SsmClient ssm;

    @BeforeAll
    static void start() throws Exception {
        sts = cloud.closeAfter(Sdk.sts(cloud.endpoint(), "test", "test"));
        ssm = cloud.closeAfter(Sdk.ssm(cloud.endpoint()));
    }

    static StsClient stsAs(URI endpoint, Credentials c) {
        return StsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
                .overrideConfiguration(Sdk.noRetries()).build();
    }

    static StsException refused(StsClient client, Consumer<AssumeRoleRequest.Builder> request) {
        return assertThrows(StsException.class, () -> client.assumeRole(request));
    }

    static void bootstrap() {
        ssm.putParameter(b -> b.name("/cdk-bootstrap/hnb659fds/version").value("21").type(ParameterType.STRING).overwrite(true));
    }

    @Test
    void aBootstrapRoleIsAssumedOnceTheBootstrapParameterExists() {
        String qualifier = "q1notboot";
        String role = "arn:aws:iam::000000000000:role/cdk-" + qualifier + "-deploy-role-000000000000-us-east-1";
        StsException before = refused(sts, b -> b.roleArn(role).roleSessionName("before"));
        assertEquals(403, before.statusCode());
        assertEquals("AccessDenied", before.awsErrorDetails().errorCode());

        bootstrap();
        Instant now = Instant.now();
        AssumeRoleResponse r = sts.assumeRole(b -> b.roleArn(DEPLOY_ROLE).roleSessionName("deployer"));
        Credentials c = r.credentials();
        assertTrue(c.accessKeyId().matches("ASIA[A-Z0-9]{16}"), c.accessKeyId());
        assertEquals(40, c.secretAccessKey().length());
        assertTrue(c.sessionToken().length() > 100);
        long seconds = Duration.between(now, c.expiration()).toSeconds();
        assertTrue(seconds > 3590 && seconds <= 3600, "expires in an hour: " + c.expiration());
        assertEquals("arn:aws:sts::000000000000:assumed-role/cdk-hnb659fds-deploy-role-000000000000-us-east-1/deployer",
                r.assumedRoleUser().arn());
        assertTrue(r.assumedRoleUser().assumedRoleId().matches("AROA[A-Z0-9]{17}:deployer"), r.assumedRoleUser().assumedRoleId());
        assertNull(r.packedPolicySize(), "no PackedPolicySize without a session policy");

        try (StsClient assumed = stsAs(cloud.endpoint(), c);
             SsmClient ssmAssumed = SsmClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(
                             AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
                     .overrideConfiguration(Sdk.noRetries()).build()) {
            GetCallerIdentityResponse id = assumed.getCallerIdentity();
            assertEquals(ACCOUNT, id.account());
            assertEquals(r.assumedRoleUser().arn(), id.arn());
            assertEquals(r.assumedRoleUser().assumedRoleId(), id.userId());
            // other services take the issued credentials as they take the configured ones
            assertEquals("21", ssmAssumed.getParameter(b -> b.name("/cdk-bootstrap/hnb659fds/version")).parameter().value());

            // role chaining: the session assumes another role; refusals name the session as the caller
            AssumeRoleResponse chained = assumed.assumeRole(b -> b.roleArn(PUBLISHING_ROLE).roleSessionName("publish"));
            try (StsClient twice = stsAs(cloud.endpoint(), chained.credentials())) {
                assertEquals("arn:aws:sts::000000000000:assumed-role/cdk-hnb659fds-file-publishing-role-000000000000-us-east-1/publish",
                        twice.getCallerIdentity().arn());
            }
            StsException denied = refused(assumed, b -> b.roleArn("arn:aws:iam::000000000000:role/nobody-here").roleSessionName("x1"));
            assertEquals("User: " + r.assumedRoleUser().arn()
                    + " is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role/nobody-here",
                    denied.awsErrorDetails().errorMessage());
            StsException tooLong = refused(assumed, b -> b.roleArn(PUBLISHING_ROLE).roleSessionName("long").durationSeconds(7200));
            assertEquals("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
                    tooLong.awsErrorDetails().errorMessage());
        }
        // the configured credentials are still the root user
        assertEquals(ROOT, sts.getCallerIdentity().arn());
    }

    @Test
    void aRoleThatDoesNotExistIsAccessDenied() {
        StsException e = refused(sts, b -> b.roleArn("arn:aws:iam::000000000000:role/missing-role").roleSessionName("s1"));
        assertEquals(403, e.statusCode());
        assertEquals("AccessDenied", e.awsErrorDetails().errorCode());
        assertEquals("User: arn:aws:iam::000000000000:root is not authorized to perform: sts:AssumeRole on resource: "
                + "arn:aws:iam::000000000000:role/missing-role", e.awsErrorDetails().errorMessage());
        // a bootstrap role name of another account or region is not local-cloud's bootstrap
        bootstrap();
        assertEquals("AccessDenied", refused(sts, b -> b.roleArn(
                "arn:aws:iam::000000000000:role/cdk-hnb659fds-deploy-role-000000000000-eu-west-1").roleSessionName("s1"))
                .awsErrorDetails().errorCode());
        assertEquals("AccessDenied", refused(sts, b -> b.roleArn(
                "arn:aws:iam::111111111111:role/cdk-hnb659fds-deploy-role-111111111111-us-east-1").roleSessionName("s1"))
                .awsErrorDetails().errorCode());
    }

    @Test
    void aStackRoleWithAnExternalIdConditionNeedsTheExternalId() {
        try (CloudFormationClient client = Sdk.cloudFormation(cloud.endpoint())) {
            Cfn cfn = new Cfn(client);
            var stack = cfn.deploy("partner", TEMPLATE);
            assertEquals("CREATE_COMPLETE", stack.stackStatusAsString());
            String roleId = cfn.outputs(stack).get("RoleId");

            AssumeRoleResponse r = sts.assumeRole(b -> b.roleArn(PARTNER_ROLE).roleSessionName("audit@partner.example")
                    .externalId("partner-7f3a").durationSeconds(7200));
            assertEquals("arn:aws:sts::000000000000:assumed-role/partner-access/audit@partner.example", r.assumedRoleUser().arn());
            assertEquals(roleId + ":audit@partner.example", r.assumedRoleUser().assumedRoleId());
            long seconds = Duration.between(Instant.now(), r.credentials().expiration()).toSeconds();
            assertTrue(seconds > 7190 && seconds <= 7200, r.credentials().expiration().toString());

            String denied = "User: arn:aws:iam::000000000000:root is not authorized to perform: sts:AssumeRole on resource: "
                    + PARTNER_ROLE;
            StsException without = refused(sts, b -> b.roleArn(PARTNER_ROLE).roleSessionName("no-id"));
            assertEquals(403, without.statusCode());
            assertEquals(denied, without.awsErrorDetails().errorMessage());
            StsException wrong = refused(sts, b -> b.roleArn(PARTNER_ROLE).roleSessionName("bad-id").externalId("partner-0000"));
            assertEquals(denied, wrong.awsErrorDetails().errorMessage());
            // the ARN must carry the role's path
            assertEquals("AccessDenied", refused(sts, b -> b.roleArn("arn:aws:iam::000000000000:role/partner-access")
                    .roleSessionName("s2").externalId("partner-7f3a")).awsErrorDetails().errorCode());

            StsException max = refused(sts, b -> b.roleArn(PARTNER_ROLE).roleSessionName("s3").externalId("partner-7f3a")
                    .durationSeconds(10800));
            assertEquals("ValidationError", max.awsErrorDetails().errorCode());
            assertEquals(400, max.statusCode());
            assertEquals("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
                    max.awsErrorDetails().errorMessage());

            client.deleteStack(b -> b.stackName("partner"));
            cfn.awaitSettled(stack.stackId());
            assertEquals("AccessDenied", refused(sts, b -> b.roleArn(PARTNER_ROLE).roleSessionName("gone")
                    .externalId("partner-7f3a")).awsErrorDetails().errorCode());
        }
    }

    @Test
    void parametersAreValidatedAsAwsDoes() {
        bootstrap();
        assertValidation("1 validation error detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: "
                + "Member must have length greater than or equal to 2", b -> b.roleArn(DEPLOY_ROLE).roleSessionName("a"));
        assertValidation("1 validation error detected: Value 'PowerUser/me' at 'roleSessionName' failed to satisfy constraint: "
                + "Member must satisfy regular expression pattern: [\\w+=,.@-]*", b -> b.roleArn(DEPLOY_ROLE).roleSessionName("PowerUser/me"));
        String tooLong = "s".repeat(65);
        assertValidation("1 validation error detected: Value '" + tooLong + "' at 'roleSessionName' failed to satisfy constraint: "
                + "Member must have length less than or equal to 64", b -> b.roleArn(DEPLOY_ROLE).roleSessionName(tooLong));
        assertValidation("1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: "
                + "Member must have value greater than or equal to 900", b -> b.roleArn(DEPLOY_ROLE).roleSessionName("ok").durationSeconds(899));
        assertValidation("1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: "
                + "Member must have value less than or equal to 43200", b -> b.roleArn(DEPLOY_ROLE).roleSessionName("ok").durationSeconds(43201));
        assertValidation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
                b -> b.roleArn(DEPLOY_ROLE).roleSessionName("ok").durationSeconds(3601));
        assertValidation("1 validation error detected: Value 'x' at 'externalId' failed to satisfy constraint: "
                + "Member must have length greater than or equal to 2", b -> b.roleArn(DEPLOY_ROLE).roleSessionName("ok").externalId("x"));
        assertValidation("1 validation error detected: Value 'role/short' at 'roleArn' failed to satisfy constraint: "
                + "Member must have length greater than or equal to 20", b -> b.roleArn("role/short").roleSessionName("ok"));
        assertValidation("nothing-valid-in-here is invalid", b -> b.roleArn("nothing-valid-in-here").roleSessionName("ok"));
        assertValidation("2 validation errors detected: Value 'role/short' at 'roleArn' failed to satisfy constraint: "
                + "Member must have length greater than or equal to 20; Value null at 'roleSessionName' failed to satisfy "
                + "constraint: Member must not be null", b -> b.roleArn("role/short"));
    }

    static void assertValidation(String message, Consumer<AssumeRoleRequest.Builder> request) {
        StsException e = refused(sts, request);
        assertEquals(400, e.statusCode());
        assertEquals("ValidationError", e.awsErrorDetails().errorCode());
        assertEquals(message, e.awsErrorDetails().errorMessage());
    }

    @Test
    void issuedCredentialsSurviveARestartAndExpire(@TempDir Path own) throws Exception {
        Credentials c;
        try (LocalCloud first = LocalCloud.start(LocalCloudConfig.defaults(own, 0));
             SsmClient firstSsm = Sdk.ssm(first.endpoint());
             StsClient firstSts = Sdk.sts(first.endpoint(), "test", "test")) {
            firstSsm.putParameter(b -> b.name("/cdk-bootstrap/hnb659fds/version").value("21").type(ParameterType.STRING));
            c = firstSts.assumeRole(b -> b.roleArn(DEPLOY_ROLE).roleSessionName("durable")).credentials();
        }
        try (LocalCloud second = LocalCloud.start(LocalCloudConfig.defaults(own, 0));
             StsClient assumed = stsAs(second.endpoint(), c)) {
            assertEquals("arn:aws:sts::000000000000:assumed-role/cdk-hnb659fds-deploy-role-000000000000-us-east-1/durable",
                    assumed.getCallerIdentity().arn());
        }
        // the credentials' expiry passes while local-cloud is stopped
        Path sessions = own.resolve("sts").resolve("sessions.json");
        ArrayNode saved = (ArrayNode) JSON.readTree(sessions.toFile());
        for (JsonNode s : saved) {
            ((ObjectNode) s).put("Expiration", Instant.now().minusSeconds(60).toString());
        }
        Files.writeString(sessions, JSON.writeValueAsString(saved));
        try (LocalCloud third = LocalCloud.start(LocalCloudConfig.defaults(own, 0));
             StsClient assumed = stsAs(third.endpoint(), c)) {
            StsException e = assertThrows(StsException.class, assumed::getCallerIdentity);
            assertEquals(403, e.statusCode());
            assertEquals("ExpiredToken", e.awsErrorDetails().errorCode());
            assertEquals("The security token included in the request is expired", e.awsErrorDetails().errorMessage());
            StsException assume = refused(assumed, b -> b.roleArn(DEPLOY_ROLE).roleSessionName("again"));
            assertEquals("ExpiredToken", assume.awsErrorDetails().errorCode());
        }
    }

    @Test
    void theAwsCliAssumesARoleAndUsesItsCredentials() throws Exception {
        String aws = Files.isExecutable(Path.of("/usr/bin/aws")) ? "/usr/bin/aws" : "aws";
        Assumptions.assumeTrue(run(List.of(aws, "--version"), Map.of()).exit() == 0, "the AWS CLI is not installed");
        bootstrap();
        Result assumed = run(List.of(aws, "sts", "assume-role", "--role-arn", DEPLOY_ROLE, "--role-session-name", "cli-session",
                "--duration-seconds", "900", "--output", "json", "--endpoint-url", cloud.endpoint().toString()), Map.of());
        assertEquals(0, assumed.exit(), assumed.toString());
        JsonNode out = JSON.readTree(assumed.out());
        JsonNode c = out.get("Credentials");
        assertTrue(c.get("AccessKeyId").asText().startsWith("ASIA"), assumed.out());
        assertTrue(c.hasNonNull("SecretAccessKey") && c.hasNonNull("SessionToken") && c.hasNonNull("Expiration"), assumed.out());
        assertEquals("arn:aws:sts::000000000000:assumed-role/cdk-hnb659fds-deploy-role-000000000000-us-east-1/cli-session",
                out.get("AssumedRoleUser").get("Arn").asText());
        assertTrue(out.get("AssumedRoleUser").get("AssumedRoleId").asText().endsWith(":cli-session"), assumed.out());

        Result who = run(List.of(aws, "sts", "get-caller-identity", "--output", "json", "--endpoint-url", cloud.endpoint().toString()),
                Map.of("AWS_ACCESS_KEY_ID", c.get("AccessKeyId").asText(), "AWS_SECRET_ACCESS_KEY", c.get("SecretAccessKey").asText(),
                        "AWS_SESSION_TOKEN", c.get("SessionToken").asText()));
        assertEquals(0, who.exit(), who.toString());
        assertEquals(out.get("AssumedRoleUser").get("Arn").asText(), JSON.readTree(who.out()).get("Arn").asText());

        Result denied = run(List.of(aws, "sts", "assume-role", "--role-arn", "arn:aws:iam::000000000000:role/nope-role",
                "--role-session-name", "cli", "--endpoint-url", cloud.endpoint().toString()), Map.of());
        assertTrue(denied.exit() == 254 || denied.exit() == 255, denied.toString()); // v2 254, v1 255
        assertTrue(denied.err().contains("An error occurred (AccessDenied) when calling the AssumeRole operation: User: "
                + "arn:aws:iam::000000000000:root is not authorized to perform: sts:AssumeRole on resource: "
                + "arn:aws:iam::000000000000:role/nope-role"), denied.err());
    }

    /**
     * The CDK CLI with a cloud assembly as the DefaultStackSynthesizer writes it (the stack names its
     * deploy role and the bootstrap version it needs): the CLI assumes the deploy role and deploys and
     * destroys with the role's credentials.
     */
    @Test
    void theCdkCliDeploysWithTheAssumedDeployRole(@TempDir Path app) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CdkCli.binary()), "the CDK CLI is installed under tools/ by the build");
        bootstrap();
        Path out = Files.createDirectories(app.resolve("cdk.out"));
        Files.writeString(out.resolve("manifest.json"), """
                {"version": "36.0.0", "artifacts": {"RoleStack": {"type": "aws:cloudformation:stack",
                  "environment": "aws://000000000000/us-east-1",
                  "properties": {"templateFile": "RoleStack.template.json",
                    "assumeRoleArn": "arn:${AWS::Partition}:iam::000000000000:role/cdk-hnb659fds-deploy-role-000000000000-us-east-1",
                    "requiresBootstrapStackVersion": 6,
                    "bootstrapStackVersionSsmParameter": "/cdk-bootstrap/hnb659fds/version"}}}}
                """);
        Files.writeString(out.resolve("RoleStack.template.json"), """
                {"Resources": {"Flag": {"Type": "AWS::SSM::Parameter", "Properties": {"Name": "/role-stack/flag",
                  "Type": "String", "Value": "deployed"}}}}
                """);
        ClientProcess.Result deployed = CdkCli.run(app, cloud.endpoint(), "deploy", "RoleStack", "--require-approval", "never");
        assertEquals(0, deployed.exit(), deployed.out());
        assertTrue(!deployed.out().contains("Could not assume"), deployed.out());
        assertEquals("deployed", ssm.getParameter(b -> b.name("/role-stack/flag")).parameter().value());
        JsonNode sessions = JSON.readTree(cloud.state().resolve("sts").resolve("sessions.json").toFile());
        boolean assumed = false;
        for (JsonNode s : sessions) {
            assumed |= s.get("RoleName").asText().equals("cdk-hnb659fds-deploy-role-000000000000-us-east-1");
        }
        assertTrue(assumed, "the CLI assumed the deploy role: " + sessions);
        ClientProcess.Result destroyed = CdkCli.run(app, cloud.endpoint(), "destroy", "RoleStack", "--force");
        assertEquals(0, destroyed.exit(), destroyed.out());
    }

    record Result(int exit, String out, String err) {
    }

    static Result run(List<String> command, Map<String, String> credentials) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command));
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.remove("AWS_SESSION_TOKEN");
        env.remove("AWS_PROFILE");
        env.putAll(credentials);
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_PAGER", "");
        env.put("AWS_CONFIG_FILE", cloud.state().resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", cloud.state().resolve("no-credentials").toString());
        Path out = Files.createTempFile("sts-cli", ".out");
        Path err = Files.createTempFile("sts-cli", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (java.io.IOException e) {
            return new Result(127, "", e.getMessage());
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in 120 s");
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }
}
