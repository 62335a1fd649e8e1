package dev.livestack.cfntemplate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;
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
     * Parses JSON (a body starting with {@code {}) or YAML. There is no size limit here: CloudFormation's API limits
     * the body it accepts, while a template file synthesised locally may be larger.
     *
     * @throws TemplateFormatException when the body is not well-formed, not an object, or uses a YAML form
     *         CloudFormation refuses (aliases, {@code !GetAtt} without {@code LogicalId.Attribute})
     */
    public static ParsedTemplate parse(String body) {
        Objects.requireNonNull(body, "body");
        JsonNode node;
        if (body.stripLeading().startsWith("{")) {
            try {
                node = JSON.readTree(body);
            } catch (JsonProcessingException e) {
                var loc = e.getLocation();
                int line = loc == null ? 0 : Math.max(0, loc.getLineNr());
                int column = loc == null ? 0 : Math.max(0, loc.getColumnNr());
                throw new TemplateFormatException("Template format error: JSON not well-formed. (line " + line + ", column " + column + ")",
                        TemplateFormatException.Kind.NOT_WELL_FORMED, line, column, e.getOriginalMessage());
            }
        } else {
            Node yaml;
            try {
                LoaderOptions options = new LoaderOptions();
                // CloudFormation refuses aliases anyway; the cap stops a billion-laughs body before it is expanded
                options.setMaxAliasesForCollections(100);
                options.setCodePointLimit(Integer.MAX_VALUE);
                yaml = new Yaml(options).compose(new StringReader(body));
            } catch (MarkedYAMLException e) {
                var mark = e.getProblemMark();
                int line = mark == null ? 0 : mark.getLine() + 1;
                int column = mark == null ? 0 : mark.getColumn() + 1;
                throw new TemplateFormatException("Template format error: YAML not well-formed. (line " + line + ", column " + column + ")",
                        TemplateFormatException.Kind.NOT_WELL_FORMED, line, column, String.valueOf(e.getProblem()));
            } catch (YAMLException e) {
                throw new TemplateFormatException("Template format error: YAML not well-formed. " + e.getMessage(),
                        TemplateFormatException.Kind.NOT_WELL_FORMED, 0, 0, String.valueOf(e.getMessage()));
            }
            node = yaml == null ? null : new YamlConverter().convert(yaml);
        }
        if (node == null || !node.isObject()) {
            throw new TemplateFormatException("Template format error: unsupported structure.",
                    TemplateFormatException.Kind.NOT_AN_OBJECT, 1, 1, "a template is a mapping with a Resources section");
        }
        return new ParsedTemplate(body, (ObjectNode) node);
    }

    /** A section ({@code Resources}, {@code Conditions}, ...); an empty object when absent or not an object. */
    public ObjectNode section(String name) {
        JsonNode n = root.get(name);
        return n instanceof ObjectNode o ? o : NODES.objectNode();
    }

    /** SnakeYAML's node tree as JSON; {@code !Tag} short forms become their long forms. */
    private static final class YamlConverter {
        // SnakeYAML hands an alias back as the anchored node itself, so a node met twice is an alias
        private final Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());

        JsonNode convert(Node node) {
            if (!seen.add(node)) {
                throw invalid(node, "Template error: YAML aliases are not allowed in CloudFormation templates",
                        "YAML aliases are not allowed in CloudFormation templates");
            }
            String tag = node.getTag().getValue();
            if (!tag.startsWith("!")) {
                return plain(node);
            }
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
                        if (dot <= 0 || dot == text.length() - 1) {
                            throw invalid(node, "Template error: every Fn::GetAtt object requires two non-empty parameters, "
                                    + "the resource name and the resource attribute", "!GetAtt needs LogicalId.Attribute, got '" + text + "'");
                        }
                        wrapped.set("Fn::GetAtt", NODES.arrayNode().add(text.substring(0, dot)).add(text.substring(dot + 1)));
                    } else {
                        wrapped.set("Fn::GetAtt", inner);
                    }
                }
                default -> wrapped.set("Fn::" + fn, inner);
            }
            return wrapped;
        }

        private JsonNode plain(Node node) {
            if (node instanceof MappingNode map) {
                ObjectNode out = NODES.objectNode();
                for (NodeTuple t : map.getValue()) {
                    // a merge key << stays an ordinary key: CloudFormation has no YAML merge
                    String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : String.valueOf(convert(t.getKeyNode()));
                    out.set(key, convert(t.getValueNode()));
                }
                return out;
            }
            if (node instanceof SequenceNode seq) {
                ArrayNode out = NODES.arrayNode();
                for (Node n : seq.getValue()) {
                    out.add(convert(n));
                }
                return out;
            }
            return scalar((ScalarNode) node);
        }

        private static TemplateFormatException invalid(Node node, String message, String problem) {
            var mark = node.getStartMark();
            return new TemplateFormatException(message, TemplateFormatException.Kind.INVALID,
                    mark == null ? 0 : mark.getLine() + 1, mark == null ? 0 : mark.getColumn() + 1, problem);
        }
    }

    private static JsonNode scalar(ScalarNode scalar) {
        String text = scalar.getValue();
        Tag tag = scalar.getTag();
        try {
            if (Tag.INT.equals(tag) && text.matches("[-+]?(0|[1-9][0-9_]*)")) {
                // the node type Jackson gives the same number in JSON, so a YAML and a JSON template compare equal
                BigInteger big = new BigInteger(text.replace("_", ""));
                if (big.bitLength() < 32) {
                    return NODES.numberNode(big.intValue());
                }
                return big.bitLength() < 64 ? NODES.numberNode(big.longValue()) : NODES.numberNode(big);
            }
            if (Tag.FLOAT.equals(tag) && text.matches("[-+]?([0-9][0-9_]*)?\\.[0-9.]*([eE][-+][0-9]+)?")) {
                return NODES.numberNode(Double.parseDouble(text.replace("_", "")));
            }
        } catch (NumberFormatException e) {
            return NODES.textNode(text);
        }
        // octal (0755) and hex (0x1F) ints fall through to text, as CloudFormation reads them
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
