package dev.livestack.localcloud.core;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which Host and Origin values local-cloud serves. */
class RequestGuardTest {
    private final RequestGuard guard = new RequestGuard(4566, List.of("https://console.example"));

    private static AwsRequest request(String host, String origin) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (host != null) {
            headers.put("host", List.of(host));
        }
        if (origin != null) {
            headers.put("origin", List.of(origin));
        }
        return new AwsRequest("s3", "us-east-1", "GET", "/", Map.of(), headers, new byte[0], null, "id");
    }

    @Test
    void theLoopbackNamesWithTheirPortAreServed() {
        for (String host : List.of("127.0.0.1:4566", "localhost:4566", "LocalHost:4566", "[::1]:4566", "bucket.localhost:4566",
                "a.b-c.localhost:4566")) {
            assertNull(guard.refusal(request(host, null)), host);
        }
    }

    @Test
    void anyOtherHostIsRefused() {
        for (String host : List.of("evil.example:4566", "127.0.0.1:4567", "127.0.0.1", "localhost", "localhost.evil.example:4566",
                "evil.example:4566.localhost:4566", "127.0.0.2:4566", "0.0.0.0:4566", "[::]:4566", "")) {
            String refusal = guard.refusal(request(host, null));
            assertNotNull(refusal, host);
            assertTrue(refusal.contains("127.0.0.1:4566"), refusal);
        }
        assertNotNull(guard.refusal(request(null, null)), "no Host at all");
        Map<String, List<String>> two = new LinkedHashMap<>(Map.of("host", List.of("127.0.0.1:4566", "evil.example:4566")));
        assertNotNull(guard.refusal(new AwsRequest("s3", "us-east-1", "GET", "/", Map.of(), two, new byte[0], null, "id")));
    }

    @Test
    void loopbackAndAllowedOriginsAreServedAndNoOtherOne() {
        for (String origin : List.of("http://localhost:3000", "http://127.0.0.1", "https://[::1]:8443", "http://app.localhost:5173",
                "https://console.example", "HTTPS://CONSOLE.EXAMPLE/")) {
            assertNull(guard.refusal(request("127.0.0.1:4566", origin)), origin);
        }
        for (String origin : List.of("https://evil.example", "null", "https://console.example:8443", "http://console.example",
                "https://console.example.evil", "http://localhost.evil.example", "file://")) {
            String refusal = guard.refusal(request("127.0.0.1:4566", origin));
            assertNotNull(refusal, origin);
            assertTrue(refusal.contains("--allow-origin"), refusal);
        }
    }
}
