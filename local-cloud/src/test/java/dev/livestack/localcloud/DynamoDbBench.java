package dev.livestack.localcloud;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * DynamoDB latencies as an SDK v2 client sees them, on a table already holding ITEMS items of about 1 KB: PutItem
 * (each one rewrites the table's record on disk), GetItem, and a Query returning 20 items. Run by bench/dynamodb.sh;
 * prints p50 / p95 / max.
 */
public final class DynamoDbBench {
    private DynamoDbBench() {
    }

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int prefill = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Path state = Files.createTempDirectory("dynamodb-bench");
        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0)); DynamoDbClient ddb = DynamoDbIT.client(cloud.endpoint())) {
            ddb.createTable(b -> b.tableName("bench").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(DynamoDbIT.def("pk", ScalarAttributeType.S), DynamoDbIT.def("sk", ScalarAttributeType.N))
                    .keySchema(DynamoDbIT.key("pk", KeyType.HASH), DynamoDbIT.key("sk", KeyType.RANGE)));
            String body = "x".repeat(1000);
            for (int i = 0; i < prefill; i++) {
                int n = i;
                ddb.putItem(b -> b.tableName("bench").item(Map.of("pk", AttributeValue.fromS("p" + (n % 50)), "sk", AttributeValue.fromN(String.valueOf(n)),
                        "body", AttributeValue.fromS(body))));
            }
            List<Double> put = new ArrayList<>();
            List<Double> get = new ArrayList<>();
            List<Double> query = new ArrayList<>();
            for (int i = 0; i < samples; i++) {
                int n = prefill + i;
                long t0 = System.nanoTime();
                ddb.putItem(b -> b.tableName("bench").item(Map.of("pk", AttributeValue.fromS("new"), "sk", AttributeValue.fromN(String.valueOf(n)),
                        "body", AttributeValue.fromS(body))));
                long t1 = System.nanoTime();
                ddb.getItem(b -> b.tableName("bench").key(Map.of("pk", AttributeValue.fromS("p7"), "sk", AttributeValue.fromN("7"))));
                long t2 = System.nanoTime();
                ddb.query(b -> b.tableName("bench").keyConditionExpression("pk = :p").expressionAttributeValues(Map.of(":p", AttributeValue.fromS("p3"))));
                long t3 = System.nanoTime();
                put.add((t1 - t0) / 1e6);
                get.add((t2 - t1) / 1e6);
                query.add((t3 - t2) / 1e6);
            }
            report("PutItem (table of " + prefill + " items)", put);
            report("GetItem", get);
            report("Query (20 items)", query);
        }
    }

    private static void report(String what, List<Double> ms) {
        List<Double> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        System.out.printf("%-32s p50 %6.1f ms  p95 %6.1f ms  max %6.1f ms  (n=%d)%n", what, sorted.get(sorted.size() / 2),
                sorted.get((int) Math.floor(sorted.size() * 0.95)), sorted.get(sorted.size() - 1), sorted.size());
    }
}
