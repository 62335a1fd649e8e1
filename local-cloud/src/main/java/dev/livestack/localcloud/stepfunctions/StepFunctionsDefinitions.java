package dev.livestack.localcloud.stepfunctions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.ValidationErrors;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The structural checks Step Functions makes on an Amazon States Language definition before it stores
 * it: JSON, {@code StartAt} and {@code States}, a known {@code Type} per state, transitions that
 * name existing states, and nested {@code Parallel} branches and {@code Map} processors the same way.
 * It reports the first problem as {@code InvalidDefinition}, with AWS's problem codes.
 */
final class StepFunctionsDefinitions {
    private static final Set<String> STATE_TYPES = Set.of("Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map");
    /** States that end an execution path without End or Next. */
    private static final Set<String> TERMINAL = Set.of("Choice", "Succeed", "Fail");
    /** The model's limit on the definition member, in characters. */
    static final int MAX_LENGTH = 1_048_576;
    private final ObjectMapper strict = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Throws {@code InvalidDefinition} when the definition would not be accepted. */
    void validate(String definition) {
        if (definition.isEmpty() || definition.length() > MAX_LENGTH) {
            // The member is sensitive, so the model's length check names no value.
            throw new AwsException(400, "ValidationException", ValidationErrors.detected("Value at 'definition' failed to "
                    + "satisfy constraint: Member must have length " + (definition.isEmpty() ? "greater than or equal to 1"
                    : "less than or equal to " + MAX_LENGTH)));
        }
        JsonNode root;
        try {
            root = strict.readTree(definition);
        } catch (JsonProcessingException e) {
            throw invalid("INVALID_JSON_DESCRIPTION: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid("SCHEMA_VALIDATION_FAILED: The definition must be a JSON object at /");
        }
        machine(root, "");
    }

    private void machine(JsonNode m, String at) {
        if (!m.has("StartAt") || !m.has("States")) {
            // AWS names only the fields that are missing
            String missing = !m.has("StartAt") && !m.has("States") ? "StartAt, States" : m.has("StartAt") ? "States" : "StartAt";
            throw invalid("SCHEMA_VALIDATION_FAILED: These fields are required: [" + missing + "] at " + slash(at));
        }
        JsonNode states = m.get("States");
        if (!states.isObject() || states.isEmpty()) {
            throw invalid("SCHEMA_VALIDATION_FAILED: The field 'States' must be a non-empty object at " + at + "/States");
        }
        String start = m.get("StartAt").asText();
        if (!states.has(start)) {
            throw invalid("MISSING_TRANSITION_TARGET: Missing 'Next' target: " + start + " at " + at + "/StartAt");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = states.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            state(e.getKey(), e.getValue(), states, at + "/States/" + e.getKey());
        }
    }

    private void state(String name, JsonNode s, JsonNode states, String at) {
        if (!s.isObject() || !s.has("Type")) {
            throw invalid("SCHEMA_VALIDATION_FAILED: These fields are required: [Type] at " + at);
        }
        String type = s.get("Type").asText();
        if (!STATE_TYPES.contains(type)) {
            throw invalid("SCHEMA_VALIDATION_FAILED: Value is not a valid state type: " + type + " at " + at + "/Type");
        }
        if (s.has("Next")) {
            target(s.get("Next").asText(), states, at + "/Next");
        }
        boolean end = s.path("End").asBoolean(false);
        if (!TERMINAL.contains(type) && s.has("Next") == end) {
            throw invalid("SCHEMA_VALIDATION_FAILED: Exactly one of 'End' or 'Next' must be specified at " + at);
        }
        JsonNode catchers = s.path("Catch");
        for (int i = 0; i < catchers.size(); i++) {
            if (catchers.get(i).has("Next")) {
                target(catchers.get(i).get("Next").asText(), states, at + "/Catch[" + i + "]/Next");
            }
        }
        switch (type) {
            case "Choice" -> {
                JsonNode choices = s.path("Choices");
                if (!choices.isArray() || choices.isEmpty()) {
                    throw invalid("SCHEMA_VALIDATION_FAILED: These fields are required: [Choices] at " + at);
                }
                for (int i = 0; i < choices.size(); i++) {
                    if (choices.get(i).has("Next")) {
                        target(choices.get(i).get("Next").asText(), states, at + "/Choices[" + i + "]/Next");
                    }
                }
                if (s.has("Default")) {
                    target(s.get("Default").asText(), states, at + "/Default");
                }
            }
            case "Parallel" -> {
                JsonNode branches = s.path("Branches");
                if (!branches.isArray() || branches.isEmpty()) {
                    throw invalid("SCHEMA_VALIDATION_FAILED: These fields are required: [Branches] at " + at);
                }
                for (int i = 0; i < branches.size(); i++) {
                    machine(branches.get(i), at + "/Branches[" + i + "]");
                }
            }
            case "Map" -> {
                JsonNode processor = s.has("ItemProcessor") ? s.get("ItemProcessor") : s.get("Iterator");
                if (processor == null) {
                    throw invalid("SCHEMA_VALIDATION_FAILED: These fields are required: [ItemProcessor] at " + at);
                }
                machine(processor, at + (s.has("ItemProcessor") ? "/ItemProcessor" : "/Iterator"));
            }
            case "Wait" -> {
                int given = 0;
                for (String f : new String[] {"Seconds", "Timestamp", "SecondsPath", "TimestampPath"}) {
                    given += s.has(f) ? 1 : 0;
                }
                if (given != 1) {
                    throw invalid("SCHEMA_VALIDATION_FAILED: Exactly one of 'Seconds', 'Timestamp', 'SecondsPath' or "
                            + "'TimestampPath' must be specified at " + at);
                }
                // JSONata definitions may compute the value: "Seconds": "{% $states.input.delay %}".
                JsonNode seconds = s.get("Seconds");
                boolean expression = seconds != null && seconds.isTextual() && seconds.asText().startsWith("{%")
                        && seconds.asText().endsWith("%}");
                if (seconds != null && !expression && !(seconds.isIntegralNumber() && seconds.asLong() >= 0)) {
                    throw invalid("SCHEMA_VALIDATION_FAILED: The value for the field 'Seconds' must be a NONNEGATIVE_INTEGER at "
                            + at + "/Seconds");
                }
            }
            case "Task" -> {
                if (!s.has("Resource")) {
                    throw invalid("SCHEMA_VALIDATION_FAILED: These fields are required: [Resource] at " + at);
                }
            }
            default -> {
                // Pass, Succeed and Fail need nothing beyond the checks above
            }
        }
    }

    private static void target(String next, JsonNode states, String at) {
        if (!states.has(next)) {
            throw invalid("MISSING_TRANSITION_TARGET: Missing 'Next' target: " + next + " at " + at);
        }
    }

    private static String slash(String at) {
        return at.isEmpty() ? "/" : at;
    }

    private static AwsException invalid(String problem) {
        return new AwsException(400, "InvalidDefinition", "Invalid State Machine Definition: '" + problem + "'");
    }
}
