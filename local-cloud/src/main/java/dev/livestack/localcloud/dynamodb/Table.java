package dev.livestack.localcloud.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One table: its description as DescribeTable returns it (less the live counts), its tags and TTL setting, and its
 * items ordered by partition key, then sort key (DynamoDB's Scan order is by a hash of the partition key; any stable
 * order serves the same contract).
 */
final class Table {
    /** A key schema: the partition (hash) attribute and the optional sort (range) attribute, with their types. */
    record Schema(String hash, String hashType, String range, String rangeType) {
        Schema {
            if (hash == null || hashType == null) {
                throw new IllegalArgumentException("hash and hashType must be set");
            }
        }

        List<String> names() {
            return range == null ? List.of(hash) : List.of(hash, range);
        }
    }

    /** A secondary index: its schema and which attributes it projects (ALL, KEYS_ONLY, INCLUDE). */
    record Index(String name, boolean global, Schema schema, String projection, List<String> include) {
        Index {
            include = include == null ? List.of() : List.copyOf(include);
        }
    }

    /** The primary key of one item. */
    record Key(JsonNode hash, JsonNode range) {
    }

    static final Comparator<Key> ORDER = (a, b) -> {
        int c = Values.compare(a.hash(), b.hash());
        if (c != 0) {
            return c;
        }
        // a missing sort key sorts first: the start of a partition, for range lookups
        if (a.range() == null || b.range() == null) {
            return a.range() == null ? (b.range() == null ? 0 : -1) : 1;
        }
        return Values.compare(a.range(), b.range());
    };

    final String name;
    final ObjectNode description;
    final ObjectNode tags;
    final ObjectNode ttl;
    final TreeMap<Key, ObjectNode> items = new TreeMap<>(ORDER);

    Table(String name, ObjectNode description, ObjectNode tags, ObjectNode ttl) {
        this.name = name;
        this.description = description;
        this.tags = tags;
        this.ttl = ttl;
    }

    static Schema schema(JsonNode keySchema, JsonNode definitions) {
        String hash = null;
        String range = null;
        for (JsonNode k : keySchema) {
            if ("HASH".equals(k.path("KeyType").asText())) {
                hash = k.path("AttributeName").asText();
            } else {
                range = k.path("AttributeName").asText();
            }
        }
        return new Schema(hash, type(definitions, hash), range, range == null ? null : type(definitions, range));
    }

    private static String type(JsonNode definitions, String name) {
        for (JsonNode d : definitions) {
            if (d.path("AttributeName").asText().equals(name)) {
                return d.path("AttributeType").asText();
            }
        }
        return null;
    }

    Schema schema() {
        return schema(description.get("KeySchema"), description.get("AttributeDefinitions"));
    }

    List<Index> indexes() {
        List<Index> out = new ArrayList<>();
        for (String kind : List.of("GlobalSecondaryIndexes", "LocalSecondaryIndexes")) {
            for (JsonNode i : description.path(kind)) {
                List<String> include = new ArrayList<>();
                i.path("Projection").path("NonKeyAttributes").forEach(a -> include.add(a.asText()));
                out.add(new Index(i.path("IndexName").asText(), kind.startsWith("Global"),
                        schema(i.get("KeySchema"), description.get("AttributeDefinitions")),
                        i.path("Projection").path("ProjectionType").asText("ALL"), include));
            }
        }
        return out;
    }

    Index index(String indexName) {
        for (Index i : indexes()) {
            if (i.name().equals(indexName)) {
                return i;
            }
        }
        return null;
    }

    String arn() {
        return description.get("TableArn").asText();
    }

    /** The key of an item being written, with DynamoDB's messages for a missing, mistyped or empty key attribute. */
    Key keyOfItem(JsonNode item) {
        Schema s = schema();
        for (int i = 0; i < s.names().size(); i++) {
            String attr = s.names().get(i);
            String type = i == 0 ? s.hashType() : s.rangeType();
            JsonNode v = item.get(attr);
            if (v == null) {
                throw Errors.validation("One or more parameter values were invalid: Missing the key " + attr + " in the item");
            }
            if (!Values.type(v).equals(type)) {
                throw Errors.validation("One or more parameter values were invalid: Type mismatch for key " + attr
                        + " expected: " + type + " actual: " + Values.type(v));
            }
            checkNotEmpty(attr, v);
        }
        for (Index index : indexes()) {
            for (int i = 0; i < index.schema().names().size(); i++) {
                String attr = index.schema().names().get(i);
                String type = i == 0 ? index.schema().hashType() : index.schema().rangeType();
                JsonNode v = item.get(attr);
                if (v == null) {
                    continue;
                }
                if (!Values.type(v).equals(type)) {
                    throw Errors.validation("One or more parameter values were invalid: Type mismatch for Index Key " + attr
                            + " Expected: " + type + " Actual: " + Values.type(v) + " IndexName: " + index.name());
                }
                if (isEmpty(v)) {
                    throw Errors.validation("One or more parameter values are not valid. A value specified for a secondary index key is not "
                            + "supported. The AttributeValue for a key attribute cannot contain an empty " + (type.equals("S") ? "string" : "binary")
                            + " value. IndexName: " + index.name() + ", IndexKey: " + attr);
                }
            }
        }
        return new Key(item.get(s.hash()), s.range() == null ? null : item.get(s.range()));
    }

    /** The key a GetItem, DeleteItem or UpdateItem names: exactly the schema's attributes, of its types. */
    Key key(JsonNode key) {
        if (key == null || !key.isObject()) {
            throw Errors.validation("The provided key element does not match the schema");
        }
        Schema s = schema();
        ObjectNode checked = Values.item(key);
        if (checked.size() != s.names().size()) {
            throw Errors.validation("The provided key element does not match the schema");
        }
        for (int i = 0; i < s.names().size(); i++) {
            JsonNode v = checked.get(s.names().get(i));
            if (v == null || !Values.type(v).equals(i == 0 ? s.hashType() : s.rangeType())) {
                throw Errors.validation("The provided key element does not match the schema");
            }
            checkNotEmpty(s.names().get(i), v);
        }
        return new Key(checked.get(s.hash()), s.range() == null ? null : checked.get(s.range()));
    }

    ObjectNode keyAttributes(Key k) {
        Schema s = schema();
        ObjectNode out = Values.NODES.objectNode();
        out.set(s.hash(), k.hash());
        if (s.range() != null) {
            out.set(s.range(), k.range());
        }
        return out;
    }

    private static boolean isEmpty(JsonNode v) {
        return (v.has("S") && v.get("S").asText().isEmpty()) || (v.has("B") && v.get("B").asText().isEmpty());
    }

    private static void checkNotEmpty(String attr, JsonNode v) {
        if (isEmpty(v)) {
            throw Errors.validation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty "
                    + (v.has("S") ? "string" : "binary") + " value. Key: " + attr);
        }
    }

    /** The description with live counts, as DescribeTable answers. */
    ObjectNode describe() {
        ObjectNode d = description.deepCopy();
        long bytes = 0;
        for (ObjectNode item : items.values()) {
            bytes += Values.itemSize(item);
        }
        d.put("ItemCount", items.size());
        d.put("TableSizeBytes", bytes);
        for (String kind : List.of("GlobalSecondaryIndexes", "LocalSecondaryIndexes")) {
            if (d.get(kind) instanceof ArrayNode list) {
                for (JsonNode i : list) {
                    Index index = index(i.path("IndexName").asText());
                    long count = 0;
                    long size = 0;
                    for (ObjectNode item : items.values()) {
                        if (inIndex(index, item)) {
                            count++;
                            size += Values.itemSize(projectForIndex(index, item));
                        }
                    }
                    ((ObjectNode) i).put("ItemCount", count).put("IndexSizeBytes", size);
                }
            }
        }
        return d;
    }

    static boolean inIndex(Index index, JsonNode item) {
        for (String a : index.schema().names()) {
            if (!item.has(a)) {
                return false;
            }
        }
        return true;
    }

    /** The attributes an index holds of an item: its keys, the table's keys, and what its projection adds. */
    ObjectNode projectForIndex(Index index, ObjectNode item) {
        if (index == null || index.projection().equals("ALL")) {
            return item;
        }
        List<String> names = new ArrayList<>(schema().names());
        names.addAll(index.schema().names());
        names.addAll(index.include());
        return Values.only(item, names);
    }

    ObjectNode toRecord() {
        ObjectNode r = Values.NODES.objectNode();
        r.put("name", name);
        r.set("description", description);
        r.set("tags", tags);
        r.set("ttl", ttl);
        ArrayNode list = r.putArray("items");
        items.values().forEach(list::add);
        return r;
    }

    static Table fromRecord(JsonNode r) {
        Table t = new Table(r.get("name").asText(), (ObjectNode) r.get("description"), (ObjectNode) r.get("tags"),
                (ObjectNode) r.get("ttl"));
        for (JsonNode item : r.get("items")) {
            t.items.put(t.keyOfItem(item), (ObjectNode) item);
        }
        return t;
    }

    /** The items of one partition, in sort key order. */
    List<Map.Entry<Key, ObjectNode>> partition(JsonNode hash) {
        List<Map.Entry<Key, ObjectNode>> out = new ArrayList<>();
        for (Map.Entry<Key, ObjectNode> e : items.tailMap(new Key(hash, null), true).entrySet()) {
            if (Values.compare(e.getKey().hash(), hash) != 0) {
                break;
            }
            out.add(e);
        }
        return out;
    }
}
