package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Clients nobody here wrote: the AWS CLI ({@code /usr/bin/aws} v2 when present, else {@code aws} on
 * the PATH), boto3, and the CDK CLI ({@code tools/node_modules/.bin/cdk}), run as child processes
 * against local-cloud with test/test credentials. The CDK flow deploys a cloud assembly written the
 * way a LegacyStackSynthesizer app synthesises it (no bootstrap stack, the template inline), so no
 * aws-cdk-lib is needed.
 */
class RealClientsIT {
    @TempDir
    static Path state;
    @TempDir
    static Path work;
    @TempDir
    static Path app;
    static LocalCloud cloud;
    static String aws;
    static Path cdk;

    static final String TEMPLATE = """
            AWSTemplateFormatVersion: '2010-09-09'
            Parameters:
              Stage:
                Type: String
                Default: dev
            Resources:
              Jobs:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName: !Sub 'jobs-${Stage}'
              Runner:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument:
                    Statement:
                      - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: 'sts:AssumeRole'}
            Outputs:
              QueueArn:
                Value: !GetAtt Jobs.Arn
            """;

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

    static final String CDK_TEMPLATE = """
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

    @BeforeAll
    static void start() throws Exception {
        cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0));
        aws = Files.isExecutable(Path.of("/usr/bin/aws")) ? "/usr/bin/aws" : "aws";
        cdk = CdkCli.binary();
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    /**
     * Both CLIs poll with fixed intervals (the AWS CLI's deploy waits 5 s and 30 s between polls), so
     * their flows run side by side, each against its own stack.
     */
    @Test
    void awsCliAndCdkCliDeployDescribeHotswapAndDestroy() throws Exception {
        Assumptions.assumeTrue(run(List.of(aws, "--version")).exit() == 0, "the AWS CLI is not installed");
        Assumptions.assumeTrue(Files.isExecutable(cdk), "the CDK CLI is not installed in tools/");
        CompletableFuture<Void> cdkRun = CompletableFuture.runAsync(() -> {
            try {
                cdkFlow();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        awsCliFlow();
        try {
            cdkRun.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof AssertionError a) {
                throw a;
            }
            throw e;
        }
    }

    /** aws cloudformation deploy (create, then no changes), wait, describe-stack-events, describe-stacks. */
    private static void awsCliFlow() throws Exception {
        Path template = work.resolve("stack.yaml");
        Files.writeString(template, TEMPLATE);
        ClientProcess.Result deployed = cli("cloudformation", "deploy", "--template-file", template.toString(), "--stack-name", "cli-stack",
                "--parameter-overrides", "Stage=prod", "--capabilities", "CAPABILITY_IAM");
        assertEquals(0, deployed.exit(), deployed.toString());
        assertTrue(deployed.out().contains("Successfully created/updated stack - cli-stack"), deployed.toString());

        ClientProcess.Result waited = cli("cloudformation", "wait", "stack-create-complete", "--stack-name", "cli-stack");
        assertEquals(0, waited.exit(), waited.toString());

        ClientProcess.Result again = cli("cloudformation", "deploy", "--template-file", template.toString(), "--stack-name", "cli-stack",
                "--parameter-overrides", "Stage=prod", "--capabilities", "CAPABILITY_IAM", "--no-fail-on-empty-changeset");
        assertEquals(0, again.exit(), again.toString());
        assertTrue(again.out().contains("No changes to deploy. Stack cli-stack is up to date"), again.toString());

        ClientProcess.Result events = cli("cloudformation", "describe-stack-events", "--stack-name", "cli-stack", "--output", "json");
        assertEquals(0, events.exit(), events.toString());
        JsonNode list = new ObjectMapper().readTree(events.out()).get("StackEvents");
        assertEquals("CREATE_COMPLETE", list.get(0).get("ResourceStatus").asText());
        assertEquals("cli-stack", list.get(0).get("LogicalResourceId").asText());

        ClientProcess.Result outputs = cli("cloudformation", "describe-stacks", "--stack-name", "cli-stack", "--output", "json",
                "--query", "Stacks[0].Outputs[0].OutputValue");
        assertEquals("\"arn:aws:sqs:us-east-1:000000000000:jobs-prod\"", outputs.out().trim(), outputs.toString());

        ClientProcess.Result missing = cli("cloudformation", "describe-stacks", "--stack-name", "not-there");
        assertTrue(missing.exit() == 254 || missing.exit() == 255, "v2 exits 254 on a service error, v1 255: " + missing);
        assertTrue(missing.err().contains("Stack with id not-there does not exist"), missing.toString());
    }

    @Test
    void boto3DrivesStsSsmS3CloudFormationAndGetsParseableErrorsFromUnservedServices() throws Exception {
        // The image's Python first; Debian's python3-boto3 is what .ci/run installs when that one lacks it.
        String python = run(List.of("python3", "-c", "import boto3")).exit() == 0 ? "python3" : "/usr/bin/python3";
        Assumptions.assumeTrue(run(List.of(python, "-c", "import boto3")).exit() == 0, "boto3 is not installed");
        Path script = work.resolve("boto3_checks.py");
        try (InputStream in = RealClientsIT.class.getResourceAsStream("/clients/boto3_checks.py")) {
            Files.write(script, in.readAllBytes());
        }
        ClientProcess.Result r = run(List.of(python, script.toString(), cloud.endpoint().toString()));
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("sts ok", "ssm ok", "s3 ok", "cloudformation ok", "unserved services ok"), r.out().lines().toList());
    }

    /** cdk deploy, cdk deploy --hotswap, cdk destroy; the CDK CLI polls every few seconds. */
    private static void cdkFlow() throws Exception {
        writeAssembly("one");
        ClientProcess.Result deployed = cdkCli("deploy", "--require-approval", "never", "CliStack");
        assertEquals(0, deployed.exit(), deployed.out());
        assertTrue(deployed.out().contains("CliStack.FnName = CliStack-Fn-"), deployed.out());

        Cfn cfn = new Cfn(Sdk.cloudFormation(cloud.endpoint()));
        Stack s = cfn.client.describeStacks(b -> b.stackName("CliStack")).stacks().get(0);
        assertEquals("CREATE_COMPLETE", s.stackStatusAsString());
        String function = cfn.outputs(s).get("FnName");
        try (LambdaClient lambda = LambdaFixtures.lambda(cloud.endpoint())) {
            assertEquals("\"one\"", lambda.invoke(b -> b.functionName(function)).payload().asUtf8String());

            writeAssembly("two");
            ClientProcess.Result hotswapped = cdkCli("deploy", "--hotswap", "--require-approval", "never", "CliStack");
            assertEquals(0, hotswapped.exit(), hotswapped.out());
            assertTrue(hotswapped.out().contains("hotswapped!"), hotswapped.out());
            assertEquals("\"two\"", lambda.invoke(b -> b.functionName(function)).payload().asUtf8String());
            // AWS lists only active change sets: the executed deploy's is not listed, and the hotswap made none
            assertEquals(0, cfn.client.listChangeSets(b -> b.stackName("CliStack")).summaries().size(),
                    "the hotswap made no change set");
        }

        ClientProcess.Result destroyed = cdkCli("destroy", "--force", "CliStack");
        assertEquals(0, destroyed.exit(), destroyed.out());
        assertTrue(cfn.client.listStacks().stackSummaries().stream()
                .anyMatch(x -> x.stackId().equals(s.stackId()) && x.stackStatusAsString().equals("DELETE_COMPLETE")));
        cfn.client.close();
    }

    private static void writeAssembly(String version) throws Exception {
        Path out = app.resolve("cdk.out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("manifest.json"), MANIFEST);
        Files.writeString(out.resolve("CliStack.template.json"), CDK_TEMPLATE.replace("VERSION", version));
    }

    private static ClientProcess.Result cdkCli(String... args) throws Exception {
        return CdkCli.run(app, cloud.endpoint(), args);
    }

    private static ClientProcess.Result cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(aws);
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", cloud.endpoint().toString()));
        return run(command);
    }

    private static ClientProcess.Result run(List<String> command) throws IOException, InterruptedException {
        return ClientProcess.run(work, command);
    }
}
