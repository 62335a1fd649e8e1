package dev.livestack.localcloud.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.StateStore;
import dev.livestack.localcloud.core.ports.MessageQueues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Lambda's event source mappings from SQS: the Create/Get/List/Update/Delete API, their records (kept in the state
 * folder) and one {@link SqsPoller} per enabled mapping. Calls report the transitional state (Creating, Enabling,
 * Disabling, Updating, Deleting) as Lambda does; the record then holds the settled one (Enabled or Disabled) at once,
 * because the poller starts in microseconds rather than Lambda's seconds.
 */
final class EventSourceMappings implements AutoCloseable {
    private final CloudContext context;
    private final LambdaFunctions functions;
    private final MessageQueues queues;
    private final Path file;
    private final Map<String, ObjectNode> mappings = new LinkedHashMap<>();
    private final Map<String, SqsPoller> pollers = new LinkedHashMap<>();

    EventSourceMappings(CloudContext context, LambdaFunctions functions, MessageQueues queues) {
        this.context = context;
        this.functions = functions;
        this.queues = queues;
        this.file = context.store().folder("lambda").resolve("event-source-mappings.json");
        Map<String, ObjectNode> saved = context.store().load(file, StateStore::objectsByKey);
        if (saved != null) {
            mappings.putAll(saved);
        }
        mappings.values().forEach(this::startOrStop);
    }

    synchronized ObjectNode create(JsonNode in) {
        if (queues == null) {
            throw invalid("local-cloud runs event source mappings from SQS only, and SQS is not served here.");
        }
        String source = text(in, "EventSourceArn");
        if (source == null) {
            throw invalid("Unrecognized event source, must be kafka or specify EventSourceArn.");
        }
        if (!source.startsWith("arn:aws:sqs:")) {
            throw invalid("local-cloud runs event source mappings from SQS queues only; " + source + " is not one.");
        }
        if (!queues.exists(source)) {
            throw invalid("Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. "
                    + "SQS Error Message: The specified queue does not exist.");
        }
        String functionArn = functionArn(required(in, "FunctionName"));
        checkTimeouts(source, functionArn);
        for (ObjectNode m : mappings.values()) {
            if (m.get("EventSourceArn").asText().equals(source) && m.get("FunctionArn").asText().equals(functionArn)) {
                throw new AwsException(409, "ResourceConflictException", "An event source mapping with SQS arn (\" " + source
                        + " \") and function (\" " + functionArn + " \") already exists. Please update or delete the "
                        + "existing mapping with UUID " + m.get("UUID").asText());
            }
        }
        String uuid = UUID.randomUUID().toString();
        ObjectNode m = Http.JSON.createObjectNode();
        m.put("UUID", uuid);
        m.put("BatchSize", 10);
        m.put("MaximumBatchingWindowInSeconds", 0);
        m.put("EventSourceArn", source);
        m.put("FunctionArn", functionArn);
        m.putArray("FunctionResponseTypes");
        m.put("EventSourceMappingArn", context.arn("lambda", "event-source-mapping:" + uuid));
        m.put("StateTransitionReason", "USER_INITIATED");
        settings(m, in);
        boolean enabled = !in.hasNonNull("Enabled") || in.get("Enabled").asBoolean();
        m.put("State", enabled ? "Enabled" : "Disabled");
        m.put("LastModified", System.currentTimeMillis() / 1000.0);
        mappings.put(uuid, m);
        save();
        startOrStop(m);
        return reported(m, "Creating");
    }

    synchronized ObjectNode get(String uuid) {
        return find(uuid).deepCopy();
    }

    synchronized ObjectNode update(String uuid, JsonNode in) {
        ObjectNode m = find(uuid);
        ObjectNode next = m.deepCopy();
        if (in.hasNonNull("FunctionName")) {
            next.put("FunctionArn", functionArn(in.get("FunctionName").asText()));
            checkTimeouts(next.get("EventSourceArn").asText(), next.get("FunctionArn").asText());
        }
        settings(next, in);
        String transition = "Updating";
        if (in.hasNonNull("Enabled")) {
            boolean enabled = in.get("Enabled").asBoolean();
            boolean was = m.get("State").asText().equals("Enabled");
            if (enabled != was) {
                transition = enabled ? "Enabling" : "Disabling";
            }
            next.put("State", enabled ? "Enabled" : "Disabled");
        }
        next.put("LastModified", System.currentTimeMillis() / 1000.0);
        mappings.put(uuid, next);
        save();
        stop(uuid);
        startOrStop(next);
        return reported(next, transition);
    }

    synchronized ObjectNode delete(String uuid) {
        ObjectNode m = find(uuid);
        mappings.remove(uuid);
        save();
        stop(uuid);
        return reported(m, "Deleting");
    }

    synchronized ObjectNode list(String functionName, String source, String marker, int maxItems) {
        String fn = functionName == null ? null : unqualified(functionName);
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode m : mappings.values()) {
            if ((fn == null || unqualified(m.get("FunctionArn").asText()).equals(fn))
                    && (source == null || m.get("EventSourceArn").asText().equals(source))) {
                matching.add(m);
            }
        }
        int start = 0;
        if (marker != null) {
            start = Math.max(0, indexOf(matching, marker) + 1);
        }
        ObjectNode out = Http.JSON.createObjectNode();
        ArrayNode list = out.putArray("EventSourceMappings");
        int end = Math.min(matching.size(), start + maxItems);
        for (int i = start; i < end; i++) {
            list.add(matching.get(i).deepCopy());
        }
        if (end < matching.size()) {
            out.put("NextMarker", matching.get(end - 1).get("UUID").asText());
        }
        return out;
    }

    synchronized void reset() {
        new ArrayList<>(pollers.keySet()).forEach(this::stop);
        mappings.clear();
        save();
    }

    @Override
    public synchronized void close() {
        new ArrayList<>(pollers.keySet()).forEach(this::stop);
    }

    private static int indexOf(List<ObjectNode> list, String uuid) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).get("UUID").asText().equals(uuid)) {
                return i;
            }
        }
        return -1;
    }

    /** Applies the settings a Create or Update may carry, with Lambda's checks for SQS sources. */
    private static void settings(ObjectNode m, JsonNode in) {
        int batch = in.hasNonNull("BatchSize") ? in.get("BatchSize").asInt() : m.get("BatchSize").asInt();
        int window = in.hasNonNull("MaximumBatchingWindowInSeconds") ? in.get("MaximumBatchingWindowInSeconds").asInt()
                : m.get("MaximumBatchingWindowInSeconds").asInt();
        if (batch < 1 || batch > 10000) {
            throw new AwsException(400, "ValidationException", "1 validation error detected: Value '" + batch
                    + "' at 'batchSize' failed to satisfy constraint: Member must have value "
                    + (batch < 1 ? "greater than or equal to 1" : "less than or equal to 10000"));
        }
        if (window < 0 || window > 300) {
            throw new AwsException(400, "ValidationException", "1 validation error detected: Value '" + window
                    + "' at 'maximumBatchingWindowInSeconds' failed to satisfy constraint: Member must have value "
                    + (window < 0 ? "greater than or equal to 0" : "less than or equal to 300"));
        }
        if (batch > 10 && window == 0) {
            throw invalid("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10");
        }
        m.put("BatchSize", batch);
        m.put("MaximumBatchingWindowInSeconds", window);
        if (in.has("FunctionResponseTypes")) {
            ArrayNode types = m.putArray("FunctionResponseTypes");
            for (JsonNode t : in.get("FunctionResponseTypes")) {
                if (!t.asText().equals("ReportBatchItemFailures")) {
                    throw new AwsException(400, "ValidationException", "1 validation error detected: Value '[" + t.asText()
                            + "]' at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy constraint: "
                            + "[Member must satisfy enum value set: [ReportBatchItemFailures]]");
                }
                types.add(t.asText());
            }
        }
        for (String kept : List.of("FilterCriteria", "ScalingConfig")) {
            if (in.has(kept)) {
                m.set(kept, in.get(kept));
            }
        }
    }

    private void startOrStop(ObjectNode m) {
        String uuid = m.get("UUID").asText();
        if (m.get("State").asText().equals("Enabled") && queues != null && !pollers.containsKey(uuid)) {
            SqsPoller p = new SqsPoller(m.deepCopy(), queues, functions, context.region());
            pollers.put(uuid, p);
            p.start();
        }
    }

    private void stop(String uuid) {
        SqsPoller p = pollers.remove(uuid);
        if (p != null) {
            p.stop();
        }
    }

    private ObjectNode find(String uuid) {
        ObjectNode m = mappings.get(uuid);
        if (m == null) {
            throw new AwsException(404, "ResourceNotFoundException", "The resource you requested does not exist.");
        }
        return m;
    }

    /**
     * Lambda refuses a queue whose visibility timeout is shorter than the function's timeout: a message could come
     * back while its first invocation still runs.
     */
    private void checkTimeouts(String queueArn, String functionArn) {
        int visibility = queues.visibilityTimeout(queueArn);
        int timeout = functions.target(functionArn, null).config().path("Timeout").asInt(3);
        if (visibility >= 0 && visibility < timeout) {
            throw invalid("Queue visibility timeout: " + visibility + " seconds is less than Function timeout: " + timeout + " seconds");
        }
    }

    /** The function's ARN (keeping a qualifier the name carries), or ResourceNotFoundException. */
    private String functionArn(String name) {
        return functions.target(name, null).invokedArn();
    }

    private String unqualified(String nameOrArn) {
        return FunctionNames.parse(nameOrArn).name();
    }

    private static ObjectNode reported(ObjectNode m, String state) {
        ObjectNode out = m.deepCopy();
        out.put("State", state);
        return out;
    }

    private void save() {
        context.store().writeJson(file, mappings);
    }

    private static AwsException invalid(String message) {
        return new AwsException(400, "InvalidParameterValueException", message);
    }

    private static String text(JsonNode in, String field) {
        JsonNode v = in.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String required(JsonNode in, String field) {
        String v = text(in, field);
        if (v == null) {
            throw invalid("Missing required parameter " + field + ".");
        }
        return v;
    }
}
