package dev.livestack.logtail;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential back-off with jitter, from a first pause up to a cap; reset after a success. */
final class Backoff {
    private final long firstMs;
    private final long maxMs;
    private long nextMs;

    Backoff(Duration first, Duration max) {
        this.firstMs = Math.max(1, first.toMillis());
        this.maxMs = Math.max(firstMs, max.toMillis());
        this.nextMs = firstMs;
    }

    /** The pause before the next try; each call doubles the following one, up to the cap. */
    Duration next() {
        long base = nextMs;
        nextMs = Math.min(maxMs, nextMs * 2);
        // Full jitter on the upper half keeps several pollers from retrying in step.
        long jittered = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        return Duration.ofMillis(Math.max(1, jittered));
    }

    void reset() {
        nextMs = firstMs;
    }
}
