package dev.livestack.logtail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestack.localcloud.TestControls;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** log-tail against local-cloud's CloudWatch Logs, with live tail and with polling. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogTailIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger GROUPS = new AtomicInteger();
    private LocalLogs local;

    @BeforeAll
    void start() throws Exception {
        local = new LocalLogs();
    }

    @AfterAll
    void stop() {
        if (local != null) {
            local.close();
        }
    }

    private LogTailer tailer(boolean live) {
        return LogTailer.create(local.logs, live ? local.async : null, LogTailOptions.defaults());
    }

    private static String group(String name) {
        return "/aws/lambda/it-" + name + "-" + GROUPS.incrementAndGet();
    }

    /**
     * Markers put before the follow (inside its window) and while it runs, in two groups and two streams each:
     * every one arrives exactly once, and each stream's in the order written.
     */
    @ParameterizedTest(name = "live tail: {0}")
    @ValueSource(booleans = {true, false})
    void everyMarkerArrivesOnceInOrderWithinItsStream(boolean live) throws Exception {
        List<String> groups = List.of(group("a"), group("b"));
        List<String> streams = List.of("2026/11/21/[$LATEST]aaaa", "2026/11/21/[$LATEST]bbbb");
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant since = Instant.now().minusSeconds(60);
        List<String> expected = new ArrayList<>();
        int before = 5;
        int during = 40;
        for (int i = 0; i < before; i++) {
            for (String g : groups) {
                for (String s : streams) {
                    String m = marker(run, g, s, i);
                    local.put(g, s, m);
                    expected.add(m);
                }
            }
        }
        Collector c = new Collector();
        try (LogTailer tailer = tailer(live);
             Subscription sub = tailer.follow(groups, since, null, c::line, c::status)) {
            assertTrue(sub.awaitCaughtUp(WAIT), "caught up");
            for (int i = before; i < before + during; i++) {
                for (String g : groups) {
                    for (String s : streams) {
                        String m = marker(run, g, s, i);
                        local.put(g, s, m);
                        expected.add(m);
                    }
                }
                if (i % 5 == 0) {
                    Thread.sleep(20);
                }
            }
            assertTrue(c.awaitLines(l -> l.message().startsWith(run), expected.size(), WAIT),
                    "got " + c.lines().size() + " of " + expected.size());
            // Late duplicates would show up within a few poll rounds.
            Thread.sleep(600);
        }
        assertExactlyOnceInOrder(c, run, expected);
        if (live) {
            assertTrue(c.events().stream().anyMatch(e -> e instanceof TailEvent.LiveTailStarted), c.events().toString());
            assertFalse(c.events().stream().anyMatch(e -> e instanceof TailEvent.PollingStarted), c.events().toString());
        } else {
            assertTrue(c.events().get(0) instanceof TailEvent.PollingStarted, c.events().toString());
        }
        for (LogLine l : c.lines()) {
            assertTrue(groups.contains(l.logGroup()), "group name, not an identifier: " + l.logGroup());
        }
    }

    @Test
    void moreThanTenGroupsAreSplitOverSeveralSessions() throws Exception {
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String g = group("many" + i);
            local.createStream(g, "s");
            groups.add(g);
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        Collector c = new Collector();
        List<String> expected = new ArrayList<>();
        try (LogTailer tailer = tailer(true);
             Subscription sub = tailer.follow(groups, null, null, c::line, c::status)) {
            assertTrue(sub.awaitCaughtUp(WAIT));
            for (int i = 0; i < 3; i++) {
                for (String g : groups) {
                    String m = marker(run, g, "s", i);
                    local.put(g, "s", m);
                    expected.add(m);
                }
            }
            assertTrue(c.awaitLines(l -> l.message().startsWith(run), expected.size(), WAIT),
                    "got " + c.lines().size() + " of " + expected.size());
            Thread.sleep(300);
        }
        assertExactlyOnceInOrder(c, run, expected);
        List<TailEvent.LiveTailStarted> sessions = c.events().stream()
                .filter(e -> e instanceof TailEvent.LiveTailStarted).map(e -> (TailEvent.LiveTailStarted) e).toList();
        assertEquals(2, sessions.size(), c.events().toString());
        assertEquals(12, sessions.stream().mapToInt(s -> s.logGroups().size()).sum());
        assertTrue(sessions.stream().allMatch(s -> s.logGroups().size() <= 10));
    }

    /** A function never invoked has no log group yet: the follow waits quietly and picks it up when it appears. */
    @ParameterizedTest(name = "live tail: {0}")
    @ValueSource(booleans = {true, false})
    void aLogGroupThatDoesNotExistYetIsWaitedFor(boolean live) throws Exception {
        String exists = group("exists");
        String later = group("later");
        local.createStream(exists, "s");
        String run = UUID.randomUUID().toString().substring(0, 8);
        Collector c = new Collector();
        try (LogTailer tailer = tailer(live);
             Subscription sub = tailer.follow(List.of(exists, later), Instant.now().minusSeconds(5), null,
                     c::line, c::status)) {
            assertTrue(sub.awaitCaughtUp(WAIT), "a missing group does not hold up the others");
            assertTrue(c.awaitEvent(e -> e.equals(new TailEvent.WaitingForLogGroup(later)), WAIT), c.events().toString());
            local.put(exists, "s", run + " first");
            assertTrue(c.awaitLines(l -> l.message().equals(run + " first"), 1, WAIT));
            Thread.sleep(500);
            // The function's first invocation creates the group and writes at once.
            local.put(later, "s", List.of(run + " cold 1", run + " cold 2"));
            local.put(later, "s", run + " cold 3");
            assertTrue(c.awaitLines(l -> l.message().startsWith(run + " cold"), 3, WAIT), c.messages().toString());
            assertTrue(c.awaitEvent(e -> e.equals(new TailEvent.LogGroupFound(later)), WAIT), c.events().toString());
            local.put(exists, "s", run + " after");
            local.put(later, "s", run + " after");
            assertTrue(c.awaitLines(l -> l.message().equals(run + " after"), 2, WAIT));
            Thread.sleep(400);
        }
        assertEquals(List.of(run + " first", run + " cold 1", run + " cold 2", run + " cold 3", run + " after", run + " after"),
                c.messages().stream().filter(m -> m.startsWith(run)).sorted((a, b) -> order(a) - order(b)).toList());
        assertEquals(6, c.messages().stream().filter(m -> m.startsWith(run)).count(), c.messages().toString());
        assertEquals(1, c.events().stream().filter(e -> e.equals(new TailEvent.WaitingForLogGroup(later))).count(),
                "said once, not once per poll: " + c.events());
        if (live) {
            // The group joined the partition's session: a renewal, whose gap fill and buffer overlap the old session.
            assertTrue(c.events().stream().anyMatch(e -> e instanceof TailEvent.LiveTailRenewed r
                    && r.reason().equals("log group appeared") && r.logGroups().contains(later)), c.events().toString());
        }
    }

    /** An event stamped an hour ahead must not hide the events written now. */
    @ParameterizedTest(name = "live tail: {0}")
    @ValueSource(booleans = {true, false})
    void anEventFromTheFutureHidesNothing(boolean live) throws Exception {
        String g = group("future");
        local.createStream(g, "s");
        String run = UUID.randomUUID().toString().substring(0, 8);
        Collector c = new Collector();
        try (LogTailer tailer = tailer(live);
             Subscription sub = tailer.follow(List.of(g), null, null, c::line, c::status)) {
            assertTrue(sub.awaitCaughtUp(WAIT));
            local.putAt(g, "future", Instant.now().plus(Duration.ofHours(1)), run + " from the future");
            assertTrue(c.awaitLines(l -> l.message().startsWith(run), 1, WAIT));
            for (int i = 0; i < 5; i++) {
                local.put(g, "s", run + " now #" + i);
                Thread.sleep(100);
            }
            assertTrue(c.awaitLines(l -> l.message().startsWith(run), 6, WAIT), c.messages().toString());
            Thread.sleep(400);
        }
        assertEquals(6, c.messages().stream().filter(m -> m.startsWith(run)).count(), c.messages().toString());
    }

    @Test
    void throttledPollsBackOffAndLoseNothing() throws Exception {
        String g = group("throttled");
        local.createStream(g, "s");
        String run = UUID.randomUUID().toString().substring(0, 8);
        TestControls controls = TestControls.of(local.cloud);
        Collector c = new Collector();
        try (LogTailer tailer = tailer(false);
             Subscription sub = tailer.follow(List.of(g), null, null, c::line, c::status)) {
            assertTrue(sub.awaitCaughtUp(WAIT));
            controls.failNext("logs", "FilterLogEvents", 12, TestControls.Fault.THROTTLING);
            for (int i = 0; i < 10; i++) {
                local.put(g, "s", run + " " + i);
            }
            assertTrue(c.awaitLines(l -> l.message().startsWith(run), 10, WAIT), c.messages().toString());
            Thread.sleep(400);
        } finally {
            controls.clearFaults();
        }
        assertTrue(c.events().stream().anyMatch(e -> e instanceof TailEvent.BackingOff b
                && b.operation().equals("FilterLogEvents") && b.reason().contains("Throttling")), c.events().toString());
        List<String> got = c.messages().stream().filter(m -> m.startsWith(run)).toList();
        assertEquals(10, got.size(), got.toString());
        for (int i = 0; i < 10; i++) {
            assertEquals(run + " " + i, got.get(i));
        }
    }

    @Test
    void whenLiveTailKeepsFailingTheFollowFallsBackToPolling() throws Exception {
        String g = group("fallback");
        local.createStream(g, "s");
        String run = UUID.randomUUID().toString().substring(0, 8);
        TestControls controls = TestControls.of(local.cloud);
        controls.failNext("logs", "StartLiveTail", 100, TestControls.Fault.HTTP_500);
        Collector c = new Collector();
        try (LogTailer tailer = tailer(true);
             Subscription sub = tailer.follow(List.of(g), Instant.now().minusSeconds(5), null, c::line, c::status)) {
            local.put(g, "s", run + " 0");
            assertTrue(c.awaitEvent(e -> e instanceof TailEvent.PollingStarted, WAIT), c.events().toString());
            assertTrue(sub.awaitCaughtUp(WAIT));
            local.put(g, "s", run + " 1");
            assertTrue(c.awaitLines(l -> l.message().startsWith(run), 2, WAIT), c.messages().toString());
            Thread.sleep(400);
        } finally {
            controls.clearFaults();
        }
        assertEquals(List.of(run + " 0", run + " 1"), c.messages().stream().filter(m -> m.startsWith(run)).toList());
        TailEvent.PollingStarted p = (TailEvent.PollingStarted) c.events().stream()
                .filter(e -> e instanceof TailEvent.PollingStarted).findFirst().orElseThrow();
        assertTrue(p.reason().startsWith("live tail unavailable"), p.reason());
    }

    /** Above 500 lines a second live tail samples; the follow switches to polling and still shows every line. */
    @Test
    void whenLiveTailSamplesNothingIsLost() throws Exception {
        String g = group("burst");
        local.createStream(g, "s");
        String run = UUID.randomUUID().toString().substring(0, 8);
        Collector c = new Collector();
        List<String> expected = new ArrayList<>();
        try (LogTailer tailer = tailer(true);
             Subscription sub = tailer.follow(List.of(g), null, null, c::line, c::status)) {
            assertTrue(sub.awaitCaughtUp(WAIT));
            local.put(g, "s", run + " before #0");
            expected.add(run + " before #0");
            assertTrue(c.awaitLines(l -> l.message().startsWith(run), 1, WAIT));
            List<String> burst = new ArrayList<>();
            for (int i = 1; i <= 700; i++) {
                burst.add(run + " burst #" + i);
            }
            local.put(g, "s", burst);
            expected.addAll(burst);
            local.put(g, "s", run + " after #701");
            expected.add(run + " after #701");
            assertTrue(c.awaitLines(l -> l.message().startsWith(run), expected.size(), WAIT),
                    "got " + c.lines().size() + " of " + expected.size());
            Thread.sleep(500);
        }
        assertExactlyOnceInOrder(c, run, expected);
        assertTrue(c.events().stream().anyMatch(e -> e instanceof TailEvent.PollingStarted p
                && p.reason().contains("sampling")), c.events().toString());
    }

    @Test
    void windowReturnsEveryPageInTimeOrderAndHonoursTheFilter() {
        String a = group("window-a");
        String b = group("window-b");
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant since = Instant.now().minusSeconds(1);
        List<String> batch = new ArrayList<>();
        // More than one FilterLogEvents page (10,000 events at most): the window follows nextToken.
        for (int i = 0; i < 12000; i++) {
            batch.add(run + " a " + i + (i % 2000 == 0 ? " ERROR" : ""));
        }
        local.put(a, "s1", batch.subList(0, 4000));
        local.put(a, "s1", batch.subList(4000, 8000));
        local.put(b, "s1", run + " b middle");
        local.put(a, "s2", batch.subList(8000, 12000));
        try (LogTailer tailer = tailer(false)) {
            List<LogLine> all = tailer.window(List.of(a, b, group("never")), since, null);
            assertEquals(12001, all.size());
            for (int i = 1; i < all.size(); i++) {
                assertFalse(all.get(i).timestamp().isBefore(all.get(i - 1).timestamp()), "time order at " + i);
            }
            Map<String, Integer> lastIndex = new HashMap<>();
            for (LogLine l : all) {
                if (l.logGroup().equals(a)) {
                    int n = Integer.parseInt(l.message().split(" ")[2]);
                    Integer prev = lastIndex.put(l.logStream(), n);
                    assertTrue(prev == null || n == prev + 1, "stream order " + prev + " -> " + n);
                    assertTrue(prev != null || n == 0 || n == 8000, "each stream starts at its first line: " + n);
                }
            }
            List<LogLine> errors = tailer.window(List.of(a, b), since, "ERROR");
            assertEquals(6, errors.size(), errors.toString());
            assertEquals(12001, tailer.window(List.of(a, b), null, null).size(), "no since: everything kept");
            assertTrue(tailer.window(List.of(a), Instant.now().plusSeconds(60), null).isEmpty());
        }
    }

    @Test
    void aFilterPatternAppliesWhileFollowing() throws Exception {
        String g = group("filtered");
        local.createStream(g, "s");
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (boolean live : new boolean[] {true, false}) {
            Collector c = new Collector();
            try (LogTailer tailer = tailer(live);
                 Subscription sub = tailer.follow(List.of(g), null, "ERROR", c::line, c::status)) {
                assertTrue(sub.awaitCaughtUp(WAIT));
                local.put(g, "s", List.of(run + " ok " + live, run + " ERROR bad " + live));
                assertTrue(c.awaitLines(l -> l.message().contains("bad " + live), 1, WAIT));
                Thread.sleep(300);
            }
            assertEquals(List.of(run + " ERROR bad " + live), c.messages().stream().filter(m -> m.startsWith(run)).toList());
        }
    }

    @Test
    void nothingIsDeliveredAfterClose() throws Exception {
        String g = group("closed");
        local.createStream(g, "s");
        String run = UUID.randomUUID().toString().substring(0, 8);
        Collector c = new Collector();
        try (LogTailer tailer = tailer(true)) {
            Subscription sub = tailer.follow(List.of(g), null, null, c::line, c::status);
            assertTrue(sub.awaitCaughtUp(WAIT));
            local.put(g, "s", run + " before");
            assertTrue(c.awaitLines(l -> l.message().startsWith(run), 1, WAIT));
            sub.close();
            local.put(g, "s", run + " after");
            Thread.sleep(500);
        }
        assertEquals(List.of(run + " before"), c.messages().stream().filter(m -> m.startsWith(run)).toList());
    }

    private static String marker(String run, String group, String stream, int i) {
        return run + " " + group + " " + stream + " #" + i;
    }

    private static int order(String m) {
        if (m.endsWith("first")) {
            return 0;
        }
        if (m.contains("cold")) {
            return Integer.parseInt(m.substring(m.length() - 1));
        }
        return 10;
    }

    static void assertExactlyOnceInOrder(Collector c, String run, List<String> expected) {
        Map<String, Integer> counts = c.counts();
        for (String m : expected) {
            assertEquals(1, counts.getOrDefault(m, 0), "delivered once: " + m);
        }
        assertEquals(expected.size(), c.lines().stream().filter(l -> l.message().startsWith(run)).count());
        Map<String, Integer> last = new HashMap<>();
        for (LogLine l : c.lines()) {
            if (!l.message().startsWith(run)) {
                continue;
            }
            int n = Integer.parseInt(l.message().substring(l.message().lastIndexOf('#') + 1));
            Integer prev = last.put(l.logGroup() + "|" + l.logStream(), n);
            assertTrue(prev == null || n > prev, "order within " + l.logStream() + ": " + prev + " then " + n);
        }
    }
}
