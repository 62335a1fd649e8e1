package dev.livestack.localcloud.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.AwsRequest;
import dev.livestack.localcloud.core.AwsService;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.ports.MessageQueues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SQS over both protocols its clients use: awsJson 1.0 ({@code X-Amz-Target: AmazonSQS.*}, errors with the
 * {@code x-amzn-query-error} header the SDKs read the query code from) and the query protocol (form in, XML out), as
 * older botocore (the AWS CLI v2.9 here) speaks it. Each operation is written once against the JSON shapes;
 * {@link SqsWire} translates query requests and responses.
 */
public final class SqsService implements AwsService, AutoCloseable {
    static final String NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";
    private static final String JSON_1_0 = "application/x-amz-json-1.0";

    private final CloudContext context;
    private final SqsQueues queues;
    private final SqsOperations operations;

    public SqsService(CloudContext context) {
        this.context = context;
        this.queues = new SqsQueues(context);
        this.operations = new SqsOperations(context, queues);
        context.register(new QueueResource(queues, operations));
        context.register(new QueuePolicyResource(queues));
    }

    /** The port Lambda's event source mappings reach the queues through. */
    public MessageQueues queues() {
        return queues;
    }

    @Override
    public String signingName() {
        return "sqs";
    }

    @Override
    public void reset() {
        queues.clear();
    }

    @Override
    public void close() {
        queues.close();
    }

    private static boolean json(AwsRequest request) {
        return request.header("x-amz-target") != null;
    }

    @Override
    public void handle(AwsRequest request) throws IOException {
        String action;
        JsonNode input;
        if (json(request)) {
            String target = request.header("x-amz-target");
            if (!target.startsWith("AmazonSQS.")) {
                throw new AwsException(400, "UnknownOperationException", null);
            }
            action = target.substring("AmazonSQS.".length());
            try {
                input = request.body().length == 0 ? Http.JSON.createObjectNode() : Http.JSON.readTree(request.body());
            } catch (IOException e) {
                input = null;
            }
            if (input == null || !input.isObject()) {
                throw new AwsException(400, "SerializationException", "Start of structure or map found where not expected.");
            }
        } else {
            Map<String, String> form = request.form();
            action = form.get("Action");
            if (action == null) {
                throw new AwsException(400, "MissingAction", "Missing Action");
            }
            ObjectNode converted = SqsWire.fromQuery(form);
            // older clients post to the queue's URL instead of naming it
            if (!converted.has("QueueUrl") && request.path().matches("/\\d{12}/[^/]+")) {
                converted.put("QueueUrl", request.path());
            }
            input = converted;
        }
        traceHeader(request, action, (ObjectNode) input);
        ObjectNode out = operations.call(action, (ObjectNode) input);
        request.exchange().getResponseHeaders().set("x-amzn-RequestId", request.requestId());
        if (json(request)) {
            Http.json(request.exchange(), 200, out, JSON_1_0);
        } else {
            Http.send(request.exchange(), 200, "text/xml", SqsWire.toXml(action, out, request.requestId()));
        }
    }

    @Override
    public void renderError(AwsRequest request, AwsException error) throws IOException {
        var headers = request.exchange().getResponseHeaders();
        headers.set("x-amzn-RequestId", request.requestId());
        if (json(request)) {
            ObjectNode body = Http.JSON.createObjectNode();
            body.put("__type", "com.amazonaws.sqs#" + SqsErrors.shape(error.code()));
            body.put("message", error.getMessage());
            headers.set("x-amzn-query-error", error.code() + ";" + (error.sender() ? "Sender" : "Receiver"));
            Http.json(request.exchange(), error.status(), body, JSON_1_0);
            return;
        }
        String xml = "<ErrorResponse xmlns=\"" + NAMESPACE + "\"><Error><Type>" + (error.sender() ? "Sender" : "Receiver")
                + "</Type><Code>" + Http.xmlEscape(error.code()) + "</Code><Message>" + Http.xmlEscape(error.getMessage())
                + "</Message><Detail/></Error><RequestId>" + request.requestId() + "</RequestId></ErrorResponse>";
        Http.send(request.exchange(), error.status(), "text/xml", xml);
    }

    /**
     * X-Ray's {@code X-Amzn-Trace-Id} request header becomes a sent message's AWSTraceHeader system attribute, unless
     * the message names one itself (which then wins, as AWS documents).
     */
    private static void traceHeader(AwsRequest request, String action, ObjectNode input) {
        String trace = request.header("x-amzn-trace-id");
        if (trace == null || trace.isEmpty()) {
            return;
        }
        List<JsonNode> messages = new java.util.ArrayList<>();
        if (action.equals("SendMessage")) {
            messages.add(input);
        } else if (action.equals("SendMessageBatch")) {
            input.path("Entries").forEach(messages::add);
        }
        for (JsonNode m : messages) {
            if (m.isObject() && !m.path("MessageSystemAttributes").has("AWSTraceHeader")) {
                ((ObjectNode) m).with("MessageSystemAttributes").putObject("AWSTraceHeader")
                        .put("DataType", "String").put("StringValue", trace);
            }
        }
    }

    @Override
    public AwsException throttling() {
        return new AwsException(400, "RequestThrottled", "Rate exceeded");
    }

    /** A message's system attributes, as ReceiveMessage returns them for the names asked ({@code All} for every one). */
    static Map<String, String> systemAttributes(SqsQueue q, SqsMessage m, List<String> names, String account) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("SenderId", account);
        all.put("SentTimestamp", Long.toString(m.sent));
        all.put("ApproximateReceiveCount", Integer.toString(m.receiveCount));
        all.put("ApproximateFirstReceiveTimestamp", Long.toString(m.firstReceive));
        if (q.fifo) {
            all.put("SequenceNumber", m.sequenceNumber);
            all.put("MessageDeduplicationId", m.dedupId);
            all.put("MessageGroupId", m.groupId);
        } else if (m.groupId != null) {
            all.put("MessageGroupId", m.groupId);
        }
        if (m.traceHeader != null) {
            all.put("AWSTraceHeader", m.traceHeader);
        }
        if (m.deadLetterSource != null) {
            all.put("DeadLetterQueueSourceArn", m.deadLetterSource);
        }
        if (names.contains("All")) {
            return all;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : names) {
            if (all.containsKey(n)) {
                out.put(n, all.get(n));
            }
        }
        return out;
    }

    /** Message attributes as the JSON shapes carry them. */
    static ObjectNode attributesJson(Map<String, MessageQueues.Attribute> attributes) {
        ObjectNode out = Http.JSON.createObjectNode();
        attributes.forEach((k, v) -> {
            ObjectNode a = out.putObject(k);
            if (v.stringValue() != null) {
                a.put("StringValue", v.stringValue());
            }
            if (v.binaryValue() != null) {
                a.put("BinaryValue", v.binaryValue());
            }
            a.put("DataType", v.dataType());
        });
        return out;
    }

    /** Parses a request's message attributes, with SQS's checks. */
    static Map<String, MessageQueues.Attribute> parseAttributes(JsonNode node) {
        Map<String, MessageQueues.Attribute> out = new LinkedHashMap<>();
        if (node == null || !node.isObject()) {
            return out;
        }
        if (node.size() > 10) {
            throw SqsErrors.invalidParameter("Number of message attributes [" + node.size() + "] exceeds the allowed maximum [10].");
        }
        node.fields().forEachRemaining(e -> {
            String name = e.getKey();
            JsonNode v = e.getValue();
            String type = v.hasNonNull("DataType") ? v.get("DataType").asText() : "";
            if (type.isEmpty()) {
                throw SqsErrors.invalidParameter("The message attribute '" + name + "' must contain non-empty message attribute type.");
            }
            String base = type.split("\\.", 2)[0];
            switch (base) {
                case "String", "Number" -> {
                    String s = v.hasNonNull("StringValue") ? v.get("StringValue").asText() : "";
                    if (s.isEmpty()) {
                        throw SqsErrors.invalidParameter("Message (user) attribute '" + name
                                + "' must contain a non-empty value of type '" + base + "'.");
                    }
                    out.put(name, new MessageQueues.Attribute(type, s, null));
                }
                case "Binary" -> {
                    String b = v.hasNonNull("BinaryValue") ? v.get("BinaryValue").asText() : "";
                    if (b.isEmpty()) {
                        throw SqsErrors.invalidParameter("Message (user) attribute '" + name
                                + "' must contain a non-empty value of type 'Binary'.");
                    }
                    try {
                        Base64.getDecoder().decode(b);
                    } catch (IllegalArgumentException bad) {
                        throw SqsErrors.invalidParameter("Message (user) attribute '" + name + "' has an invalid binary value.");
                    }
                    out.put(name, new MessageQueues.Attribute(type, null, b));
                }
                default -> throw SqsErrors.invalidParameter("The type of message (user) attribute '" + name
                        + "' is invalid. You must use only the following supported type prefixes: Binary, Number, String.");
            }
        });
        return out;
    }

    /** Keeps the message attributes whose names were asked for: {@code All}, {@code .*}, {@code prefix.*} or exact. */
    static Map<String, MessageQueues.Attribute> selectAttributes(Map<String, MessageQueues.Attribute> all, List<String> names) {
        Map<String, MessageQueues.Attribute> out = new LinkedHashMap<>();
        Set<String> exact = new HashSet<>(names);
        // "*" selects every attribute, as "All" and ".*" do (recorded AWS responses)
        if (exact.contains("*")) {
            exact.add("All");
        }
        for (Map.Entry<String, MessageQueues.Attribute> e : all.entrySet()) {
            boolean match = exact.contains("All") || exact.contains(".*") || exact.contains(e.getKey())
                    || names.stream().anyMatch(n -> n.endsWith(".*") && e.getKey().startsWith(n.substring(0, n.length() - 2)));
            if (match) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** The body check SQS makes: only the XML character ranges it allows. */
    static void checkBody(String body) {
        for (int i = 0; i < body.length(); ) {
            int c = body.codePointAt(i);
            boolean ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                    || (c >= 0x10000 && c <= 0x10FFFF);
            if (!ok) {
                throw new AwsException(400, "InvalidMessageContents", "Invalid binary character '#x" + Integer.toHexString(c).toUpperCase()
                        + "' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | "
                        + "#xE000 to #xFFFD | #x10000 to #x10FFFF");
            }
            i += Character.charCount(c);
        }
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    static ArrayNode array() {
        return Http.JSON.createArrayNode();
    }
}
