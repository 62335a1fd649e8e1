package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code AWS::Serverless::LayerVersion} → an {@code AWS::Lambda::LayerVersion} whose logical id is the SAM id plus a
 * hash of the SAM resource (so a changed layer is a new resource and the old version can be retained), LayerName
 * defaulting to the SAM id, DeletionPolicy from RetentionPolicy (default Retain). References to the SAM id elsewhere
 * in the template are moved to the new id ({@link #rename}).
 */
final class SamLayerVersion {
    static final String TYPE = "AWS::Serverless::LayerVersion";
    private static final Set<String> PROPERTIES = Set.of("LayerName", "Description", "ContentUri",
            "CompatibleArchitectures", "CompatibleRuntimes", "LicenseInfo", "RetentionPolicy");
    private static final Pattern S3_URI = Pattern.compile("s3://([^/]+)/([^?]+)(?:\\?versionId=(.+))?");

    private SamLayerVersion() {
    }

    /** The generated layer, keyed by its new logical id; {@code renames} learns old id → new id. */
    static Map<String, JsonNode> expand(String id, ObjectNode resource, Map<String, String> renames) {
        ObjectNode props = SamContext.properties(id, resource, TYPE, PROPERTIES);
        ObjectNode hashed = resource.deepCopy();
        hashed.remove(java.util.List.of("DeletionPolicy", "UpdateReplacePolicy", "Metadata"));
        ObjectNode wrapped = Template.NODES.objectNode();
        wrapped.set(id, hashed);
        String newId = id + SamFunction.sha1(wrapped).substring(0, 10);
        ObjectNode layer = SamContext.generated("AWS::Lambda::LayerVersion", resource);
        String retention = "Retain";
        if (props.has("RetentionPolicy")) {
            JsonNode r = props.get("RetentionPolicy");
            if (!r.isTextual()) {
                throw new SamContext.Invalid(id, "'RetentionPolicy' does not accept intrinsic functions, please use one "
                        + "of the following options: [Retain, Delete]");
            }
            retention = switch (r.asText().toLowerCase(java.util.Locale.ROOT)) {
                case "retain" -> "Retain";
                case "delete" -> "Delete";
                default -> throw new SamContext.Invalid(id, "'RetentionPolicy' must be one of the following options: "
                        + "[Retain, Delete].");
            };
            layer.put("DeletionPolicy", retention);
        } else if (!layer.has("DeletionPolicy")) {
            layer.put("DeletionPolicy", retention);
        }
        ObjectNode lp = (ObjectNode) layer.get("Properties");
        lp.set("LayerName", props.has("LayerName") ? props.get("LayerName").deepCopy() : TextNode.valueOf(id));
        for (String key : new String[] {"Description", "CompatibleArchitectures", "CompatibleRuntimes", "LicenseInfo"}) {
            if (props.has(key)) {
                lp.set(key, props.get(key).deepCopy());
            }
        }
        lp.set("Content", content(id, props.get("ContentUri")));
        renames.put(id, newId);
        Map<String, JsonNode> out = new LinkedHashMap<>();
        out.put(newId, layer);
        return out;
    }

    private static ObjectNode content(String id, JsonNode uri) {
        if (uri == null) {
            throw new SamContext.Invalid(id, "Missing required property 'ContentUri'.");
        }
        ObjectNode c = Template.NODES.objectNode();
        if (uri.isTextual()) {
            Matcher m = S3_URI.matcher(uri.asText());
            if (!m.matches()) {
                throw new SamContext.Invalid(id, "'ContentUri' is not a valid S3 Uri of the form 's3://bucket/key' with "
                        + "optional versionId query parameter.");
            }
            c.put("S3Bucket", m.group(1));
            c.put("S3Key", m.group(2));
            if (m.group(3) != null) {
                c.put("S3ObjectVersion", m.group(3));
            }
            return c;
        }
        if (!uri.isObject() || !uri.has("Bucket") || !uri.has("Key")) {
            throw new SamContext.Invalid(id, "'ContentUri' requires Bucket and Key properties to be specified.");
        }
        c.set("S3Bucket", uri.get("Bucket").deepCopy());
        c.set("S3Key", uri.get("Key").deepCopy());
        if (uri.has("Version")) {
            c.set("S3ObjectVersion", uri.get("Version").deepCopy());
        }
        return c;
    }

    /** Moves every Ref, Fn::GetAtt, Fn::Sub variable and DependsOn naming a renamed id to its new id. */
    static void rename(JsonNode node, Map<String, String> renames) {
        if (renames.isEmpty() || node == null || !node.isContainerNode()) {
            return;
        }
        if (node instanceof ObjectNode o) {
            if (o.size() == 1 && o.path("Ref").isTextual() && renames.containsKey(o.get("Ref").asText())) {
                o.put("Ref", renames.get(o.get("Ref").asText()));
                return;
            }
            if (o.size() == 1 && o.get("Fn::GetAtt") instanceof ArrayNode g && g.size() > 0
                    && renames.containsKey(g.get(0).asText())) {
                g.set(0, TextNode.valueOf(renames.get(g.get(0).asText())));
                return;
            }
            if (o.size() == 1 && o.path("Fn::GetAtt").isTextual()) {
                String[] parts = o.get("Fn::GetAtt").asText().split("\\.", 2);
                if (renames.containsKey(parts[0])) {
                    o.put("Fn::GetAtt", renames.get(parts[0]) + (parts.length > 1 ? "." + parts[1] : ""));
                }
                return;
            }
            if (o.size() == 1 && o.has("Fn::Sub")) {
                JsonNode s = o.get("Fn::Sub");
                if (s.isTextual()) {
                    o.put("Fn::Sub", sub(s.asText(), renames));
                } else if (s instanceof ArrayNode a && a.size() > 0 && a.get(0).isTextual()) {
                    a.set(0, TextNode.valueOf(sub(a.get(0).asText(), renames)));
                    if (a.size() > 1) {
                        rename(a.get(1), renames);
                    }
                }
                return;
            }
            JsonNode dependsOn = o.get("DependsOn");
            if (dependsOn != null && o.has("Type")) {
                if (dependsOn.isTextual() && renames.containsKey(dependsOn.asText())) {
                    o.put("DependsOn", renames.get(dependsOn.asText()));
                } else if (dependsOn instanceof ArrayNode d) {
                    for (int i = 0; i < d.size(); i++) {
                        if (renames.containsKey(d.get(i).asText())) {
                            d.set(i, TextNode.valueOf(renames.get(d.get(i).asText())));
                        }
                    }
                }
            }
        }
        node.forEach(child -> rename(child, renames));
    }

    private static String sub(String text, Map<String, String> renames) {
        String out = text;
        for (var e : renames.entrySet()) {
            out = out.replace("${" + e.getKey() + "}", "${" + e.getValue() + "}")
                    .replace("${" + e.getKey() + ".", "${" + e.getValue() + ".");
        }
        return out;
    }
}
