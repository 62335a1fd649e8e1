package dev.livestack.logtail;

import java.time.Duration;

/** A running follow; closing it stops every session and poller it uses. */
public interface Subscription extends AutoCloseable {

    /**
     * Waits until the follow has caught up: the {@code since} window is delivered and live tail or polling
     * runs for every log group that exists (missing ones are being waited for).
     *
     * @return whether that happened within {@code timeout}
     */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException;

    /** Stops following; no line is delivered after this returns. */
    @Override
    void close();
}
