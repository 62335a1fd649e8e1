package dev.livestack.localcloud.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.JsonService;
import dev.livestack.localcloud.core.ValidationErrors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The write side of the item API: Put, Update, Delete, BatchWriteItem and TransactWriteItems. */
final class Items {
    private static final Set<String> LEGACY = Set.of("Expected", "AttributeUpdates", "ConditionalOperator");

    private enum Kind { PUT, UPDATE, DELETE, CHECK }

    /** One checked write, ready to test its condition and apply. */
    private record Write(Kind kind, Table table, Table.Key key, ObjectNode item, List<Expr.Action> actions,
                         Expr.Condition condition, boolean itemOnFailure) {
    }

    private final DynamoDbService service;

    Items(DynamoDbService service) {
        this.service = service;
    }

    void put(String region, JsonNode in, ObjectNode out) {
        returnValues(in, Set.of("NONE", "ALL_OLD"));
        Write w = prepare(region, Kind.PUT, in, false);
        ObjectNode old = check(w);
        apply(w, old);
        service.save(region, w.table());
        if (old != null && "ALL_OLD".equals(JsonService.text(in, "ReturnValues"))) {
            out.set("Attributes", old);
        }
        consumed(in, out, w.table(), writeUnits(w.item(), old));
    }

    void delete(String region, JsonNode in, ObjectNode out) {
        returnValues(in, Set.of("NONE", "ALL_OLD"));
        Write w = prepare(region, Kind.DELETE, in, false);
        ObjectNode old = check(w);
        apply(w, old);
        service.save(region, w.table());
        if (old != null && "ALL_OLD".equals(JsonService.text(in, "ReturnValues"))) {
            out.set("Attributes", old);
        }
        consumed(in, out, w.table(), writeUnits(null, old));
    }

    void update(String region, JsonNode in, ObjectNode out) {
        String rv = returnValues(in, Set.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"));
        Write w = prepare(region, Kind.UPDATE, in, false);
        ObjectNode old = check(w);
        ObjectNode updated = apply(w, old);
        service.save(region, w.table());
        Set<String> touched = new LinkedHashSet<>();
        w.actions().forEach(a -> touched.add(a.path().top()));
        ObjectNode attributes = switch (rv) {
            case "ALL_OLD" -> old;
            case "ALL_NEW" -> updated;
            case "UPDATED_OLD" -> old == null ? null : Values.only(old, List.copyOf(touched));
            case "UPDATED_NEW" -> Values.only(updated, List.copyOf(touched));
            default -> null;
        };
        if (attributes != null && !attributes.isEmpty()) {
            out.set("Attributes", attributes);
        }
        consumed(in, out, w.table(), writeUnits(updated, old));
    }

    void batchWrite(String region, JsonNode in, ObjectNode out) {
        JsonNode requests = in.get("RequestItems");
        if (requests == null || requests.isEmpty()) {
            throw Errors.validation(ValidationErrors.missing("requestItems"));
        }
        List<Write> writes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int count = 0;
        for (Map.Entry<String, JsonNode> e : iterable(requests)) {
            for (JsonNode r : e.getValue()) {
                if (++count > 25) {
                    throw Errors.validation("Too many items requested for the BatchWriteItem call");
                }
                ObjectNode entry = Values.NODES.objectNode().put("TableName", e.getKey());
                Write w;
                if (r.has("PutRequest")) {
                    entry.set("Item", r.get("PutRequest").get("Item"));
                    w = prepare(region, Kind.PUT, entry, true);
                } else if (r.has("DeleteRequest")) {
                    entry.set("Key", r.get("DeleteRequest").get("Key"));
                    w = prepare(region, Kind.DELETE, entry, true);
                } else {
                    throw Errors.validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
                }
                if (!seen.add(e.getKey() + "\u0000" + w.key())) {
                    throw Errors.validation("Provided list of item keys contains duplicates");
                }
                writes.add(w);
            }
        }
        Map<Table, Double> units = new LinkedHashMap<>();
        for (Write w : writes) {
            ObjectNode old = w.table().items.get(w.key());
            apply(w, old);
            units.merge(w.table(), writeUnits(w.item(), old), Double::sum);
        }
        units.keySet().forEach(t -> service.save(region, t));
        out.putObject("UnprocessedItems");
        consumedList(in, out, units);
    }

    void transactWrite(String region, JsonNode in, ObjectNode out) {
        JsonNode list = in.get("TransactItems");
        if (list == null || !list.isArray()) {
            throw Errors.validation(ValidationErrors.missing("transactItems"));
        }
        if (list.isEmpty() || list.size() > 100) {
            throw Errors.validation(ValidationErrors.detected(ValidationErrors.failure(list.toString(), "transactItems",
                    list.isEmpty() ? "Member must have length greater than or equal to 1" : "Member must have length less than or equal to 100")));
        }
        List<Write> writes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode entry : list) {
            Kind kind;
            JsonNode body;
            if (entry.has("Put")) {
                kind = Kind.PUT;
                body = entry.get("Put");
            } else if (entry.has("Update")) {
                kind = Kind.UPDATE;
                body = entry.get("Update");
            } else if (entry.has("Delete")) {
                kind = Kind.DELETE;
                body = entry.get("Delete");
            } else if (entry.has("ConditionCheck")) {
                kind = Kind.CHECK;
                body = entry.get("ConditionCheck");
            } else {
                throw Errors.validation("TransactItems can only contain one of Check, Put, Update or Delete");
            }
            Write w = prepare(region, kind, body, true);
            if (!seen.add(w.table().name + "\u0000" + w.key())) {
                throw Errors.validation("Transaction request cannot include multiple operations on one item");
            }
            writes.add(w);
        }
        List<ObjectNode> olds = new ArrayList<>();
        ArrayNode reasons = Values.NODES.arrayNode();
        List<String> codes = new ArrayList<>();
        boolean failed = false;
        for (Write w : writes) {
            ObjectNode old = w.table().items.get(w.key());
            olds.add(old);
            ObjectNode reason = reasons.addObject();
            if (w.condition() != null && !Evaluator.test(w.condition(), old)) {
                failed = true;
                reason.put("Code", "ConditionalCheckFailed").put("Message", Errors.CONDITION_FAILED);
                if (w.itemOnFailure() && old != null) {
                    reason.set("Item", old);
                }
                codes.add("ConditionalCheckFailed");
            } else {
                reason.put("Code", "None");
                codes.add("None");
            }
        }
        if (failed) {
            ObjectNode members = Values.NODES.objectNode();
            members.set("CancellationReasons", reasons);
            throw new Errors.DynamoException("TransactionCanceledException",
                    "Transaction cancelled, please refer cancellation reasons for specific reasons " + codes.toString(), members);
        }
        // compute every new item before changing any, so that a failing update leaves the tables as they were
        List<ObjectNode> results = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            results.add(writes.get(i).kind() == Kind.UPDATE ? updated(writes.get(i), olds.get(i)) : null);
        }
        Map<Table, Double> units = new LinkedHashMap<>();
        for (int i = 0; i < writes.size(); i++) {
            Write w = writes.get(i);
            if (w.kind() == Kind.UPDATE) {
                w.table().items.put(w.key(), results.get(i));
            } else if (w.kind() != Kind.CHECK) {
                apply(w, olds.get(i));
            }
            units.merge(w.table(), 2 * writeUnits(w.item(), olds.get(i)), Double::sum);
        }
        units.keySet().forEach(t -> service.save(region, t));
        consumedList(in, out, units);
    }

    private Write prepare(String region, Kind kind, JsonNode in, boolean inBatch) {
        for (String legacy : LEGACY) {
            if (in.has(legacy)) {
                throw Errors.validation("local-cloud reads the expression parameters only, not the legacy parameter " + legacy
                        + "; use ConditionExpression and UpdateExpression");
            }
        }
        Table t = service.table(region, JsonService.text(in, "TableName"), false);
        String conditionText = JsonService.text(in, "ConditionExpression");
        String updateText = kind == Kind.UPDATE ? JsonService.text(in, "UpdateExpression") : null;
        Placeholders p = Placeholders.of(in, conditionText != null || updateText != null);
        ObjectNode item = null;
        Table.Key key;
        if (kind == Kind.PUT) {
            if (!in.hasNonNull("Item")) {
                throw Errors.validation(ValidationErrors.missing("item"));
            }
            item = Values.item(in.get("Item"));
            key = t.keyOfItem(item);
            checkSize(item);
        } else {
            if (!in.hasNonNull("Key")) {
                throw Errors.validation(ValidationErrors.missing("key"));
            }
            key = t.key(in.get("Key"));
        }
        List<Expr.Action> actions = updateText == null ? List.of() : Parser.update(updateText, p);
        for (Expr.Action a : actions) {
            if (t.schema().names().contains(a.path().top())) {
                throw Errors.validation("One or more parameter values were invalid: Cannot update attribute " + a.path().top()
                        + ". This attribute is part of the key");
            }
        }
        Expr.Condition condition = conditionText == null ? null : Parser.condition(Parser.CONDITION, conditionText, p);
        if (kind == Kind.CHECK && condition == null) {
            throw Errors.validation(ValidationErrors.missing("conditionExpression"));
        }
        p.checkAllUsed();
        boolean itemOnFailure = "ALL_OLD".equals(JsonService.text(in, "ReturnValuesOnConditionCheckFailure"));
        return new Write(kind, t, key, item, actions, condition, itemOnFailure);
    }

    /** The item before the write, after the write's condition held; else ConditionalCheckFailedException. */
    private static ObjectNode check(Write w) {
        ObjectNode old = w.table().items.get(w.key());
        if (w.condition() != null && !Evaluator.test(w.condition(), old)) {
            throw Errors.conditionFailed(w.itemOnFailure() ? old : null);
        }
        return old;
    }

    private static ObjectNode apply(Write w, ObjectNode old) {
        switch (w.kind()) {
            case PUT -> {
                w.table().items.put(w.key(), w.item());
                return w.item();
            }
            case DELETE -> {
                w.table().items.remove(w.key());
                return null;
            }
            case UPDATE -> {
                ObjectNode updated = updated(w, old);
                w.table().items.put(w.key(), updated);
                return updated;
            }
            default -> {
                return old;
            }
        }
    }

    private static ObjectNode updated(Write w, ObjectNode old) {
        ObjectNode base = old != null ? old : w.table().keyAttributes(w.key());
        ObjectNode updated = Evaluator.update(w.actions(), base);
        w.table().keyOfItem(updated);
        checkSize(updated);
        return updated;
    }

    private static void checkSize(ObjectNode item) {
        if (Values.itemSize(item) > Values.MAX_ITEM_BYTES) {
            throw Errors.validation("Item size has exceeded the maximum allowed size");
        }
    }

    private static String returnValues(JsonNode in, Set<String> allowed) {
        String rv = JsonService.text(in, "ReturnValues");
        if (rv == null) {
            return "NONE";
        }
        if (!allowed.contains(rv)) {
            if (Set.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW").contains(rv)) {
                throw Errors.validation("Return values set to invalid value");
            }
            throw Errors.validation(ValidationErrors.detected(ValidationErrors.failure(rv, "returnValues",
                    "Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]")));
        }
        return rv;
    }

    private static double writeUnits(ObjectNode item, ObjectNode old) {
        int size = Math.max(item == null ? 0 : Values.itemSize(item), old == null ? 0 : Values.itemSize(old));
        return Math.max(1, Math.ceil(size / 1024.0));
    }

    /** ConsumedCapacity when the caller asked (TOTAL or INDEXES), as one table's entry. */
    static void consumed(JsonNode in, ObjectNode out, Table t, double units) {
        String mode = JsonService.text(in, "ReturnConsumedCapacity");
        if (mode == null || mode.equals("NONE")) {
            return;
        }
        out.set("ConsumedCapacity", capacity(mode, t, units));
    }

    static void consumedList(JsonNode in, ObjectNode out, Map<Table, Double> units) {
        String mode = JsonService.text(in, "ReturnConsumedCapacity");
        if (mode == null || mode.equals("NONE")) {
            return;
        }
        ArrayNode list = out.putArray("ConsumedCapacity");
        units.forEach((t, u) -> list.add(capacity(mode, t, u)));
    }

    private static ObjectNode capacity(String mode, Table t, double units) {
        ObjectNode c = Values.NODES.objectNode();
        c.put("TableName", t.name).put("CapacityUnits", units);
        if (mode.equals("INDEXES")) {
            c.putObject("Table").put("CapacityUnits", units);
        }
        return c;
    }

    static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode object) {
        return object::fields;
    }
}
