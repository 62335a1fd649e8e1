package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.Http;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves CloudFormation intrinsic functions, pseudo parameters and conditions against one stack's
 * parameters and resources. {@code AWS::NoValue} resolves to Java null, which removes the property
 * or list item that holds it.
 */
final class Intrinsics {
    /** Prefix of a value that cannot be known before deployment (a change set preview). */
    static final String UNRESOLVED = "{{local-cloud:unresolved:";
    private static final Pattern SUB = Pattern.compile("\\$\\{([^}]*)}");

    /** What a resource looks like to Ref and Fn::GetAtt; null physical id means "not created yet". */
    record ResourceView(String type, String physicalId, Map<String, Object> attributes) {
    }

    /** A failure to resolve, reported as CloudFormation reports template errors. */
    static final class TemplateError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TemplateError(String message) {
            super(message);
        }
    }

    private final Template template;
    private final Map<String, JsonNode> parameters;
    private final Map<String, String> pseudo;
    private final Function<String, ResourceView> resources;
    private final Function<String, String> exports;
    private final boolean preview;
    private final Map<String, Boolean> conditions = new HashMap<>();
    private final Set<String> evaluating = new HashSet<>();

    /**
     * @param parameters resolved parameter values (text, or arrays for list types)
     * @param pseudo pseudo parameter values
     * @param resources resources by logical id (null for unknown ids)
     * @param exports export values by name (null when missing)
     * @param preview true for a change set preview: references to resources not created yet give
     *                an {@link #UNRESOLVED} marker instead of failing
     */
    Intrinsics(Template template, Map<String, JsonNode> parameters, Map<String, String> pseudo,
               Function<String, ResourceView> resources, Function<String, String> exports, boolean preview) {
        this.template = template;
        this.parameters = parameters;
        this.pseudo = pseudo;
        this.resources = resources;
        this.exports = exports;
        this.preview = preview;
    }

    boolean condition(String name) {
        Boolean known = conditions.get(name);
        if (known != null) {
            return known;
        }
        JsonNode def = template.section("Conditions").get(name);
        if (def == null) {
            throw new TemplateError("Template format error: Unresolved condition dependencies [" + name + "]");
        }
        if (!evaluating.add(name)) {
            throw new TemplateError("Template error: circular condition dependency for " + name);
        }
        boolean value = truth(resolve(def));
        evaluating.remove(name);
        conditions.put(name, value);
        return value;
    }

    /** Whether a resource or output with this node's {@code Condition} is part of the stack. */
    boolean included(JsonNode resourceOrOutput) {
        JsonNode c = resourceOrOutput.get("Condition");
        return c == null || condition(c.asText());
    }

    private static boolean truth(JsonNode n) {
        if (n == null || !(n.isBoolean() || n.isTextual())) {
            throw new TemplateError("Template error: every Fn::Equals / condition must evaluate to a boolean");
        }
        return n.isBoolean() ? n.asBoolean() : Boolean.parseBoolean(n.asText());
    }

    /** Resolves a node; returns null for {@code AWS::NoValue}. */
    JsonNode resolve(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isObject()) {
            if (node.size() == 1) {
                String key = node.fieldNames().next();
                if (key.equals("Ref") || key.equals("Condition") || key.startsWith("Fn::")) {
                    return function(key, node.get(key));
                }
            }
            ObjectNode out = Template.NODES.objectNode();
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
            ArrayNode out = Template.NODES.arrayNode();
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
                return Template.NODES.booleanNode(condition(text(arg, "Condition")));
            }
            case "Fn::GetAtt" -> {
                String target;
                String attribute;
                if (arg.isTextual()) {
                    String[] parts = arg.asText().split("\\.", 2);
                    target = parts[0];
                    attribute = parts.length > 1 ? parts[1] : "";
                } else {
                    target = text(arg.get(0), "Fn::GetAtt");
                    attribute = text(resolve(arg.get(1)), "Fn::GetAtt");
                }
                return getAtt(target, attribute);
            }
            case "Fn::Sub" -> {
                return Template.NODES.textNode(sub(arg));
            }
            case "Fn::Join" -> {
                JsonNode list = resolve(arg.get(1));
                String delimiter = text(arg.get(0), "Fn::Join");
                StringBuilder out = new StringBuilder();
                boolean first = true;
                for (JsonNode item : array(list, "Fn::Join")) {
                    if (!first) {
                        out.append(delimiter);
                    }
                    first = false;
                    out.append(scalar(item, "Fn::Join"));
                }
                return Template.NODES.textNode(out.toString());
            }
            case "Fn::Select" -> {
                int index = Integer.parseInt(scalar(resolve(arg.get(0)), "Fn::Select"));
                ArrayNode list = array(resolve(arg.get(1)), "Fn::Select");
                if (index < 0 || index >= list.size()) {
                    throw new TemplateError("Template error: Fn::Select cannot select nonexistent value at index " + index);
                }
                return list.get(index);
            }
            case "Fn::Split" -> {
                String delimiter = text(arg.get(0), "Fn::Split");
                String source = scalar(resolve(arg.get(1)), "Fn::Split");
                ArrayNode out = Template.NODES.arrayNode();
                for (String part : source.split(Pattern.quote(delimiter), -1)) {
                    out.add(part);
                }
                return out;
            }
            case "Fn::If" -> {
                boolean c = condition(text(arg.get(0), "Fn::If"));
                return resolve(arg.get(c ? 1 : 2));
            }
            case "Fn::Equals" -> {
                JsonNode a = resolve(arg.get(0));
                JsonNode b = resolve(arg.get(1));
                return Template.NODES.booleanNode(normal(a).equals(normal(b)));
            }
            case "Fn::And", "Fn::Or" -> {
                boolean and = name.equals("Fn::And");
                boolean result = and;
                for (JsonNode c : arg) {
                    boolean v = truth(resolve(c));
                    result = and ? result && v : result || v;
                }
                return Template.NODES.booleanNode(result);
            }
            case "Fn::Not" -> {
                return Template.NODES.booleanNode(!truth(resolve(arg.isArray() ? arg.get(0) : arg)));
            }
            case "Fn::Contains" -> {
                ArrayNode list = array(resolve(arg.get(0)), "Fn::Contains");
                JsonNode value = normal(resolve(arg.get(1)));
                for (JsonNode item : list) {
                    if (normal(item).equals(value)) {
                        return Template.NODES.booleanNode(true);
                    }
                }
                return Template.NODES.booleanNode(false);
            }
            case "Fn::EachMemberEquals" -> {
                ArrayNode list = array(resolve(arg.get(0)), name);
                JsonNode value = normal(resolve(arg.get(1)));
                for (JsonNode item : list) {
                    if (!normal(item).equals(value)) {
                        return Template.NODES.booleanNode(false);
                    }
                }
                return Template.NODES.booleanNode(true);
            }
            case "Fn::EachMemberIn" -> {
                ArrayNode list = array(resolve(arg.get(0)), name);
                ArrayNode allowed = array(resolve(arg.get(1)), name);
                Set<JsonNode> set = new HashSet<>();
                allowed.forEach(a -> set.add(normal(a)));
                for (JsonNode item : list) {
                    if (!set.contains(normal(item))) {
                        return Template.NODES.booleanNode(false);
                    }
                }
                return Template.NODES.booleanNode(true);
            }
            case "Fn::FindInMap" -> {
                String map = scalar(resolve(arg.get(0)), name);
                String top = scalar(resolve(arg.get(1)), name);
                String second = scalar(resolve(arg.get(2)), name);
                JsonNode v = template.section("Mappings").path(map).path(top).get(second);
                if (v == null) {
                    if (arg.size() > 3 && arg.get(3).has("DefaultValue")) {
                        return resolve(arg.get(3).get("DefaultValue"));
                    }
                    throw new TemplateError("Template error: Unable to get mapping for " + map + "::" + top + "::" + second);
                }
                return v;
            }
            case "Fn::ImportValue" -> {
                String export = scalar(resolve(arg), name);
                String value = exports.apply(export);
                if (value == null) {
                    throw new TemplateError("No export named " + export + " found.");
                }
                return Template.NODES.textNode(value);
            }
            case "Fn::Base64" -> {
                String text = scalar(resolve(arg), name);
                return Template.NODES.textNode(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
            }
            case "Fn::GetAZs" -> {
                String region = arg.isTextual() && !arg.asText().isEmpty() ? arg.asText() : scalar(resolve(arg), name);
                if (region.isEmpty()) {
                    region = pseudo.get("AWS::Region");
                }
                ArrayNode out = Template.NODES.arrayNode();
                for (String zone : List.of("a", "b", "c", "d", "e", "f")) {
                    out.add(region + zone);
                }
                return out;
            }
            case "Fn::Length" -> {
                return Template.NODES.numberNode(array(resolve(arg), name).size());
            }
            case "Fn::ToJsonString" -> {
                try {
                    return Template.NODES.textNode(Http.JSON.writeValueAsString(resolve(arg)));
                } catch (JsonProcessingException e) {
                    throw new TemplateError("Template error: Fn::ToJsonString cannot render its value");
                }
            }
            default -> throw new TemplateError("Template format error: Unrecognized intrinsic function " + name
                    + " (local-cloud does not support it)");
        }
    }

    private JsonNode ref(String target) {
        if (target.equals("AWS::NoValue")) {
            return null;
        }
        if (pseudo.containsKey(target)) {
            return Template.NODES.textNode(pseudo.get(target));
        }
        if (target.equals("AWS::NotificationARNs")) {
            return Template.NODES.arrayNode();
        }
        JsonNode p = parameters.get(target);
        if (p != null) {
            return p;
        }
        ResourceView r = resources.apply(target);
        if (r == null) {
            throw new TemplateError("Template format error: Unresolved resource dependencies [" + target
                    + "] in the Resources block of the template");
        }
        if (r.physicalId() == null) {
            if (preview) {
                return Template.NODES.textNode(UNRESOLVED + target + "}}");
            }
            throw new TemplateError("Resource " + target + " is not created yet");
        }
        return Template.NODES.textNode(r.physicalId());
    }

    private JsonNode getAtt(String target, String attribute) {
        ResourceView r = resources.apply(target);
        if (r == null) {
            throw new TemplateError("Template error: instance of Fn::GetAtt references undefined resource " + target);
        }
        if (r.physicalId() == null) {
            if (preview) {
                return Template.NODES.textNode(UNRESOLVED + target + "." + attribute + "}}");
            }
            throw new TemplateError("Resource " + target + " is not created yet");
        }
        Object v = r.attributes().get(attribute);
        if (v == null) {
            if (r.type().startsWith("Custom::") || r.type().equals("AWS::CloudFormation::CustomResource")) {
                return Template.NODES.textNode("");
            }
            throw new TemplateError("Template error: resource " + target + " does not support attribute type "
                    + attribute + " in Fn::GetAtt");
        }
        return Http.JSON.valueToTree(v);
    }

    private String sub(JsonNode arg) {
        String text;
        Map<String, JsonNode> vars = new HashMap<>();
        if (arg.isTextual()) {
            text = arg.asText();
        } else {
            text = text(arg.get(0), "Fn::Sub");
            JsonNode map = arg.get(1);
            if (map != null) {
                map.fields().forEachRemaining(e -> vars.put(e.getKey(), resolve(e.getValue())));
            }
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
                if (vars.containsKey(name)) {
                    replacement = scalar(vars.get(name), "Fn::Sub");
                } else if (pseudo.containsKey(name) || parameters.containsKey(name) || name.startsWith("AWS::")) {
                    replacement = scalar(ref(name), "Fn::Sub");
                } else {
                    int dot = name.indexOf('.');
                    replacement = dot > 0 ? scalar(getAtt(name.substring(0, dot), name.substring(dot + 1)), "Fn::Sub")
                            : scalar(ref(name), "Fn::Sub");
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static JsonNode normal(JsonNode n) {
        if (n == null) {
            return Template.NODES.nullNode();
        }
        return n.isValueNode() ? Template.NODES.textNode(n.asText()) : n;
    }

    private static String text(JsonNode n, String fn) {
        if (n == null || !n.isValueNode()) {
            throw new TemplateError("Template error: " + fn + " expects a string argument");
        }
        return n.asText();
    }

    private static String scalar(JsonNode n, String fn) {
        if (n == null || n.isNull()) {
            return "";
        }
        if (!n.isValueNode()) {
            throw new TemplateError("Template error: " + fn + " expects a string, got " + n);
        }
        return n.asText();
    }

    private static ArrayNode array(JsonNode n, String fn) {
        if (n instanceof ArrayNode a) {
            return a;
        }
        throw new TemplateError("Template error: " + fn + " expects a list");
    }

    static boolean unresolved(JsonNode n) {
        return n != null && n.toString().contains(UNRESOLVED);
    }
}
