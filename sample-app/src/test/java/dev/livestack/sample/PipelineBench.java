package dev.livestack.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.LocalCloud;
import dev.livestack.localcloud.LocalCloudConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * bench/pipeline.sh: the sample pipeline's end-to-end latency on local-cloud (invoke ingest → the order is in the
 * table, polled every 2 ms) over N orders after a warm-up, and local-cloud's start-up time: once in this fresh JVM on
 * an empty folder (class loading included, as a CLI start pays it) and again on the deployed app's state.
 */
public final class PipelineBench {
    private PipelineBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        Path dir = Files.createTempDirectory("pipeline-bench");
        long t0 = System.nanoTime();
        try (LocalCloud ignored = LocalCloud.start(LocalCloudConfig.defaults(dir.resolve("empty"), 0))) {
            System.out.printf(Locale.ROOT, "local-cloud start-up, fresh JVM, empty state: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode order = (ObjectNode) json.readTree(LocalCloudApp.APP.resolve("events/order.json").toFile());
        List<Long> latencies = new ArrayList<>();
        try (LocalCloudApp app = LocalCloudApp.deploy(dir);
             LambdaClient lambda = LambdaClient.builder().endpointOverride(app.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(LocalCloudApp.CREDENTIALS).build();
             DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(app.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(LocalCloudApp.CREDENTIALS).build()) {
            String ingest = app.functions.get("Ingest");
            String table = app.outputs.get("OrdersTableName");
            int warmup = 3;
            for (int i = 0; i < warmup + n; i++) {
                String id = "o-bench" + i; // the schema allows ^o-[0-9a-z]{3,32}$
                byte[] payload = json.writeValueAsBytes(order.deepCopy().put("orderId", id));
                long start = System.nanoTime();
                String answer = lambda.invoke(b -> b.functionName(ingest).payload(SdkBytes.fromByteArray(payload))).payload().asUtf8String();
                if (!answer.contains("\"accepted\":true")) {
                    throw new IllegalStateException("ingest refused " + id + ": " + answer);
                }
                LocalCloudApp.waitFor(Duration.ofSeconds(i < warmup ? 120 : 30), () -> dynamo.getItem(b -> b.tableName(table)
                        .key(Map.of("orderId", AttributeValue.fromS(id)))).hasItem());
                long ms = (System.nanoTime() - start) / 1_000_000;
                if (i >= warmup) {
                    latencies.add(ms);
                } else {
                    System.out.printf(Locale.ROOT, "warm-up order %d: %d ms%n", i + 1, ms);
                }
            }
        }
        Collections.sort(latencies);
        System.out.printf(Locale.ROOT, "invoke ingest → order in table, %d orders: p50 %d ms, p90 %d ms, max %d ms (target p50 ≤ 300 ms)%n",
                n, pct(latencies, 50), pct(latencies, 90), latencies.get(latencies.size() - 1));
        List<Long> starts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long s = System.nanoTime();
            try (LocalCloud ignored = LocalCloud.start(LocalCloudConfig.defaults(dir.resolve("state"), 0))) {
                starts.add((System.nanoTime() - s) / 1_000_000);
            }
        }
        Collections.sort(starts);
        System.out.printf(Locale.ROOT, "local-cloud start-up on the deployed app's state (warm JVM, 5 runs): p50 %d ms, max %d ms (target ≤ 1500 ms)%n",
                pct(starts, 50), starts.get(starts.size() - 1));
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
