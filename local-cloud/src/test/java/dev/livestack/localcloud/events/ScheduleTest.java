package dev.livestack.localcloud.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScheduleTest {
    @ParameterizedTest
    @ValueSource(strings = {"rate(10 seconds)", "rate(10 years)", "rate(1 minutes)", "rate(1 hours)", "rate(1 days)",
            "rate(10 minute)", "rate(10 hour)", "rate(10 day)", "rate()", "rate(10)", "rate(10 minutess)", "rate(foo minutes)",
            "rate(0 minutes)", "rate(-10 minutes)", "rate(10 MINUTES)", "rate( 10 minutes )", " rate(10 minutes)",
            "cron(0 1 * * * *)", "cron(7 20 * * NOT *)", "cron(INVALID)", "cron(0 dummy ? * MON-FRI *)", "cron(71 8 1 * ? *)",
            "cron(0 12 ? * ? *)", "cron(0 12 * *)", "at(2026-01-01T00:00:00)"})
    void refusesWhatEventBridgeRefuses(String expression) {
        assertNull(Schedule.parse(expression), expression);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rate(1 minute)", "rate(5 minutes)", "rate(1 hour)", "rate(2 days)", "cron(0 2 ? * SAT *)",
            "cron(0 12 * * ? *)", "cron(5,35 14 * * ? *)", "cron(15 10 ? * 6L 2002-2005)", "cron(0 2 ? * SAT#3 *)",
            "cron(0/5 5 ? JAN 1-5 2022)", "cron(0 18 ? * MON-FRI *)", "cron(0 8 1 * ? *)", "cron(0/15 * * * ? *)",
            "cron(0/30 20-23 ? * MON-FRI *)", "cron(0 9 L * ? *)", "cron(0 9 15W * ? *)"})
    void acceptsWhatEventBridgeAccepts(String expression) {
        assertNotNull(Schedule.parse(expression), expression);
    }

    @ParameterizedTest
    @CsvSource({
            "cron(0 12 * * ? *), 2026-12-06T00:29:00Z, 2026-12-06T12:00:00Z",
            "cron(0 12 * * ? *), 2026-12-06T12:00:00Z, 2026-12-07T12:00:00Z",
            "cron(0/15 * * * ? *), 2026-12-06T00:29:10Z, 2026-12-06T00:30:00Z",
            "cron(0 18 ? * MON-FRI *), 2026-12-05T19:00:00Z, 2026-12-07T18:00:00Z", // Saturday → Monday
            "cron(0 2 ? * SAT#3 *), 2026-12-01T00:00:00Z, 2026-12-19T02:00:00Z",
            "cron(15 10 ? * 6L *), 2026-12-01T00:00:00Z, 2026-12-25T10:15:00Z", // last Friday
            "cron(0 9 L * ? *), 2026-02-03T00:00:00Z, 2026-02-28T09:00:00Z",
            "cron(0 9 1 JAN ? 2027), 2026-12-06T00:00:00Z, 2027-01-01T09:00:00Z"})
    void cronFallsDueWhenAwsWould(String expression, String after, String expected) {
        assertEquals(Instant.parse(expected), Schedule.parse(expression).next(Instant.parse(after)));
    }

    @ParameterizedTest
    @CsvSource({"2026-12-06T00:00:00Z, 2026-12-06T00:05:00Z", "2026-12-06T00:04:59Z, 2026-12-06T00:05:00Z",
            "2026-12-06T00:05:00Z, 2026-12-06T00:10:00Z"})
    void rateCountsFromItsOrigin(String after, String expected) {
        Schedule.Rate rate = (Schedule.Rate) Schedule.parse("rate(5 minutes)");
        rate.origin = Instant.parse("2026-12-06T00:00:00Z");
        assertEquals(Instant.parse(expected), rate.next(Instant.parse(after)));
    }

    @org.junit.jupiter.api.Test
    void aCronWhoseYearsHavePassedNeverFiresAgain() {
        assertNull(Schedule.parse("cron(0/5 5 ? JAN 1-5 2022)").next(Instant.parse("2026-12-06T00:00:00Z")));
    }
}
