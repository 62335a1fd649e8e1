package dev.livestack.logtail;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Delivers lines to the sink exactly once when several sources overlap (a backfill and a live-tail session,
 * an old session and the gap-fill after it, live tail and the poller that replaced it).
 *
 * <p>Live tail gives no event id, so an event is known by its content: group, stream, timestamp, message.
 * Identical lines in one stream and millisecond are legitimate (a loop printing the same text), so this is
 * a multiset union: a source's n-th sighting of a key is delivered only when no source has delivered n yet.
 * Each source sees an event at most once, so every event is delivered once.
 *
 * <p>Memory: keys older than {@link #keepSince} can be forgotten, because no query that could return
 * them again runs any more; callers move that floor forward.
 */
final class Emitter {
    /** A producer of lines; its own sightings are counted apart from the others'. */
    static final class Source {
        private final String name;

        Source(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final class Seen {
        int delivered;
        final Map<Source, Integer> bySource = new HashMap<>(2);
    }

    private final Consumer<LogLine> sink;
    private final Map<String, Seen> seen = new HashMap<>();
    private final TreeMap<Long, java.util.List<String>> byTimestamp = new TreeMap<>();
    private final LongSupplier floor;
    private final java.util.function.BiConsumer<LogLine, RuntimeException> onSinkFailure;
    private boolean closed;
    private long offers;
    /** The newest event timestamp delivered per log group (CloudWatch's clock, not ours). */
    private final Map<String, Long> newest = new HashMap<>();

    /**
     * @param floor the oldest event timestamp (epoch ms) any running or future query can still return;
     *              keys below it are forgotten
     */
    Emitter(Consumer<LogLine> sink, LongSupplier floor) {
        this(sink, floor, (line, e) -> { });
    }

    /**
     * @param onSinkFailure told when the sink throws on a line (the line counts as delivered)
     */
    Emitter(Consumer<LogLine> sink, LongSupplier floor, java.util.function.BiConsumer<LogLine, RuntimeException> onSinkFailure) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.floor = Objects.requireNonNull(floor, "floor");
        this.onSinkFailure = Objects.requireNonNull(onSinkFailure, "onSinkFailure");
    }

    /** Offers one line; returns whether it was delivered. */
    synchronized boolean offer(Source source, LogLine line) {
        if (closed) {
            return false;
        }
        String key = line.logGroup() + '\u0000' + line.logStream() + '\u0000' + line.timestamp().toEpochMilli()
                + '\u0000' + line.message();
        Seen s = seen.get(key);
        if (s == null) {
            s = new Seen();
            seen.put(key, s);
            byTimestamp.computeIfAbsent(line.timestamp().toEpochMilli(), t -> new java.util.ArrayList<>(1)).add(key);
        }
        int count = s.bySource.merge(source, 1, Integer::sum);
        boolean deliver = count > s.delivered;
        if (deliver) {
            s.delivered = count;
            newest.merge(line.logGroup(), line.timestamp().toEpochMilli(), Math::max);
            try {
                sink.accept(line);
            } catch (RuntimeException e) {
                // The sink's own failure must not look like a failed AWS call to the source that offered the line.
                onSinkFailure.accept(line, e);
            }
        }
        if (++offers % 256 == 0) {
            prune();
        }
        return deliver;
    }

    /** Forgets a finished source's counts (its keys stay, with what was delivered). */
    synchronized void retire(Source source) {
        for (Seen s : seen.values()) {
            s.bySource.remove(source);
        }
    }

    synchronized void prune() {
        long keepSince = floor.getAsLong();
        Iterator<Map.Entry<Long, java.util.List<String>>> it = byTimestamp.headMap(keepSince).entrySet().iterator();
        while (it.hasNext()) {
            for (String key : it.next().getValue()) {
                seen.remove(key);
            }
            it.remove();
        }
    }

    /** The newest timestamp (epoch ms) delivered for the group, or {@code null} when nothing was. */
    synchronized Long newestDelivered(String group) {
        return newest.get(group);
    }

    /** How many keys are remembered (for tests of the memory bound). */
    synchronized int remembered() {
        return seen.size();
    }

    /** After this returns nothing more reaches the sink. */
    synchronized void close() {
        closed = true;
        seen.clear();
        byTimestamp.clear();
    }
}
