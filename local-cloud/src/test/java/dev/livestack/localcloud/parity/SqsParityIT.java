package dev.livestack.localcloud.parity;

import static dev.livestack.localcloud.parity.CfnParityCloud.uid;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * SQS parity: LocalStack's recorded {@code sqs/test_sqs.py} replayed with SDK v2's SQS client (JSON protocol) against
 * local-cloud. Only the {@code [sqs]} parametrisations are run: the {@code [sqs_query]} ones need a client speaking
 * the query protocol, which SDK v2's SQS client no longer does.
 */
class SqsParityIT {
    static final String FILE = "tests/aws/services/sqs/test_sqs.snapshot.json";
    /** Just under the identical share reached when it was set (137 of 137); a lower share fails the build. */
    static final double FLOOR = 0.99;
    static final int MAX_MESSAGE_SIZE = 1_048_576;
    @RegisterExtension
    static final ParityCloud cloud = new ParityCloud();
    static Snapshots snapshots;
    static ParityReport report;
    static SqsClient sqs;

    @BeforeAll
    static void start() {
        String region = cloud.config().region();
        sqs = cloud.closeAfter(SqsClient.builder().endpointOverride(cloud.endpoint()).region(Region.of(region))
                .credentialsProvider(ParityCloud.credentials())
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(60)).retryStrategy(r -> r.maxAttempts(1)))
                .build());
        snapshots = Snapshots.load(FILE);
        report = new ParityReport("sqs", cloud.config().accountId(), region, sqsSteps());
    }

    /** The file's autouse fixture: the snapshot library's SQS set. */
    static List<Transform> sqsSteps() {
        return List.of(
                Transform.keyValue("ReceiptHandle"),
                Transform.keyValue("TaskHandle"),
                Transform.keyValue("SenderId"),
                Transform.keyValue("SequenceNumber"),
                Transform.jsonPath("$..MessageAttributes.RequestID.StringValue", "request-id", true),
                Transform.resourceNames("resource"));
    }

    @AfterAll
    static void check() throws Exception {
        report.skipRemaining(snapshots, SqsParityIT::whyNot);
        report.writeAndCheck(FLOOR);
    }

    static String whyNot(String testId) {
        if (testId.contains("[sqs_query")) {
            return "query-protocol parametrisation: SDK v2's SQS client speaks only the JSON protocol";
        }
        if (testId.endsWith("-invisible]")) {
            return "recorded for a parametrisation the test no longer has, so its input is unknown";
        }
        if (testId.contains("permission")) {
            return "AddPermission/RemovePermission are not served by local-cloud";
        }
        return "scenario not written yet";
    }

    /** LocalStack's {@code sqs_create_queue} fixture. */
    static String queue(String name, Map<String, String> attributes) {
        return sqs.createQueue(b -> b.queueName(name).attributesWithStrings(attributes)).queueUrl();
    }

    static String queue() {
        return queue("test-queue-" + uid(), Map.of());
    }

    static String fifo(Map<String, String> more) {
        Map<String, String> attributes = new java.util.HashMap<>(more);
        attributes.put("FifoQueue", "true");
        return queue("queue-" + uid() + ".fifo", attributes);
    }

    static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    static void run(String testId, java.util.function.Consumer<ParityRun> scenario) {
        report.run(snapshots, "TestSqsProvider::" + testId, scenario);
    }

    @Test
    void sendAndReceive() {
        run("test_send_empty_message[sqs]", c -> {
            String q = queue();
            c.call("send_empty_message", () -> sqs.sendMessage(b -> b.queueUrl(q).messageBody("")));
        });
        run("test_send_receive_max_number_of_messages[sqs]", c -> {
            String q = queue();
            sqs.sendMessage(b -> b.queueUrl(q).messageBody("message"));
            c.call("send_max_number_of_messages", () -> sqs.receiveMessage(b -> b.queueUrl(q).maxNumberOfMessages(11)));
        });
        run("test_receive_empty_queue[sqs]", c -> {
            String q = queue();
            c.skip("empty_short_poll_resp_no_param", "recorded by an earlier version of the test, whose call is unknown");
            c.call("empty_short_poll_resp", () -> sqs.receiveMessage(b -> b.queueUrl(q).maxNumberOfMessages(1)));
            c.call("empty_long_poll_resp", () -> sqs.receiveMessage(b -> b.queueUrl(q).maxNumberOfMessages(1).waitTimeSeconds(1)));
        });
        run("test_send_receive_wait_time_seconds[sqs]", c -> {
            String q = queue();
            sqs.sendMessage(b -> b.queueUrl(q).messageBody("message"));
            sqs.sendMessage(b -> b.queueUrl(q).messageBody("message"));
            c.call("recieve_message_error_too_large", () -> sqs.receiveMessage(b -> b.queueUrl(q).waitTimeSeconds(21)));
            c.call("recieve_message_error_too_small", () -> sqs.receiveMessage(b -> b.queueUrl(q).waitTimeSeconds(-1)));
            c.call("empty_short_poll_by_default_resp", () -> sqs.receiveMessage(b -> b.queueUrl(q).maxNumberOfMessages(1)));
            c.call("empty_short_poll_explicit_resp", () -> sqs.receiveMessage(b -> b.queueUrl(q).maxNumberOfMessages(1).waitTimeSeconds(0)));
        });
        run("test_send_oversized_message[sqs]", c -> {
            String q = queue();
            String body = "a".repeat(MAX_MESSAGE_SIZE - "kStringx".length() + 1);
            c.call("send_oversized_message", () -> sqs.sendMessage(b -> b.queueUrl(q).messageBody(body)
                    .messageAttributes(Map.of("k", text("x")))));
        });
        run("test_send_message_with_updated_maximum_message_size[sqs]", c -> {
            String q = queue();
            sqs.setQueueAttributes(b -> b.queueUrl(q).attributesWithStrings(Map.of("MaximumMessageSize", "1024")));
            sqs.sendMessage(b -> b.queueUrl(q).messageBody("a".repeat(1024)));
            String body = "a".repeat(1024 - "kStringx".length() + 1);
            c.call("send_oversized_message", () -> sqs.sendMessage(b -> b.queueUrl(q).messageBody(body)
                    .messageAttributes(Map.of("k", text("x")))));
        });
        run("test_send_message_batch_with_oversized_contents[sqs]", c -> {
            String q = queue();
            String body = "a".repeat(MAX_MESSAGE_SIZE - "kStringx".length());
            c.call("send_oversized_message_batch", () -> sqs.sendMessageBatch(b -> b.queueUrl(q).entries(
                    SendMessageBatchRequestEntry.builder().id("1").messageBody(body).messageAttributes(Map.of("k", text("x"))).build(),
                    SendMessageBatchRequestEntry.builder().id("2").messageBody("a").build())));
        });
        run("test_send_message_with_empty_string_attribute[sqs]", c -> {
            String q = queue();
            c.call("empty-string-attr", () -> sqs.sendMessage(b -> b.queueUrl(q).messageBody("test")
                    .messageAttributes(Map.of("ErrorDetails", text("")))));
        });
        run("test_send_message_with_binary_attributes[sqs]", c -> {
            String q = queue("queue-" + uid(), Map.of());
            byte[] value = "traceparent\u001e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01".getBytes(StandardCharsets.UTF_8);
            sqs.sendMessage(b -> b.queueUrl(q).messageBody("test").messageAttributes(Map.of("attr1",
                    MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromByteArray(value)).build())));
            var got = sqs.receiveMessage(b -> b.queueUrl(q).messageAttributeNames("All"));
            var view = Botocore.view(got);
            // botocore hands a blob as Python bytes, which the recording stored as their repr
            for (int i = 0; i < got.messages().size(); i++) {
                var attributes = (com.fasterxml.jackson.databind.node.ObjectNode) view.withArray("Messages").get(i).path("MessageAttributes");
                got.messages().get(i).messageAttributes().forEach((name, v) -> {
                    if (v.binaryValue() != null) {
                        attributes.with(name).put("BinaryValue", pythonBytes(v.binaryValue().asByteArray()));
                    }
                });
            }
            c.match("binary-attrs-msg", view);
        });
        for (String[] p : List.of(new String[] {"empty", ""}, new String[] {"too_long", "a".repeat(129)},
                new String[] {"spaces", "group 123"})) {
            run("test_send_message_to_standard_queue_with_invalid_message_group_id[" + p[0] + "]", c -> {
                String q = queue();
                c.call("error-response", () -> sqs.sendMessage(b -> b.queueUrl(q).messageBody("message").messageGroupId(p[1])));
            });
            run("test_message_deduplication_id_invalid[" + p[0] + "]", c -> {
                String q = fifo(Map.of());
                c.call("error-response", () -> sqs.sendMessage(b -> b.queueUrl(q).messageBody("Hello World!")
                        .messageGroupId("test").messageDeduplicationId(p[1])));
            });
        }
    }

    @Test
    void queues() {
        run("test_tag_untag_queue[sqs]", c -> {
            String q = queue();
            sqs.tagQueue(b -> b.queueUrl(q).tags(Map.of("tag1", "value1", "tag2", "value2", "tag3", "")));
            c.call("get-tag-1", () -> sqs.listQueueTags(b -> b.queueUrl(q)));
            sqs.untagQueue(b -> b.queueUrl(q).tagKeys("tag1", "tag3"));
            c.call("get-tag-2", () -> sqs.listQueueTags(b -> b.queueUrl(q)));
            sqs.untagQueue(b -> b.queueUrl(q).tagKeys("tag2"));
            c.call("get-tag-after-untag", () -> sqs.listQueueTags(b -> b.queueUrl(q)));
        });
        run("test_create_queue_with_different_attributes_raises_exception[sqs]", c -> {
            String name = "queue-" + uid();
            String q = queue(name, Map.of("ReceiveMessageWaitTimeSeconds", "1", "DelaySeconds", "1"));
            queue(name, Map.of());
            queue(name, Map.of("DelaySeconds", "1"));
            c.call("create_queue_01", () -> sqs.createQueue(b -> b.queueName(name)
                    .attributesWithStrings(Map.of("ReceiveMessageWaitTimeSeconds", "1", "DelaySeconds", "2"))));
            sqs.setQueueAttributes(b -> b.queueUrl(q).attributesWithStrings(Map.of("DelaySeconds", "2")));
            queue(name, Map.of("ReceiveMessageWaitTimeSeconds", "1", "DelaySeconds", "2"));
            c.call("create_queue_02", () -> sqs.createQueue(b -> b.queueName(name)
                    .attributesWithStrings(Map.of("ReceiveMessageWaitTimeSeconds", "1", "DelaySeconds", "1"))));
        });
        run("test_create_fifo_queue_with_different_attributes_raises_error[sqs]", c -> {
            String name = "queue-" + uid() + ".fifo";
            queue(name, Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true"));
            c.call("queue-already-exists", () -> sqs.createQueue(b -> b.queueName(name)
                    .attributesWithStrings(Map.of("FifoQueue", "true", "ContentBasedDeduplication", "false"))));
        });
        run("test_create_and_update_queue_attributes[sqs]", c -> {
            String q = queue("test-queue-" + uid(), Map.of("MessageRetentionPeriod", "604800",
                    "ReceiveMessageWaitTimeSeconds", "10", "VisibilityTimeout", "20"));
            c.call("get_queue_attributes", () -> sqs.getQueueAttributes(b -> b.queueUrl(q).attributeNamesWithStrings("All")));
            sqs.setQueueAttributes(b -> b.queueUrl(q).attributesWithStrings(Map.of("MaximumMessageSize", "2048",
                    "VisibilityTimeout", "69", "DelaySeconds", "420")));
            c.call("get_updated_queue_attributes", () -> sqs.getQueueAttributes(b -> b.queueUrl(q).attributeNamesWithStrings("All")));
        });
        run("test_create_standard_queue_with_fifo_attribute_raises_error[sqs]", c -> {
            String name = "queue-" + uid();
            c.call("invalid-attribute-fifo-queue", () -> sqs.createQueue(b -> b.queueName(name)
                    .attributesWithStrings(Map.of("FifoQueue", "false"))));
            c.call("invalid-attribute-content-based-deduplication", () -> sqs.createQueue(b -> b.queueName(name)
                    .attributesWithStrings(Map.of("ContentBasedDeduplication", "false"))));
            c.call("invalid-attribute-deduplication-scope", () -> sqs.createQueue(b -> b.queueName(name)
                    .attributesWithStrings(Map.of("DeduplicationScope", "queue"))));
            c.call("invalid-attribute-throughput-limit", () -> sqs.createQueue(b -> b.queueName(name)
                    .attributesWithStrings(Map.of("FifoThroughputLimit", "perQueue"))));
        });
        run("test_set_unsupported_attribute_standard[sqs]", c -> {
            String q = queue("queue-" + uid(), Map.of());
            c.call("invalid-attr-name-1", () -> sqs.setQueueAttributes(b -> b.queueUrl(q).attributesWithStrings(Map.of("FifoQueue", "true"))));
            c.call("invalid-attr-name-2", () -> sqs.setQueueAttributes(b -> b.queueUrl(q).attributesWithStrings(Map.of("FifoQueue", "false"))));
        });
        run("test_set_unsupported_attribute_fifo[sqs]", c -> {
            String q = queue("queue-" + uid(), Map.of());
            c.call("invalid-attr-name-1", () -> sqs.setQueueAttributes(b -> b.queueUrl(q).attributesWithStrings(Map.of("FifoQueue", "true"))));
            String f = fifo(Map.of());
            sqs.setQueueAttributes(b -> b.queueUrl(f).attributesWithStrings(Map.of("FifoQueue", "true")));
            c.call("invalid-attr-name-2", () -> sqs.setQueueAttributes(b -> b.queueUrl(f).attributesWithStrings(Map.of("FifoQueue", "false"))));
        });
        run("test_fifo_set_content_based_deduplication_strategy[sqs]", c -> {
            String q = fifo(Map.of("SqsManagedSseEnabled", "true", "ContentBasedDeduplication", "true"));
            c.call("before-update", () -> sqs.getQueueAttributes(b -> b.queueUrl(q).attributeNamesWithStrings("All")));
            sqs.setQueueAttributes(b -> b.queueUrl(q).attributesWithStrings(Map.of("ContentBasedDeduplication", "false")));
            c.call("after-update", () -> sqs.getQueueAttributes(b -> b.queueUrl(q).attributeNamesWithStrings("All")));
        });
        run("test_sse_queue_attributes[sqs]", c -> {
            String[] names = {"KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled"};
            String q = queue();
            sqs.setQueueAttributes(b -> b.queueUrl(q).attributesWithStrings(Map.of("KmsMasterKeyId", "testKeyId",
                    "KmsDataKeyReusePeriodSeconds", "6000", "SqsManagedSseEnabled", "false")));
            c.call("sse_kms_attributes", () -> sqs.getQueueAttributes(b -> b.queueUrl(q).attributeNamesWithStrings(names)));
            String q2 = queue();
            sqs.setQueueAttributes(b -> b.queueUrl(q2).attributesWithStrings(Map.of("SqsManagedSseEnabled", "true")));
            c.call("sse_sqs_attributes", () -> sqs.getQueueAttributes(b -> b.queueUrl(q2).attributeNamesWithStrings(names)));
        });
        run("test_sse_kms_and_sqs_are_mutually_exclusive[sqs]", c -> {
            String q = queue();
            try {
                sqs.setQueueAttributes(b -> b.queueUrl(q).attributesWithStrings(Map.of("KmsMasterKeyId", "testKeyId",
                        "SqsManagedSseEnabled", "true")));
                c.match("error", JsonNodeFactory.instance.textNode("no error"));
            } catch (AwsServiceException e) {
                // the test recorded the exception itself: botocore's ClientError as text
                c.match("error", JsonNodeFactory.instance.textNode("An error occurred (" + e.awsErrorDetails().errorCode()
                        + ") when calling the SetQueueAttributes operation: " + e.awsErrorDetails().errorMessage()));
            }
        });
        run("test_set_queue_attributes_default_values[sqs]", c -> {
            String q = queue();
            c.call("get-queue-attributes-initial-values", () -> sqs.getQueueAttributes(b -> b.queueUrl(q).attributeNamesWithStrings("All")));
            sqs.setQueueAttributes(b -> b.queueUrl(q).attributesWithStrings(Map.of("KmsMasterKeyId", "testKeyId",
                    "KmsDataKeyReusePeriodSeconds", "6000")));
            c.call("get-queue-attributes-after-update", () -> sqs.getQueueAttributes(b -> b.queueUrl(q).attributeNamesWithStrings("All")));
            sqs.setQueueAttributes(b -> b.queueUrl(q).attributesWithStrings(Map.of("KmsMasterKeyId", "",
                    "KmsDataKeyReusePeriodSeconds", "300")));
            c.call("get-queue-attributes-after-set-to-defaults", () -> sqs.getQueueAttributes(b -> b.queueUrl(q).attributeNamesWithStrings("All")));
        });
        run("test_successive_purge_calls_fail[sqs]", c -> {
            String name = "test-queue-" + uid();
            c.transform(Transform.text(name, "<queue-name>"));
            String q = queue(name, Map.of());
            sqs.purgeQueue(b -> b.queueUrl(q));
            c.call("purge_queue_error", () -> sqs.purgeQueue(b -> b.queueUrl(q)));
        });
        run("test_non_existent_queue", c -> {
            String name = "test-queue-" + uid();
            String q = queue(name, Map.of());
            sqs.deleteQueue(b -> b.queueUrl(q));
            c.call("queue-does-not-exist", () -> sqs.getQueueAttributes(b -> b.queueUrl(q)));
            c.call("queue-does-not-exist-url", () -> sqs.getQueueUrl(b -> b.queueName(name)));
            c.skip("queue-does-not-exist-query", "made with a query-protocol client, which SDK v2's SQS client is not");
        });
        report.run(snapshots, "TestSqsQueryApi::test_send_message_via_queue_url_with_json_protocol", c -> {
            String q = queue();
            // a client whose endpoint is the queue URL itself: JSON requests posted to the queue's path
            try (SqsClient onQueue = SqsClient.builder().endpointOverride(java.net.URI.create(q))
                    .region(Region.of(cloud.config().region())).credentialsProvider(ParityCloud.credentials())
                    .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1))).build()) {
                c.call("receive-json-on-queue-url", () -> onQueue.receiveMessage(b -> b.queueUrl(q).waitTimeSeconds(1)));
            }
        });
        run("test_list_queues_pagination", c -> {
            // the recording's seeded short uid, so its names and NextToken read the same
            String prefix = "7f7df0f5";
            for (int i = 0; i < 10; i++) {
                queue(prefix + "-test-queue-" + i, Map.of());
            }
            // the test maps AWS's queue URL host to LocalStack's; local-cloud's host is mapped the same way
            c.transform(Transform.text(cloud.endpoint().toString().replaceAll("/$", ""),
                    "http://sqs.<region>.localhost.localstack.cloud:4566"));
            String url = "http://sqs.<region>.localhost.localstack.cloud:4566/111111111111/" + prefix + "-test-queue-1";
            c.transform(Transform.regex("(?<=\"NextToken\":\\s?\")[^\"]*(?=\")",
                    Base64.getEncoder().encodeToString(url.getBytes(StandardCharsets.UTF_8))));
            c.call("list_all", () -> sqs.listQueues(b -> b.queueNamePrefix(prefix)));
            var two = c.call("list_two_max", () -> sqs.listQueues(b -> b.queueNamePrefix(prefix).maxResults(2)));
            String token = two == null ? null : two.nextToken();
            c.call("list_remaining", () -> sqs.listQueues(b -> b.queueNamePrefix(prefix).maxResults(10).nextToken(token)));
        });
    }

    @Test
    void messages() {
        SqsMessageScenarios.filters();
        SqsMessageScenarios.fifo();
        SqsMessageScenarios.deadLetters();
    }

    @Test
    void visibility() {
        SqsMessageScenarios.visibility();
    }

    @Test
    void batchesAndFifo() {
        run("test_fifo_queue_send_message_with_delay_seconds_fails[sqs]", c -> {
            String q = fifo(Map.of("ContentBasedDeduplication", "true"));
            c.call("send_message", () -> sqs.sendMessage(b -> b.queueUrl(q).messageBody("message-1").messageGroupId("1").delaySeconds(2)));
        });
        run("test_too_many_entries_in_batch_request[sqs]", c -> {
            String q = queue("queue-" + uid(), Map.of());
            List<SendMessageBatchRequestEntry> entries = IntStream.range(0, 20).mapToObj(i -> SendMessageBatchRequestEntry.builder()
                    .id("message-" + i).messageBody("messageBody-" + i).build()).toList();
            c.call("test_too_many_entries_in_batch_request", () -> sqs.sendMessageBatch(b -> b.queueUrl(q).entries(entries)));
        });
        run("test_invalid_batch_id[sqs]", c -> {
            String q = queue("queue-" + uid(), Map.of());
            String id = uid();
            c.call("test_invalid_batch_id", () -> sqs.sendMessageBatch(b -> b.queueUrl(q).entries(SendMessageBatchRequestEntry.builder()
                    .id("message:" + id).messageBody("messageBody-" + id).build())));
        });
        run("test_send_batch_missing_deduplication_id_for_fifo_queue[sqs]", c -> {
            String q = fifo(Map.of("ContentBasedDeduplication", "false"));
            c.call("test_missing_deduplication_id_for_fifo_queue", () -> sqs.sendMessageBatch(b -> b.queueUrl(q).entries(
                    SendMessageBatchRequestEntry.builder().id("message-" + uid()).messageBody("messageBody")
                            .messageGroupId("test-group").messageDeduplicationId("dedup-" + uid()).build(),
                    SendMessageBatchRequestEntry.builder().id("message-" + uid()).messageBody("messageBody")
                            .messageGroupId("test-group").build())));
        });
        run("test_send_batch_missing_message_group_id_for_fifo_queue[sqs]", c -> {
            String q = fifo(Map.of("ContentBasedDeduplication", "false"));
            c.call("test_missing_message_group_id_for_fifo_queue", () -> sqs.sendMessageBatch(b -> b.queueUrl(q).entries(
                    SendMessageBatchRequestEntry.builder().id("message-" + uid()).messageBody("messageBody")
                            .messageGroupId("test-group").messageDeduplicationId("dedup-" + uid()).build(),
                    SendMessageBatchRequestEntry.builder().id("message-" + uid()).messageBody("messageBody")
                            .messageDeduplicationId("dedup-" + uid()).build())));
        });
        report.run(snapshots, "TestSqsProvider::test_send_batch_message_size", c -> {
            String q = queue("test-queue-" + uid(), Map.of("MaximumMessageSize", "1024"));
            c.call("send-message-batch-result", () -> sqs.sendMessageBatch(b -> b.queueUrl(q).entries(
                    SendMessageBatchRequestEntry.builder().id("a4cff0d1-1961-44bd-ae53-c6d5ed71ed08").messageBody("a".repeat(1024)).build(),
                    SendMessageBatchRequestEntry.builder().id("35b535ed-b76a-4ebd-b749-6eb35cdb55ee").messageBody("a".repeat(1025)).build())));
        });
        for (String id : List.of("", "testLongId".repeat(10), "invalid:id")) {
            run("test_delete_message_batch_invalid_msg_id[sqs-" + id + "]", c -> {
                String q = queue("queue-" + uid(), Map.of());
                c.call("error_response", () -> sqs.deleteMessageBatch(b -> b.queueUrl(q).entries(
                        DeleteMessageBatchRequestEntry.builder().id(id).receiptHandle("testHandle1").build())));
            });
        }
        run("test_delete_message_batch_with_too_large_batch[sqs]", c -> {
            String q = queue("queue-" + uid(), Map.of());
            List<Message> got = twentyReceived(q);
            List<DeleteMessageBatchRequestEntry> entries = IntStream.range(0, got.size()).mapToObj(i -> DeleteMessageBatchRequestEntry
                    .builder().id(String.valueOf(i)).receiptHandle(got.get(i).receiptHandle()).build()).toList();
            c.call("error_response", () -> sqs.deleteMessageBatch(b -> b.queueUrl(q).entries(entries)));
        });
        run("test_change_message_visibility_batch_with_too_large_batch[sqs]", c -> {
            String q = queue("queue-" + uid(), Map.of());
            List<Message> got = twentyReceived(q);
            List<ChangeMessageVisibilityBatchRequestEntry> entries = IntStream.range(0, got.size())
                    .mapToObj(i -> ChangeMessageVisibilityBatchRequestEntry.builder().id(String.valueOf(i))
                            .receiptHandle(got.get(i).receiptHandle()).visibilityTimeout(1).build()).toList();
            c.call("error_response", () -> sqs.changeMessageVisibilityBatch(b -> b.queueUrl(q).entries(entries)));
        });
    }

    /** Python's repr of a bytes value: b'...' with non-printable bytes as \\xNN. */
    static String pythonBytes(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        char quote = text.contains("'") && !text.contains("\"") ? '"' : '\'';
        StringBuilder b = new StringBuilder("b").append(quote);
        for (byte raw : bytes) {
            int c = raw & 0xff;
            if (c == '\\' || c == quote) {
                b.append('\\').append((char) c);
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c < 0x20 || c >= 0x7f) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.append((char) c);
            }
        }
        return b.append(quote).toString();
    }

    /** Two batches of ten sent, then all twenty received (the tests retry until they have them). */
    private static List<Message> twentyReceived(String q) {
        List<SendMessageBatchRequestEntry> batch = IntStream.range(0, 10).mapToObj(i -> SendMessageBatchRequestEntry.builder()
                .id("message-" + i).messageBody("messageBody-" + i).build()).toList();
        sqs.sendMessageBatch(b -> b.queueUrl(q).entries(batch));
        sqs.sendMessageBatch(b -> b.queueUrl(q).entries(batch));
        List<Message> got = new ArrayList<>();
        for (int i = 0; i < 10 && got.size() < 20; i++) {
            int want = Math.min(10, 20 - got.size());
            got.addAll(sqs.receiveMessage(b -> b.queueUrl(q).maxNumberOfMessages(want)).messages());
        }
        return got;
    }
}
