package dev.livestack.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code livestack local-cloud start|stop|status|reset}: the embedded AWS-compatible endpoint as a service. */
@Command(name = "local-cloud", description = "Run, stop, inspect or reset local-cloud, the AWS-compatible endpoint on 127.0.0.1.",
        subcommands = {LocalCloudCommand.Start.class, LocalCloudCommand.Stop.class, LocalCloudCommand.Status.class,
                LocalCloudCommand.Reset.class})
final class LocalCloudCommand implements Callable<Integer> {
    @ParentCommand
    LivestackCommand root;

    @Override
    public Integer call() {
        throw new UserError("local-cloud needs a subcommand.", "Use one of: start, stop, status, reset.");
    }

    @Command(name = "start", description = "Start local-cloud in the foreground (Ctrl-C stops it), or in the background with --detach.")
    static final class Start implements Callable<Integer> {
        @ParentCommand
        LocalCloudCommand parent;

        @Option(names = "--port", paramLabel = "N", description = "Port on 127.0.0.1 (default 4566; 0 = a free one).")
        int port = 4566;

        @Option(names = "--detach", description = "Start in the background and return once it answers.")
        boolean detach;

        @Option(names = "--allow-origin", paramLabel = "ORIGIN",
                description = "Let web pages from ORIGIN (e.g. https://console.example) call it; repeatable. Loopback pages always may; others are refused.")
        List<String> allowOrigins = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            LivestackCommand root = parent.root;
            if (port < 0 || port > 65535) {
                throw new UserError("--port must be between 0 and 65535, was " + port + ".", "Pass --port N with a valid port.");
            }
            try (Session session = new Session(root)) {
                LocalCloudManager manager = session.localCloud(port);
                manager.allowOrigins(allowOrigins);
                LocalCloudManager.Handle running = manager.running();
                if (running != null) {
                    throw new UserError("local-cloud is already running at " + running.endpoint() + " for " + manager.stateDir() + ".",
                            "Use it as it is, or stop it first with 'livestack local-cloud stop'.");
                }
                if (detach) {
                    return detach(session, manager);
                }
                LocalCloudManager.Handle h = manager.connectOrStart();
                session.output().event(new CliEvent.LocalCloudStarted(h.endpoint().toString(), ProcessHandle.current().pid(),
                                manager.stateDir().toString(), manager.adminTokenFile().toString()),
                        "local-cloud listening on " + h.endpoint() + " (state: " + manager.stateDir() + "; credentials test/test, us-east-1; "
                                + "admin token in " + manager.adminTokenFile() + "). Ctrl-C stops it.");
                CountDownLatch stop = new CountDownLatch(1);
                Thread hook = new Thread(stop::countDown, "local-cloud-stop");
                Runtime.getRuntime().addShutdownHook(hook);
                stop.await();
                return ExitCodes.OK;
            }
        }

        private int detach(Session session, LocalCloudManager manager) throws IOException, InterruptedException {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            String classpath = System.getProperty("java.class.path");
            Files.createDirectories(manager.stateDir());
            Path log = manager.stateDir().resolve("local-cloud.log");
            List<String> cmd = new ArrayList<>(List.of(java.toString(), "-cp", classpath, Main.class.getName(),
                    "local-cloud", "start", "--port", Integer.toString(port),
                    "--state-dir", manager.stateDir().getParent().toString()));
            for (String origin : allowOrigins) {
                cmd.add("--allow-origin");
                cmd.add(origin);
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process p = pb.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                LocalCloudManager.Handle h = manager.running();
                if (h != null) {
                    session.output().event(new CliEvent.LocalCloudStarted(h.endpoint().toString(), p.pid(),
                                    manager.stateDir().toString(), manager.adminTokenFile().toString()),
                            "local-cloud running at " + h.endpoint() + " (pid " + p.pid() + "; log: " + log
                                    + "; admin token in " + manager.adminTokenFile() + ").");
                    return ExitCodes.OK;
                }
                if (!p.isAlive()) {
                    throw new UserError("local-cloud did not start (exit " + p.exitValue() + "); see " + log + ".",
                            "Read the log's last lines; a used port needs --port N.");
                }
                Thread.sleep(100);
            }
            p.destroy();
            throw new UserError("local-cloud did not answer within 30 s; see " + log + ".", "Read the log's last lines.");
        }
    }

    /** A subcommand about the local-cloud of this state folder, running or not. */
    abstract static class OnStateFolder implements Callable<Integer> {
        @ParentCommand
        LocalCloudCommand parent;

        @Override
        public final Integer call() throws Exception {
            try (Session session = new Session(parent.root)) {
                return run(session, session.localCloud(0));
            }
        }

        abstract int run(Session session, LocalCloudManager manager) throws Exception;
    }

    @Command(name = "stop", description = "Stop the local-cloud serving this state folder.")
    static final class Stop extends OnStateFolder {
        @Override
        int run(Session session, LocalCloudManager manager) throws Exception {
            long pid = manager.runningPid();
            if (manager.running() == null || pid < 0) {
                session.output().event(new CliEvent.LocalCloudStopped(false, null), "local-cloud is not running.");
                return ExitCodes.OK;
            }
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
            for (int i = 0; i < 100 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); i++) {
                Thread.sleep(100);
            }
            Files.deleteIfExists(manager.stateDir().resolve(LocalCloudManager.SERVER_FILE));
            session.output().event(new CliEvent.LocalCloudStopped(false, pid), "local-cloud stopped (pid " + pid + ").");
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", description = "Say whether local-cloud runs for this state folder, and where.")
    static final class Status extends OnStateFolder {
        @Override
        int run(Session session, LocalCloudManager manager) {
            LocalCloudManager.Handle h = manager.running();
            long bytes = size(manager.stateDir());
            List<String> quarantined = quarantined(manager.stateDir());
            String disk = "; " + human(bytes) + " on disk" + (quarantined.isEmpty() ? ""
                    : "; unreadable records moved aside: " + String.join(", ", quarantined)
                    + " (in " + manager.stateDir().resolve("quarantine") + ")");
            if (h == null) {
                session.output().event(new CliEvent.LocalCloudStatus(false, null, null, manager.stateDir().toString(), bytes, quarantined),
                        "local-cloud is not running (state: " + manager.stateDir() + disk + ").");
            } else {
                session.output().event(new CliEvent.LocalCloudStatus(true, h.endpoint().toString(), manager.runningPid(),
                                manager.stateDir().toString(), bytes, quarantined),
                        "local-cloud is running at " + h.endpoint() + " (pid " + manager.runningPid() + "; state: "
                                + manager.stateDir() + disk + ").");
            }
            return ExitCodes.OK;
        }

        /** Bytes of every file under the state folder (0 when there is none); files that vanish meanwhile count 0. */
        static long size(Path dir) {
            if (!Files.isDirectory(dir)) {
                return 0;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                return walk.filter(Files::isRegularFile).mapToLong(p -> {
                    try {
                        return Files.size(p);
                    } catch (IOException gone) {
                        return 0;
                    }
                }).sum();
            } catch (IOException | java.io.UncheckedIOException e) {
                return 0;
            }
        }

        /** The records local-cloud moved to {@code quarantine/} because it could not read them. */
        static List<String> quarantined(Path dir) {
            Path q = dir.resolve("quarantine");
            if (!Files.isDirectory(q)) {
                return List.of();
            }
            try (Stream<Path> list = Files.list(q)) {
                return list.map(p -> p.getFileName().toString()).sorted().toList();
            } catch (IOException e) {
                return List.of();
            }
        }

        static String human(long bytes) {
            if (bytes < 1024) {
                return bytes + " B";
            }
            String[] units = {"KiB", "MiB", "GiB", "TiB"};
            double v = bytes;
            int u = -1;
            while (v >= 1024 && u < units.length - 1) {
                v /= 1024;
                u++;
            }
            return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
        }
    }

    @Command(name = "reset", description = "Delete local-cloud's state (stacks, functions, logs). It must not be running.")
    static final class Reset extends OnStateFolder {
        @Override
        int run(Session session, LocalCloudManager manager) throws IOException {
            if (manager.running() != null) {
                throw new UserError("local-cloud is running at " + manager.running().endpoint() + "; its state cannot be reset under it.",
                        "Stop it first with 'livestack local-cloud stop'.");
            }
            Path dir = manager.stateDir();
            if (Files.exists(dir)) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
            session.output().event(new CliEvent.LocalCloudReset(dir.toString()), "local-cloud state deleted: " + dir);
            return ExitCodes.OK;
        }
    }
}
