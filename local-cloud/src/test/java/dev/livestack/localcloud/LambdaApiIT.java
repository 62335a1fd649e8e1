package dev.livestack.localcloud;

import static dev.livestack.localcloud.LambdaFixtures.ROLE;
import static dev.livestack.localcloud.LambdaFixtures.count;
import static dev.livestack.localcloud.LambdaFixtures.create;
import static dev.livestack.localcloud.LambdaFixtures.messages;
import static dev.livestack.localcloud.LambdaFixtures.zip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestack.inlinepackager.LambdaZip;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;
import software.amazon.awssdk.services.lambda.model.FunctionCode;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.State;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionCodeResponse;

/** Lambda through the real AWS SDK v2: create, invoke node and python, logs, updates, errors, versions, restart. */
class LambdaApiIT {
    static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final LocalCloudFixture cloud = new LocalCloudFixture();
    static LambdaClient lambda;
    static CloudWatchLogsClient logs;

    @BeforeAll
    static void start() throws Exception {
        lambda = cloud.closeAfter(LambdaFixtures.lambda(cloud.endpoint()));
        logs = cloud.closeAfter(LambdaFixtures.logs(cloud.endpoint()));
    }

    static JsonNode payload(InvokeResponse r) throws Exception {
        return JSON.readTree(r.payload().asUtf8String());
    }

    static InvokeResponse invoke(String name, String json) {
        return lambda.invoke(b -> b.functionName(name).payload(SdkBytes.fromUtf8String(json)));
    }

    @Test
    void nodeFunctionRunsWarmAndLogsExactlyAsLambda() throws Exception {
        CreateFunctionResponse created = lambda.createFunction(b -> b.functionName("hello-node").runtime(Runtime.NODEJS20_X)
                .role(ROLE).handler("index.handler").code(FunctionCode.builder().zipFile(SdkBytes.fromByteArray(zip("nodejs20.x",
                        "exports.handler = async (event, context) => {\n"
                                + "  console.log('hello', event.name);\n"
                                + "  return { greeting: 'hi ' + event.name, fn: context.functionName, region: process.env.AWS_REGION,\n"
                                + "           endpoint: process.env.AWS_ENDPOINT_URL, group: process.env.AWS_LAMBDA_LOG_GROUP_NAME };\n"
                                + "};\n"))).build()));
        assertEquals(State.PENDING, created.state());
        assertEquals(LambdaZip.codeSha256(zip("nodejs20.x", "exports.handler = async (event, context) => {\n"
                + "  console.log('hello', event.name);\n"
                + "  return { greeting: 'hi ' + event.name, fn: context.functionName, region: process.env.AWS_REGION,\n"
                + "           endpoint: process.env.AWS_ENDPOINT_URL, group: process.env.AWS_LAMBDA_LOG_GROUP_NAME };\n"
                + "};\n")), created.codeSha256());
        assertTrue(created.lastModified().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000"), created.lastModified());
        lambda.waiter().waitUntilFunctionActiveV2(b -> b.functionName("hello-node"));

        InvokeResponse r = lambda.invoke(b -> b.functionName("hello-node").logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{\"name\":\"ada\"}")));
        assertEquals(200, r.statusCode());
        assertNull(r.functionError());
        assertEquals("$LATEST", r.executedVersion());
        JsonNode out = payload(r);
        assertEquals("hi ada", out.get("greeting").asText());
        assertEquals("hello-node", out.get("fn").asText());
        assertEquals("us-east-1", out.get("region").asText());
        assertEquals(cloud.endpoint().toString(), out.get("endpoint").asText());
        assertEquals("/aws/lambda/hello-node", out.get("group").asText());
        String requestId = r.responseMetadata().requestId();
        String tail = new String(Base64.getDecoder().decode(r.logResult()), StandardCharsets.UTF_8);
        assertTrue(tail.startsWith("START RequestId: " + requestId + " Version: $LATEST\n"), tail);
        assertTrue(tail.contains("\t" + requestId + "\tINFO\thello ada\n"), tail);
        assertTrue(tail.contains("Init Duration: "), tail);

        invoke("hello-node", "{\"name\":\"bob\"}");
        List<String> lines = messages(logs, "/aws/lambda/hello-node");
        assertEquals(2, count(lines, "START RequestId: "), lines::toString);
        assertEquals(2, count(lines, "END RequestId: "), lines::toString);
        assertEquals(2, count(lines, "REPORT RequestId: "), lines::toString);
        assertEquals(1, count(lines, "START RequestId: " + requestId + " Version: $LATEST"));
        assertEquals(1, count(lines, "END RequestId: " + requestId));
        String report = lines.stream().filter(l -> l.startsWith("REPORT RequestId: " + requestId)).findFirst().orElseThrow();
        assertTrue(report.matches("REPORT RequestId: " + requestId + "\tDuration: \\d+\\.\\d\\d ms\tBilled Duration: \\d+ ms"
                + "\tMemory Size: 128 MB\tMax Memory Used: \\d+ MB\tInit Duration: \\d+\\.\\d\\d ms"), report);
        String second = lines.get(lines.size() - 1);
        assertTrue(second.startsWith("REPORT RequestId: ") && !second.contains("Init Duration"), "warm start: " + second);
        String info = lines.stream().filter(l -> l.contains("\tINFO\thello ada")).findFirst().orElseThrow();
        assertTrue(info.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\t" + requestId + "\tINFO\thello ada"), info);
        // warm: both invocations went to the one process, hence one stream
        List<LogStream> streams = logs.describeLogStreams(b -> b.logGroupName("/aws/lambda/hello-node")).logStreams();
        assertEquals(1, streams.size());
        assertTrue(streams.get(0).logStreamName().matches("\\d{4}/\\d\\d/\\d\\d/\\[\\$LATEST\\][0-9a-f]{32}"),
                streams.get(0).logStreamName());
    }

    @Test
    void updateCodeIsInProgressThenSuccessfulAndRunsTheNewCode() throws Exception {
        create(lambda, "upd", Runtime.NODEJS20_X, "exports.handler = async () => 'one';");
        assertEquals("\"one\"", invoke("upd", "{}").payload().asUtf8String());
        // a long update window, so the second call surely lands inside it on a loaded machine
        assertTrue(LambdaFixtures.settings(cloud.get(), "{\"updateDelayMillis\": 1500}").contains("1500"));
        UpdateFunctionCodeResponse u;
        ResourceConflictException busy;
        try {
            u = lambda.updateFunctionCode(b -> b.functionName("upd")
                    .zipFile(SdkBytes.fromByteArray(zip("nodejs20.x", "exports.handler = async () => 'two';"))));
            busy = assertThrows(ResourceConflictException.class, () -> lambda.updateFunctionCode(b -> b
                    .functionName("upd").zipFile(SdkBytes.fromByteArray(zip("nodejs20.x", "exports.handler = async () => 'three';")))));
            // while the update is in progress, invocations still run the previous code, as on Lambda
            assertEquals("\"one\"", invoke("upd", "{}").payload().asUtf8String());
        } finally {
            LambdaFixtures.settings(cloud.get(), "{\"updateDelayMillis\": 100}");
        }
        assertEquals(LastUpdateStatus.IN_PROGRESS, u.lastUpdateStatus());
        assertEquals(409, busy.statusCode());
        assertEquals("The operation cannot be performed at this time. An update is in progress for resource: "
                + "arn:aws:lambda:us-east-1:000000000000:function:upd", busy.awsErrorDetails().errorMessage());
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("upd"));
        assertEquals(LastUpdateStatus.SUCCESSFUL, lambda.getFunctionConfiguration(b -> b.functionName("upd")).lastUpdateStatus());
        assertEquals("\"two\"", invoke("upd", "{}").payload().asUtf8String());
    }

    @Test
    void aWarmFunctionIsInitialisedAgainRightAfterAnUpdate() throws Exception {
        create(lambda, "prewarm", Runtime.NODEJS20_X, "console.log('init one'); exports.handler = async () => 'one';");
        assertEquals("\"one\"", invoke("prewarm", "{}").payload().asUtf8String());
        lambda.updateFunctionCode(b -> b.functionName("prewarm")
                .zipFile(SdkBytes.fromByteArray(zip("nodejs20.x", "console.log('init two'); exports.handler = async () => 'two';"))));
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("prewarm"));
        // no invocation yet: the new environment initialises on its own (its init line shows up)
        long deadline = System.currentTimeMillis() + 15_000;
        while (messages(logs, "/aws/lambda/prewarm").stream().noneMatch(l -> l.endsWith("\tINFO\tinit two"))) {
            assertTrue(System.currentTimeMillis() < deadline, "the updated function was initialised ahead of its invocation");
            Thread.sleep(50);
        }
        InvokeResponse r = lambda.invoke(b -> b.functionName("prewarm").logType(LogType.TAIL));
        assertEquals("\"two\"", r.payload().asUtf8String());
        String tail = new String(Base64.getDecoder().decode(r.logResult()), StandardCharsets.UTF_8);
        assertTrue(tail.contains("Init Duration: "), tail);
        assertEquals(1, messages(logs, "/aws/lambda/prewarm").stream().filter(l -> l.endsWith("\tINFO\tinit two")).count());
    }

    @Test
    void theNewCodesEnvironmentStartsDuringTheUpdateWhileTheOldOneServes() throws Exception {
        create(lambda, "overlap", Runtime.NODEJS20_X, "console.log('init one'); exports.handler = async () => 'one';");
        assertEquals("\"one\"", invoke("overlap", "{}").payload().asUtf8String());
        LambdaFixtures.settings(cloud.get(), "{\"updateDelayMillis\": 4000}");
        InvokeResponse during;
        LastUpdateStatus whenInitialised;
        try {
            lambda.updateFunctionCode(b -> b.functionName("overlap")
                    .zipFile(SdkBytes.fromByteArray(zip("nodejs20.x", "console.log('init two'); exports.handler = async () => 'two';"))));
            long deadline = System.currentTimeMillis() + 15_000;
            while (messages(logs, "/aws/lambda/overlap").stream().noneMatch(l -> l.endsWith("\tINFO\tinit two"))) {
                assertTrue(System.currentTimeMillis() < deadline, "the new code's environment initialised");
                Thread.sleep(20);
            }
            whenInitialised = lambda.getFunctionConfiguration(b -> b.functionName("overlap")).lastUpdateStatus();
            // meanwhile invocations run the previous code in its warm environment (no second init)
            during = lambda.invoke(b -> b.functionName("overlap").logType(LogType.TAIL));
        } finally {
            LambdaFixtures.settings(cloud.get(), "{\"updateDelayMillis\": 100}");
        }
        assertEquals(LastUpdateStatus.IN_PROGRESS, whenInitialised, "the new environment started before the update completed");
        assertEquals("\"one\"", during.payload().asUtf8String());
        String duringTail = new String(Base64.getDecoder().decode(during.logResult()), StandardCharsets.UTF_8);
        assertFalse(duringTail.contains("Init Duration"), duringTail);

        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("overlap"));
        assertEquals("\"two\"", invoke("overlap", "{}").payload().asUtf8String());
        assertEquals("\"two\"", invoke("overlap", "{}").payload().asUtf8String());
        List<String> lines = messages(logs, "/aws/lambda/overlap");
        assertEquals(1, lines.stream().filter(l -> l.endsWith("\tINFO\tinit one")).count(), String.join("\n", lines));
        assertEquals(1, lines.stream().filter(l -> l.endsWith("\tINFO\tinit two")).count(), String.join("\n", lines));
        // one log stream per environment: the old one's and the new one's
        assertEquals(2, logs.describeLogStreams(b -> b.logGroupName("/aws/lambda/overlap")).logStreams().size());
    }

    @Test
    void aPendingFunctionCannotBeInvokedOrUpdated() throws Exception {
        LambdaFixtures.settings(cloud.get(), "{\"updateDelayMillis\": 1500}");
        try {
            lambda.createFunction(b -> b.functionName("pending").runtime(Runtime.NODEJS20_X).role(ROLE).handler("index.handler")
                    .code(FunctionCode.builder().zipFile(SdkBytes.fromByteArray(zip("nodejs20.x", "exports.handler = async () => 1;")))
                            .build()));
            ResourceConflictException e = assertThrows(ResourceConflictException.class, () -> invoke("pending", "{}"));
            assertEquals("The operation cannot be performed at this time. The function is currently in the following state: Pending",
                    e.awsErrorDetails().errorMessage());
            assertThrows(ResourceConflictException.class, () -> lambda.updateFunctionConfiguration(b -> b.functionName("pending").timeout(5)));
        } finally {
            LambdaFixtures.settings(cloud.get(), "{\"updateDelayMillis\": 100}");
        }
        lambda.waiter().waitUntilFunctionActiveV2(b -> b.functionName("pending"));
        assertEquals("1", invoke("pending", "{}").payload().asUtf8String());
    }

    @Test
    void idleEnvironmentsAreReclaimed() throws Exception {
        create(lambda, "idle", Runtime.PYTHON3_12, "def handler(e, c):\n    return 'ok'\n");
        LambdaFixtures.settings(cloud.get(), "{\"environmentIdleMillis\": 300}");
        try {
            invoke("idle", "{}");
            Thread.sleep(1500);
            invoke("idle", "{}");
        } finally {
            LambdaFixtures.settings(cloud.get(), "{\"environmentIdleMillis\": 900000}");
        }
        // the first environment was stopped while idle, so the second invocation was a cold start in a new one
        assertEquals(2, logs.describeLogStreams(b -> b.logGroupName("/aws/lambda/idle")).logStreams().size());
        assertEquals(2, messages(logs, "/aws/lambda/idle").stream().filter(l -> l.contains("Init Duration")).count());
    }

    @Test
    void unknownFunctionIsNotFoundWithLambdasMessage() {
        ResourceNotFoundException e = assertThrows(ResourceNotFoundException.class, () -> lambda.getFunction(b -> b.functionName("nope")));
        assertEquals(404, e.statusCode());
        assertEquals("Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope", e.awsErrorDetails().errorMessage());
        ResourceNotFoundException i = assertThrows(ResourceNotFoundException.class, () -> invoke("nope", "{}"));
        // Invoke names the version it looked for, $LATEST when the call gives none (AWS's recorded answer, docs/parity.md)
        assertEquals("Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope:$LATEST", i.awsErrorDetails().errorMessage());
    }

    @Test
    void pythonPrintsLinesAsIsAndReturnsJson() throws Exception {
        create(lambda, "hello-py", Runtime.PYTHON3_12, "def handler(event, context):\n"
                + "    print('py says', event['x'])\n"
                + "    return {'x': event['x'] * 2, 'name': context.function_name, 'left': context.get_remaining_time_in_millis() > 0}\n");
        InvokeResponse r = invoke("hello-py", "{\"x\": 21}");
        JsonNode out = payload(r);
        assertEquals(42, out.get("x").asInt());
        String cc = Base64.getEncoder().encodeToString("{\"custom\": {\"who\": \"tester\"}}".getBytes(StandardCharsets.UTF_8));
        create(lambda, "ctx-py", Runtime.PYTHON3_12, "def handler(event, context):\n    return context.client_context.custom['who']\n");
        assertEquals("\"tester\"", lambda.invoke(b -> b.functionName("ctx-py").clientContext(cc)).payload().asUtf8String());
        create(lambda, "ctx-node", Runtime.NODEJS20_X, "exports.handler = async (e, context) => context.clientContext.custom.who;");
        assertEquals("\"tester\"", lambda.invoke(b -> b.functionName("ctx-node").clientContext(cc)).payload().asUtf8String());
        assertEquals("hello-py", out.get("name").asText());
        assertTrue(out.get("left").asBoolean());
        List<String> lines = messages(logs, "/aws/lambda/hello-py");
        assertTrue(lines.contains("py says 21"), lines::toString);
        assertEquals(1, count(lines, "START RequestId: " + r.responseMetadata().requestId()));
        assertEquals(1, count(lines, "REPORT RequestId: " + r.responseMetadata().requestId()));
    }

    @Test
    void handlerErrorsComeBackAsTheRuntimesErrorJson() throws Exception {
        create(lambda, "bad-node", Runtime.NODEJS22_X, "exports.handler = async () => { throw new TypeError('bad thing'); };");
        InvokeResponse r = invoke("bad-node", "{}");
        assertEquals(200, r.statusCode());
        assertEquals("Unhandled", r.functionError());
        JsonNode err = payload(r);
        assertEquals("TypeError", err.get("errorType").asText());
        assertEquals("bad thing", err.get("errorMessage").asText());
        assertTrue(err.get("trace").isArray() && err.get("trace").get(0).asText().startsWith("TypeError: bad thing"), err::toString);
        assertTrue(messages(logs, "/aws/lambda/bad-node").stream().anyMatch(l -> l.contains("\tERROR\tInvoke Error \t")));

        create(lambda, "big-node", Runtime.NODEJS20_X, "exports.handler = async () => 'x'.repeat(7 * 1024 * 1024);");
        InvokeResponse big = invoke("big-node", "{}");
        assertEquals("Unhandled", big.functionError());
        assertEquals("Function.ResponseSizeTooLarge", payload(big).get("errorType").asText());
        assertTrue(payload(big).get("errorMessage").asText().endsWith("exceeded maximum allowed payload size (6291556 bytes)."));

        create(lambda, "bad-py", Runtime.PYTHON3_11, "def handler(event, context):\n    raise ValueError('nope')\n");
        InvokeResponse p = invoke("bad-py", "{}");
        assertEquals("Unhandled", p.functionError());
        JsonNode perr = payload(p);
        assertEquals("nope", perr.get("errorMessage").asText());
        assertEquals("ValueError", perr.get("errorType").asText());
        assertEquals(p.responseMetadata().requestId(), perr.get("requestId").asText());
        assertTrue(perr.get("stackTrace").get(0).asText().contains("in handler"), perr::toString);
        List<String> lines = messages(logs, "/aws/lambda/bad-py");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("[ERROR] ValueError: nope\nTraceback (most recent call last):")),
                lines::toString);
    }

    @Test
    void anUnhandledRejectionEndsTheEnvironmentAndAnswersTheInvocation() throws Exception {
        create(lambda, "reject", Runtime.NODEJS20_X, "exports.handler = async (e) => {\n"
                + "  if (e.lose) { Promise.reject(new Error('lost')); await new Promise(r => setTimeout(r, 300)); }\n"
                + "  return 'fine';\n};");
        InvokeResponse r = invoke("reject", "{\"lose\": true}");
        assertEquals("Unhandled", r.functionError());
        assertEquals("Runtime.UnhandledPromiseRejection", payload(r).get("errorType").asText());
        assertEquals("Error: lost", payload(r).get("errorMessage").asText());
        assertEquals("\"fine\"", invoke("reject", "{}").payload().asUtf8String());
        List<String> lines = messages(logs, "/aws/lambda/reject");
        assertEquals(2, count(lines, "END RequestId: "), lines::toString);
        assertEquals(2, count(lines, "REPORT RequestId: "), lines::toString);
    }

    @Test
    void timeoutKillsTheProcessAndTheNextInvocationStartsFresh() throws Exception {
        lambda.createFunction(b -> b.functionName("slow").runtime(Runtime.NODEJS20_X).role(ROLE).handler("index.handler").timeout(1)
                .code(FunctionCode.builder().zipFile(SdkBytes.fromByteArray(zip("nodejs20.x",
                        "exports.handler = async (e) => { if (e.sleep) await new Promise(r => setTimeout(r, 5000)); return 'done'; };")))
                        .build()));
        lambda.waiter().waitUntilFunctionActiveV2(b -> b.functionName("slow"));
        InvokeResponse r = invoke("slow", "{\"sleep\": true}");
        assertEquals("Unhandled", r.functionError());
        String message = payload(r).get("errorMessage").asText();
        assertTrue(message.endsWith(r.responseMetadata().requestId() + " Task timed out after 1.00 seconds"), message);
        assertEquals("\"done\"", invoke("slow", "{}").payload().asUtf8String());
        List<String> lines = messages(logs, "/aws/lambda/slow");
        assertEquals(1, lines.stream().filter(l -> l.endsWith("Task timed out after 1.00 seconds")).count());
        assertEquals(2, count(lines, "END RequestId: "));
        assertEquals(2, logs.describeLogStreams(b -> b.logGroupName("/aws/lambda/slow")).logStreams().size());
    }

    @Test
    void versionsAliasesAndQualifiedInvoke() throws Exception {
        create(lambda, "ver", Runtime.NODEJS20_X, "exports.handler = async () => 'v1';");
        assertEquals("1", lambda.publishVersion(b -> b.functionName("ver")).version());
        lambda.updateFunctionCode(b -> b.functionName("ver").zipFile(SdkBytes.fromByteArray(zip("nodejs20.x",
                "exports.handler = async () => 'v2';"))));
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("ver"));
        assertEquals("2", lambda.publishVersion(b -> b.functionName("ver")).version());
        assertEquals("2", lambda.publishVersion(b -> b.functionName("ver")).version(), "unchanged code publishes no new version");
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:ver:live",
                lambda.createAlias(b -> b.functionName("ver").name("live").functionVersion("1")).aliasArn());
        InvokeResponse viaAlias = lambda.invoke(b -> b.functionName("ver").qualifier("live"));
        assertEquals("\"v1\"", viaAlias.payload().asUtf8String());
        assertEquals("1", viaAlias.executedVersion());
        lambda.updateAlias(b -> b.functionName("ver").name("live").functionVersion("2"));
        assertEquals("\"v2\"", lambda.invoke(b -> b.functionName("ver:live")).payload().asUtf8String());
        assertEquals("2", lambda.getAlias(b -> b.functionName("ver").name("live")).functionVersion());
        ResourceNotFoundException missing = assertThrows(ResourceNotFoundException.class,
                () -> lambda.invoke(b -> b.functionName("ver").qualifier("9")));
        assertEquals("Function not found: arn:aws:lambda:us-east-1:000000000000:function:ver:9", missing.awsErrorDetails().errorMessage());
        assertEquals(3, lambda.listVersionsByFunction(b -> b.functionName("ver")).versions().size());
        String arn = "arn:aws:lambda:us-east-1:000000000000:function:ver";
        lambda.tagResource(b -> b.resource(arn).tags(Map.of("team", "a", "stage", "dev")));
        lambda.untagResource(b -> b.resource(arn).tagKeys("stage"));
        assertEquals(Map.of("team", "a"), lambda.listTags(b -> b.resource(arn)).tags());
        assertEquals(Map.of("team", "a"), lambda.getFunction(b -> b.functionName("ver")).tags());
    }

    @Test
    void aVersionAnAliasPointsAtIsRefusedDeletionAndKept() {
        create(lambda, "pinned", Runtime.NODEJS20_X, "exports.handler = async () => 'v1';");
        assertEquals("1", lambda.publishVersion(b -> b.functionName("pinned")).version());
        lambda.createAlias(b -> b.functionName("pinned").name("live").functionVersion("1"));
        ResourceConflictException refused = assertThrows(ResourceConflictException.class,
                () -> lambda.deleteFunction(b -> b.functionName("pinned").qualifier("1")));
        assertEquals("Unable to delete version because the following aliases reference it: [live]",
                refused.awsErrorDetails().errorMessage());
        assertEquals("1", lambda.getFunctionConfiguration(b -> b.functionName("pinned").qualifier("1")).version());
        assertEquals(2, lambda.listVersionsByFunction(b -> b.functionName("pinned")).versions().size());
        lambda.deleteAlias(b -> b.functionName("pinned").name("live"));
        lambda.deleteFunction(b -> b.functionName("pinned").qualifier("1"));
        assertThrows(ResourceNotFoundException.class,
                () -> lambda.getFunctionConfiguration(b -> b.functionName("pinned").qualifier("1")));
    }

    @Test
    void concurrentInvocationsScaleOutToASecondEnvironment() throws Exception {
        create(lambda, "busy", Runtime.NODEJS20_X,
                "exports.handler = async (e) => { await new Promise(r => setTimeout(r, 700)); return e.n; };");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = pool.submit(() -> invoke("busy", "{\"n\": 1}").payload().asUtf8String());
            var b = pool.submit(() -> invoke("busy", "{\"n\": 2}").payload().asUtf8String());
            assertEquals("1", a.get());
            assertEquals("2", b.get());
        } finally {
            pool.shutdownNow();
        }
        // one environment was busy, so the other invocation got its own process and log stream
        assertEquals(2, logs.describeLogStreams(b -> b.logGroupName("/aws/lambda/busy")).logStreams().size());
        List<String> lines = messages(logs, "/aws/lambda/busy");
        assertEquals(2, count(lines, "START RequestId: "));
        assertEquals(2, count(lines, "REPORT RequestId: "));
    }

    @Test
    void invokeWithResponseStreamSendsTheResultAsOneChunk() throws Exception {
        create(lambda, "streamed", Runtime.NODEJS20_X,
                "exports.handler = async (e) => { if (e.fail) throw new Error('no'); return { streamed: e.n }; };");
        StringBuilder chunks = new StringBuilder();
        List<String> completes = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var async = LambdaFixtures.lambdaAsync(cloud.endpoint())) {
            for (String payload : List.of("{\"n\": 5}", "{\"fail\": true}")) {
                var visitor = software.amazon.awssdk.services.lambda.model.InvokeWithResponseStreamResponseHandler.Visitor.builder()
                        .onPayloadChunk(c -> chunks.append(c.payload().asUtf8String()))
                        .onInvokeComplete(c -> completes.add(String.valueOf(c.errorCode())))
                        .build();
                var handler = software.amazon.awssdk.services.lambda.model.InvokeWithResponseStreamResponseHandler.builder()
                        .subscriber(visitor).build();
                async.invokeWithResponseStream(b -> b.functionName("streamed").payload(SdkBytes.fromUtf8String(payload)), handler)
                        .get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        assertEquals("{\"streamed\":5}", chunks.toString());
        assertEquals(List.of("null", "Unhandled"), completes);
    }

    @Test
    void codeLocationDownloadsTheExactZip() throws Exception {
        String source = "exports.handler = async () => 42;";
        create(lambda, "dl", Runtime.NODEJS18_X, source);
        GetFunctionResponse f = lambda.getFunction(b -> b.functionName("dl"));
        assertEquals("S3", f.code().repositoryType());
        HttpResponse<byte[]> got = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.code().location())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, got.statusCode());
        assertArrayEquals(zip("nodejs18.x", source), got.body());
        assertEquals(LambdaZip.codeSha256(got.body()), f.configuration().codeSha256());
        assertEquals(got.body().length, f.configuration().codeSize());
    }

    @Test
    void eventAndDryRunInvocations() throws Exception {
        create(lambda, "async-fn", Runtime.PYTHON3_12, "def handler(event, context):\n    print('got', event['n'])\n");
        assertEquals(204, lambda.invoke(b -> b.functionName("async-fn").invocationType(InvocationType.DRY_RUN)).statusCode());
        assertEquals(202, lambda.invoke(b -> b.functionName("async-fn").invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String("{\"n\": 7}"))).statusCode());
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            if (logs.describeLogGroups(b -> b.logGroupNamePrefix("/aws/lambda/async-fn")).logGroups().size() == 1
                    && messages(logs, "/aws/lambda/async-fn").contains("got 7")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the Event invocation never ran");
    }

    @Test
    void environmentAndConfigurationChangesRestartTheProcess() throws Exception {
        lambda.createFunction(b -> b.functionName("env-fn").runtime(Runtime.NODEJS20_X).role(ROLE).handler("index.handler")
                .environment(e -> e.variables(Map.of("GREETING", "hey")))
                .code(FunctionCode.builder().zipFile(SdkBytes.fromByteArray(zip("nodejs20.x",
                        "exports.handler = async () => process.env.GREETING;"))).build()));
        lambda.waiter().waitUntilFunctionActiveV2(b -> b.functionName("env-fn"));
        assertEquals("\"hey\"", invoke("env-fn", "{}").payload().asUtf8String());
        lambda.updateFunctionConfiguration(b -> b.functionName("env-fn").environment(e -> e.variables(Map.of("GREETING", "ho"))));
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("env-fn"));
        assertEquals("\"ho\"", invoke("env-fn", "{}").payload().asUtf8String());
        var reserved = assertThrows(software.amazon.awssdk.services.lambda.model.InvalidParameterValueException.class,
                () -> lambda.updateFunctionConfiguration(b -> b.functionName("env-fn")
                        .environment(e -> e.variables(Map.of("AWS_REGION", "eu-west-1")))));
        assertTrue(reserved.awsErrorDetails().errorMessage().endsWith("Reserved keys used in this request: AWS_REGION"));
    }

    @Test
    void esmModulesAndNestedHandlers() throws Exception {
        byte[] esm = LambdaZip.build("index.mjs", "export const handler = async (event) => ({ esm: true, v: event.v });"
                .getBytes(StandardCharsets.UTF_8));
        lambda.createFunction(b -> b.functionName("esm").runtime(Runtime.NODEJS22_X).role(ROLE).handler("index.handler")
                .code(FunctionCode.builder().zipFile(SdkBytes.fromByteArray(esm)).build()));
        lambda.waiter().waitUntilFunctionActiveV2(b -> b.functionName("esm"));
        JsonNode out = payload(invoke("esm", "{\"v\": 3}"));
        assertTrue(out.get("esm").asBoolean());
        assertEquals(3, out.get("v").asInt());

        create(lambda, "nohandler", Runtime.NODEJS20_X, "exports.other = async () => 1;");
        InvokeResponse r = invoke("nohandler", "{}");
        assertEquals("Unhandled", r.functionError());
        assertEquals("Runtime.HandlerNotFound", payload(r).get("errorType").asText());
        assertEquals("index.handler is undefined or not exported", payload(r).get("errorMessage").asText());
    }

    @Test
    void stateSurvivesARestart() throws Exception {
        Path other = cloud.state().resolve("restart");
        try (LocalCloud first = LambdaFixtures.start(other); LambdaClient l = LambdaFixtures.lambda(first.endpoint())) {
            create(l, "keep", Runtime.PYTHON3_12, "def handler(e, c):\n    print('kept')\n    return 'still here'\n");
            l.invoke(b -> b.functionName("keep"));
        }
        try (LocalCloud second = LambdaFixtures.start(other); LambdaClient l = LambdaFixtures.lambda(second.endpoint());
             CloudWatchLogsClient lg = LambdaFixtures.logs(second.endpoint())) {
            assertEquals(State.ACTIVE, l.getFunction(b -> b.functionName("keep")).configuration().state());
            assertEquals("\"still here\"", l.invoke(b -> b.functionName("keep")).payload().asUtf8String());
            List<String> lines = messages(lg, "/aws/lambda/keep");
            assertEquals(2, lines.stream().filter("kept"::equals).count(), lines::toString);
            assertFalse(l.listFunctions().functions().isEmpty());
        }
    }
}
