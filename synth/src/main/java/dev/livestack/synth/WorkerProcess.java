package dev.livestack.synth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Parent side of one {@link SynthWorker}: a JVM plus the node process jsii starts in it. */
final class WorkerProcess implements AutoCloseable {
    private static final int STDERR_TAIL = 40;
    /** Starting node and loading aws-cdk-lib takes seconds; a shorter synth timeout does not apply to it. */
    private static final Duration MIN_INIT_TIMEOUT = Duration.ofMinutes(2);
    /** Ends runtimes that overrun a request: a blocked readLine cannot be interrupted, a killed process ends it. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "livestack-synth-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final Process process;
    private final BufferedReader replies;
    private final Writer requests;
    private final Deque<String> stderrTail = new ArrayDeque<>();
    /** The environment key this runtime was started with; another key needs another runtime. */
    final String key;
    private final Duration timeout;
    private int synths;
    /** Set by the watchdog when it killed the runtime because a request overran {@link #timeout}. */
    private volatile Duration timedOut;
    /** jsii's node processes, known after the first request that started them; one that ended leaves jsii unusable. */
    private volatile List<ProcessHandle> nodes = List.of();

    private WorkerProcess(Process process, String key, Duration timeout) {
        this.process = process;
        this.key = key;
        this.timeout = timeout;
        this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread drain = new Thread(this::drainStderr, "livestack-synth-worker-stderr");
        drain.setDaemon(true);
        drain.start();
    }

    /**
     * The runtime JVM's options. One synth at a time: a small serial heap starts faster and keeps
     * memory flat. C1 only ({@code TieredStopAtLevel=1}): a synth runs the CDK's Java side for tens
     * of milliseconds, so C2's optimisations rarely pay back the CPU its compiler threads take from
     * the synth (measured: runtime JVM CPU per warm synth ~80 → ~40 ms). Replaced as a whole by the
     * system property {@code livestack.synth.runtimeJvmOptions} (space-separated), for measuring.
     */
    static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss2m",
            "-XX:+IgnoreUnrecognizedVMOptions");

    static WorkerProcess start(Path classpathFile, String mainClass, Map<String, String> env, Path workDir, String key,
                               Duration timeout) throws SynthException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        String override = System.getProperty("livestack.synth.runtimeJvmOptions");
        if (override != null) {
            for (String o : override.trim().split("\\s+")) {
                if (!o.isEmpty()) {
                    cmd.add(o);
                }
            }
        } else {
            cmd.addAll(JVM_OPTIONS);
        }
        // the inline-packager's CDK helper, running inside the app, reads these (InlineFunction)
        cmd.add("-Dlivestack.appDir=" + workDir.toAbsolutePath());
        Path esbuild = esbuild();
        if (esbuild != null) {
            cmd.add("-Dlivestack.esbuild=" + esbuild);
        }
        cmd.addAll(List.of("-cp", ownClasspath(), SynthWorker.class.getName(), classpathFile.toString(), mainClass));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            return new WorkerProcess(pb.start(), key, timeout);
        } catch (IOException e) {
            throw new SynthException("cannot start the synth runtime: " + e.getMessage(), List.of(), e);
        }
    }

    /**
     * livestack's own esbuild: {@code -Dlivestack.esbuild} of this JVM, else
     * {@code tools/node_modules/.bin/esbuild} under {@code -Dlivestack.home} (set by the launcher)
     * or above livestack's synth classes (a checkout); null when there is none (the helper then
     * searches from the app folder).
     */
    static Path esbuild() {
        String explicit = System.getProperty("livestack.esbuild");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit).toAbsolutePath();
        }
        List<Path> roots = new ArrayList<>();
        String home = System.getProperty("livestack.home");
        if (home != null && !home.isBlank()) {
            roots.add(Path.of(home));
        }
        try {
            roots.add(Path.of(ownClasspath()));
        } catch (SynthException e) {
            // no code location: the launcher's home is all there is
        }
        for (Path root : roots) {
            for (Path d = root.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
                Path candidate = d.resolve("tools/node_modules/.bin/esbuild");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    private static String ownClasspath() throws SynthException {
        try {
            return Path.of(SynthWorker.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | NullPointerException e) {
            throw new SynthException("cannot locate livestack's synth classes", List.of(), e);
        }
    }

    private void drainStderr() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (stderrTail) {
                    stderrTail.addLast(line);
                    if (stderrTail.size() > STDERR_TAIL) {
                        stderrTail.removeFirst();
                    }
                }
            }
        } catch (IOException ignored) {
            // the worker is gone; its exit is reported by the next request
        }
    }

    /** The last lines the runtime wrote to stderr (the app's and node's output included). */
    List<String> recentOutput() {
        synchronized (stderrTail) {
            return new ArrayList<>(stderrTail);
        }
    }

    /**
     * Whether the runtime can synthesise: its JVM runs and so does the node jsii started in it. A node that
     * ended (killed, crashed, out of memory) cannot be restarted under the live jsii engine, so the whole
     * runtime must be replaced.
     */
    boolean alive() {
        return process.isAlive() && nodes.stream().allMatch(ProcessHandle::isAlive);
    }

    /** Whether a node jsii started has ended while the JVM still runs. */
    boolean nodeDied() {
        return process.isAlive() && nodes.stream().anyMatch(h -> !h.isAlive());
    }

    int synths() {
        return synths;
    }

    /** Starts node and loads aws-cdk-lib. */
    synchronized void init() throws SynthException {
        Duration limit = timeout.compareTo(MIN_INIT_TIMEOUT) > 0 ? timeout : MIN_INIT_TIMEOUT;
        ScheduledFuture<?> watchdog = watch(limit);
        try {
            send("init");
            String line = readLine();
            if (!"ready".equals(line)) {
                throw died("the synth runtime did not start (" + line + ")");
            }
        } finally {
            watchdog.cancel(false);
        }
        rememberNodes();
    }

    /** Notes jsii's node once it runs (jsii may start it lazily, at the first request that needs it). */
    private void rememberNodes() {
        if (!nodes.isEmpty()) {
            return;
        }
        List<ProcessHandle> found = process.children().filter(h -> h.info().command()
                .map(c -> c.endsWith("/node") || c.equals("node")).orElse(false)).toList();
        if (found.isEmpty()) {
            // where the command is unknown, every child the runtime JVM has is jsii's
            found = process.children().filter(h -> h.info().command().isEmpty()).toList();
        }
        nodes = found;
    }

    /** Kills the runtime if the request now starting has not answered within {@code limit}. */
    private ScheduledFuture<?> watch(Duration limit) {
        return WATCHDOG.schedule(() -> {
            timedOut = limit;
            kill();
        }, limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The runtime JVM's heap and non-heap (metaspace, code) use after a full GC, in bytes. */
    synchronized long[] memoryAfterGc() throws SynthException {
        send("mem");
        String line = readLine();
        String[] f = line.split(" ");
        if (f.length != 3 || !f[0].equals("mem")) {
            throw died("the synth runtime answered '" + line + "'");
        }
        return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
    }

    /** A throw-away synth into {@code scratch}, so the first real synth runs warm. */
    synchronized void warm(Path scratch) throws SynthException {
        try {
            request("warm " + scratch);
        } catch (SynthException e) {
            // e.g. an aws-cdk-lib without a construct the warm-up stack uses: no more warm-ups here
            warmFailed = true;
            throw e;
        } finally {
            warmed++;
        }
    }

    private int warmed;
    private boolean warmFailed;

    /** Whether more throw-away synths are worth running here (none failed so far). */
    synchronized boolean warmable() {
        return !warmFailed && alive();
    }

    /** Throw-away synths this runtime ran; they grow node as a real synth does. */
    synchronized int warmSynths() {
        return warmed;
    }

    /** Runs the app's main class from {@code classes}; its assembly lands in the worker's CDK_OUTDIR. */
    synchronized long synth(Path classes, Path resources) throws SynthException {
        synths++;
        return request("synth " + classes + " " + resources);
    }

    /** What the runtime reported about its last request: wall ms, main-class load ms, CPU ms of its JVM and node (-1: unknown). */
    record Stats(long ms, long loadMs, long jvmCpuMs, long nodeCpuMs) {
    }

    private volatile Stats lastStats;

    Stats lastStats() {
        return lastStats;
    }

    private long request(String line) throws SynthException {
        if (nodeDied()) {
            throw nodeGone();
        }
        ScheduledFuture<?> watchdog = watch(timeout);
        try {
            long ms = answer(line);
            rememberNodes();
            return ms;
        } catch (SynthException e) {
            // jsii reports its dead node as an app error; the cause is the node, not the app. But when the watchdog
            // stopped an overrunning synth, its nodes died with it: the timeout is the cause then.
            throw timedOut == null && nodeDied() ? nodeGone() : e;
        } finally {
            watchdog.cancel(false);
        }
    }

    private SynthException nodeGone() {
        return new SynthException("the synth runtime's node process ended (killed or crashed)",
                List.of("livestack replaces the runtime: save again (or run the command again) to synthesise"));
    }

    private long answer(String line) throws SynthException {
        send(line);
        String header = readLine();
        String[] h = header.split(" ");
        if (h.length != 6) {
            throw died("the synth runtime answered '" + header + "'");
        }
        long ms = Long.parseLong(h[1]);
        int n = Integer.parseInt(h[2]);
        lastStats = new Stats(ms, Long.parseLong(h[3]), Long.parseLong(h[4]), Long.parseLong(h[5]));
        List<String> body = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            body.add(readLine());
        }
        if (h[0].equals("ok")) {
            return ms;
        }
        String message = body.isEmpty() ? "the app failed" : body.get(0);
        throw new SynthException("the app failed: " + message, body.subList(Math.min(1, body.size()), body.size()));
    }

    private void send(String line) throws SynthException {
        try {
            requests.write(line + "\n");
            requests.flush();
        } catch (IOException e) {
            throw died("the synth runtime is not running");
        }
    }

    private String readLine() throws SynthException {
        try {
            String line = replies.readLine();
            if (line == null) {
                throw died("the synth runtime exited");
            }
            return line;
        } catch (IOException e) {
            throw died("the synth runtime stopped answering: " + e.getMessage());
        }
    }

    private SynthException died(String message) {
        Duration overran = timedOut;
        if (overran != null) {
            return new SynthException("the synth did not finish within " + seconds(overran) + " and was stopped",
                    List.of("make the app's synth finish (does its main wait for something?), or allow it longer with"
                            + " --synth-timeout SECONDS; the next synth starts a new runtime"));
        }
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> tail;
        synchronized (stderrTail) {
            tail = new ArrayList<>(stderrTail);
        }
        return new SynthException(message + (process.isAlive() ? "" : " (exit code " + process.exitValue() + ")"), tail);
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Resident memory of the worker JVM and its node processes, in MB; -1 when the platform does not say. */
    long residentMb() {
        long jvm = jvmResidentKb();
        if (jvm < 0) {
            return -1;
        }
        return (jvm + Math.max(0, nodeResidentKb())) / 1024;
    }

    /** Resident memory of the worker JVM alone, in KB; -1 when unknown. */
    long jvmResidentKb() {
        return rssKb(process.pid());
    }

    /** Resident memory of jsii's node processes, in KB; -1 when unknown. */
    long nodeResidentKb() {
        long kb = -1;
        for (ProcessHandle h : descendants()) {
            long c = rssKb(h.pid());
            if (c > 0) {
                kb = Math.max(0, kb) + c;
            }
        }
        return kb;
    }

    /** Listing descendants scans every process on the machine: remember node's pids until one ends. */
    private List<ProcessHandle> descendants() {
        List<ProcessHandle> known = children;
        if (known == null || known.isEmpty() || known.stream().anyMatch(h -> !h.isAlive())) {
            known = process.descendants().toList();
            children = known;
        }
        return known;
    }

    private volatile List<ProcessHandle> children;

    private static long rssKb(long pid) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            for (String l : Files.readAllLines(status)) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    long pid() {
        return process.pid();
    }

    /** Ends the runtime and its node at once, without asking. */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        try {
            requests.write("exit\n");
            requests.flush();
            requests.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        // the worker halts without running jsii's shutdown hook, so its node is ended here
        children.forEach(ProcessHandle::destroy);
    }
}
