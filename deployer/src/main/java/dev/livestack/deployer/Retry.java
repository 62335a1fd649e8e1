package dev.livestack.deployer;

import java.io.IOException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Retries of transient failures on top of the SDK's own: throttling, 5xx, network faults (connection refused or reset,
 * timeouts) and Lambda's 409 "an update is in progress" conflict, with exponential backoff and full jitter. Each retry
 * is reported, so a retry is never silent. Client-side failures that would fail the same way again (credentials,
 * unknown host, TLS, marshalling) are not retried.
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
            // Only a fault of the network between here and the endpoint goes away by itself. A credential provider
            // that failed (an expired SSO session, a credential_process that exits non-zero), a host name that does
            // not resolve, a certificate that does not verify or a request that cannot be marshalled fail the same
            // way on every attempt: retrying them only hides the cause behind minutes of backoff.
            if (credentialsFailure(e) || causedBy(e, UnknownHostException.class) || causedBy(e, SSLException.class)) {
                return null;
            }
            Throwable network = firstCause(e, IOException.class);
            if (network == null && causedBy(e, ApiCallAttemptTimeoutException.class)) {
                network = firstCause(e, ApiCallAttemptTimeoutException.class);
            }
            if (network == null) {
                return null;
            }
            return "connection failed: " + String.valueOf(network.getMessage()).lines().findFirst().orElse(network.getClass().getSimpleName());
        }
        return null;
    }

    /**
     * Whether the failure came from resolving credentials (a credential or token provider threw), rather than from the
     * call itself. The SDK throws these as they come ({@code IllegalStateException} from a credential_process,
     * {@code SdkClientException} from SSO), so what tells them apart is where they were thrown.
     */
    static boolean credentialsFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (StackTraceElement f : t.getStackTrace()) {
                String c = f.getClassName();
                if (c.startsWith("software.amazon.awssdk.auth.credentials.") || c.startsWith("software.amazon.awssdk.auth.token.")
                        || c.startsWith("software.amazon.awssdk.services.sso.auth.") || c.startsWith("software.amazon.awssdk.services.ssooidc.")
                        || c.startsWith("software.amazon.awssdk.services.sts.auth.")) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        return firstCause(e, type) != null;
    }

    private static Throwable firstCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
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
