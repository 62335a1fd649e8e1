package dev.livestack.deployer;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Retries of transient failures on top of the SDK's own: throttling, 5xx, connection resets and Lambda's 409
 * "an update is in progress" conflict, with exponential backoff and full jitter. Each retry is reported, so
 * a retry is never silent.
 */
final class Retry {
    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;

    Retry(int maxAttempts, Duration baseDelay, Duration maxDelay) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
    }

    /** Reports one retry. */
    interface Listener {
        void retrying(String operation, int attempt, String reason, Duration delay);
    }

    <T> T call(String operation, Listener listener, Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (SdkException e) {
                String reason = transientReason(e);
                if (reason == null || attempt >= maxAttempts) {
                    throw e;
                }
                Duration delay = delay(attempt);
                listener.retrying(operation, attempt, reason, delay);
                sleep(delay);
            }
        }
    }

    void run(String operation, Listener listener, Runnable call) {
        call(operation, listener, () -> {
            call.run();
            return null;
        });
    }

    Duration delay(int attempt) {
        long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() * (1L << Math.min(attempt - 1, 20)));
        long half = Math.max(1, cap / 2);
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    /** Why the failure is transient, or {@code null} when it is not. */
    static String transientReason(SdkException e) {
        if (e instanceof AwsServiceException a) {
            int status = a.statusCode();
            String code = a.awsErrorDetails() == null ? "" : String.valueOf(a.awsErrorDetails().errorCode());
            if (a.isThrottlingException() || status == 429 || code.contains("Throttl") || code.equals("TooManyRequestsException")) {
                return "throttled (" + code + ")";
            }
            if (status >= 500) {
                return "HTTP " + status + (code.isEmpty() || code.equals("null") ? "" : " " + code);
            }
            if (status == 409 && code.equals("ResourceConflictException")) {
                return "update in progress (409 ResourceConflictException)";
            }
            return null;
        }
        if (e instanceof SdkClientException) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("Unable to marshall") || m.contains("Unable to unmarshall")) {
                return null;
            }
            return "connection failed: " + m.lines().findFirst().orElse("");
        }
        return null;
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(Math.max(0, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
