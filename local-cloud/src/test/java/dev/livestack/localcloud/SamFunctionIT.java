package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.TemplateStage;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;

/**
 * The SAM transform's {@code AWS::Serverless::Function} (Globals, InlineCode, a generated role with managed and inline
 * policies, AutoPublishAlias, SQS / Schedule / EventBridgeRule events) and {@code AWS::Serverless::SimpleTable},
 * deployed through a change set with the SDK v2: the processed template against SAM's generation rules (the version's
 * logical id checked against Python's own json.dumps and SHA-1), the running function, and SAM's errors.
 */
class SamFunctionIT {
    @RegisterExtension
    static final LocalCloudFixture cloud = new LocalCloudFixture();
    @TempDir
    static Path work;
    static final ObjectMapper JSON = new ObjectMapper();
    static Cfn cfn;
    static LambdaClient lambda;
    static DynamoDbClient dynamo;

    static final String CODE = """
            import os
            def handler(event, context):
                return os.environ["STAGE"] + ":" + os.environ["TABLE"]
            """;

    static final String TEMPLATE = """
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function:
                Runtime: python3.12
                Timeout: 10
                Environment: {Variables: {STAGE: test}}
                Tags: {team: blue}
            Resources:
              Queue: {Type: AWS::SQS::Queue}
              Table:
                Type: AWS::Serverless::SimpleTable
                Properties: {PrimaryKey: {Name: pk, Type: Number}, Tags: {app: sam}}
              Worker:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: index.handler
                  InlineCode: |
            %s
                  MemorySize: 256
                  Environment: {Variables: {TABLE: !Ref Table}}
                  Policies:
                    - AmazonDynamoDBReadOnlyAccess
                    - Statement: [{Effect: Allow, Action: "dynamodb:PutItem", Resource: !GetAtt Table.Arn}]
                  AutoPublishAlias: live
                  Events:
                    Jobs: {Type: SQS, Properties: {Queue: !GetAtt Queue.Arn, BatchSize: 5}}
                    Nightly: {Type: Schedule, Properties: {Schedule: rate(1 day), Enabled: false}}
                    Changes: {Type: EventBridgeRule, Properties: {Pattern: {source: [app.orders]}}}
              Layer:
                Type: AWS::Serverless::LayerVersion
                Properties: {ContentUri: s3://layers/deps.zip, CompatibleRuntimes: [python3.12], RetentionPolicy: delete}
              Plain:
                Type: AWS::Serverless::Function
                Properties:
                  Layers: [!Ref Layer]
                  Handler: index.handler
                  InlineCode: "def handler(e, c):\\n    return 'plain'\\n"
                  Role: !GetAtt WorkerRole.Arn
            Outputs:
              WorkerName: {Value: !Ref Worker}
              LayerArn: {Value: !Ref Layer}
              AliasArn: {Value: !Ref Worker.Alias}
              VersionArn: {Value: !Ref Worker.Version}
            """.formatted(CODE.indent(8).stripTrailing());

    @BeforeAll
    static void start() {
        cfn = new Cfn(cloud.closeAfter(Sdk.cloudFormation(cloud.endpoint())));
        lambda = cloud.closeAfter(LambdaFixtures.lambda(cloud.endpoint()));
        dynamo = cloud.closeAfter(DynamoDbIT.client(cloud.endpoint()));
    }

    private static DescribeChangeSetResponse settled(String stack, String body) {
        String id = cfn.client.createChangeSet(b -> b.stackName(stack).changeSetName("cs").changeSetType(ChangeSetType.CREATE)
                .templateBody(body).capabilities(Capability.CAPABILITY_IAM)).id();
        for (int i = 0; i < 400; i++) {
            DescribeChangeSetResponse d = cfn.client.describeChangeSet(b -> b.changeSetName(id));
            if (!d.statusAsString().endsWith("_PENDING") && !d.statusAsString().endsWith("_IN_PROGRESS")) {
                return d;
            }
            Cfn.sleep(20);
        }
        throw new AssertionError("change set never settled");
    }

    /** SAM's version id: SHA-1 of Python's json.dumps(sort_keys=True, compact), computed by Python itself. */
    static String pythonVersionHash(JsonNode data) throws Exception {
        ClientProcess.Result r = ClientProcess.run(work, List.of("python3", "-c",
                "import json,hashlib,sys; d=json.loads(sys.argv[1]); "
                        + "print(hashlib.sha1(json.dumps(d, separators=(',', ':'), sort_keys=True).encode()).hexdigest()[:10])",
                JSON.writeValueAsString(data)));
        assertEquals(0, r.exit(), r.err());
        return r.out().trim();
    }

    @Test
    void functionsEventsAndASimpleTableExpandAsSamGeneratesThemAndRun() throws Exception {
        DescribeChangeSetResponse cs = settled("sam-fn", TEMPLATE);
        assertEquals("CREATE_COMPLETE", cs.statusAsString(), cs.statusReason());
        cfn.client.executeChangeSet(b -> b.changeSetName(cs.changeSetId()));
        Stack stack = cfn.awaitSettled("sam-fn");
        assertEquals("CREATE_COMPLETE", stack.stackStatusAsString(), stack.stackStatusReason());

        JsonNode processed = JSON.readTree(cfn.client.getTemplate(b -> b.stackName("sam-fn")
                .templateStage(TemplateStage.PROCESSED)).templateBody());
        JsonNode res = processed.get("Resources");
        JsonNode worker = res.get("Worker").get("Properties");
        JsonNode hashed = JSON.createObjectNode().put("ZipFile", worker.get("Code").get("ZipFile").asText())
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("Variables", worker.get("Environment").get("Variables"))
                .put("MemorySize", 256);
        String versionId = "WorkerVersion" + pythonVersionHash(hashed);
        String layerId = "Layer" + pythonVersionHash(JSON.readTree("{\"Layer\": {\"Type\": \"AWS::Serverless::LayerVersion\", "
                + "\"Properties\": {\"ContentUri\": \"s3://layers/deps.zip\", \"CompatibleRuntimes\": [\"python3.12\"], "
                + "\"RetentionPolicy\": \"delete\"}}}"));
        assertEquals("Delete", res.get(layerId).get("DeletionPolicy").asText());
        assertEquals("{\"LayerName\":\"Layer\",\"CompatibleRuntimes\":[\"python3.12\"],\"Content\":{\"S3Bucket\":\"layers\","
                + "\"S3Key\":\"deps.zip\"}}", res.get(layerId).get("Properties").toString());
        assertEquals("[{\"Ref\":\"" + layerId + "\"}]", res.get("Plain").get("Properties").get("Layers").toString());
        assertEquals("arn:aws:lambda:us-east-1:000000000000:layer:Layer:1", cfn.outputs(stack).get("LayerArn"));
        List<String> ids = new ArrayList<>();
        res.fieldNames().forEachRemaining(ids::add);
        ids.sort(null);
        assertEquals(List.of(layerId, "Plain", "Queue", "Table", "Worker", "WorkerAliaslive", "WorkerChanges",
                "WorkerChangesPermission", "WorkerJobs", "WorkerNightly", "WorkerNightlyPermission", "WorkerRole",
                versionId).stream().sorted().toList(), ids);
        assertEquals("AWS::Lambda::Function", res.get("Worker").get("Type").asText());
        assertEquals("python3.12", worker.get("Runtime").asText());
        assertEquals(10, worker.get("Timeout").asInt());
        assertEquals("{\"STAGE\":\"test\",\"TABLE\":{\"Ref\":\"Table\"}}", worker.get("Environment").get("Variables").toString());
        assertEquals("[{\"Key\":\"lambda:createdBy\",\"Value\":\"SAM\"},{\"Key\":\"team\",\"Value\":\"blue\"}]",
                worker.get("Tags").toString());
        assertEquals("{\"Fn::GetAtt\":[\"WorkerRole\",\"Arn\"]}", worker.get("Role").toString());
        JsonNode role = res.get("WorkerRole").get("Properties");
        assertEquals("[{\"Fn::Sub\":\"arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\"},"
                + "\"arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess\","
                + "{\"Fn::Sub\":\"arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole\"}]",
                role.get("ManagedPolicyArns").toString());
        assertEquals("WorkerRolePolicy1", role.get("Policies").get(0).get("PolicyName").asText());
        assertEquals("Retain", res.get(versionId).get("DeletionPolicy").asText());
        assertEquals("{\"Fn::GetAtt\":[\"" + versionId + "\",\"Version\"]}",
                res.get("WorkerAliaslive").get("Properties").get("FunctionVersion").toString());
        JsonNode nightly = res.get("WorkerNightly").get("Properties");
        assertEquals("DISABLED", nightly.get("State").asText());
        assertEquals("rate(1 day)", nightly.get("ScheduleExpression").asText());
        assertEquals("{\"Arn\":{\"Ref\":\"WorkerAliaslive\"},\"Id\":\"WorkerNightlyLambdaTarget\"}",
                nightly.get("Targets").get(0).toString());
        assertEquals("{\"source\":[\"app.orders\"]}", res.get("WorkerChanges").get("Properties").get("EventPattern").toString());
        assertEquals("events.amazonaws.com", res.get("WorkerChangesPermission").get("Properties").get("Principal").asText());
        assertEquals("{\"Ref\":\"WorkerAliaslive\"}", res.get("WorkerJobs").get("Properties").get("FunctionName").toString());
        assertEquals(5, res.get("WorkerJobs").get("Properties").get("BatchSize").asInt());
        assertEquals("AWS::DynamoDB::Table", res.get("Table").get("Type").asText());

        String name = cfn.outputs(stack).get("WorkerName");
        FunctionConfiguration fn = lambda.getFunction(b -> b.functionName(name)).configuration();
        assertEquals(fn.functionArn() + ":live", cfn.outputs(stack).get("AliasArn"));
        assertEquals(fn.functionArn() + ":1", cfn.outputs(stack).get("VersionArn"));
        assertEquals(256, fn.memorySize());
        assertEquals("1", lambda.getAlias(b -> b.functionName(name).name("live")).functionVersion());
        String tableName = cfn.client.describeStackResource(b -> b.stackName("sam-fn").logicalResourceId("Table"))
                .stackResourceDetail().physicalResourceId();
        assertEquals("\"test:" + tableName + "\"", lambda.invoke(b -> b.functionName(name).qualifier("live"))
                .payload().asUtf8String());
        TableDescription table = dynamo.describeTable(b -> b.tableName(tableName)).table();
        assertEquals("pk", table.keySchema().get(0).attributeName());
        assertEquals("N", table.attributeDefinitions().get(0).attributeTypeAsString());
        assertEquals("PAY_PER_REQUEST", table.billingModeSummary().billingModeAsString());
        assertEquals(1, lambda.listEventSourceMappings(b -> b.functionName(name + ":live")).eventSourceMappings().size());

        // new code: a new version resource (the old one retained), the alias moved to it, through an UPDATE change set
        String updated = TEMPLATE.replace("return os.environ[\"STAGE\"]", "return \"v2 \" + os.environ[\"STAGE\"]");
        String update = cfn.client.createChangeSet(b -> b.stackName("sam-fn").changeSetName("cs2")
                .changeSetType(ChangeSetType.UPDATE).templateBody(updated).capabilities(Capability.CAPABILITY_IAM)).id();
        DescribeChangeSetResponse second = settledId(update);
        assertEquals("CREATE_COMPLETE", second.statusAsString(), second.statusReason());
        cfn.client.executeChangeSet(b -> b.changeSetName(update));
        Stack after = cfn.awaitSettled("sam-fn");
        assertEquals("UPDATE_COMPLETE", after.stackStatusAsString(), after.stackStatusReason());
        JsonNode next = JSON.readTree(cfn.client.getTemplate(b -> b.stackName("sam-fn")
                .templateStage(TemplateStage.PROCESSED)).templateBody()).get("Resources");
        assertTrue(!next.has(versionId) && next.fieldNames().hasNext());
        assertEquals("2", lambda.getAlias(b -> b.functionName(name).name("live")).functionVersion());
        assertEquals("\"v2 test:" + tableName + "\"", lambda.invoke(b -> b.functionName(name).qualifier("live"))
                .payload().asUtf8String());
        assertEquals(updated, cfn.client.getTemplate(b -> b.stackName("sam-fn")).templateBody());
        // the retained version 1 is still there
        assertEquals("1", lambda.getFunction(b -> b.functionName(name).qualifier("1")).configuration().version());
    }

    private static DescribeChangeSetResponse settledId(String id) {
        for (int i = 0; i < 400; i++) {
            DescribeChangeSetResponse d = cfn.client.describeChangeSet(b -> b.changeSetName(id));
            if (!d.statusAsString().endsWith("_PENDING") && !d.statusAsString().endsWith("_IN_PROGRESS")) {
                return d;
            }
            Cfn.sleep(20);
        }
        throw new AssertionError("change set never settled");
    }

    @Test
    void unsupportedEventsAndBadPropertiesFailWithSamsErrors() {
        String body = """
                Transform: AWS::Serverless-2016-10-31
                Resources:
                  Api:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: index.handler
                      Runtime: python3.12
                      CodeUri: not-an-s3-uri
                  Getter:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: index.handler
                      Runtime: python3.12
                      InlineCode: "x = 1"
                      Events:
                        Get: {Type: Api, Properties: {Path: /, Method: get}}
                  Table:
                    Type: AWS::Serverless::SimpleTable
                    Properties: {PrimaryKey: {Name: id, Type: Text}}
                  Canary:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: index.handler
                      Runtime: python3.12
                      InlineCode: "x = 1"
                      DeploymentPreference: {Type: Canary10Percent5Minutes}
                """;
        DescribeChangeSetResponse cs = settled("sam-bad", body);
        assertEquals("FAILED", cs.statusAsString());
        assertEquals("Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification "
                + "document. Number of errors found: 4. Resource with id [Api] is invalid. 'CodeUri' is not a valid S3 Uri "
                + "of the form 's3://bucket/key' with optional versionId query parameter. Resource with id [Getter] is "
                + "invalid. Event with id [Get] is invalid. Event type 'Api' is not expanded by local-cloud's SAM "
                + "transform (it expands SQS, Schedule, CloudWatchEvent and EventBridgeRule). Resource with id [Table] "
                + "is invalid. Invalid 'Type' \"Text\". Resource with id [Canary] is invalid. Property 'DeploymentPreference' "
                + "is not expanded by local-cloud's SAM transform.", cs.statusReason());
    }
}
