package dev.livestack.localcloud.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.ports.MessageQueues;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * One queue: its attributes, tags and messages, and the rules of sending, receiving (visibility, FIFO group order,
 * redrive) and deleting. Every method runs under {@link SqsQueues}' lock.
 */
final class SqsQueue {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long DEDUP_WINDOW_MILLIS = 5 * 60 * 1000L;

    final String name;
    final String arn;
    final boolean fifo;
    final long created;
    long modified;
    final Map<String, String> attributes;
    final Map<String, String> tags = new TreeMap<>();
    final List<SqsMessage> messages = new ArrayList<>();
    /** Deduplication ids seen within five minutes: key → {expires, messageId, sequenceNumber}. */
    private final Map<String, String[]> dedup = new LinkedHashMap<>();
    private long sequence;
    long lastPurge;
    /**
     * The deduplication scope the queue was created with: AWS keeps deduplicating by it after SetQueueAttributes
     * changes DeduplicationScope (recorded AWS responses show no change either way).
     */
    private String dedupScope;

    SqsQueue(String name, String arn, boolean fifo, long created, Map<String, String> attributes) {
        this.name = name;
        this.arn = arn;
        this.fifo = fifo;
        this.created = created;
        this.modified = created;
        this.attributes = attributes;
        this.dedupScope = attributes.get("DeduplicationScope");
    }

    int intAttribute(String name) {
        return Integer.parseInt(attributes.get(name));
    }

    QueueAttributes.Redrive redrive() {
        String r = attributes.get("RedrivePolicy");
        return r == null || r.isEmpty() ? null : QueueAttributes.redrive(r, fifo, null);
    }

    /** What SendMessage answers. */
    record Sent(String messageId, String md5OfBody, String md5OfAttributes, String sequenceNumber) {
    }

    Sent send(String body, Integer delaySeconds, Map<String, MessageQueues.Attribute> attributes, String traceHeader,
              String groupId, String dedupId, long now) {
        int max = intAttribute("MaximumMessageSize");
        int size = body.getBytes(StandardCharsets.UTF_8).length + attributes.entrySet().stream()
                .mapToInt(e -> e.getKey().length() + e.getValue().dataType().length()
                        + (e.getValue().stringValue() != null ? e.getValue().stringValue().getBytes(StandardCharsets.UTF_8).length
                        : Base64.getDecoder().decode(e.getValue().binaryValue()).length)).sum();
        if (size > max) {
            throw SqsErrors.invalidParameter("One or more parameters are invalid. Reason: Message must be shorter than " + max + " bytes.");
        }
        String sequenceNumber = null;
        if (fifo) {
            if (groupId == null) {
                throw SqsErrors.missing("MessageGroupId");
            }
            if (delaySeconds != null && delaySeconds != 0) {
                throw SqsErrors.invalidValue(delaySeconds, "DelaySeconds", "The request include parameter that is not valid for this queue type.");
            }
            if (dedupId == null) {
                if (!Boolean.parseBoolean(attributes().get("ContentBasedDeduplication"))) {
                    throw SqsErrors.invalidParameter("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
                }
                dedupId = sha256(body);
            }
            dedup.values().removeIf(v -> Long.parseLong(v[0]) <= now);
            String key = "messageGroup".equals(dedupScope) ? groupId + "\u0000" + dedupId : dedupId;
            String[] seen = dedup.get(key);
            if (seen != null) {
                return new Sent(seen[1], MessageDigests.body(body),
                        attributes.isEmpty() ? null : MessageDigests.attributes(attributes), seen[2]);
            }
            // AWS's are 20 digits that only grow; starting from the clock keeps them growing across restarts too
            sequence = Math.max(sequence + 1, now * 1_000_000L);
            sequenceNumber = String.format("1%019d", sequence);
        } else if (groupId != null && groupId.isEmpty()) {
            throw SqsErrors.invalidValue("", "MessageGroupId", "MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.");
        }
        // a FIFO queue takes no per-message delay (only 0 is accepted), so its own DelaySeconds always applies
        int delay = delaySeconds != null && !fifo ? delaySeconds : intAttribute("DelaySeconds");
        SqsMessage m = new SqsMessage(UUID.randomUUID().toString(), body, attributes, traceHeader, now, now + delay * 1000L,
                groupId, fifo ? dedupId : null, sequenceNumber);
        messages.add(m);
        if (fifo) {
            String key = "messageGroup".equals(dedupScope) ? groupId + "\u0000" + dedupId : dedupId;
            dedup.put(key, new String[] {Long.toString(now + DEDUP_WINDOW_MILLIS), m.id, sequenceNumber});
        }
        return new Sent(m.id, m.md5OfBody, m.md5OfAttributes, sequenceNumber);
    }

    private Map<String, String> attributes() {
        return attributes;
    }

    /**
     * Receives up to {@code max} visible messages, giving each a new receipt handle and hiding it for the visibility
     * timeout. A message already received {@code maxReceiveCount} times moves to the dead-letter queue instead.
     * On a FIFO queue a group with a message in flight yields nothing, and a group's messages come in order.
     */
    List<SqsMessage> receive(int max, Integer visibilitySeconds, long now, Function<String, SqsQueue> byArn) {
        dropExpired(now);
        int visibility = visibilitySeconds != null ? visibilitySeconds : intAttribute("VisibilityTimeout");
        QueueAttributes.Redrive redrive = redrive();
        SqsQueue dlq = redrive == null ? null : byArn.apply(redrive.deadLetterTargetArn());
        List<SqsMessage> out = new ArrayList<>();
        Set<String> blocked = new HashSet<>();
        for (Iterator<SqsMessage> it = messages.iterator(); it.hasNext() && out.size() < max; ) {
            SqsMessage m = it.next();
            if (m.visibleAt > now) {
                if (fifo) {
                    blocked.add(m.groupId);
                }
                continue;
            }
            if (fifo && blocked.contains(m.groupId)) {
                continue;
            }
            if (dlq != null && dlq != this && m.receiveCount >= redrive.maxReceiveCount()) {
                it.remove();
                dlq.adopt(m, arn, now);
                continue;
            }
            m.receiveCount++;
            if (m.firstReceive == 0) {
                m.firstReceive = now;
            }
            m.receipt = receiptHandle(m.id);
            m.visibleAt = now + visibility * 1000L;
            out.add(m);
        }
        return out;
    }

    /** Takes a message a redrive policy moved here, visible at once; its receive count carries on, as AWS's does. */
    private void adopt(SqsMessage m, String sourceArn, long now) {
        m.receipt = null;
        m.visibleAt = now;
        m.deadLetterSource = sourceArn;
        messages.add(m);
    }

    /** Drops the messages older than the retention period. */
    void dropExpired(long now) {
        long retention = intAttribute("MessageRetentionPeriod") * 1000L;
        messages.removeIf(m -> m.sent + retention <= now);
    }

    /** The message a receipt handle names (null when it is gone), or ReceiptHandleIsInvalid when the handle is not ours. */
    SqsMessage byReceipt(String handle) {
        String id = messageId(handle);
        for (SqsMessage m : messages) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        return null;
    }

    void delete(String handle, long now) {
        SqsMessage m = byReceipt(handle);
        if (m == null) {
            return;
        }
        if (fifo && (!handle.equals(m.receipt) || !m.inFlight(now))) {
            throw SqsErrors.invalidValue(handle, "ReceiptHandle", "The receipt handle has expired.");
        }
        messages.remove(m);
    }

    void changeVisibility(String handle, int seconds, long now) {
        if (seconds < 0 || seconds > 43200) {
            throw SqsErrors.invalidValue(seconds, "VisibilityTimeout", "Must be between 0 and 43200, if provided.");
        }
        SqsMessage m = byReceipt(handle);
        // the latest receipt of a message still in the queue may change its visibility even after it expired
        if (m == null || m.receipt == null || (!handle.equals(m.receipt) && !m.inFlight(now))) {
            throw new dev.livestack.localcloud.core.AwsException(400, "AWS.SimpleQueueService.MessageNotInflight",
                    "Value " + handle + " for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not "
                            + "available for visibility timeout change.");
        }
        m.visibleAt = now + seconds * 1000L;
    }

    /** When the next hidden message becomes visible, or Long.MAX_VALUE when none will. */
    long nextVisible(long now) {
        long next = Long.MAX_VALUE;
        for (SqsMessage m : messages) {
            if (m.visibleAt > now && m.visibleAt < next) {
                next = m.visibleAt;
            }
        }
        return next;
    }

    long count(long now, boolean delayed, boolean inFlight) {
        return messages.stream().filter(m -> {
            if (m.visibleAt <= now) {
                return !delayed && !inFlight;
            }
            return m.receipt != null ? inFlight : delayed;
        }).count();
    }

    private String receiptHandle(String messageId) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        return Base64.getUrlEncoder().withoutPadding().encodeToString((arn + " " + messageId + " "
                + HexFormat.of().formatHex(nonce)).getBytes(StandardCharsets.UTF_8));
    }

    /** The message id inside a receipt handle of this queue; ReceiptHandleIsInvalid for anything else. */
    private String messageId(String handle) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(handle), StandardCharsets.UTF_8).split(" ");
            if (parts.length == 3 && parts[0].equals(arn)) {
                return parts[1];
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw SqsErrors.receiptHandleInvalid(handle);
    }

    private static String sha256(String body) {
        return dev.livestack.localcloud.core.StateStore.sha256(body);
    }

    ObjectNode toJson() {
        ObjectNode n = Http.JSON.createObjectNode();
        n.put("name", name).put("arn", arn).put("fifo", fifo).put("created", created).put("modified", modified)
                .put("sequence", sequence).put("lastPurge", lastPurge).put("dedupScope", dedupScope);
        ObjectNode a = n.putObject("attributes");
        attributes.forEach(a::put);
        ObjectNode t = n.putObject("tags");
        tags.forEach(t::put);
        ObjectNode d = n.putObject("dedup");
        dedup.forEach((k, v) -> d.putArray(k).add(v[0]).add(v[1]).add(v[2]));
        var list = n.putArray("messages");
        messages.forEach(m -> list.add(m.toJson()));
        return n;
    }

    static SqsQueue fromJson(JsonNode n) {
        Map<String, String> attributes = new LinkedHashMap<>();
        n.get("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
        SqsQueue q = new SqsQueue(n.get("name").asText(), n.get("arn").asText(), n.get("fifo").asBoolean(),
                n.get("created").asLong(), attributes);
        q.modified = n.path("modified").asLong(q.created);
        q.sequence = n.path("sequence").asLong();
        q.lastPurge = n.path("lastPurge").asLong();
        q.dedupScope = n.path("dedupScope").asText(attributes.get("DeduplicationScope"));
        n.path("tags").fields().forEachRemaining(e -> q.tags.put(e.getKey(), e.getValue().asText()));
        n.path("dedup").fields().forEachRemaining(e -> q.dedup.put(e.getKey(), new String[] {
                e.getValue().get(0).asText(), e.getValue().get(1).asText(), e.getValue().get(2).isNull() ? null : e.getValue().get(2).asText()}));
        n.path("messages").forEach(m -> q.messages.add(SqsMessage.fromJson(m)));
        return q;
    }
}
