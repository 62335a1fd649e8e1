package dev.livestack.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A provider's query: the {@code props} of a missing context entry, with the lookup role's placeholders
 * ({@code ${AWS::AccountId}}, {@code ${AWS::Region}}, {@code ${AWS::Partition}}) replaced as the CDK CLI replaces them.
 */
record Query(String provider, String key, ObjectNode props) {
    Query {
        props = props.deepCopy();
        JsonNode role = props.get("lookupRoleArn");
        if (role != null && role.isTextual()) {
            String region = props.path("region").asText("");
            String partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
            props.put("lookupRoleArn", role.asText().replace("${AWS::AccountId}", props.path("account").asText(""))
                    .replace("${AWS::Region}", region).replace("${AWS::Partition}", partition));
        }
    }

    String text(String field) {
        JsonNode n = props.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    String region(String fallback) {
        String r = text("region");
        return r == null || r.isBlank() ? fallback : r;
    }

    String account() {
        return text("account");
    }

    String lookupRoleArn() {
        return text("lookupRoleArn");
    }

    /** The query as the CDK CLI prints it in its messages ({@code JSON.stringify(args)}). */
    String json() {
        return props.toString();
    }

    boolean flag(String field) {
        return props.path(field).asBoolean(false);
    }
}
