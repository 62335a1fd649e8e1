package dev.livestack.logtail;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Live-tail sessions that time out (SessionTimeoutException) are renewed without losing or repeating a line. */
class LiveTailRenewalIT {

    @Test
    void linesWrittenAcrossSeveralSessionTimeoutsArriveOnceInOrder() throws Exception {
        renewWhileWriting(Duration.ofMillis(1200), 4500, 2);
    }

    /** Sessions so short that renewals, gap fills and buffers overlap all the time. */
    @Test
    void veryShortSessionsStillLoseAndRepeatNothing() throws Exception {
        renewWhileWriting(Duration.ofMillis(300), 3000, 4);
    }

    /**
     * Events stamped 30 s in the past, as a CloudWatch clock 30 s behind this machine's would stamp them: the
     * gap a renewal fills is anchored on the newest event delivered, not only on this machine's clock.
     */
    @Test
    void aCloudWatchClockBehindOursLosesNothingAcrossRenewals() throws Exception {
        renewWhileWriting(Duration.ofMillis(1000), 3500, 2, Duration.ofSeconds(-30));
    }

    private static void renewWhileWriting(Duration limit, long writeMillis, int minRenewals) throws Exception {
        renewWhileWriting(limit, writeMillis, minRenewals, Duration.ZERO);
    }

    private static void renewWhileWriting(Duration limit, long writeMillis, int minRenewals, Duration skew)
            throws Exception {
        try (LocalLogs local = new LocalLogs()) {
            local.liveTailSessionLimit(limit);
            List<String> groups = List.of("/aws/lambda/renew-a", "/aws/lambda/renew-b");
            for (String g : groups) {
                local.createStream(g, "s1");
                local.createStream(g, "s2");
            }
            String run = UUID.randomUUID().toString().substring(0, 8);
            List<String> expected = new ArrayList<>();
            Collector c = new Collector();
            try (LogTailer tailer = LogTailer.create(local.logs, local.async, LogTailOptions.defaults());
                 Subscription sub = tailer.follow(groups, Instant.now().plus(skew), null, c::line, c::status)) {
                assertTrue(sub.awaitCaughtUp(Duration.ofSeconds(20)));
                long end = System.currentTimeMillis() + writeMillis;
                int i = 0;
                while (System.currentTimeMillis() < end) {
                    for (String g : groups) {
                        for (String s : List.of("s1", "s2")) {
                            String m = run + " " + g + " " + s + " #" + i;
                            if (skew.isZero()) {
                                local.put(g, s, m);
                            } else {
                                local.putAt(g, s, Instant.now().plus(skew), m);
                            }
                            expected.add(m);
                        }
                    }
                    i++;
                    Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(25));
                }
                assertTrue(c.awaitLines(l -> l.message().startsWith(run), expected.size(), Duration.ofSeconds(20)),
                        "got " + c.lines().size() + " of " + expected.size());
                Thread.sleep(1500);
            }
            LogTailIT.assertExactlyOnceInOrder(c, run, expected);
            long renewals = c.events().stream().filter(e -> e instanceof TailEvent.LiveTailRenewed r
                    && r.reason().equals("session timed out")).count();
            assertTrue(renewals >= minRenewals, "sessions renewed after timing out: " + c.events());
        }
    }
}
