package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/**
 * SAM's {@code Globals}: the {@code Function} and {@code SimpleTable} sections' properties merged into every resource
 * of that type before it is expanded. A map merges key by key (the resource's value wins), a list is the global items
 * followed by the resource's, anything else is the resource's value when it has one.
 */
final class SamGlobals {
    private static final Map<String, String> SECTIONS = Map.of("Function", SamFunction.TYPE, "SimpleTable",
            SamSimpleTable.TYPE);
    private static final Set<String> NOT_GLOBAL = Set.of("Role", "Policies", "Events", "FunctionName", "AutoPublishAlias",
            "InlineCode", "ImageUri", "PackageType", "AssumeRolePolicyDocument", "VersionDescription");

    private SamGlobals() {
    }

    /** Applies the template's Globals to its resources; a section or property SAM has no global for fails it. */
    static void apply(ObjectNode root) {
        JsonNode globals = root.get("Globals");
        if (globals == null) {
            return;
        }
        if (!globals.isObject()) {
            throw new TransformFailure(prefix() + "'Globals' section is invalid. 'Globals' must be a dictionary.");
        }
        for (var section : Template.iterable(globals)) {
            String type = SECTIONS.get(section.getKey());
            if (type == null) {
                throw new TransformFailure(prefix() + "'Globals' section is invalid. '" + section.getKey()
                        + "' is not supported by local-cloud's SAM transform. Must be one of the following values - "
                        + SECTIONS.keySet().stream().sorted().toList());
            }
            if (!section.getValue().isObject()) {
                throw new TransformFailure(prefix() + "'Globals' section is invalid. Value of " + section.getKey()
                        + " must be a dictionary.");
            }
            for (String key : Template.names(section.getValue())) {
                if (type.equals(SamFunction.TYPE) && (NOT_GLOBAL.contains(key) || !SamFunction.PROPERTIES.contains(key))) {
                    throw new TransformFailure(prefix() + "'Globals' section is invalid. '" + key + "' is not a supported "
                            + "property of '" + section.getKey() + "'.");
                }
            }
            for (var r : Template.iterable(root.path("Resources"))) {
                if (type.equals(r.getValue().path("Type").asText()) && r.getValue().isObject()) {
                    ObjectNode resource = (ObjectNode) r.getValue();
                    JsonNode props = resource.get("Properties");
                    ObjectNode merged = merge((ObjectNode) section.getValue(), props instanceof ObjectNode o ? o
                            : Template.NODES.objectNode());
                    resource.set("Properties", merged);
                }
            }
        }
    }

    private static String prefix() {
        return "Transform " + SamTransform.SAM + " failed with: Invalid Serverless Application Specification document. "
                + "Number of errors found: 1. ";
    }

    private static ObjectNode merge(ObjectNode global, ObjectNode local) {
        ObjectNode out = global.deepCopy();
        for (var e : Template.iterable(local)) {
            JsonNode g = out.get(e.getKey());
            JsonNode l = e.getValue();
            if (g instanceof ObjectNode go && l instanceof ObjectNode lo && !SamApplication.isIntrinsic(go)
                    && !SamApplication.isIntrinsic(lo)) {
                out.set(e.getKey(), merge(go, lo));
            } else if (g instanceof ArrayNode ga && l instanceof ArrayNode la) {
                ArrayNode both = ga.deepCopy();
                la.forEach(item -> both.add(item.deepCopy()));
                out.set(e.getKey(), both);
            } else {
                out.set(e.getKey(), l.deepCopy());
            }
        }
        return out;
    }
}
