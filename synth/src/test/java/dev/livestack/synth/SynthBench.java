package dev.livestack.synth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Drives the warm synthesizer for {@code bench/synth.sh}: one cold synth, then {@code rounds}
 * times a one-line edit of the app's main source followed by a synth, printing each
 * edit → assembly time and the median. Timed edits come {@code -Dlivestack.bench.pauseMs} apart
 * (default 1000), as a developer's saves do; the memory run does not pause. With {@code --memory N} it runs N edit+synth cycles and
 * prints livestack's heap after a GC and the runtime's resident memory (JVM, node) every N/40 synths and at each
 * runtime swap.
 *
 * <p>Usage: {@code SynthBench <app-dir> <rounds> [--memory N]} (the app folder is edited in place:
 * pass a copy).
 */
public final class SynthBench {
    private SynthBench() {
    }

    public static void main(String[] args) throws Exception {
        Path app = Path.of(args[0]).toAbsolutePath().normalize();
        int rounds = Integer.parseInt(args[1]);
        int memorySynths = args.length > 3 && args[2].equals("--memory") ? Integer.parseInt(args[3]) : 0;
        Map<String, String> env = Map.of("PATH", System.getenv("PATH"), "HOME", System.getProperty("user.home"));
        boolean validation = !"false".equals(System.getProperty("livestack.bench.validation"));
        SynthOptions options = SynthOptions.of(app).withEnvironment(env).withTarget("us-east-1", "000000000000")
                .withValidation(validation)
                .withRuntimeBounds(Integer.getInteger("livestack.bench.maxSynths", SynthOptions.DEFAULT_MAX_SYNTHS_PER_RUNTIME),
                        SynthOptions.DEFAULT_MAX_RUNTIME_MEMORY_MB);
        System.out.printf("validation: %s; javac context reused between compiles: %s; load average %s%n", validation ? "on" : "off",
                IncrementalCompiler.reusesJavacContext() ? "yes" : "no (start java with --add-exports jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED)",
                loadAverage());
        Path edited = mainSource(app);
        String original = Files.readString(edited, StandardCharsets.UTF_8);
        try (Synthesizer s = Synthesizers.forApp(options)) {
            WarmJavaSynthesizer warm = (WarmJavaSynthesizer) ((EventingSynthesizer) s).inner();
            long t0 = System.nanoTime();
            s.synth();
            System.out.printf("cold synth: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            // a few untimed cycles: the JIT and node's module cache settle as they would after a minute of editing
            for (int i = 0; i < 3; i++) {
                editAndSynth(s, edited, original, -1 - i);
            }
            long[] ms = new long[rounds];
            long[] cpu = new long[rounds];
            List<WarmJavaSynthesizer.Timings> timings = new ArrayList<>();
            java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            for (int i = 0; i < rounds; i++) {
                // the pause first, outside the CPU counted: idle warm-ups run in it
                Thread.sleep(PAUSE_MS);
                long ownCpu0 = ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() / 1_000_000;
                long runtimeCpu0 = cpuMs(warm.runtimePid());
                ms[i] = editAndSynth(s, edited, original, i);
                long ownCpu = ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() / 1_000_000 - ownCpu0;
                long runtimeCpu = cpuMs(warm.runtimePid()) - runtimeCpu0;
                cpu[i] = ownCpu + runtimeCpu;
                System.out.printf("edit -> assembly %d: %d ms wall, %d ms CPU (livestack %d + runtime JVM/node %d) %s%n",
                        i + 1, ms[i], cpu[i], ownCpu, runtimeCpu, warm.lastTimings());
                timings.add(warm.lastTimings());
            }
            System.out.printf("warm median: %d ms%n", median(ms));
            System.out.printf("warm p95: %d ms%n", percentile(ms, 95));
            System.out.printf("breakdown, medians (ms): cdk.json+pom %d, compile %d (thread CPU %d), clear %d, runtime %d"
                    + " (load main %d, main %d; CPU: runtime JVM %d, node %d), read %d%n",
                    medianOf(timings, WarmJavaSynthesizer.Timings::projectMs), medianOf(timings, WarmJavaSynthesizer.Timings::compileMs),
                    medianOf(timings, WarmJavaSynthesizer.Timings::compileCpuMs), medianOf(timings, WarmJavaSynthesizer.Timings::clearMs),
                    medianOf(timings, WarmJavaSynthesizer.Timings::runtimeMs), medianOf(timings, WarmJavaSynthesizer.Timings::loadMs),
                    medianOf(timings, WarmJavaSynthesizer.Timings::mainMs), medianOf(timings, WarmJavaSynthesizer.Timings::runtimeJvmCpuMs),
                    medianOf(timings, WarmJavaSynthesizer.Timings::nodeCpuMs), medianOf(timings, WarmJavaSynthesizer.Timings::readMs));
            System.out.printf("load average after the timed edits: %s%n", loadAverage());
            System.out.printf("warm CPU median: %d ms (what one synth costs; equals wall time on an idle machine with one core free)%n",
                    median(cpu));
            if (memorySynths > 0) {
                memoryRun(s, warm, edited, original, memorySynths);
            }
        } finally {
            Files.writeString(edited, original, StandardCharsets.UTF_8);
        }
    }

    /**
     * {@code n} edit+synth cycles without pauses, sampling every n/40 synths (and around every
     * runtime swap): livestack's heap after a GC, the runtime JVM's and node's resident memory.
     */
    private static void memoryRun(Synthesizer s, WarmJavaSynthesizer warm, Path edited, String original, int n) throws Exception {
        int step = Math.max(1, n / 40);
        List<long[]> samples = new ArrayList<>();
        int lastGeneration = warm.generation();
        long[] previous = null;
        System.out.printf("memory run: %d synths, load average %s%n", n, loadAverage());
        long[] first = memorySample(warm, 0);
        samples.add(first);
        printSample("start", first);
        long[] times = new long[n];
        int windowStart = 0;
        for (int i = 1; i <= n; i++) {
            times[i - 1] = editAndSynth(s, edited, original, 1000 + i);
            if (i % 100 == 0 || i == n) {
                // recycling must not show: latency per 100 synths, swaps included
                long[] window = Arrays.copyOfRange(times, windowStart, i);
                System.out.printf("  synths %d-%d: median %d ms, p95 %d ms, max %d ms (no pauses; load average %s)%n", windowStart + 1, i,
                        median(window), percentile(window, 95), Arrays.stream(window).max().orElse(0), loadAverage());
                windowStart = i;
            }
            int generation = warm.generation();
            if (generation != lastGeneration) {
                long[] now = memorySample(warm, i);
                samples.add(now);
                System.out.printf("  runtime recycled before synth %d (generation %d -> %d)%n", i, lastGeneration, generation);
                if (previous != null) {
                    printSample("  last sample of the old runtime", previous);
                }
                printSample("  first synth of the new runtime", now);
                lastGeneration = generation;
            } else if (i % step == 0 || i == n) {
                previous = memorySample(warm, i);
                samples.add(previous);
                printSample("sample", previous);
            }
        }
        System.out.printf("memory run latency: median %d ms, p95 %d ms, max %d ms%n", median(times), percentile(times, 95),
                Arrays.stream(times).max().orElse(0));
        long[] last = samples.get(samples.size() - 1);
        printSample("end", last);
        // the "JVM + node memory flat within +-10 %": the runtime JVM's heap after GC (plus its non-heap:
        // classes, code) and node's resident memory; rss of the JVM is printed too, but it shows heap growth policy
        band("runtime JVM heap+non-heap after GC + node rss", samples, v -> ((v[5] + v[6]) >> 20) + v[3] / 1024, n);
        band("node rss", samples, v -> v[3] / 1024, n);
        band("runtime JVM heap+non-heap after GC", samples, v -> (v[5] + v[6]) >> 20, n);
        band("runtime rss (JVM + node)", samples, v -> (v[2] + v[3]) / 1024, n);
        long hMin = samples.stream().mapToLong(v -> v[1]).min().orElse(0);
        long hMax = samples.stream().mapToLong(v -> v[1]).max().orElse(0);
        double hMid = (hMin + hMax) / 2.0;
        System.out.printf("livestack heap after GC over %d synths: min %d MB, max %d MB, +-%.1f %%; start %d MB, end %d MB%n",
                n, hMin >> 20, hMax >> 20, hMid == 0 ? 0 : 100.0 * (hMax - hMid) / hMid, first[1] >> 20, last[1] >> 20);
        System.out.printf("load average after the memory run: %s%n", loadAverage());
    }

    private static void band(String what, List<long[]> samples, java.util.function.ToLongFunction<long[]> mb, int n) {
        long min = samples.stream().mapToLong(mb).min().orElse(0);
        long max = samples.stream().mapToLong(mb).max().orElse(0);
        double mid = (min + max) / 2.0;
        System.out.printf("%s over %d synths: min %d MB, max %d MB (+-%.1f %% around %.0f MB); start %d MB, end %d MB%n", what, n, min,
                max, mid == 0 ? 0 : 100.0 * (max - mid) / mid, mid, mb.applyAsLong(samples.get(0)),
                mb.applyAsLong(samples.get(samples.size() - 1)));
    }

    /**
     * {synths, livestack heap bytes after GC, runtime JVM rss KB, node rss KB, generation, runtime JVM heap bytes after
     * GC, runtime JVM non-heap bytes}.
     */
    private static long[] memorySample(WarmJavaSynthesizer warm, int synths) throws SynthException {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long heap = rt.totalMemory() - rt.freeMemory();
        long[] gc = warm.runtimeMemoryAfterGc();
        long[] rss = warm.runtimeResidentKb();
        return new long[] {synths, heap, rss == null ? -1 : rss[0], rss == null ? -1 : rss[1], warm.generation(),
                gc == null ? -1 : gc[0], gc == null ? -1 : gc[1]};
    }

    private static void printSample(String label, long[] v) {
        System.out.printf("%s after %d synths: livestack heap after GC %d MB; runtime generation %d: JVM heap after GC %d MB"
                + " (non-heap %d MB, rss %d MB), node rss %d MB; JVM heap after GC + node rss %d MB%n",
                label, v[0], v[1] >> 20, v[4], v[5] >> 20, v[6] >> 20, v[2] / 1024, v[3] / 1024, ((v[5] + v[6]) >> 20) + v[3] / 1024);
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** A developer saves seconds apart; what livestack does while idle (warm-ups) happens in that gap. */
    private static final long PAUSE_MS = Long.getLong("livestack.bench.pauseMs", 1000);

    private static long editAndSynth(Synthesizer s, Path file, String original, int n) throws Exception {
        Files.writeString(file, original + "// livestack bench edit " + n + "\n", StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        s.synth();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static final Map<Long, List<ProcessHandle>> DESCENDANTS = new java.util.HashMap<>();

    /** CPU time (user + system) of a process and its descendants, from /proc; 10 ms resolution. */
    static long cpuMs(long pid) {
        if (pid < 0) {
            return 0;
        }
        long ticks = 0;
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        // listing descendants scans every process: remember them per runtime, so the bench's own
        // bookkeeping stays out of the CPU it reports
        List<ProcessHandle> kids = DESCENDANTS.get(pid);
        if (kids == null || kids.isEmpty() || kids.stream().anyMatch(h -> !h.isAlive())) {
            kids = ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of());
            DESCENDANTS.put(pid, kids);
        }
        kids.forEach(d -> pids.add(d.pid()));
        for (long p : pids) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(p), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (Exception e) {
                // the process ended
            }
        }
        return ticks * 10;
    }

    private static long medianOf(List<WarmJavaSynthesizer.Timings> ts, java.util.function.ToLongFunction<WarmJavaSynthesizer.Timings> f) {
        return ts.isEmpty() ? 0 : median(ts.stream().mapToLong(f).toArray());
    }

    /** Nearest-rank percentile. */
    static long percentile(long[] values, int p) {
        long[] v = values.clone();
        Arrays.sort(v);
        int rank = (int) Math.ceil(p / 100.0 * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }

    static long median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The source file holding the stack: the largest .java file under src/main/java. */
    private static Path mainSource(Path app) throws Exception {
        try (Stream<Path> s = Files.walk(app.resolve("src/main/java"))) {
            return s.filter(p -> p.toString().endsWith(".java")).max((a, b) -> {
                try {
                    return Long.compare(Files.size(a), Files.size(b));
                } catch (Exception e) {
                    return 0;
                }
            }).orElseThrow(() -> new IllegalStateException("no Java source in " + app));
        }
    }
}
