package dev.livestack.deployer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How the deployer's entry points end: the {@link DeployResult} they return and the events that go with it
 * ({@code deploy.failed}, {@code deploy.succeeded}, {@code hotswap.skipped}). Shared by the diff-driven deploy
 * ({@link DefaultDeployer}) and the forced swaps ({@link ForcedSwaps}), so both word their results alike.
 */
final class DeployResults {
    private final Consumer<DeployEvent> events;

    DeployResults(Consumer<DeployEvent> events) {
        this.events = events;
    }

    static Duration elapsed(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    DeployResult result(String name, DeployResult.Status status, List<String> swapped, List<String> skipped,
                        String csId, Map<String, String> outputs, long t0) {
        return new DeployResult(name, status, swapped, skipped, csId, outputs, null, null, elapsed(t0));
    }

    /** A failed result, its {@code deploy.failed} event emitted. */
    DeployResult failure(String name, String error, String rootCause, List<String> swapped, long t0) {
        DeployResult r = new DeployResult(name, DeployResult.Status.FAILED, swapped, List.of(), null, Map.of(), error,
                rootCause, elapsed(t0));
        events.accept(new DeployEvent.DeployFailed(name, error, rootCause, "", r.duration()));
        return r;
    }

    /** Emits the closing event of a deploy (failures emitted theirs already). */
    DeployResult finish(DeployResult r) {
        if (r.status() != DeployResult.Status.FAILED && r.status() != DeployResult.Status.DECLINED) {
            events.accept(new DeployEvent.DeploySucceeded(r.stackName(), r.status(), r.outputs(), r.duration()));
        } else if (r.status() == DeployResult.Status.DECLINED) {
            events.accept(new DeployEvent.DeployFailed(r.stackName(), r.error(), "", "", r.duration()));
        }
        return r;
    }

    /** The result of a hot-swap: failed when a swap failed, partial when something was skipped. */
    DeployResult summary(String name, HotswapExecutor.Tally tally, List<String> skipped, boolean partial, String again,
                         Map<String, String> outputs, long t0) {
        if (!tally.errors().isEmpty()) {
            return failure(name, "Hot-swapping " + String.join(", ", tally.errors()) + "\nFix the cause and " + again + ".",
                    tally.errors().get(0), tally.swapped(), t0);
        }
        DeployResult.Status status = partial ? DeployResult.Status.PARTIAL
                : tally.swapped().isEmpty() ? DeployResult.Status.NO_CHANGES : DeployResult.Status.HOTSWAPPED;
        return result(name, status, tally.swapped(), skipped, null, outputs, t0);
    }

    /** Reports a resource (or property) not hot-swapped and adds it to the result's skipped lines. */
    void skip(String name, String id, String type, String property, RejectReason code, String reason, List<String> skipped) {
        skip(name, "", id, type, property, code, reason, skipped);
    }

    /**
     * As above for a resource of a nested stack: the event names the nested stack ({@code name}) and the resource's
     * own logical id, the result's line names it from the root stack ({@code <nested logical id>/…/<logical id>}).
     *
     * @param prefix the nested stack's path from the root, ending in {@code /} (empty at the top)
     */
    void skip(String name, String prefix, String id, String type, String property, RejectReason code, String reason,
              List<String> skipped) {
        events.accept(new DeployEvent.HotswapSkipped(name, id, type, property, code, reason));
        skipped.add(prefix + id + ": " + reason);
    }

    /** A partial result that skips every one of {@code ids}: the stack is protected. */
    DeployResult skipAll(String name, Collection<String> ids, String reason, long t0) {
        List<String> skipped = new ArrayList<>();
        for (String id : ids) {
            skip(name, id, LambdaFunctionHandler.TYPE, "", RejectReason.STACK_PROTECTED, reason, skipped);
        }
        return result(name, DeployResult.Status.PARTIAL, List.of(), skipped, null, Map.of(), t0);
    }
}
