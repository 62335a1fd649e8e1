package dev.livestack.localcloud;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/** {@link TestControls} over the admin API's HTTP routes. */
final class HttpTestControls implements TestControls {
    private final URI endpoint;
    private final Path stateDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpTestControls(URI endpoint, Path stateDir) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
    }

    static String token(Path stateDir) {
        Path file = stateDir.resolve(LocalCloud.ADMIN_TOKEN_FILE);
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read local-cloud's admin token " + file + "; is local-cloud running for "
                    + stateDir + "?", e);
        }
    }

    @Override
    public void addLatency(String service, String operation, Duration latency) {
        Objects.requireNonNull(latency, "latency");
        ObjectNode body = Http.JSON.createObjectNode()
                .put("service", Objects.requireNonNull(service, "service"))
                .put("operation", Objects.requireNonNull(operation, "operation"))
                .put("millis", latency.toMillis());
        call("POST", "/_localcloud/latency", body);
    }

    @Override
    public void failNext(String service, String operation, int count, Fault fault) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        ObjectNode body = Http.JSON.createObjectNode()
                .put("service", Objects.requireNonNull(service, "service"))
                .put("operation", Objects.requireNonNull(operation, "operation"))
                .put("count", count)
                .put("kind", switch (Objects.requireNonNull(fault, "fault")) {
                    case THROTTLING -> "throttling";
                    case HTTP_500 -> "500";
                    case HTTP_503 -> "503";
                    case CONNECTION_RESET -> "reset";
                });
        call("POST", "/_localcloud/failures", body);
    }

    @Override
    public void failResource(String logicalIdOrType, String reason) {
        if (logicalIdOrType == null || logicalIdOrType.isBlank()) {
            throw new IllegalArgumentException("logicalIdOrType must not be blank");
        }
        ObjectNode body = Http.JSON.createObjectNode();
        body.put(logicalIdOrType.contains("::") ? "type" : "logicalId", logicalIdOrType);
        body.put("reason", Objects.requireNonNull(reason, "reason"));
        call("POST", "/_localcloud/resource-failures", body);
    }

    @Override
    public void failRollback(String logicalIdOrType, String reason, int count) {
        if (logicalIdOrType == null || logicalIdOrType.isBlank()) {
            throw new IllegalArgumentException("logicalIdOrType must not be blank");
        }
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        ObjectNode body = Http.JSON.createObjectNode();
        body.put(logicalIdOrType.contains("::") ? "type" : "logicalId", logicalIdOrType);
        body.put("reason", Objects.requireNonNull(reason, "reason"));
        body.put("count", count);
        call("POST", "/_localcloud/rollback-failures", body);
    }

    @Override
    public void clearFaults() {
        call("DELETE", "/_localcloud/faults", null);
    }

    @Override
    public void reset() {
        call("POST", "/_localcloud/reset", null);
    }

    @Override
    public void advanceSchedules(Duration by) {
        if (by == null || by.isNegative()) {
            throw new IllegalArgumentException("by must be zero or positive, was " + by);
        }
        call("POST", "/_localcloud/events/clock", Http.JSON.createObjectNode().put("advanceSeconds", by.toSeconds()));
    }

    private void call(String method, String path, ObjectNode body) {
        try {
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(Http.JSON.writeValueAsBytes(body));
            HttpRequest request = HttpRequest.newBuilder(endpoint.resolve(path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header(LocalCloud.ADMIN_TOKEN_HEADER, token(stateDir))
                    .method(method, publisher)
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("local-cloud test control " + method + " " + path + " failed: HTTP "
                        + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach local-cloud at " + endpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted calling local-cloud", e);
        }
    }
}
