package dev.livestack.logtail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A sink and status listener that tests can wait on. */
final class Collector {
    private final List<LogLine> lines = new ArrayList<>();
    private final List<TailEvent> events = new ArrayList<>();

    synchronized void line(LogLine line) {
        lines.add(line);
        notifyAll();
    }

    synchronized void status(TailEvent event) {
        events.add(event);
        notifyAll();
    }

    synchronized List<LogLine> lines() {
        return List.copyOf(lines);
    }

    synchronized List<TailEvent> events() {
        return List.copyOf(events);
    }

    synchronized List<String> messages() {
        return lines.stream().map(LogLine::message).toList();
    }

    /** Waits until {@code count} lines match, or the timeout passes; returns whether they did. */
    synchronized boolean awaitLines(Predicate<LogLine> match, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lines.stream().filter(match).count() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    synchronized boolean awaitEvent(Predicate<TailEvent> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (events.stream().noneMatch(match)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** How often each message was delivered. */
    synchronized Map<String, Integer> counts() {
        Map<String, Integer> c = new HashMap<>();
        for (LogLine l : lines) {
            c.merge(l.message(), 1, Integer::sum);
        }
        return c;
    }
}
