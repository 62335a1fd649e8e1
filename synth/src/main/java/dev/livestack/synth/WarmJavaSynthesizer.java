package dev.livestack.synth;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The warm synthesizer for Maven Java CDK apps.
 *
 * <p>Per synth: re-read {@code cdk.json} context; the dependency classpath from the cache
 * (Maven runs only when {@code pom.xml} changed); compile the changed sources in-process; clear
 * the output folder; run the app's main class in the warm runtime ({@link SynthWorker}) with a
 * fresh class loader; read the assembly.
 *
 * <p>Runtimes: jsii never frees objects, and node cannot be restarted under a live jsii engine,
 * so a runtime (worker JVM + node) serves at most {@code maxSynthsPerRuntime} synths or
 * {@code maxRuntimeMemoryMb} of resident memory. Near either bound the next runtime is started
 * and warmed in the background, and swapped in at the next synth once it is ready; a user synth
 * never waits for a cold start except the very first one, or when the context, validation setting
 * or classpath changed (node reads those at start).
 */
final class WarmJavaSynthesizer implements Synthesizer {
    /** Prepare the next runtime when this share of a bound is used. */
    private static final double PREPARE_AT = 0.9;

    private final SynthOptions options;
    private final Path dir;
    private final Path outDir;
    private final MavenApp maven;
    private final ReentrantLock lock = new ReentrantLock();
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "livestack-synth-prepare");
        t.setDaemon(true);
        return t;
    });
    private IncrementalCompiler compiler;
    /** Volatile so close() can end a runtime that is busy in a synth holding the lock. */
    private volatile WorkerProcess active;
    /** The runtime being prepared in the background, if any. */
    private CompletableFuture<WorkerProcess> next;
    private volatile boolean closed;
    private volatile int generation;
    private volatile Timings lastTimings;
    /** prepare() parses pom.xml; unchanged pom.xml and cdk.json give the same answer. */
    private volatile PreparedFor lastPrepared;

    private record PreparedFor(String cacheKey, Prepared prepared) {
    }

    /**
     * Where the last successful synth spent its time, in ms: reading cdk.json and hashing pom.xml,
     * hashing the sources plus javac ({@code compileMs}, of it {@code compileCpuMs} on the compiling thread),
     * emptying the output folder, the request to the runtime ({@code runtimeMs}: loading the app's
     * main class {@code loadMs}, running main {@code mainMs} — new App, the constructs, jsii synth
     * with validation and the assembly write — and the rest is the line protocol), CPU of the
     * runtime's JVM and of node during it, and reading the assembly back.
     */
    record Timings(long projectMs, long compileMs, long compileCpuMs, int compiledFiles, boolean reusedJavacContext, long clearMs,
            long runtimeMs, long loadMs, long mainMs, long runtimeJvmCpuMs, long nodeCpuMs, long readMs) {
        @Override
        public String toString() {
            return "cdk.json+pom " + projectMs + ", compile " + compileMs + " ms (" + compiledFiles + " file" + (compiledFiles == 1 ? "" : "s") + ", thread CPU "
                    + compileCpuMs + (reusedJavacContext ? ", warm javac context" : "") + "), clear " + clearMs
                    + ", runtime " + runtimeMs + " (load main " + loadMs + ", main " + mainMs + ", protocol "
                    + Math.max(0, runtimeMs - loadMs - mainMs) + "; CPU: JVM " + runtimeJvmCpuMs + ", node " + nodeCpuMs
                    + "), read " + readMs;
        }
    }

    WarmJavaSynthesizer(SynthOptions options, CdkProject project, Path outDir) {
        this.options = options;
        this.dir = project.dir();
        this.outDir = outDir;
        // in a multi-module build the sources, pom and classpath are the app module's; the app still runs in the root folder
        this.maven = new MavenApp(appModuleOrRoot(dir, project.app()), dir, options.environment());
        // start the first runtime while the caller does other things (local-cloud, the watcher)
        lock.lock();
        try {
            next = CompletableFuture.supplyAsync(() -> {
                try {
                    Prepared p = prepare(project);
                    WorkerProcess w = startRuntime(p);
                    w.init();
                    return w;
                } catch (SynthException e) {
                    throw new PreparationFailed(e);
                }
            }, background);
        } finally {
            lock.unlock();
        }
    }

    private static Path appModuleOrRoot(Path dir, String appCommand) {
        try {
            Path m = MavenApp.appModule(dir, appCommand);
            return m == null ? dir : m;
        } catch (SynthException e) {
            return dir;
        }
    }

    /** Carries a SynthException out of a background future. */
    private static final class PreparationFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PreparationFailed(SynthException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** What a runtime is started with; its key says when a runtime no longer fits. */
    private record Prepared(List<Path> classpath, String mainClass, Map<String, String> env, String key) {
    }

    private Prepared prepare(CdkProject project) throws SynthException {
        String pomHash = maven.pomHash();
        String cacheKey = pomHash + "|" + project;
        PreparedFor cached = lastPrepared;
        if (cached != null && cached.cacheKey().equals(cacheKey)) {
            return cached.prepared();
        }
        List<Path> cp = maven.dependencyClasspath();
        String main = maven.mainClass(project.app());
        Map<String, String> env = ChildEnvironment.forApp(options, project, outDir);
        String key = env.get("CDK_CONTEXT_JSON") + "|" + env.get("CDK_VALIDATION") + "|" + main + "|" + pomHash;
        Prepared p = new Prepared(cp, main, env, key);
        lastPrepared = new PreparedFor(cacheKey, p);
        return p;
    }

    private WorkerProcess startRuntime(Prepared p) throws SynthException {
        Path cpFile = maven.stateDir().resolve("classpath.txt");
        return WorkerProcess.start(cpFile, p.mainClass(), p.env(), dir, p.key(), options.synthTimeout());
    }

    @Override
    public CloudAssembly synth() throws SynthException {
        lock.lock();
        try {
            if (closed) {
                throw new SynthException("synthesizer is closed", List.of());
            }
            long tp = System.nanoTime();
            CdkProject project = CdkProject.read(dir, options.environment().get("HOME"));
            Prepared p = prepare(project);
            long projectNs = System.nanoTime() - tp;
            if (compiler == null) {
                compiler = new IncrementalCompiler(dir, maven.sourceDir(), maven.classesDir());
            }
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            IncrementalCompiler.Result compiled = compiler.compile(p.classpath());
            long t1 = System.nanoTime();
            long compileCpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
            if (closed) {
                throw new SynthException("synthesizer is closed", List.of());
            }
            WorkerProcess w = runtimeFor(p);
            long t1c = System.nanoTime();
            try {
                Folders.clear(outDir);
            } catch (IOException e) {
                throw new SynthException("cannot empty output folder " + outDir + ": " + e.getMessage(), List.of(), e);
            }
            long t2 = System.nanoTime();
            WorkerProcess.Stats stats;
            try {
                w.synth(maven.classesDir(), maven.resourceDir());
                stats = w.lastStats();
            } finally {
                if (!w.alive()) {
                    active = null;
                    w.close();
                }
            }
            long t3 = System.nanoTime();
            CloudAssembly assembly = AssemblyReader.read(outDir);
            long t4 = System.nanoTime();
            lastTimings = new Timings(projectNs / 1_000_000, (t1 - t0) / 1_000_000, compileCpu, compiled.compiledFiles(), compiled.reusedContext(),
                    (t2 - t1c) / 1_000_000, (t3 - t2) / 1_000_000, stats.loadMs(), stats.ms() - stats.loadMs(),
                    stats.jvmCpuMs(), stats.nodeCpuMs(), (t4 - t3) / 1_000_000);
            maybePrepareNext(w, p);
            Thread warming = idleWarmUp;
            boolean runtimeWants = w.warmable() && w.warmSynths() < RUNTIME_WARM_UP_SYNTHS && warmedGeneration != generation;
            boolean compilerWants = compilerWarmUps < COMPILER_WARM_UP_ROUNDS && !compilerWarmUpOver;
            if ((warming == null || !warming.isAlive()) && (runtimeWants || compilerWants)) {
                // once per runtime: a swapped-in runtime gets its remaining warm-up synths too
                warmedGeneration = generation;
                // its own thread: runtime preparation on `background` must never queue behind it
                Thread t = new Thread(() -> warmWhileIdle(p.classpath()), "livestack-synth-idle-warm-up");
                t.setDaemon(true);
                t.setPriority(Thread.MIN_PRIORITY);
                idleWarmUp = t;
                t.start();
            }
            return assembly;
        } finally {
            lock.unlock();
        }
    }

    /** Compiles in the first minute of a session are several times slower than later ones (JIT). */
    private static final int COMPILER_WARM_UP_ROUNDS = 25;
    /**
     * Throw-away synths a replacement runtime runs before its swap: its JVM's and node's JIT settle,
     * and node's heap grows to its working size, over the first ~20 synths.
     */
    static final int PREPARED_WARM_UP_SYNTHS = 20;
    /**
     * Throw-away synths the first runtime runs while idle after its first user synth. Fewer: node
     * keeps compiling and collecting for a while after each, which a save arriving then pays for.
     */
    static final int RUNTIME_WARM_UP_SYNTHS = 12;
    private volatile Thread idleWarmUp;
    /** The runtime generation an idle warm-up was last started for. */
    private int warmedGeneration = -1;
    /** Compiler warm-ups done this session; a busy session gives them up after two minutes. */
    private volatile int compilerWarmUps;
    private volatile boolean compilerWarmUpOver;

    /**
     * Runs throw-away compiles, and throw-away synths in the active runtime, while idle: one per
     * lock hold, so a user's save never waits behind more than one of them. A runtime swapped in
     * later was warmed before the swap; it gets the rest of its rounds here too.
     */
    private void warmWhileIdle(List<Path> classpath) {
        Path scratch = maven.stateDir().resolve("warm-up");
        // a busy session needs no warm-up (its own work warms the JIT): give up after a while
        long giveUpAt = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
        boolean turn = false;
        boolean runtimeTurn = false;
        while (!closed) {
            if (System.nanoTime() >= giveUpAt) {
                compilerWarmUpOver = true;
                return;
            }
            if (lock.tryLock()) {
                try {
                    if (closed || compiler == null) {
                        return;
                    }
                    WorkerProcess w = active;
                    boolean runtimeWants = w != null && w.warmable() && w.warmSynths() < RUNTIME_WARM_UP_SYNTHS;
                    boolean compilerWants = compilerWarmUps < COMPILER_WARM_UP_ROUNDS && !compilerWarmUpOver;
                    if (!runtimeWants && !compilerWants) {
                        return;
                    }
                    turn = !turn;
                    runtimeTurn = runtimeWants && (turn || !compilerWants);
                    if (runtimeTurn) {
                        Folders.clear(scratch);
                        w.warm(scratch);
                    } else {
                        compiler.warmUp(classpath);
                        compilerWarmUps++;
                    }
                } catch (SynthException | IOException | RuntimeException e) {
                    // a warm-up is an optimisation: the next real synth reports real problems (a
                    // runtime whose warm-up failed is marked, so the compiler rounds go on)
                    if (!(e instanceof SynthException) || !runtimeTurn) {
                        return;
                    }
                } finally {
                    lock.unlock();
                }
            }
            try {
                // leave room for a save that arrives now
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The runtime to synth with: the active one, or the prepared one once ready, or (cold) a new one. */
    private WorkerProcess runtimeFor(Prepared p) throws SynthException {
        if (next != null && (active == null || next.isDone())) {
            WorkerProcess ready = awaitNext();
            if (ready != null && ready.key.equals(p.key()) && ready.alive()) {
                swapIn(ready);
            } else if (ready != null) {
                ready.close();
            }
        }
        if (active != null && (!active.alive() || !active.key.equals(p.key()))) {
            active.close();
            active = null;
        }
        if (active == null) {
            if (closed) {
                throw new SynthException("synthesizer is closed", List.of());
            }
            WorkerProcess w = startRuntime(p);
            try {
                w.init();
            } catch (SynthException e) {
                w.close();
                throw e;
            }
            active = w;
            generation++;
        }
        return active;
    }

    private WorkerProcess awaitNext() throws SynthException {
        CompletableFuture<WorkerProcess> f = next;
        next = null;
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PreparationFailed pf && pf.getCause() instanceof SynthException se) {
                throw se;
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SynthException("interrupted while starting the synth runtime", List.of(), e);
        }
    }

    private void swapIn(WorkerProcess ready) {
        WorkerProcess old = active;
        active = ready;
        generation++;
        if (old != null) {
            background.execute(old::close);
        }
    }

    private void maybePrepareNext(WorkerProcess w, Prepared p) {
        if (next != null) {
            return;
        }
        long rss = w.residentMb();
        // throw-away synths grow node as real ones do
        boolean countNear = w.synths() + w.warmSynths() >= Math.max(1, (int) (options.maxSynthsPerRuntime() * PREPARE_AT));
        boolean memoryNear = rss > 0 && rss >= options.maxRuntimeMemoryMb() * PREPARE_AT;
        if (countNear || memoryNear) {
            next = prepareInBackground(p);
        }
    }

    private CompletableFuture<WorkerProcess> prepareInBackground(Prepared p) {
        Path scratch = maven.stateDir().resolve("warm-up");
        return CompletableFuture.supplyAsync(() -> {
            WorkerProcess w = null;
            try {
                w = startRuntime(p);
                w.init();
                Folders.clear(scratch);
                // as many as the idle warm-up gives the first runtime: JIT-compiled code, and node's
                // heap grown to its working size (it grows ~50 MB over the first ~20 synths), before
                // the swap rather than in front of the user's saves
                try {
                    while (w.warmSynths() < PREPARED_WARM_UP_SYNTHS && !closed) {
                        w.warm(scratch);
                    }
                } catch (SynthException e) {
                    // a runtime that cannot run the warm-up stack can still run the app
                    if (!w.alive()) {
                        throw e;
                    }
                }
                return w;
            } catch (SynthException | IOException e) {
                if (w != null) {
                    w.close();
                }
                return null;
            }
        }, background);
    }

    /**
     * Replaces the runtime now (prepared and warmed before the swap), as a bound would; returns
     * once the new runtime is active. For tests and for callers that know memory must be freed.
     */
    void recycleNow() throws SynthException {
        lock.lock();
        try {
            Prepared p = prepare(CdkProject.read(dir, options.environment().get("HOME")));
            if (next == null) {
                next = prepareInBackground(p);
            }
            WorkerProcess ready = awaitNext();
            if (ready == null) {
                throw new SynthException("the next synth runtime failed to start", List.of());
            }
            swapIn(ready);
        } finally {
            lock.unlock();
        }
    }

    Timings lastTimings() {
        return lastTimings;
    }

    // Observers below never take the lock: a synth may hold it for as long as the app runs.

    /** How many runtimes this synthesizer has started and swapped in so far. */
    int generation() {
        return generation;
    }

    /** The active runtime's process id, or -1. */
    long runtimePid() {
        WorkerProcess w = active;
        return w == null ? -1 : w.pid();
    }

    /** The active runtime's recent stderr lines. */
    List<String> runtimeOutput() {
        WorkerProcess w = active;
        return w == null ? List.of() : w.recentOutput();
    }

    /** Resident memory of the active runtime's JVM and of its node, in KB (-1 when unknown); null without a runtime. */
    long[] runtimeResidentKb() {
        WorkerProcess w = active;
        return w == null ? null : new long[] {w.jvmResidentKb(), w.nodeResidentKb()};
    }

    /** The active runtime JVM's heap and non-heap use after a full GC, in bytes; null without a runtime. For benches. */
    long[] runtimeMemoryAfterGc() throws SynthException {
        WorkerProcess w = active;
        return w == null ? null : w.memoryAfterGc();
    }

    @Override
    public void close() {
        closed = true;
        // a synth may be running (an app may even loop forever): end whatever runtime it uses until
        // the lock frees; synth() checks `closed` before starting another
        try {
            while (!lock.tryLock(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                WorkerProcess busy = active;
                if (busy != null) {
                    busy.kill();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lock.lock();
        }
        try {
            if (active != null) {
                active.close();
                active = null;
            }
            if (next != null) {
                next.thenAccept(w -> {
                    if (w != null) {
                        w.close();
                    }
                });
                next = null;
            }
            if (compiler != null) {
                compiler.close();
            }
        } finally {
            lock.unlock();
        }
        background.shutdown();
    }
}
