package dev.livestack.synth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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

/** Reads CloudFormation templates: JSON as is, YAML with the short-form intrinsic tags expanded. */
final class Templates {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Templates() {
    }

    /** Reads a template file; YAML when the content is not a JSON object. */
    static ObjectNode read(Path file) throws SynthException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SynthException("cannot read template " + file + ": " + e.getMessage(),
                    List.of("check that the file exists and is readable"), e);
        }
        String name = file.getFileName().toString().toLowerCase();
        boolean json = name.endsWith(".json") || text.stripLeading().startsWith("{");
        return json ? parseJson(text, file) : parseYaml(text, file);
    }

    static ObjectNode parseJson(String text, Path file) throws SynthException {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw new SynthException("template " + file + " is not a JSON object",
                        List.of(file + ":1: a template is a JSON object with a Resources section"));
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
            throw new SynthException("template " + file + " is not valid JSON",
                    List.of(file + ":" + line + ": " + e.getOriginalMessage()), e);
        }
    }

    static ObjectNode parseYaml(String text, Path file) throws SynthException {
        Node root;
        try {
            LoaderOptions opts = new LoaderOptions();
            opts.setCodePointLimit(Integer.MAX_VALUE);
            root = new Yaml(opts).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            throw new SynthException("template " + file + " is not valid YAML",
                    List.of(file + ":" + line + ": " + e.getProblem()), e);
        } catch (YAMLException e) {
            throw new SynthException("template " + file + " is not valid YAML", List.of(file + ": " + e.getMessage()), e);
        }
        if (!(root instanceof MappingNode)) {
            throw new SynthException("template " + file + " is not a YAML mapping",
                    List.of(file + ":1: a template is a mapping with a Resources section"));
        }
        return (ObjectNode) new YamlConverter(file).convert(root);
    }

    /** Converts SnakeYAML's node tree; CloudFormation's {@code !Tag} short forms become their long forms. */
    private static final class YamlConverter {
        private final Path file;
        private final Map<Node, JsonNode> seen = new IdentityHashMap<>();

        YamlConverter(Path file) {
            this.file = file;
        }

        JsonNode convert(Node node) throws SynthException {
            JsonNode done = seen.get(node);
            if (done != null) {
                // YAML anchors and aliases share a node
                return done.deepCopy();
            }
            JsonNode value = plain(node);
            String tag = node.getTag().getValue();
            if (tag.startsWith("!") && !tag.startsWith("!!")) {
                value = intrinsic(tag.substring(1), value, node);
            }
            seen.put(node, value);
            return value;
        }

        private JsonNode plain(Node node) throws SynthException {
            if (node instanceof MappingNode m) {
                ObjectNode obj = NODES.objectNode();
                for (NodeTuple t : m.getValue()) {
                    Node k = t.getKeyNode();
                    if (!(k instanceof ScalarNode ks)) {
                        throw error(k, "mapping keys must be plain values");
                    }
                    if (ks.getTag().equals(Tag.MERGE)) {
                        JsonNode merged = convert(t.getValueNode());
                        if (merged.isObject()) {
                            merged.fields().forEachRemaining(e -> obj.putIfAbsent(e.getKey(), e.getValue()));
                        }
                        continue;
                    }
                    obj.set(ks.getValue(), convert(t.getValueNode()));
                }
                return obj;
            }
            if (node instanceof SequenceNode s) {
                ArrayNode arr = NODES.arrayNode();
                for (Node item : s.getValue()) {
                    arr.add(convert(item));
                }
                return arr;
            }
            ScalarNode sc = (ScalarNode) node;
            String v = sc.getValue();
            Tag tag = sc.getTag();
            try {
                if (tag.equals(Tag.NULL)) {
                    return NODES.nullNode();
                }
                if (tag.equals(Tag.BOOL)) {
                    return NODES.booleanNode(v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes") || v.equalsIgnoreCase("on"));
                }
                if (tag.equals(Tag.INT)) {
                    String digits = v.replace("_", "");
                    if (digits.matches("[-+]?[0-9]+")) {
                        // the node types Jackson gives the same number in JSON, so trees compare equal
                        BigInteger big = new BigInteger(digits);
                        if (big.bitLength() < 32) {
                            return NODES.numberNode(big.intValue());
                        }
                        return big.bitLength() < 64 ? NODES.numberNode(big.longValue()) : NODES.numberNode(big);
                    }
                    // octal / hex forms stay strings, as CloudFormation sees them as text
                    return NODES.textNode(v);
                }
                if (tag.equals(Tag.FLOAT) && v.matches("[-+]?([0-9][0-9_]*)?\\.?[0-9_]*([eE][-+]?[0-9]+)?")) {
                    return NODES.numberNode(Double.parseDouble(v.replace("_", "")));
                }
            } catch (NumberFormatException e) {
                return NODES.textNode(v);
            }
            return NODES.textNode(v);
        }

        private JsonNode intrinsic(String name, JsonNode value, Node node) throws SynthException {
            ObjectNode out = NODES.objectNode();
            switch (name) {
                case "Ref" -> out.set("Ref", value);
                case "Condition" -> out.set("Condition", value);
                case "GetAtt" -> {
                    if (value.isTextual()) {
                        String s = value.asText();
                        int dot = s.indexOf('.');
                        if (dot <= 0) {
                            throw error(node, "!GetAtt needs LogicalId.Attribute, got '" + s + "'");
                        }
                        out.set("Fn::GetAtt", NODES.arrayNode().add(s.substring(0, dot)).add(s.substring(dot + 1)));
                    } else {
                        out.set("Fn::GetAtt", value);
                    }
                }
                default -> out.set("Fn::" + name, value);
            }
            return out;
        }

        private SynthException error(Node node, String message) {
            int line = node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
            return new SynthException("template " + file + " is not a valid template", List.of(file + ":" + line + ": " + message));
        }
    }
}
