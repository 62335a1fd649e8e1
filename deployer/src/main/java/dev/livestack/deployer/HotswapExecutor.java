package dev.livestack.deployer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Schedules hot-swap plans and reports them; the handler of each plan's type applies it. Swaps run by their
 * handler's {@link HotswapHandler#phase()} (functions and state machines, then published versions, then aliases),
 * in parallel within a phase (bounded by the pool).
 */
final class HotswapExecutor {

    /**
     * What happened to one plan.
     *
     * @param unchanged true when what runs already equals the plan (nothing was written)
     */
    record SwapOutcome(String logicalId, boolean ok, String error, boolean unchanged) {
        SwapOutcome(String logicalId, boolean ok, String error) {
            this(logicalId, ok, error, false);
        }

        /** Whether this outcome changed what runs. */
        boolean applied() {
            return ok && !unchanged;
        }
    }

    /**
     * The outcomes of a run, summed up.
     *
     * @param swapped the resources whose swap changed what runs
     * @param errors {@code <logicalId>: <error>} of each failed swap
     * @param ok the resources whose swap succeeded (changed or already in place), in order
     */
    record Tally(List<String> swapped, List<String> errors, List<String> ok) {
        static Tally of(List<SwapOutcome> outcomes) {
            List<String> swapped = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            List<String> ok = new ArrayList<>();
            for (SwapOutcome o : outcomes) {
                if (!o.ok()) {
                    errors.add(o.logicalId() + ": " + o.error());
                    continue;
                }
                ok.add(o.logicalId());
                if (o.applied()) {
                    swapped.add(o.logicalId());
                }
            }
            return new Tally(List.copyOf(swapped), List.copyOf(errors), List.copyOf(ok));
        }
    }

    /** Reports each rejection as a {@code hotswap.skipped} event and adds it to the result's skipped lines. */
    static void report(String stackName, List<HotswapPlan.Reject> rejects, boolean fallback, List<String> skipped,
                       Consumer<DeployEvent> events) {
        for (HotswapPlan.Reject r : rejects) {
            String reason = fallback ? r.reason() + " (deploying a change set)" : r.reason();
            events.accept(new DeployEvent.HotswapSkipped(stackName, r.logicalId(), r.resourceType(), r.property(), r.code(), reason));
            skipped.add(r.logicalId() + (r.property().isEmpty() ? "" : "." + r.property()) + ": " + r.reason());
        }
    }

    /** The reason of a {@code hotswap.skipped} event for a resource that already runs what was asked. */
    static final String UNCHANGED = "unchanged";

    private final Map<String, HotswapHandler> handlers;
    private final ExecutorService pool;
    private final BiFunction<String, Retry.Listener, SwapContext> contexts;

    /** @param contexts the context of a run of swaps in a stack, reporting retries to the listener */
    HotswapExecutor(List<HotswapHandler> handlers, ExecutorService pool, BiFunction<String, Retry.Listener, SwapContext> contexts) {
        this.handlers = handlers.stream().collect(Collectors.toUnmodifiableMap(HotswapHandler::resourceType, Function.identity()));
        this.pool = pool;
        this.contexts = contexts;
    }

    List<SwapOutcome> apply(String stackName, List<HotswapPlan.Swap> swaps, Consumer<DeployEvent> events, Retry.Listener l) {
        Map<Integer, List<HotswapPlan.Swap>> phases = new TreeMap<>();
        for (HotswapPlan.Swap s : swaps) {
            phases.computeIfAbsent(handler(s).phase(), k -> new ArrayList<>()).add(s);
        }
        SwapContext ctx = contexts.apply(stackName, l);
        Set<String> failedTargets = ConcurrentHashMap.newKeySet();
        List<SwapOutcome> out = new ArrayList<>();
        for (List<HotswapPlan.Swap> phase : phases.values()) {
            out.addAll(runPhase(ctx, phase, failedTargets, events));
        }
        return out;
    }

    private HotswapHandler handler(HotswapPlan.Swap s) {
        HotswapHandler h = handlers.get(s.resourceType());
        if (h == null) {
            throw new IllegalArgumentException("no hot-swap handler for " + s.resourceType() + " (" + s.logicalId() + ")");
        }
        return h;
    }

    private List<SwapOutcome> runPhase(SwapContext ctx, List<HotswapPlan.Swap> phase, Set<String> failedTargets,
                                   Consumer<DeployEvent> events) {
        List<Future<SwapOutcome>> futures = new ArrayList<>();
        for (HotswapPlan.Swap s : phase) {
            futures.add(pool.submit(() -> applyOne(ctx, s, failedTargets, events)));
        }
        List<SwapOutcome> out = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            try {
                out.add(futures.get(i).get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.add(new SwapOutcome(phase.get(i).logicalId(), false, "interrupted"));
            } catch (ExecutionException e) {
                out.add(new SwapOutcome(phase.get(i).logicalId(), false, String.valueOf(e.getCause())));
            }
        }
        return out;
    }

    private SwapOutcome applyOne(SwapContext ctx, HotswapPlan.Swap s, Set<String> failedTargets, Consumer<DeployEvent> events) {
        long start = System.nanoTime();
        String stackName = ctx.stackName();
        String target = s.actions().get(0).target();
        try {
            for (SwapAction a : s.actions()) {
                // a version or alias of a function whose update failed would publish or point at the old code
                if (failedTargets.contains(a.target())) {
                    throw new IllegalStateException("the update of " + a.target() + " failed earlier in this run");
                }
            }
            HotswapHandler.Applied done = handler(s).apply(s, ctx);
            if (done.unchanged()) {
                events.accept(new DeployEvent.HotswapSkipped(stackName, s.logicalId(), s.resourceType(), "",
                        RejectReason.UNCHANGED, UNCHANGED));
                return new SwapOutcome(s.logicalId(), true, null, true);
            }
            events.accept(new DeployEvent.HotswapApplied(stackName, s.logicalId(), s.resourceType(), target,
                    s.properties(), done.detail(), Duration.ofNanos(System.nanoTime() - start)));
            return new SwapOutcome(s.logicalId(), true, null);
        } catch (RuntimeException e) {
            failedTargets.add(target);
            String msg = message(e);
            events.accept(new DeployEvent.HotswapFailed(stackName, s.logicalId(), s.resourceType(), msg));
            return new SwapOutcome(s.logicalId(), false, msg);
        }
    }

    /** The hot-swap workers: daemon threads, so an unclosed deployer never keeps the JVM alive. */
    static java.util.concurrent.ExecutorService pool(int threads) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "livestack-hotswap-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    static String message(Throwable e) {
        if (e instanceof AwsServiceException a) {
            var d = a.awsErrorDetails();
            if (d != null && d.errorCode() != null) {
                return d.errorCode() + ": " + d.errorMessage();
            }
            String service = d == null || d.serviceName() == null ? "the service" : d.serviceName();
            return service + " answered HTTP " + a.statusCode() + " without an error code (is the API available at this endpoint?)";
        }
        if (Retry.credentialsFailure(e)) {
            // the provider's own reason (an expired session, the process's stderr) is at the root, not on top
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = String.valueOf(root.getMessage()).strip().replaceAll("\\s+", " ");
            return "the credentials could not be loaded: " + why;
        }
        return String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
    }
}
