package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The stack and resource events CloudFormation records, with NoEcho values masked. */
final class StackEvents {
    private StackEvents() {
    }

    static void stackEvent(StackRecord s, StackStatus status, String reason, String token) {
        StackRecord.Event e = new StackRecord.Event();
        e.eventId = UUID.randomUUID().toString();
        e.logicalId = s.stackName;
        e.physicalId = s.stackId;
        e.type = "AWS::CloudFormation::Stack";
        e.status = status.name();
        e.reason = reason;
        e.clientRequestToken = token;
        e.timestamp = nextTimestamp(s);
        s.events.add(e);
    }

    static void resourceEvent(StackRecord s, String logicalId, String physicalId, String type, String status, String reason,
                               JsonNode properties, String token) {
        StackRecord.Event e = new StackRecord.Event();
        e.timestamp = nextTimestamp(s);
        // CloudFormation's shape, <logicalId>-<status>-<time>; the time is unique within the stack, and
        // clients (the CDK CLI's activity monitor) de-duplicate events by this id.
        e.eventId = logicalId + "-" + status + "-" + java.time.Instant.ofEpochMilli(e.timestamp);
        e.logicalId = logicalId;
        e.physicalId = physicalId;
        e.type = type;
        e.status = status;
        e.reason = reason;
        if (properties == null && s.resources.get(logicalId) != null) {
            // AWS shows a resource's properties on each of its events, the completions and deletions included
            properties = s.resources.get(logicalId).properties;
        }
        if (properties != null) {
            Set<String> secrets = new HashSet<>(noEchoValues(s.parameters));
            secrets.addAll(s.deployingSecrets);
            e.properties = mask(properties, secrets).toString();
        }
        e.clientRequestToken = token;
        s.events.add(e);
    }

    static Set<String> noEchoValues(List<StackRecord.Param> params) {
        Set<String> out = new HashSet<>();
        if (params != null) {
            for (StackRecord.Param p : params) {
                if (p.noEcho) {
                    for (String v : new String[] {p.value, p.resolvedValue}) {
                        if (v != null && !v.isEmpty()) {
                            out.add(v);
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Properties as CloudFormation shows them in events: a NoEcho parameter's value is {@code ****},
     * also where a value embeds it ({@code Fn::Sub}, {@code Fn::Join}; values of 4 characters or more,
     * so that a short one does not blank out every string it happens to occur in).
     */
    static JsonNode mask(JsonNode node, Set<String> secrets) {
        if (secrets.isEmpty()) {
            return node;
        }
        if (node.isTextual()) {
            String text = node.asText();
            if (secrets.contains(text)) {
                return Template.NODES.textNode("****");
            }
            String masked = text;
            for (String secret : secrets) {
                if (secret.length() >= 4) {
                    masked = masked.replace(secret, "****");
                }
            }
            return masked.equals(text) ? node : Template.NODES.textNode(masked);
        }
        if (node.isObject()) {
            ObjectNode out = Template.NODES.objectNode();
            node.fields().forEachRemaining(f -> out.set(f.getKey(), mask(f.getValue(), secrets)));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = Template.NODES.arrayNode();
            node.forEach(v -> out.add(mask(v, secrets)));
            return out;
        }
        return node;
    }

    /** Event times strictly increase within a stack, so "newest first" is an unambiguous order. */
    private static long nextTimestamp(StackRecord s) {
        long now = System.currentTimeMillis();
        if (!s.events.isEmpty()) {
            now = Math.max(now, s.events.get(s.events.size() - 1).timestamp + 1);
        }
        return now;
    }
}
