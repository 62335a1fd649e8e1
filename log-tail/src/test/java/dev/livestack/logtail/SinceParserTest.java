package dev.livestack.logtail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SinceParserTest {
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final ZoneId ZONE = ZoneOffset.ofHours(2);

    @ParameterizedTest
    @CsvSource({
        "10m, PT10M", "2h, PT2H", "30s, PT30S", "1d, PT24H", "1w, PT168H", "1h30m, PT1H30M", "500ms, PT0.5S",
        "PT15M, PT15M", "pt1h, PT1H", "10M, PT10M", "0s, PT0S"
    })
    void durationsCountBackFromNow(String text, String expected) {
        assertEquals(NOW.minus(Duration.parse(expected)), SinceParser.parse(text, NOW, ZONE));
    }

    @ParameterizedTest
    @CsvSource({
        "2026-11-21T10:00:00Z, 2026-11-21T10:00:00Z",
        "2026-11-21T10:00:00.250Z, 2026-11-21T10:00:00.250Z",
        "2026-11-21T11:00:00+01:00, 2026-11-21T10:00:00Z",
        "2026-11-21T10:00, 2026-11-21T08:00:00Z",
        "2026-11-21, 2026-11-20T22:00:00Z"
    })
    void timesAreReadInIsoForms(String text, String expected) {
        assertEquals(Instant.parse(expected), SinceParser.parse(text, NOW, ZONE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "ten minutes", "10", "10x", "-5m", "m10", "2026-13-01", "yesterday", "PT-5M"})
    void unreadableTextIsRefusedWithWhatIsAccepted(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SinceParser.parse(text, NOW, ZONE));
        assertTrue(e.getMessage().startsWith("Cannot read --since"), e.getMessage());
        assertTrue(e.getMessage().contains("10m"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-22T00:00:00Z", "2027-01-01"})
    void aTimeInTheFutureIsRefused(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SinceParser.parse(text, NOW, ZONE));
        assertTrue(e.getMessage().contains("in the future"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999d", "9999999999999w"})
    void hugeDurationsAreRefusedNotOverflowed(String text) {
        assertThrows(IllegalArgumentException.class, () -> SinceParser.parse(text, NOW, ZONE));
    }
}
