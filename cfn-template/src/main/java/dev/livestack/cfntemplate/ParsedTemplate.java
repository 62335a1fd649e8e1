package dev.livestack.cfntemplate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.Objects;
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
 * A CloudFormation template body and its tree. YAML is held as the JSON it stands for: a short form
 * ({@code !Ref x}, {@code !GetAtt a.b}, {@code !Sub ...}) becomes its long form ({@code {"Ref": "x"}},
 * {@code {"Fn::GetAtt": ["a", "b"]}}, {@code {"Fn::Sub": ...}}).
 *
 * @param body the text as submitted
 * @param root the template as a JSON object
 */
public record ParsedTemplate(String body, ObjectNode root) {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    public ParsedTemplate {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(root, "root");
    }

    /**
     * Parses JSON (a body starting with {@code {}) or YAML.
     *
     * @throws TemplateFormatException when the body is not well-formed or not an object
     */
    public static ParsedTemplate parse(String body) {
        Objects.requireNonNull(body, "body");
        JsonNode node;
        if (body.stripLeading().startsWith("{")) {
            try {
                node = JSON.readTree(body);
            } catch (JsonProcessingException e) {
                var loc = e.getLocation();
                throw new TemplateFormatException("Template format error: JSON not well-formed. (line "
                        + (loc == null ? 0 : loc.getLineNr()) + ", column " + (loc == null ? 0 : loc.getColumnNr()) + ")");
            }
        } else {
            try {
                LoaderOptions options = new LoaderOptions();
                // a few aliases are fine; thousands are a billion-laughs body
                options.setMaxAliasesForCollections(100);
                Node yaml = new Yaml(options).compose(new StringReader(body));
                node = yaml == null ? null : fromYaml(yaml);
            } catch (MarkedYAMLException e) {
                var mark = e.getProblemMark();
                throw new TemplateFormatException("Template format error: YAML not well-formed. (line "
                        + (mark == null ? 0 : mark.getLine() + 1) + ", column " + (mark == null ? 0 : mark.getColumn() + 1) + ")");
            } catch (YAMLException e) {
                throw new TemplateFormatException("Template format error: YAML not well-formed. " + e.getMessage());
            }
        }
        if (node == null || !node.isObject()) {
            throw new TemplateFormatException("Template format error: unsupported structure.");
        }
        return new ParsedTemplate(body, (ObjectNode) node);
    }

    /** A section ({@code Resources}, {@code Conditions}, ...); an empty object when absent or not an object. */
    public ObjectNode section(String name) {
        JsonNode n = root.get(name);
        return n instanceof ObjectNode o ? o : NODES.objectNode();
    }

    static JsonNode fromYaml(Node node) {
        String tag = node.getTag().getValue();
        if (tag.startsWith("!")) {
            String fn = tag.substring(1);
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
            // YAML 1.1 booleans (yes/on/...) stay text, as CloudFormation keeps them
            return NODES.textNode(text);
        }
        if (Tag.NULL.equals(tag)) {
            return NODES.nullNode();
        }
        return NODES.textNode(text);
    }
}
