package dev.livestack.localcloud.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads optional text members of a request. */
final class JsonText {
    private JsonText() {
    }

    static String of(JsonNode input, String field) {
        JsonNode n = input.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }
}
