package dev.livestack.localcloud.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The awsJson protocols (1.1 by default; a service on 1.0 overrides {@link #contentType()}): {@code POST /} with {@code X-Amz-Target: Prefix.Operation} and a JSON body,
 * answered with JSON; errors as {@code {"__type": code, "message": …}}.
 */
public abstract class JsonService implements AwsService {
    public static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    /** The protocol's content type: awsJson1_1 unless the service speaks 1.0. */
    public String contentType() {
        return CONTENT_TYPE;
    }

    /**
     * The {@code X-Amz-Target} prefix this service answers (e.g. {@code Logs_20140328.}); a request with another
     * target is an UnknownOperationException. Null (the default) accepts any target.
     */
    protected String targetPrefix() {
        return null;
    }

    /** Whether error responses carry {@code x-amzn-ErrorType} besides the body's {@code __type} (Logs' do not). */
    protected boolean errorTypeHeader() {
        return true;
    }

    /**
     * Runs one operation on its parsed input and returns the output object, or null when the operation wrote its
     * own (streaming) answer to the exchange.
     */
    public abstract ObjectNode call(String operation, JsonNode input, AwsRequest request) throws IOException;

    @Override
    public void handle(AwsRequest request) throws IOException {
        String prefix = targetPrefix();
        if (prefix != null) {
            String target = request.header("x-amz-target");
            if (target == null || !target.startsWith(prefix)) {
                throw new AwsException(400, "UnknownOperationException", null);
            }
        }
        String operation = Operations.of(request);
        JsonNode input;
        try {
            input = request.body().length == 0 ? Http.JSON.createObjectNode() : Http.JSON.readTree(request.body());
        } catch (IOException e) {
            throw new AwsException(400, "SerializationException", "Start of structure or map found where not expected.");
        }
        if (input == null || !input.isObject()) {
            throw new AwsException(400, "SerializationException", "Start of structure or map found where not expected.");
        }
        ObjectNode out = call(operation, input, request);
        if (out == null) {
            return;
        }
        request.exchange().getResponseHeaders().set("x-amzn-RequestId", request.requestId());
        Http.json(request.exchange(), 200, out, contentType());
    }

    @Override
    public void renderError(AwsRequest request, AwsException error) throws IOException {
        ObjectNode body = Http.JSON.createObjectNode();
        body.put("__type", error.code());
        body.put("message", error.getMessage());
        request.exchange().getResponseHeaders().set("x-amzn-RequestId", request.requestId());
        if (errorTypeHeader()) {
            request.exchange().getResponseHeaders().set("x-amzn-ErrorType", error.code());
        }
        Http.json(request.exchange(), error.status(), body, contentType());
    }

    public static String text(JsonNode input, String field) {
        JsonNode n = input.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    public static String required(JsonNode input, String field) {
        String v = text(input, field);
        if (v == null) {
            throw new AwsException(400, "ValidationException", ValidationErrors.missing(
                    Character.toLowerCase(field.charAt(0)) + field.substring(1)));
        }
        return v;
    }
}
