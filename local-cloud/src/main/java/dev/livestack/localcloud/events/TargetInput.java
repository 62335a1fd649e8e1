package dev.livestack.localcloud.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.livestack.localcloud.core.Http;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a target receives for an event: the event itself, its {@code Input} (fixed JSON), the part its
 * {@code InputPath} selects, or its {@code InputTransformer}'s template filled from the event.
 */
final class TargetInput {
    private static final Pattern PLACEHOLDER = Pattern.compile("<([A-Za-z0-9_.\\-]+)>");
    private static final Pattern STEP = Pattern.compile("\\.([^.\\[]+)|\\[(\\d+)]");

    private TargetInput() {
    }

    /** Why a target's input settings are refused, or null when they are fine. */
    static String invalid(JsonNode target) {
        int set = (target.hasNonNull("Input") ? 1 : 0) + (target.hasNonNull("InputPath") ? 1 : 0)
                + (target.hasNonNull("InputTransformer") ? 1 : 0);
        String id = target.path("Id").asText();
        if (set > 1) {
            return "Only one of Input, InputPath, or InputTransformer must be provided for target " + id + ".";
        }
        if (target.hasNonNull("Input")) {
            try {
                Http.JSON.readTree(target.get("Input").asText());
            } catch (JsonProcessingException e) {
                return "Input for target " + id + " must be a valid JSON text.";
            }
        }
        JsonNode t = target.get("InputTransformer");
        if (t != null && t.isObject()) {
            Matcher m = PLACEHOLDER.matcher(t.path("InputTemplate").asText());
            while (m.find()) {
                String key = m.group(1);
                if (!t.path("InputPathsMap").has(key) && !key.startsWith("aws.events.")) {
                    return "InputTemplate for target " + id + " contains invalid placeholder " + key + ".";
                }
            }
        }
        return null;
    }

    /** The payload for one target. */
    static byte[] payload(JsonNode target, JsonNode event, String ruleArn, String ruleName) {
        try {
            if (target.hasNonNull("Input")) {
                return target.get("Input").asText().getBytes(StandardCharsets.UTF_8);
            }
            if (target.hasNonNull("InputPath")) {
                JsonNode part = select(event, target.get("InputPath").asText());
                return Http.JSON.writeValueAsBytes(part == null ? Http.JSON.nullNode() : part);
            }
            JsonNode t = target.get("InputTransformer");
            if (t != null && t.isObject()) {
                return transform(t, event, ruleArn, ruleName).getBytes(StandardCharsets.UTF_8);
            }
            return Http.JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String transform(JsonNode t, JsonNode event, String ruleArn, String ruleName) throws JsonProcessingException {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = t.path("InputPathsMap").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            values.put(e.getKey(), select(event, e.getValue().asText()));
        }
        values.put("aws.events.rule-arn", Http.JSON.getNodeFactory().textNode(ruleArn));
        values.put("aws.events.rule-name", Http.JSON.getNodeFactory().textNode(ruleName));
        values.put("aws.events.event.ingestion-time", event.path("time"));
        values.put("aws.events.event", event);
        values.put("aws.events.event.json", event);
        String template = t.path("InputTemplate").asText();
        boolean json = template.stripLeading().startsWith("{") || template.stripLeading().startsWith("[");
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode v = values.get(m.group(1));
            boolean quoted = m.start() > 0 && template.charAt(m.start() - 1) == '"' && m.end() < template.length()
                    && template.charAt(m.end()) == '"';
            String text;
            if (v == null || v.isMissingNode() || v.isNull()) {
                text = quoted ? "" : "null";
            } else if (v.isTextual()) {
                String raw = v.asText();
                // inside quotes the text goes in escaped; a bare placeholder in a JSON template becomes a JSON string
                text = quoted ? escaped(raw) : json ? Http.JSON.writeValueAsString(raw) : raw;
            } else {
                text = Http.JSON.writeValueAsString(v);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(text));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String escaped(String raw) throws JsonProcessingException {
        String q = Http.JSON.writeValueAsString(raw);
        return q.substring(1, q.length() - 1);
    }

    /** A JSONPath of the simple kind EventBridge takes: {@code $}, {@code $.a.b}, {@code $.a[0]}. */
    static JsonNode select(JsonNode root, String path) {
        if (path == null || !path.startsWith("$")) {
            return null;
        }
        JsonNode n = root;
        Matcher m = STEP.matcher(path.substring(1));
        int at = 0;
        while (m.find()) {
            if (m.start() != at || n == null) {
                return null;
            }
            at = m.end();
            n = m.group(1) != null ? n.get(m.group(1)) : n.get(Integer.parseInt(m.group(2)));
        }
        return at == path.length() - 1 ? n : null;
    }
}
