package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code AWS::Serverless::SimpleTable} → an {@code AWS::DynamoDB::Table} of the same logical id with one hash key
 * ({@code PrimaryKey}, default {@code id} of type String), on-demand unless ProvisionedThroughput is given.
 */
final class SamSimpleTable {
    static final String TYPE = "AWS::Serverless::SimpleTable";
    private static final Set<String> PROPERTIES = Set.of("PrimaryKey", "ProvisionedThroughput", "TableName", "Tags",
            "SSESpecification", "PointInTimeRecoverySpecification");
    private static final Map<String, String> TYPES = Map.of("String", "S", "Number", "N", "Binary", "B");

    private SamSimpleTable() {
    }

    static Map<String, JsonNode> expand(String id, ObjectNode resource) {
        ObjectNode props = SamContext.properties(id, resource, TYPE, PROPERTIES);
        ObjectNode table = SamContext.generated("AWS::DynamoDB::Table", resource);
        ObjectNode tp = (ObjectNode) table.get("Properties");
        String name = "id";
        String type = "S";
        JsonNode key = props.get("PrimaryKey");
        if (key != null) {
            if (!key.isObject() || !key.has("Name") || !key.has("Type")) {
                throw new SamContext.Invalid(id, "'PrimaryKey' is missing required Property 'Name' or 'Type'.");
            }
            name = key.get("Name").asText();
            type = TYPES.get(key.get("Type").asText());
            if (type == null) {
                throw new SamContext.Invalid(id, "Invalid 'Type' \"" + key.get("Type").asText() + "\".");
            }
        }
        ObjectNode attribute = tp.putArray("AttributeDefinitions").addObject();
        attribute.put("AttributeName", name);
        attribute.put("AttributeType", type);
        ObjectNode schema = tp.putArray("KeySchema").addObject();
        schema.put("AttributeName", name);
        schema.put("KeyType", "HASH");
        for (String copied : new String[] {"PointInTimeRecoverySpecification", "ProvisionedThroughput",
                "SSESpecification", "TableName"}) {
            if (props.has(copied)) {
                tp.set(copied, props.get(copied).deepCopy());
            }
        }
        if (!props.has("ProvisionedThroughput")) {
            tp.put("BillingMode", "PAY_PER_REQUEST");
        }
        if (props.has("Tags")) {
            if (!props.get("Tags").isObject()) {
                throw new SamContext.Invalid(id, "Property 'Tags' should be a map.");
            }
            tp.set("Tags", SamContext.tagList(props.get("Tags")));
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        out.put(id, table);
        return out;
    }
}
