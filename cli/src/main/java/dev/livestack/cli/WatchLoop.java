package dev.livestack.cli;

import dev.livestack.deployer.ApprovalPolicy;
import dev.livestack.deployer.DeployMode;
import dev.livestack.deployer.Deployer;
import dev.livestack.watcher.SourceWatcher;
import dev.livestack.watcher.WatchOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * The watch daemon, wired: the watcher feeds saves to the {@link WatchCycle} (fast path, synth, deploy, one cycle at a
 * time), the {@link LogFollower} streams the functions' logs alongside, and the {@link WatchConsole} shows the state
 * and turns keys into cycles. This class only starts them in order and stops them in reverse.
 */
final class WatchLoop {
    private final Session session;
    private final Output out;
    private final DeployMode mode;
    private final boolean logsOn;
    private final boolean validation;
    private final CountDownLatch stop = new CountDownLatch(1);

    WatchLoop(Session session, DeployMode mode, boolean logs, boolean validation) {
        this.session = session;
        this.out = session.output();
        this.mode = mode;
        this.logsOn = logs;
        this.validation = validation;
    }

    int run() throws IOException, InterruptedException {
        Target target = session.target(true);
        Deployer deployer = session.deployer(ApprovalPolicy.NEVER, s -> true, false);
        WatchConsole console = new WatchConsole(session);
        LogFollower logs = new LogFollower(session, logsOn, validation);
        WatchCycle cycle = new WatchCycle(session, mode, validation, deployer, logs, console);
        console.start(keys(cycle, logs, console), stop::countDown);
        SourceWatcher watcher = null;
        Thread hook = new Thread(stop::countDown, "watch-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            cycle.start();
            console.state("deploying");
            // The watcher starts before the first synth: a save made while it runs (minutes on AWS) queues one
            // follow-up cycle instead of hiding in the watcher's starting hashes. The watch block and the watch itself
            // (inotify limits) are checked here too, so bad input is reported at once, not after the first deploy.
            WatchOptions options = watchOptions();
            try {
                watcher = SourceWatcher.start(options, c -> {
                    List<String> paths = c.paths().stream().map(p -> session.appDir().relativize(p).toString()).sorted().toList();
                    out.event(new CliEvent.ChangeDetected(paths, c.functions().stream().sorted().toList(), c.onlyFunctionSources()),
                            out.paint("changed: " + String.join(", ", paths), "2"));
                    cycle.submit(WatchCycle.Trigger.of(c));
                });
            } catch (IOException e) {
                throw watchError(options.root(), e);
            }
            cycle.watching(watcher);
            // The first deploy is a cycle like any other, so keys pressed meanwhile queue behind it.
            cycle.submit(WatchCycle.Trigger.first());
            // a quit during the first deploy lets it finish first (as before, when it ran on this thread), so the state
            // on disk matches the stack; the synth timeout bounds the wait
            cycle.awaitFirst();
            String banner = session.targetBanner();
            String modeName = mode.name().toLowerCase(Locale.ROOT);
            out.event(new CliEvent.WatchReady(session.app().toString(), target.description(), session.account(),
                            target.region().id(), modeName),
                    out.paint("watching " + session.appDir() + " (" + modeName + " mode, " + banner + ")"
                            + (console.interactive() ? " · press h for help" : ""), "1"));
            console.state("idle");
            stop.await();
            return ExitCodes.OK;
        } finally {
            if (watcher != null) {
                watcher.close();
            }
            cycle.close();
            logs.close();
            console.close();
            out.event(new CliEvent.WatchStopped(), "stopped watching");
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting because of Ctrl-C; the hook already ran
            }
        }
    }

    private Keys keys(WatchCycle cycle, LogFollower logs, WatchConsole console) {
        Keys k = new Keys();
        k.bind('h', "help", () -> out.raw(k.help()))
                .bind('d', "full deploy now (change set)", () -> cycle.submit(WatchCycle.Trigger.fullDeploy()))
                .bind('s', "hot-swap all functions now, as the sources say", () -> cycle.submit(WatchCycle.Trigger.hotswapAll()))
                .bind('l', "logs on/off", () -> logs.toggle(cycle.assembly()))
                .bind('i', "invoke the last-invoked function with its last event", console::invokeLast)
                .bind('c', "clear the screen", console::clear)
                .bind('q', "quit", stop::countDown);
        return k;
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
}
