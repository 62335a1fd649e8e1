package dev.livestack.logtail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogTailOptionsTest {

    @Test
    void defaultsPollFastAndUseFullSessions() {
        LogTailOptions d = LogTailOptions.defaults();
        assertEquals(Duration.ofMillis(150), d.pollInterval());
        assertEquals(10, d.groupsPerSession());
        assertEquals(Duration.ofSeconds(2), d.withPollInterval(Duration.ofSeconds(2)).pollInterval());
        assertEquals(3, d.withGroupsPerSession(3).groupsPerSession());
    }

    @Test
    void badValuesAreRefusedByName() {
        LogTailOptions d = LogTailOptions.defaults();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.withPollInterval(Duration.ZERO));
        assertTrue(e.getMessage().startsWith("pollInterval"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.withGroupsPerSession(11));
        assertTrue(e.getMessage().startsWith("groupsPerSession must be 1..10"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.withGroupsPerSession(0));
        assertThrows(IllegalArgumentException.class, () -> new LogTailOptions(d.pollInterval(), Duration.ofSeconds(-1),
                d.maxBackoff(), 10, d.missingGroupRetry(), d.renewalOverlap()));
        assertThrows(NullPointerException.class, () -> new LogTailOptions(null, d.pollLookback(),
                d.maxBackoff(), 10, d.missingGroupRetry(), d.renewalOverlap()));
    }

    @Test
    void logLinesRejectMissingParts() {
        Instant t = Instant.EPOCH;
        assertThrows(IllegalArgumentException.class, () -> new LogLine(" ", "s", t, "m", null, null));
        assertThrows(NullPointerException.class, () -> new LogLine("g", null, t, "m", null, null));
        assertThrows(NullPointerException.class, () -> new LogLine("g", "s", null, "m", null, null));
        assertThrows(NullPointerException.class, () -> new LogLine("g", "s", t, null, null, null));
        assertEquals("m", new LogLine("g", "", t, "m", null, null).message());
    }
}
