package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.InvalidEventPatternException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** EventBridge through the SDK v2 and the AWS CLI: rules, targets, PutEvents routing, and schedules from a template. */
class EventBridgeIT {
    @RegisterExtension
    static final LocalCloudFixture CLOUD = new LocalCloudFixture();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RECORDER = "exports.handler = async (event) => { console.log('EVENT ' + JSON.stringify(event)); return {}; };";
    private static EventBridgeClient events;
    private static LambdaClient lambda;
    private static CloudWatchLogsClient logs;
    private static String recorderArn;

    @BeforeAll
    static void clients() {
        events = CLOUD.closeAfter(EventBridgeClient.builder().endpointOverride(CLOUD.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(Sdk.credentials("test", "test")).overrideConfiguration(Sdk.noRetries()).build());
        lambda = CLOUD.closeAfter(LambdaFixtures.lambda(CLOUD.endpoint()));
        logs = CLOUD.closeAfter(LambdaFixtures.logs(CLOUD.endpoint()));
        recorderArn = LambdaFixtures.create(lambda, "recorder", Runtime.NODEJS20_X, RECORDER).functionArn();
    }

    @Test
    void refusesWhatEventBridgeRefusesWithItsCodesAndMessages() {
        EventBridgeException bad = assertThrows(EventBridgeException.class,
                () -> events.putRule(b -> b.name("bad-rate").scheduleExpression("rate(1 minutes)")));
        assertEquals("ValidationException", bad.awsErrorDetails().errorCode());
        assertEquals("Parameter ScheduleExpression is not valid.", bad.awsErrorDetails().errorMessage());
        EventBridgeException cron = assertThrows(EventBridgeException.class,
                () -> events.putRule(b -> b.name("bad-cron").scheduleExpression("cron(0 1 * * * *)")));
        assertEquals("Parameter ScheduleExpression is not valid.", cron.awsErrorDetails().errorMessage());
        InvalidEventPatternException pattern = assertThrows(InvalidEventPatternException.class,
                () -> events.putRule(b -> b.name("bad-pattern").eventPattern("{\"source\":[{\"prefix\":1}]}")));
        assertEquals("Event pattern is not valid. Reason: prefix match pattern must be a string", pattern.awsErrorDetails().errorMessage());
        ResourceNotFoundException missing = assertThrows(ResourceNotFoundException.class, () -> events.describeRule(b -> b.name("nope")));
        assertEquals("Rule nope does not exist on EventBus default.", missing.awsErrorDetails().errorMessage());

        events.putRule(b -> b.name("has-targets").eventPattern("{\"source\":[\"x\"]}"));
        events.putTargets(b -> b.rule("has-targets").targets(t -> t.id("t1").arn(recorderArn)));
        EventBridgeException busy = assertThrows(EventBridgeException.class, () -> events.deleteRule(b -> b.name("has-targets")));
        assertEquals("Rule can't be deleted since it has targets.", busy.awsErrorDetails().errorMessage());
        events.removeTargets(b -> b.rule("has-targets").ids("t1"));
        events.deleteRule(b -> b.name("has-targets"));
        assertThrows(ResourceNotFoundException.class, () -> events.describeRule(b -> b.name("has-targets")));
    }

    @Test
    void putEventsRoutesMatchingEventsToLambdaTargetsThroughAnInputTransformer() throws Exception {
        events.putRule(b -> b.name("big-orders").eventPattern(
                "{\"source\":[\"shop.orders\"],\"detail\":{\"total\":[{\"numeric\":[\">\",100]}],\"status\":[{\"anything-but\":\"TEST\"}]}}"));
        events.putTargets(b -> b.rule("big-orders").targets(t -> t.id("rec").arn(recorderArn).inputTransformer(i -> i
                .inputPathsMap(java.util.Map.of("id", "$.detail.orderId", "total", "$.detail.total"))
                .inputTemplate("{\"order\": <id>, \"total\": <total>, \"rule\": \"<aws.events.rule-name>\"}"))));
        assertEquals(1, events.listTargetsByRule(b -> b.rule("big-orders")).targets().size());
        PutEventsResponse put = events.putEvents(b -> b.entries(
                e -> e.source("shop.orders").detailType("Order Placed").detail("{\"orderId\":\"o-big\",\"total\":150,\"status\":\"NEW\"}"),
                e -> e.source("shop.orders").detailType("Order Placed").detail("{\"orderId\":\"o-small\",\"total\":50,\"status\":\"NEW\"}"),
                e -> e.source("shop.orders").detailType("Order Placed").detail("not json")));
        assertEquals(1, put.failedEntryCount());
        assertTrue(put.entries().get(0).eventId() != null && put.entries().get(2).errorCode() != null, put.toString());
        String line = awaitLine(l -> l.contains("\"order\":\"o-big\""));
        JsonNode got = JSON.readTree(line.substring(line.indexOf("EVENT ") + 6));
        assertEquals(150, got.path("total").asInt());
        assertEquals("big-orders", got.path("rule").asText());
        Thread.sleep(300);
        assertFalse(messages().stream().anyMatch(l -> l.contains("o-small")));

        events.disableRule(b -> b.name("big-orders"));
        events.putEvents(b -> b.entries(e -> e.source("shop.orders").detailType("Order Placed")
                .detail("{\"orderId\":\"o-while-disabled\",\"total\":500,\"status\":\"NEW\"}")));
        Thread.sleep(500);
        assertFalse(messages().stream().anyMatch(l -> l.contains("o-while-disabled")));
    }

    @Test
    void aScheduleFromATemplateFiresAScheduledEventWhenTheClockMoves() throws Exception {
        String template = """
                {"Resources": {
                  "Tick": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "nodejs20.x", "Handler": "index.handler",
                     "Role": "arn:aws:iam::000000000000:role/lambda-role", "FunctionName": "ticker",
                     "Code": {"ZipFile": "exports.handler = async (event) => { console.log('TICK ' + JSON.stringify(event)); };"}}},
                  "Every5": {"Type": "AWS::Events::Rule", "Properties": {"ScheduleExpression": "rate(5 minutes)",
                     "Targets": [{"Id": "tick", "Arn": {"Fn::GetAtt": ["Tick", "Arn"]}}]}}},
                 "Outputs": {"Rule": {"Value": {"Ref": "Every5"}}, "RuleArn": {"Value": {"Fn::GetAtt": ["Every5", "Arn"]}}}}
                """;
        Cfn cfn = new Cfn(CLOUD.closeAfter(Sdk.cloudFormation(CLOUD.endpoint())));
        Stack stack = cfn.deploy("schedules", template);
        assertEquals("CREATE_COMPLETE", stack.stackStatusAsString(), cfn.events("schedules").toString());
        String rule = cfn.outputs(stack).get("Rule");
        assertEquals("rate(5 minutes)", events.describeRule(b -> b.name(rule)).scheduleExpression());
        assertEquals(cfn.outputs(stack).get("RuleArn"), events.describeRule(b -> b.name(rule)).arn());

        TestControls.of(CLOUD.get()).advanceSchedules(Duration.ofMinutes(6));
        String line = await("/aws/lambda/ticker", l -> l.contains("TICK "));
        JsonNode event = JSON.readTree(line.substring(line.indexOf("TICK ") + 5));
        assertEquals("Scheduled Event", event.path("detail-type").asText());
        assertEquals("aws.events", event.path("source").asText());
        assertEquals(cfn.outputs(stack).get("RuleArn"), event.path("resources").path(0).asText());
        assertTrue(event.path("detail").isObject() && event.path("detail").isEmpty());

        String stackId = stack.stackId();
        cfn.client.deleteStack(b -> b.stackName("schedules"));
        cfn.awaitSettled(stackId);
        assertThrows(ResourceNotFoundException.class, () -> events.describeRule(b -> b.name(rule)));
    }

    @Test
    void theAwsCliPutsListsAndIsRefused() throws Exception {
        String aws = Files.isExecutable(Path.of("/usr/bin/aws")) ? "/usr/bin/aws" : "aws";
        Path work = Files.createTempDirectory(CLOUD.state(), "cli");
        String endpoint = CLOUD.endpoint().toString();
        ClientProcess.Result put = ClientProcess.run(work, List.of(aws, "events", "put-rule", "--endpoint-url", endpoint,
                "--name", "cli-hourly", "--schedule-expression", "rate(1 hour)"));
        Assumptions.assumeTrue(put.exit() != 127, "the AWS CLI is not installed");
        assertEquals(0, put.exit(), put.err());
        assertTrue(put.out().contains("arn:aws:events:us-east-1:000000000000:rule/cli-hourly"), put.out());
        ClientProcess.Result list = ClientProcess.run(work, List.of(aws, "events", "list-rules", "--endpoint-url", endpoint,
                "--name-prefix", "cli-"));
        assertEquals(0, list.exit(), list.err());
        assertEquals("cli-hourly", JSON.readTree(list.out()).path("Rules").path(0).path("Name").asText(), list.out());
        ClientProcess.Result bad = ClientProcess.run(work, List.of(aws, "events", "put-rule", "--endpoint-url", endpoint,
                "--name", "cli-bad", "--schedule-expression", "rate(1 hours)"));
        assertNotEquals(0, bad.exit());
        assertTrue(bad.err().contains("(ValidationException)") && bad.err().contains("Parameter ScheduleExpression is not valid."), bad.err());
    }

    @Test
    void rulesAndTargetsSurviveARestart() throws Exception {
        Path state = Files.createTempDirectory(CLOUD.state(), "restart");
        for (int run = 0; run < 2; run++) {
            try (LocalCloud c = LocalCloud.start(LocalCloudConfig.defaults(state, 0));
                 EventBridgeClient eb = EventBridgeClient.builder().endpointOverride(c.endpoint()).region(Region.US_EAST_1)
                         .credentialsProvider(Sdk.credentials("test", "test")).build()) {
                if (run == 0) {
                    eb.putRule(b -> b.name("kept").scheduleExpression("cron(0 12 * * ? *)").description("noon"));
                    eb.putTargets(b -> b.rule("kept").targets(t -> t.id("t").arn(recorderArn).input("{\"a\":1}")));
                } else {
                    assertEquals("cron(0 12 * * ? *)", eb.describeRule(b -> b.name("kept")).scheduleExpression());
                    assertEquals("noon", eb.describeRule(b -> b.name("kept")).description());
                    assertEquals("{\"a\":1}", eb.listTargetsByRule(b -> b.rule("kept")).targets().get(0).input());
                }
            }
        }
    }

    private static List<String> messages() {
        return LambdaFixtures.messages(logs, "/aws/lambda/recorder");
    }

    private static String awaitLine(Predicate<String> p) throws InterruptedException {
        return await("/aws/lambda/recorder", p);
    }

    private static String await(String group, Predicate<String> p) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                for (String l : LambdaFixtures.messages(logs, group)) {
                    if (p.test(l)) {
                        return l;
                    }
                }
            } catch (software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException e) {
                // the group appears with the first invocation
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no matching line in " + group);
    }
}
