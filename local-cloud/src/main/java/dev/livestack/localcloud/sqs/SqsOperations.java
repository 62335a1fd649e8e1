package dev.livestack.localcloud.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.ports.MessageQueues;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The SQS operations, on the JSON protocol's input and output shapes. */
final class SqsOperations {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final Pattern FIFO_NAME = Pattern.compile("[A-Za-z0-9_-]{1,75}\\.fifo");
    private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final Pattern GROUP_ID = Pattern.compile("[!-~]{1,128}");

    private final CloudContext context;
    private final SqsQueues queues;

    SqsOperations(CloudContext context, SqsQueues queues) {
        this.context = context;
        this.queues = queues;
    }

    ObjectNode call(String action, ObjectNode in) {
        ObjectNode out = Http.JSON.createObjectNode();
        switch (action) {
            case "CreateQueue" -> out.put("QueueUrl", createQueue(required(in, "QueueName"), strings(in.get("Attributes")),
                    strings(in.has("tags") ? in.get("tags") : in.get("Tags"))));
            case "GetQueueUrl" -> {
                String owner = text(in, "QueueOwnerAWSAccountId");
                if (owner != null && !owner.equals(context.account())) {
                    throw SqsErrors.noQueue();
                }
                out.put("QueueUrl", queues.url(queues.require(required(in, "QueueName")).name));
            }
            case "DeleteQueue" -> queues.remove(queue(in).name);
            case "ListQueues" -> listQueues(in, out);
            case "GetQueueAttributes" -> {
                Map<String, String> attributes = attributes(queue(in), SqsWire.texts(in.get("AttributeNames")));
                if (!attributes.isEmpty()) {
                    ObjectNode a = out.putObject("Attributes");
                    attributes.forEach(a::put);
                }
            }
            case "SetQueueAttributes" -> setAttributes(queue(in), strings(in.get("Attributes")));
            case "PurgeQueue" -> purge(queue(in));
            case "SendMessage" -> {
                SqsQueue q = queue(in);
                synchronized (queues) {
                    sent(out, send(q, in));
                    queues.changed(q);
                }
            }
            case "SendMessageBatch" -> sendBatch(queue(in), in, out);
            case "ReceiveMessage" -> receive(queue(in), in, out);
            case "DeleteMessage" -> {
                SqsQueue q = queue(in);
                synchronized (queues) {
                    q.delete(required(in, "ReceiptHandle"), System.currentTimeMillis());
                    queues.changed(q);
                }
            }
            case "DeleteMessageBatch", "ChangeMessageVisibilityBatch" -> handleBatch(action, queue(in), in, out);
            case "ChangeMessageVisibility" -> {
                SqsQueue q = queue(in);
                synchronized (queues) {
                    q.changeVisibility(required(in, "ReceiptHandle"), in.path("VisibilityTimeout").asInt(-1), System.currentTimeMillis());
                    queues.changed(q);
                }
            }
            case "TagQueue" -> {
                SqsQueue q = queue(in);
                synchronized (queues) {
                    q.tags.putAll(strings(in.get("Tags")));
                    queues.changed(q);
                }
            }
            case "UntagQueue" -> {
                SqsQueue q = queue(in);
                synchronized (queues) {
                    SqsWire.texts(in.get("TagKeys")).forEach(q.tags::remove);
                    queues.changed(q);
                }
            }
            case "ListQueueTags" -> {
                SqsQueue q = queue(in);
                synchronized (queues) {
                    if (!q.tags.isEmpty()) {
                        ObjectNode t = out.putObject("Tags");
                        q.tags.forEach(t::put);
                    }
                }
            }
            case "ListDeadLetterSourceQueues" -> {
                SqsQueue target = queue(in);
                ArrayNode urls = out.putArray("queueUrls");
                for (SqsQueue q : queues.all()) {
                    QueueAttributes.Redrive r = q.redrive();
                    if (r != null && r.deadLetterTargetArn().equals(target.arn)) {
                        urls.add(queues.url(q.name));
                    }
                }
            }
            default -> throw new AwsException(400, "InvalidAction", "The action " + action + " is not valid for this endpoint.");
        }
        return out;
    }

    String createQueue(String name, Map<String, String> given, Map<String, String> tags) {
        boolean fifo = "true".equalsIgnoreCase(given.get("FifoQueue"));
        if (fifo ? !FIFO_NAME.matcher(name).matches() : !NAME.matcher(name).matches()) {
            throw SqsErrors.invalidParameter(fifo ? "The name of a FIFO queue can only include alphanumeric characters, hyphens, "
                    + "or underscores, must end with .fifo suffix and be 1 to 80 in length."
                    : "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
        }
        synchronized (queues) {
            QueueAttributes.oneEncryption(given);
            Map<String, String> attributes = QueueAttributes.defaults(fifo);
            for (Map.Entry<String, String> e : given.entrySet()) {
                attributes.put(e.getKey(), QueueAttributes.check(e.getKey(), e.getValue(), fifo, true, queues));
            }
            QueueAttributes.encryption(given, attributes);
            attributes.values().removeIf(String::isEmpty);
            SqsQueue existing = queues.get(name);
            if (existing != null) {
                for (Map.Entry<String, String> e : attributes.entrySet()) {
                    if (given.containsKey(e.getKey()) && !e.getValue().equals(existing.attributes.get(e.getKey()))) {
                        throw new AwsException(400, "QueueAlreadyExists",
                                "A queue already exists with the same name and a different value for attribute " + e.getKey());
                    }
                }
                return queues.url(name);
            }
            SqsQueue q = new SqsQueue(name, queues.arn(name), fifo, System.currentTimeMillis() / 1000, attributes);
            q.tags.putAll(tags);
            queues.put(q);
            return queues.url(name);
        }
    }

    void setAttributes(SqsQueue q, Map<String, String> given) {
        QueueAttributes.oneEncryption(given);
        synchronized (queues) {
            Map<String, String> checked = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : given.entrySet()) {
                checked.put(e.getKey(), QueueAttributes.check(e.getKey(), e.getValue(), q.fifo, false, queues));
            }
            checked.forEach((k, v) -> {
                if (v.isEmpty()) {
                    q.attributes.remove(k);
                } else {
                    q.attributes.put(k, v);
                }
            });
            QueueAttributes.encryption(given, q.attributes);
            q.modified = System.currentTimeMillis() / 1000;
            queues.changed(q);
        }
    }

    private Map<String, String> attributes(SqsQueue q, List<String> names) {
        synchronized (queues) {
            long now = System.currentTimeMillis();
            q.dropExpired(now);
            Map<String, String> all = new java.util.TreeMap<>(q.attributes);
            all.put("ApproximateNumberOfMessages", Long.toString(q.count(now, false, false)));
            all.put("ApproximateNumberOfMessagesNotVisible", Long.toString(q.count(now, false, true)));
            all.put("ApproximateNumberOfMessagesDelayed", Long.toString(q.count(now, true, false)));
            all.put("CreatedTimestamp", Long.toString(q.created));
            all.put("LastModifiedTimestamp", Long.toString(q.modified));
            all.put("QueueArn", q.arn);
            Map<String, String> out = new LinkedHashMap<>();
            for (String n : names) {
                if (n.equals("All")) {
                    return all;
                }
                boolean known = all.containsKey(n) || List.of("Policy", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId",
                        "KmsDataKeyReusePeriodSeconds").contains(n) || (q.fifo && n.equals("FifoQueue"));
                if (!known) {
                    throw SqsErrors.invalidAttributeName("Unknown Attribute " + n + ".");
                }
                if (all.containsKey(n)) {
                    out.put(n, all.get(n));
                }
            }
            return out;
        }
    }

    private void purge(SqsQueue q) {
        synchronized (queues) {
            long now = System.currentTimeMillis();
            if (q.lastPurge > 0 && now - q.lastPurge < 60_000) {
                throw new AwsException(403, "AWS.SimpleQueueService.PurgeQueueInProgress",
                        "Only one PurgeQueue operation on " + q.name + " is allowed every 60 seconds.");
            }
            q.lastPurge = now;
            q.messages.clear();
            queues.changed(q);
        }
    }

    private void listQueues(JsonNode in, ObjectNode out) {
        String prefix = text(in, "QueueNamePrefix");
        int max = in.hasNonNull("MaxResults") ? in.get("MaxResults").asInt() : 1000;
        if (max < 1 || max > 1000) {
            throw SqsErrors.invalidValue(max, "MaxResults", "MaxResults must be an integer between 1 and 1000.");
        }
        String after = text(in, "NextToken") == null ? null
                : new String(Base64.getDecoder().decode(text(in, "NextToken")), StandardCharsets.UTF_8);
        List<String> names = queues.all().stream().map(q -> q.name)
                .filter(n -> prefix == null || n.startsWith(prefix)).filter(n -> after == null || n.compareTo(after) > 0).toList();
        if (!names.isEmpty()) {
            ArrayNode urls = out.putArray("QueueUrls");
            names.stream().limit(max).forEach(n -> urls.add(queues.url(n)));
        }
        if (in.hasNonNull("MaxResults") && names.size() > max) {
            out.put("NextToken", Base64.getEncoder().encodeToString(names.get(max - 1).getBytes(StandardCharsets.UTF_8)));
        }
    }

    private SqsQueue.Sent send(SqsQueue q, JsonNode in) {
        String body = text(in, "MessageBody");
        if (body == null || body.isEmpty()) {
            throw SqsErrors.missing("MessageBody");
        }
        SqsService.checkBody(body);
        Integer delay = null;
        if (in.hasNonNull("DelaySeconds")) {
            delay = in.get("DelaySeconds").asInt();
            if (delay < 0 || delay > 900) {
                throw SqsErrors.invalidValue(delay, "DelaySeconds", "DelaySeconds must be >= 0 and <= 900.");
            }
        }
        String group = text(in, "MessageGroupId");
        String dedup = text(in, "MessageDeduplicationId");
        if (group != null && (q.fifo || !group.isEmpty()) && !GROUP_ID.matcher(group).matches()) {
            throw SqsErrors.invalidValue(group, "MessageGroupId", "MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.");
        }
        if (dedup != null && !GROUP_ID.matcher(dedup).matches()) {
            throw SqsErrors.invalidValue(dedup, "MessageDeduplicationId", "MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.");
        }
        if (dedup != null && !q.fifo) {
            throw SqsErrors.invalidValue(dedup, "MessageDeduplicationId", "The request includes a parameter that is not valid for this queue type.");
        }
        Map<String, MessageQueues.Attribute> attributes = SqsService.parseAttributes(in.get("MessageAttributes"));
        JsonNode trace = in.path("MessageSystemAttributes").path("AWSTraceHeader");
        return q.send(body, delay, attributes, trace.hasNonNull("StringValue") ? trace.get("StringValue").asText() : null,
                group, dedup, System.currentTimeMillis());
    }

    private static void sent(ObjectNode out, SqsQueue.Sent s) {
        out.put("MD5OfMessageBody", s.md5OfBody());
        if (s.md5OfAttributes() != null) {
            out.put("MD5OfMessageAttributes", s.md5OfAttributes());
        }
        out.put("MessageId", s.messageId());
        if (s.sequenceNumber() != null) {
            out.put("SequenceNumber", s.sequenceNumber());
        }
    }

    private List<JsonNode> entries(String action, JsonNode in) {
        List<JsonNode> entries = new ArrayList<>();
        in.path("Entries").forEach(entries::add);
        if (entries.isEmpty()) {
            throw new AwsException(400, "AWS.SimpleQueueService.EmptyBatchRequest",
                    "There should be at least one " + action + "RequestEntry in the request.");
        }
        if (entries.size() > 10) {
            throw new AwsException(400, "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                    "Maximum number of entries per request are 10. You have sent " + entries.size() + ".");
        }
        Set<String> ids = new HashSet<>();
        for (JsonNode e : entries) {
            String id = e.path("Id").asText("");
            if (!BATCH_ID.matcher(id).matches()) {
                throw new AwsException(400, "AWS.SimpleQueueService.InvalidBatchEntryId",
                        "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.");
            }
            if (!ids.add(id)) {
                throw new AwsException(400, "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "Id " + id + " repeated.");
            }
        }
        return entries;
    }

    private void sendBatch(SqsQueue q, JsonNode in, ObjectNode out) {
        List<JsonNode> entries = entries("SendMessageBatch", in);
        int total = entries.stream().mapToInt(SqsOperations::size).sum();
        if (total > 1048576) {
            throw new AwsException(400, "AWS.SimpleQueueService.BatchRequestTooLong",
                    "Batch requests cannot be longer than 1048576 bytes. You have sent " + total + " bytes.");
        }
        if (q.fifo) {
            // a FIFO batch lacking a group or deduplication id fails as a whole, not per entry
            for (JsonNode e : entries) {
                if (text(e, "MessageGroupId") == null) {
                    throw SqsErrors.invalidParameter("The request must contain the parameter MessageGroupId.");
                }
                if (text(e, "MessageDeduplicationId") == null && !Boolean.parseBoolean(q.attributes.get("ContentBasedDeduplication"))) {
                    throw SqsErrors.invalidParameter("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
                }
            }
        }
        ArrayNode ok = out.putArray("Successful");
        ArrayNode failed = out.putArray("Failed");
        synchronized (queues) {
            for (JsonNode e : entries) {
                try {
                    ObjectNode r = ok.addObject().put("Id", e.get("Id").asText());
                    try {
                        sent(r, send(q, e));
                    } catch (AwsException x) {
                        ok.remove(ok.size() - 1);
                        throw x;
                    }
                } catch (AwsException x) {
                    failed.addObject().put("Id", e.get("Id").asText()).put("SenderFault", x.sender())
                            .put("Code", x.code()).put("Message", x.getMessage().replace(
                                    "One or more parameters are invalid.", "One or more parameters cannot be validated."));
                }
            }
            queues.changed(q);
        }
    }

    /** What an entry counts towards a batch's 1 MiB: its body and each attribute's name, type and value. */
    private static int size(JsonNode entry) {
        int size = SqsService.utf8Length(entry.path("MessageBody").asText(""));
        for (var it = entry.path("MessageAttributes").fields(); it.hasNext(); ) {
            var a = it.next();
            JsonNode v = a.getValue();
            size += SqsService.utf8Length(a.getKey()) + SqsService.utf8Length(v.path("DataType").asText(""));
            if (v.hasNonNull("StringValue")) {
                size += SqsService.utf8Length(v.get("StringValue").asText());
            } else if (v.hasNonNull("BinaryValue")) {
                size += java.util.Base64.getDecoder().decode(v.get("BinaryValue").asText()).length;
            }
        }
        return size;
    }

    private void handleBatch(String action, SqsQueue q, JsonNode in, ObjectNode out) {
        List<JsonNode> entries = entries(action, in);
        ArrayNode ok = out.putArray("Successful");
        ArrayNode failed = out.putArray("Failed");
        synchronized (queues) {
            long now = System.currentTimeMillis();
            for (JsonNode e : entries) {
                String id = e.get("Id").asText();
                try {
                    String handle = e.hasNonNull("ReceiptHandle") ? e.get("ReceiptHandle").asText() : null;
                    if (handle == null) {
                        throw SqsErrors.missing("ReceiptHandle");
                    }
                    if (action.equals("DeleteMessageBatch")) {
                        q.delete(handle, now);
                    } else {
                        q.changeVisibility(handle, e.path("VisibilityTimeout").asInt(-1), now);
                    }
                    ok.addObject().put("Id", id);
                } catch (AwsException x) {
                    failed.addObject().put("Id", id).put("SenderFault", x.sender()).put("Code", x.code()).put("Message", x.getMessage());
                }
            }
            queues.changed(q);
        }
    }

    private void receive(SqsQueue q, JsonNode in, ObjectNode out) {
        int max = in.hasNonNull("MaxNumberOfMessages") ? in.get("MaxNumberOfMessages").asInt() : 1;
        if (max < 1 || max > 10) {
            throw SqsErrors.invalidValue(max, "MaxNumberOfMessages", "Must be between 1 and 10, if provided.");
        }
        int wait = in.hasNonNull("WaitTimeSeconds") ? in.get("WaitTimeSeconds").asInt() : q.intAttribute("ReceiveMessageWaitTimeSeconds");
        if (wait < 0 || wait > 20) {
            throw SqsErrors.invalidValue(wait, "WaitTimeSeconds", "Must be >= 0 and <= 20, if provided.");
        }
        Integer visibility = in.hasNonNull("VisibilityTimeout") ? in.get("VisibilityTimeout").asInt() : null;
        if (visibility != null && (visibility < 0 || visibility > 43200)) {
            throw SqsErrors.invalidValue(visibility, "VisibilityTimeout", "Must be >= 0 and <= 43200, if provided.");
        }
        List<String> system = new ArrayList<>(SqsWire.texts(in.get("AttributeNames")));
        system.addAll(SqsWire.texts(in.get("MessageSystemAttributeNames")));
        List<String> wanted = SqsWire.texts(in.get("MessageAttributeNames"));
        List<SqsMessage> got;
        try {
            got = queues.receive(q.name, max, visibility, wait * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            got = List.of();
        }
        if (got.isEmpty()) {
            return;
        }
        ArrayNode messages = out.putArray("Messages");
        synchronized (queues) {
            for (SqsMessage m : got) {
                ObjectNode n = messages.addObject();
                n.put("MessageId", m.id).put("ReceiptHandle", m.receipt).put("MD5OfBody", m.md5OfBody).put("Body", m.body);
                Map<String, String> attributes = SqsService.systemAttributes(q, m, system, context.account());
                if (!attributes.isEmpty()) {
                    ObjectNode a = n.putObject("Attributes");
                    attributes.forEach(a::put);
                }
                Map<String, MessageQueues.Attribute> selected = SqsService.selectAttributes(m.attributes, wanted);
                if (!selected.isEmpty()) {
                    n.put("MD5OfMessageAttributes", MessageDigests.attributes(selected));
                    n.set("MessageAttributes", SqsService.attributesJson(selected));
                }
            }
        }
    }

    /** The queue a request's QueueUrl names; {@code sqs.<region>.amazonaws.com} URLs and paths are accepted too. */
    SqsQueue queue(JsonNode in) {
        String url = text(in, "QueueUrl");
        if (url == null) {
            throw SqsErrors.missing("QueueUrl");
        }
        String path = url.replaceFirst("^[a-zA-Z]+://[^/]*", "");
        String[] parts = path.replaceAll("^/+|/+$", "").split("/");
        if (parts.length != 2 || !parts[0].equals(context.account())) {
            throw SqsErrors.noQueue();
        }
        return queues.require(parts[1]);
    }

    private static Map<String, String> strings(JsonNode map) {
        Map<String, String> out = new LinkedHashMap<>();
        if (map != null && map.isObject()) {
            map.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        }
        return out;
    }

    private static String text(JsonNode in, String field) {
        JsonNode v = in.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String required(JsonNode in, String field) {
        String v = text(in, field);
        if (v == null) {
            throw SqsErrors.missing(field);
        }
        return v;
    }
}
