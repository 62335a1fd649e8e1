package dev.livestack.localcloud.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * One recorded test reproduced: a scenario records the actual responses under the recording's keys, then
 * {@link #finish} transforms them the way the recording was transformed and compares key by key.
 */
public final class ParityRun {
    /** Priority of the steps the recording session added before the test's own (account, region, base). */
    public static final int SESSION = 2;

    private record Step(Transform transform, int priority) {
    }

    private final String service;
    private final String nodeId;
    private final ObjectNode recorded;
    private final ObjectNode observed = JsonNodeFactory.instance.objectNode();
    private final Map<String, String> skipped = new LinkedHashMap<>();
    private final List<Step> steps = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    ParityRun(String service, String nodeId, ObjectNode recorded) {
        this.service = service;
        this.nodeId = nodeId;
        this.recorded = recorded;
    }

    /** Adds a step at the test's own priority (0), after those already added. */
    public ParityRun transform(Transform t) {
        return transform(t, 0);
    }

    public ParityRun transform(Transform t, int priority) {
        steps.add(new Step(t, priority));
        return this;
    }

    public ParityRun transforms(List<Transform> ts, int priority) {
        ts.forEach(t -> transform(t, priority));
        return this;
    }

    /** Records {@code actual} under {@code key}, as the recording's {@code snapshot.match(key, ...)} did. */
    public void match(String key, JsonNode actual) {
        if (!recorded.has(key)) {
            problems.add("key " + key + " is not in the recording of " + nodeId);
            return;
        }
        if (observed.has(key)) {
            problems.add("key " + key + " matched twice in " + nodeId);
            return;
        }
        observed.set(key, actual == null ? JsonNodeFactory.instance.nullNode() : actual.deepCopy());
    }

    /** Runs {@code call} and records its response, or its service error; returns the response or null. */
    public <T extends SdkResponse> T call(String key, Supplier<T> call) {
        try {
            T r = call.get();
            match(key, Botocore.view(r));
            return r;
        } catch (AwsServiceException e) {
            match(key, Botocore.error(service, e));
            return null;
        } catch (SdkClientException e) {
            match(key, JsonNodeFactory.instance.objectNode().put("SdkClientException", e.getMessage()));
            return null;
        }
    }

    /** The botocore view of an error {@code call} must raise; a success is recorded as is (and will differ). */
    public ObjectNode errorOf(Supplier<? extends SdkResponse> call) {
        try {
            return Botocore.view(call.get());
        } catch (AwsServiceException e) {
            return Botocore.error(service, e);
        }
    }

    /** Leaves {@code key} out of the comparison, with the reason the report shows. */
    public void skip(String key, String reason) {
        skipped.put(key, reason);
    }

    /** Whether the recording has {@code key} (parametrised tests differ in which keys they recorded). */
    public boolean recorded(String key) {
        return recorded.has(key);
    }

    /** The recorded value of {@code key}, for scenarios whose calls depend on what AWS answered. */
    public JsonNode recordedValue(String key) {
        return recorded.get(key);
    }

    /** Scenario mistakes (keys the recording lacks, keys matched twice). */
    List<String> problems() {
        return problems;
    }

    /** Transforms what was observed and compares each recorded key; {@code failure} says why a key was not reached. */
    List<Interaction> finish(Throwable failure) {
        ObjectNode state = JsonNodeFactory.instance.objectNode();
        observed.fields().forEachRemaining(e -> state.set(e.getKey(), parseable(ordered(e.getValue()))));
        Transform.Context ctx = new Transform.Context();
        steps.stream().sorted(Comparator.comparingInt(Step::priority)).forEach(s -> s.transform().apply(state, ctx));
        List<Interaction> out = new ArrayList<>();
        recorded.fieldNames().forEachRemaining(key -> {
            if (skipped.containsKey(key)) {
                out.add(new Interaction(nodeId, key, Interaction.Status.SKIPPED, skipped.get(key)));
            } else if (!state.has(key)) {
                String why = failure == null ? "not reached" : "not reached: " + oneLine(failure);
                out.add(new Interaction(nodeId, key, Interaction.Status.DIFFERS, why));
            } else {
                JsonNode actual = replaced(state.get(key), ctx);
                List<String> d = JsonDiff.diff(recorded.get(key), actual);
                out.add(d.isEmpty() ? new Interaction(nodeId, key, Interaction.Status.IDENTICAL, "")
                        : new Interaction(nodeId, key, Interaction.Status.DIFFERS, String.join("; ", d)));
            }
        });
        return out;
    }

    private static String oneLine(Throwable t) {
        String m = t.getClass().getSimpleName() + ": " + t.getMessage();
        m = m.replace('\n', ' ');
        return m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }

    private static JsonNode replaced(JsonNode value, Transform.Context ctx) {
        String text = PyJson.dumps(value);
        for (var r : ctx.replacements) {
            text = r.apply(text);
        }
        try {
            return Botocore.JSON.readTree(text);
        } catch (IOException e) {
            return JsonNodeFactory.instance.textNode("unparseable after replacements: " + text);
        }
    }

    /** Keys sorted at every level with ResponseMetadata last, as the recording session ordered each response. */
    static JsonNode ordered(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            TreeSet<String> keys = new TreeSet<>();
            node.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                if (!k.equals("ResponseMetadata")) {
                    out.set(k, ordered(node.get(k)));
                }
            }
            if (node.has("ResponseMetadata")) {
                out.set("ResponseMetadata", ordered(node.get("ResponseMetadata")));
            }
            return out;
        }
        if (node.isArray()) {
            var out = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> out.add(ordered(n)));
            return out;
        }
        return node;
    }

    /** Strings that hold a JSON object become that object, as the recording session parsed them. */
    static JsonNode parseable(JsonNode node) {
        if (node.isArray()) {
            node.forEach(item -> {
                if (item.isObject()) {
                    parseable(item);
                }
            });
        }
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                JsonNode v = o.get(k);
                if (v.isTextual() && v.textValue().startsWith("{")) {
                    try {
                        o.set(k, Botocore.JSON.readTree(v.textValue()));
                    } catch (IOException ignored) {
                        // not JSON: stays text, as it did in the recording
                    }
                } else if (v.isObject()) {
                    parseable(v);
                } else if (v.isArray()) {
                    v.forEach(item -> {
                        if (item.isObject()) {
                            parseable(item);
                        }
                    });
                }
            }
        }
        return node;
    }
}
