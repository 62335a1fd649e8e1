package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQS through clients nobody here wrote: the AWS CLI v2.9 ({@code /usr/bin/aws}, whose botocore speaks the query
 * protocol to SQS), the AWS CLI v1 on the PATH and boto3 (newer botocore: awsJson 1.0).
 */
class SqsClientsIT {
    @RegisterExtension
    static final LocalCloudFixture cloud = new LocalCloudFixture();
    @TempDir
    static Path work;
    static final ObjectMapper JSON = new ObjectMapper();

    private static ClientProcess.Result aws(String cli, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(cli));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", cloud.endpoint().toString(), "--output", "json"));
        return ClientProcess.run(work, command);
    }

    private static JsonNode ok(ClientProcess.Result r) throws Exception {
        assertEquals(0, r.exit(), r.err());
        return r.out().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.out());
    }

    @Test
    void awsCliV2SpeaksTheQueryProtocol() throws Exception {
        Path v2 = Path.of("/usr/bin/aws");
        Assumptions.assumeTrue(Files.isExecutable(v2), "the AWS CLI v2 is not installed at /usr/bin/aws");
        cliRoundTrip(v2.toString(), "cli-v2");
    }

    /** The CLI v1 on the PATH speaks awsJson like boto3, so one call and one error are enough here. */
    @Test
    void awsCliOnThePathSpeaksItsOwnProtocol() throws Exception {
        Assumptions.assumeTrue(ClientProcess.run(work, List.of("aws", "--version")).exit() == 0, "no aws on the PATH");
        String url = ok(aws("aws", "sqs", "create-queue", "--queue-name", "cli-path-q")).get("QueueUrl").asText();
        assertEquals(cloud.endpoint() + "/000000000000/cli-path-q", url);
        ClientProcess.Result missing = aws("aws", "sqs", "get-queue-url", "--queue-name", "cli-path-nope");
        assertTrue(missing.err().contains("AWS.SimpleQueueService.NonExistentQueue"), missing.err());
    }

    private void cliRoundTrip(String cli, String prefix) throws Exception {
        String url = ok(aws(cli, "sqs", "create-queue", "--queue-name", prefix + "-q",
                "--attributes", "VisibilityTimeout=5")).get("QueueUrl").asText();
        assertEquals(cloud.endpoint() + "/000000000000/" + prefix + "-q", url);
        JsonNode sent = ok(aws(cli, "sqs", "send-message", "--queue-url", url, "--message-body", "hi <&> there",
                "--message-attributes", "{\"kind\":{\"DataType\":\"String\",\"StringValue\":\"greeting\"}}"));
        assertEquals("25e1ec7a0e3abf8cd1ef54e3b6fa2d5f".length(), sent.get("MD5OfMessageBody").asText().length());
        JsonNode got = ok(aws(cli, "sqs", "receive-message", "--queue-url", url, "--attribute-names", "All",
                "--message-attribute-names", "All", "--max-number-of-messages", "10"));
        JsonNode m = got.get("Messages").get(0);
        assertEquals("hi <&> there", m.get("Body").asText());
        assertEquals("greeting", m.get("MessageAttributes").get("kind").get("StringValue").asText());
        assertEquals("1", m.get("Attributes").get("ApproximateReceiveCount").asText());
        assertEquals(sent.get("MD5OfMessageAttributes").asText(), m.get("MD5OfMessageAttributes").asText());
        ok(aws(cli, "sqs", "delete-message", "--queue-url", url, "--receipt-handle", m.get("ReceiptHandle").asText()));
        JsonNode attrs = ok(aws(cli, "sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names", "All"));
        assertEquals("5", attrs.get("Attributes").get("VisibilityTimeout").asText());
        assertEquals("0", attrs.get("Attributes").get("ApproximateNumberOfMessagesNotVisible").asText());
        JsonNode batch = ok(aws(cli, "sqs", "send-message-batch", "--queue-url", url, "--entries",
                "[{\"Id\":\"a\",\"MessageBody\":\"1\"},{\"Id\":\"b\",\"MessageBody\":\"2\"}]"));
        assertEquals(2, batch.get("Successful").size());
        ClientProcess.Result missing = aws(cli, "sqs", "get-queue-url", "--queue-name", prefix + "-nope");
        assertNotEquals(0, missing.exit());
        assertTrue(missing.err().contains("AWS.SimpleQueueService.NonExistentQueue"), missing.err());
        assertTrue(missing.err().contains("The specified queue does not exist."), missing.err());
        String fifo = ok(aws(cli, "sqs", "create-queue", "--queue-name", prefix + "-o.fifo",
                "--attributes", "FifoQueue=true,ContentBasedDeduplication=true")).get("QueueUrl").asText();
        ok(aws(cli, "sqs", "send-message-batch", "--queue-url", fifo, "--entries",
                "[{\"Id\":\"a\",\"MessageBody\":\"first\",\"MessageGroupId\":\"g\"},"
                        + "{\"Id\":\"b\",\"MessageBody\":\"second\",\"MessageGroupId\":\"g\"},"
                        + "{\"Id\":\"c\",\"MessageBody\":\"third\",\"MessageGroupId\":\"g\"}]"));
        JsonNode ordered = ok(aws(cli, "sqs", "receive-message", "--queue-url", fifo, "--max-number-of-messages", "10"));
        List<String> bodies = new ArrayList<>();
        ordered.get("Messages").forEach(x -> bodies.add(x.get("Body").asText()));
        assertEquals(List.of("first", "second", "third"), bodies);
    }

    static final String BOTO3 = """
            import boto3, json, sys, time
            from botocore.exceptions import ClientError
            sqs = boto3.client("sqs", endpoint_url=sys.argv[1], region_name="us-east-1")
            out = {}
            dlq = sqs.create_queue(QueueName="py-dlq")["QueueUrl"]
            dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            src = sqs.create_queue(QueueName="py-src", Attributes={"VisibilityTimeout": "0",
                "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1})})["QueueUrl"]
            sqs.send_message(QueueUrl=src, MessageBody="bad order", MessageAttributes={"n": {"DataType": "Number", "StringValue": "7"}})
            out["first"] = len(sqs.receive_message(QueueUrl=src).get("Messages", []))
            out["second"] = len(sqs.receive_message(QueueUrl=src).get("Messages", []))
            dead = sqs.receive_message(QueueUrl=dlq, MessageAttributeNames=["All"])["Messages"][0]
            out["dead"] = dead["Body"]
            out["deadAttr"] = dead["MessageAttributes"]["n"]["StringValue"]
            fifo = sqs.create_queue(QueueName="py.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
            for i in range(5):
                sqs.send_message(QueueUrl=fifo, MessageBody=str(i), MessageGroupId="g", MessageDeduplicationId="d%d" % i)
            sqs.send_message(QueueUrl=fifo, MessageBody="dup", MessageGroupId="g", MessageDeduplicationId="d0")
            out["fifo"] = [m["Body"] for m in sqs.receive_message(QueueUrl=fifo, MaxNumberOfMessages=10)["Messages"]]
            try:
                sqs.get_queue_url(QueueName="py-missing")
            except ClientError as e:
                out["code"] = e.response["Error"]["Code"]
                out["message"] = e.response["Error"]["Message"]
            try:
                sqs.send_message(QueueUrl=fifo, MessageBody="x")
            except ClientError as e:
                out["fifoCode"] = e.response["Error"]["Code"]
            print(json.dumps(out))
            """;

    @Test
    void boto3RedrivesOrdersFifoAndReportsErrors() throws Exception {
        Assumptions.assumeTrue(ClientProcess.run(work, List.of("python3", "-c", "import boto3")).exit() == 0, "boto3 missing");
        JsonNode out = ok(ClientProcess.run(work, List.of("python3", "-c", BOTO3, cloud.endpoint().toString())));
        assertEquals(1, out.get("first").asInt());
        assertEquals(0, out.get("second").asInt(), "the second receive moved it to the dead-letter queue");
        assertEquals("bad order", out.get("dead").asText());
        assertEquals("7", out.get("deadAttr").asText());
        assertEquals("[\"0\",\"1\",\"2\",\"3\",\"4\"]", out.get("fifo").toString());
        assertEquals("AWS.SimpleQueueService.NonExistentQueue", out.get("code").asText());
        assertEquals("The specified queue does not exist.", out.get("message").asText());
        assertEquals("MissingParameter", out.get("fifoCode").asText());
    }
}
