package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
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

/**
 * Clients nobody here wrote: the AWS CLI ({@code /usr/bin/aws} v2 when present, else {@code aws} on
 * the PATH) and boto3, run as child processes against local-cloud with test/test credentials.
 */
@Execution(ExecutionMode.CONCURRENT)
class RealClientsIT {
    @TempDir
    static Path state;
    @TempDir
    static Path work;
    static LocalCloud cloud;
    static String aws;

    record Result(int exit, String out, String err) {
    }

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

    @BeforeAll
    static void start() throws Exception {
        cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0));
        aws = Files.isExecutable(Path.of("/usr/bin/aws")) ? "/usr/bin/aws" : "aws";
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @Test
    void awsCliDeploysWaitsAndDescribesEvents() throws Exception {
        Assumptions.assumeTrue(run(List.of(aws, "--version")).exit() == 0, "the AWS CLI is not installed");
        Path template = work.resolve("stack.yaml");
        Files.writeString(template, TEMPLATE);
        Result deployed = cli("cloudformation", "deploy", "--template-file", template.toString(), "--stack-name", "cli-stack",
                "--parameter-overrides", "Stage=prod", "--capabilities", "CAPABILITY_IAM");
        assertEquals(0, deployed.exit(), deployed.toString());
        assertTrue(deployed.out().contains("Successfully created/updated stack - cli-stack"), deployed.toString());

        Result waited = cli("cloudformation", "wait", "stack-create-complete", "--stack-name", "cli-stack");
        assertEquals(0, waited.exit(), waited.toString());

        Result again = cli("cloudformation", "deploy", "--template-file", template.toString(), "--stack-name", "cli-stack",
                "--parameter-overrides", "Stage=prod", "--capabilities", "CAPABILITY_IAM", "--no-fail-on-empty-changeset");
        assertEquals(0, again.exit(), again.toString());
        assertTrue(again.out().contains("No changes to deploy. Stack cli-stack is up to date"), again.toString());

        Result events = cli("cloudformation", "describe-stack-events", "--stack-name", "cli-stack", "--output", "json");
        assertEquals(0, events.exit(), events.toString());
        JsonNode list = new ObjectMapper().readTree(events.out()).get("StackEvents");
        assertEquals("CREATE_COMPLETE", list.get(0).get("ResourceStatus").asText());
        assertEquals("cli-stack", list.get(0).get("LogicalResourceId").asText());

        Result outputs = cli("cloudformation", "describe-stacks", "--stack-name", "cli-stack", "--output", "json",
                "--query", "Stacks[0].Outputs[0].OutputValue");
        assertEquals("\"arn:aws:sqs:us-east-1:000000000000:jobs-prod\"", outputs.out().trim(), outputs.toString());

        Result missing = cli("cloudformation", "describe-stacks", "--stack-name", "not-there");
        assertEquals(254 == missing.exit() ? 254 : 255, missing.exit(), missing.toString());
        assertTrue(missing.err().contains("Stack with id not-there does not exist"), missing.toString());
    }

    @Test
    void boto3DrivesStsSsmS3AndCloudFormation() throws Exception {
        Assumptions.assumeTrue(run(List.of("python3", "-c", "import boto3")).exit() == 0, "boto3 is not installed");
        Path script = work.resolve("boto3_checks.py");
        try (InputStream in = RealClientsIT.class.getResourceAsStream("/clients/boto3_checks.py")) {
            Files.write(script, in.readAllBytes());
        }
        Result r = run(List.of("python3", script.toString(), cloud.endpoint().toString()));
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("sts ok", "ssm ok", "s3 ok", "cloudformation ok"), r.out().lines().toList());
    }

    private static Result cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(aws);
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", cloud.endpoint().toString()));
        return run(command);
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_PAGER", "");
        env.put("AWS_CONFIG_FILE", work.resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", work.resolve("no-credentials").toString());
        env.remove("AWS_PROFILE");
        env.remove("AWS_SESSION_TOKEN");
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(127, "", e.getMessage());
        }
        if (!p.waitFor(150, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in 150 s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
