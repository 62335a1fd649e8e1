package dev.livestack.cli;

import dev.livestack.deployer.ChangeLoop;
import dev.livestack.deployer.DeployMode;
import dev.livestack.deployer.DeployResult;
import dev.livestack.deployer.Deployer;
import dev.livestack.inlinepackager.FunctionSource;
import dev.livestack.inlinepackager.FunctionSources;
import dev.livestack.inlinepackager.InlineCode;
import dev.livestack.inlinepackager.PackagingException;
import dev.livestack.logtail.Action;
import dev.livestack.logtail.ActionResolver;
import dev.livestack.synth.CloudAssembly;
import dev.livestack.synth.StackTemplate;
import dev.livestack.watcher.SourceChange;
import dev.livestack.watcher.SourceWatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;

/**
 * The watch's cycle: what one save (or key) does — the fast path (package and swap the saved inline functions),
 * then synth, then deploy — run by a {@link ChangeLoop}, one cycle at a time:
 *
 * <pre>
 *              submit(trigger)                    cycle ends, nothing queued
 *     IDLE ──────────────────────► RUNNING ────────────────────────────────────► IDLE (watch.idle)
 *                                   │    ▲
 *            submit(t): queued = t  │    │ cycle ends: one follow-up cycle on the queued
 *                                   ▼    │ (merged) triggers, i.e. the latest sources
 *                                  QUEUED ─┐
 *                                     ▲    │ submit(t): queued = queued.merge(t)
 *                                     └────┘
 * </pre>
 *
 * Saves made while a cycle runs are never lost and never deployed out of order: they collapse into one follow-up.
 * A synth that finishes in QUEUED is stale and is not deployed (synth.superseded). A failed cycle is reported and the
 * watch goes on.
 */
final class WatchCycle implements AutoCloseable {
    /** What a cycle does: the saved files, and the console's explicit requests. */
    record Trigger(Set<Path> paths, Set<String> functions, boolean onlyFunctionSources, boolean forceFull, boolean swapAll,
                   boolean initial) {
        static Trigger of(SourceChange c) {
            return new Trigger(c.paths(), c.functions(), c.onlyFunctionSources(), false, false, false);
        }

        /** The first synth and deploy of the session. */
        static Trigger first() {
            return new Trigger(Set.of(), Set.of(), false, false, false, true);
        }

        /** Console key d. */
        static Trigger fullDeploy() {
            return new Trigger(Set.of(), Set.of(), false, true, false, false);
        }

        /** Console key s. */
        static Trigger hotswapAll() {
            return new Trigger(Set.of(), Set.of(), false, false, true, false);
        }

        Trigger merge(Trigger o) {
            Set<Path> p = new HashSet<>(paths);
            p.addAll(o.paths);
            Set<String> f = new HashSet<>(functions);
            f.addAll(o.functions);
            boolean only = onlyFunctionSources && o.onlyFunctionSources && !p.isEmpty();
            return new Trigger(Set.copyOf(p), Set.copyOf(f), only, forceFull || o.forceFull, swapAll || o.swapAll,
                    initial || o.initial);
        }

        /** Whether the cycle synthesises and deploys (rather than only hot-swapping). */
        boolean deploys() {
            return initial || forceFull || !paths.isEmpty();
        }
    }

    /** How long the confirming synth waits after a fast-path swap. */
    private static final Duration FAST_PATH_SETTLE = Duration.ofMillis(300);

    private final Session session;
    private final Output out;
    private final DeployMode mode;
    private final boolean validation;
    private final Deployer deployer;
    private final LogFollower logs;
    private final WatchConsole console;
    private final CountDownLatch initialDone = new CountDownLatch(1);
    private volatile CloudAssembly assembly;
    private volatile Map<String, FunctionSource> sources = Map.of();
    private volatile ChangeLoop<Trigger> loop;
    private volatile SourceWatcher watcher;

    WatchCycle(Session session, DeployMode mode, boolean validation, Deployer deployer, LogFollower logs,
               WatchConsole console) {
        this.session = session;
        this.out = session.output();
        this.mode = mode;
        this.validation = validation;
        this.deployer = deployer;
        this.logs = logs;
        this.console = console;
    }

    /** Starts the loop; triggers submitted before this are ignored. */
    void start() {
        loop = new ChangeLoop<>(this::cycle, Trigger::merge, new ChangeLoop.Listener<>() {
            @Override
            public void stateChanged(ChangeLoop.State from, ChangeLoop.State to) {
                if (to == ChangeLoop.State.IDLE) {
                    console.state("idle");
                    // for scripts (and the never-stale trials): every save so far has been acted on
                    out.event(new CliEvent.WatchIdle(), (String) null);
                }
            }

            @Override
            public void cycleFailed(Trigger change, Throwable error) {
                report(error);
            }
        });
    }

    void submit(Trigger t) {
        ChangeLoop<Trigger> l = loop;
        if (l != null) {
            l.submit(t);
        }
    }

    /** The watcher to tell which folders are inline functions' sources after each deploy. */
    void watching(SourceWatcher w) {
        this.watcher = w;
    }

    /** Waits for the first cycle: done, failed (reported), or handed on to the saves made meanwhile. */
    void awaitFirst() throws InterruptedException {
        initialDone.await();
    }

    /** The last assembly deployed or swapped from, or null before the first. */
    CloudAssembly assembly() {
        return assembly;
    }

    /**
     * One cycle of the loop; runs on the loop's thread, one at a time. Order: the fast path (package and swap the
     * saved inline functions), then synth; a synth that a newer save made stale is not deployed (the cycle is handed
     * back to the loop, merged with that save); then deploy, then the console's hot-swap-all.
     */
    private void cycle(Trigger t) {
        boolean superseded = false;
        try {
            // The fast path needs an app whose synth re-reads the function sources (a cdk.json app); a
            // template file carries its own copy of the code, which the next synth would swap back.
            if (!t.initial() && t.onlyFunctionSources() && !t.forceFull() && mode != DeployMode.FULL
                    && Files.isDirectory(session.app())) {
                if (fastPath(t.functions())) {
                    // The confirming synth is background work; on a small machine it would compete for CPU with the
                    // function's fresh runtime, which the user is about to call. Give that a head start.
                    settle();
                }
            }
            CloudAssembly fresh = null;
            if (t.deploys() || t.swapAll()) {
                console.state("synthesising");
                fresh = synth();
                if (fresh != null && loop.state() == ChangeLoop.State.QUEUED) {
                    // A save arrived during the synth: this assembly is already stale. Deploying it would put older
                    // sources live after newer ones were saved; the follow-up cycle synthesises the latest instead.
                    out.event(new CliEvent.SynthSuperseded(), out.paint("synth superseded by a newer save", "2"));
                    superseded = true;
                    loop.submit(t);
                    return;
                }
                if (fresh != null && t.deploys()) {
                    deploy(fresh, t.forceFull());
                }
            }
            if (t.swapAll()) {
                swapAll(fresh);
            }
            if (t.initial()) {
                if (logs.on()) {
                    logs.follow(assembly);
                }
                prewarm();
            }
        } finally {
            if (t.initial() && !superseded) {
                // done, failed (reported; the watch goes on) or followed by saves made meanwhile, which are queued
                initialDone.countDown();
            }
        }
    }

    /**
     * Console key s: push every function as the sources say now. From the assembly just synthesised; when that synth
     * failed, the inline functions' code is packaged from their files (an older assembly could put old code back).
     */
    private void swapAll(CloudAssembly fresh) {
        console.state("hot-swapping");
        if (fresh != null) {
            assembly = fresh;
            sources = functionSources(fresh);
            for (StackTemplate s : session.selected(fresh)) {
                console.result(deployer.hotswapAll(s, Set.of()));
            }
            return;
        }
        Set<String> inline = new TreeSet<>();
        sources.forEach((k, v) -> {
            if (v.kind() == FunctionSource.Kind.INLINE) {
                inline.add(k);
            }
        });
        out.warn("The synth failed, so only inline functions' code is pushed, from their source files; "
                + "configuration and other functions follow the next successful synth.");
        fastPath(inline);
    }

    private static void settle() {
        try {
            Thread.sleep(FAST_PATH_SETTLE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A save that touched only inline functions' sources: package and hot-swap now, before synth. A function of a
     * nested stack is handed to its root stack's deployer call by its path ({@code Inner/Fn}): the deployer swaps it
     * in the nested stack, under the root stack's lock, and records it where a deploy of the root keeps the nested
     * stack's state.
     *
     * @return true when something was hot-swapped
     */
    private boolean fastPath(Set<String> functions) {
        console.state("hot-swapping");
        Map<String, Map<String, InlineCode>> byStack = new LinkedHashMap<>();
        for (String key : functions) {
            FunctionSource source = sources.get(key);
            if (source == null || source.kind() != FunctionSource.Kind.INLINE) {
                continue;
            }
            int slash = key.indexOf('/');
            try {
                byStack.computeIfAbsent(key.substring(0, slash), k -> new LinkedHashMap<>())
                        .put(key.substring(slash + 1), session.packager().pack(source.path(), source.runtime()));
            } catch (PackagingException e) {
                out.error("Packaging " + source.logicalId() + " failed: " + e.getMessage(), e.hint());
            }
        }
        boolean swapped = false;
        for (Map.Entry<String, Map<String, InlineCode>> e : byStack.entrySet()) {
            DeployResult r = deployer.hotswapCode(e.getKey(), e.getValue());
            console.result(r);
            swapped |= !r.hotswapped().isEmpty();
        }
        return swapped;
    }

    /** The app's assembly now, or {@code null} when the synth failed (reported with its diagnostics). */
    private CloudAssembly synth() {
        try {
            return session.synth(validation);
        } catch (UserError e) {
            // synth.failed was already reported with its diagnostics; keep the last good assembly
            console.state("failed: synth");
            return null;
        }
    }

    private void deploy(CloudAssembly a, boolean forceFull) {
        assembly = a;
        sources = functionSources(a);
        SourceWatcher w = watcher;
        if (w != null) {
            w.functionSources(functionFolders());
        }
        List<StackTemplate> stacks = Preflight.stacks(session, a);
        // the same refusal as deploy's, before any stack of this cycle; the watch goes on and the next save retries
        Preflight.assets(deployer, a, stacks);
        boolean changeSets = false;
        for (int i = 0; i < stacks.size(); i++) {
            StackTemplate s = stacks.get(i);
            console.state(stacks.size() > 1 ? "deploying " + (i + 1) + " of " + stacks.size() : "deploying");
            DeployResult r = deployer.deploy(s, forceFull ? DeployMode.FULL : mode);
            console.result(r);
            changeSets |= r.status() == DeployResult.Status.DEPLOYED;
            if (r.status() == DeployResult.Status.FAILED || r.status() == DeployResult.Status.DECLINED) {
                break; // later stacks may depend on this one; PARTIAL (skipped swaps) goes on
            }
        }
        if (changeSets && logs.on()) {
            logs.follow(assembly);
        }
    }

    /**
     * The functions of the selected stacks and of their nested stacks, by {@code <stack>/<logical id>} (a nested
     * stack's function: {@code <stack>/<nested stack logical id>/<logical id>}, see {@link FunctionSources#fromStack}).
     */
    private Map<String, FunctionSource> functionSources(CloudAssembly a) {
        Map<String, FunctionSource> m = new LinkedHashMap<>();
        for (StackTemplate s : session.selected(a)) {
            FunctionSources.fromStack(s.template(), session.appDir(), a.directory())
                    .forEach((path, src) -> m.put(s.stackName() + "/" + path, src));
        }
        return m;
    }

    private Map<String, Path> functionFolders() {
        Map<String, Path> m = new LinkedHashMap<>();
        sources.forEach((k, v) -> {
            if (v.kind() == FunctionSource.Kind.INLINE) {
                m.put(k, Files.isDirectory(v.path()) ? v.path() : v.path().getParent());
            }
        });
        return m;
    }

    /**
     * Pays the one-time costs of the fast path (class loading, the SDK's marshallers and connections,
     * packaging code paths) in the background while idle, so the first save is as fast as the others.
     */
    private void prewarm() {
        Thread t = new Thread(() -> {
            try {
                for (Map.Entry<String, FunctionSource> e : sources.entrySet()) {
                    if (e.getValue().kind() == FunctionSource.Kind.INLINE) {
                        session.packager().pack(e.getValue().path(), e.getValue().runtime());
                    }
                }
                CloudAssembly a = assembly;
                if (a != null) {
                    List<String> stacks = session.selected(a).stream().map(StackTemplate::stackName).toList();
                    for (Action action : ActionResolver.fromStacks(session.clients().cloudFormation(), stacks).all()) {
                        session.clients().lambda().getFunctionConfiguration(r -> r.functionName(action.physicalName()));
                    }
                }
            } catch (PackagingException | RuntimeException ignored) {
                // warming is best effort; the real save reports any problem
            }
        }, "watch-prewarm");
        t.setDaemon(true);
        t.start();
    }

    private void report(Throwable e) {
        if (e instanceof UserError u) {
            out.error(u.getMessage(), u.todo());
        } else {
            out.error("The cycle failed: " + e, session.globals().verbose ? null : "The watch goes on; run with -v for details.");
            if (session.globals().verbose) {
                e.printStackTrace(session.io().err());
            }
        }
        console.state("failed");
    }

    /** Lets a running cycle finish, so the state on disk matches the stack, then stops the loop. */
    @Override
    public void close() {
        ChangeLoop<Trigger> l = loop;
        if (l != null) {
            try {
                l.awaitIdle(Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            l.close();
        }
    }
}
