package dev.livestack.localcloud.lambda;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Lambda's two state fields of a function configuration and the clock that moves them on.
 *
 * <pre>
 *   State:            CreateFunction ─► Pending ──(delay)──► Active
 *   LastUpdateStatus: Update* ─► InProgress ──(delay)──► Successful
 * </pre>
 *
 * CloudFormation and a restart skip the delay (straight to Active / Successful). While a function is
 * Pending or InProgress, the calls that change it are refused with ResourceConflictException, as on
 * Lambda. Failed is never entered: local-cloud has nothing that can fail asynchronously. The transition
 * itself is {@link LambdaFunctions}', which runs it under its monitor; this class holds no lock.
 */
final class FunctionStates implements AutoCloseable {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lambda-state");
        t.setDaemon(true);
        return t;
    });
    private volatile long delayMillis = 100;

    long delayMillis() {
        return delayMillis;
    }

    void delayMillis(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("updateDelayMillis must not be negative, was " + millis);
        }
        this.delayMillis = millis;
    }

    /** Runs {@code finish} after the transition delay, on the state thread. */
    void later(Runnable finish) {
        if (delayMillis == 0) {
            scheduler.execute(finish);
        } else {
            scheduler.schedule(finish, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    static void pending(ObjectNode c) {
        c.put("State", "Pending");
        c.put("StateReason", "The function is being created.");
        c.put("StateReasonCode", "Creating");
    }

    static void updating(ObjectNode c) {
        c.put("LastUpdateStatus", "InProgress");
        c.put("LastUpdateStatusReason", "The function is being created.");
        c.put("LastUpdateStatusReasonCode", "Creating");
    }

    static void activate(ObjectNode c) {
        c.put("State", "Active");
        c.remove("StateReason");
        c.remove("StateReasonCode");
        c.put("LastUpdateStatus", "Successful");
        c.remove("LastUpdateStatusReason");
        c.remove("LastUpdateStatusReasonCode");
    }

    /** Refuses a call while the function is Pending (Invoke, and every change). */
    static void checkNotPending(ObjectNode latest) {
        if (latest.path("State").asText().equals("Pending")) {
            throw FunctionNames.conflict("The operation cannot be performed at this time. The function is currently in the following state: Pending");
        }
    }

    /** Refuses a change while the function is Pending or an update is in progress. */
    static void checkUpdatable(ObjectNode latest, String functionArn) {
        checkNotPending(latest);
        if (latest.path("LastUpdateStatus").asText().equals("InProgress")) {
            throw FunctionNames.conflict("The operation cannot be performed at this time. An update is in progress for resource: "
                    + functionArn);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
