package dev.livestack.localcloud.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.ports.MessageQueues;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * One enabled SQS event source mapping at work: long-polls its queue (a send wakes it at once, so an idle mapping
 * starts the function within milliseconds), gathers a batch (BatchSize, MaximumBatchingWindowInSeconds), invokes the
 * function with SQS event records and deletes what succeeded. A failed invocation deletes nothing: the messages
 * come back after the queue's visibility timeout and reach the dead-letter queue after maxReceiveCount, as on AWS.
 * With ReportBatchItemFailures only the listed messages stay.
 */
final class SqsPoller {
    private static final long LONG_POLL_MILLIS = 20_000;
    private static final long RETRY_PAUSE_MILLIS = 1_000;

    private final ObjectNode mapping;
    private final MessageQueues queues;
    private final LambdaFunctions functions;
    private final String region;
    private final String queueArn;
    private final Thread thread;
    private volatile boolean running = true;

    SqsPoller(ObjectNode mapping, MessageQueues queues, LambdaFunctions functions, String region) {
        this.mapping = mapping;
        this.queues = queues;
        this.functions = functions;
        this.region = region;
        this.queueArn = mapping.get("EventSourceArn").asText();
        this.thread = new Thread(this::run, "lambda-esm-" + mapping.get("UUID").asText());
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() {
        running = false;
        thread.interrupt();
    }

    private void run() {
        int batchSize = mapping.get("BatchSize").asInt();
        long windowMillis = mapping.get("MaximumBatchingWindowInSeconds").asLong() * 1000;
        boolean reportFailures = false;
        for (JsonNode t : mapping.path("FunctionResponseTypes")) {
            reportFailures |= t.asText().equals("ReportBatchItemFailures");
        }
        try {
            while (running) {
                if (!queues.exists(queueArn)) {
                    Thread.sleep(RETRY_PAUSE_MILLIS);
                    continue;
                }
                List<MessageQueues.Received> batch = new ArrayList<>(queues.receive(queueArn, Math.min(10, batchSize), LONG_POLL_MILLIS));
                if (batch.isEmpty()) {
                    continue;
                }
                long deadline = System.currentTimeMillis() + windowMillis;
                while (batch.size() < batchSize && running) {
                    long wait = Math.max(0, deadline - System.currentTimeMillis());
                    List<MessageQueues.Received> more = queues.receive(queueArn, Math.min(10, batchSize - batch.size()), wait);
                    if (more.isEmpty() && wait == 0) {
                        break;
                    }
                    batch.addAll(more);
                }
                if (!deliver(batch, reportFailures)) {
                    Thread.sleep(RETRY_PAUSE_MILLIS);
                }
            }
        } catch (InterruptedException e) {
            // stopped: the mapping was disabled, updated or deleted, or local-cloud is closing
        }
    }

    /** Invokes the function with one batch; false when it could not be invoked at all. */
    private boolean deliver(List<MessageQueues.Received> batch, boolean reportFailures) {
        ObjectNode event = Http.JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (MessageQueues.Received m : batch) {
            records.add(record(m));
        }
        RuntimeProcess.Result result;
        try {
            LambdaFunctions.Target target = functions.target(mapping.get("FunctionArn").asText(), null);
            RuntimeSpec spec = functions.spec(target);
            result = functions.runtimes.invoke(spec, UUID.randomUUID().toString(), Http.JSON.writeValueAsBytes(event),
                    target.invokedArn());
        } catch (IOException | RuntimeException e) {
            // the function is gone, pending or cannot start: the messages return after their visibility timeout
            return false;
        }
        if (result.functionError() != null) {
            return true;
        }
        Set<String> failed = reportFailures ? failedIds(result.payload(), batch) : Set.of();
        for (MessageQueues.Received m : batch) {
            if (!failed.contains(m.messageId())) {
                queues.delete(queueArn, m.receiptHandle());
            }
        }
        return true;
    }

    /**
     * The message ids a ReportBatchItemFailures response lists. A response naming an id that is not in the batch (or
     * an empty one) fails the whole batch, as Lambda treats it.
     */
    private static Set<String> failedIds(byte[] payload, List<MessageQueues.Received> batch) {
        Set<String> ids = new HashSet<>();
        batch.forEach(m -> ids.add(m.messageId()));
        JsonNode response;
        try {
            response = payload == null || payload.length == 0 ? null : Http.JSON.readTree(payload);
        } catch (IOException e) {
            return Set.of();
        }
        if (response == null || !response.isObject() || !response.has("batchItemFailures")) {
            return Set.of();
        }
        Set<String> failed = new HashSet<>();
        for (JsonNode f : response.get("batchItemFailures")) {
            String id = f.path("itemIdentifier").asText("");
            if (!ids.contains(id)) {
                return ids;
            }
            failed.add(id);
        }
        return failed;
    }

    private ObjectNode record(MessageQueues.Received m) {
        ObjectNode r = Http.JSON.createObjectNode();
        r.put("messageId", m.messageId());
        r.put("receiptHandle", m.receiptHandle());
        r.put("body", m.body());
        ObjectNode attributes = r.putObject("attributes");
        m.attributes().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> attributes.put(e.getKey(), e.getValue()));
        ObjectNode messageAttributes = r.putObject("messageAttributes");
        m.messageAttributes().forEach((k, v) -> {
            ObjectNode a = messageAttributes.putObject(k);
            if (v.stringValue() != null) {
                a.put("stringValue", v.stringValue());
            }
            if (v.binaryValue() != null) {
                a.put("binaryValue", v.binaryValue());
            }
            a.putArray("stringListValues");
            a.putArray("binaryListValues");
            a.put("dataType", v.dataType());
        });
        if (m.md5OfMessageAttributes() != null) {
            r.put("md5OfMessageAttributes", m.md5OfMessageAttributes());
        }
        r.put("md5OfBody", m.md5OfBody());
        r.put("eventSource", "aws:sqs");
        r.put("eventSourceARN", queueArn);
        r.put("awsRegion", region);
        return r;
    }
}
