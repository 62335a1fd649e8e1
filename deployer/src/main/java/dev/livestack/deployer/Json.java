package dev.livestack.deployer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** JSON helpers shared by the package. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String CDK_METADATA = "AWS::CDK::Metadata";

    private Json() {
    }

    static ObjectNode objectOrEmpty(JsonNode node) {
        return node != null && node.isObject() ? (ObjectNode) node : MAPPER.createObjectNode();
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise JSON", e);
        }
    }

    static ObjectNode parseObject(String text) {
        try {
            JsonNode n = MAPPER.readTree(text);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("expected a JSON object");
            }
            return (ObjectNode) n;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A short one-line rendering (long values cut), {@code (none)} for absent values. */
    static String brief(JsonNode node) {
        if (node == null) {
            return "(none)";
        }
        String s = node.isTextual() ? node.asText() : write(node);
        s = s.replace("\n", "\\n");
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }

    /** Collects the dotted paths of leaves that differ between two values. */
    static void diffPaths(String prefix, JsonNode o, JsonNode n, List<String> out) {
        if (Objects.equals(o, n)) {
            return;
        }
        if (o != null && n != null && o.isObject() && n.isObject()) {
            Set<String> keys = new TreeSet<>();
            o.fieldNames().forEachRemaining(keys::add);
            n.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                diffPaths(prefix + "." + k, o.get(k), n.get(k), out);
            }
            return;
        }
        out.add(prefix);
    }

    /** Whether two property values are the same; {@code null}, JSON null and a missing node all mean absent. */
    static boolean sameValue(JsonNode a, JsonNode b) {
        boolean aAbsent = a == null || a.isNull() || a.isMissingNode();
        boolean bAbsent = b == null || b.isNull() || b.isMissingNode();
        if (aAbsent || bAbsent) {
            return aAbsent == bAbsent;
        }
        return a.equals(b);
    }
}
