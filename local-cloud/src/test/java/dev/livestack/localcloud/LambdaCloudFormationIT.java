package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestack.inlinepackager.LambdaZip;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionCode;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.s3.S3Client;

/** The AWS::Lambda::* and AWS::Logs::LogGroup resources through CloudFormation, and code from local-cloud's S3. */
class LambdaCloudFormationIT {
    @RegisterExtension
    static final LocalCloudFixture cloud = new LocalCloudFixture();
    static Cfn cfn;
    static LambdaClient lambda;
    static CloudWatchLogsClient logs;

    @BeforeAll
    static void start() throws Exception {
        cfn = new Cfn(cloud.closeAfter(Sdk.cloudFormation(cloud.endpoint())));
        lambda = cloud.closeAfter(LambdaFixtures.lambda(cloud.endpoint()));
        logs = cloud.closeAfter(LambdaFixtures.logs(cloud.endpoint()));
    }

    static String template(String runtime, String source) {
        String code = source.replace("\\", "\\\\").replace("\"", "\\\"");
        return """
                {"Resources": {
                  "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}},
                  "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 7}},
                  "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "%s", "Handler": "index.handler",
                    "Role": {"Fn::GetAtt": ["Role", "Arn"]}, "Code": {"ZipFile": "%s"},
                    "Environment": {"Variables": {"STAGE": "dev"}},
                    "LoggingConfig": {"LogFormat": "Text", "LogGroup": {"Ref": "Logs"}}}},
                  "Ver": {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": "Fn"}}},
                  "Live": {"Type": "AWS::Lambda::Alias", "Properties": {"FunctionName": {"Ref": "Fn"},
                    "FunctionVersion": {"Fn::GetAtt": ["Ver", "Version"]}, "Name": "live"}}
                 },
                 "Outputs": {
                  "Name": {"Value": {"Ref": "Fn"}}, "Arn": {"Value": {"Fn::GetAtt": ["Fn", "Arn"]}},
                  "Group": {"Value": {"Ref": "Logs"}}, "GroupArn": {"Value": {"Fn::GetAtt": ["Logs", "Arn"]}},
                  "Alias": {"Value": {"Ref": "Live"}}
                 }}
                """.formatted(runtime, code);
    }

    @Test
    void inlineFunctionDeploysRunsAndMatchesAHotswappedZip() {
        String v1 = "exports.handler = async () => { console.log('from cfn'); return process.env.STAGE + ' v1'; };";
        Stack s = cfn.deploy("fnstack", template("nodejs20.x", v1));
        assertEquals("CREATE_COMPLETE", s.stackStatusAsString());
        Map<String, String> out = cfn.outputs(s);
        String name = out.get("Name");
        assertTrue(name.matches("fnstack-Fn-[A-Z0-9]{12}"), name);
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:" + name, out.get("Arn"));
        assertEquals(out.get("Arn") + ":live", out.get("Alias"));
        String group = out.get("Group");
        assertTrue(group.matches("fnstack-Logs-[A-Z0-9]{12}"), group);
        assertEquals("arn:aws:logs:us-east-1:000000000000:log-group:" + group + ":*", out.get("GroupArn"));

        var config = lambda.getFunctionConfiguration(b -> b.functionName(name));
        assertEquals("Active", config.stateAsString());
        assertEquals("Successful", config.lastUpdateStatusAsString());
        assertEquals(LambdaZip.codeSha256(LambdaZip.forInline("nodejs20.x", v1)), config.codeSha256());
        assertEquals("\"dev v1\"", lambda.invoke(b -> b.functionName(name)).payload().asUtf8String());
        assertEquals("1", lambda.invoke(b -> b.functionName(name).qualifier("live")).executedVersion());
        assertTrue(LambdaFixtures.messages(logs, group).stream().anyMatch(l -> l.endsWith("\tINFO\tfrom cfn")),
                "LoggingConfig.LogGroup receives the output");
        assertEquals(7, logs.describeLogGroups(b -> b.logGroupNamePrefix(group)).logGroups().get(0).retentionInDays());

        // a hot-swap of the same source and a deploy of it give the same CodeSha256
        String v2 = "exports.handler = async () => process.env.STAGE + ' v2';";
        lambda.updateFunctionCode(b -> b.functionName(name).zipFile(SdkBytes.fromByteArray(LambdaZip.forInline("nodejs20.x", v2))));
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName(name));
        String swapped = lambda.getFunctionConfiguration(b -> b.functionName(name)).codeSha256();
        Stack updated = cfn.deploy("fnstack", template("nodejs20.x", v2));
        assertEquals("UPDATE_COMPLETE", updated.stackStatusAsString());
        assertEquals(swapped, lambda.getFunctionConfiguration(b -> b.functionName(name)).codeSha256());
        assertEquals("\"dev v2\"", lambda.invoke(b -> b.functionName(name)).payload().asUtf8String());

        String stackId = updated.stackId();
        cfn.client.deleteStack(b -> b.stackName("fnstack"));
        long deadline = System.currentTimeMillis() + 30_000;
        while (!cfn.client.describeStacks(b -> b.stackName(stackId)).stacks().get(0).stackStatusAsString().equals("DELETE_COMPLETE")) {
            assertTrue(System.currentTimeMillis() < deadline, "stack deleted in time");
            Cfn.sleep(20);
        }
        assertThrows(ResourceNotFoundException.class, () -> lambda.getFunction(b -> b.functionName(name)));
        assertTrue(logs.describeLogGroups(b -> b.logGroupNamePrefix(group)).logGroups().isEmpty());
    }

    @Test
    void aDeployRightAfterAHotswapWaitsForTheFunctionToSettle() throws Exception {
        String v1 = "exports.handler = async () => process.env.STAGE;";
        String name = cfn.outputs(cfn.deploy("settle", template("nodejs20.x", v1))).get("Name");
        // long enough that the change set surely reaches the function while its update is in progress
        LambdaFixtures.settings(cloud.get(), "{\"updateDelayMillis\": 3000}");
        try {
            lambda.updateFunctionCode(b -> b.functionName(name).zipFile(SdkBytes.fromByteArray(
                    LambdaZip.forInline("nodejs20.x", "exports.handler = async () => 'swapped ' + process.env.STAGE;"))));
            // CloudFormation's handler waits out the update in progress instead of failing on the 409
            Stack s = cfn.deploy("settle", template("nodejs20.x", v1).replace("\"dev\"", "\"prod\""));
            assertEquals("UPDATE_COMPLETE", s.stackStatusAsString());
        } finally {
            LambdaFixtures.settings(cloud.get(), "{\"updateDelayMillis\": 100}");
        }
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName(name));
        // the template's code did not change, so the hot-swapped code stays (drift, as on CloudFormation); the new env applies
        assertEquals("\"swapped prod\"", lambda.invoke(b -> b.functionName(name)).payload().asUtf8String());
    }

    @Test
    void unknownRuntimeFailsTheResourceAsCloudFormationReportsIt() {
        Stack s = cfn.deploy("badruntime", template("nodejs99.x", "exports.handler = async () => 1;"));
        assertEquals("ROLLBACK_COMPLETE", s.stackStatusAsString());
        List<StackEvent> events = cfn.events("badruntime");
        StackEvent failed = events.stream().filter(e -> "Fn".equals(e.logicalResourceId())
                && "CREATE_FAILED".equals(e.resourceStatusAsString())).findFirst().orElseThrow();
        // Lambda's own wording for an unknown runtime, as recorded against AWS (see docs/parity.md)
        assertTrue(failed.resourceStatusReason().startsWith("Resource handler returned message: \"Value nodejs99.x at 'runtime' "
                + "failed to satisfy constraint: Member must satisfy enum value set: ["),
                failed.resourceStatusReason());
        assertTrue(failed.resourceStatusReason().contains("HandlerErrorCode: InvalidRequest)"), failed.resourceStatusReason());
    }

    @Test
    void java8IsBlockedForCreateAsLambdaBlocksItSinceFebruary2024() {
        // java8 (Amazon Linux 1): deprecated 2024-01-08, create blocked 2024-02-08, update blocked 2024-03-12
        String blocked = "The runtime parameter of java8 is no longer supported for creating or updating AWS Lambda functions. "
                + "We recommend you use a supported runtime while creating or updating functions.";
        InvalidParameterValueException direct = assertThrows(InvalidParameterValueException.class, () -> lambda.createFunction(b -> b
                .functionName("java8fn").runtime("java8").role(LambdaFixtures.ROLE).handler("example.Handler::handleRequest")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(LambdaZip.forInline("python3.12", "x = 1\n"))))));
        assertEquals(400, direct.statusCode());
        assertEquals(blocked, direct.awsErrorDetails().errorMessage());
        // what real-apps/api-cors-lambda-crud-dynamodb meets: its functions are java8, so the stack rolls back
        try (S3Client s3 = Sdk.s3(cloud.endpoint())) {
            s3.createBucket(b -> b.bucket("java8code"));
            s3.putObject(b -> b.bucket("java8code").key("fn.jar"), RequestBody.fromBytes(LambdaZip.forInline("python3.12", "x = 1\n")));
        }
        Stack s = cfn.deploy("java8runtime", template("java8", "x").replace("{\"ZipFile\": \"x\"}",
                "{\"S3Bucket\": \"java8code\", \"S3Key\": \"fn.jar\"}"));
        assertEquals("ROLLBACK_COMPLETE", s.stackStatusAsString());
        StackEvent failed = cfn.events("java8runtime").stream().filter(e -> "Fn".equals(e.logicalResourceId())
                && "CREATE_FAILED".equals(e.resourceStatusAsString())).findFirst().orElseThrow();
        assertTrue(failed.resourceStatusReason().startsWith("Resource handler returned message: \"" + blocked), failed.resourceStatusReason());
        assertTrue(failed.resourceStatusReason().contains("HandlerErrorCode: InvalidRequest)"), failed.resourceStatusReason());
        // java8.al2 (Amazon Linux 2) is another runtime: still created
        lambda.createFunction(b -> b.functionName("java8al2fn").runtime("java8.al2").role(LambdaFixtures.ROLE)
                .handler("example.Handler::handleRequest")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(LambdaZip.forInline("python3.12", "x = 1\n")))));
        assertEquals("java8.al2", lambda.getFunctionConfiguration(b -> b.functionName("java8al2fn")).runtimeAsString());
    }

    @Test
    void codeFromLocalCloudsS3() {
        byte[] zip = LambdaZip.forInline("python3.12", "def handler(e, c):\n    return 'from s3'\n");
        try (S3Client s3 = Sdk.s3(cloud.endpoint())) {
            s3.createBucket(b -> b.bucket("code"));
            s3.putObject(b -> b.bucket("code").key("fn.zip"), RequestBody.fromBytes(zip));
        }
        lambda.createFunction(b -> b.functionName("s3fn").runtime(Runtime.PYTHON3_12).role(LambdaFixtures.ROLE)
                .handler("index.handler").code(FunctionCode.builder().s3Bucket("code").s3Key("fn.zip").build()));
        lambda.waiter().waitUntilFunctionActiveV2(b -> b.functionName("s3fn"));
        assertEquals(LambdaZip.codeSha256(zip), lambda.getFunctionConfiguration(b -> b.functionName("s3fn")).codeSha256());
        assertEquals("\"from s3\"", lambda.invoke(b -> b.functionName("s3fn")).payload().asUtf8String());
        InvalidParameterValueException missing = assertThrows(InvalidParameterValueException.class, () -> lambda.updateFunctionCode(b -> b
                .functionName("s3fn").s3Bucket("code").s3Key("missing.zip")));
        assertEquals("Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.",
                missing.awsErrorDetails().errorMessage());
    }
}
