package dev.livestack.logtail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Real functions on local-cloud: a stack deployed through CloudFormation, its actions resolved from the
 * deployed template, their invocations followed, and Lambda's own lines condensed by the formatter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FunctionLogsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String STACK = "Shop";
    private static final String TEMPLATE = """
        {"Resources": {
          "Role1": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}},
          "OrdersWorker1A2B": {"Type": "AWS::Lambda::Function",
            "Metadata": {"aws:cdk:path": "Shop/Orders/Worker/Resource"},
            "Properties": {"Runtime": "nodejs20.x", "Handler": "index.handler", "Role": {"Fn::GetAtt": ["Role1", "Arn"]},
              "Code": {"ZipFile": "exports.handler = async (e) => { console.log('marker ' + e.run + ' #' + e.seq); console.log('second ' + e.run + ' #' + e.seq); return e.seq; };"}}},
          "ApiLogs9C": {"Type": "AWS::Logs::LogGroup", "Metadata": {"aws:cdk:path": "Shop/ApiLogs/Resource"},
            "Properties": {"LogGroupName": "/shop/api"}},
          "ApiHandler77": {"Type": "AWS::Lambda::Function",
            "Metadata": {"aws:cdk:path": "Shop/Api/Handler/Resource"},
            "Properties": {"Runtime": "python3.11", "Handler": "index.handler", "Role": {"Fn::GetAtt": ["Role1", "Arn"]},
              "LoggingConfig": {"LogGroup": {"Ref": "ApiLogs9C"}},
              "Code": {"ZipFile": "def handler(event, context):\\n    print('marker ' + event['run'] + ' #' + str(event['seq']))\\n    return event['seq']\\n"}}}
        }}""";

    private LocalLogs local;
    private CloudFormationClient cfn;
    private LambdaClient lambda;
    private List<Action> actions;

    @BeforeAll
    void deploy() throws Exception {
        local = new LocalLogs();
        cfn = CloudFormationClient.builder().endpointOverride(local.cloud.endpoint()).region(local.region)
                .credentialsProvider(local.credentials).httpClientBuilder(ApacheHttpClient.builder()).build();
        lambda = LambdaClient.builder().endpointOverride(local.cloud.endpoint()).region(local.region)
                .credentialsProvider(local.credentials).httpClientBuilder(ApacheHttpClient.builder()).build();
        cfn.createStack(b -> b.stackName(STACK).templateBody(TEMPLATE).capabilitiesWithStrings("CAPABILITY_IAM"));
        long deadline = System.currentTimeMillis() + 60_000;
        StackStatus status;
        do {
            Thread.sleep(100);
            status = cfn.describeStacks(b -> b.stackName(STACK)).stacks().get(0).stackStatus();
        } while (status == StackStatus.CREATE_IN_PROGRESS && System.currentTimeMillis() < deadline);
        assertEquals(StackStatus.CREATE_COMPLETE, status);
        actions = ActionResolver.fromStacks(cfn, List.of(STACK)).all();
    }

    @AfterAll
    void stop() {
        if (lambda != null) {
            lambda.close();
        }
        if (cfn != null) {
            cfn.close();
        }
        if (local != null) {
            local.close();
        }
    }

    @Test
    void actionsComeFromTheDeployedStack() throws Exception {
        assertEquals(List.of("OrdersWorker1A2B", "ApiLogs9C", "ApiHandler77"), actions.stream().map(Action::logicalId).toList());
        Action worker = actions.get(0);
        assertEquals("Shop/Orders/Worker", worker.constructPath());
        assertEquals("/aws/lambda/" + worker.physicalName(), worker.logGroup());
        assertEquals("/shop/api", actions.get(1).logGroup());
        assertEquals("/shop/api", actions.get(2).logGroup(), "LoggingConfig.LogGroup via Ref");
        ActionResolver resolver = ActionResolver.fromStacks(cfn, List.of(STACK));
        assertEquals(List.of(worker), resolver.resolve(List.of("Orders/Worker")));
        assertEquals(List.of(worker), resolver.resolve(List.of(worker.physicalName())));
        assertEquals(List.of(actions.get(2)), resolver.resolve(List.of("Shop/Api/Handler/Resource")));
        UnknownActionException e = org.junit.jupiter.api.Assertions.assertThrows(UnknownActionException.class,
                () -> resolver.resolve(List.of("Orders/Wroker")));
        assertEquals("Shop/Orders/Worker", e.closestTo("Orders/Wroker").get(0));
    }

    /** The Node function was never invoked: its group appears with the first invocation and nothing is missed. */
    @ParameterizedTest(name = "live tail: {0}")
    @ValueSource(booleans = {true, false})
    void invocationsAreFollowedOnceInOrder(boolean live) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Action worker = actions.get(0);
        Action api = actions.get(2);
        List<String> groups = List.of(worker.logGroup(), api.logGroup());
        Collector c = new Collector();
        int n = 8;
        try (LogTailer tailer = LogTailer.create(local.logs, live ? local.async : null, LogTailOptions.defaults());
             Subscription sub = tailer.follow(groups, Instant.now(), null, c::line, c::status)) {
            assertTrue(sub.awaitCaughtUp(WAIT));
            for (int i = 0; i < n; i++) {
                for (Action a : List.of(worker, api)) {
                    int seq = i;
                    lambda.invoke(b -> b.functionName(a.physicalName())
                            .payload(SdkBytes.fromUtf8String("{\"run\":\"" + run + "\",\"seq\":" + seq + "}")));
                }
            }
            assertTrue(c.awaitLines(l -> l.message().contains("marker " + run), 2 * n, WAIT), c.messages().toString());
            assertTrue(c.awaitLines(l -> l.message().contains("second " + run), n, WAIT), c.messages().toString());
            // Each REPORT is the last line of its invocation.
            assertTrue(c.awaitLines(l -> l.message().startsWith("REPORT"), 2 * n, WAIT), c.messages().toString());
            Thread.sleep(500);
        }
        for (String kind : List.of("marker", "second")) {
            for (Action a : kind.equals("marker") ? List.of(worker, api) : List.of(worker)) {
                List<Integer> seqs = c.lines().stream()
                        .filter(l -> l.logGroup().equals(a.logGroup()) && l.message().contains(kind + " " + run + " #"))
                        .map(l -> Integer.parseInt(l.message().strip().replaceAll(".*#", ""))).toList();
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    expected.add(i);
                }
                assertEquals(expected, seqs, kind + " lines of " + a.logicalId() + ", once each and in order");
            }
        }
        List<LogLine> workerLines = c.lines().stream().filter(l -> l.logGroup().equals(worker.logGroup())).toList();
        assertEquals(n, workerLines.stream().filter(l -> l.message().startsWith("START RequestId:")).count());
        assertEquals(n, workerLines.stream().filter(l -> l.message().startsWith("END RequestId:")).count());
    }

    @Test
    void lambdasOwnLinesAreCondensedByTheFormatter() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Action api = actions.get(2);
        Instant since = Instant.now().minusSeconds(1);
        for (int i = 0; i < 2; i++) {
            int seq = i;
            lambda.invoke(b -> b.functionName(api.physicalName())
                    .payload(SdkBytes.fromUtf8String("{\"run\":\"" + run + "\",\"seq\":" + seq + "}")));
        }
        List<LogLine> window;
        try (LogTailer tailer = LogTailer.create(local.logs, null, LogTailOptions.defaults())) {
            long deadline = System.currentTimeMillis() + 10_000;
            do {
                window = tailer.window(List.of(api.logGroup()), since, null);
            } while (window.stream().filter(l -> l.message().startsWith("REPORT")).count() < 2
                    && System.currentTimeMillis() < deadline && sleep());
        }
        LogFormatter f = new LogFormatter(Map.of(api.logGroup(), "Handler"), false, false, ZoneOffset.UTC);
        List<String> out = new ArrayList<>();
        for (LogLine l : window) {
            out.addAll(f.format(l));
        }
        assertTrue(out.stream().noneMatch(s -> s.contains("START RequestId") || s.contains("END RequestId")), out.toString());
        List<String> requests = out.stream().filter(s -> s.contains("\u25a0")).toList();
        assertEquals(2, requests.size(), out.toString());
        for (String r : requests) {
            assertTrue(r.matches("Handler \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \u25a0 \\S{8} \\$LATEST  [\\d.]+ ms \\(billed \\d+ ms\\) \u00b7 \\d+/128 MB.*"), r);
        }
        assertFalse(requests.get(1).contains("cold start"), "the second invocation is warm: " + requests);
        // Python's print has no runtime prefix: the line is the message itself.
        assertTrue(out.stream().anyMatch(s -> s.matches("Handler \\d\\d:\\d\\d:\\d\\d\\.\\d{3} marker " + run + " #0")),
                out.toString());
    }

    private static boolean sleep() {
        try {
            Thread.sleep(100);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
