package dev.livestack.localcloud.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A request's ExpressionAttributeNames and ExpressionAttributeValues, shared by all of its expressions: DynamoDB
 * rejects a request that defines one no expression uses, so the parsers record what they substitute.
 */
final class Placeholders {
    private final JsonNode names;
    private final JsonNode values;
    private final Set<String> usedNames = new HashSet<>();
    private final Set<String> usedValues = new HashSet<>();

    /** Reads both maps from a request (or a transaction's entry), checking what DynamoDB checks before parsing. */
    static Placeholders of(JsonNode input, boolean anyExpression) {
        JsonNode names = input.get("ExpressionAttributeNames");
        JsonNode values = input.get("ExpressionAttributeValues");
        if (names != null && !names.isNull()) {
            if (!anyExpression) {
                throw Errors.validation("ExpressionAttributeNames can only be specified when using expressions");
            }
            if (names.isEmpty()) {
                throw Errors.validation("ExpressionAttributeNames must not be empty");
            }
        }
        if (values != null && !values.isNull()) {
            if (!anyExpression) {
                throw Errors.validation("ExpressionAttributeValues can only be specified when using expressions");
            }
            if (values.isEmpty()) {
                throw Errors.validation("ExpressionAttributeValues must not be empty");
            }
        }
        return new Placeholders(names, values);
    }

    Placeholders(JsonNode names, JsonNode values) {
        this.names = names == null || names.isNull() ? Values.NODES.objectNode() : names;
        this.values = values == null || values.isNull() ? Values.NODES.objectNode() : values;
    }

    String name(String placeholder, String kind) {
        JsonNode n = names.get(placeholder);
        if (n == null) {
            throw Errors.invalid(kind, "An expression attribute name used in the document path is not defined; attribute name: " + placeholder);
        }
        usedNames.add(placeholder);
        return n.asText();
    }

    ObjectNode value(String placeholder, String kind) {
        JsonNode v = values.get(placeholder);
        if (v == null) {
            throw Errors.invalid(kind, "An expression attribute value used in expression is not defined; attribute value: " + placeholder);
        }
        usedValues.add(placeholder);
        try {
            return Values.value(v);
        } catch (dev.livestack.localcloud.core.AwsException e) {
            if (!e.code().equals("ValidationException")) {
                throw e;
            }
            throw Errors.validation("ExpressionAttributeValues contains invalid value: " + e.getMessage() + " for key " + placeholder);
        }
    }

    /** Called after every expression of the request is parsed. */
    void checkAllUsed() {
        List<String> unusedNames = unused(names, usedNames);
        if (!unusedNames.isEmpty()) {
            throw Errors.validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {" + String.join(", ", unusedNames) + "}");
        }
        List<String> unusedValues = unused(values, usedValues);
        if (!unusedValues.isEmpty()) {
            throw Errors.validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {" + String.join(", ", unusedValues) + "}");
        }
    }

    private static List<String> unused(JsonNode map, Set<String> used) {
        List<String> out = new ArrayList<>();
        map.fieldNames().forEachRemaining(k -> {
            if (!used.contains(k)) {
                out.add(k);
            }
        });
        return out;
    }
}
