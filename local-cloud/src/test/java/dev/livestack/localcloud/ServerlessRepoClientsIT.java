package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Serverless Application Repository and the SAM transform through a client nobody here wrote, the AWS CLI v2.9
 * ({@code /usr/bin/aws}): publish an application and a second version, read them back, hand out a template, and
 * {@code aws cloudformation deploy} a SAM template (a change set with the transform) that nests both the published
 * application and a catalogue rotation application.
 */
class ServerlessRepoClientsIT {
    @RegisterExtension
    static final LocalCloudFixture cloud = new LocalCloudFixture();
    @TempDir
    static Path work;
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path CLI = Path.of("/usr/bin/aws");

    static final String QUEUE_APP = """
            AWSTemplateFormatVersion: '2010-09-09'
            Parameters:
              Suffix: {Type: String, Description: what the queue's name ends with}
              Retention: {Type: Number, Default: 345600}
            Resources:
              Queue:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName: !Sub "published-${Suffix}"
                  MessageRetentionPeriod: !Ref Retention
            Outputs:
              QueueName: {Value: !GetAtt Queue.QueueName}
            """;

    @BeforeAll
    static void cliIsThere() {
        Assumptions.assumeTrue(Files.isExecutable(CLI), "the AWS CLI v2 is not installed at /usr/bin/aws");
    }

    private static ClientProcess.Result aws(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(CLI.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", cloud.endpoint().toString(), "--output", "json"));
        return ClientProcess.run(work, command);
    }

    private static JsonNode ok(ClientProcess.Result r) throws Exception {
        assertEquals(0, r.exit(), r.err());
        return r.out().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.out());
    }

    @Test
    void publishReadAndDeployThroughTheCli() throws Exception {
        Path template = work.resolve("queue-app.yaml");
        Files.writeString(template, QUEUE_APP);
        JsonNode created = ok(aws("serverlessrepo", "create-application", "--name", "queue-app", "--author", "team",
                "--description", "one queue", "--semantic-version", "1.0.0", "--template-body", "file://" + template));
        String appId = created.get("ApplicationId").asText();
        assertEquals("arn:aws:serverlessrepo:us-east-1:000000000000:applications/queue-app", appId);
        assertEquals("1.0.0", created.get("Version").get("SemanticVersion").asText());
        JsonNode suffix = created.get("Version").get("ParameterDefinitions").get(0);
        assertEquals("Suffix", suffix.get("Name").asText());
        assertEquals("[\"Queue\"]", suffix.get("ReferencedByResources").toString());

        ok(aws("serverlessrepo", "create-application-version", "--application-id", appId, "--semantic-version", "1.1.0",
                "--template-body", "file://" + template, "--source-code-url", "https://example.com/queue-app"));
        var s3 = cloud.closeAfter(Sdk.s3(cloud.endpoint()));
        s3.createBucket(b -> b.bucket("sar-sources"));
        s3.putObject(b -> b.bucket("sar-sources").key("queue-app.yaml"),
                software.amazon.awssdk.core.sync.RequestBody.fromString(QUEUE_APP));
        JsonNode fromUrl = ok(aws("serverlessrepo", "create-application-version", "--application-id", appId,
                "--semantic-version", "1.2.0", "--template-url", "https://sar-sources.s3.us-east-1.amazonaws.com/queue-app.yaml"));
        assertEquals("345600", fromUrl.get("ParameterDefinitions").get(1).get("DefaultValue").asText());
        JsonNode pinned = ok(aws("serverlessrepo", "get-application", "--application-id", appId, "--semantic-version", "1.1.0"));
        assertEquals("https://example.com/queue-app", pinned.get("Version").get("SourceCodeUrl").asText());
        JsonNode got = ok(aws("serverlessrepo", "get-application", "--application-id", appId));
        assertEquals("1.2.0", got.get("Version").get("SemanticVersion").asText());
        assertEquals("one queue", got.get("Description").asText());
        JsonNode versions = ok(aws("serverlessrepo", "list-application-versions", "--application-id", appId));
        assertEquals(3, versions.get("Versions").size());
        JsonNode handed = ok(aws("serverlessrepo", "create-cloud-formation-template", "--application-id", appId,
                "--semantic-version", "1.0.0"));
        assertEquals("ACTIVE", handed.get("Status").asText());
        JsonNode again = ok(aws("serverlessrepo", "get-cloud-formation-template", "--application-id", appId,
                "--template-id", handed.get("TemplateId").asText()));
        assertEquals(handed.get("TemplateUrl").asText(), again.get("TemplateUrl").asText());
        JsonNode rotation = ok(aws("serverlessrepo", "get-application", "--application-id",
                SamApplicationIT.POSTGRES, "--semantic-version", "1.1.671"));
        assertEquals(List.of("CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"),
                JSON.convertValue(rotation.get("Version").get("RequiredCapabilities"), List.class));

        ClientProcess.Result missing = aws("serverlessrepo", "get-application", "--application-id", appId + "-nope");
        assertNotEquals(0, missing.exit());
        assertTrue(missing.err().contains("NotFoundException"), missing.err());
        assertTrue(missing.err().contains("Application with id " + appId + "-nope could not be found."), missing.err());

        Path sam = work.resolve("sam.yaml");
        Files.writeString(sam, """
                Transform: AWS::Serverless-2016-10-31
                Parameters:
                  AppId: {Type: String}
                Resources:
                  Queues:
                    Type: AWS::Serverless::Application
                    Properties:
                      Location: {ApplicationId: !Ref AppId, SemanticVersion: 1.1.0}
                      Parameters: {Suffix: cli}
                  Rotation:
                    Type: AWS::Serverless::Application
                    Properties:
                      Location: {ApplicationId: %s, SemanticVersion: 1.1.671}
                      Parameters: {endpoint: https://secretsmanager.us-east-1.amazonaws.com, functionName: cli-rotation}
                Outputs:
                  QueueName: {Value: !GetAtt Queues.Outputs.QueueName}
                  RotationArn: {Value: !GetAtt Rotation.Outputs.RotationLambdaARN}
                """.formatted(SamApplicationIT.POSTGRES));
        ClientProcess.Result deployed = aws("cloudformation", "deploy", "--template-file", sam.toString(), "--stack-name",
                "cli-sam", "--capabilities", "CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND", "--parameter-overrides", "AppId=" + appId);
        assertEquals(0, deployed.exit(), deployed.err());
        assertTrue(deployed.out().contains("Successfully created/updated stack - cli-sam"), deployed.out());
        JsonNode stack = ok(aws("cloudformation", "describe-stacks", "--stack-name", "cli-sam")).get("Stacks").get(0);
        assertEquals("CREATE_COMPLETE", stack.get("StackStatus").asText());
        List<String> outputs = new ArrayList<>();
        stack.get("Outputs").forEach(o -> outputs.add(o.get("OutputKey").asText() + "=" + o.get("OutputValue").asText()));
        outputs.sort(null);
        assertEquals(List.of("QueueName=published-cli",
                "RotationArn=arn:aws:lambda:us-east-1:000000000000:function:cli-rotation"), outputs);
        JsonNode body = ok(aws("cloudformation", "get-template", "--stack-name", "cli-sam", "--template-stage",
                "Processed")).get("TemplateBody");
        JsonNode processed = body.isTextual() ? JSON.readTree(body.asText()) : body;
        assertEquals("AWS::CloudFormation::Stack", processed.path("Resources").path("Queues").path("Type").asText());

        ClientProcess.Result noCaps = aws("cloudformation", "deploy", "--template-file", sam.toString(), "--stack-name",
                "cli-sam-2", "--capabilities", "CAPABILITY_IAM", "--parameter-overrides", "AppId=" + appId);
        assertNotEquals(0, noCaps.exit());
        assertTrue(noCaps.err().contains("Requires capabilities : [CAPABILITY_AUTO_EXPAND]"), noCaps.err());
    }
}
