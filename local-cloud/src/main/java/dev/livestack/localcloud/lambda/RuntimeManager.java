package dev.livestack.localcloud.lambda;

import dev.livestack.localcloud.core.StateStore;
import dev.livestack.localcloud.core.ports.LogSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Runs function versions as local processes: keeps warm ones per version (one invocation at a time
 * each; a busy one makes a second start, as Lambda scales out), retires them when the code or
 * configuration changes, and extracts deployment packages once per CodeSha256.
 */
final class RuntimeManager implements AutoCloseable {
    private static final Pattern NODE = Pattern.compile("nodejs(18|20|22|24)\\.x");
    private static final Pattern PYTHON = Pattern.compile("python3\\.(9|10|11|12|13|14)");

    private final LogSink logs;
    private final Path codeRoot;
    private final Path nodeBootstrap;
    private final Path pythonBootstrap;
    private final RuntimeSdks sdks;
    /** The runtimes (node, or a python interpreter) whose missing SDK has been reported. */
    private final Set<String> sdkReported = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<String, Deque<RuntimeProcess>> idle = new HashMap<>();
    /**
     * Per version key, the oldest generation whose processes may still run: older ones are retired.
     * Newer ones may wait in {@link #idle} beside the current ones (the environment of an update in
     * progress, started before the update completes).
     */
    private final Map<String, Long> generations = new HashMap<>();
    private final List<RuntimeProcess> busy = new ArrayList<>();
    private boolean closed;
    private final java.util.concurrent.ExecutorService prewarmer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lambda-prewarm");
        t.setDaemon(true);
        return t;
    });

    /** How long an environment may sit idle before it is stopped (Lambda reclaims idle ones too). */
    private volatile long idleMillis = 15 * 60 * 1000L;
    private final java.util.concurrent.ScheduledExecutorService reaper =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "lambda-reaper");
                t.setDaemon(true);
                return t;
            });
    private java.util.concurrent.ScheduledFuture<?> reaping;

    long idleMillis() {
        return idleMillis;
    }

    /** Sets the idle limit; the reaper checks four times per limit (at least every 30 s). */
    synchronized void idleMillis(long millis) {
        if (millis < 100) {
            throw new IllegalArgumentException("environmentIdleMillis must be at least 100, was " + millis);
        }
        idleMillis = millis;
        if (reaping != null) {
            reaping.cancel(false);
        }
        long every = Math.max(25, Math.min(30_000, millis / 4));
        reaping = reaper.scheduleWithFixedDelay(this::reap, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void reap() {
        long cutoff = System.currentTimeMillis() - idleMillis;
        List<RuntimeProcess> gone = new ArrayList<>();
        synchronized (this) {
            for (Deque<RuntimeProcess> q : idle.values()) {
                q.removeIf(p -> {
                    boolean old = p.lastUsedMillis() < cutoff || !p.alive();
                    if (old) {
                        gone.add(p);
                    }
                    return old;
                });
            }
        }
        gone.forEach(RuntimeProcess::close);
    }

    RuntimeManager(StateStore store, LogSink logs) {
        this(store, logs, RuntimeSdks.discover());
    }

    RuntimeManager(StateStore store, LogSink logs, RuntimeSdks sdks) {
        this.logs = logs;
        this.sdks = sdks;
        this.codeRoot = store.folder("lambda/run");
        Path runtimes = store.folder("lambda/runtimes");
        this.nodeBootstrap = copyResource("node-bootstrap.cjs", runtimes);
        this.pythonBootstrap = copyResource("python-bootstrap.py", runtimes);
        // beside lambda/run, whose folders are the extracted packages, so Node's lookup climbs to it
        sdks.link(codeRoot.getParent());
        idleMillis(idleMillis);
    }

    /** Whether local-cloud can execute this runtime (others can be created but not invoked). */
    static boolean canRun(String runtime) {
        return runtime != null && (NODE.matcher(runtime).matches() || PYTHON.matcher(runtime).matches());
    }

    private static Path copyResource(String name, Path dir) {
        Path target = dir.resolve(name);
        try (InputStream in = RuntimeManager.class.getResourceAsStream("/runtimes/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /runtimes/" + name);
            }
            Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** The folder a package is extracted to, extracted on first use (one folder per CodeSha256). */
    Path codeDir(String shaHex, Path zip) {
        Path dir = codeRoot.resolve(shaHex);
        if (Files.isDirectory(dir)) {
            return dir;
        }
        try {
            Path tmp = Files.createTempDirectory(codeRoot, "." + shaHex);
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                ZipEntry e;
                while ((e = in.getNextEntry()) != null) {
                    Path out = tmp.resolve(e.getName()).normalize();
                    if (!out.startsWith(tmp)) {
                        throw new IOException("zip entry outside the package: " + e.getName());
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(out);
                    } else {
                        Files.createDirectories(out.getParent());
                        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                if (!Files.isDirectory(dir)) {
                    throw raced;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + zip, e);
        }
        return dir;
    }

    /** Runs one invocation on a warm process of the spec's version, starting one when none is free. */
    RuntimeProcess.Result invoke(RuntimeSpec spec, String requestId, byte[] payload, String invokedArn) throws IOException {
        return invoke(spec, requestId, payload, invokedArn, null);
    }

    /** As {@link #invoke(RuntimeSpec, String, byte[], String)}, with the caller's client context (JSON or null). */
    RuntimeProcess.Result invoke(RuntimeSpec spec, String requestId, byte[] payload, String invokedArn, String clientContext)
            throws IOException {
        RuntimeProcess p = acquire(spec);
        try {
            return p.invoke(requestId, payload, invokedArn, clientContext);
        } finally {
            release(p);
        }
    }

    private RuntimeProcess acquire(RuntimeSpec spec) throws IOException {
        List<RuntimeProcess> stale = new ArrayList<>();
        RuntimeProcess found = null;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("local-cloud is stopping");
            }
            long oldest = generations.merge(spec.key(), spec.generation(), Math::max);
            Deque<RuntimeProcess> q = idle.computeIfAbsent(spec.key(), k -> new ArrayDeque<>());
            for (java.util.Iterator<RuntimeProcess> it = q.iterator(); it.hasNext(); ) {
                RuntimeProcess p = it.next();
                if (!p.alive() || p.spec.generation() < oldest) {
                    it.remove();
                    stale.add(p);
                } else if (found == null && p.spec.equals(spec)) {
                    it.remove();
                    found = p;
                }
            }
            if (found != null) {
                busy.add(found);
            }
        }
        stale.forEach(RuntimeProcess::close);
        if (found != null) {
            return found;
        }
        List<String> command = command(spec.runtime());
        RuntimeProcess started = RuntimeProcess.start(spec, logs, command, spec.environment());
        reportMissingSdk(started, command.get(0));
        synchronized (this) {
            busy.add(started);
        }
        return started;
    }

    private void release(RuntimeProcess p) {
        boolean keep;
        synchronized (this) {
            busy.remove(p);
            keep = !closed && p.alive() && generations.getOrDefault(p.spec.key(), 0L) <= p.spec.generation();
            if (keep) {
                idle.computeIfAbsent(p.spec.key(), k -> new ArrayDeque<>()).addFirst(p);
            }
        }
        if (!keep) {
            p.close();
        }
    }

    /**
     * Stops the idle processes of a function's $LATEST older than {@code generation} after a change
     * ({@code allVersions} false), or every process of every version after a delete (true); busy ones
     * stop when their invocation ends. Tells whether any process was stopped.
     */
    boolean retire(String functionName, long generation, boolean allVersions) {
        List<RuntimeProcess> gone = new ArrayList<>();
        String latest = functionName + ":$LATEST";
        synchronized (this) {
            for (Map.Entry<String, Deque<RuntimeProcess>> e : idle.entrySet()) {
                if (allVersions && e.getKey().startsWith(functionName + ":")) {
                    gone.addAll(e.getValue());
                    e.getValue().clear();
                } else if (e.getKey().equals(latest)) {
                    e.getValue().removeIf(p -> {
                        boolean old = p.spec.generation() < generation;
                        if (old) {
                            gone.add(p);
                        }
                        return old;
                    });
                }
            }
            for (String key : new ArrayList<>(generations.keySet())) {
                if (key.equals(latest) || (allVersions && key.startsWith(functionName + ":"))) {
                    generations.merge(key, generation, Math::max);
                }
            }
            generations.merge(latest, generation, Math::max);
        }
        gone.forEach(RuntimeProcess::close);
        return !gone.isEmpty();
    }

    /** Stops the idle processes of one version (a deleted one); busy ones stop when their invocation ends. */
    void retireVersion(String key, long generation) {
        List<RuntimeProcess> gone = new ArrayList<>();
        synchronized (this) {
            Deque<RuntimeProcess> q = idle.remove(key);
            if (q != null) {
                gone.addAll(q);
            }
            generations.merge(key, generation, Math::max);
        }
        gone.forEach(RuntimeProcess::close);
    }

    /**
     * Deletes the extracted packages in {@code lambda/run} that are not in {@code needed} (CodeSha256s as
     * hex) and that no process runs from. At start-up ({@code startup}) also the half-extracted ones a
     * crash left, which at any other time may be an extraction under way.
     */
    void sweep(Set<String> needed, boolean startup) {
        java.util.Set<Path> inUse = new java.util.HashSet<>();
        synchronized (this) {
            idle.values().forEach(q -> q.forEach(p -> inUse.add(p.spec.codeDir())));
            busy.forEach(p -> inUse.add(p.spec.codeDir()));
        }
        List<Path> dirs = new ArrayList<>();
        try (java.util.stream.Stream<Path> list = Files.list(codeRoot)) {
            list.forEach(dirs::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + codeRoot, e);
        }
        for (Path dir : dirs) {
            String name = dir.getFileName().toString();
            boolean partial = name.startsWith(".");
            if (partial ? startup : !needed.contains(name) && !inUse.contains(dir)) {
                deleteTree(dir);
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** Whether a version key has a live environment, idle or busy. */
    synchronized boolean warm(String key) {
        for (RuntimeProcess p : idle.getOrDefault(key, new ArrayDeque<>())) {
            if (p.alive()) {
                return true;
            }
        }
        for (RuntimeProcess p : busy) {
            if (p.alive() && p.spec.key().equals(key)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts an environment ahead of the next invocation (Lambda's proactive initialisation), so that
     * the first invocation after a code change does not pay the interpreter's start-up. The spec is
     * resolved on the starting thread (it may extract the package). It may be newer than what
     * invocations run now (an update in progress): it then waits beside the current environments, which
     * keep serving until {@link #retire} stops them. Only used for a function that had a warm
     * environment, so a deploy of many functions starts no processes.
     */
    void prewarm(java.util.function.Supplier<RuntimeSpec> next) {
        prewarmer.execute(() -> {
            RuntimeSpec spec;
            try {
                spec = next.get();
            } catch (RuntimeException e) {
                return; // a function that cannot run (deleted meanwhile, a runtime local-cloud lacks)
            }
            synchronized (this) {
                // one started at the update's beginning may already be serving: no second one then
                if (closed || generations.getOrDefault(spec.key(), 0L) > spec.generation()
                        || idle.getOrDefault(spec.key(), new ArrayDeque<>()).stream().anyMatch(p -> p.alive() && p.spec.equals(spec))
                        || busy.stream().anyMatch(p -> p.alive() && p.spec.equals(spec))) {
                    return;
                }
            }
            RuntimeProcess started;
            try {
                List<String> command = command(spec.runtime());
                started = RuntimeProcess.start(spec, logs, command, spec.environment());
                reportMissingSdk(started, command.get(0));
            } catch (IOException | RuntimeException e) {
                return; // the next invocation starts one and reports what went wrong
            }
            boolean keep;
            synchronized (this) {
                keep = !closed && generations.getOrDefault(spec.key(), 0L) <= spec.generation();
                if (keep) {
                    idle.computeIfAbsent(spec.key(), k -> new ArrayDeque<>()).addLast(started);
                }
            }
            if (!keep) {
                started.close();
            }
        });
    }

    /**
     * Says once per runtime, in the log stream of the first function that starts on it, why its functions have no
     * AWS SDK: they still run, and a call through the SDK would otherwise fail without a hint.
     */
    private void reportMissingSdk(RuntimeProcess started, String interpreter) {
        boolean node = NODE.matcher(started.spec.runtime()).matches();
        String key = node ? "node" : interpreter;
        if (sdkReported.contains(key)) {
            return;
        }
        String why = node ? sdks.nodeAbsence() : sdks.pythonAbsence(interpreter);
        if (sdkReported.add(key) && why != null) {
            logs.write(started.spec.logGroup(), started.streamName, List.of(new LogSink.Line(System.currentTimeMillis(), why)), true);
        }
    }

    private List<String> command(String runtime) {
        if (NODE.matcher(runtime).matches()) {
            return List.of(interpreter("node", "process.stdout.write(process.execPath)"), nodeBootstrap.toString());
        }
        Matcher m = PYTHON.matcher(runtime);
        if (m.matches()) {
            String exact = interpreter("python3." + m.group(1), "import sys; sys.stdout.write(sys.executable)");
            return List.of(exact != null ? exact : interpreter("python3", "import sys; sys.stdout.write(sys.executable)"),
                    pythonBootstrap.toString());
        }
        throw new IllegalArgumentException("local-cloud cannot run " + runtime);
    }

    /**
     * The interpreter's real path, asked once: version managers' shims (pyenv) cost hundreds of
     * milliseconds per start, and a shim for a version that is not selected fails. Null when absent.
     */
    private static final Map<String, java.util.Optional<String>> INTERPRETERS = new java.util.concurrent.ConcurrentHashMap<>();

    private static String interpreter(String exe, String printPath) {
        return INTERPRETERS.computeIfAbsent(exe, e -> {
            try {
                Process p = new ProcessBuilder(e, e.startsWith("node") ? "-e" : "-c", printPath).redirectErrorStream(false).start();
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
                p.getErrorStream().readAllBytes();
                return p.waitFor() == 0 && !out.isEmpty() && Files.isExecutable(Path.of(out))
                        ? java.util.Optional.of(out) : java.util.Optional.empty();
            } catch (IOException ex) {
                return java.util.Optional.empty();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return java.util.Optional.empty();
            }
        }).orElse(fallback(exe));
    }

    private static String fallback(String exe) {
        return exe.equals("python3") || exe.equals("node") ? exe : null;
    }

    /** Stops every process and forgets the extracted packages (the test controls' reset). */
    void reset() {
        List<RuntimeProcess> all = new ArrayList<>();
        synchronized (this) {
            idle.values().forEach(all::addAll);
            idle.clear();
            // an invocation in flight ends with its process: a reset forgets the function it runs
            all.addAll(busy);
            busy.clear();
            generations.clear();
        }
        all.forEach(RuntimeProcess::close);
    }

    @Override
    public void close() {
        prewarmer.shutdownNow();
        reaper.shutdownNow();
        List<RuntimeProcess> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.values().forEach(all::addAll);
            idle.clear();
            all.addAll(busy);
            busy.clear();
        }
        all.forEach(RuntimeProcess::close);
    }

    static Set<String> runnable() {
        return Set.of("nodejs18.x", "nodejs20.x", "nodejs22.x", "nodejs24.x", "python3.9", "python3.10", "python3.11", "python3.12",
                "python3.13", "python3.14");
    }
}
