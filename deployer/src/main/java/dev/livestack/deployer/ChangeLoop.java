package dev.livestack.deployer;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;

/**
 * Runs one cycle at a time (synth + deploy, or a hot-swap) and collapses changes that arrive meanwhile into
 * exactly one follow-up cycle with the merged changes: latest wins, nothing is lost.
 *
 * <pre>
 *                 submit(c)                         cycle ends, nothing pending
 *      IDLE ─────────────────────► RUNNING ──────────────────────────────────────► IDLE
 *       ▲                           │    ▲
 *       │                 submit(c) │    │ cycle ends: run once more with the pending
 *       │       pending = c         ▼    │ (merged) change; pending = none
 *       │                          QUEUED ─┐
 *       │                             ▲    │ submit(c): pending = merge(pending, c)
 *       │                             └────┘
 *       └── close(): no new cycles; the running one finishes
 * </pre>
 *
 * A cycle that throws is reported to the listener and the loop goes on with what is pending. Cycles run on
 * one worker thread, so they never overlap.
 *
 * @param <T> the change type (e.g. a batch of changed files)
 */
public final class ChangeLoop<T> implements AutoCloseable {

    /** The loop's states. */
    public enum State { IDLE, RUNNING, QUEUED }

    /** What the loop reports; called on the loop's thread or the submitter's, so implementations must be thread-safe. */
    public interface Listener<T> {
        /** The state changed. */
        default void stateChanged(State from, State to) {
        }

        /** A cycle started for {@code change}. */
        default void cycleStarted(T change) {
        }

        /** A cycle threw; the loop goes on. */
        default void cycleFailed(T change, Throwable error) {
        }
    }

    private final Consumer<T> cycle;
    private final BinaryOperator<T> merge;
    private final Listener<T> listener;
    private final ExecutorService worker;
    private final Object lock = new Object();
    private State state = State.IDLE;
    private T pending;
    private boolean closed;

    /**
     * @param cycle runs one cycle for a (possibly merged) change
     * @param merge combines an older pending change with a newer one (the newer wins where they conflict)
     * @param listener told about state changes and failed cycles
     */
    public ChangeLoop(Consumer<T> cycle, BinaryOperator<T> merge, Listener<T> listener) {
        this.cycle = Objects.requireNonNull(cycle, "cycle");
        this.merge = Objects.requireNonNull(merge, "merge");
        this.listener = listener == null ? new Listener<>() { } : listener;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "livestack-change-loop");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Submits a change: starts a cycle when idle, else keeps it (merged with anything already pending) for the
     * one follow-up cycle.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public void submit(T change) {
        Objects.requireNonNull(change, "change");
        State from;
        State to;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the change loop is closed");
            }
            from = state;
            switch (state) {
                case IDLE -> {
                    state = State.RUNNING;
                    T c = change;
                    worker.execute(() -> run(c));
                }
                case RUNNING -> {
                    pending = change;
                    state = State.QUEUED;
                }
                case QUEUED -> pending = merge.apply(pending, change);
            }
            to = state;
            if (from != to) {
                report(from, to);
            }
        }
    }

    private void run(T change) {
        T next = change;
        while (next != null) {
            listener.cycleStarted(next);
            try {
                cycle.accept(next);
            } catch (Throwable t) {
                try {
                    listener.cycleFailed(next, t);
                } catch (RuntimeException ignored) {
                    // A broken listener must not stop the loop.
                }
            }
            synchronized (lock) {
                if (!closed && state == State.QUEUED && pending != null) {
                    next = pending;
                    pending = null;
                    state = State.RUNNING;
                    report(State.QUEUED, State.RUNNING);
                } else {
                    next = null;
                    pending = null;
                    State from = state;
                    state = State.IDLE;
                    report(from, State.IDLE);
                    lock.notifyAll();
                }
            }
        }
    }

    private void report(State from, State to) {
        try {
            listener.stateChanged(from, to);
        } catch (RuntimeException ignored) {
            // A broken listener must not stop the loop.
        }
    }

    /** The current state. */
    public State state() {
        synchronized (lock) {
            return state;
        }
    }

    /**
     * Waits until the loop is idle (no cycle running, nothing pending).
     *
     * @return true when idle, false when the timeout passed first
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (state != State.IDLE) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    /** Stops accepting changes; a running cycle finishes, a pending one is dropped (the caller is shutting down). */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        worker.shutdown();
        try {
            worker.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
