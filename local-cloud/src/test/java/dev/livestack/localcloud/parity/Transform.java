package dev.livestack.localcloud.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One step of the normalisation LocalStack's snapshot library applied before it stored a recorded response. The
 * semantics follow that library, so a placeholder such as {@code <function-name:2>} means the same thing here: some
 * steps rewrite the tree in place, others register a textual replacement that runs over each interaction's JSON
 * text after every step has seen the whole tree (which is why numbering follows first appearance across the test).
 */
@FunctionalInterface
public interface Transform {
    /** Rewrites {@code state} (test key → response) in place, or registers replacements in {@code ctx}. */
    void apply(ObjectNode state, Context ctx);

    /** Replacements waiting to run over the serialised text, and the numbering of placeholders per name. */
    final class Context {
        final List<UnaryOperator<String>> replacements = new ArrayList<>();
        private final Map<String, Integer> counters = new HashMap<>();
        private final Set<String> registered = new HashSet<>();

        /** Registers {@code <name:N>} for {@code value} unless some step already registered that value. */
        void reference(String value, String name) {
            String key = value.replace("\"", "\\\"");
            if (!registered.add(key)) {
                return;
            }
            int n = counters.merge(name, 1, Integer::sum);
            String placeholder = "<" + name + ":" + n + ">";
            replacements.add(s -> s.replace(key, placeholder));
        }
    }

    /**
     * Every value under {@code key} (non-empty) becomes {@code <replacement:N>} wherever its text occurs, or, when
     * {@code reference} is false, only that value becomes {@code replacement}.
     */
    static Transform keyValue(String key, String replacement, boolean reference) {
        return keyValue((k, v) -> k.equals(key) && v != null && !v.isNull() && !(v.isTextual() && v.textValue().isEmpty())
                ? (v.isTextual() ? v.textValue() : v.toString()) : null, replacement, reference);
    }

    /** As {@link #keyValue(String, String, boolean)} with a replacement named after the key in kebab case. */
    static Transform keyValue(String key) {
        return keyValue(key, kebab(key), true);
    }

    /**
     * The general form: {@code match} returns the part of a value to replace (or null). Walks objects and the
     * objects inside lists, in document order, as the snapshot library does.
     */
    static Transform keyValue(BiFunction<String, JsonNode, String> match, String replacement, boolean reference) {
        return (state, ctx) -> walkKeyValue(state, match, replacement, reference, ctx);
    }

    private static void walkKeyValue(ObjectNode node, BiFunction<String, JsonNode, String> match, String replacement,
            boolean reference, Context ctx) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        for (String k : names) {
            JsonNode v = node.get(k);
            String found = match.apply(k, v);
            if (found != null) {
                if (reference) {
                    ctx.reference(found, replacement);
                } else if (v.isTextual()) {
                    node.put(k, v.textValue().replace(found, replacement));
                } else {
                    node.put(k, replacement);
                }
            } else if (v.isArray()) {
                for (JsonNode item : v) {
                    if (item.isObject()) {
                        walkKeyValue((ObjectNode) item, match, replacement, reference, ctx);
                    }
                }
            } else if (v.isObject()) {
                walkKeyValue((ObjectNode) v, match, replacement, reference, ctx);
            }
        }
    }

    /** Every match of {@code regex} in the serialised text becomes {@code replacement} (a literal). */
    static Transform regex(String regex, String replacement) {
        Pattern p = Pattern.compile(regex);
        return (state, ctx) -> ctx.replacements.add(s -> p.matcher(s).replaceAll(Matcher.quoteReplacement(replacement)));
    }

    /** A literal text replacement (the snapshot library's regex transformer given a plain value, quoted). */
    static Transform text(String text, String replacement) {
        return regex(Pattern.quote(text), replacement);
    }

    /**
     * A JSON path of the form {@code $..A.B}: every {@code A} at any depth, then its child {@code B}. With
     * {@code reference} the value is numbered and replaced everywhere; without, only that value is replaced.
     */
    static Transform jsonPath(String path, String replacement, boolean reference) {
        if (!path.startsWith("$..")) {
            throw new IllegalArgumentException("path must look like $..A.B, was " + path);
        }
        String[] steps = path.substring(3).split("\\.");
        return (state, ctx) -> descend(state, steps, replacement, reference, ctx);
    }

    private static void descend(JsonNode node, String[] steps, String replacement, boolean reference, Context ctx) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            for (String k : names) {
                JsonNode v = node.get(k);
                if (k.equals(steps[0])) {
                    applyAt((ObjectNode) node, k, steps, 1, replacement, reference, ctx);
                }
                descend(v, steps, replacement, reference, ctx);
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                descend(item, steps, replacement, reference, ctx);
            }
        }
    }

    private static void applyAt(ObjectNode parent, String key, String[] steps, int i, String replacement,
            boolean reference, Context ctx) {
        if (i == steps.length) {
            JsonNode v = parent.get(key);
            if (reference) {
                ctx.reference(v.isTextual() ? v.textValue() : v.toString(), replacement);
            } else {
                parent.put(key, replacement);
            }
            return;
        }
        JsonNode child = parent.get(key);
        if (child != null && child.isObject() && child.has(steps[i])) {
            applyAt((ObjectNode) child, steps[i], steps, i + 1, replacement, reference, ctx);
        }
    }

    /** Removes {@code key} at every depth. */
    static Transform removeKey(String key) {
        return (state, ctx) -> removeAll(state, key);
    }

    private static void removeAll(JsonNode node, String key) {
        if (node.isObject()) {
            ((ObjectNode) node).remove(key);
            node.forEach(v -> removeAll(v, key));
        } else if (node.isArray()) {
            node.forEach(v -> removeAll(v, key));
        }
    }

    /** Sorts every list under {@code key} by the text of each element's {@code field}. */
    static Transform sortBy(String key, String field) {
        return (state, ctx) -> sortAll(state, key, field);
    }

    private static void sortAll(JsonNode node, String key, String field) {
        if (node.isObject()) {
            JsonNode v = node.get(key);
            if (v != null && v.isArray()) {
                List<JsonNode> items = new ArrayList<>();
                v.forEach(items::add);
                items.sort(Comparator.comparing(n -> n.path(field).asText()));
                ArrayNode sorted = ((ObjectNode) node).putArray(key);
                items.forEach(sorted::add);
            }
            node.forEach(c -> sortAll(c, key, field));
        } else if (node.isArray()) {
            node.forEach(c -> sortAll(c, key, field));
        }
    }

    /** Keeps of {@code ResponseMetadata} only its status code and an empty header map, as the recordings do. */
    static Transform responseMetadata() {
        return (state, ctx) -> simplifyMetadata(state);
    }

    private static void simplifyMetadata(ObjectNode node) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("ResponseMetadata") && e.getValue().isObject()) {
                JsonNode status = e.getValue().get("HTTPStatusCode");
                ObjectNode simple = node.objectNode();
                simple.putObject("HTTPHeaders");
                if (status != null && !status.isNull() && status.asInt() != 0) {
                    simple.set("HTTPStatusCode", status);
                }
                e.setValue(simple);
            } else if (e.getValue().isObject()) {
                simplifyMetadata((ObjectNode) e.getValue());
            }
        }
    }

    /** Uuids under keys ending in "id", ISO-8601 dates, datetimes and timestamps: the recordings' base steps. */
    static List<Transform> basic() {
        Pattern uuid = Pattern.compile("[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}");
        Pattern timestampKey = Pattern.compile("^.*timestamp.*$", Pattern.CASE_INSENSITIVE);
        return List.of(
                responseMetadata(),
                keyValue((k, v) -> {
                    if (v.isTextual() && k.toLowerCase().endsWith("id")) {
                        Matcher m = uuid.matcher(v.textValue());
                        if (m.lookingAt()) {
                            return v.textValue();
                        }
                    }
                    return null;
                }, "uuid", true),
                regex(ISO8601, "date"),
                keyValue((k, v) -> (timestampKey.matcher(k).matches() || k.equals("creationTime") || k.equals("ingestionTime"))
                        && !ISO8601_PATTERN.matcher(v.isTextual() ? v.textValue() : v.toString()).lookingAt()
                        ? (v.isTextual() ? v.textValue() : v.toString()) : null, "timestamp", false));
    }

    /** Account id, region and partition in ARNs, as the recordings' session did first of all. */
    static List<Transform> accountRegionPartition(String account, String region) {
        return List.of(text(account, "1".repeat(12)), text(region, "<region>"), text("arn:aws:", "arn:<partition>:"));
    }

    /** The name a key gets as a placeholder: {@code CodeSha256} → {@code code-sha256}. */
    static String kebab(String key) {
        StringBuilder b = new StringBuilder();
        for (char c : key.toCharArray()) {
            if (Character.isUpperCase(c)) {
                b.append('-').append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        String s = b.toString();
        while (s.startsWith("-")) {
            s = s.substring(1);
        }
        while (s.endsWith("-")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** The name of the resource an ARN names, as the recordings' "resource" step extracts it; null if none. */
    static String resourceName(String value) {
        Matcher m = ARN.matcher(value);
        if (!m.lookingAt()) {
            return null;
        }
        String res = m.group(5);
        if (res.startsWith("<") && res.endsWith(">")) {
            return null;
        }
        if (value.contains(":changeSet/")) {
            return value.substring(value.lastIndexOf(":changeSet/") + ":changeSet/".length());
        }
        if (res.contains("/")) {
            return res.substring(res.lastIndexOf('/') + 1);
        }
        if (res.startsWith("function:")) {
            res = res.replace("function:", "");
            if (res.contains("$")) {
                res = res.substring(0, res.indexOf('$'));
                while (res.endsWith(":")) {
                    res = res.substring(0, res.length() - 1);
                }
            }
            return res;
        }
        if (res.startsWith("layer:")) {
            String[] parts = res.split(":", -1);
            if (parts.length == 2 || parts.length == 3) {
                return parts[1];
            }
        }
        if (res.contains(":")) {
            return res.substring(res.lastIndexOf(':') + 1);
        }
        return res;
    }

    /** Names in ARNs numbered as {@code <replacement:N>}. */
    static Transform resourceNames(String replacement) {
        return keyValue((k, v) -> v.isTextual() ? resourceName(v.textValue()) : null, replacement, true);
    }

    /** Lambda's set: function names, code sizes, code locations, ARN resource names, log stream names. */
    static List<Transform> lambdaApi() {
        Pattern logStream = Pattern.compile("\\d{4}/\\d{1,2}/\\d{1,2}/\\[((\\$LATEST)|\\d+)\\][0-9a-f]{8,32}");
        return List.of(
                keyValue("FunctionName"),
                keyValue("CodeSize", "<code-size>", false),
                jsonPath("$..Code.Location", "<location>", false),
                jsonPath("$..Content.Location", "<layer-location>", false),
                resourceNames("resource"),
                keyValue((k, v) -> v.isTextual() && (k.equals("log_stream_name") || k.equals("logStreamName"))
                        && logStream.matcher(v.textValue()).lookingAt() ? v.textValue() : null, "log-stream-name", true));
    }

    Pattern ARN = Pattern.compile("arn:(aws[a-zA-Z-]*)?:([a-zA-Z0-9-_.]+)?:([^:]+)?:(\\d{12})?:(.*)");
    String ISO8601 = "(?:[1-9]\\d{3}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)"
            + "|(?:[1-9]\\d(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)-02-29)T(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d"
            + "(?:\\.\\d{1,9})?(?:Z|[+-][01]\\d:?([0-5]\\d)?)";
    Pattern ISO8601_PATTERN = Pattern.compile(ISO8601);
}
