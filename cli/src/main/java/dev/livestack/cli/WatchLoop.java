package dev.livestack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestack.deployer.ApprovalPolicy;
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
import dev.livestack.logtail.LogTailOptions;
import dev.livestack.logtail.LogTailer;
import dev.livestack.logtail.Subscription;
import dev.livestack.synth.CloudAssembly;
import dev.livestack.synth.StackTemplate;
import dev.livestack.watcher.SourceChange;
import dev.livestack.watcher.SourceWatcher;
import dev.livestack.watcher.WatchOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The watch daemon: watcher → {@link ChangeLoop} → (fast path: package + hot-swap) → synth → deploy,
 * with the functions' logs streaming alongside and, on a terminal, a status line and keys.
 *
 * <p>Every save reaches the loop; while a cycle runs, further saves collapse into one follow-up cycle
 * on the latest source (the ChangeLoop's IDLE → RUNNING → QUEUED machine). A failed cycle is reported
 * and the daemon keeps watching.
 */
final class WatchLoop {
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
    private static final java.time.Duration FAST_PATH_SETTLE = java.time.Duration.ofMillis(300);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Session session;
    private final Output out;
    private final DeployMode mode;
    private final boolean validation;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch initialDone = new CountDownLatch(1);
    private volatile boolean logsOn;
    private volatile Console console;
    private volatile String state = "starting";
    private volatile String last = "";
    private volatile CloudAssembly assembly;
    private volatile Map<String, FunctionSource> sources = Map.of();
    private Deployer deployer;
    private ChangeLoop<Trigger> loop;
    private SourceWatcher watcher;
    private LogTailer tailer;
    private Subscription subscription;
    private Set<String> tailedGroups = Set.of();

    WatchLoop(Session session, DeployMode mode, boolean logs, boolean validation) {
        this.session = session;
        this.out = session.output();
        this.mode = mode;
        this.logsOn = logs;
        this.validation = validation;
    }

    int run() throws IOException, InterruptedException {
        Target target = session.target(true);
        deployer = session.deployer(ApprovalPolicy.NEVER, s -> true, false);
        Keys keys = keys();
        if (session.io().terminal() && !out.json()) {
            console = Console.open(c -> onKey(keys, (char) c));
            if (console != null) {
                out.statusLine(console);
            }
        }
        if (console == null) {
            readCommandLines(keys);
        }
        Thread hook = new Thread(stop::countDown, "watch-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            loop = new ChangeLoop<>(this::cycle, Trigger::merge, new ChangeLoop.Listener<>() {
                @Override
                public void stateChanged(ChangeLoop.State from, ChangeLoop.State to) {
                    if (to == ChangeLoop.State.IDLE) {
                        status("idle");
                        // for scripts (and the never-stale trials): every save so far has been acted on
                        out.event(new CliEvent.WatchIdle(), (String) null);
                    }
                }

                @Override
                public void cycleFailed(Trigger change, Throwable error) {
                    report(error);
                }
            });
            status("deploying");
            // The watcher starts before the first synth: a save made while it runs (minutes on AWS) queues one
            // follow-up cycle instead of hiding in the watcher's starting hashes. The watch block and the watch itself
            // (inotify limits) are checked here too, so bad input is reported at once, not after the first deploy.
            WatchOptions options = watchOptions();
            try {
                watcher = SourceWatcher.start(options, c -> {
                    out.event(new CliEvent.ChangeDetected(c.paths().stream().map(p -> session.appDir().relativize(p).toString()).sorted().toList(),
                                    c.functions().stream().sorted().toList(), c.onlyFunctionSources()),
                            out.paint("changed: " + String.join(", ", c.paths().stream().map(p -> session.appDir().relativize(p).toString()).sorted().toList()), "2"));
                    loop.submit(Trigger.of(c));
                });
            } catch (IOException e) {
                throw watchError(options.root(), e);
            }
            // The first deploy is a cycle like any other, so keys pressed meanwhile queue behind it.
            loop.submit(Trigger.first());
            // a quit during the first deploy lets it finish first (as before, when it ran on this thread), so the state
            // on disk matches the stack; the synth timeout bounds the wait
            initialDone.await();
            String banner = session.targetBanner();
            out.event(new CliEvent.WatchReady(session.app().toString(), target.description(), session.account(),
                            target.region().id(), mode.name().toLowerCase(java.util.Locale.ROOT)),
                    out.paint("watching " + session.appDir() + " (" + mode.name().toLowerCase(java.util.Locale.ROOT)
                            + " mode, " + banner + ")" + (console != null ? " · press h for help" : ""), "1"));
            status("idle");
            stop.await();
            return ExitCodes.OK;
        } finally {
            shutdown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting because of Ctrl-C; the hook already ran
            }
        }
    }

    private WatchOptions watchOptions() {
        Path app = session.app();
        if (Files.isRegularFile(app)) {
            // the template and the function sources beside it (livestack:source folders): the whole folder
            return new WatchOptions(app.getParent(), List.of(), List.of(), WatchOptions.DEFAULT_QUIET_PERIOD);
        }
        try {
            return WatchOptions.fromCdkJson(app);
        } catch (IOException e) {
            throw new UserError("cdk.json's watch block is not valid: " + e.getMessage() + ".",
                    "Fix it, e.g. \"watch\": {\"include\": [\"**\"], \"exclude\": [\"cdk.out\", \"node_modules\"]}.");
        }
    }

    /** Why the folder cannot be watched, for people: the inotify limits have their own remedy. */
    static UserError watchError(Path root, IOException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("inotify watches")) {
            return new UserError("Cannot watch " + root + ": the system's limit of inotify watches is reached.",
                    "Raise it (sudo sysctl fs.inotify.max_user_watches=524288), or exclude big folders in cdk.json's watch block.");
        }
        if (m.contains("inotify instances") || m.contains("Too many open files")) {
            return new UserError("Cannot watch " + root + ": the system's limit of inotify instances is reached.",
                    "Close other watchers, or raise it (sudo sysctl fs.inotify.max_user_instances=512).");
        }
        return new UserError("Cannot watch " + root + ": " + m + ".", "Check the folder exists and can be read.");
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
                status("synthesising");
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
                if (logsOn) {
                    startLogs();
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
        status("hot-swapping");
        if (fresh != null) {
            assembly = fresh;
            sources = functionSources(fresh);
            for (StackTemplate s : session.selected(fresh)) {
                result(deployer.hotswapAll(s, Set.of()));
            }
            return;
        }
        Set<String> inline = new java.util.TreeSet<>();
        sources.forEach((k, v) -> {
            if (v.kind() == FunctionSource.Kind.INLINE) {
                inline.add(k);
            }
        });
        out.warn("The synth failed, so only inline functions' code is pushed, from their source files; "
                + "configuration and other functions follow the next successful synth.");
        fastPath(inline);
    }

    /** A save that touched only inline functions' sources: package and hot-swap now, before synth. */
    private static void settle() {
        try {
            Thread.sleep(FAST_PATH_SETTLE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return true when something was hot-swapped */
    private boolean fastPath(Set<String> functions) {
        status("hot-swapping");
        Map<String, Map<String, InlineCode>> byStack = new LinkedHashMap<>();
        for (String key : functions) {
            FunctionSource source = sources.get(key);
            if (source == null || source.kind() != FunctionSource.Kind.INLINE) {
                continue;
            }
            String stack = key.substring(0, key.indexOf('/'));
            try {
                byStack.computeIfAbsent(stack, k -> new LinkedHashMap<>())
                        .put(source.logicalId(), session.packager().pack(source.path(), source.runtime()));
            } catch (PackagingException e) {
                out.error("Packaging " + source.logicalId() + " failed: " + e.getMessage(), e.hint());
            }
        }
        boolean swapped = false;
        for (Map.Entry<String, Map<String, InlineCode>> e : byStack.entrySet()) {
            DeployResult r = deployer.hotswapCode(e.getKey(), e.getValue());
            result(r);
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
            status("failed: synth");
            return null;
        }
    }

    private void deploy(CloudAssembly a, boolean forceFull) {
        assembly = a;
        sources = functionSources(a);
        if (watcher != null) {
            watcher.functionSources(functionFolders());
        }
        List<StackTemplate> stacks = session.selected(a);
        boolean changeSets = false;
        for (int i = 0; i < stacks.size(); i++) {
            StackTemplate s = stacks.get(i);
            status(stacks.size() > 1 ? "deploying " + (i + 1) + " of " + stacks.size() : "deploying");
            DeployResult r = deployer.deploy(s, forceFull ? DeployMode.FULL : mode);
            result(r);
            changeSets |= r.status() == DeployResult.Status.DEPLOYED;
            if (r.status() == DeployResult.Status.FAILED || r.status() == DeployResult.Status.DECLINED) {
                break; // later stacks may depend on this one; PARTIAL (skipped swaps) goes on
            }
        }
        if (changeSets && logsOn) {
            startLogs();
        }
    }

    private Map<String, FunctionSource> functionSources(CloudAssembly a) {
        Map<String, FunctionSource> m = new LinkedHashMap<>();
        for (StackTemplate s : session.selected(a)) {
            FunctionSources.fromTemplate(s.template(), session.appDir(), a.directory())
                    .forEach((id, src) -> m.put(s.stackName() + "/" + id, src));
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

    private void result(DeployResult r) {
        last = r.stackName() + " " + r.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + " " + Render.ms(r.duration()) + " at " + LocalTime.now().format(CLOCK);
        if (r.status() == DeployResult.Status.FAILED) {
            state = "failed";
        }
    }

    /** (Re)starts the log subscription when the set of function log groups changed. */
    private synchronized void startLogs() {
        try {
            List<String> stacks = session.selected(assembly == null ? session.synth(validation) : assembly).stream()
                    .map(StackTemplate::stackName).toList();
            List<Action> actions = ActionResolver.fromStacks(session.clients().cloudFormation(), stacks).all();
            Set<String> groups = new HashSet<>(actions.stream().map(Action::logGroup).toList());
            if (groups.equals(tailedGroups) && subscription != null) {
                return;
            }
            stopLogs();
            if (groups.isEmpty()) {
                return;
            }
            if (tailer == null) {
                tailer = LogTailer.create(session.clients().logs(), session.clients().logsAsync(), LogTailOptions.defaults());
            }
            LogsCommand.LogPrinter printer = new LogsCommand.LogPrinter(out, actions, false);
            subscription = tailer.follow(List.copyOf(groups), Instant.now(), null, printer::print, session.render()::tail);
            tailedGroups = groups;
        } catch (RuntimeException e) {
            out.warn("Log streaming is off: " + e.getMessage());
        }
    }

    private synchronized void stopLogs() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        tailedGroups = Set.of();
    }

    private Keys keys() {
        Keys k = new Keys();
        k.bind('h', "help", () -> out.raw(k.help()))
                .bind('d', "full deploy now (change set)", () -> submit(Trigger.fullDeploy()))
                .bind('s', "hot-swap all functions now, as the sources say", () -> submit(Trigger.hotswapAll()))
                .bind('l', "logs on/off", this::toggleLogs)
                .bind('i', "invoke the last-invoked function with its last event", this::invokeLast)
                .bind('c', "clear the screen", () -> {
                    if (console != null) {
                        console.clear();
                    }
                })
                .bind('q', "quit", stop::countDown);
        return k;
    }

    private void submit(Trigger t) {
        if (loop != null) {
            loop.submit(t);
        }
    }

    private void onKey(Keys keys, char c) {
        if (c == 3) { // Ctrl-C in raw mode
            stop.countDown();
            return;
        }
        if (!keys.press(c) && !Character.isWhitespace(c)) {
            out.raw("unknown key '" + c + "'; h for help");
        }
    }

    private void toggleLogs() {
        logsOn = !logsOn;
        if (logsOn) {
            startLogs();
        } else {
            stopLogs();
        }
        out.event(new CliEvent.LogsToggled(logsOn), "logs " + (logsOn ? "on" : "off"));
    }

    private void invokeLast() {
        Thread t = new Thread(() -> {
            try {
                Path f = session.stateDir().resolve(InvokeCommand.LAST_INVOKE);
                if (!Files.isRegularFile(f)) {
                    out.raw("nothing invoked yet: run 'livestack invoke <action> --event FILE' once");
                    return;
                }
                JsonNode n = Output.JSON.readTree(f.toFile());
                String event = n.path("event").asText(null);
                byte[] payload = InvokeCommand.readEvent(session, event);
                Action a = Actions.resolve(session, List.of(n.path("action").asText())).get(0);
                InvokeCommand.invokeDeployed(session, a, payload);
            } catch (UserError e) {
                out.error(e.getMessage(), e.todo());
            } catch (IOException | RuntimeException e) {
                out.error("Invoke failed: " + e.getMessage(), null);
            }
        }, "console-invoke");
        t.setDaemon(true);
        t.start();
    }

    /** Without a terminal, a line on stdin whose first character is a key does what the key does (for scripts and tests). */
    private void readCommandLines(Keys keys) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(session.io().in(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    String s = line.strip();
                    if (!s.isEmpty()) {
                        onKey(keys, s.charAt(0));
                    }
                }
            } catch (IOException e) {
                // stdin closed: keep watching
            }
        }, "watch-stdin");
        t.setDaemon(true);
        t.start();
    }

    private void status(String s) {
        state = s;
        Console c = console;
        if (c != null) {
            c.status(out.paint("● " + state, state.startsWith("failed") ? "31" : state.equals("idle") ? "32" : "33")
                    + (last.isEmpty() ? "" : " · last: " + last) + " · " + session.clients().target().description()
                    + " · h help, q quit");
        }
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
        status("failed");
    }

    private void shutdown() {
        if (watcher != null) {
            watcher.close();
        }
        if (loop != null) {
            try {
                // let a running deploy finish so the state on disk matches the stack
                loop.awaitIdle(java.time.Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            loop.close();
        }
        stopLogs();
        if (tailer != null) {
            tailer.close();
        }
        Console c = console;
        if (c != null) {
            out.statusLine(null);
            c.close();
        }
        out.event(new CliEvent.WatchStopped(), "stopped watching");
    }
}
