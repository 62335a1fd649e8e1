package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** SQS through the real SDK v2 client (awsJson 1.0 with the query-compatible error header). */
class SqsIT {
    @RegisterExtension
    static final LocalCloudFixture cloud = new LocalCloudFixture();
    static SqsClient sqs;

    @BeforeAll
    static void clients() {
        sqs = cloud.closeAfter(client(cloud.endpoint()));
    }

    static SqsClient client(URI endpoint) {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(Sdk.credentials("test", "test")).overrideConfiguration(Sdk.noRetries()).build();
    }

    @Test
    void sendReceiveDeleteWithAttributesAndTheirDigests() {
        String url = sqs.createQueue(b -> b.queueName("plain")).queueUrl();
        assertEquals(cloud.endpoint() + "/000000000000/plain", url);
        assertEquals(url, sqs.getQueueUrl(b -> b.queueName("plain")).queueUrl());
        // the SDK checks MD5OfMessageBody and MD5OfMessageAttributes itself and throws on a mismatch
        SendMessageResponse sent = sqs.sendMessage(b -> b.queueUrl(url).messageBody("héllo {\"a\":1}")
                .messageAttributes(Map.of("kind", MessageAttributeValue.builder().dataType("String").stringValue("order").build(),
                        "n", MessageAttributeValue.builder().dataType("Number").stringValue("42").build(),
                        "raw", MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromUtf8String("xyz")).build())));
        assertTrue(sent.messageId().matches("[0-9a-f-]{36}"));
        ReceiveMessageResponse got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL));
        assertEquals(1, got.messages().size());
        Message m = got.messages().get(0);
        assertEquals("héllo {\"a\":1}", m.body());
        assertEquals("order", m.messageAttributes().get("kind").stringValue());
        assertEquals("xyz", m.messageAttributes().get("raw").binaryValue().asUtf8String());
        assertEquals("1", m.attributesAsStrings().get("ApproximateReceiveCount"));
        assertTrue(Long.parseLong(m.attributesAsStrings().get("SentTimestamp")) > 0);
        assertEquals(sent.md5OfMessageAttributes(), m.md5OfMessageAttributes());
        // hidden for the visibility timeout
        assertTrue(sqs.receiveMessage(b -> b.queueUrl(url)).messages().isEmpty());
        Map<String, String> counts = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributesAsStrings();
        assertEquals("0", counts.get("ApproximateNumberOfMessages"));
        assertEquals("1", counts.get("ApproximateNumberOfMessagesNotVisible"));
        assertEquals("arn:aws:sqs:us-east-1:000000000000:plain", counts.get("QueueArn"));
        assertEquals("30", counts.get("VisibilityTimeout"));
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
        assertEquals("0", sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributesAsStrings().get("ApproximateNumberOfMessagesNotVisible"));
    }

    @Test
    void visibilityTimeoutBringsAMessageBackAndChangeVisibilityReleasesIt() throws Exception {
        String url = sqs.createQueue(b -> b.queueName("vis").attributesWithStrings(Map.of("VisibilityTimeout", "1"))).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("again"));
        Message first = sqs.receiveMessage(b -> b.queueUrl(url)).messages().get(0);
        assertTrue(sqs.receiveMessage(b -> b.queueUrl(url)).messages().isEmpty());
        Message second = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(3)).messages().get(0);
        assertEquals(first.messageId(), second.messageId());
        assertNotEquals(first.receiptHandle(), second.receiptHandle());
        Message again = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(3).visibilityTimeout(0)
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages().get(0);
        assertEquals("3", again.attributesAsStrings().get("ApproximateReceiveCount"));
        Message third = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(2)).messages().get(0);
        sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(third.receiptHandle()).visibilityTimeout(0));
        assertEquals(1, sqs.receiveMessage(b -> b.queueUrl(url)).messages().size());
    }

    @Test
    void longPollReturnsAsSoonAsAMessageIsSent() throws Exception {
        String url = sqs.createQueue(b -> b.queueName("long-poll")).queueUrl();
        long start = System.nanoTime();
        CompletableFuture<ReceiveMessageResponse> waiting = CompletableFuture.supplyAsync(
                () -> sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(20)));
        Thread.sleep(300);
        long sentAt = System.nanoTime();
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("wake"));
        ReceiveMessageResponse r = waiting.get(5, TimeUnit.SECONDS);
        long afterSend = (System.nanoTime() - sentAt) / 1_000_000;
        assertEquals("wake", r.messages().get(0).body());
        assertTrue(afterSend < 1000, "the long poll answered " + afterSend + " ms after the send");
        assertTrue((System.nanoTime() - start) / 1_000_000 >= 300);
    }

    @Test
    void delaySecondsHidesANewMessage() throws Exception {
        String url = sqs.createQueue(b -> b.queueName("delayed")).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("later").delaySeconds(1));
        assertTrue(sqs.receiveMessage(b -> b.queueUrl(url)).messages().isEmpty());
        assertEquals("1", sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributesAsStrings().get("ApproximateNumberOfMessagesDelayed"));
        assertEquals("later", sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(3)).messages().get(0).body());
    }

    @Test
    void fifoKeepsGroupOrderHoldsABusyGroupAndDeduplicates() {
        String url = sqs.createQueue(b -> b.queueName("orders.fifo").attributesWithStrings(Map.of("FifoQueue", "true",
                "ContentBasedDeduplication", "true"))).queueUrl();
        List<String> seq = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String body = "a" + i;
            seq.add(sqs.sendMessage(b -> b.queueUrl(url).messageBody(body).messageGroupId("A")).sequenceNumber());
        }
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("b1").messageGroupId("B"));
        SendMessageResponse dup = sqs.sendMessage(b -> b.queueUrl(url).messageBody("a1").messageGroupId("A"));
        assertEquals(seq.get(0), dup.sequenceNumber(), "content-based deduplication within five minutes");
        assertTrue(seq.get(0).compareTo(seq.get(1)) < 0);
        List<Message> first = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(2)).messages();
        assertEquals(List.of("a1", "a2"), first.stream().map(Message::body).toList());
        // group A has messages in flight: only B's message may come now
        List<Message> second = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages();
        assertEquals(List.of("b1"), second.stream().map(Message::body).toList());
        first.forEach(m -> sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle())));
        assertEquals(List.of("a3"), sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages()
                .stream().map(Message::body).toList());
        SqsException noGroup = assertThrows(SqsException.class, () -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("x")));
        assertEquals("MissingParameter", noGroup.awsErrorDetails().errorCode());
        assertEquals("The request must contain the parameter MessageGroupId.", noGroup.awsErrorDetails().errorMessage());
        SqsException badName = assertThrows(SqsException.class, () -> sqs.createQueue(b -> b.queueName("nofifo")
                .attributesWithStrings(Map.of("FifoQueue", "true"))));
        assertEquals("InvalidParameterValue", badName.awsErrorDetails().errorCode());
    }

    @Test
    void redrivePolicyMovesAMessageToTheDeadLetterQueueAfterMaxReceiveCount() throws Exception {
        String dlq = sqs.createQueue(b -> b.queueName("redrive-dlq")).queueUrl();
        String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributesAsStrings().get("QueueArn");
        String url = sqs.createQueue(b -> b.queueName("redrive-src").attributesWithStrings(Map.of("VisibilityTimeout", "0",
                "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"2\"}"))).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("poison"));
        assertEquals(1, sqs.receiveMessage(b -> b.queueUrl(url)).messages().size());
        assertEquals(1, sqs.receiveMessage(b -> b.queueUrl(url)).messages().size());
        assertTrue(sqs.receiveMessage(b -> b.queueUrl(url)).messages().isEmpty(), "the third receive moves it instead");
        Message dead = sqs.receiveMessage(b -> b.queueUrl(dlq).messageSystemAttributeNames(MessageSystemAttributeName.ALL))
                .messages().get(0);
        assertEquals("poison", dead.body());
        assertEquals("arn:aws:sqs:us-east-1:000000000000:redrive-src", dead.attributesAsStrings().get("DeadLetterQueueSourceArn"));
        assertEquals(List.of(url), sqs.listDeadLetterSourceQueues(b -> b.queueUrl(dlq)).queueUrls());
    }

    @Test
    void batchesReportEachEntry() {
        String url = sqs.createQueue(b -> b.queueName("batch")).queueUrl();
        SendMessageBatchResponse r = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
                e -> e.id("one").messageBody("1"), e -> e.id("two").messageBody("2"), e -> e.id("bad").messageBody("")));
        assertEquals(List.of("one", "two"), r.successful().stream().map(s -> s.id()).toList());
        BatchResultErrorEntry failed = r.failed().get(0);
        assertEquals("bad", failed.id());
        assertEquals("MissingParameter", failed.code());
        assertTrue(failed.senderFault());
        List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages();
        assertEquals(2, got.size());
        var deleted = sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(
                e -> e.id("a").receiptHandle(got.get(0).receiptHandle()), e -> e.id("b").receiptHandle("garbage")));
        assertEquals(List.of("a"), deleted.successful().stream().map(s -> s.id()).toList());
        assertEquals("ReceiptHandleIsInvalid", deleted.failed().get(0).code());
        SqsException distinct = assertThrows(SqsException.class, () -> sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
                e -> e.id("x").messageBody("1"), e -> e.id("x").messageBody("2"))));
        assertEquals("AWS.SimpleQueueService.BatchEntryIdsNotDistinct", distinct.awsErrorDetails().errorCode());
    }

    @Test
    void errorsCarryAwsCodesAndMessages() {
        QueueDoesNotExistException missing = assertThrows(QueueDoesNotExistException.class,
                () -> sqs.getQueueUrl(b -> b.queueName("no-such-queue")));
        assertEquals("AWS.SimpleQueueService.NonExistentQueue", missing.awsErrorDetails().errorCode());
        assertEquals("The specified queue does not exist.", missing.awsErrorDetails().errorMessage());
        assertEquals(400, missing.statusCode());
        // the AWS form of a queue URL names the same queue
        sqs.createQueue(b -> b.queueName("aws-form"));
        assertEquals(0, sqs.receiveMessage(b -> b.queueUrl("https://sqs.us-east-1.amazonaws.com/000000000000/aws-form"))
                .messages().size());
        sqs.createQueue(b -> b.queueName("attrs").attributesWithStrings(Map.of("DelaySeconds", "1")));
        QueueNameExistsException exists = assertThrows(QueueNameExistsException.class,
                () -> sqs.createQueue(b -> b.queueName("attrs").attributesWithStrings(Map.of("DelaySeconds", "2"))));
        assertEquals("A queue already exists with the same name and a different value for attribute DelaySeconds",
                exists.awsErrorDetails().errorMessage());
        String url = sqs.createQueue(b -> b.queueName("errors")).queueUrl();
        SqsException tooMany = assertThrows(SqsException.class, () -> sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(11)));
        assertEquals("Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.",
                tooMany.awsErrorDetails().errorMessage());
        SqsException unknown = assertThrows(SqsException.class, () -> sqs.setQueueAttributes(b -> b.queueUrl(url)
                .attributesWithStrings(Map.of("FifoQueue", "true"))));
        assertEquals("InvalidAttributeName", unknown.awsErrorDetails().errorCode());
        sqs.purgeQueue(b -> b.queueUrl(url));
        SqsException purge = assertThrows(SqsException.class, () -> sqs.purgeQueue(b -> b.queueUrl(url)));
        assertEquals("AWS.SimpleQueueService.PurgeQueueInProgress", purge.awsErrorDetails().errorCode());
        assertEquals(403, purge.statusCode());
    }

    @Test
    void listsTagsAndDeletesQueues() {
        sqs.createQueue(b -> b.queueName("listed-1").tags(Map.of("team", "a")));
        String url2 = sqs.createQueue(b -> b.queueName("listed-2")).queueUrl();
        var page = sqs.listQueues(b -> b.queueNamePrefix("listed-").maxResults(1));
        assertEquals(1, page.queueUrls().size());
        var rest = sqs.listQueues(b -> b.queueNamePrefix("listed-").maxResults(1).nextToken(page.nextToken()));
        assertEquals(List.of(url2), rest.queueUrls());
        String url1 = page.queueUrls().get(0);
        assertEquals(Map.of("team", "a"), sqs.listQueueTags(b -> b.queueUrl(url1)).tags());
        sqs.tagQueue(b -> b.queueUrl(url1).tags(Map.of("env", "dev")));
        sqs.untagQueue(b -> b.queueUrl(url1).tagKeys("team"));
        assertEquals(Map.of("env", "dev"), sqs.listQueueTags(b -> b.queueUrl(url1)).tags());
        sqs.deleteQueue(b -> b.queueUrl(url2));
        assertFalse(sqs.listQueues(b -> b.queueNamePrefix("listed-")).queueUrls().contains(url2));
        assertThrows(QueueDoesNotExistException.class, () -> sqs.sendMessage(b -> b.queueUrl(url2).messageBody("x")));
    }

    @Test
    void queuesMessagesAndInFlightStateSurviveARestart() throws Exception {
        java.nio.file.Path state = cloud.state().resolve("restart");
        String url;
        String receipt;
        String firstSequence;
        int port;
        try (LocalCloud first = LocalCloud.start(LocalCloudConfig.defaults(state, 0)); SqsClient c = client(first.endpoint())) {
            port = first.endpoint().getPort();
            url = c.createQueue(b -> b.queueName("kept.fifo").attributesWithStrings(Map.of("FifoQueue", "true",
                    "ContentBasedDeduplication", "true"))).queueUrl();
            firstSequence = c.sendMessage(b -> b.queueUrl(url).messageBody("one").messageGroupId("g")).sequenceNumber();
            c.sendMessage(b -> b.queueUrl(url).messageBody("two").messageGroupId("g"));
            receipt = c.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(60)).messages().get(0).receiptHandle();
        }
        try (LocalCloud second = LocalCloud.start(LocalCloudConfig.defaults(state, port)); SqsClient c = client(second.endpoint())) {
            assertEquals(url, c.getQueueUrl(b -> b.queueName("kept.fifo")).queueUrl());
            // "one" is still in flight, so its group holds "two" back until it is deleted with the old receipt handle
            assertTrue(c.receiveMessage(b -> b.queueUrl(url)).messages().isEmpty());
            c.deleteMessage(b -> b.queueUrl(url).receiptHandle(receipt));
            assertEquals("two", c.receiveMessage(b -> b.queueUrl(url)).messages().get(0).body());
            SendMessageResponse dup = c.sendMessage(b -> b.queueUrl(url).messageBody("one").messageGroupId("g"));
            assertEquals(firstSequence, dup.sequenceNumber(), "the deduplication window survives too");
        }
    }

    static final String QUEUE_STACK = """
            Resources:
              Q:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName: %s
                  FifoQueue: false
                  %s
                  Tags: [{Key: team, Value: core}]
              Fifo:
                Type: AWS::SQS::Queue
                Properties:
                  FifoQueue: true
              P:
                Type: AWS::SQS::QueuePolicy
                Properties:
                  Queues: [!Ref Q]
                  PolicyDocument:
                    Statement: [{Effect: Allow, Principal: '*', Action: 'sqs:SendMessage', Resource: !GetAtt Q.Arn}]
            Outputs:
              Url: {Value: !Ref Q}
              Arn: {Value: !GetAtt Q.Arn}
              Name: {Value: !GetAtt Q.QueueName}
              FifoUrl: {Value: !GetAtt Fifo.QueueUrl}
            """;

    @Test
    void cloudFormationCreatesUpdatesInPlaceAndReplacesQueues() {
        Cfn cfn = new Cfn(cloud.closeAfter(Sdk.cloudFormation(cloud.endpoint())));
        var created = cfn.deploy("queues", QUEUE_STACK.formatted("cfn-q", "VisibilityTimeout: 10"));
        assertEquals("CREATE_COMPLETE", created.stackStatusAsString(), created.stackStatusReason());
        Map<String, String> out = cfn.outputs(created);
        assertEquals(cloud.endpoint() + "/000000000000/cfn-q", out.get("Url"));
        assertEquals("arn:aws:sqs:us-east-1:000000000000:cfn-q", out.get("Arn"));
        assertEquals("cfn-q", out.get("Name"));
        assertTrue(out.get("FifoUrl").matches(".*/000000000000/queues-Fifo-[A-Z0-9]{13}\\.fifo"), out.get("FifoUrl"));
        Map<String, String> a = sqs.getQueueAttributes(b -> b.queueUrl(out.get("Url")).attributeNames(QueueAttributeName.ALL)).attributesAsStrings();
        assertEquals("10", a.get("VisibilityTimeout"));
        assertTrue(a.get("Policy").contains("sqs:SendMessage"), a.get("Policy"));
        assertEquals(Map.of("team", "core"), sqs.listQueueTags(b -> b.queueUrl(out.get("Url"))).tags());
        sqs.sendMessage(b -> b.queueUrl(out.get("Url")).messageBody("kept"));

        // a property change is applied in place: same queue, same messages
        var updated = cfn.deploy("queues", QUEUE_STACK.formatted("cfn-q", "DelaySeconds: 5"));
        assertEquals("UPDATE_COMPLETE", updated.stackStatusAsString(), updated.stackStatusReason());
        a = sqs.getQueueAttributes(b -> b.queueUrl(out.get("Url")).attributeNames(QueueAttributeName.ALL)).attributesAsStrings();
        assertEquals("30", a.get("VisibilityTimeout"), "a property taken out of the template goes back to its default");
        assertEquals("5", a.get("DelaySeconds"));
        assertEquals("1", a.get("ApproximateNumberOfMessages"));

        // a new name replaces it
        var renamed = cfn.deploy("queues", QUEUE_STACK.formatted("cfn-q2", "DelaySeconds: 5"));
        assertEquals("UPDATE_COMPLETE", renamed.stackStatusAsString(), renamed.stackStatusReason());
        assertEquals(cloud.endpoint() + "/000000000000/cfn-q2", cfn.outputs(renamed).get("Url"));
        assertThrows(QueueDoesNotExistException.class, () -> sqs.getQueueUrl(b -> b.queueName("cfn-q")));
        assertTrue(sqs.getQueueAttributes(b -> b.queueUrl(cfn.outputs(renamed).get("Url")).attributeNames(QueueAttributeName.POLICY))
                .attributesAsStrings().get("Policy").contains("cfn-q2"));

        cfn.client.deleteStack(b -> b.stackName("queues"));
        cfn.awaitSettled(renamed.stackId());
        assertThrows(QueueDoesNotExistException.class, () -> sqs.getQueueUrl(b -> b.queueName("cfn-q2")));
    }
}
