package dev.livestack.logtail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One {@link LogTailer#follow} call: its partitions (one live-tail session of up to ten groups each, or a
 * poller), the shared emitter that keeps every line single, and the threads that run them.
 */
final class Follow implements Subscription {
    private final DefaultLogTailer tailer;
    final LogTailOptions options;
    final EventFetcher fetcher;
    final String filterPattern;
    final Emitter emitter;
    private final Consumer<TailEvent> status;
    private final Map<Object, Long> floors = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<AutoCloseable> parts = new ArrayList<>();
    private final CountDownLatch caughtUp;
    private volatile boolean closed;
    /** Where a log group's events start when nothing has been seen of it: {@code since}, or the follow's start. */
    final long startMs;

    Follow(DefaultLogTailer tailer, int partitions, Instant since, String filterPattern, Consumer<LogLine> sink,
           Consumer<TailEvent> status) {
        this.tailer = tailer;
        this.options = tailer.options();
        this.fetcher = tailer.fetcher();
        this.filterPattern = filterPattern == null || filterPattern.isBlank() ? null : filterPattern;
        this.startMs = (since != null ? since : Instant.now()).toEpochMilli();
        this.emitter = new Emitter(sink, this::floor,
                (line, e) -> status(new TailEvent.SinkFailed(line, EventFetcher.describe(e))));
        this.caughtUp = new CountDownLatch(partitions);
        Object lock = new Object();
        this.status = e -> {
            if (!closed) {
                synchronized (lock) {
                    status.accept(e);
                }
            }
        };
    }

    void status(TailEvent e) {
        try {
            this.status.accept(e);
        } catch (RuntimeException ignored) {
            // a failing status listener must not stop the logs
        }
    }

    /** Runs a partition on its own daemon thread. */
    synchronized void start(String name, Runnable runnable, Object part, AutoCloseable stopper) {
        Thread t = new Thread(() -> {
            try {
                // A partition only returns once the follow is closed; one that fails unexpectedly is started
                // again after a pause rather than leaving its log groups silently unfollowed.
                while (!closed) {
                    try {
                        runnable.run();
                    } catch (RuntimeException e) {
                        if (closed) {
                            break;
                        }
                        status(new TailEvent.BackingOff("follow", options.maxBackoff(),
                                "restarting after " + EventFetcher.describe(e)));
                    }
                    if (!pause(options.maxBackoff())) {
                        break;
                    }
                }
            } finally {
                // A partition that ended must not keep awaitCaughtUp waiting.
                partCaughtUp(part);
            }
        }, "livestack-logs-" + name);
        t.setDaemon(true);
        threads.add(t);
        if (stopper != null) {
            parts.add(stopper);
        }
        t.start();
    }

    private final java.util.Set<Object> caughtUpParts = ConcurrentHashMap.newKeySet();

    /** Called once a partition has delivered its window and is live; later calls are ignored. */
    void partCaughtUp(Object part) {
        if (caughtUpParts.add(part)) {
            caughtUp.countDown();
        }
    }

    boolean closed() {
        return closed;
    }

    /** Keeps the emitter's memory of events from {@code ms} on while {@code owner}'s query runs. */
    void holdFloor(Object owner, long ms) {
        floors.put(owner, ms);
    }

    void releaseFloor(Object owner) {
        floors.remove(owner);
    }

    private long floor() {
        long base = System.currentTimeMillis() - options.renewalOverlap().toMillis() - 60_000;
        for (long f : floors.values()) {
            base = Math.min(base, f);
        }
        return base;
    }

    /** Sleeps unless closed; returns false when closed (or interrupted by close). */
    boolean pause(Duration d) {
        if (closed) {
            return false;
        }
        try {
            Thread.sleep(Math.max(1, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !closed;
    }

    @Override
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        List<Thread> toJoin;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toJoin = List.copyOf(threads);
        }
        emitter.close();
        for (AutoCloseable p : parts) {
            try {
                p.close();
            } catch (Exception ignored) {
                // stopping the others matters more
            }
        }
        for (Thread t : toJoin) {
            t.interrupt();
        }
        for (Thread t : toJoin) {
            if (t != Thread.currentThread()) {
                try {
                    t.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        tailer.forget(this);
    }
}
