package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Masking of values that may be secret, applied to everything that leaves the deployer as text: {@code NoEcho}
 * parameters, and environment variables whose names contain SECRET, PASSWORD, TOKEN or KEY.
 */
final class Secrets {
    static final String MASK = "****";

    private Secrets() {
    }

    static boolean secretName(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        return n.contains("SECRET") || n.contains("PASSWORD") || n.contains("TOKEN") || n.contains("KEY");
    }

    static Set<String> noEchoParameters(ObjectNode template) {
        Set<String> out = new HashSet<>();
        if (template == null) {
            return out;
        }
        Json.objectOrEmpty(template.get("Parameters")).fields().forEachRemaining(e -> {
            JsonNode ne = e.getValue().get("NoEcho");
            if (ne != null && (ne.asBoolean(false) || ne.asText("").equalsIgnoreCase("true"))) {
                out.add(e.getKey());
            }
        });
        return out;
    }

    /**
     * Masks a property value for display: environment variables with secret names, and references to NoEcho
     * parameters are kept as references (they carry no value), literal secret-named variables become {@code ****}.
     */
    static JsonNode mask(String property, JsonNode value, Set<String> noEcho) {
        if (value == null) {
            return null;
        }
        if (property.equals("Environment") && value.isObject()) {
            ObjectNode copy = value.deepCopy();
            JsonNode vars = copy.get("Variables");
            if (vars != null && vars.isObject()) {
                ObjectNode v = (ObjectNode) vars;
                for (String k : iterable(v)) {
                    if (secretName(k) || refersTo(v.get(k), noEcho)) {
                        v.set(k, TextNode.valueOf(MASK));
                    }
                }
            }
            return copy;
        }
        return refersTo(value, noEcho) ? TextNode.valueOf(MASK) : value;
    }

    static Map<String, String> maskEnvironment(Map<String, String> vars) {
        Map<String, String> out = new java.util.TreeMap<>();
        vars.forEach((k, v) -> out.put(k, secretName(k) ? MASK : v));
        return out;
    }

    static JsonNode maskParameter(JsonNode definition) {
        if (definition == null || !definition.isObject() || !definition.has("Default")) {
            return definition;
        }
        ObjectNode copy = definition.deepCopy();
        copy.put("Default", MASK);
        return copy;
    }

    private static boolean refersTo(JsonNode value, Set<String> noEcho) {
        if (value == null || noEcho.isEmpty()) {
            return false;
        }
        if (value.isObject() && value.has("Ref") && value.get("Ref").isTextual()) {
            return noEcho.contains(value.get("Ref").asText());
        }
        for (JsonNode child : value) {
            if (refersTo(child, noEcho)) {
                return true;
            }
        }
        return false;
    }

    private static Iterable<String> iterable(ObjectNode node) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
