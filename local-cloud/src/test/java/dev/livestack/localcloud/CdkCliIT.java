package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The CDK CLI (tools/node_modules/.bin/cdk) against local-cloud: {@code cdk deploy}, {@code cdk deploy
 * --hotswap} and {@code cdk destroy} of a cloud assembly written the way a LegacyStackSynthesizer app
 * synthesises it (no bootstrap stack, the template inline), so no aws-cdk-lib is needed.
 */
@Execution(ExecutionMode.CONCURRENT)
class CdkCliIT {
    @TempDir
    static Path state;
    @TempDir
    static Path app;
    static LocalCloud cloud;
    static Path cdk;

    static final String MANIFEST = """
            {
              "version": "36.0.0",
              "artifacts": {
                "CliStack": {
                  "type": "aws:cloudformation:stack",
                  "environment": "aws://unknown-account/unknown-region",
                  "properties": {"templateFile": "CliStack.template.json"},
                  "displayName": "CliStack"
                }
              }
            }
            """;

    static final String TEMPLATE = """
            {
              "Resources": {
                "Queue": {"Type": "AWS::SQS::Queue"},
                "FnRole": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": [
                  {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}},
                "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "nodejs20.x", "Handler": "index.handler",
                  "Role": {"Fn::GetAtt": ["FnRole", "Arn"]},
                  "Environment": {"Variables": {"QUEUE": {"Ref": "Queue"}}},
                  "Code": {"ZipFile": "exports.handler = async () => 'VERSION';"}}}
              },
              "Outputs": {"FnName": {"Value": {"Ref": "Fn"}}}
            }
            """;

    record Result(int exit, String output) {
    }

    @BeforeAll
    static void start() throws Exception {
        cdk = Path.of(System.getProperty("user.dir")).resolve("../tools/node_modules/.bin/cdk").normalize();
        cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0));
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @Test
    void cdkDeploysHotswapsAndDestroys() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(cdk), "the CDK CLI is not installed in tools/");
        writeAssembly("one");
        Result deployed = cdk("deploy", "--require-approval", "never", "CliStack");
        assertEquals(0, deployed.exit(), deployed.output());
        assertTrue(deployed.output().contains("CliStack.FnName = CliStack-Fn-"), deployed.output());

        Cfn cfn = new Cfn(Sdk.cloudFormation(cloud.endpoint()));
        Stack s = cfn.client.describeStacks(b -> b.stackName("CliStack")).stacks().get(0);
        assertEquals("CREATE_COMPLETE", s.stackStatusAsString());
        String function = cfn.outputs(s).get("FnName");
        try (LambdaClient lambda = LambdaFixtures.lambda(cloud.endpoint())) {
            assertEquals("\"one\"", lambda.invoke(b -> b.functionName(function)).payload().asUtf8String());

            writeAssembly("two");
            Result hotswapped = cdk("deploy", "--hotswap", "--require-approval", "never", "CliStack");
            assertEquals(0, hotswapped.exit(), hotswapped.output());
            assertTrue(hotswapped.output().contains("hotswapped!"), hotswapped.output());
            assertEquals("\"two\"", lambda.invoke(b -> b.functionName(function)).payload().asUtf8String());
            assertEquals(1, cfn.client.listChangeSets(b -> b.stackName("CliStack")).summaries().size(),
                    "the hotswap made no change set");
        }

        Result destroyed = cdk("destroy", "--force", "CliStack");
        assertEquals(0, destroyed.exit(), destroyed.output());
        assertTrue(cfn.client.listStacks().stackSummaries().stream()
                .anyMatch(x -> x.stackId().equals(s.stackId()) && x.stackStatusAsString().equals("DELETE_COMPLETE")));
        cfn.client.close();
    }

    private static void writeAssembly(String version) throws Exception {
        Path out = app.resolve("cdk.out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("manifest.json"), MANIFEST);
        Files.writeString(out.resolve("CliStack.template.json"), TEMPLATE.replace("VERSION", version));
    }

    private static Result cdk(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(cdk.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--app", "cdk.out", "--no-notices", "--no-version-reporting"));
        ProcessBuilder pb = new ProcessBuilder(command).directory(app.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL", cloud.endpoint().toString());
        env.put("AWS_CONFIG_FILE", app.resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", app.resolve("no-credentials").toString());
        env.put("CDK_DISABLE_VERSION_CHECK", "1");
        env.put("CDK_DISABLE_CLI_TELEMETRY", "true");
        env.put("CI", "true");
        env.remove("AWS_PROFILE");
        Path log = Files.createTempFile(app, "cdk", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(150, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in 150 s: " + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
