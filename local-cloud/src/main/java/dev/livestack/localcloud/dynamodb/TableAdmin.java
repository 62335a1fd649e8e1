package dev.livestack.localcloud.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.ValidationErrors;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** CreateTable's and UpdateTable's checks, with DynamoDB's messages, and the TableDescription they build. */
final class TableAdmin {
    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private TableAdmin() {
    }

    static void checkName(String name, String member) {
        if (name == null) {
            throw Errors.validation(ValidationErrors.missing(member));
        }
        List<String> failures = new ArrayList<>();
        if (name.length() < 3) {
            failures.add(ValidationErrors.failure(name, member, "Member must have length greater than or equal to 3"));
        }
        if (name.length() > 255) {
            failures.add(ValidationErrors.failure(name, member, "Member must have length less than or equal to 255"));
        }
        if (!name.matches("[a-zA-Z0-9_.-]+")) {
            failures.add(ValidationErrors.failure(name, member, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"));
        }
        if (!failures.isEmpty()) {
            throw Errors.validation(ValidationErrors.detected(failures));
        }
    }

    /** The new table's description, after every check CreateTable makes. */
    static ObjectNode create(JsonNode in, String arn) {
        String name = JsonText.of(in, "TableName");
        checkName(name, "tableName");
        JsonNode keySchema = in.get("KeySchema");
        JsonNode definitions = in.get("AttributeDefinitions");
        if (keySchema == null || !keySchema.isArray()) {
            throw Errors.validation(ValidationErrors.missing("keySchema"));
        }
        if (definitions == null || !definitions.isArray()) {
            throw Errors.validation(ValidationErrors.missing("attributeDefinitions"));
        }
        for (JsonNode d : definitions) {
            String t = d.path("AttributeType").asText();
            if (!Set.of("S", "N", "B").contains(t)) {
                throw Errors.validation(ValidationErrors.detected(ValidationErrors.failure(t, "attributeDefinitions.member.attributeType",
                        "Member must satisfy enum value set: [B, N, S]")));
            }
        }
        checkKeySchema(keySchema, "table");
        Set<String> keyAttributes = new LinkedHashSet<>();
        keySchema.forEach(k -> keyAttributes.add(k.path("AttributeName").asText()));
        String billing = in.path("BillingMode").asText("PROVISIONED");
        if (!Set.of("PROVISIONED", "PAY_PER_REQUEST").contains(billing)) {
            throw Errors.validation(ValidationErrors.detected(ValidationErrors.failure(billing, "billingMode",
                    "Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]")));
        }
        checkThroughput(billing, in.get("ProvisionedThroughput"), null);
        Table.Schema tableSchema = null;
        Set<String> indexNames = new TreeSet<>();
        for (String kind : List.of("LocalSecondaryIndexes", "GlobalSecondaryIndexes")) {
            for (JsonNode index : in.path(kind)) {
                String indexName = index.path("IndexName").asText();
                if (!indexNames.add(indexName)) {
                    throw Errors.validation("One or more parameter values were invalid: Duplicate index name: " + indexName);
                }
                checkKeySchema(index.get("KeySchema"), "index");
                index.get("KeySchema").forEach(k -> keyAttributes.add(k.path("AttributeName").asText()));
                checkProjection(index);
                if (kind.startsWith("Global")) {
                    checkThroughput(billing, index.get("ProvisionedThroughput"), indexName);
                } else {
                    tableSchema = tableSchema == null ? Table.schema(keySchema, definitions) : tableSchema;
                    if (tableSchema.range() == null) {
                        throw Errors.validation("One or more parameter values were invalid: Table KeySchema does not have a range key, "
                                + "which is required when specifying a LocalSecondaryIndex");
                    }
                    Table.Schema s = Table.schema(index.get("KeySchema"), definitions);
                    if (!s.hash().equals(tableSchema.hash())) {
                        throw Errors.validation("One or more parameter values were invalid: Index KeySchema does not have the same leading hash key "
                                + "as table KeySchema for index: " + indexName + ". index hash key: " + s.hash() + ", table hash key: " + tableSchema.hash());
                    }
                }
            }
        }
        checkDefinitions(keyAttributes, definitions);
        ObjectNode d = Values.NODES.objectNode();
        d.set("AttributeDefinitions", definitions.deepCopy());
        d.put("TableName", name);
        d.set("KeySchema", keySchema.deepCopy());
        d.put("TableStatus", "ACTIVE");
        d.put("CreationDateTime", Instant.now().toEpochMilli() / 1000.0);
        d.set("ProvisionedThroughput", throughput(billing, in.get("ProvisionedThroughput")));
        d.put("TableSizeBytes", 0).put("ItemCount", 0);
        d.put("TableArn", arn);
        d.put("TableId", UUID.randomUUID().toString());
        if (billing.equals("PAY_PER_REQUEST")) {
            d.putObject("BillingModeSummary").put("BillingMode", billing)
                    .put("LastUpdateToPayPerRequestDateTime", d.get("CreationDateTime").asDouble());
        }
        for (String kind : List.of("LocalSecondaryIndexes", "GlobalSecondaryIndexes")) {
            if (in.path(kind).size() > 0) {
                ArrayNode list = d.putArray(kind);
                for (JsonNode index : in.get(kind)) {
                    list.add(indexDescription(index, kind.startsWith("Global"), billing, arn));
                }
            }
        }
        stream(d, in.get("StreamSpecification"), arn);
        d.put("DeletionProtectionEnabled", in.path("DeletionProtectionEnabled").asBoolean(false));
        if (in.has("TableClass")) {
            d.putObject("TableClassSummary").put("TableClass", in.get("TableClass").asText());
        }
        return d;
    }

    static ObjectNode indexDescription(JsonNode index, boolean global, String billing, String tableArn) {
        ObjectNode i = Values.NODES.objectNode();
        i.put("IndexName", index.path("IndexName").asText());
        i.set("KeySchema", index.get("KeySchema").deepCopy());
        i.set("Projection", index.get("Projection").deepCopy());
        if (global) {
            i.put("IndexStatus", "ACTIVE");
            i.set("ProvisionedThroughput", throughput(billing, index.get("ProvisionedThroughput")));
        }
        i.put("IndexSizeBytes", 0).put("ItemCount", 0);
        i.put("IndexArn", tableArn + "/index/" + index.path("IndexName").asText());
        return i;
    }

    static ObjectNode throughput(String billing, JsonNode given) {
        ObjectNode t = Values.NODES.objectNode();
        t.put("NumberOfDecreasesToday", 0);
        boolean provisioned = billing.equals("PROVISIONED") && given != null;
        t.put("ReadCapacityUnits", provisioned ? given.path("ReadCapacityUnits").asLong() : 0);
        t.put("WriteCapacityUnits", provisioned ? given.path("WriteCapacityUnits").asLong() : 0);
        return t;
    }

    static void stream(ObjectNode d, JsonNode spec, String arn) {
        if (spec == null || spec.isNull()) {
            return;
        }
        boolean enabled = spec.path("StreamEnabled").asBoolean(false);
        if (enabled && !spec.hasNonNull("StreamViewType")) {
            throw Errors.validation("One or more parameter values were invalid: StreamViewType must be specified when StreamEnabled is true");
        }
        if (!enabled) {
            d.remove("StreamSpecification");
            return;
        }
        String label = LABEL.format(Instant.now());
        d.putObject("StreamSpecification").put("StreamEnabled", true).put("StreamViewType", spec.get("StreamViewType").asText());
        d.put("LatestStreamLabel", label);
        d.put("LatestStreamArn", arn + "/stream/" + label);
    }

    private static void checkKeySchema(JsonNode keySchema, String what) {
        if (keySchema == null || keySchema.isEmpty() || keySchema.size() > 2) {
            throw Errors.validation(ValidationErrors.detected(ValidationErrors.failure(keySchema == null ? null : keySchema.toString(),
                    "keySchema", "Member must have length " + (keySchema == null || keySchema.isEmpty()
                            ? "greater than or equal to 1" : "less than or equal to 2"))));
        }
        if (!"HASH".equals(keySchema.get(0).path("KeyType").asText())) {
            throw Errors.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        }
        if (keySchema.size() == 2) {
            if (!"RANGE".equals(keySchema.get(1).path("KeyType").asText())) {
                throw Errors.validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
            }
            if (keySchema.get(0).path("AttributeName").asText().equals(keySchema.get(1).path("AttributeName").asText())) {
                throw Errors.validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
            }
        }
    }

    private static void checkProjection(JsonNode index) {
        JsonNode p = index.get("Projection");
        if (p == null) {
            throw Errors.validation(ValidationErrors.missing("projection"));
        }
        String type = p.path("ProjectionType").asText("");
        if (type.equals("INCLUDE") != p.has("NonKeyAttributes")) {
            throw Errors.validation(type.equals("INCLUDE")
                    ? "One or more parameter values were invalid: NonKeyAttributes must not be empty when ProjectionType is INCLUDE"
                    : "One or more parameter values were invalid: ProjectionType is " + type + ", but NonKeyAttributes is specified");
        }
    }

    private static void checkThroughput(String billing, JsonNode throughput, String indexName) {
        if (billing.equals("PROVISIONED") && throughput == null) {
            throw Errors.validation(indexName == null
                    ? "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"
                    : "One or more parameter values were invalid: ProvisionedThroughput must be specified for index: " + indexName);
        }
        if (billing.equals("PAY_PER_REQUEST") && throughput != null && !throughput.isNull()) {
            throw Errors.validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
        }
    }

    static void checkDefinitions(Set<String> keyAttributes, JsonNode definitions) {
        Set<String> defined = new LinkedHashSet<>();
        definitions.forEach(d -> defined.add(d.path("AttributeName").asText()));
        if (!defined.containsAll(keyAttributes)) {
            throw Errors.validation("One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: "
                    + keyAttributes.stream().filter(k -> !defined.contains(k)).toList() + ", AttributeDefinitions: " + List.copyOf(defined));
        }
        if (!keyAttributes.containsAll(defined)) {
            throw Errors.validation("One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match "
                    + "number of attributes defined in AttributeDefinitions");
        }
    }

    /** UpdateTable: billing mode, throughput, GSIs created and deleted, streams, deletion protection. */
    static void update(Table table, JsonNode in) {
        ObjectNode d = table.description;
        String billing = in.has("BillingMode") ? in.get("BillingMode").asText() : d.path("BillingModeSummary").path("BillingMode").asText("PROVISIONED");
        if (in.has("AttributeDefinitions")) {
            ArrayNode merged = ((ArrayNode) d.get("AttributeDefinitions")).deepCopy();
            for (JsonNode def : in.get("AttributeDefinitions")) {
                boolean known = false;
                for (JsonNode old : merged) {
                    known |= old.path("AttributeName").asText().equals(def.path("AttributeName").asText());
                }
                if (!known) {
                    merged.add(def.deepCopy());
                }
            }
            d.set("AttributeDefinitions", merged);
        }
        if (in.has("BillingMode") || in.has("ProvisionedThroughput")) {
            checkThroughput(billing, in.get("ProvisionedThroughput"), null);
            d.set("ProvisionedThroughput", throughput(billing, in.get("ProvisionedThroughput")));
            if (billing.equals("PAY_PER_REQUEST")) {
                d.putObject("BillingModeSummary").put("BillingMode", billing).put("LastUpdateToPayPerRequestDateTime", Instant.now().toEpochMilli() / 1000.0);
            } else {
                d.remove("BillingModeSummary");
            }
        }
        for (JsonNode u : in.path("GlobalSecondaryIndexUpdates")) {
            ArrayNode list = d.has("GlobalSecondaryIndexes") ? (ArrayNode) d.get("GlobalSecondaryIndexes") : d.putArray("GlobalSecondaryIndexes");
            if (u.has("Create")) {
                JsonNode c = u.get("Create");
                String indexName = c.path("IndexName").asText();
                if (table.index(indexName) != null) {
                    throw Errors.validation("One or more parameter values were invalid: Index already exists: " + indexName);
                }
                checkKeySchema(c.get("KeySchema"), "index");
                checkProjection(c);
                checkThroughput(billing, c.get("ProvisionedThroughput"), indexName);
                Set<String> defined = new LinkedHashSet<>();
                d.get("AttributeDefinitions").forEach(x -> defined.add(x.path("AttributeName").asText()));
                for (JsonNode k : c.get("KeySchema")) {
                    if (!defined.contains(k.path("AttributeName").asText())) {
                        throw Errors.validation("One or more parameter values were invalid: Some index key attributes are not defined in "
                                + "AttributeDefinitions. Keys: [" + k.path("AttributeName").asText() + "], AttributeDefinitions: " + List.copyOf(defined));
                    }
                }
                list.add(indexDescription(c, true, billing, table.arn()));
            } else if (u.has("Delete")) {
                String indexName = u.get("Delete").path("IndexName").asText();
                boolean removed = false;
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i).path("IndexName").asText().equals(indexName)) {
                        list.remove(i);
                        removed = true;
                        break;
                    }
                }
                if (!removed) {
                    throw new dev.livestack.localcloud.core.AwsException(400, "ResourceNotFoundException",
                            "Requested resource not found: Index: " + indexName + " not found for table: " + table.name);
                }
                if (list.isEmpty()) {
                    d.remove("GlobalSecondaryIndexes");
                }
            } else if (u.has("Update")) {
                JsonNode up = u.get("Update");
                for (JsonNode i : list) {
                    if (i.path("IndexName").asText().equals(up.path("IndexName").asText())) {
                        ((ObjectNode) i).set("ProvisionedThroughput", throughput(billing, up.get("ProvisionedThroughput")));
                    }
                }
            }
        }
        if (in.has("StreamSpecification")) {
            boolean enable = in.get("StreamSpecification").path("StreamEnabled").asBoolean(false);
            if (enable && d.has("StreamSpecification")) {
                throw Errors.validation("Table already has an enabled stream: " + d.path("LatestStreamArn").asText());
            }
            stream(d, in.get("StreamSpecification"), table.arn());
        }
        if (in.has("DeletionProtectionEnabled")) {
            d.put("DeletionProtectionEnabled", in.get("DeletionProtectionEnabled").asBoolean());
        }
    }
}
