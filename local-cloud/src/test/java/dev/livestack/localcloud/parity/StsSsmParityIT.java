package dev.livestack.localcloud.parity;

import static dev.livestack.localcloud.parity.CfnParityCloud.uid;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Tag;

/**
 * STS and SSM, replayed from LocalStack's recorded {@code sts/test_sts.py} and {@code ssm/test_ssm.py}. local-cloud
 * has no IAM API: the roles the recordings create with iam:CreateRole are made by a CloudFormation stack here, and
 * the recorded CreateRole answers are skipped.
 */
class StsSsmParityIT {
    static final String STS_FILE = "sts/test_sts.snapshot.json";
    static final String SSM_FILE = "ssm/test_ssm.snapshot.json";
    static final RecordedRuns STS = RecordedRuns.of("sts");
    static final RecordedRuns SSM = RecordedRuns.of("ssm");
    static final String NO_IAM = "the recording creates the role with iam:CreateRole; local-cloud has no IAM API "
            + "(the scenario makes the role with a CloudFormation stack)";
    static CfnParityCloud cloud;
    static StsClient sts;
    static SsmClient ssm;

    @BeforeAll
    static void start() throws Exception {
        cloud = new CfnParityCloud();
        sts = cloud.sts("test", "test");
        ssm = cloud.ssm();
    }

    @AfterAll
    static void stop() throws Exception {
        cloud.close();
        STS.writeAndCheck(0.9);
        SSM.writeAndCheck(0.9);
    }

    /** A role trusting the account, allowed to be assumed and tagged, made the way local-cloud makes roles. */
    private String role(String name) {
        String template = """
                {"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "%s",
                  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                    "Action": ["sts:AssumeRole", "sts:TagSession"], "Principal": {"AWS": "000000000000"}}]}}}},
                 "Outputs": {"Arn": {"Value": {"Fn::GetAtt": ["Role", "Arn"]}}}}
                """.formatted(name);
        var stack = cloud.deploy(template);
        return cloud.cfn.describeStacks(b -> b.stackName(stack.stackId())).stacks().get(0).outputs().get(0).outputValue();
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    @Test
    void federationToken() {
        STS.run(STS_FILE, "TestSTSIntegrations::test_get_federation_token", c ->
                c.match("get-federation-token", sts.getFederationToken(b -> b.name("TestName" + uid()).durationSeconds(900))));
    }

    @Test
    void assumeRole() {
        STS.skipKeys(STS_FILE, "TestSTSIntegrations::test_assume_role", NO_IAM, "create-role");
        STS.skipKeys(STS_FILE, "TestSTSIntegrations::test_assume_role", "the test's own input (the session name it chose), "
                + "not a response", "role-session-name");
        STS.run(STS_FILE, "TestSTSIntegrations::test_assume_role", c -> {
            String arn = role("role-" + uid());
            c.match("assume-role", sts.assumeRole(b -> b.roleArn(arn).roleSessionName("test-assume-role-" + uid())));
        });
    }

    @Test
    void tagValidation() {
        STS.skipKeys(STS_FILE, "TestSTSAssumeRoleTagging::test_assume_role_tag_validation", NO_IAM, "role-1");
        STS.run(STS_FILE, "TestSTSAssumeRoleTagging::test_assume_role_tag_validation", c -> {
            String arn = role("role-1-" + uid());
            sts.assumeRole(b -> b.roleArn(arn).roleSessionName("Session1"));
            c.match("invalid-transitive-tag-keys", c.error(() -> sts.assumeRole(b -> b.roleArn(arn)
                    .roleSessionName("SessionInvalidTransitiveKeys").tags(tag("SessionTag1", "SessionValue1")).transitiveTagKeys("InvalidKey"))));
            sts.assumeRole(b -> b.roleArn(arn).roleSessionName("SessionInvalidCasingTransitiveKeys")
                    .tags(tag("SessionTag1", "SessionValue1")).transitiveTagKeys("sessiontag1"));
            c.match("duplicate-tag-keys-different-casing", c.error(() -> sts.assumeRole(b -> b.roleArn(arn)
                    .roleSessionName("SessionInvalidCasingTransitiveKeys")
                    .tags(tag("SessionTag1", "SessionValue1"), tag("sessiontag1", "SessionValue2")).transitiveTagKeys("sessiontag1"))));
        });
    }

    @Test
    void chainingOverridesTransitiveTags() {
        STS.skipKeys(STS_FILE, "TestSTSAssumeRoleTagging::test_iam_role_chaining_override_transitive_tags", NO_IAM, "role-1", "role-2");
        STS.run(STS_FILE, "TestSTSAssumeRoleTagging::test_iam_role_chaining_override_transitive_tags", c -> {
            String first = role("role-1-" + uid());
            String second = role("role-2-" + uid());
            AssumeRoleResponse keys = sts.assumeRole(b -> b.roleArn(first).roleSessionName("Session1")
                    .tags(tag("SessionTag1", "SessionValue1")).transitiveTagKeys("SessionTag1"));
            try (StsClient chained = StsClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                            keys.credentials().accessKeyId(), keys.credentials().secretAccessKey(), keys.credentials().sessionToken())))
                    .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1))).build()) {
                c.match("override-transitive-tag-error", c.error(() -> chained.assumeRole(b -> b.roleArn(second)
                        .roleSessionName("Session2SessionTagOverride").tags(tag("SessionTag1", "SessionValue2")))));
                c.match("override-transitive-tag-case-ignore-error", c.error(() -> chained.assumeRole(b -> b.roleArn(second)
                        .roleSessionName("Session2SessionTagOverride").tags(tag("sessiontag1", "SessionValue2")))));
            }
        });
    }

    @Test
    void invalidParameters() {
        STS.skip(STS_FILE, "TestSTSIntegrations::test_sts_invalid_parameters",
                "recorded against LocalStack, not AWS (markers.aws.only_localstack)");
    }

    @Test
    void parameterByArn() {
        SSM.run(SSM_FILE, "TestSSM::test_get_parameter_by_arn", c -> {
            String name = "param-" + uid();
            ssm.putParameter(b -> b.name(name).value("test").type(ParameterType.STRING));
            String arn = ssm.getParameter(b -> b.name(name)).parameter().arn();
            c.match("Parameter", ssm.getParameter(b -> b.name(arn)).parameter());
        });
    }

    @Test
    void parametersWithPath() {
        SSM.run(SSM_FILE, "TestSSM::test_parameters_with_path", c -> {
            String name = "/test/param-" + uid();
            c.match("put-parameter-response", ssm.putParameter(b -> b.name(name).description("test").value("123").type(ParameterType.STRING)));
            var byName = ssm.getParameter(b -> b.name(name));
            c.match("get-parameter-response", byName);
            String arn = byName.parameter().arn();
            c.match("get-parameter-by-arn-response", ssm.getParameter(b -> b.name(arn)));
            c.match("get-parameters-response", ssm.getParameters(b -> b.names(name)));
            c.match("get-parameters-by-arn-response", ssm.getParameters(b -> b.names(arn)));
        });
    }
}
