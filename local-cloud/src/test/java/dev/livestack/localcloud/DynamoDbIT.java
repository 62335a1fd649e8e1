package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** DynamoDB through the AWS SDK for Java v2: tables, the item API, expressions, pagination, transactions, CloudFormation. */
class DynamoDbIT {
    @RegisterExtension
    static final LocalCloudFixture cloud = new LocalCloudFixture();
    static DynamoDbClient ddb;

    @BeforeAll
    static void start() {
        ddb = cloud.closeAfter(client(cloud.endpoint()));
        ddb.createTable(b -> b.tableName("orders").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(def("pk", ScalarAttributeType.S), def("sk", ScalarAttributeType.N), def("status", ScalarAttributeType.S),
                        def("amount", ScalarAttributeType.N))
                .keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE))
                .globalSecondaryIndexes(g -> g.indexName("byStatus").keySchema(key("status", KeyType.HASH), key("amount", KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)))
                .localSecondaryIndexes(l -> l.indexName("byTotal").keySchema(key("pk", KeyType.HASH), key("amount", KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.ALL))));
    }

    static DynamoDbClient client(java.net.URI endpoint) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(Sdk.credentials("test", "test")).overrideConfiguration(Sdk.noRetries()).build();
    }

    static AttributeDefinition def(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(String v) {
        return AttributeValue.fromN(v);
    }

    static Map<String, AttributeValue> order(String pk, int sk, String status, String amount) {
        return Map.of("pk", s(pk), "sk", n(String.valueOf(sk)), "status", s(status), "amount", n(amount));
    }

    @Test
    void tablesAreDescribedListedAndRefusedTwice() {
        var t = ddb.describeTable(b -> b.tableName("orders")).table();
        assertEquals("ACTIVE", t.tableStatusAsString());
        assertEquals("arn:aws:dynamodb:us-east-1:000000000000:table/orders", t.tableArn());
        assertEquals("PAY_PER_REQUEST", t.billingModeSummary().billingModeAsString());
        assertEquals("byStatus", t.globalSecondaryIndexes().get(0).indexName());
        assertTrue(ddb.listTables().tableNames().contains("orders"));
        assertEquals("Table already exists: orders", assertThrows(ResourceInUseException.class, () -> ddb.createTable(b -> b.tableName("orders")
                .billingMode(BillingMode.PAY_PER_REQUEST).attributeDefinitions(def("pk", ScalarAttributeType.S))
                .keySchema(key("pk", KeyType.HASH)))).awsErrorDetails().errorMessage());
        assertEquals("Requested resource not found: Table: nope not found",
                assertThrows(ResourceNotFoundException.class, () -> ddb.describeTable(b -> b.tableName("nope"))).awsErrorDetails().errorMessage());
        assertEquals("Requested resource not found",
                assertThrows(ResourceNotFoundException.class, () -> ddb.getItem(b -> b.tableName("nope").key(Map.of("pk", s("a")))))
                        .awsErrorDetails().errorMessage());
        assertEquals("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
                assertThrows(DynamoDbException.class, () -> ddb.createTable(b -> b.tableName("prov").attributeDefinitions(def("pk", ScalarAttributeType.S))
                        .keySchema(key("pk", KeyType.HASH)))).awsErrorDetails().errorMessage());
    }

    @Test
    void everyAttributeTypeRoundTripsWithCanonicalNumbers() {
        Map<String, AttributeValue> item = new HashMap<>(order("types", 1, "NEW", "10.50"));
        item.put("b", AttributeValue.fromB(SdkBytes.fromUtf8String("bytes")));
        item.put("ss", AttributeValue.fromSs(List.of("a", "b")));
        item.put("ns", AttributeValue.fromNs(List.of("1", "2.0")));
        item.put("bs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("x"))));
        item.put("m", AttributeValue.fromM(Map.of("inner", AttributeValue.fromL(List.of(s("x"), AttributeValue.fromBool(true))))));
        item.put("nul", AttributeValue.fromNul(true));
        item.put("empty", s(""));
        ddb.putItem(b -> b.tableName("orders").item(item));
        var got = ddb.getItem(b -> b.tableName("orders").key(Map.of("pk", s("types"), "sk", n("1"))).consistentRead(true)).item();
        assertEquals("10.5", got.get("amount").n());
        assertEquals("bytes", got.get("b").b().asUtf8String());
        assertEquals(List.of("1", "2"), got.get("ns").ns());
        assertTrue(got.get("m").m().get("inner").l().get(1).bool());
        assertTrue(got.get("nul").nul());
        assertEquals("", got.get("empty").s());

        assertEquals("One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N",
                message(() -> ddb.putItem(b -> b.tableName("orders").item(Map.of("pk", n("1"), "sk", n("1"))))));
        assertEquals("One or more parameter values were invalid: Missing the key sk in the item",
                message(() -> ddb.putItem(b -> b.tableName("orders").item(Map.of("pk", s("x"))))));
        assertEquals("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk",
                message(() -> ddb.putItem(b -> b.tableName("orders").item(Map.of("pk", s(""), "sk", n("1"))))));
        assertEquals("The provided key element does not match the schema",
                message(() -> ddb.getItem(b -> b.tableName("orders").key(Map.of("pk", s("x"))))));
        assertEquals("Item size has exceeded the maximum allowed size",
                message(() -> ddb.putItem(b -> b.tableName("orders").item(Map.of("pk", s("big"), "sk", n("1"), "blob", s("x".repeat(410_000)))))));
        assertEquals("One or more parameter values were invalid: Type mismatch for Index Key status Expected: S Actual: N IndexName: byStatus",
                message(() -> ddb.putItem(b -> b.tableName("orders").item(Map.of("pk", s("x"), "sk", n("1"), "status", n("3"))))));
        assertEquals("ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value: ten for key :n",
                message(() -> ddb.putItem(b -> b.tableName("orders").item(order("x", 1, "NEW", "1")).conditionExpression("amount < :n")
                        .expressionAttributeValues(Map.of(":n", n("ten"))))));
    }

    @Test
    void conditionsUpdatesAndReturnValues() {
        ddb.putItem(b -> b.tableName("orders").item(order("cond", 1, "NEW", "5")));
        ConditionalCheckFailedException failed = assertThrows(ConditionalCheckFailedException.class, () -> ddb.putItem(b -> b.tableName("orders")
                .item(order("cond", 1, "NEW", "6")).conditionExpression("attribute_not_exists(pk)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        assertEquals("The conditional request failed", failed.awsErrorDetails().errorMessage());
        assertEquals("5", failed.item().get("amount").n());

        var updated = ddb.updateItem(b -> b.tableName("orders").key(Map.of("pk", s("cond"), "sk", n("1")))
                .updateExpression("SET #c = if_not_exists(#c, :zero) + :one, amount = amount - :one, basket = list_append(if_not_exists(basket, :empty), :l) "
                        + "ADD tags :t REMOVE #s")
                .conditionExpression("amount BETWEEN :lo AND :hi")
                .expressionAttributeNames(Map.of("#c", "count", "#s", "status"))
                .expressionAttributeValues(Map.of(":zero", n("0"), ":one", n("1"), ":empty", AttributeValue.fromL(List.of()),
                        ":l", AttributeValue.fromL(List.of(s("apple"))), ":t", AttributeValue.fromSs(List.of("x")), ":lo", n("1"), ":hi", n("10")))
                .returnValues(ReturnValue.UPDATED_NEW)).attributes();
        assertEquals("1", updated.get("count").n());
        assertEquals("4", updated.get("amount").n());
        assertEquals(List.of("x"), updated.get("tags").ss());
        assertFalse(updated.containsKey("pk"));

        var old = ddb.deleteItem(b -> b.tableName("orders").key(Map.of("pk", s("cond"), "sk", n("1"))).returnValues(ReturnValue.ALL_OLD)).attributes();
        assertEquals("apple", old.get("basket").l().get(0).s());
        assertEquals("Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}",
                message(() -> ddb.updateItem(b -> b.tableName("orders").key(Map.of("pk", s("u"), "sk", n("1"))).updateExpression("SET a = :a")
                        .expressionAttributeValues(Map.of(":a", n("1"), ":unused", n("2"))))));
        assertEquals("Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status",
                message(() -> ddb.updateItem(b -> b.tableName("orders").key(Map.of("pk", s("u"), "sk", n("1"))).updateExpression("SET status = :a")
                        .expressionAttributeValues(Map.of(":a", s("x"))))));
        assertEquals("One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key",
                message(() -> ddb.updateItem(b -> b.tableName("orders").key(Map.of("pk", s("u"), "sk", n("1"))).updateExpression("SET sk = :a")
                        .expressionAttributeValues(Map.of(":a", n("2"))))));
    }

    @Test
    void queriesPageForwardAndBackwardOnTheTableAndItsIndexes() {
        List<WriteRequest> writes = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(order("q", i, i % 2 == 0 ? "EVEN" : "ODD", String.valueOf(100 - i))).build()).build());
        }
        assertTrue(ddb.batchWriteItem(b -> b.requestItems(Map.of("orders", writes))).unprocessedItems().isEmpty());

        List<String> seen = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        int pages = 0;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = ddb.query(QueryRequest.builder().tableName("orders").keyConditionExpression("pk = :p AND sk >= :two")
                    .expressionAttributeValues(Map.of(":p", s("q"), ":two", n("2"))).limit(2).scanIndexForward(false).exclusiveStartKey(from).build());
            page.items().forEach(it -> seen.add(it.get("sk").n()));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            pages++;
        } while (start != null);
        assertEquals(List.of("7", "6", "5", "4", "3", "2"), seen);
        assertTrue(pages >= 3);

        var gsi = ddb.query(b -> b.tableName("orders").indexName("byStatus").keyConditionExpression("#s = :e AND amount < :t")
                .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":e", s("EVEN"), ":t", n("97"))));
        assertEquals(List.of("94", "96"), gsi.items().stream().map(i -> i.get("amount").n()).toList());
        assertEquals(4, gsi.items().get(0).size(), "KEYS_ONLY projects the table's and the index's keys");

        assertEquals("Query condition missed key schema element: amount", message(() -> ddb.query(b -> b.tableName("orders").indexName("byTotal")
                .keyConditionExpression("pk = :p AND begins_with(#s, :o)").expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":p", s("q"), ":o", s("O"))))));
        var lsi = ddb.query(b -> b.tableName("orders").indexName("byTotal").keyConditionExpression("pk = :p AND amount BETWEEN :lo AND :hi")
                .expressionAttributeValues(Map.of(":p", s("q"), ":lo", n("94"), ":hi", n("96"))));
        assertEquals(List.of("94", "95", "96"), lsi.items().stream().map(i -> i.get("amount").n()).toList());

        var filtered = ddb.query(b -> b.tableName("orders").indexName("byTotal").keyConditionExpression("pk = :p")
                .filterExpression("#s = :o").expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":p", s("q"), ":o", s("ODD"))).select(Select.COUNT));
        assertEquals(4, filtered.count());
        assertEquals(7, filtered.scannedCount());
        assertNull(filtered.items().isEmpty() ? null : "items with COUNT");

        int inIndex = ddb.scan(b -> b.tableName("orders").filterExpression("attribute_exists(#s) AND attribute_exists(amount)")
                .expressionAttributeNames(Map.of("#s", "status"))).count();
        List<String> scannedKeys = new ArrayList<>();
        Map<String, AttributeValue> resume = null;
        for (int pageNo = 0; pageNo == 0 || resume != null; pageNo++) {
            assertTrue(pageNo < 50, "the index scan keeps returning pages: " + scannedKeys);
            Map<String, AttributeValue> from = resume;
            var indexPage = ddb.scan(b -> b.tableName("orders").indexName("byStatus").limit(2).exclusiveStartKey(from));
            indexPage.items().forEach(i -> scannedKeys.add(i.get("pk").s() + "/" + i.get("sk").n()));
            resume = indexPage.hasLastEvaluatedKey() && !indexPage.lastEvaluatedKey().isEmpty() ? indexPage.lastEvaluatedKey() : null;
        }
        assertEquals(inIndex, scannedKeys.size());
        assertEquals(inIndex, scannedKeys.stream().distinct().count(), "every page resumes after the last");

        assertEquals("Query condition missed key schema element: pk",
                message(() -> ddb.query(b -> b.tableName("orders").keyConditionExpression("sk = :s").expressionAttributeValues(Map.of(":s", n("1"))))));
        assertEquals("Consistent reads are not supported on global secondary indexes",
                message(() -> ddb.query(b -> b.tableName("orders").indexName("byStatus").consistentRead(true)
                        .keyConditionExpression("#s = :e").expressionAttributeNames(Map.of("#s", "status"))
                        .expressionAttributeValues(Map.of(":e", s("EVEN"))))));
    }

    @Test
    void scansStopAtOneMegabyteAndTheSdkPaginatorReadsEveryPage() {
        ddb.createTable(b -> b.tableName("big").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(def("id", ScalarAttributeType.S)).keySchema(key("id", KeyType.HASH)));
        String blob = "x".repeat(100_000);
        for (int batch = 0; batch < 2; batch++) {
            List<WriteRequest> writes = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(Map.of("id", s("i" + batch + "-" + i), "blob", s(blob))).build()).build());
            }
            ddb.batchWriteItem(b -> b.requestItems(Map.of("big", writes)));
        }
        var first = ddb.scan(b -> b.tableName("big"));
        assertTrue(first.count() < 24 && first.hasLastEvaluatedKey() && !first.lastEvaluatedKey().isEmpty(), "one page is 1 MB");
        int total = ddb.scanPaginator(b -> b.tableName("big").projectionExpression("id")).items().stream().mapToInt(x -> 1).sum();
        assertEquals(24, total);
        int segmented = 0;
        for (int seg = 0; seg < 3; seg++) {
            int s = seg;
            segmented += ddb.scanPaginator(b -> b.tableName("big").segment(s).totalSegments(3).select(Select.COUNT)).stream().mapToInt(p -> p.count()).sum();
        }
        assertEquals(24, segmented);
    }

    @Test
    void transactionsAreAllOrNothingWithCancellationReasons() {
        ddb.putItem(b -> b.tableName("orders").item(order("tx", 1, "NEW", "1")));
        TransactionCanceledException e = assertThrows(TransactionCanceledException.class, () -> ddb.transactWriteItems(b -> b.transactItems(
                t -> t.put(p -> p.tableName("orders").item(order("tx", 2, "NEW", "2"))),
                t -> t.conditionCheck(c -> c.tableName("orders").key(Map.of("pk", s("tx"), "sk", n("1"))).conditionExpression("amount > :ten")
                        .expressionAttributeValues(Map.of(":ten", n("10"))).returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)))));
        assertEquals("Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]",
                e.awsErrorDetails().errorMessage());
        assertEquals("ConditionalCheckFailed", e.cancellationReasons().get(1).code());
        assertEquals("1", e.cancellationReasons().get(1).item().get("amount").n());
        assertFalse(ddb.getItem(b -> b.tableName("orders").key(Map.of("pk", s("tx"), "sk", n("2")))).hasItem());

        ddb.transactWriteItems(b -> b.transactItems(
                t -> t.put(p -> p.tableName("orders").item(order("tx", 2, "NEW", "2"))),
                t -> t.update(u -> u.tableName("orders").key(Map.of("pk", s("tx"), "sk", n("1"))).updateExpression("SET amount = amount + :one")
                        .expressionAttributeValues(Map.of(":one", n("1"))))));
        var got = ddb.transactGetItems(b -> b.transactItems(t -> t.get(g -> g.tableName("orders").key(Map.of("pk", s("tx"), "sk", n("1")))),
                t -> t.get(g -> g.tableName("orders").key(Map.of("pk", s("tx"), "sk", n("2")))),
                t -> t.get(g -> g.tableName("orders").key(Map.of("pk", s("tx"), "sk", n("3")))))).responses();
        assertEquals("2", got.get(0).item().get("amount").n());
        assertEquals("2", got.get(1).item().get("amount").n());
        assertFalse(got.get(2).hasItem());
        assertEquals("Transaction request cannot include multiple operations on one item", message(() -> ddb.transactWriteItems(b -> b.transactItems(
                t -> t.put(p -> p.tableName("orders").item(order("tx", 1, "NEW", "2"))),
                t -> t.delete(d -> d.tableName("orders").key(Map.of("pk", s("tx"), "sk", n("1"))))))));
        var batch = ddb.batchGetItem(b -> b.requestItems(Map.of("orders", software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder()
                .keys(Map.of("pk", s("tx"), "sk", n("1")), Map.of("pk", s("tx"), "sk", n("9"))).projectionExpression("amount").build())));
        assertEquals(List.of(Map.of("amount", n("2"))), batch.responses().get("orders"));
    }

    @Test
    void ttlTagsAndIndexChangesAndTheTablesSurviveARestart() throws Exception {
        ddb.createTable(b -> b.tableName("admin").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(def("id", ScalarAttributeType.S)).keySchema(key("id", KeyType.HASH)));
        ddb.updateTimeToLive(b -> b.tableName("admin").timeToLiveSpecification(t -> t.attributeName("expires").enabled(true)));
        assertEquals("ENABLED", ddb.describeTimeToLive(b -> b.tableName("admin")).timeToLiveDescription().timeToLiveStatusAsString());
        assertEquals("TimeToLive is already enabled", message(() -> ddb.updateTimeToLive(b -> b.tableName("admin")
                .timeToLiveSpecification(t -> t.attributeName("expires").enabled(true)))));
        long now = System.currentTimeMillis() / 1000;
        ddb.putItem(b -> b.tableName("admin").item(Map.of("id", s("expired"), "expires", n(String.valueOf(now - 1)))));
        ddb.putItem(b -> b.tableName("admin").item(Map.of("id", s("ancient"), "expires", n(String.valueOf(now - 6L * 365 * 24 * 3600)))));
        ddb.putItem(b -> b.tableName("admin").item(Map.of("id", s("text"), "expires", s("0"))));
        ddb.putItem(b -> b.tableName("admin").item(Map.of("id", s("later"), "expires", n(String.valueOf(now + 3600)))));
        long deadline = System.currentTimeMillis() + 5000;
        while (ddb.getItem(b -> b.tableName("admin").key(Map.of("id", s("expired")))).hasItem() && System.currentTimeMillis() < deadline) {
            Cfn.sleep(100);
        }
        assertFalse(ddb.getItem(b -> b.tableName("admin").key(Map.of("id", s("expired")))).hasItem(), "expired items are deleted");
        assertEquals(3, ddb.scan(b -> b.tableName("admin")).count(), "not: times over five years old, non-numbers, future times");
        String arn = "arn:aws:dynamodb:us-east-1:000000000000:table/admin";
        ddb.tagResource(b -> b.resourceArn(arn).tags(t -> t.key("team").value("orders")));
        assertEquals("orders", ddb.listTagsOfResource(b -> b.resourceArn(arn)).tags().get(0).value());
        ddb.updateTable(b -> b.tableName("admin").attributeDefinitions(def("email", ScalarAttributeType.S))
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("byEmail").keySchema(key("email", KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.ALL)))));
        ddb.putItem(b -> b.tableName("admin").item(Map.of("id", s("1"), "email", s("a@b"))));
        assertEquals(1, ddb.query(b -> b.tableName("admin").indexName("byEmail").keyConditionExpression("email = :e")
                .expressionAttributeValues(Map.of(":e", s("a@b")))).count());

        Path state = cloud.state().resolve("restart");
        try (LocalCloud first = LocalCloud.start(LocalCloudConfig.defaults(state, 0)); DynamoDbClient c = client(first.endpoint())) {
            c.createTable(b -> b.tableName("kept").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(def("id", ScalarAttributeType.S)).keySchema(key("id", KeyType.HASH)));
            c.putItem(b -> b.tableName("kept").item(Map.of("id", s("a"), "n", n("1.50"))));
        }
        try (LocalCloud second = LocalCloud.start(LocalCloudConfig.defaults(state, 0)); DynamoDbClient c = client(second.endpoint())) {
            assertEquals("1.5", c.getItem(b -> b.tableName("kept").key(Map.of("id", s("a")))).item().get("n").n());
        }
        ddb.updateTable(b -> b.tableName("admin").globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName("byEmail"))));
        assertEquals("The table does not have the specified index: byEmail", message(() -> ddb.query(b -> b.tableName("admin").indexName("byEmail")
                .keyConditionExpression("email = :e").expressionAttributeValues(Map.of(":e", s("a@b"))))));
        ddb.deleteTable(b -> b.tableName("admin"));
        assertFalse(ddb.listTables().tableNames().contains("admin"));
    }

    @Test
    void cloudFormationDeploysUpdatesAndDeletesATable() {
        Cfn cfn = new Cfn(cloud.closeAfter(Sdk.cloudFormation(cloud.endpoint())));
        String template = """
                Resources:
                  Table:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      BillingMode: PAY_PER_REQUEST
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}%s]
                      StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
                      TimeToLiveSpecification: {AttributeName: expires, Enabled: true}
                %s
                Outputs:
                  Name: {Value: !Ref Table}
                  Arn: {Value: !GetAtt Table.Arn}
                  Stream: {Value: !GetAtt Table.StreamArn}
                """;
        Stack s = cfn.deploy("ddb", template.formatted("", ""));
        assertEquals("CREATE_COMPLETE", s.stackStatusAsString(), s.stackStatusReason());
        String name = cfn.outputs(s).get("Name");
        assertTrue(name.startsWith("ddb-Table-"), name);
        assertEquals("arn:aws:dynamodb:us-east-1:000000000000:table/" + name, cfn.outputs(s).get("Arn"));
        assertTrue(cfn.outputs(s).get("Stream").matches("arn:aws:dynamodb:us-east-1:000000000000:table/" + name
                + "/stream/\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}"), cfn.outputs(s).get("Stream"));
        assertEquals("ENABLED", ddb.describeTimeToLive(b -> b.tableName(name)).timeToLiveDescription().timeToLiveStatusAsString());
        ddb.putItem(b -> b.tableName(name).item(Map.of("id", s("kept"), "email", s("x@y"))));

        Stack updated = cfn.deploy("ddb", template.formatted(", {AttributeName: email, AttributeType: S}", """
                      GlobalSecondaryIndexes:
                        - IndexName: byEmail
                          KeySchema: [{AttributeName: email, KeyType: HASH}]
                          Projection: {ProjectionType: ALL}
                """.stripTrailing().indent(0).replaceAll("(?m)^", "")));
        assertEquals("UPDATE_COMPLETE", updated.stackStatusAsString(), updated.stackStatusReason());
        assertEquals(name, cfn.outputs(updated).get("Name"), "adding an index updates the table in place");
        assertEquals("kept", ddb.query(b -> b.tableName(name).indexName("byEmail").keyConditionExpression("email = :e")
                .expressionAttributeValues(Map.of(":e", s("x@y")))).items().get(0).get("id").s());

        String replacing = template.formatted(", {AttributeName: at, AttributeType: N}", "")
                .replace("KeySchema: [{AttributeName: id, KeyType: HASH}]", "KeySchema: [{AttributeName: id, KeyType: HASH}, {AttributeName: at, KeyType: RANGE}]");
        Stack replaced = cfn.deploy("ddb", replacing);
        assertEquals("UPDATE_COMPLETE", replaced.stackStatusAsString(), replaced.stackStatusReason());
        String newName = cfn.outputs(replaced).get("Name");
        assertFalse(newName.equals(name), "a new key schema replaces the table");
        assertThrows(ResourceNotFoundException.class, () -> ddb.describeTable(b -> b.tableName(name)));
        assertEquals(2, ddb.describeTable(b -> b.tableName(newName)).table().keySchema().size());

        String stackId = updated.stackId();
        cfn.client.deleteStack(b -> b.stackName("ddb"));
        cfn.awaitSettled(stackId);
        assertThrows(ResourceNotFoundException.class, () -> ddb.describeTable(b -> b.tableName(newName)));
    }

    private static String message(Runnable call) {
        return assertThrows(DynamoDbException.class, call::run).awsErrorDetails().errorMessage();
    }
}
