package dev.livestack.localcloud.parity;

import static dev.livestack.localcloud.parity.CfnParityCloud.uid;
import static dev.livestack.localcloud.parity.SqsParityIT.queue;
import static dev.livestack.localcloud.parity.SqsParityIT.run;
import static dev.livestack.localcloud.parity.SqsParityIT.sqs;
import static dev.livestack.localcloud.parity.SqsParityIT.text;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/** test_sqs.py's message recordings: attribute filters, FIFO ordering and deduplication, visibility, dead letters. */
final class SqsMessageScenarios {
    private SqsMessageScenarios() {
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting out a visibility timeout", e);
        }
    }

    private static ReceiveMessageResponse receive(String q) {
        return sqs.receiveMessage(b -> b.queueUrl(q));
    }

    private static ObjectNode firstMessage(ReceiveMessageResponse r) {
        return Botocore.pojo(r.messages().get(0));
    }

    static void filters() {
        run("test_receive_message_message_attribute_names_filters[sqs]", c -> {
            String q = queue("test-queue-" + uid(), Map.of("VisibilityTimeout", "0"));
            c.call("send_message_response", () -> sqs.sendMessage(b -> b.queueUrl(q).messageBody("msg").messageAttributes(
                    Map.of("Help.Me", text("Me"), "Hello", text("There"), "General", text("Kenobi")))));
            java.util.function.Function<List<String>, ReceiveMessageResponse> get = names ->
                    sqs.receiveMessage(b -> b.queueUrl(q).waitTimeSeconds(5).messageAttributeNames(names));
            c.call("empty_filter", () -> get.apply(List.of()));
            c.call("all_name", () -> get.apply(List.of("All")));
            c.match("all_wildcard_asterisk", firstMessage(get.apply(List.of("*"))));
            c.match("all_wildcard", firstMessage(get.apply(List.of(".*"))));
            c.match("only_non_existing_names", firstMessage(get.apply(List.of("Foo", "Help"))));
            c.match("only_existing", firstMessage(get.apply(List.of("Hello", "General"))));
            c.match("existing_and_non_existing", firstMessage(get.apply(List.of("Foo", "Hello"))));
            c.match("prefix_filter", firstMessage(get.apply(List.of("Hel.*"))));
            c.call("illegal_name_1", () -> get.apply(List.of("AWS.")));
            c.call("illegal_name_2", () -> get.apply(List.of("..foo")));
        });
        run("test_receive_message_attribute_names_filters[sqs]", c -> {
            String q = queue("test-queue-" + uid(), Map.of("VisibilityTimeout", "0"));
            sqs.sendMessage(b -> b.queueUrl(q).messageBody("msg").messageAttributes(Map.of("Foo", text("Bar"))));
            c.call("all_attributes", () -> sqs.receiveMessage(b -> b.queueUrl(q).waitTimeSeconds(5).attributeNamesWithStrings("All")));
            c.call("all_system_and_message_attributes", () -> sqs.receiveMessage(b -> b.queueUrl(q).waitTimeSeconds(5)
                    .attributeNamesWithStrings("All").messageAttributeNames("All")));
            c.call("single_attribute", () -> sqs.receiveMessage(b -> b.queueUrl(q).waitTimeSeconds(5).attributeNamesWithStrings("SenderId")));
            c.call("multiple_attributes", () -> sqs.receiveMessage(b -> b.queueUrl(q).waitTimeSeconds(5)
                    .attributeNamesWithStrings("SenderId", "SequenceNumber")));
        });
        run("test_receive_message_message_system_attribute_names_filters[sqs]", c -> {
            String q = queue("test-queue-" + uid(), Map.of("VisibilityTimeout", "0"));
            sqs.sendMessage(b -> b.queueUrl(q).messageBody("msg").messageAttributes(Map.of("Foo", text("Bar"))));
            c.call("all_attributes", () -> sqs.receiveMessage(b -> b.queueUrl(q).waitTimeSeconds(5).messageSystemAttributeNamesWithStrings("All")));
            c.call("all_system_and_message_attributes", () -> sqs.receiveMessage(b -> b.queueUrl(q).waitTimeSeconds(5)
                    .messageSystemAttributeNamesWithStrings("All").messageAttributeNames("All")));
            c.call("single_attribute", () -> sqs.receiveMessage(b -> b.queueUrl(q).waitTimeSeconds(5)
                    .messageSystemAttributeNamesWithStrings("SenderId")));
            c.call("multiple_attributes", () -> sqs.receiveMessage(b -> b.queueUrl(q).waitTimeSeconds(5)
                    .messageSystemAttributeNamesWithStrings("SenderId", "SequenceNumber")));
        });
        run("test_message_system_attribute_names_with_attribute_names[sqs]", c -> {
            String q = queue("test-queue-" + uid(), Map.of("VisibilityTimeout", "0"));
            sqs.sendMessage(b -> b.queueUrl(q).messageBody("msg").messageAttributes(Map.of("Foo", text("Bar"))));
            c.call("same_values", () -> sqs.receiveMessage(b -> b.queueUrl(q).waitTimeSeconds(5)
                    .messageSystemAttributeNamesWithStrings("All").attributeNamesWithStrings("All")));
            c.call("different_values", () -> sqs.receiveMessage(b -> b.queueUrl(q).waitTimeSeconds(5)
                    .messageSystemAttributeNamesWithStrings("All").attributeNamesWithStrings("SenderId")));
        });
        run("test_aws_trace_header_propagation[sqs]", c -> {
            String q = queue();
            // the recording set X-Amzn-Trace-Id on the HTTP request; SDK v2 lets a request add a header the same way
            sqs.sendMessage(b -> b.queueUrl(q).messageBody("test").messageAttributes(Map.of("timestamp",
                    software.amazon.awssdk.services.sqs.model.MessageAttributeValue.builder().dataType("Number").stringValue("1493147359900").build()))
                    .overrideConfiguration(o -> o.putHeader("X-Amzn-Trace-Id",
                            "Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1")));
            var r = sqs.receiveMessage(b -> b.queueUrl(q).attributeNamesWithStrings("SentTimestamp", "AWSTraceHeader")
                    .maxNumberOfMessages(1).messageAttributeNames("All").visibilityTimeout(2).waitTimeSeconds(2));
            c.match("xray-msg", firstMessage(r));
        });
    }

    static void fifo() {
        run("test_fifo_empty_message_groups_added_back_to_queue[sqs]", c -> {
            String q = SqsParityIT.fifo(Map.of("FifoQueue", "True"));
            sqs.sendMessage(b -> b.queueUrl(q).messageDeduplicationId("1").messageGroupId("g1").messageBody("Message 1"));
            var first = c.call("inital-fifo-receive", () -> receive(q));
            sqs.deleteMessage(b -> b.queueUrl(q).receiptHandle(first.messages().get(0).receiptHandle()));
            c.call("empty-fifo-receive", () -> receive(q));
            sqs.sendMessage(b -> b.queueUrl(q).messageDeduplicationId("2").messageGroupId("g1").messageBody("Message 2"));
            c.call("final-fifo-receive", () -> receive(q));
        });
        run("test_fifo_message_attributes[sqs]", c -> {
            String q = SqsParityIT.fifo(Map.of("ContentBasedDeduplication", "true", "VisibilityTimeout", "0",
                    "DeduplicationScope", "messageGroup", "FifoThroughputLimit", "perMessageGroupId"));
            c.call("send_message", () -> sqs.sendMessage(b -> b.queueUrl(q).messageBody("message-body-1").messageGroupId("group-1")
                    .messageDeduplicationId("dedup-1")));
            c.call("receive_message_0", () -> sqs.receiveMessage(b -> b.queueUrl(q).attributeNamesWithStrings("All").waitTimeSeconds(10)));
            c.call("receive_message_1", () -> sqs.receiveMessage(b -> b.queueUrl(q).attributeNamesWithStrings("All").waitTimeSeconds(10)));
        });
        for (boolean contentBased : new boolean[] {true, false}) {
            String param = contentBased ? "True" : "False";
            String dedup = contentBased ? null : "dedup1";
            Map<String, String> attributes = contentBased ? Map.of("ContentBasedDeduplication", "true") : Map.of();
            String item = "{\"foo\": \"bar\"}";
            run("test_fifo_deduplication_arrives_once_after_delete[sqs-" + param + "]", c -> {
                String q = fifoNamed("test-queue-", attributes);
                sqs.sendMessage(b -> b.queueUrl(q).messageBody(item).messageGroupId("group-1").messageDeduplicationId(dedup));
                var got = c.call("get-messages", () -> sqs.receiveMessage(b -> b.queueUrl(q).waitTimeSeconds(3)));
                sqs.deleteMessage(b -> b.queueUrl(q).receiptHandle(got.messages().get(0).receiptHandle()));
                sqs.sendMessage(b -> b.queueUrl(q).messageBody(item).messageGroupId("group-1").messageDeduplicationId(dedup));
                c.call("get-messages-duplicate", () -> sqs.receiveMessage(b -> b.queueUrl(q).waitTimeSeconds(1)));
            });
            run("test_fifo_deduplication_not_on_message_group_id[sqs-" + param + "]", c -> {
                String q = fifoNamed("test-queue-", attributes);
                sqs.sendMessage(b -> b.queueUrl(q).messageBody(item).messageGroupId("group-1").messageDeduplicationId(dedup));
                sqs.sendMessage(b -> b.queueUrl(q).messageBody(item).messageGroupId("group-2").messageDeduplicationId(dedup));
                c.call("get-messages", () -> sqs.receiveMessage(b -> b.queueUrl(q).maxNumberOfMessages(1).waitTimeSeconds(2)));
                c.call("get-dedup-messages", () -> sqs.receiveMessage(b -> b.queueUrl(q).maxNumberOfMessages(1).waitTimeSeconds(1)));
            });
        }
        run("test_sqs_fifo_same_dedup_id_different_message_groups[sqs]", c -> {
            String q = SqsParityIT.fifo(Map.of("FifoQueue", "True", "ContentBasedDeduplication", "False"));
            twoGroups(c, q, "Test", "Test", "same-dedup");
        });
        run("test_fifo_high_throughput_ordering[sqs]", c -> {
            String q = SqsParityIT.fifo(Map.of("FifoQueue", "True", "ContentBasedDeduplication", "False",
                    "DeduplicationScope", "messageGroup", "FifoThroughputLimit", "perMessageGroupId"));
            twoGroups(c, q, "Test1", "Test2", "same-dedup");
        });
        run("test_sqs_fifo_message_group_scope_no_throughput_setting[sqs]", c -> {
            String q = SqsParityIT.fifo(Map.of("FifoQueue", "True", "ContentBasedDeduplication", "True",
                    "DeduplicationScope", "messageGroup"));
            twoGroups(c, q, "Test", "Test", null);
        });
        run("test_fifo_change_to_regular_throughput_after_creation[sqs]", c -> {
            String q = SqsParityIT.fifo(Map.of("FifoQueue", "True", "ContentBasedDeduplication", "False",
                    "DeduplicationScope", "messageGroup", "FifoThroughputLimit", "perMessageGroupId"));
            sqs.sendMessage(b -> b.queueUrl(q).messageBody("Test1").messageGroupId("group1").messageDeduplicationId("same-dedup"));
            var one = c.call("same-dedup-different-grp-1", () -> receive(q));
            sqs.deleteMessage(b -> b.queueUrl(q).receiptHandle(one.messages().get(0).receiptHandle()));
            sqs.sendMessage(b -> b.queueUrl(q).messageBody("Test2").messageGroupId("group2").messageDeduplicationId("same-dedup"));
            var two = receive(q);
            sqs.deleteMessage(b -> b.queueUrl(q).receiptHandle(two.messages().get(0).receiptHandle()));
            c.match("same-dedup-different-grp-2", Botocore.view(two));
            sqs.setQueueAttributes(b -> b.queueUrl(q).attributesWithStrings(Map.of("DeduplicationScope", "queue",
                    "FifoThroughputLimit", "perQueue")));
            c.call("set-to-regular-throughput", () -> sqs.getQueueAttributes(b -> b.queueUrl(q).attributeNamesWithStrings("All")));
            sqs.sendMessage(b -> b.queueUrl(q).messageBody("Test3").messageGroupId("group3").messageDeduplicationId("same-dedup"));
            c.call("same-dedup-different-grp-regular-throughput", () -> receive(q));
        });
        run("test_fifo_change_to_high_throughput_after_creation[sqs]", c -> {
            String q = SqsParityIT.fifo(Map.of("FifoQueue", "True", "ContentBasedDeduplication", "False", "DeduplicationScope", "queue"));
            sqs.sendMessage(b -> b.queueUrl(q).messageBody("Test1").messageGroupId("group1").messageDeduplicationId("same-dedup"));
            var one = c.call("same-dedup-different-grp-1", () -> receive(q));
            sqs.deleteMessage(b -> b.queueUrl(q).receiptHandle(one.messages().get(0).receiptHandle()));
            sqs.sendMessage(b -> b.queueUrl(q).messageBody("Test2").messageGroupId("group2").messageDeduplicationId("same-dedup"));
            c.call("same-dedup-different-grp-2", () -> sqs.receiveMessage(b -> b.queueUrl(q).visibilityTimeout(0)));
            sqs.setQueueAttributes(b -> b.queueUrl(q).attributesWithStrings(Map.of("DeduplicationScope", "messageGroup",
                    "FifoThroughputLimit", "perMessageGroupId")));
            c.call("set-to-high-throughput", () -> sqs.getQueueAttributes(b -> b.queueUrl(q).attributeNamesWithStrings("All")));
            c.call("same-dedup-different-grp-high-throughput", () -> receive(q));
            sqs.sendMessage(b -> b.queueUrl(q).messageBody("Test3").messageGroupId("group3").messageDeduplicationId("same-dedup"));
            c.call("same-dedup-different-grp-high-throughput-2", () -> receive(q));
            sqs.sendMessage(b -> b.queueUrl(q).messageBody("Test4").messageGroupId("group4").messageDeduplicationId("dedup_2"));
            var four = c.call("new-dedup2-high-throughput", () -> receive(q));
            sqs.deleteMessage(b -> b.queueUrl(q).receiptHandle(four.messages().get(0).receiptHandle()));
            sqs.sendMessage(b -> b.queueUrl(q).messageBody("Test5").messageGroupId("group5").messageDeduplicationId("dedup_2"));
            c.call("same-dedup2-high-throughput", () -> receive(q));
        });
        run("test_fair_queue_with_message_group_id[sqs]", c -> {
            String q = queue();
            c.call("send_message", () -> sqs.sendMessage(b -> b.queueUrl(q).messageBody("message").messageGroupId("test")));
            c.call("get-message-with-deduplication-id", () -> sqs.receiveMessage(b -> b.queueUrl(q).waitTimeSeconds(5)
                    .attributeNamesWithStrings("All")));
        });
        run("test_posting_to_fifo_requires_deduplicationid_group_id[sqs]", c -> {
            String q = SqsParityIT.fifo(Map.of());
            String body = "test" + uid();
            String dedup = "fifo_dedup-" + uid();
            String group = "fifo_group-" + uid();
            c.call("invalid-parameter-value", () -> sqs.sendMessage(b -> b.queueUrl(q).messageBody(body).messageGroupId(group)));
            c.call("missing-parameter", () -> sqs.sendMessage(b -> b.queueUrl(q).messageBody(body).messageDeduplicationId(dedup)));
            // the recording's second pair went through the default client, which speaks JSON as well
            c.call("invalid-parameter-value-query", () -> sqs.sendMessage(b -> b.queueUrl(q).messageBody(body).messageGroupId(group)));
            c.call("missing-parameter-query", () -> sqs.sendMessage(b -> b.queueUrl(q).messageBody(body).messageDeduplicationId(dedup)));
        });
    }

    private static String fifoNamed(String prefix, Map<String, String> attributes) {
        Map<String, String> all = new java.util.HashMap<>(attributes);
        all.put("FifoQueue", "true");
        return queue(prefix + uid() + ".fifo", all);
    }

    private static void twoGroups(ParityRun c, String q, String body1, String body2, String dedup) {
        sqs.sendMessage(b -> b.queueUrl(q).messageBody(body1).messageGroupId("group1").messageDeduplicationId(dedup));
        var one = c.call("same-dedup-different-grp-1", () -> receive(q));
        sqs.deleteMessage(b -> b.queueUrl(q).receiptHandle(one.messages().get(0).receiptHandle()));
        sqs.sendMessage(b -> b.queueUrl(q).messageBody(body2).messageGroupId("group2").messageDeduplicationId(dedup));
        c.call("same-dedup-different-grp-2", () -> receive(q));
    }

    static void visibility() {
        run("test_change_message_visibility_after_visibility_timeout_expiration[sqs]", c -> {
            String q = queue("test-queue-" + uid(), Map.of("VisibilityTimeout", "1"));
            sqs.sendMessage(b -> b.queueUrl(q).messageBody("test"));
            String receipt = receive(q).messages().get(0).receiptHandle();
            sleep(2000);
            c.call("visibility_timeout_expired", () -> sqs.changeMessageVisibility(b -> b.queueUrl(q).receiptHandle(receipt).visibilityTimeout(2)));
        });
        run("test_delete_after_visibility_timeout[sqs]", c -> {
            String q = queue("test-" + uid(), Map.of("VisibilityTimeout", "1"));
            sqs.sendMessage(b -> b.queueUrl(q).messageBody("foobar"));
            String receipt = sqs.receiveMessage(b -> b.queueUrl(q).waitTimeSeconds(5)).messages().get(0).receiptHandle();
            sleep(1000);
            sqs.deleteMessage(b -> b.queueUrl(q).receiptHandle(receipt));
            c.call("delete_after_timeout_queue_empty", () -> receive(q));
        });
        run("test_fifo_delete_after_visibility_timeout[sqs]", c -> {
            String q = fifoNamed("test-", Map.of("VisibilityTimeout", "1", "ContentBasedDeduplication", "True"));
            sqs.sendMessage(b -> b.queueUrl(q).messageBody("foobar").messageGroupId("1"));
            var got = c.call("received_sqs_message", () -> sqs.receiveMessage(b -> b.queueUrl(q).waitTimeSeconds(5)));
            sleep(1000);
            c.call("delete_after_timeout_fifo", () -> sqs.deleteMessage(b -> b.queueUrl(q).receiptHandle(got.messages().get(0).receiptHandle())));
        });
        run("test_fifo_delete_after_visibility_timeout_extended[sqs]", c -> {
            String q = fifoNamed("test-", Map.of("VisibilityTimeout", "1", "ContentBasedDeduplication", "True"));
            sqs.sendMessage(b -> b.queueUrl(q).messageBody("foobar").messageGroupId("1"));
            var got = c.call("received_sqs_message", () -> sqs.receiveMessage(b -> b.queueUrl(q).waitTimeSeconds(5)));
            String receipt = got.messages().get(0).receiptHandle();
            sqs.changeMessageVisibility(b -> b.queueUrl(q).receiptHandle(receipt).visibilityTimeout(5));
            sleep(1500);
            sqs.deleteMessage(b -> b.queueUrl(q).receiptHandle(receipt));
            c.call("delete_after_timeout_fifo_extended", () -> receive(q));
        });
        run("test_fifo_queue_send_message_with_zero_delay_defaults_to_queue_delay[sqs]", c -> {
            String q = SqsParityIT.fifo(Map.of("ContentBasedDeduplication", "true", "DelaySeconds", "2"));
            c.call("send_message_result", () -> sqs.sendMessage(b -> b.queueUrl(q).messageBody("message-1").messageGroupId("1").delaySeconds(0)));
            c.call("receive_message_initial_result", () -> sqs.receiveMessage(b -> b.queueUrl(q).waitTimeSeconds(1)));
            sleep(3000);
            c.call("receive_message_after_delay_result", () -> sqs.receiveMessage(b -> b.queueUrl(q).maxNumberOfMessages(1)));
        });
        String[][] params = {{"0-visible", "0"}, {"1-visible", "1"}, {"2-visible", "2"}};
        for (String[] p : params) {
            run("test_fifo_group_visibility_extends_with_change_message_visibility[sqs-" + p[0] + "]", c -> {
                String q = fifoNamed("test-queue-", Map.of("VisibilityTimeout", "1"));
                for (String body : List.of("foo", "bar", "baz")) {
                    sqs.sendMessage(b -> b.queueUrl(q).messageBody(body).messageGroupId("1").messageDeduplicationId(body));
                }
                var all = c.call("receive_all_messages", () -> sqs.receiveMessage(b -> b.queueUrl(q).maxNumberOfMessages(5)));
                String receipt = all.messages().get(Integer.parseInt(p[1])).receiptHandle();
                sqs.changeMessageVisibility(b -> b.queueUrl(q).receiptHandle(receipt).visibilityTimeout(4));
                sleep(2500);
                c.call("some-messages-invisible", () -> sqs.receiveMessage(b -> b.queueUrl(q).maxNumberOfMessages(5)));
            });
        }
    }

    static void deadLetters() {
        report().run(SqsParityIT.snapshots, "TestSqsProvider::test_dead_letter_queue_message_attributes", c -> {
            String dlq = queue("dl-queue-" + uid(), Map.of());
            String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNamesWithStrings("QueueArn")).attributesAsStrings().get("QueueArn");
            String q = queue("queue-" + uid(), Map.of("RedrivePolicy",
                    "{\"deadLetterTargetArn\": \"" + dlqArn + "\", \"maxReceiveCount\": 1}"));
            c.match("dlq-arn", JsonNodeFactory.instance.textNode(dlqArn));
            c.match("sourcen-arn", JsonNodeFactory.instance.textNode(
                    sqs.getQueueAttributes(b -> b.queueUrl(q).attributeNamesWithStrings("QueueArn")).attributesAsStrings().get("QueueArn")));
            sqs.sendMessage(b -> b.queueUrl(q).messageBody("message-1").messageAttributes(Map.of("MyAttribute", text("foobar")))
                    .messageSystemAttributes(Map.of(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER, MessageSystemAttributeValue.builder()
                            .dataType("String").stringValue("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1").build())));
            sqs.sendMessage(b -> b.queueUrl(q).messageBody("message-2"));
            List<Message> before = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                before.addAll(sqs.receiveMessage(b -> b.queueUrl(q).visibilityTimeout(0).attributeNamesWithStrings("All")
                        .messageAttributeNames("All")).messages());
            }
            c.match("rec-pre-dlq", withoutSenderId(before));
            List<Message> moved = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 10_000;
            while (moved.size() < 2 && System.currentTimeMillis() < deadline) {
                moved.addAll(sqs.receiveMessage(ReceiveMessageRequest.builder().queueUrl(dlq).waitTimeSeconds(1)
                        .attributeNamesWithStrings("All").messageAttributeNames("All").build()).messages());
            }
            c.match("dlq-messages", withoutSenderId(moved));
        });
    }

    private static ParityReport report() {
        return SqsParityIT.report;
    }

    /** The messages sorted by body without SenderId, as the test itself edited them before matching. */
    private static ArrayNode withoutSenderId(List<Message> messages) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        messages.stream().sorted(Comparator.comparing(Message::body)).forEach(m -> {
            ObjectNode o = Botocore.pojo(m);
            if (o.has("Attributes")) {
                ((ObjectNode) o.get("Attributes")).remove("SenderId");
            }
            out.add(o);
        });
        return out;
    }
}
