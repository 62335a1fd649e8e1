package dev.livestack.localcloud.parity;

import static dev.livestack.localcloud.parity.CfnParityCloud.uid;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * EventBridge parity: LocalStack's recorded {@code events/test_events.py} replayed with SDK v2 against local-cloud,
 * which serves the default event bus only (so the {@code [custom]} parametrisations are skipped).
 */
class EventsParityIT {
    static final String FILE = "tests/aws/services/events/test_events.snapshot.json";
    /** Just under the identical share reached when it was set (37 of 37); a lower share fails the build. */
    static final double FLOOR = 0.97;
    static final String DETAIL = "{\"command\": \"update-account\", \"payload\": {\"acc_id\": \"0a787ecb-4015\", \"sf_id\": \"baz\"}}";
    static final String PATTERN = "{\"source\": [\"core.update-account-command\"], \"detail-type\": [\"core.update-account-command\"], "
            + "\"detail\": {\"command\": [\"update-account\"]}}";
    static final String SOURCE = "core.update-account-command";
    @RegisterExtension
    static final ParityCloud cloud = new ParityCloud();
    static Snapshots snapshots;
    static ParityReport report;
    static EventBridgeClient events;
    static SqsClient sqs;

    @BeforeAll
    static void start() {
        Region region = Region.of(cloud.config().region());
        events = cloud.closeAfter(EventBridgeClient.builder().endpointOverride(cloud.endpoint()).region(region)
                .credentialsProvider(ParityCloud.credentials())
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(60)).retryStrategy(r -> r.maxAttempts(1))).build());
        sqs = cloud.closeAfter(SqsClient.builder().endpointOverride(cloud.endpoint()).region(region)
                .credentialsProvider(ParityCloud.credentials())
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1))).build());
        snapshots = Snapshots.load(FILE);
        report = new ParityReport("events", cloud.config().accountId(), cloud.config().region(), List.of());
    }

    @AfterAll
    static void check() throws Exception {
        report.skipRemaining(snapshots, EventsParityIT::whyNot);
        report.writeAndCheck(FLOOR);
    }

    static String whyNot(String testId) {
        if (testId.contains("custom") || testId.startsWith("TestEventBus::")) {
            return "custom event buses (CreateEventBus, DescribeEventBus, permissions) are not served by local-cloud";
        }
        if (testId.contains("connection")) {
            return "connections and API destinations are not served by local-cloud";
        }
        return "scenario not written yet";
    }

    private static void run(String testId, Consumer<ParityRun> scenario) {
        report.run(snapshots, testId, scenario);
    }

    /** LocalStack's {@code events_put_rule} fixture: a rule on the default bus with the file's test pattern. */
    private static String rule(String name) {
        events.putRule(b -> b.name(name).eventPattern(PATTERN));
        return name;
    }

    private static String queueArn() {
        String url = sqs.createQueue(b -> b.queueName("test-queue-" + uid())).queueUrl();
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("QueueArn")).attributesAsStrings().get("QueueArn");
    }

    @Test
    void putEvents() {
        run("TestEvents::test_put_events_without_source", c -> c.call("put-events", () -> events.putEvents(b -> b.entries(
                PutEventsRequestEntry.builder().detailType(SOURCE).detail(DETAIL).build()))));
        run("TestEvents::test_put_event_without_detail", c -> c.call("put-events", () -> events.putEvents(b -> b.entries(
                PutEventsRequestEntry.builder().source(SOURCE).detailType(SOURCE).build()))));
        run("TestEvents::test_put_event_without_detail_type", c -> c.call("put-events", () -> events.putEvents(b -> b.entries(
                PutEventsRequestEntry.builder().source("some.source").detail(DETAIL).detailType("").build()))));
        run("TestEvents::test_put_events_exceed_limit_ten_entries[default]", c -> {
            c.transform(Transform.text("default", "<bus-name>"));
            List<PutEventsRequestEntry> entries = IntStream.range(0, 11).mapToObj(i -> PutEventsRequestEntry.builder()
                    .source(SOURCE).detailType(SOURCE).detail(DETAIL).eventBusName("default").build()).toList();
            c.call("put-events-exceed-limit-error", () -> events.putEvents(b -> b.entries(entries)));
        });
        for (String[] p : List.of(new String[] {"STRING", "NotJSON"}, new String[] {"ARRAY", "[]"},
                new String[] {"MALFORMED_JSON", "{{}"}, new String[] {"SERIALIZED_STRING", "\"NotJSON\""})) {
            run("TestEvents::test_put_event_malformed_detail[" + p[0] + "]", c -> c.call("put-events", () -> events.putEvents(b -> b.entries(
                    PutEventsRequestEntry.builder().source(SOURCE).detailType(SOURCE).detail(p[1]).build()))));
        }
    }

    @Test
    void delivery() {
        run("TestEvents::test_put_events_with_time_field", c -> {
            c.transform(Transform.keyValue("MD5OfBody", Transform.kebab("MD5OfBody"), false));
            c.transforms(SqsParityIT.sqsSteps(), 0);
            String name = "test-rule-" + uid();
            String url = sqs.createQueue(b -> b.queueName("test-queue-" + uid())).queueUrl();
            String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("QueueArn")).attributesAsStrings().get("QueueArn");
            events.putRule(b -> b.name(name).eventPattern("{\"source\": [\"test-source\"], \"detail-type\": [\"test-detail-type\"]}"));
            events.putTargets(b -> b.rule(name).targets(Target.builder().id("id1").arn(arn).build()));
            c.call("put-events", () -> events.putEvents(b -> b.entries(PutEventsRequestEntry.builder().source("test-source")
                    .detailType("test-detail-type").time(java.time.Instant.now()).detail("{\"message\": \"test message\"}").build())));
            var got = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < 4 && got.isEmpty(); i++) {
                for (var m : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                    got.add(Botocore.pojo(m));
                    sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
                }
            }
            c.match("sqs-messages", got);
        });
    }

    @Test
    void rules() {
        run("TestEventRule::test_put_list_with_prefix_describe_delete_rule[default]", c -> {
            String name = "test-rule-" + uid();
            c.transform(Transform.text(name, "<rule-name>"));
            c.call("put-rule", () -> events.putRule(b -> b.name(name).eventPattern(PATTERN).eventBusName("default")));
            c.call("list-rules", () -> events.listRules(b -> b.namePrefix(name).eventBusName("default")));
            c.call("describe-rule", () -> events.describeRule(b -> b.name(name).eventBusName("default")));
            c.call("delete-rule", () -> events.deleteRule(b -> b.name(name).eventBusName("default")));
            c.call("list-rules-after-delete", () -> events.listRules(b -> b.namePrefix(name).eventBusName("default")));
        });
        run("TestEventRule::test_describe_nonexistent_rule", c -> {
            String name = "this-rule-does-not-exist-1234567890-" + uid();
            c.transform(Transform.text(name, "<rule-name>"));
            c.call("describe-not-existing-rule-error", () -> events.describeRule(b -> b.name(name)));
        });
        run("TestEventRule::test_disable_re_enable_rule[default]", c -> {
            String name = rule("test-rule-" + uid());
            c.transform(Transform.text(name, "<rule-name>"));
            c.call("disable-rule", () -> events.disableRule(b -> b.name(name).eventBusName("default")));
            c.call("describe-rule-disabled", () -> events.describeRule(b -> b.name(name).eventBusName("default")));
            c.call("enable-rule", () -> events.enableRule(b -> b.name(name).eventBusName("default")));
            c.call("describe-rule-enabled", () -> events.describeRule(b -> b.name(name).eventBusName("default")));
        });
        run("TestEventRule::test_delete_rule_with_targets", c -> {
            String name = rule("test-rule-" + uid());
            c.transform(Transform.text(name, "<rule-name>"));
            String target = "test-target-" + uid();
            c.transform(Transform.text(target, "<target-id>"));
            String arn = queueArn();
            c.transform(Transform.text(arn, "<queue-arn>"));
            events.putTargets(b -> b.rule(name).targets(Target.builder().id(target).arn(arn).build()));
            c.call("delete-rule-with-targets-error", () -> events.deleteRule(b -> b.name(name)));
        });
    }

    @Test
    void targets() {
        run("TestEventTarget::test_put_list_remove_target[default]", c -> {
            String name = rule("test-rule-" + uid());
            c.transform(Transform.text(name, "<rule-name>"));
            String arn = queueArn();
            c.transform(Transform.text(arn, "<queue-arn>"));
            String target = "test-target-" + uid();
            c.transform(Transform.text(target, "<target-id>"));
            c.call("put-target", () -> events.putTargets(b -> b.rule(name).targets(Target.builder().id(target).arn(arn).build())));
            c.call("list-targets", () -> events.listTargetsByRule(b -> b.rule(name)));
            c.call("remove-target", () -> events.removeTargets(b -> b.rule(name).ids(target)));
            c.call("list-targets-after-delete", () -> events.listTargetsByRule(b -> b.rule(name)));
        });
        run("TestEventTarget::test_add_exceed_fife_targets_per_rule", c -> {
            String name = rule("test-rule-" + uid());
            c.transform(Transform.text(name, "<rule-name>"));
            String arn = queueArn();
            c.transform(Transform.text(arn, "<queue-arn>"));
            c.transform(Transform.text("test-target-", "<target-id>"));
            List<Target> targets = IntStream.range(0, 7).mapToObj(i -> Target.builder().id("test-target-" + i).arn(arn).build()).toList();
            c.call("put-targets-client-error", () -> events.putTargets(b -> b.rule(name).targets(targets)));
        });
        run("TestEventTarget::test_put_target_id_validation", c -> {
            String name = "rule-" + uid();
            String arn = queueArn();
            events.putRule(b -> b.name(name).eventPattern(PATTERN).state("ENABLED"));
            String bad = "!@#$@!#$";
            // the recording gave this id to a regex step, where its "$" anchors and nothing is replaced
            c.transform(Transform.regex(bad, "invalid-target-id"));
            c.call("put-targets-invalid-id-error", () -> events.putTargets(b -> b.rule(name).targets(
                    Target.builder().id(bad).arn(arn).inputPath("$.detail").build())));
            String tooLong = UUID.randomUUID() + "-" + UUID.randomUUID() + "-extra";
            c.transform(Transform.text(tooLong, "second-invalid-target-id"));
            c.call("put-targets-length-error", () -> events.putTargets(b -> b.rule(name).targets(
                    Target.builder().id(tooLong).arn(arn).inputPath("$.detail").build())));
        });
        run("TestEventTarget::test_put_multiple_targets_with_same_id_single_rule", c -> {
            String name = "rule-" + uid();
            String arn = queueArn();
            events.putRule(b -> b.name(name).eventPattern(PATTERN).state("ENABLED"));
            String target = "test-With_valid.Characters-" + uid();
            events.putTargets(b -> b.rule(name).targets(Target.builder().id(target).arn(arn).inputPath("$.detail").build()));
            events.putTargets(b -> b.rule(name).targets(Target.builder().id(target).arn(arn).inputPath("$.notexisting").build()));
            c.transform(Transform.text(target, "target-id"));
            c.transform(Transform.text(arn, "target-arn"));
            c.call("list-targets", () -> events.listTargetsByRule(b -> b.rule(name)));
        });
        run("TestEventRule::test_update_rule_with_targets", c -> {
            String name = rule("test-rule-" + uid());
            c.transform(Transform.regex(name, "<rule-name>"));
            String target = "test-target-" + uid();
            c.transform(Transform.regex(target, "<target-id>"));
            String arn = queueArn();
            c.transform(Transform.regex(arn, "<queue-arn>"));
            events.putTargets(b -> b.rule(name).targets(Target.builder().id(target).arn(arn).build()));
            c.call("list-targets", () -> events.listTargetsByRule(b -> b.rule(name)));
            c.call("update-rule", () -> events.putRule(b -> b.name(name).eventPattern(PATTERN)));
            c.call("list-targets-after-update", () -> events.listTargetsByRule(b -> b.rule(name)));
        });
        run("TestEventTarget::test_put_multiple_targets_with_same_id_across_different_rules", c -> {
            String one = "test-rule-one-" + uid();
            String two = "test-rule-two-" + uid();
            String arn = queueArn();
            events.putRule(b -> b.name(one).eventPattern(PATTERN).state("ENABLED"));
            events.putRule(b -> b.name(two).eventPattern(PATTERN).state("ENABLED"));
            String target = "test-With_valid.Characters-" + uid();
            events.putTargets(b -> b.rule(one).targets(Target.builder().id(target).arn(arn).inputPath("$.detail").build()));
            events.putTargets(b -> b.rule(two).targets(Target.builder().id(target).arn(arn).inputPath("$.notexisting").build()));
            c.transform(Transform.regex(target, "target-id"));
            c.transform(Transform.regex(arn, "target-arn"));
            c.call("list-targets-rule-one", () -> events.listTargetsByRule(b -> b.rule(one)));
            c.call("list-targets-rule-two", () -> events.listTargetsByRule(b -> b.rule(two)));
        });
        run("TestEventTarget::test_put_multiple_targets_with_same_arn_single_rule", c -> {
            String name = "rule-" + uid();
            String arn = queueArn();
            events.putRule(b -> b.name(name).eventPattern(PATTERN).state("ENABLED"));
            String first = "test-With_valid.Characters-" + uid();
            String second = "test-With_valid.Characters-" + uid();
            events.putTargets(b -> b.rule(name).targets(Target.builder().id(first).arn(arn).inputPath("$.detail").build(),
                    Target.builder().id(second).arn(arn).inputPath("$.doesnotexist").build()));
            c.transform(Transform.regex(first, "target-id-one"));
            c.transform(Transform.regex(second, "target-id-two"));
            c.transform(Transform.regex(arn, "target-arn"));
            c.call("list-targets", () -> events.listTargetsByRule(b -> b.rule(name)));
        });
        run("TestEventTarget::test_list_target_by_rule_limit", c -> {
            c.transform(Transform.jsonPath("$..NextToken", "next_token", true));
            String name = rule("test-rule-" + uid());
            c.transform(Transform.regex(name, "<rule-name>"));
            String arn = queueArn();
            c.transform(Transform.regex(arn, "<queue-arn>"));
            c.transform(Transform.regex("test-target-", "<target-id>"));
            List<Target> targets = IntStream.range(0, 5).mapToObj(i -> Target.builder().id("test-target-" + i).arn(arn).build()).toList();
            events.putTargets(b -> b.rule(name).targets(targets));
            var first = c.call("list-targets-limit", () -> events.listTargetsByRule(b -> b.rule(name).limit(3)));
            String token = first == null ? null : first.nextToken();
            c.call("list-targets-limit-next-token", () -> events.listTargetsByRule(b -> b.rule(name).nextToken(token)));
        });
    }
}
