package dev.livestack.localcloud.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.JsonService;
import dev.livestack.localcloud.core.ValidationErrors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The read side of the item API: GetItem, BatchGetItem, TransactGetItems, Query and Scan. */
final class Reads {
    static final int PAGE_BYTES = 1024 * 1024;

    private final DynamoDbService service;

    Reads(DynamoDbService service) {
        this.service = service;
    }

    void get(String region, JsonNode in, ObjectNode out) {
        Table t = service.table(region, JsonService.text(in, "TableName"), false);
        Projection projection = projection(in);
        Table.Key key = t.key(requiredKey(in));
        projection.placeholders.checkAllUsed();
        ObjectNode item = t.items.get(key);
        if (item != null) {
            out.set("Item", projection.apply(item));
        }
        Items.consumed(in, out, t, readUnits(item, in.path("ConsistentRead").asBoolean(false)));
    }

    void batchGet(String region, JsonNode in, ObjectNode out) {
        JsonNode requests = in.get("RequestItems");
        if (requests == null || requests.isEmpty()) {
            throw Errors.validation(ValidationErrors.missing("requestItems"));
        }
        int count = 0;
        for (Map.Entry<String, JsonNode> e : Items.iterable(requests)) {
            count += e.getValue().path("Keys").size();
        }
        if (count > 100) {
            throw Errors.validation("Too many items requested for the BatchGetItem call");
        }
        ObjectNode responses = out.putObject("Responses");
        Map<Table, Double> units = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : Items.iterable(requests)) {
            Table t = service.table(region, e.getKey(), false);
            Projection projection = projection(e.getValue());
            projection.placeholders.checkAllUsed();
            ArrayNode found = responses.putArray(e.getKey());
            Set<Table.Key> seen = new HashSet<>();
            for (JsonNode k : e.getValue().path("Keys")) {
                Table.Key key = t.key(k);
                if (!seen.add(key)) {
                    throw Errors.validation("Provided list of item keys contains duplicates");
                }
                ObjectNode item = t.items.get(key);
                if (item != null) {
                    found.add(projection.apply(item));
                }
                units.merge(t, readUnits(item, e.getValue().path("ConsistentRead").asBoolean(false)), Double::sum);
            }
        }
        out.putObject("UnprocessedKeys");
        Items.consumedList(in, out, units);
    }

    void transactGet(String region, JsonNode in, ObjectNode out) {
        JsonNode list = in.get("TransactItems");
        if (list == null || list.isEmpty() || list.size() > 100) {
            throw Errors.validation(ValidationErrors.detected(ValidationErrors.failure(list == null ? null : list.toString(), "transactItems",
                    list != null && list.size() > 100 ? "Member must have length less than or equal to 100" : "Member must have length greater than or equal to 1")));
        }
        List<ObjectNode> answers = new ArrayList<>();
        Map<Table, Double> units = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode entry : list) {
            JsonNode get = entry.get("Get");
            Table t = service.table(region, JsonService.text(get, "TableName"), false);
            Projection projection = projection(get);
            Table.Key key = t.key(requiredKey(get));
            projection.placeholders.checkAllUsed();
            if (!seen.add(t.name + "\u0000" + key)) {
                throw Errors.validation("Transaction request cannot include multiple operations on one item");
            }
            ObjectNode item = t.items.get(key);
            ObjectNode answer = Values.NODES.objectNode();
            if (item != null) {
                answer.set("Item", projection.apply(item));
            }
            answers.add(answer);
            units.merge(t, 2 * readUnits(item, true), Double::sum);
        }
        out.putArray("Responses").addAll(answers);
        Items.consumedList(in, out, units);
    }

    void query(String region, JsonNode in, ObjectNode out) {
        Table t = service.table(region, JsonService.text(in, "TableName"), false);
        if (in.has("KeyConditions") || in.has("QueryFilter") || in.has("ConditionalOperator")) {
            throw Errors.validation("local-cloud reads the expression parameters only, not the legacy KeyConditions, QueryFilter or "
                    + "ConditionalOperator; use KeyConditionExpression and FilterExpression");
        }
        String keyText = JsonService.text(in, "KeyConditionExpression");
        if (keyText == null) {
            throw Errors.validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
        }
        Table.Index index = index(t, in);
        Table.Schema schema = index == null ? t.schema() : index.schema();
        Projection projection = projection(in);
        Expr.Condition keyCondition = Parser.condition(Parser.KEY_CONDITION, keyText, projection.placeholders);
        Expr.Condition filter = filter(in, projection.placeholders);
        projection.placeholders.checkAllUsed();
        JsonNode hash = KeyConditions.hashValue(keyCondition, schema);
        checkFilterKeys(filter, schema);
        List<ObjectNode> candidates = new ArrayList<>();
        if (index == null) {
            t.partition(hash).forEach(e -> candidates.add(e.getValue()));
        } else {
            for (ObjectNode item : t.items.values()) {
                if (Table.inIndex(index, item) && Values.equal(item.get(schema.hash()), hash)) {
                    candidates.add(item);
                }
            }
            candidates.sort(order(t, index));
        }
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode item : candidates) {
            if (Evaluator.test(keyCondition, item)) {
                matching.add(item);
            }
        }
        boolean forward = in.path("ScanIndexForward").asBoolean(true);
        if (!forward) {
            java.util.Collections.reverse(matching);
        }
        page(t, index, in, out, matching, filter, projection, forward, order(t, index));
    }

    void scan(String region, JsonNode in, ObjectNode out) {
        Table t = service.table(region, JsonService.text(in, "TableName"), false);
        if (in.has("ScanFilter") || in.has("ConditionalOperator")) {
            throw Errors.validation("local-cloud reads the expression parameters only, not the legacy ScanFilter or ConditionalOperator; "
                    + "use FilterExpression");
        }
        Table.Index index = index(t, in);
        Projection projection = projection(in);
        Expr.Condition filter = filter(in, projection.placeholders);
        projection.placeholders.checkAllUsed();
        Integer segment = in.hasNonNull("Segment") ? in.get("Segment").asInt() : null;
        Integer total = in.hasNonNull("TotalSegments") ? in.get("TotalSegments").asInt() : null;
        if (segment != null && total == null) {
            throw Errors.validation("The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
        }
        if (total != null && segment == null) {
            throw Errors.validation("The Segment parameter is required but was not present in the request when parameter TotalSegments is present");
        }
        if (segment != null && segment >= total) {
            throw Errors.validation("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: "
                    + segment + " is not less than TotalSegments: " + total);
        }
        List<ObjectNode> candidates = new ArrayList<>();
        for (Map.Entry<Table.Key, ObjectNode> e : t.items.entrySet()) {
            if (index != null && !Table.inIndex(index, e.getValue())) {
                continue;
            }
            if (segment != null && Math.floorMod(e.getKey().hash().toString().hashCode(), total) != segment) {
                continue;
            }
            candidates.add(e.getValue());
        }
        // a scan reads in table order, on an index too: resuming compares by the table's key
        page(t, index, in, out, candidates, filter, projection, true, order(t, null));
    }

    /** One page: from after ExclusiveStartKey, up to Limit items read or 1 MB, filtered and projected. */
    private void page(Table t, Table.Index index, JsonNode in, ObjectNode out, List<ObjectNode> ordered, Expr.Condition filter,
                      Projection projection, boolean forward, Comparator<JsonNode> cmp) {
        int limit = Integer.MAX_VALUE;
        if (in.has("Limit")) {
            limit = in.get("Limit").asInt();
            if (limit < 1) {
                throw Errors.validation(ValidationErrors.detected(ValidationErrors.failure(limit, "limit",
                        "Member must have value greater than or equal to 1")));
            }
        }
        String select = select(in, index, projection);
        int from = 0;
        JsonNode start = in.get("ExclusiveStartKey");
        if (start != null && !start.isNull()) {
            ObjectNode startKey = Values.item(start);
            checkStartKey(t, index, startKey);
            while (from < ordered.size() && (forward ? cmp.compare(ordered.get(from), startKey) <= 0 : cmp.compare(ordered.get(from), startKey) >= 0)) {
                from++;
            }
        }
        ArrayNode items = Values.NODES.arrayNode();
        int scanned = 0;
        int count = 0;
        long bytes = 0;
        ObjectNode last = null;
        int i = from;
        for (; i < ordered.size() && scanned < limit && bytes < PAGE_BYTES; i++) {
            ObjectNode item = ordered.get(i);
            scanned++;
            bytes += Values.itemSize(item);
            last = item;
            ObjectNode visible = t.projectForIndex(index, item);
            if (filter == null || Evaluator.test(filter, visible)) {
                count++;
                if (!select.equals("COUNT")) {
                    items.add(projection.apply(visible));
                }
            }
        }
        if (!select.equals("COUNT")) {
            out.set("Items", items);
        }
        out.put("Count", count).put("ScannedCount", scanned);
        if (last != null && (scanned == limit || i < ordered.size())) {
            List<String> names = new ArrayList<>(t.schema().names());
            if (index != null) {
                names.addAll(index.schema().names());
            }
            out.set("LastEvaluatedKey", Values.only(last, names.stream().distinct().toList()));
        }
        Items.consumed(in, out, t, Math.max(0.5, Math.ceil(bytes / 4096.0) * (in.path("ConsistentRead").asBoolean(false) ? 1 : 0.5)));
    }

    private static void checkStartKey(Table t, Table.Index index, ObjectNode start) {
        List<String> names = new ArrayList<>(t.schema().names());
        if (index != null) {
            names.addAll(index.schema().names());
        }
        for (String n : names) {
            if (!start.has(n)) {
                throw Errors.validation("The provided starting key is invalid: The provided key element does not match the schema");
            }
        }
    }

    /** Index order: the index's sort key, then the table's key (which makes the order total). */
    private static Comparator<JsonNode> order(Table t, Table.Index index) {
        Table.Schema s = t.schema();
        Comparator<JsonNode> byTable = (a, b) -> Table.ORDER.compare(new Table.Key(a.get(s.hash()), s.range() == null ? null : a.get(s.range())),
                new Table.Key(b.get(s.hash()), s.range() == null ? null : b.get(s.range())));
        if (index == null || index.schema().range() == null) {
            return byTable;
        }
        String range = index.schema().range();
        Comparator<JsonNode> byIndex = (a, b) -> Values.compare(a.get(range), b.get(range));
        return byIndex.thenComparing(byTable);
    }

    private static Table.Index index(Table t, JsonNode in) {
        String name = JsonService.text(in, "IndexName");
        if (name == null) {
            return null;
        }
        Table.Index index = t.index(name);
        if (index == null) {
            throw Errors.validation("The table does not have the specified index: " + name);
        }
        if (index.global() && in.path("ConsistentRead").asBoolean(false)) {
            throw Errors.validation("Consistent reads are not supported on global secondary indexes");
        }
        return index;
    }

    private static String select(JsonNode in, Table.Index index, Projection projection) {
        String select = JsonService.text(in, "Select");
        if (select == null) {
            return projection.paths != null ? "SPECIFIC_ATTRIBUTES" : index != null ? "ALL_PROJECTED_ATTRIBUTES" : "ALL_ATTRIBUTES";
        }
        if (!Set.of("ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT").contains(select)) {
            throw Errors.validation(ValidationErrors.detected(ValidationErrors.failure(select, "select",
                    "Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]")));
        }
        if (select.equals("ALL_PROJECTED_ATTRIBUTES") && index == null) {
            throw Errors.validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
        }
        if (projection.paths != null && !select.equals("SPECIFIC_ATTRIBUTES")) {
            throw Errors.validation("Cannot specify the AttributesToGet or ProjectionExpression when choosing to get " + select);
        }
        return select;
    }

    private static Expr.Condition filter(JsonNode in, Placeholders p) {
        String text = JsonService.text(in, "FilterExpression");
        return text == null ? null : Parser.condition(Parser.FILTER, text, p);
    }

    private static void checkFilterKeys(Expr.Condition filter, Table.Schema schema) {
        if (filter == null) {
            return;
        }
        for (String top : KeyConditions.topNames(filter)) {
            if (schema.names().contains(top)) {
                throw Errors.validation("Filter Expression can only contain non-primary key attributes: Primary key attribute: " + top);
            }
        }
    }

    private static JsonNode requiredKey(JsonNode in) {
        if (!in.hasNonNull("Key")) {
            throw Errors.validation(ValidationErrors.missing("key"));
        }
        return in.get("Key");
    }

    private static double readUnits(ObjectNode item, boolean consistent) {
        int size = item == null ? 0 : Values.itemSize(item);
        return Math.max(1, Math.ceil(size / 4096.0)) * (consistent ? 1 : 0.5);
    }

    /** ProjectionExpression (or the legacy AttributesToGet) with the request's placeholders. */
    private static Projection projection(JsonNode in) {
        String text = JsonService.text(in, "ProjectionExpression");
        boolean expressions = text != null || in.has("KeyConditionExpression") || in.has("FilterExpression");
        Placeholders p = Placeholders.of(in, expressions);
        List<Expr.Path> paths = null;
        if (text != null) {
            paths = Parser.projection(text, p);
        } else if (in.has("AttributesToGet")) {
            paths = new ArrayList<>();
            for (JsonNode a : in.get("AttributesToGet")) {
                paths.add(new Expr.Path(List.of(a.asText())));
            }
        }
        return new Projection(p, paths);
    }

    private record Projection(Placeholders placeholders, List<Expr.Path> paths) {
        ObjectNode apply(ObjectNode item) {
            return paths == null ? item : Evaluator.project(item, paths);
        }
    }
}
