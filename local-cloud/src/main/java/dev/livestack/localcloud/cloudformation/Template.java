package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.Http;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A parsed CloudFormation template (JSON or YAML with short-form tags, always held as JSON), its static
 * checks, and the dependency graph between its resources.
 */
final class Template {
    static final Set<String> PSEUDO = Set.of("AWS::Region", "AWS::AccountId", "AWS::Partition", "AWS::StackName",
            "AWS::StackId", "AWS::URLSuffix", "AWS::NoValue", "AWS::NotificationARNs");
    private static final Set<String> SECTIONS = Set.of("AWSTemplateFormatVersion", "Description", "Metadata", "Parameters",
            "Rules", "Mappings", "Conditions", "Transform", "Resources", "Outputs", "Hooks");
    private static final Pattern TYPE = Pattern.compile("(AWS|Alexa)::[A-Za-z0-9]+::[A-Za-z0-9]+|Custom::[A-Za-z0-9_@-]+");
    private static final Pattern SUB_VAR = Pattern.compile("\\$\\{([^}!][^}]*)}");
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String body;
    private final ObjectNode root;

    private Template(String body, ObjectNode root) {
        this.body = body;
        this.root = root;
    }

    /** Parses a template body; a malformed one is a ValidationError worded as CloudFormation words it. */
    static Template parse(String body) {
        String trimmed = body.stripLeading();
        JsonNode node;
        if (trimmed.startsWith("{")) {
            try {
                node = Http.JSON.readTree(body);
            } catch (JsonProcessingException e) {
                var loc = e.getLocation();
                throw AwsException.validation("Template format error: JSON not well-formed. (line " + (loc == null ? 0 : loc.getLineNr())
                        + ", column " + (loc == null ? 0 : loc.getColumnNr()) + ")");
            }
        } else {
            try {
                LoaderOptions options = new LoaderOptions();
                options.setMaxAliasesForCollections(100);
                Node yaml = new Yaml(options).compose(new StringReader(body));
                node = yaml == null ? null : fromYaml(yaml);
            } catch (MarkedYAMLException e) {
                var mark = e.getProblemMark();
                throw AwsException.validation("Template format error: YAML not well-formed. (line "
                        + (mark == null ? 0 : mark.getLine() + 1) + ", column " + (mark == null ? 0 : mark.getColumn() + 1) + ")");
            } catch (YAMLException e) {
                throw AwsException.validation("Template format error: YAML not well-formed. " + e.getMessage());
            }
        }
        if (node == null || !node.isObject()) {
            throw AwsException.validation("Template format error: unsupported structure.");
        }
        return new Template(body, (ObjectNode) node);
    }

    static JsonNode fromYaml(Node node) {
        Tag tag = node.getTag();
        String value = tag.getValue();
        if (value.startsWith("!")) {
            String fn = value.substring(1);
            JsonNode inner = plain(node);
            ObjectNode wrapped = NODES.objectNode();
            switch (fn) {
                case "Ref" -> wrapped.set("Ref", inner);
                case "Condition" -> wrapped.set("Condition", inner);
                case "GetAtt" -> {
                    if (inner.isTextual()) {
                        String text = inner.asText();
                        int dot = text.indexOf('.');
                        ArrayNode parts = NODES.arrayNode();
                        parts.add(dot < 0 ? text : text.substring(0, dot));
                        parts.add(dot < 0 ? "" : text.substring(dot + 1));
                        wrapped.set("Fn::GetAtt", parts);
                    } else {
                        wrapped.set("Fn::GetAtt", inner);
                    }
                }
                default -> wrapped.set("Fn::" + fn, inner);
            }
            return wrapped;
        }
        return plain(node);
    }

    private static JsonNode plain(Node node) {
        if (node instanceof MappingNode map) {
            ObjectNode out = NODES.objectNode();
            for (NodeTuple t : map.getValue()) {
                String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : String.valueOf(fromYaml(t.getKeyNode()));
                out.set(key, fromYaml(t.getValueNode()));
            }
            return out;
        }
        if (node instanceof SequenceNode seq) {
            ArrayNode out = NODES.arrayNode();
            for (Node n : seq.getValue()) {
                out.add(fromYaml(n));
            }
            return out;
        }
        ScalarNode scalar = (ScalarNode) node;
        String text = scalar.getValue();
        Tag tag = scalar.getTag();
        try {
            if (Tag.INT.equals(tag) && text.matches("[-+]?(0|[1-9][0-9_]*)")) {
                return NODES.numberNode(new BigInteger(text.replace("_", "")));
            }
            if (Tag.FLOAT.equals(tag) && text.matches("[-+]?([0-9][0-9_]*)?\\.[0-9.]*([eE][-+][0-9]+)?")) {
                return NODES.numberNode(Double.parseDouble(text.replace("_", "")));
            }
        } catch (NumberFormatException e) {
            return NODES.textNode(text);
        }
        if (Tag.BOOL.equals(tag)) {
            String lower = text.toLowerCase();
            if (lower.equals("true") || lower.equals("false")) {
                return NODES.booleanNode(lower.equals("true"));
            }
            return NODES.textNode(text);
        }
        if (Tag.NULL.equals(tag)) {
            return NODES.nullNode();
        }
        return NODES.textNode(text);
    }

    String body() {
        return body;
    }

    ObjectNode root() {
        return root;
    }

    /** The template as JSON text: CloudFormation's "Processed" stage. */
    String processedJson() {
        try {
            return Http.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    String description() {
        return root.path("Description").isTextual() ? root.get("Description").asText() : null;
    }

    ObjectNode section(String name) {
        JsonNode n = root.get(name);
        return n instanceof ObjectNode o ? o : NODES.objectNode();
    }

    ObjectNode resources() {
        return section("Resources");
    }

    ObjectNode parameters() {
        return section("Parameters");
    }

    /** CloudFormation's static checks, done when a template is submitted. */
    void validate() {
        List<String> unknown = new ArrayList<>();
        root.fieldNames().forEachRemaining(f -> {
            if (!SECTIONS.contains(f)) {
                unknown.add(f);
            }
        });
        if (!unknown.isEmpty()) {
            throw AwsException.validation("Template format error: Invalid template property or properties " + unknown);
        }
        if (root.has("Transform")) {
            throw AwsException.validation("Transform " + root.get("Transform") + " is not supported by local-cloud: "
                    + "deploy the processed template instead.");
        }
        JsonNode res = root.get("Resources");
        if (res == null || !res.isObject() || res.isEmpty()) {
            throw AwsException.validation("Template format error: At least one Resources member must be defined.");
        }
        ObjectNode conditions = section("Conditions");
        ObjectNode params = parameters();
        Set<String> badTypes = new LinkedHashSet<>();
        Set<String> unresolved = new LinkedHashSet<>();
        Set<String> unresolvedConditions = new LinkedHashSet<>();
        for (var e : iterable(res)) {
            String id = e.getKey();
            JsonNode r = e.getValue();
            if (!r.isObject() || !r.path("Type").isTextual()) {
                throw AwsException.validation("Template format error: [/Resources/" + id
                        + "] Every Resources object must contain a Type member.");
            }
            if (!TYPE.matcher(r.get("Type").asText()).matches()) {
                badTypes.add(r.get("Type").asText());
            }
            if (r.has("Condition") && !conditions.has(r.get("Condition").asText())) {
                unresolvedConditions.add(r.get("Condition").asText());
            }
            for (String dep : dependsOn(r)) {
                if (!res.has(dep)) {
                    unresolved.add(dep);
                }
            }
            collectRefs(r.get("Properties"), (target, getAtt) -> {
                if (getAtt) {
                    if (!res.has(target)) {
                        throw AwsException.validation("Template error: instance of Fn::GetAtt references undefined resource " + target);
                    }
                } else if (!res.has(target) && !params.has(target) && !PSEUDO.contains(target)) {
                    unresolved.add(target);
                }
            });
        }
        if (!badTypes.isEmpty()) {
            throw AwsException.validation("Template format error: Unrecognized resource types: " + badTypes);
        }
        if (!unresolvedConditions.isEmpty()) {
            throw AwsException.validation("Template format error: Unresolved condition dependencies "
                    + unresolvedConditions + " in the Resources block of the template");
        }
        if (!unresolved.isEmpty()) {
            throw AwsException.validation("Template format error: Unresolved resource dependencies " + unresolved
                    + " in the Resources block of the template");
        }
        Set<String> outUnresolved = new LinkedHashSet<>();
        for (var e : iterable(section("Outputs"))) {
            if (!e.getValue().has("Value")) {
                throw AwsException.validation("Template format error: Every Outputs member must contain a Value object");
            }
            collectRefs(e.getValue().get("Value"), (target, getAtt) -> {
                if (!res.has(target) && (getAtt || (!params.has(target) && !PSEUDO.contains(target)))) {
                    outUnresolved.add(target);
                }
            });
        }
        if (!outUnresolved.isEmpty()) {
            throw AwsException.validation("Template format error: Unresolved resource dependencies " + outUnresolved
                    + " in the Outputs block of the template");
        }
        for (var e : iterable(params)) {
            if (!e.getValue().path("Type").isTextual()) {
                throw AwsException.validation("Template format error: Every Parameters object must contain a Type member.");
            }
        }
        creationOrder(res.fieldNames().hasNext() ? names(res) : List.of());
    }

    static List<String> dependsOn(JsonNode resource) {
        JsonNode d = resource.get("DependsOn");
        List<String> out = new ArrayList<>();
        if (d == null) {
            return out;
        }
        if (d.isArray()) {
            d.forEach(n -> out.add(n.asText()));
        } else {
            out.add(d.asText());
        }
        return out;
    }

    interface RefSink {
        void ref(String target, boolean getAtt);
    }

    /** Every Ref, Fn::GetAtt and Fn::Sub variable below a node, as (target, isGetAtt). */
    static void collectRefs(JsonNode node, RefSink sink) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            if (node.size() == 1) {
                if (node.has("Ref") && node.get("Ref").isTextual()) {
                    sink.ref(node.get("Ref").asText(), false);
                    return;
                }
                if (node.has("Fn::GetAtt")) {
                    JsonNode g = node.get("Fn::GetAtt");
                    if (g.isArray() && g.size() >= 1 && g.get(0).isTextual()) {
                        sink.ref(g.get(0).asText(), true);
                    } else if (g.isTextual()) {
                        sink.ref(g.asText().split("\\.", 2)[0], true);
                    }
                    return;
                }
                if (node.has("Fn::Sub")) {
                    JsonNode s = node.get("Fn::Sub");
                    String text = s.isTextual() ? s.asText() : s.isArray() && s.size() > 0 ? s.get(0).asText() : "";
                    JsonNode vars = s.isArray() && s.size() > 1 ? s.get(1) : NODES.objectNode();
                    Matcher m = SUB_VAR.matcher(text);
                    while (m.find()) {
                        String var = m.group(1).trim();
                        if (vars.has(var)) {
                            continue;
                        }
                        int dot = var.indexOf('.');
                        if (dot > 0 && !var.startsWith("AWS::")) {
                            sink.ref(var.substring(0, dot), true);
                        } else {
                            sink.ref(var, false);
                        }
                    }
                    if (s.isArray() && s.size() > 1) {
                        collectRefs(s.get(1), sink);
                    }
                    return;
                }
            }
            node.forEach(child -> collectRefs(child, sink));
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, sink));
        }
    }

    /** The resources a resource waits for: DependsOn plus every resource its properties reference. */
    Set<String> dependencies(String logicalId) {
        JsonNode r = resources().get(logicalId);
        Set<String> deps = new LinkedHashSet<>(dependsOn(r));
        ObjectNode res = resources();
        collectRefs(r.get("Properties"), (target, getAtt) -> {
            if (res.has(target) && !target.equals(logicalId)) {
                deps.add(target);
            }
        });
        return deps;
    }

    /**
     * The given resources in waves: every resource of a wave depends only on earlier waves, which is
     * the order CloudFormation creates in (and, reversed, deletes in). Dependencies outside the set are
     * taken as already satisfied.
     */
    List<List<String>> creationOrder(List<String> ids) {
        Map<String, Set<String>> pending = new LinkedHashMap<>();
        for (String id : ids) {
            Set<String> deps = new LinkedHashSet<>(dependencies(id));
            deps.retainAll(ids);
            pending.put(id, deps);
        }
        List<List<String>> waves = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        while (!pending.isEmpty()) {
            List<String> wave = new ArrayList<>();
            for (var e : pending.entrySet()) {
                if (done.containsAll(e.getValue())) {
                    wave.add(e.getKey());
                }
            }
            if (wave.isEmpty()) {
                throw AwsException.validation("Circular dependency between resources: " + new ArrayList<>(pending.keySet()));
            }
            wave.forEach(pending::remove);
            done.addAll(wave);
            waves.add(wave);
        }
        return waves;
    }

    static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode object) {
        return object::fields;
    }
}
