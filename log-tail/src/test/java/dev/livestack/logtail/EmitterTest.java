package dev.livestack.logtail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EmitterTest {
    private final List<String> out = new ArrayList<>();
    private final AtomicLong floor = new AtomicLong(0);
    private final Emitter emitter = new Emitter(l -> out.add(l.message()), floor::get);

    private static LogLine at(long ms, String msg) {
        return new LogLine("g", "s", Instant.ofEpochMilli(ms), msg, null, null);
    }

    @Test
    void anEventSeenByTwoSourcesIsDeliveredOnce() {
        Emitter.Source live = new Emitter.Source("live");
        Emitter.Source fill = new Emitter.Source("fill");
        assertTrue(emitter.offer(live, at(1, "a")));
        assertFalse(emitter.offer(fill, at(1, "a")));
        assertTrue(emitter.offer(fill, at(2, "b")));
        assertFalse(emitter.offer(live, at(2, "b")));
        assertEquals(List.of("a", "b"), out);
    }

    @Test
    void identicalLinesInOneSourceAreAllDelivered() {
        Emitter.Source fill = new Emitter.Source("fill");
        Emitter.Source live = new Emitter.Source("live");
        emitter.offer(fill, at(5, "tick"));
        emitter.offer(fill, at(5, "tick"));
        // The live session saw the same two, and then a third.
        emitter.offer(live, at(5, "tick"));
        emitter.offer(live, at(5, "tick"));
        emitter.offer(live, at(5, "tick"));
        assertEquals(List.of("tick", "tick", "tick"), out);
    }

    @Test
    void sameTextInAnotherStreamOrMillisecondIsAnotherEvent() {
        Emitter.Source s = new Emitter.Source("s");
        emitter.offer(s, at(1, "x"));
        emitter.offer(s, at(2, "x"));
        emitter.offer(s, new LogLine("g", "other", Instant.ofEpochMilli(1), "x", null, null));
        emitter.offer(s, new LogLine("g2", "s", Instant.ofEpochMilli(1), "x", null, null));
        assertEquals(4, out.size());
    }

    @Test
    void keysBelowTheFloorAreForgotten() {
        Emitter.Source s = new Emitter.Source("s");
        for (int i = 0; i < 1000; i++) {
            emitter.offer(s, at(i, "m" + i));
        }
        floor.set(900);
        emitter.prune();
        assertEquals(100, emitter.remembered());
    }

    @Test
    void aFailingSinkIsReportedAndTheLineCountsAsDelivered() {
        List<String> failures = new ArrayList<>();
        Emitter e = new Emitter(l -> {
            throw new IllegalStateException("broken pipe");
        }, () -> 0, (l, ex) -> failures.add(l.message() + ": " + ex.getMessage()));
        Emitter.Source a = new Emitter.Source("a");
        assertTrue(e.offer(a, at(1, "x")));
        assertFalse(e.offer(new Emitter.Source("b"), at(1, "x")));
        assertEquals(List.of("x: broken pipe"), failures);
    }

    @Test
    void theNewestDeliveredTimestampIsKeptPerGroup() {
        Emitter.Source s = new Emitter.Source("s");
        assertEquals(null, emitter.newestDelivered("g"));
        emitter.offer(s, at(7, "a"));
        emitter.offer(s, at(3, "b"));
        emitter.offer(new Emitter.Source("t"), at(9, "a2"));
        assertEquals(9L, emitter.newestDelivered("g"));
    }

    @Test
    void nothingIsDeliveredAfterClose() {
        emitter.close();
        assertFalse(emitter.offer(new Emitter.Source("s"), at(1, "late")));
        assertEquals(List.of(), out);
    }
}
