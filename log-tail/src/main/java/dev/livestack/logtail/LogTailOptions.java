package dev.livestack.logtail;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link LogTailer} polls and streams.
 *
 * @param pollInterval the pause between FilterLogEvents rounds when polling
 * @param pollLookback how far before the newest event seen each poll looks again, for events ingested
 *                     late with an earlier timestamp (repeats are dropped by event id)
 * @param maxBackoff the longest pause after throttling or a server error
 * @param groupsPerSession log groups per live-tail session (StartLiveTail takes at most 10)
 * @param missingGroupRetry how often a log group that does not exist yet is looked for again
 * @param renewalOverlap how far back a renewed live-tail session fills the gap since the previous one
 */
public record LogTailOptions(Duration pollInterval, Duration pollLookback, Duration maxBackoff, int groupsPerSession,
                             Duration missingGroupRetry, Duration renewalOverlap) {
    /** StartLiveTail's limit on log groups per session. */
    public static final int MAX_GROUPS_PER_SESSION = 10;

    public LogTailOptions {
        positive(pollInterval, "pollInterval");
        Objects.requireNonNull(pollLookback, "pollLookback");
        if (pollLookback.isNegative()) {
            throw new IllegalArgumentException("pollLookback must not be negative, was " + pollLookback);
        }
        positive(maxBackoff, "maxBackoff");
        if (groupsPerSession < 1 || groupsPerSession > MAX_GROUPS_PER_SESSION) {
            throw new IllegalArgumentException("groupsPerSession must be 1.." + MAX_GROUPS_PER_SESSION
                    + ", was " + groupsPerSession);
        }
        positive(missingGroupRetry, "missingGroupRetry");
        Objects.requireNonNull(renewalOverlap, "renewalOverlap");
        if (renewalOverlap.isNegative()) {
            throw new IllegalArgumentException("renewalOverlap must not be negative, was " + renewalOverlap);
        }
    }

    /** Poll every 150 ms with a 5 s look-back, back off up to 5 s, 10 groups per session, look for missing groups every 250 ms. */
    public static LogTailOptions defaults() {
        return new LogTailOptions(Duration.ofMillis(150), Duration.ofSeconds(5), Duration.ofSeconds(5),
                MAX_GROUPS_PER_SESSION, Duration.ofMillis(250), Duration.ofSeconds(10));
    }

    /** The same options with another poll interval. */
    public LogTailOptions withPollInterval(Duration interval) {
        return new LogTailOptions(interval, pollLookback, maxBackoff, groupsPerSession, missingGroupRetry, renewalOverlap);
    }

    /** The same options with another number of log groups per live-tail session. */
    public LogTailOptions withGroupsPerSession(int groups) {
        return new LogTailOptions(pollInterval, pollLookback, maxBackoff, groups, missingGroupRetry, renewalOverlap);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
