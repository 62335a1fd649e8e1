package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** {@link Retry}: which failures are transient, the backoff, the attempts. */
class RetryTest {

    @Test
    void retryClassifiesTransientFailures() {
        assertTrue(Retry.transientReason(service(400, "Throttling")).startsWith("throttled"));
        assertTrue(Retry.transientReason(service(429, "TooManyRequestsException")).startsWith("throttled"));
        assertTrue(Retry.transientReason(service(503, "ServiceUnavailable")).startsWith("HTTP 503"));
        assertTrue(Retry.transientReason(service(409, "ResourceConflictException")).contains("409"));
        assertTrue(Retry.transientReason(SdkClientException.create("Unable to execute HTTP request",
                new java.net.SocketException("Connection reset"))).startsWith("connection failed: Connection reset"));
        assertNull(Retry.transientReason(SdkClientException.create("Unable to unmarshall response")), "no network fault, no retry");
        assertNull(Retry.transientReason(SdkClientException.create("Unable to execute HTTP request",
                new javax.net.ssl.SSLHandshakeException("PKIX path building failed"))), "a certificate does not fix itself");
        assertNull(Retry.transientReason(service(400, "ValidationError")));
        assertNull(Retry.transientReason(service(404, "ResourceNotFoundException")));
        Retry r = new Retry(3, Duration.ofMillis(10), Duration.ofMillis(40));
        for (int a = 1; a < 10; a++) {
            long d = r.delay(a).toMillis();
            assertTrue(d >= 1 && d <= 40, "delay " + d);
        }
        int[] calls = {0};
        List<String> reported = new java.util.ArrayList<>();
        String v = r.call("Op", (op, attempt, reason, delay) -> reported.add(op + "#" + attempt), () -> {
            if (++calls[0] < 3) {
                throw service(500, "InternalFailure");
            }
            return "ok";
        });
        assertEquals("ok", v);
        assertEquals(List.of("Op#1", "Op#2"), reported);
        calls[0] = 0;
        assertThrows(AwsServiceException.class, () -> r.call("Op", (op, attempt, reason, delay) -> { }, () -> {
            calls[0]++;
            throw service(500, "InternalFailure");
        }));
        assertEquals(3, calls[0]);
    }

    private static AwsServiceException service(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build()).build();
    }
}
