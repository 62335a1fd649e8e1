package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionCode;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Functions use the AWS SDKs their runtime includes, unmodified, against this local-cloud: the AWS SDK for JavaScript
 * v3 (require and ESM import) and boto3, signed with the function's role session; a function's own bundled SDK wins.
 */
class RuntimeSdksIT {
    @RegisterExtension
    static final LocalCloudFixture CLOUD = new LocalCloudFixture();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LambdaClient lambda;
    private static CloudWatchLogsClient logs;

    @BeforeAll
    static void clients() {
        lambda = CLOUD.closeAfter(LambdaFixtures.lambda(CLOUD.endpoint()));
        logs = CLOUD.closeAfter(LambdaFixtures.logs(CLOUD.endpoint()));
        try (SsmClient ssm = Sdk.ssm(CLOUD.endpoint())) {
            ssm.putParameter(b -> b.name("/sdk-it/greeting").value("hello from ssm").type("String"));
        }
    }

    private static final String NODE_CJS = """
            const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');
            const { SSMClient, GetParameterCommand } = require('@aws-sdk/client-ssm');
            exports.handler = async () => {
              const who = await new STSClient({}).send(new GetCallerIdentityCommand({}));
              const p = await new SSMClient({}).send(new GetParameterCommand({ Name: '/sdk-it/greeting' }));
              return { arn: who.Arn, account: who.Account, value: p.Parameter.Value };
            };
            """;

    @Test
    void nodeFunctionCallsStsAndSsmThroughTheIncludedSdk() throws Exception {
        create("sdk-node", Runtime.NODEJS20_X, zip(Map.of("index.js", NODE_CJS)));
        JsonNode out = invoke("sdk-node");
        assertEquals("arn:aws:sts::000000000000:assumed-role/lambda-role/sdk-node", out.path("arn").asText(), out.toString());
        assertEquals("000000000000", out.path("account").asText());
        assertEquals("hello from ssm", out.path("value").asText());
        // the SDK's warning about the machine's node version is local-cloud's matter, not the function's log
        List<String> lines = LambdaFixtures.messages(logs, "/aws/lambda/sdk-node");
        assertFalse(lines.stream().anyMatch(l -> l.contains("NodeVersionSupportWarning")), lines.toString());
    }

    @Test
    void esmFunctionImportsTheIncludedSdk() throws Exception {
        String src = """
                import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
                export const handler = async () => {
                  const who = await new STSClient({}).send(new GetCallerIdentityCommand({}));
                  return { arn: who.Arn };
                };
                """;
        create("sdk-esm", Runtime.NODEJS22_X, zip(Map.of("index.mjs", src)));
        assertEquals("arn:aws:sts::000000000000:assumed-role/lambda-role/sdk-esm", invoke("sdk-esm").path("arn").asText());
    }

    @Test
    void pythonFunctionCallsStsAndSsmThroughBoto3() throws Exception {
        String src = """
                import boto3
                def handler(event, context):
                    who = boto3.client("sts").get_caller_identity()
                    value = boto3.client("ssm").get_parameter(Name="/sdk-it/greeting")["Parameter"]["Value"]
                    return {"arn": who["Arn"], "value": value}
                """;
        create("sdk-python", Runtime.PYTHON3_12, zip(Map.of("index.py", src)));
        JsonNode out = invoke("sdk-python");
        assertEquals("arn:aws:sts::000000000000:assumed-role/lambda-role/sdk-python", out.path("arn").asText(), out.toString());
        assertEquals("hello from ssm", out.path("value").asText());
    }

    @Test
    void aFunctionsOwnBundledSdkWins() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("index.js", "const sts = require('@aws-sdk/client-sts');\n"
                + "exports.handler = async () => ({ which: sts.WHICH || 'runtime', path: require.resolve('@aws-sdk/client-sts') });\n");
        files.put("node_modules/@aws-sdk/client-sts/package.json", "{\"name\":\"@aws-sdk/client-sts\",\"version\":\"0.0.1\",\"main\":\"index.js\"}");
        files.put("node_modules/@aws-sdk/client-sts/index.js", "exports.WHICH = 'bundled';\n");
        create("sdk-bundled", Runtime.NODEJS20_X, zip(files));
        JsonNode out = invoke("sdk-bundled");
        assertEquals("bundled", out.path("which").asText(), out.toString());
        // and a function without one gets the runtime's copy
        create("sdk-plain", Runtime.NODEJS20_X, zip(Map.of("index.js", files.get("index.js"))));
        JsonNode plain = invoke("sdk-plain");
        assertEquals("runtime", plain.path("which").asText(), plain.toString());
    }

    @Test
    void functionsSeeSessionCredentialsAndTheEndpointButNeverLogThem() throws Exception {
        String src = """
                exports.handler = async () => ({
                  key: process.env.AWS_ACCESS_KEY_ID, hasSecret: !!process.env.AWS_SECRET_ACCESS_KEY,
                  hasToken: !!process.env.AWS_SESSION_TOKEN, endpoint: process.env.AWS_ENDPOINT_URL,
                  region: process.env.AWS_REGION, defaultRegion: process.env.AWS_DEFAULT_REGION });
                """;
        create("sdk-env", Runtime.NODEJS20_X, zip(Map.of("index.js", src)));
        JsonNode out = invoke("sdk-env");
        assertTrue(out.path("key").asText().startsWith("ASIA"), out.toString());
        assertTrue(out.path("hasSecret").asBoolean() && out.path("hasToken").asBoolean(), out.toString());
        assertEquals(CLOUD.endpoint().toString(), out.path("endpoint").asText());
        assertEquals("us-east-1", out.path("region").asText());
        assertEquals("us-east-1", out.path("defaultRegion").asText());
        List<String> lines = LambdaFixtures.messages(logs, "/aws/lambda/sdk-env");
        assertFalse(lines.stream().anyMatch(l -> l.contains(out.path("key").asText())), lines.toString());
    }

    @Test
    void withoutTheSdkFunctionsStillRunAndLocalCloudSaysWhyOnce() throws Exception {
        Path empty = Files.createTempDirectory(CLOUD.state(), "no-sdk");
        System.setProperty("livestack.runtimeSdk", empty.toString());
        LocalCloud bare;
        try {
            bare = LocalCloud.start(LocalCloudConfig.defaults(empty.resolve("state"), 0));
        } finally {
            System.clearProperty("livestack.runtimeSdk");
        }
        try (bare; LambdaClient l = LambdaFixtures.lambda(bare.endpoint()); CloudWatchLogsClient lg = LambdaFixtures.logs(bare.endpoint())) {
            String src = "let sdk; try { sdk = require('@aws-sdk/client-sts'); } catch (e) { sdk = null; }\n"
                    + "exports.handler = async () => ({ sdk: sdk !== null });\n";
            byte[] code = zip(Map.of("index.js", src));
            for (String name : List.of("bare-one", "bare-two")) {
                l.createFunction(b -> b.functionName(name).runtime(Runtime.NODEJS20_X).role(LambdaFixtures.ROLE)
                        .handler("index.handler").code(FunctionCode.builder().zipFile(SdkBytes.fromByteArray(code)).build()));
                l.waiter().waitUntilFunctionActiveV2(b -> b.functionName(name));
                InvokeResponse r = l.invoke(b -> b.functionName(name));
                assertNull(r.functionError());
                assertEquals("{\"sdk\":false}", r.payload().asUtf8String());
            }
            List<String> first = LambdaFixtures.messages(lg, "/aws/lambda/bare-one");
            assertEquals(1, first.stream().filter(m -> m.contains("no AWS SDK for JavaScript v3")).count(), first.toString());
            List<String> second = LambdaFixtures.messages(lg, "/aws/lambda/bare-two");
            assertEquals(0, second.stream().filter(m -> m.contains("no AWS SDK")).count(), second.toString());
        }
    }

    private static void create(String name, Runtime runtime, byte[] zip) {
        lambda.createFunction(b -> b.functionName(name).runtime(runtime).role(LambdaFixtures.ROLE).timeout(30)
                .handler("index.handler").code(FunctionCode.builder().zipFile(SdkBytes.fromByteArray(zip)).build()));
        lambda.waiter().waitUntilFunctionActiveV2(b -> b.functionName(name));
    }

    private static JsonNode invoke(String name) throws Exception {
        InvokeResponse r = lambda.invoke(b -> b.functionName(name));
        String body = r.payload().asUtf8String();
        assertNull(r.functionError(), body);
        return JSON.readTree(body);
    }

    static byte[] zip(Map<String, String> files) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                z.putNextEntry(new ZipEntry(f.getKey()));
                z.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
