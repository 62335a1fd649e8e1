package dev.livestack.localcloud.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.Http;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Translates SQS's query protocol to and from the JSON protocol's shapes, so each operation is written once: a
 * query form ({@code Attribute.1.Name}, {@code SendMessageBatchRequestEntry.2.MessageBody}, …) becomes the JSON
 * input, and a JSON output becomes the query XML (flattened lists, {@code <Attribute><Name/><Value/></Attribute>}
 * maps).
 */
final class SqsWire {
    /** Query names of flattened lists and maps, and the JSON member each is. */
    private static final Map<String, String> RENAMED = Map.ofEntries(
            Map.entry("Attribute", "Attributes"),
            Map.entry("Tag", "Tags"),
            Map.entry("AttributeName", "AttributeNames"),
            Map.entry("MessageSystemAttributeName", "MessageSystemAttributeNames"),
            Map.entry("MessageAttributeName", "MessageAttributeNames"),
            Map.entry("TagKey", "TagKeys"),
            Map.entry("MessageAttribute", "MessageAttributes"),
            Map.entry("MessageSystemAttribute", "MessageSystemAttributes"),
            Map.entry("SendMessageBatchRequestEntry", "Entries"),
            Map.entry("DeleteMessageBatchRequestEntry", "Entries"),
            Map.entry("ChangeMessageVisibilityBatchRequestEntry", "Entries"));

    private SqsWire() {
    }

    // ---- query form → JSON input -----------------------------------------------------------------------------------

    static ObjectNode fromQuery(Map<String, String> form) {
        Map<String, Object> tree = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : form.entrySet()) {
            String[] parts = e.getKey().split("\\.");
            Map<String, Object> node = tree;
            for (int i = 0; i < parts.length - 1; i++) {
                if (parts[i].equals("member") && i > 0) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> child = (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
                node = child;
            }
            node.put(parts[parts.length - 1], e.getValue());
        }
        return (ObjectNode) convert(tree);
    }

    @SuppressWarnings("unchecked")
    private static JsonNode convert(Object value) {
        if (value instanceof String s) {
            return Http.JSON.getNodeFactory().textNode(s);
        }
        Map<String, Object> map = (Map<String, Object>) value;
        if (!map.isEmpty() && map.keySet().stream().allMatch(k -> k.matches("\\d+"))) {
            ArrayNode list = Http.JSON.createArrayNode();
            new TreeMap<>(map.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                    e -> Integer.parseInt(e.getKey()), Map.Entry::getValue))).values().forEach(v -> list.add(convert(v)));
            return list;
        }
        ObjectNode out = Http.JSON.createObjectNode();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String key = RENAMED.getOrDefault(e.getKey(), e.getKey());
            JsonNode v = convert(e.getValue());
            out.set(key, switch (key) {
                case "Attributes" -> pairs(v, "Name", "Value");
                case "Tags" -> pairs(v, "Key", "Value");
                case "MessageAttributes", "MessageSystemAttributes" -> pairs(v, "Name", "Value");
                default -> v;
            });
        }
        return out;
    }

    /** A flattened query map ({@code [{Name, Value}, …]}) as a JSON object. */
    private static JsonNode pairs(JsonNode list, String key, String value) {
        if (!list.isArray()) {
            return list;
        }
        ObjectNode map = Http.JSON.createObjectNode();
        for (JsonNode item : list) {
            if (item.hasNonNull(key)) {
                map.set(item.get(key).asText(), item.path(value));
            }
        }
        return map;
    }

    // ---- JSON output → query XML -----------------------------------------------------------------------------------

    static String toXml(String action, ObjectNode out, String requestId) {
        StringBuilder xml = new StringBuilder(512);
        xml.append('<').append(action).append("Response xmlns=\"").append(SqsService.NAMESPACE).append("\">");
        if (out != null && !(out.isEmpty() && noResult(action))) {
            xml.append('<').append(action).append("Result>");
            members(xml, action, out);
            xml.append("</").append(action).append("Result>");
        }
        xml.append("<ResponseMetadata><RequestId>").append(requestId).append("</RequestId></ResponseMetadata>");
        xml.append("</").append(action).append("Response>");
        return xml.toString();
    }

    private static boolean noResult(String action) {
        return List.of("DeleteQueue", "SetQueueAttributes", "PurgeQueue", "DeleteMessage", "ChangeMessageVisibility",
                "TagQueue", "UntagQueue").contains(action);
    }

    private static void members(StringBuilder xml, String action, JsonNode node) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode v = e.getValue();
            switch (name) {
                case "QueueUrls", "queueUrls" -> v.forEach(u -> scalar(xml, "QueueUrl", u.asText()));
                case "Attributes" -> v.fields().forEachRemaining(a -> xml.append("<Attribute><Name>").append(Http.xmlEscape(a.getKey()))
                        .append("</Name><Value>").append(Http.xmlEscape(a.getValue().asText())).append("</Value></Attribute>"));
                case "Tags" -> v.fields().forEachRemaining(a -> xml.append("<Tag><Key>").append(Http.xmlEscape(a.getKey()))
                        .append("</Key><Value>").append(Http.xmlEscape(a.getValue().asText())).append("</Value></Tag>"));
                case "MessageAttributes" -> v.fields().forEachRemaining(a -> {
                    xml.append("<MessageAttribute><Name>").append(Http.xmlEscape(a.getKey())).append("</Name><Value>");
                    members(xml, action, a.getValue());
                    xml.append("</Value></MessageAttribute>");
                });
                case "Messages" -> v.forEach(m -> element(xml, action, "Message", m));
                case "Successful" -> v.forEach(m -> element(xml, action, action + "ResultEntry", m));
                case "Failed" -> v.forEach(m -> element(xml, action, "BatchResultErrorEntry", m));
                default -> {
                    if (v.isObject()) {
                        element(xml, action, name, v);
                    } else if (v.isArray()) {
                        v.forEach(i -> scalar(xml, name, i.asText()));
                    } else if (!v.isNull()) {
                        scalar(xml, name, v.asText());
                    }
                }
            }
        }
    }

    private static void element(StringBuilder xml, String action, String name, JsonNode value) {
        xml.append('<').append(name).append('>');
        members(xml, action, value);
        xml.append("</").append(name).append('>');
    }

    private static void scalar(StringBuilder xml, String name, String value) {
        xml.append('<').append(name).append('>').append(Http.xmlEscape(value)).append("</").append(name).append('>');
    }

    static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        if (list != null && list.isArray()) {
            list.forEach(n -> out.add(n.asText()));
        }
        return out;
    }
}
