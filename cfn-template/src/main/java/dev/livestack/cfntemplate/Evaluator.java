package dev.livestack.cfntemplate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one implementation of {@link IntrinsicEvaluator}. */
final class Evaluator implements IntrinsicEvaluator {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SUB = Pattern.compile("\\$\\{([^}]*)}");

    private final ObjectNode template;
    private final StackEnvironment env;
    private final EvaluationOptions options;
    private final Map<String, Boolean> conditions = new HashMap<>();
    private final Set<String> evaluating = new HashSet<>();

    Evaluator(ObjectNode template, StackEnvironment env, EvaluationOptions options) {
        this.template = template;
        this.env = env;
        this.options = options;
    }

    private ObjectNode section(String name) {
        JsonNode n = template.get(name);
        return n instanceof ObjectNode o ? o : NODES.objectNode();
    }

    private RuntimeException fail(Problem.Kind kind, String function, String detail) {
        return env.failure(new Problem(kind, function, detail));
    }

    @Override
    public boolean condition(String name) {
        Boolean known = conditions.get(name);
        if (known != null) {
            return known;
        }
        JsonNode def = section("Conditions").get(name);
        if (def == null) {
            throw fail(Problem.Kind.CONDITION_UNDEFINED, name, "is not defined in Conditions");
        }
        if (!evaluating.add(name)) {
            throw fail(Problem.Kind.CONDITION_CIRCULAR, name, "depends on itself");
        }
        try {
            boolean value = truth(resolve(def), name);
            conditions.put(name, value);
            return value;
        } finally {
            evaluating.remove(name);
        }
    }

    private boolean truth(JsonNode n, String what) {
        if (n != null && n.isBoolean()) {
            return n.asBoolean();
        }
        if (n != null && n.isTextual()) {
            String text = n.asText();
            if (!options.strict() || text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(text);
            }
        }
        throw fail(Problem.Kind.CONDITION_NOT_BOOLEAN, what, "evaluates to " + brief(n) + ", not to true or false");
    }

    @Override
    public JsonNode resolve(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isObject()) {
            if (node.size() == 1) {
                String key = node.fieldNames().next();
                JsonNode arg = node.get(key);
                // an object with one "Condition" key that is not a name is data (IAM statements have such keys)
                boolean conditionData = key.equals("Condition") && !arg.isTextual();
                if (!conditionData && (key.equals("Ref") || key.equals("Condition") || key.startsWith("Fn::"))) {
                    if (!options.functions().contains(key)) {
                        throw fail(Problem.Kind.UNSUPPORTED_FUNCTION, key, "is not supported here");
                    }
                    return function(key, arg);
                }
            }
            ObjectNode out = NODES.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var e = it.next();
                JsonNode v = resolve(e.getValue());
                if (v != null) {
                    out.set(e.getKey(), v);
                }
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode();
            for (JsonNode child : node) {
                JsonNode v = resolve(child);
                if (v != null) {
                    out.add(v);
                }
            }
            return out;
        }
        return node;
    }

    private JsonNode function(String name, JsonNode arg) {
        switch (name) {
            case "Ref" -> {
                return ref(text(resolve(arg), "Ref"));
            }
            case "Condition" -> {
                return NODES.booleanNode(condition(arg.asText()));
            }
            case "Fn::GetAtt" -> {
                if (arg.isTextual()) {
                    String[] parts = arg.asText().split("\\.", 2);
                    return env.getAtt(parts[0], parts.length > 1 ? parts[1] : "");
                }
                args(arg, name, 2, 2, "[Resource, Attribute]");
                return env.getAtt(text(arg.get(0), name), scalar(resolve(arg.get(1)), name));
            }
            case "Fn::Sub" -> {
                return NODES.textNode(sub(arg));
            }
            case "Fn::Join" -> {
                args(arg, name, 2, 2, "[delimiter, [values]]");
                String delimiter = text(arg.get(0), name);
                StringBuilder out = new StringBuilder();
                boolean first = true;
                for (JsonNode item : array(resolve(arg.get(1)), name)) {
                    if (!first) {
                        out.append(delimiter);
                    }
                    first = false;
                    out.append(scalar(item, name));
                }
                return NODES.textNode(out.toString());
            }
            case "Fn::Select" -> {
                args(arg, name, 2, 2, "[index, [values]]");
                int index;
                try {
                    index = Integer.parseInt(scalar(resolve(arg.get(0)), name));
                } catch (NumberFormatException e) {
                    throw fail(Problem.Kind.BAD_ARGUMENT, name, "expects a number as index");
                }
                ArrayNode list = array(resolve(arg.get(1)), name);
                if (index < 0 || index >= list.size()) {
                    throw fail(Problem.Kind.SELECT_OUT_OF_RANGE, name, String.valueOf(index));
                }
                return list.get(index);
            }
            case "Fn::Split" -> {
                args(arg, name, 2, 2, "[delimiter, string]");
                String delimiter = text(arg.get(0), name);
                String source = scalar(resolve(arg.get(1)), name);
                ArrayNode out = NODES.arrayNode();
                for (String part : source.split(Pattern.quote(delimiter), -1)) {
                    out.add(part);
                }
                return out;
            }
            case "Fn::If" -> {
                args(arg, name, 3, 3, "[condition, valueIfTrue, valueIfFalse]");
                return resolve(arg.get(condition(text(arg.get(0), name)) ? 1 : 2));
            }
            case "Fn::Equals" -> {
                args(arg, name, 2, 2, "[value, value]");
                JsonNode a = resolve(arg.get(0));
                JsonNode b = resolve(arg.get(1));
                if (options.strict()) {
                    return NODES.booleanNode(scalar(a, name).equals(scalar(b, name)));
                }
                return NODES.booleanNode(normal(a).equals(normal(b)));
            }
            case "Fn::And", "Fn::Or" -> {
                boolean and = name.equals("Fn::And");
                for (JsonNode c : array(arg, name)) {
                    if (truth(resolve(c), name) != and) {
                        return NODES.booleanNode(!and);
                    }
                }
                return NODES.booleanNode(and);
            }
            case "Fn::Not" -> {
                return NODES.booleanNode(!truth(resolve(arg.isArray() ? arg.get(0) : arg), name));
            }
            case "Fn::Contains" -> {
                args(arg, name, 2, 2, "[[values], value]");
                ArrayNode list = array(resolve(arg.get(0)), name);
                JsonNode value = normal(resolve(arg.get(1)));
                for (JsonNode item : list) {
                    if (normal(item).equals(value)) {
                        return NODES.booleanNode(true);
                    }
                }
                return NODES.booleanNode(false);
            }
            case "Fn::EachMemberEquals" -> {
                args(arg, name, 2, 2, "[[values], value]");
                ArrayNode list = array(resolve(arg.get(0)), name);
                JsonNode value = normal(resolve(arg.get(1)));
                for (JsonNode item : list) {
                    if (!normal(item).equals(value)) {
                        return NODES.booleanNode(false);
                    }
                }
                return NODES.booleanNode(true);
            }
            case "Fn::EachMemberIn" -> {
                args(arg, name, 2, 2, "[[values], [allowed]]");
                ArrayNode list = array(resolve(arg.get(0)), name);
                Set<JsonNode> allowed = new HashSet<>();
                array(resolve(arg.get(1)), name).forEach(a -> allowed.add(normal(a)));
                for (JsonNode item : list) {
                    if (!allowed.contains(normal(item))) {
                        return NODES.booleanNode(false);
                    }
                }
                return NODES.booleanNode(true);
            }
            case "Fn::FindInMap" -> {
                args(arg, name, 3, 4, "[map, topKey, secondKey] and an optional {DefaultValue}");
                String map = scalar(resolve(arg.get(0)), name);
                String top = scalar(resolve(arg.get(1)), name);
                String second = scalar(resolve(arg.get(2)), name);
                JsonNode v = section("Mappings").path(map).path(top).get(second);
                if (v == null) {
                    if (arg.size() > 3 && arg.get(3).has("DefaultValue")) {
                        return resolve(arg.get(3).get("DefaultValue"));
                    }
                    throw fail(Problem.Kind.MAPPING_MISSING, name, map + "::" + top + "::" + second);
                }
                return v;
            }
            case "Fn::ImportValue" -> {
                String export = scalar(resolve(arg), name);
                String value = env.importValue(export);
                if (value == null) {
                    throw fail(Problem.Kind.NO_EXPORT, name, export);
                }
                return NODES.textNode(value);
            }
            case "Fn::Base64" -> {
                String text = scalar(resolve(arg), name);
                return NODES.textNode(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
            }
            case "Fn::GetAZs" -> {
                String region = arg.isTextual() && !arg.asText().isEmpty() ? arg.asText() : scalar(resolve(arg), name);
                if (region.isEmpty()) {
                    region = env.region();
                }
                ArrayNode out = NODES.arrayNode();
                for (String zone : List.of("a", "b", "c", "d", "e", "f")) {
                    out.add(region + zone);
                }
                return out;
            }
            case "Fn::Length" -> {
                return NODES.numberNode(array(resolve(arg), name).size());
            }
            case "Fn::ToJsonString" -> {
                try {
                    return NODES.textNode(JSON.writeValueAsString(resolve(arg)));
                } catch (JsonProcessingException e) {
                    throw fail(Problem.Kind.BAD_ARGUMENT, name, "cannot render its value");
                }
            }
            default -> throw fail(Problem.Kind.UNSUPPORTED_FUNCTION, name, "is not supported here");
        }
    }

    private JsonNode ref(String target) {
        // null removes what holds it; every user needs that, so the environment never sees AWS::NoValue
        return target.equals("AWS::NoValue") ? null : env.ref(target);
    }

    private String sub(JsonNode arg) {
        String text;
        JsonNode vars;
        if (arg.isTextual()) {
            text = arg.asText();
            vars = NODES.objectNode();
        } else if (arg.isArray() && arg.size() >= 1 && arg.size() <= 2) {
            text = text(arg.get(0), "Fn::Sub");
            vars = arg.size() > 1 && arg.get(1).isObject() ? arg.get(1) : NODES.objectNode();
        } else {
            throw fail(Problem.Kind.BAD_ARGUMENT, "Fn::Sub", "expects a string or [string, {variables}]");
        }
        Matcher m = SUB.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String var = m.group(1);
            String replacement;
            if (var.startsWith("!")) {
                replacement = "${" + var.substring(1) + "}";
            } else {
                String name = var.trim();
                String fn = "Fn::Sub ${" + name + "}";
                int dot = name.indexOf('.');
                if (vars.has(name)) {
                    replacement = scalar(resolve(vars.get(name)), fn);
                } else if (dot > 0 && !name.startsWith("AWS::")) {
                    replacement = scalar(env.getAtt(name.substring(0, dot), name.substring(dot + 1)), fn);
                } else {
                    replacement = scalar(ref(name), fn);
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private void args(JsonNode arg, String fn, int min, int max, String shape) {
        if (arg == null || !arg.isArray() || arg.size() < min || arg.size() > max) {
            throw fail(Problem.Kind.BAD_ARGUMENT, fn, "expects " + shape);
        }
    }

    private static JsonNode normal(JsonNode n) {
        if (n == null) {
            return NODES.nullNode();
        }
        return n.isValueNode() ? NODES.textNode(n.asText()) : n;
    }

    private String text(JsonNode n, String fn) {
        if (n == null || !n.isValueNode()) {
            throw fail(Problem.Kind.BAD_ARGUMENT, fn, "expects a string argument");
        }
        return n.asText();
    }

    private String scalar(JsonNode n, String fn) {
        if (n == null || n.isNull()) {
            if (options.strict()) {
                throw fail(Problem.Kind.BAD_ARGUMENT, fn, "expects a single value, got " + brief(n));
            }
            return "";
        }
        if (!n.isValueNode()) {
            throw fail(Problem.Kind.BAD_ARGUMENT, fn, "expects a string, got " + brief(n));
        }
        return n.asText();
    }

    private ArrayNode array(JsonNode n, String fn) {
        if (n instanceof ArrayNode a) {
            return a;
        }
        throw fail(Problem.Kind.BAD_ARGUMENT, fn, "expects a list");
    }

    private static String brief(JsonNode node) {
        if (node == null) {
            return "AWS::NoValue";
        }
        String s = (node.isTextual() ? node.asText() : node.toString()).replace("\n", "\\n");
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }
}
