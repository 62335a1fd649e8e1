package dev.livestack.localcloud.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestack.localcloud.core.Http;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The settable queue attributes: defaults, ranges and the checks CreateQueue and SetQueueAttributes make. */
final class QueueAttributes {
    static final List<String> READ_ONLY = List.of("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed", "CreatedTimestamp", "LastModifiedTimestamp", "QueueArn");
    private static final Map<String, long[]> RANGES = Map.of(
            "DelaySeconds", new long[] {0, 900},
            "MaximumMessageSize", new long[] {1024, 1048576},
            "MessageRetentionPeriod", new long[] {60, 1209600},
            "ReceiveMessageWaitTimeSeconds", new long[] {0, 20},
            "VisibilityTimeout", new long[] {0, 43200},
            "KmsDataKeyReusePeriodSeconds", new long[] {60, 86400});
    private static final Set<String> PLAIN = Set.of("Policy", "KmsMasterKeyId", "RedriveAllowPolicy");
    private static final Set<String> BOOLEANS = Set.of("SqsManagedSseEnabled", "ContentBasedDeduplication");
    static final Set<String> FIFO_ONLY = Set.of("ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit");

    private QueueAttributes() {
    }

    /** What a new queue has before the caller's attributes are applied. */
    static Map<String, String> defaults(boolean fifo) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("DelaySeconds", "0");
        a.put("MaximumMessageSize", "1048576");
        a.put("MessageRetentionPeriod", "345600");
        a.put("ReceiveMessageWaitTimeSeconds", "0");
        a.put("VisibilityTimeout", "30");
        a.put("SqsManagedSseEnabled", "true");
        if (fifo) {
            a.put("FifoQueue", "true");
            a.put("ContentBasedDeduplication", "false");
            a.put("DeduplicationScope", "queue");
            a.put("FifoThroughputLimit", "perQueue");
        }
        return a;
    }

    /**
     * Checks one attribute a caller sets and returns the value to store (empty string clears Policy and
     * RedrivePolicy).
     *
     * @param creating whether this is CreateQueue (FifoQueue may only be given then)
     */
    static String check(String name, String value, boolean fifo, boolean creating, SqsQueues queues) {
        if (value == null) {
            throw SqsErrors.invalidAttributeValue("Invalid value for the parameter " + name + ".");
        }
        if (name.equals("FifoQueue")) {
            if (!creating && fifo && value.equalsIgnoreCase("true")) {
                // restating a FIFO queue's type is accepted; only changing it is refused
                return "true";
            }
            if (!creating || !value.equalsIgnoreCase("true")) {
                throw fifo && !creating ? SqsErrors.invalidAttributeValue("Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.")
                        : SqsErrors.invalidAttributeName("Unknown Attribute FifoQueue.");
            }
            return value;
        }
        if (FIFO_ONLY.contains(name) && !fifo) {
            if (name.equals("ContentBasedDeduplication")) {
                throw SqsErrors.invalidAttributeName("Unknown Attribute ContentBasedDeduplication.");
            }
            throw SqsErrors.invalidAttributeName("You can specify the " + name + " only when FifoQueue is set to true.");
        }
        long[] range = RANGES.get(name);
        if (range != null) {
            long v;
            try {
                v = Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw SqsErrors.invalidAttributeValue("Invalid value for the parameter " + name + ".");
            }
            if (v < range[0] || v > range[1]) {
                throw SqsErrors.invalidAttributeValue("Invalid value for the parameter " + name + ".");
            }
            return Long.toString(v);
        }
        if (BOOLEANS.contains(name)) {
            if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                throw SqsErrors.invalidAttributeValue("Invalid value for the parameter " + name + ".");
            }
            return value.toLowerCase(java.util.Locale.ROOT);
        }
        switch (name) {
            case "DeduplicationScope" -> {
                if (!value.equals("queue") && !value.equals("messageGroup")) {
                    throw SqsErrors.invalidAttributeValue("Invalid value for the parameter DeduplicationScope.");
                }
                return value;
            }
            case "FifoThroughputLimit" -> {
                if (!value.equals("perQueue") && !value.equals("perMessageGroupId")) {
                    throw SqsErrors.invalidAttributeValue("Invalid value for the parameter FifoThroughputLimit.");
                }
                return value;
            }
            case "RedrivePolicy" -> {
                return value.isEmpty() ? value : redrive(value, fifo, queues).json();
            }
            default -> {
                if (PLAIN.contains(name)) {
                    return value;
                }
                throw SqsErrors.invalidAttributeName("Unknown Attribute " + name + ".");
            }
        }
    }

    /** Refuses a request that turns on both kinds of server-side encryption at once. */
    static void oneEncryption(Map<String, String> given) {
        String key = given.get("KmsMasterKeyId");
        if (key != null && !key.isEmpty() && "true".equalsIgnoreCase(given.get("SqsManagedSseEnabled"))) {
            throw SqsErrors.invalidAttributeName("You can use one type of server-side encryption (SSE) at one time. "
                    + "You can either enable KMS SSE or SQS SSE.");
        }
    }

    /**
     * Server-side encryption is either SQS-managed or KMS: giving a KMS key turns the managed kind off, and clearing
     * the key drops its data-key reuse period with it, as AWS shows in GetQueueAttributes.
     */
    static void encryption(Map<String, String> given, Map<String, String> attributes) {
        String key = given.get("KmsMasterKeyId");
        if (key == null) {
            return;
        }
        if (key.isEmpty()) {
            attributes.remove("KmsDataKeyReusePeriodSeconds");
        } else if (!given.containsKey("SqsManagedSseEnabled")) {
            attributes.put("SqsManagedSseEnabled", "false");
        }
    }

    /** A redrive policy: where messages go after {@code maxReceiveCount} receives. */
    record Redrive(String deadLetterTargetArn, int maxReceiveCount) {
        String json() {
            return "{\"deadLetterTargetArn\":\"" + deadLetterTargetArn + "\",\"maxReceiveCount\":" + maxReceiveCount + "}";
        }
    }

    static Redrive redrive(String value, boolean fifo, SqsQueues queues) {
        JsonNode n;
        try {
            n = Http.JSON.readTree(value);
        } catch (IOException e) {
            n = null;
        }
        if (n == null || !n.isObject()) {
            throw SqsErrors.invalidAttributeValue("Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.");
        }
        if (!n.hasNonNull("deadLetterTargetArn") || !n.hasNonNull("maxReceiveCount")) {
            throw SqsErrors.invalidAttributeValue("Value " + value + " for parameter RedrivePolicy is invalid. Reason: Redrive policy "
                    + "does not contain mandatory attribute: " + (n.hasNonNull("deadLetterTargetArn") ? "maxReceiveCount" : "deadLetterTargetArn") + ".");
        }
        int max;
        try {
            max = Integer.parseInt(n.get("maxReceiveCount").asText());
        } catch (NumberFormatException e) {
            max = 0;
        }
        if (max < 1 || max > 1000) {
            throw SqsErrors.invalidAttributeValue("Value " + value + " for parameter RedrivePolicy is invalid. Reason: Invalid value for "
                    + "maxReceiveCount: " + n.get("maxReceiveCount").asText() + ", valid values are from 1 to 1000 both inclusive.");
        }
        String target = n.get("deadLetterTargetArn").asText();
        SqsQueue dlq = queues == null ? null : queues.byArn(target);
        if (queues != null && dlq == null) {
            throw SqsErrors.invalidAttributeValue("Value " + value + " for parameter RedrivePolicy is invalid. Reason: Dead-letter target does not exist.");
        }
        if (dlq != null && dlq.fifo != fifo) {
            throw SqsErrors.invalidAttributeValue("Value " + value + " for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of queue as the source.");
        }
        return new Redrive(target, max);
    }
}
