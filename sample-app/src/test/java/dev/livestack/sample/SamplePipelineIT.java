package dev.livestack.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestack.localcloud.TestControls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The sample pipeline end to end on local-cloud, with the SDKs the runtimes include: ingest (Node.js) enqueues an
 * order, the worker (Python, subscribed by an event source mapping) stores it in the table; a malformed message is
 * dead-lettered after the queue's maxReceiveCount; the reaper's rate(5 minutes) schedule fires when the clock moves.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SamplePipelineIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static LocalCloudApp app;
    static LambdaClient lambda;
    static DynamoDbClient dynamo;
    static SqsClient sqs;
    static CloudWatchLogsClient logs;

    @BeforeAll
    static void deploy() throws Exception {
        app = LocalCloudApp.deploy(tmp);
        var endpoint = app.endpoint();
        lambda = LambdaClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(LocalCloudApp.CREDENTIALS).build();
        dynamo = DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(LocalCloudApp.CREDENTIALS).build();
        sqs = SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(LocalCloudApp.CREDENTIALS).build();
        logs = CloudWatchLogsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(LocalCloudApp.CREDENTIALS).build();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {lambda, dynamo, sqs, logs, app}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }

    @Test
    @Order(1)
    void anIngestedOrderIsInTheTableWithinTwoSeconds() throws Exception {
        String table = app.outputs.get("OrdersTableName");
        byte[] order = Files.readAllBytes(LocalCloudApp.APP.resolve("events/order.json"));
        // First a warm-up order: the first one pays two cold starts (node, then python importing boto3, seconds on
        // a loaded machine), as the first invocations after a deploy do on Lambda. `watch` keeps functions warm.
        byte[] warmup = new String(order, java.nio.charset.StandardCharsets.UTF_8).replace("o-1001", "o-warmup")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        lambda.invoke(b -> b.functionName(app.functions.get("Ingest")).payload(SdkBytes.fromByteArray(warmup)));
        LocalCloudApp.waitFor(Duration.ofSeconds(60), () -> dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("orderId", AttributeValue.fromS("o-warmup")))).hasItem());
        long start = System.nanoTime();
        InvokeResponse r = lambda.invoke(b -> b.functionName(app.functions.get("Ingest")).payload(SdkBytes.fromByteArray(order)));
        assertNull(r.functionError(), r.payload().asUtf8String());
        assertTrue(JSON.readTree(r.payload().asUtf8String()).path("accepted").asBoolean(), r.payload().asUtf8String());
        try {
            LocalCloudApp.waitFor(Duration.ofSeconds(10), () -> dynamo.getItem(b -> b.tableName(table)
                    .key(Map.of("orderId", AttributeValue.fromS("o-1001")))).hasItem());
        } catch (AssertionError e) {
            throw new AssertionError("o-1001 never reached " + table + "; ingest: " + lines("Ingest") + "; worker: " + lines("Worker"), e);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis <= 2000, "ingest → table took " + millis + " ms");

        // read back as a person would, with the AWS CLI
        Result got = awsCli("dynamodb", "get-item", "--table-name", table, "--key", "{\"orderId\":{\"S\":\"o-1001\"}}");
        assertEquals(0, got.exit, got.err);
        JsonNode item = JSON.readTree(got.out).path("Item");
        assertEquals("stored", item.path("status").path("S").asText(), got.out);
        assertEquals("ada@example.com", item.path("customer").path("S").asText(), got.out);
        assertEquals("28.25", item.path("total").path("N").asText(), got.out);

        // the worker's log lines, where `livestack watch` tails them
        assertTrue(awaitLog("Worker", "worker: stored order o-1001"), lines("Worker").toString());
        assertTrue(lines("Ingest").stream().anyMatch(l -> l.contains("ingest: enqueued order o-1001 on " + app.outputs.get("OrdersQueueUrl"))),
                lines("Ingest").toString());
    }

    @Test
    @Order(2)
    void aMalformedOrderLandsInTheDeadLetterQueueAfterMaxReceiveCount() throws Exception {
        String queue = app.outputs.get("OrdersQueueUrl");
        String dlq = app.outputs.get("OrdersDlqUrl");
        // The queue keeps a failed message hidden for its visibility timeout (6 × the worker's 20 s); shorten it
        // through the API, as one would on AWS, so three deliveries take seconds.
        sqs.setQueueAttributes(b -> b.queueUrl(queue).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1")));
        String id = sqs.sendMessage(b -> b.queueUrl(queue).messageBody("{\"orderId\": \"o-broken\", \"items\": ")).messageId();
        LocalCloudApp.waitFor(Duration.ofSeconds(30), () -> Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(dlq)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)) == 1);
        long rejected = lines("Worker").stream().filter(l -> l.contains("message " + id + " rejected: body is not JSON")).count();
        assertEquals(OrdersQueue.MAX_RECEIVES, rejected, lines("Worker").toString());
        var dead = sqs.receiveMessage(b -> b.queueUrl(dlq).visibilityTimeout(0).maxNumberOfMessages(1)).messages();
        assertEquals(1, dead.size());
        assertEquals(id, dead.get(0).messageId());
    }

    @Test
    @Order(3)
    void theReapersScheduleFires() throws Exception {
        TestControls.of(app.cloud).advanceSchedules(Duration.ofMinutes(ReaperFunction.EVERY_MINUTES + 1));
        assertTrue(awaitLog("Reaper", "reaper: woke up (Scheduled Event at "), lines("Reaper").toString());
        assertTrue(awaitLog("Reaper", "reaper: done: "), lines("Reaper").toString());
    }

    private static List<String> lines(String function) {
        try {
            return logs.filterLogEventsPaginator(b -> b.logGroupName("/aws/lambda/" + app.functions.get(function))).events().stream()
                    .map(FilteredLogEvent::message).toList();
        } catch (software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException e) {
            return List.of();
        }
    }

    private static boolean awaitLog(String function, String text) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            if (lines(function).stream().anyMatch(l -> l.contains(text))) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result awsCli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Files.isExecutable(Path.of("/usr/bin/aws")) ? "/usr/bin/aws" : "aws");
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", app.endpoint().toString(), "--output", "json"));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("AWS_ACCESS_KEY_ID", "test");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "test");
        pb.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        pb.environment().put("AWS_CONFIG_FILE", tmp.resolve("no-config").toString());
        pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("no-credentials").toString());
        pb.environment().remove("AWS_PROFILE");
        pb.environment().remove("AWS_SESSION_TOKEN");
        Path out = Files.createTempFile(tmp, "cli", ".out");
        Path err = Files.createTempFile(tmp, "cli", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
