package dev.livestack.logtail;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void pausesDoubleUpToTheCapWithJitterAndResetAfterSuccess() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
        long[] bases = {100, 200, 400, 800, 1000, 1000};
        for (long base : bases) {
            long ms = b.next().toMillis();
            assertTrue(ms >= base / 2 && ms <= base, ms + " within [" + base / 2 + ", " + base + "]");
        }
        b.reset();
        assertTrue(b.next().toMillis() <= 100);
    }
}
