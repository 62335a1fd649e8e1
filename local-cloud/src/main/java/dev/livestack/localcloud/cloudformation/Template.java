package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.cfntemplate.ParsedTemplate;
import dev.livestack.cfntemplate.TemplateFormatException;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.Http;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed CloudFormation template (JSON or YAML with short-form tags, always held as JSON), its static
 * checks, and the dependency graph between its resources.
 */
final class Template {
    static final Set<String> PSEUDO = Set.of("AWS::Region", "AWS::AccountId", "AWS::Partition", "AWS::StackName",
            "AWS::StackId", "AWS::URLSuffix", "AWS::NoValue", "AWS::NotificationARNs");
    private static final Set<String> SECTIONS = Set.of("AWSTemplateFormatVersion", "Description", "Metadata", "Parameters",
            "Rules", "Mappings", "Conditions", "Transform", "Resources", "Outputs", "Hooks");
    private static final Set<String> RESOURCE_KEYS = Set.of("Type", "Properties", "DependsOn", "Metadata", "Condition",
            "DeletionPolicy", "UpdateReplacePolicy", "UpdatePolicy", "CreationPolicy", "Version");
    private static final Pattern TYPE = Pattern.compile("(AWS|Alexa)::[A-Za-z0-9]+::[A-Za-z0-9]+|Custom::[A-Za-z0-9_@-]+");
    private static final Pattern SUB_VAR = Pattern.compile("\\$\\{([^}!][^}]*)}");
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String body;
    private final ObjectNode root;
    /** The template as submitted when a transform produced this one (CloudFormation's "Original" stage); else null. */
    private final String original;

    private Template(String body, ObjectNode root, String original) {
        this.body = body;
        this.root = root;
        this.original = original;
    }

    /** The template a transform produced from {@code original}: its body is the processed JSON. */
    static Template processed(ObjectNode root, String original) {
        return new Template(json(root), root, original);
    }

    /** This template, known to be the processing of {@code original} (null: it was submitted as it is). */
    Template withOriginal(String original) {
        return new Template(body, root, original);
    }

    /** The body as submitted, before any transform ran; null when no transform produced this template. */
    String original() {
        return original;
    }

    /** Parses a template body; a malformed one is a ValidationError worded as CloudFormation words it. */
    static Template parse(String body) {
        try {
            ParsedTemplate parsed = ParsedTemplate.parse(body);
            return new Template(parsed.body(), parsed.root(), null);
        } catch (TemplateFormatException e) {
            throw AwsException.validation(e.getMessage());
        }
    }

    String body() {
        return body;
    }

    ObjectNode root() {
        return root;
    }

    /** The template as JSON text: CloudFormation's "Processed" stage. */
    String processedJson() {
        return json(root);
    }

    private static String json(ObjectNode root) {
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
        String nullAt = firstNull(root, "");
        if (nullAt != null) {
            throw AwsException.validation("[" + nullAt + "] 'null' values are not allowed in templates");
        }
        JsonNode res = root.get("Resources");
        if (res == null || !res.isObject() || res.isEmpty()) {
            throw AwsException.validation("Template format error: At least one Resources member must be defined.");
        }
        for (var map : iterable(section("Mappings"))) {
            for (var top : iterable(map.getValue())) {
                if (!top.getValue().isObject()) {
                    throw AwsException.validation("Template format error: Every Mappings member " + top.getKey() + " must be a map");
                }
                for (var attribute : iterable(top.getValue())) {
                    if (attribute.getValue().isObject()) {
                        throw AwsException.validation("Template format error: Every Mappings attribute must be a String or a List.");
                    }
                }
            }
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
            if (!id.matches("[A-Za-z0-9]+")) {
                throw AwsException.validation("Template format error: Resource name " + id + " is non alphanumeric.");
            }
            for (String key : names(r)) {
                if (!RESOURCE_KEYS.contains(key)) {
                    throw AwsException.validation("Invalid template resource property '" + key + "'");
                }
            }
            String type = r.get("Type").asText();
            if (!TYPE.matcher(type).matches() || !ResourceTypes.get().known(type)) {
                badTypes.add(type);
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

    /** The JSON-pointer path of the first null in {@code node}, or null: AWS refuses a template holding one. */
    private static String firstNull(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return path;
        }
        if (node.isObject()) {
            for (var e : iterable(node)) {
                String at = firstNull(e.getValue(), path + "/" + e.getKey());
                if (at != null) {
                    return at;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String at = firstNull(node.get(i), path + "/" + i);
                if (at != null) {
                    return at;
                }
            }
        }
        return null;
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
