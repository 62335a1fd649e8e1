package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourceMappingConfiguration;
import software.amazon.awssdk.services.lambda.model.FunctionResponseType;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SQS event source mappings end to end: a CloudFormation stack with a queue, its dead-letter queue, a Python
 * function and the mapping; messages sent with the SDK reach the function as SQS event records, failed items
 * return and land in the dead-letter queue after maxReceiveCount, logs appear in the function's log group.
 */
class EventSourceMappingIT {
    @RegisterExtension
    static final LocalCloudFixture cloud = new LocalCloudFixture();
    static SqsClient sqs;
    static LambdaClient lambda;
    static CloudWatchLogsClient logs;
    static Cfn cfn;

    static final String HANDLER = """
            import time
            def handler(event, context):
                failures = []
                for r in event["Records"]:
                    print("processed %s at %d from %s count %s attr %s" % (r["body"], int(time.time() * 1000),
                        r["eventSourceARN"], r["attributes"]["ApproximateReceiveCount"],
                        r["messageAttributes"].get("kind", {}).get("stringValue")))
                    if r["body"].startswith("fail"):
                        failures.append({"itemIdentifier": r["messageId"]})
                return {"batchItemFailures": failures}
            """;

    static final String TEMPLATE = """
            Resources:
              Dead:
                Type: AWS::SQS::Queue
              Work:
                Type: AWS::SQS::Queue
                Properties:
                  VisibilityTimeout: 3
                  RedrivePolicy:
                    deadLetterTargetArn: !GetAtt Dead.Arn
                    maxReceiveCount: 2
              Worker:
                Type: AWS::Lambda::Function
                Properties:
                  FunctionName: esm-worker
                  Runtime: python3.12
                  Handler: index.handler
                  Timeout: 3
                  Role: arn:aws:iam::000000000000:role/lambda-role
                  Code:
                    ZipFile: |
            %s
              Mapping:
                Type: AWS::Lambda::EventSourceMapping
                Properties:
                  FunctionName: !Ref Worker
                  EventSourceArn: !GetAtt Work.Arn
                  BatchSize: 10
                  FunctionResponseTypes: [ReportBatchItemFailures]
            Outputs:
              WorkUrl: {Value: !Ref Work}
              DeadUrl: {Value: !GetAtt Dead.QueueUrl}
              MappingId: {Value: !Ref Mapping}
            """.formatted(HANDLER.lines().map(l -> "          " + l).reduce((a, b) -> a + "\n" + b).orElse(""));

    @BeforeAll
    static void clients() {
        sqs = cloud.closeAfter(SqsIT.client(cloud.endpoint()));
        lambda = cloud.closeAfter(LambdaFixtures.lambda(cloud.endpoint()));
        logs = cloud.closeAfter(LambdaFixtures.logs(cloud.endpoint()));
        cfn = new Cfn(cloud.closeAfter(Sdk.cloudFormation(cloud.endpoint())));
    }

    @Test
    void aStackWiresQueueFunctionAndMappingAndFailedItemsReachTheDeadLetterQueue() {
        Stack stack = cfn.deploy("esm", TEMPLATE);
        assertEquals("CREATE_COMPLETE", stack.stackStatusAsString(), stack.stackStatusReason());
        Map<String, String> out = cfn.outputs(stack);
        String work = out.get("WorkUrl");
        String dead = out.get("DeadUrl");
        var m = lambda.getEventSourceMapping(b -> b.uuid(out.get("MappingId")));
        assertEquals("Enabled", m.state());
        assertEquals(List.of(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES), m.functionResponseTypes());
        assertTrue(m.eventSourceArn().endsWith(work.substring(work.lastIndexOf('/') + 1)));
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:esm-worker", m.functionArn());

        sqs.sendMessage(b -> b.queueUrl(work).messageBody("ok-1").messageAttributes(Map.of("kind",
                software.amazon.awssdk.services.sqs.model.MessageAttributeValue.builder().dataType("String").stringValue("order").build())));
        sqs.sendMessage(b -> b.queueUrl(work).messageBody("fail-1"));
        String line = await(() -> logLine("processed ok-1 "), 30_000);
        assertTrue(line.contains("from " + m.eventSourceArn()) && line.contains("attr order"), line);
        // the failed item is received twice (maxReceiveCount 2), then moves to the dead-letter queue
        Message deadMessage = await(() -> {
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(dead).waitTimeSeconds(1)).messages();
            return got.isEmpty() ? null : got.get(0);
        }, 30_000);
        assertEquals("fail-1", deadMessage.body());
        assertTrue(logLine("processed fail-1 .* count 2 ") != null);
        assertEquals("0", await(() -> {
            Map<String, String> a = sqs.getQueueAttributes(b -> b.queueUrl(work).attributeNames(QueueAttributeName.ALL)).attributesAsStrings();
            long left = Long.parseLong(a.get("ApproximateNumberOfMessages")) + Long.parseLong(a.get("ApproximateNumberOfMessagesNotVisible"));
            return left == 0 ? "0" : null;
        }, 10_000));

        // a warm, idle mapping starts the function right after a send: the poller is woken, not sleeping
        long sentAt = System.currentTimeMillis();
        sqs.sendMessage(b -> b.queueUrl(work).messageBody("ok-2"));
        String warm = await(() -> logLine("processed ok-2 "), 10_000);
        Matcher at = Pattern.compile("at (\\d+)").matcher(warm);
        assertTrue(at.find());
        long startedAfter = Long.parseLong(at.group(1)) - sentAt;
        System.out.println("ESM send → handler start: " + startedAfter + " ms");
        assertTrue(startedAfter < 1000, "the function started " + startedAfter + " ms after the send");

        // disabled: messages wait in the queue; enabled again: they are processed
        assertEquals("Disabling", lambda.updateEventSourceMapping(b -> b.uuid(m.uuid()).enabled(false)).state());
        assertEquals("Disabled", lambda.getEventSourceMapping(b -> b.uuid(m.uuid())).state());
        sqs.sendMessage(b -> b.queueUrl(work).messageBody("ok-3"));
        Cfn.sleep(500);
        assertEquals("1", sqs.getQueueAttributes(b -> b.queueUrl(work).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributesAsStrings().get("ApproximateNumberOfMessages"));
        assertEquals("Enabling", lambda.updateEventSourceMapping(b -> b.uuid(m.uuid()).enabled(true)).state());
        await(() -> logLine("processed ok-3 "), 10_000);

        cfn.client.deleteStack(b -> b.stackName("esm"));
        cfn.awaitSettled(stack.stackId());
        assertThrows(ResourceNotFoundException.class, () -> lambda.getEventSourceMapping(b -> b.uuid(m.uuid())));
    }

    @Test
    void theApiChecksItsInputsAsLambdaDoes() {
        LambdaFixtures.create(lambda, "esm-api", Runtime.PYTHON3_12, "def handler(e, c):\n    return None\n");
        String url = sqs.createQueue(b -> b.queueName("esm-api-q")).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).attributesAsStrings().get("QueueArn");
        InvalidParameterValueException noQueue = assertThrows(InvalidParameterValueException.class,
                () -> lambda.createEventSourceMapping(b -> b.functionName("esm-api").eventSourceArn(arn + "-missing")));
        assertTrue(noQueue.getMessage().contains("AWS.SimpleQueueService.NonExistentQueue"), noQueue.getMessage());
        assertThrows(ResourceNotFoundException.class,
                () -> lambda.createEventSourceMapping(b -> b.functionName("no-such-function").eventSourceArn(arn)));
        assertThrows(InvalidParameterValueException.class,
                () -> lambda.createEventSourceMapping(b -> b.functionName("esm-api").eventSourceArn(arn).batchSize(100)));
        lambda.updateFunctionConfiguration(b -> b.functionName("esm-api").timeout(60));
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("esm-api"));
        InvalidParameterValueException visibility = assertThrows(InvalidParameterValueException.class,
                () -> lambda.createEventSourceMapping(b -> b.functionName("esm-api").eventSourceArn(arn)));
        assertTrue(visibility.getMessage().startsWith("Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds"),
                visibility.getMessage());
        lambda.updateFunctionConfiguration(b -> b.functionName("esm-api").timeout(30));
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("esm-api"));
        var created = lambda.createEventSourceMapping(b -> b.functionName("esm-api").eventSourceArn(arn).enabled(false));
        assertEquals("Creating", created.state());
        assertEquals(10, created.batchSize());
        assertThrows(ResourceConflictException.class,
                () -> lambda.createEventSourceMapping(b -> b.functionName("esm-api").eventSourceArn(arn)));
        assertEquals(List.of(created.uuid()), lambda.listEventSourceMappings(b -> b.functionName("esm-api"))
                .eventSourceMappings().stream().map(EventSourceMappingConfiguration::uuid).toList());
        assertEquals("Disabled", lambda.getEventSourceMapping(b -> b.uuid(created.uuid())).state());
        assertEquals("Deleting", lambda.deleteEventSourceMapping(b -> b.uuid(created.uuid())).state());
        ResourceNotFoundException gone = assertThrows(ResourceNotFoundException.class,
                () -> lambda.getEventSourceMapping(b -> b.uuid(created.uuid())));
        assertTrue(gone.getMessage().startsWith("The resource you requested does not exist."), gone.getMessage());
    }

    @Test
    void aMappingKeepsPollingAfterARestart() throws Exception {
        java.nio.file.Path state = cloud.state().resolve("restart");
        String uuid;
        String url;
        int port;
        try (LocalCloud first = LocalCloud.start(LocalCloudConfig.defaults(state, 0));
             SqsClient q = SqsIT.client(first.endpoint()); LambdaClient l = LambdaFixtures.lambda(first.endpoint())) {
            port = first.endpoint().getPort();
            LambdaFixtures.create(l, "esm-kept", Runtime.PYTHON3_12,
                    "def handler(e, c):\n    for r in e['Records']:\n        print('kept got ' + r['body'])\n");
            url = q.createQueue(b -> b.queueName("esm-kept")).queueUrl();
            String arn = q.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributesAsStrings().get("QueueArn");
            uuid = l.createEventSourceMapping(b -> b.functionName("esm-kept").eventSourceArn(arn)).uuid();
        }
        try (LocalCloud second = LocalCloud.start(LocalCloudConfig.defaults(state, port));
             SqsClient q = SqsIT.client(second.endpoint()); LambdaClient l = LambdaFixtures.lambda(second.endpoint());
             CloudWatchLogsClient lg = LambdaFixtures.logs(second.endpoint())) {
            assertEquals("Enabled", l.getEventSourceMapping(b -> b.uuid(uuid)).state());
            q.sendMessage(b -> b.queueUrl(url).messageBody("after restart"));
            await(() -> {
                try {
                    return lg.filterLogEvents(b -> b.logGroupName("/aws/lambda/esm-kept")).events().stream()
                            .anyMatch(e -> e.message().contains("kept got after restart")) ? "seen" : null;
                } catch (software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException notYet) {
                    return null;
                }
            }, 30_000);
        }
    }

    /** The first log line of esm-worker matching a regular expression, or null. */
    private static String logLine(String regex) {
        Pattern p = Pattern.compile(regex);
        try {
            for (FilteredLogEvent e : logs.filterLogEvents(b -> b.logGroupName("/aws/lambda/esm-worker")).events()) {
                if (p.matcher(e.message()).find()) {
                    return e.message();
                }
            }
        } catch (software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException notYet) {
            return null;
        }
        return null;
    }

    private static <T> T await(Supplier<T> probe, long millis) {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            T v = probe.get();
            if (v != null) {
                return v;
            }
            Cfn.sleep(25);
        }
        throw new AssertionError("not within " + millis + " ms");
    }
}
