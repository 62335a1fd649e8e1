package dev.livestack.localcloud.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.Ids;
import dev.livestack.localcloud.core.TypedResourceProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code AWS::SQS::Queue}: Ref is the queue URL; GetAtt Arn, QueueName, QueueUrl. A new QueueName or FifoQueue
 * replaces the queue; every other property is set in place, and a property taken out of the template goes back
 * to its default, as CloudFormation's handler does.
 */
final class QueueResource extends TypedResourceProvider {
    private static final Set<String> NOT_ATTRIBUTES = Set.of("QueueName", "Tags");
    private static final Set<String> PROPERTIES = Set.of("ContentBasedDeduplication", "DeduplicationScope", "DelaySeconds",
            "FifoQueue", "FifoThroughputLimit", "KmsDataKeyReusePeriodSeconds", "KmsMasterKeyId", "MaximumMessageSize",
            "MessageRetentionPeriod", "QueueName", "ReceiveMessageWaitTimeSeconds", "RedriveAllowPolicy", "RedrivePolicy",
            "SqsManagedSseEnabled", "Tags", "VisibilityTimeout");
    private static final Map<String, long[]> RANGES = Map.of("VisibilityTimeout", new long[] {0, 43200},
            "MessageRetentionPeriod", new long[] {60, 1209600}, "DelaySeconds", new long[] {0, 900},
            "MaximumMessageSize", new long[] {1024, 1048576}, "ReceiveMessageWaitTimeSeconds", new long[] {0, 20});

    private final SqsQueues queues;
    private final SqsOperations operations;

    QueueResource(SqsQueues queues, SqsOperations operations) {
        super("AWS::SQS::Queue", Set.of("QueueName", "FifoQueue"));
        this.queues = queues;
        this.operations = operations;
    }

    @Override
    public Provisioned create(String stackName, String logicalId, ObjectNode properties) {
        check(properties);
        boolean fifo = properties.path("FifoQueue").asBoolean(false);
        String name = properties.hasNonNull("QueueName") ? properties.get("QueueName").asText()
                : Ids.generatedName(stackName, logicalId, fifo ? 75 : 80) + (fifo ? ".fifo" : "");
        if (queues.get(name) != null) {
            throw new ResourceFailure("Resource of type 'AWS::SQS::Queue' with identifier '" + name + "' already exists.");
        }
        try {
            Map<String, String> attributes = attributes(properties);
            if (!fifo) {
                // the API refuses FifoQueue on a standard queue even as "false"; a template may still say false
                attributes.remove("FifoQueue");
            }
            operations.createQueue(name, attributes, tags(properties));
        } catch (AwsException e) {
            throw failure(e);
        }
        return provisioned(name);
    }

    @Override
    public Provisioned update(String stackName, String logicalId, String physicalId, ObjectNode oldProperties,
                              ObjectNode newProperties) {
        check(newProperties);
        String name = physicalId.substring(physicalId.lastIndexOf('/') + 1);
        SqsQueue q = queues.get(name);
        if (q == null) {
            throw new ResourceFailure("Resource of type 'AWS::SQS::Queue' with identifier '" + physicalId + "' was not found.");
        }
        Map<String, String> wanted = attributes(newProperties);
        Map<String, String> set = new LinkedHashMap<>();
        Map<String, String> defaults = QueueAttributes.defaults(q.fifo);
        for (String old : attributes(oldProperties).keySet()) {
            if (!wanted.containsKey(old) && !old.equals("FifoQueue")) {
                set.put(old, defaults.getOrDefault(old, ""));
            }
        }
        wanted.forEach((k, v) -> {
            if (!k.equals("FifoQueue")) {
                set.put(k, v);
            }
        });
        try {
            operations.setAttributes(q, set);
        } catch (AwsException e) {
            throw failure(e);
        }
        synchronized (queues) {
            q.tags.clear();
            q.tags.putAll(tags(newProperties));
            queues.changed(q);
        }
        return provisioned(name);
    }

    @Override
    public void delete(String physicalId, ObjectNode properties) {
        queues.remove(physicalId.substring(physicalId.lastIndexOf('/') + 1));
    }

    /** The resource schema's checks, worded as CloudFormation's validation words them. */
    private static void check(ObjectNode p) {
        p.fieldNames().forEachRemaining(name -> {
            if (!PROPERTIES.contains(name)) {
                throw new ResourceFailure("Properties validation failed for resource with message: #: extraneous key ["
                        + name + "] is not permitted");
            }
        });
        RANGES.forEach((field, range) -> {
            JsonNode n = p.get(field);
            if (n == null) {
                return;
            }
            long v;
            try {
                v = Long.parseLong(n.asText());
            } catch (NumberFormatException e) {
                throw new ResourceFailure("Properties validation failed for resource with message: #/" + field
                        + ": expected type: Integer, found: String");
            }
            if (v < range[0] || v > range[1]) {
                throw new ResourceFailure("Properties validation failed for resource with message: #/" + field + ": "
                        + v + " is not " + (v < range[0] ? "greater or equal to " + range[0] : "less or equal to " + range[1]));
            }
        });
    }

    private Provisioned provisioned(String name) {
        String url = queues.url(name);
        return new Provisioned(url, Map.of("Arn", queues.arn(name), "QueueName", name, "QueueUrl", url));
    }

    /** The template's properties as queue attributes (JSON-valued ones as their JSON text, as the API takes them). */
    static Map<String, String> attributes(ObjectNode properties) {
        Map<String, String> out = new LinkedHashMap<>();
        properties.fields().forEachRemaining(e -> {
            if (NOT_ATTRIBUTES.contains(e.getKey()) || e.getValue().isNull()) {
                return;
            }
            JsonNode v = e.getValue();
            out.put(e.getKey(), v.isContainerNode() ? v.toString() : v.asText());
        });
        return out;
    }

    static Map<String, String> tags(ObjectNode properties) {
        Map<String, String> out = new LinkedHashMap<>();
        properties.path("Tags").forEach(t -> out.put(t.path("Key").asText(), t.path("Value").asText()));
        return out;
    }

    static ResourceFailure failure(AwsException e) {
        return new ResourceFailure("Resource handler returned message: \"" + e.getMessage() + "\" (Service: Sqs, Status Code: "
                + e.status() + ", Request ID: " + java.util.UUID.randomUUID() + ")");
    }
}
