package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.CloudContext;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every SAM resource's expansion shares: the template (its Mappings, Parameters, Globals), the parameter values
 * and pseudo parameters SAM resolves a few properties against, and SAM's error wording.
 */
final class SamContext {
    /** The resource attributes SAM copies from a SAM resource to the resources it generates. */
    static final List<String> PASSTHROUGH = List.of("Condition", "DeletionPolicy", "UpdateReplacePolicy", "Metadata");
    private static final Set<String> RESOURCE_KEYS = Set.of("Type", "Properties", "DependsOn", "Condition",
            "DeletionPolicy", "UpdateReplacePolicy", "UpdatePolicy", "Metadata");

    final CloudContext cloud;
    final ObjectNode root;
    /**
     * References SAM moves once the template is expanded: a layer's id to its hashed id, and a function's
     * {@code <Id>.Alias} / {@code <Id>.Version} to the alias and version AutoPublishAlias generated.
     */
    final Map<String, String> renames = new java.util.LinkedHashMap<>();
    private final Map<String, String> parameters;

    SamContext(CloudContext cloud, ObjectNode root, Map<String, String> parameters) {
        this.cloud = cloud;
        this.root = root;
        this.parameters = parameters;
    }

    /** SAM's per-resource error: "Resource with id [X] is invalid. message". */
    static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Invalid(String logicalId, String message) {
            super("Resource with id [" + logicalId + "] is invalid. " + message);
        }
    }

    /** The resource's Properties, checked against the properties its type declares. */
    static ObjectNode properties(String id, ObjectNode resource, String type, Set<String> known) {
        for (String key : Template.names(resource)) {
            if (!RESOURCE_KEYS.contains(key)) {
                throw new Invalid(id, "Invalid resource attribute '" + key + "'.");
            }
        }
        JsonNode p = resource.get("Properties");
        if (p != null && !p.isObject()) {
            throw new Invalid(id, "Properties of a resource must be an object.");
        }
        ObjectNode props = p == null ? Template.NODES.objectNode() : (ObjectNode) p;
        for (String key : Template.names(props)) {
            if (!known.contains(key)) {
                throw new Invalid(id, "property " + key + " not defined for resource of type " + type);
            }
        }
        return props;
    }

    /** A generated resource of {@code type}, with the SAM resource's DependsOn and pass-through attributes. */
    static ObjectNode generated(String type, ObjectNode from) {
        ObjectNode r = Template.NODES.objectNode();
        r.put("Type", type);
        r.putObject("Properties");
        if (from.has("DependsOn")) {
            r.set("DependsOn", from.get("DependsOn").deepCopy());
        }
        for (String a : PASSTHROUGH) {
            if (from.has(a)) {
                r.set(a, from.get(a).deepCopy());
            }
        }
        return r;
    }

    /**
     * A value with the intrinsics SAM resolves itself where it must know a value at transform time: {@code Ref} to
     * a parameter (given, else its default) or a pseudo parameter, and {@code Fn::FindInMap}. Anything else stays.
     */
    JsonNode resolve(JsonNode value) {
        if (value == null || !value.isObject() || value.size() != 1) {
            return value;
        }
        if (value.path("Ref").isTextual()) {
            String name = value.get("Ref").asText();
            String v = pseudo(name);
            if (v == null && parameters.containsKey(name)) {
                v = parameters.get(name);
            }
            if (v == null && root.path("Parameters").path(name).has("Default")) {
                v = root.path("Parameters").path(name).get("Default").asText();
            }
            return v == null ? value : Template.NODES.textNode(v);
        }
        if (value.has("Fn::FindInMap") && value.get("Fn::FindInMap").isArray() && value.get("Fn::FindInMap").size() == 3) {
            ArrayNode args = (ArrayNode) value.get("Fn::FindInMap");
            JsonNode map = resolve(args.get(0));
            JsonNode top = resolve(args.get(1));
            JsonNode second = resolve(args.get(2));
            if (map.isTextual() && top.isTextual() && second.isTextual()) {
                JsonNode found = root.path("Mappings").path(map.asText()).path(top.asText()).get(second.asText());
                if (found != null) {
                    return found;
                }
            }
        }
        return value;
    }

    private String pseudo(String name) {
        return switch (name) {
            case "AWS::Region" -> cloud.region();
            case "AWS::AccountId" -> cloud.account();
            case "AWS::Partition" -> "aws";
            case "AWS::URLSuffix" -> "amazonaws.com";
            default -> null;
        };
    }

    private static final Set<String> RESERVED_TAGS = Set.of("lambda:createdBy", SamApplication.APP_TAG,
            SamApplication.VERSION_TAG);

    /**
     * The Tags of a resource SAM generates: {@code lambda:createdBy: SAM} first, then the tags SAM adds itself, then
     * the user's (which may not use SAM's reserved keys), as SAM orders them.
     */
    static ArrayNode tags(String id, JsonNode userTags, Map<String, JsonNode> added) {
        if (userTags != null && !userTags.isObject()) {
            throw new Invalid(id, "Property 'Tags' should be a map.");
        }
        ObjectNode all = Template.NODES.objectNode();
        all.put("lambda:createdBy", "SAM");
        added.forEach(all::set);
        if (userTags != null) {
            for (var t : Template.iterable(userTags)) {
                if (RESERVED_TAGS.contains(t.getKey())) {
                    throw new Invalid(id, t.getKey() + " is a reserved Tag key name and cannot be set on your "
                            + "resource. Please change the tag key in the input.");
                }
                all.set(t.getKey(), t.getValue());
            }
        }
        return tagList(all);
    }

    /** SAM's Tags map as CloudFormation's list of Key/Value pairs, in the map's order. */
    static ArrayNode tagList(JsonNode tags) {
        ArrayNode out = Template.NODES.arrayNode();
        if (tags != null && tags.isObject()) {
            for (var e : Template.iterable(tags)) {
                ObjectNode t = out.addObject();
                t.put("Key", e.getKey());
                t.set("Value", e.getValue().deepCopy());
            }
        }
        return out;
    }
}
