package dev.livestack.localcloud.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.ports.MessageQueues;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** One message in a queue, with the bookkeeping visibility, receive counts and redrive need. Guarded by its queue. */
final class SqsMessage {
    final String id;
    final String body;
    final String md5OfBody;
    final Map<String, MessageQueues.Attribute> attributes;
    final String md5OfAttributes;
    final String traceHeader;
    final long sent;
    final String groupId;
    final String dedupId;
    final String sequenceNumber;
    /** The queue ARN the message was moved from by a redrive policy, or null. */
    String deadLetterSource;
    long visibleAt;
    int receiveCount;
    long firstReceive;
    /** The receipt handle of the latest receive, or null while never received (or released by a failed delete). */
    String receipt;

    SqsMessage(String id, String body, Map<String, MessageQueues.Attribute> attributes, String traceHeader, long sent,
               long visibleAt, String groupId, String dedupId, String sequenceNumber) {
        this.id = id;
        this.body = body;
        this.md5OfBody = MessageDigests.body(body);
        this.attributes = new TreeMap<>(attributes);
        this.md5OfAttributes = attributes.isEmpty() ? null : MessageDigests.attributes(attributes);
        this.traceHeader = traceHeader;
        this.sent = sent;
        this.visibleAt = visibleAt;
        this.groupId = groupId;
        this.dedupId = dedupId;
        this.sequenceNumber = sequenceNumber;
    }

    boolean inFlight(long now) {
        return receipt != null && visibleAt > now;
    }

    ObjectNode toJson() {
        ObjectNode n = Http.JSON.createObjectNode();
        n.put("id", id).put("body", body).put("sent", sent).put("visibleAt", visibleAt)
                .put("receiveCount", receiveCount).put("firstReceive", firstReceive);
        n.put("traceHeader", traceHeader).put("groupId", groupId).put("dedupId", dedupId)
                .put("sequenceNumber", sequenceNumber).put("receipt", receipt).put("deadLetterSource", deadLetterSource);
        ObjectNode a = n.putObject("attributes");
        attributes.forEach((k, v) -> a.putObject(k).put("dataType", v.dataType()).put("stringValue", v.stringValue())
                .put("binaryValue", v.binaryValue()));
        return n;
    }

    static SqsMessage fromJson(JsonNode n) {
        Map<String, MessageQueues.Attribute> attributes = new LinkedHashMap<>();
        n.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), new MessageQueues.Attribute(
                e.getValue().get("dataType").asText(), text(e.getValue(), "stringValue"), text(e.getValue(), "binaryValue"))));
        SqsMessage m = new SqsMessage(n.get("id").asText(), n.get("body").asText(), attributes, text(n, "traceHeader"),
                n.get("sent").asLong(), n.get("visibleAt").asLong(), text(n, "groupId"), text(n, "dedupId"),
                text(n, "sequenceNumber"));
        m.receiveCount = n.path("receiveCount").asInt();
        m.firstReceive = n.path("firstReceive").asLong();
        m.receipt = text(n, "receipt");
        m.deadLetterSource = text(n, "deadLetterSource");
        return m;
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
