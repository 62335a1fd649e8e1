package dev.livestack.localcloud.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.ports.FunctionInvoker;
import dev.livestack.localcloud.core.ports.MessageQueues;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Hands a matched event to each of a rule's targets, off the caller's thread as EventBridge does: Lambda functions
 * through {@link FunctionInvoker}, SQS queues through {@link MessageQueues}; other target types are stored only.
 */
final class TargetDelivery implements AutoCloseable {
    private final FunctionInvoker functions;
    private final MessageQueues queues;
    private final ExecutorService delivery = Executors.newCachedThreadPool(r -> EventsService.daemon(r, "events-delivery"));

    TargetDelivery(FunctionInvoker functions, MessageQueues queues) {
        this.functions = functions;
        this.queues = queues;
    }

    void deliver(ObjectNode rule, ObjectNode event) {
        for (JsonNode t : rule.path("Targets")) {
            String arn = t.path("Arn").asText();
            boolean lambda = arn.startsWith("arn:aws:lambda:");
            boolean sqs = queues != null && arn.startsWith("arn:aws:sqs:");
            if (!lambda && !sqs) {
                continue; // other target types are not delivered (docs/local-cloud-events.md)
            }
            byte[] payload = TargetInput.payload(t, event, rule.get("Arn").asText(), rule.get("Name").asText());
            delivery.execute(() -> {
                try {
                    if (lambda) {
                        functions.invoke(arn, payload);
                    } else {
                        queues.send(arn, new String(payload, StandardCharsets.UTF_8), t.path("SqsParameters").path("MessageGroupId").asText(null));
                    }
                } catch (RuntimeException ex) {
                    // EventBridge retries and then drops; the missing log lines or messages show it
                }
            });
        }
    }

    @Override
    public void close() {
        delivery.shutdownNow();
    }
}
