package dev.livestack.localcloud.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Collection;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The test controls: a JSON API under {@code /_localcloud/}, off every AWS path, that injects faults and resets
 * state. Its calls are unsigned; the server lets them in only with this instance's admin token (docs/security.md).
 * See docs/local-cloud.md for the routes.
 */
public final class AdminService implements AwsService {
    private final CloudContext context;
    private final Supplier<Collection<AwsService>> services;

    public AdminService(CloudContext context, Supplier<Collection<AwsService>> services) {
        this.context = context;
        this.services = services;
    }

    @Override
    public String signingName() {
        return "localcloud";
    }

    @Override
    public void handle(AwsRequest request) throws IOException {
        String route = request.method() + " " + request.path().replaceAll("/+$", "");
        JsonNode in = request.body().length == 0 ? Http.JSON.createObjectNode() : parse(request.body());
        ObjectNode out = Http.JSON.createObjectNode();
        Faults faults = context.faults();
        switch (route) {
            case "GET /_localcloud/health" -> {
                out.put("status", "ok");
                out.put("endpoint", context.endpoint().toString());
                var names = out.putArray("services");
                services.get().stream().map(AwsService::signingName).sorted().forEach(names::add);
            }
            case "POST /_localcloud/latency" -> faults.addLatency(text(in, "service", "*"), text(in, "operation", "*"),
                    number(in, "millis"));
            case "POST /_localcloud/failures" -> faults.failCalls(text(in, "service", "*"), text(in, "operation", "*"),
                    kind(text(in, "kind", "throttling")), count(in));
            case "POST /_localcloud/resource-failures" -> faults.failResource(resourceMatch(in),
                    text(in, "reason", "Resource failed (local-cloud test control)"), count(in));
            case "POST /_localcloud/rollback-failures" -> faults.failRollback(resourceMatch(in),
                    text(in, "reason", "Rollback failed (local-cloud test control)"), count(in));
            case "GET /_localcloud/faults" -> out = faults.describe();
            case "DELETE /_localcloud/faults" -> faults.clear();
            case "POST /_localcloud/reset" -> {
                faults.clear();
                for (AwsService s : services.get()) {
                    s.reset();
                }
            }
            default -> {
                for (AwsService s : services.get()) {
                    if (s != this && s.admin(request, route)) {
                        return;
                    }
                }
                throw new AwsException(404, "NotFound", "no test control at " + route);
            }
        }
        Http.json(request.exchange(), 200, out, "application/json");
    }

    @Override
    public void renderError(AwsRequest request, AwsException error) throws IOException {
        ObjectNode body = Http.JSON.createObjectNode();
        body.put("code", error.code());
        body.put("message", error.getMessage());
        Http.json(request.exchange(), error.status(), body, "application/json");
    }

    private static JsonNode parse(byte[] body) {
        try {
            return Http.JSON.readTree(body);
        } catch (IOException e) {
            throw new AwsException(400, "ValidationException", "body is not JSON: " + e.getMessage());
        }
    }

    private static String text(JsonNode in, String field, String fallback) {
        JsonNode n = in.get(field);
        return n == null || n.isNull() ? fallback : n.asText();
    }

    private static long number(JsonNode in, String field) {
        JsonNode n = in.get(field);
        if (n == null || !n.canConvertToLong() || n.asLong() < 0) {
            throw new AwsException(400, "ValidationException", field + " must be a number of milliseconds >= 0");
        }
        return n.asLong();
    }

    /** How many calls a fault hits: at least one. */
    private static int count(JsonNode in) {
        return (int) Math.max(1, in.path("count").asLong(1));
    }

    /** Which resources a resource or rollback failure hits: a logical id, else a type. */
    private static String resourceMatch(JsonNode in) {
        String match = text(in, "logicalId", text(in, "type", null));
        if (match == null) {
            throw new AwsException(400, "ValidationException", "logicalId or type is required");
        }
        return match;
    }

    private static Faults.Kind kind(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "throttling", "throttle" -> Faults.Kind.THROTTLING;
            case "500", "http_500" -> Faults.Kind.HTTP_500;
            case "503", "http_503" -> Faults.Kind.HTTP_503;
            case "reset", "connection_reset" -> Faults.Kind.CONNECTION_RESET;
            default -> throw new AwsException(400, "ValidationException",
                    "kind must be throttling, 500, 503 or reset, was " + text);
        };
    }
}
