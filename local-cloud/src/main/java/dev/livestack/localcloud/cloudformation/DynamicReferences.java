package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.ports.ParameterLookup;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CloudFormation's {@code {{resolve:ssm:name}}} and {@code {{resolve:ssm:name:version}}} dynamic references: the
 * parameter's value (an account parameter or an AWS public one) replaces the reference wherever it sits in a string.
 * local-cloud keeps one version per parameter, so a reference's version is not checked: the current value is used.
 * {@code ssm-secure} and {@code secretsmanager} references are left as written.
 */
final class DynamicReferences {
    private static final Pattern SSM = Pattern.compile("\\{\\{resolve:ssm:([a-zA-Z0-9_.\\-/]+)(?::(\\d+))?}}");

    private DynamicReferences() {
    }

    /** The parameter names of literal references below a node whose parameter does not exist. */
    static void missing(JsonNode node, ParameterLookup lookup, Set<String> out) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            Matcher m = SSM.matcher(node.asText());
            while (m.find()) {
                if (lookup.value(m.group(1)) == null) {
                    out.add(m.group(1));
                }
            }
        } else {
            node.forEach(child -> missing(child, lookup, out));
        }
    }

    /** The node with every resolvable reference replaced (a copy where anything changed). */
    static JsonNode resolve(JsonNode node, ParameterLookup lookup) {
        if (node == null || lookup == null) {
            return node;
        }
        if (node.isTextual()) {
            String text = node.asText();
            if (!text.contains("{{resolve:ssm:")) {
                return node;
            }
            Matcher m = SSM.matcher(text);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String value = lookup.value(m.group(1));
                m.appendReplacement(b, Matcher.quoteReplacement(value == null ? m.group() : value));
            }
            m.appendTail(b);
            return Template.NODES.textNode(b.toString());
        }
        if (node.isObject()) {
            ObjectNode out = Template.NODES.objectNode();
            node.fields().forEachRemaining(e -> out.set(e.getKey(), resolve(e.getValue(), lookup)));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = Template.NODES.arrayNode();
            node.forEach(child -> out.add(resolve(child, lookup)));
            return out;
        }
        return node;
    }
}
