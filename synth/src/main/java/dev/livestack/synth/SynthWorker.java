package dev.livestack.synth;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The warm synth runtime: a JVM of its own, started by {@link WorkerProcess} with the exact
 * environment the app's node process must see ({@code CDK_OUTDIR}, {@code CDK_CONTEXT_JSON},
 * {@code CDK_VALIDATION}): jsii starts node with the JVM's environment and node reads those once,
 * so they cannot be set from inside an already running JVM.
 *
 * <p>aws-cdk-lib, jsii and constructs live in one class loader for the worker's lifetime (the
 * jsii kernel is a singleton bound to one node process); the app's classes get a fresh child
 * loader per synth, so no stale class can run. Uses only the JDK: its class path is just
 * livestack's synth classes.
 *
 * <p>Protocol, one line per request on stdin; replies on the original stdout (the app's own
 * output is captured and returned, never mixed into the protocol):
 * <pre>
 *   init                 → ready
 *   warm DIR             → ok MS 0 …          (a throw-away synth into DIR: JIT and node modules warm)
 *   synth CLASSES RES    → ok MS N LOAD JVM NODE | fail MS N …, then N lines (fail: message first, then output)
 *                          LOAD: ms to load the main class; JVM, NODE: CPU ms of this JVM and of node
 *                          during the request (-1 when the platform does not say)
 *   mem                  → mem HEAP NONHEAP      (bytes used after a full GC)
 *   exit
 * </pre>
 */
final class SynthWorker {
    private static final int MAX_OUTPUT_LINES = 80;

    private final ClassLoader cdkLoader;
    private Method clearAssetHashCache;
    private final String mainClass;
    private final CapturingStream capture;

    private SynthWorker(ClassLoader cdkLoader, String mainClass, CapturingStream capture) {
        this.cdkLoader = cdkLoader;
        this.mainClass = mainClass;
        this.capture = capture;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: SynthWorker <classpath-file> <main-class>");
            System.exit(2);
        }
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        CapturingStream capture = new CapturingStream(new FileOutputStream(FileDescriptor.err));
        PrintStream appOut = new PrintStream(capture, true, StandardCharsets.UTF_8);
        System.setOut(appOut);
        System.setErr(appOut);
        List<URL> urls = new ArrayList<>();
        for (String s : Files.readString(Path.of(args[0])).strip().split(java.io.File.pathSeparator)) {
            if (!s.isBlank()) {
                urls.add(Path.of(s.strip()).toUri().toURL());
            }
        }
        ClassLoader cdk = new URLClassLoader("livestack-cdk", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        SynthWorker worker = new SynthWorker(cdk, args[1], capture);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] parts = line.split(" ", 3);
            switch (parts[0]) {
                case "init" -> {
                    worker.init();
                    protocol.println("ready");
                }
                case "warm" -> protocol.print(worker.reply(() -> worker.warm(Path.of(parts[1]))));
                case "synth" -> protocol.print(worker.reply(() -> worker.synth(Path.of(parts[1]), Path.of(parts[2]))));
                case "mem" -> {
                    // after a full GC: what this JVM really holds, not what its heap has grown to
                    System.gc();
                    java.lang.management.MemoryMXBean mem = java.lang.management.ManagementFactory.getMemoryMXBean();
                    protocol.println("mem " + mem.getHeapMemoryUsage().getUsed() + " " + mem.getNonHeapMemoryUsage().getUsed());
                }
                case "exit" -> {
                    protocol.flush();
                    Runtime.getRuntime().halt(0);
                }
                default -> protocol.println("fail 0 1 0 -1 -1\nunknown request " + parts[0]);
            }
            protocol.flush();
        }
        // stdin closed: the parent is gone
        Runtime.getRuntime().halt(0);
    }

    private interface Job {
        void run() throws Throwable;
    }

    /** ms spent loading the app's main class in the current request. */
    private long loadMs;

    private String reply(Job job) {
        capture.start();
        loadMs = 0;
        long jvm0 = ownCpuMs();
        long node0 = nodeCpuMs();
        long t0 = System.nanoTime();
        String failure = null;
        try {
            job.run();
        } catch (Throwable t) {
            failure = describe(t);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long jvm = jvm0 < 0 ? -1 : ownCpuMs() - jvm0;
        long node1 = nodeCpuMs();
        long node = node0 < 0 || node1 < 0 ? -1 : node1 - node0;
        String stats = " " + loadMs + " " + jvm + " " + node;
        List<String> output = capture.stop();
        StringBuilder sb = new StringBuilder();
        if (failure == null) {
            sb.append("ok ").append(ms).append(" 0").append(stats).append('\n');
        } else {
            List<String> lines = new ArrayList<>();
            failure.lines().forEach(lines::add);
            List<String> body = new ArrayList<>();
            body.add(lines.isEmpty() ? "the app failed" : lines.get(0));
            body.addAll(lines.subList(Math.min(1, lines.size()), Math.min(lines.size(), 30)));
            body.addAll(output.subList(Math.max(0, output.size() - MAX_OUTPUT_LINES), output.size()));
            sb.append("fail ").append(ms).append(' ').append(body.size()).append(stats).append('\n');
            body.forEach(l -> sb.append(l.replace('\r', ' ')).append('\n'));
        }
        return sb.toString();
    }

    private static String describe(Throwable t) {
        Throwable c = t;
        while ((c instanceof InvocationTargetException || c instanceof ExceptionInInitializerError) && c.getCause() != null) {
            c = c.getCause();
        }
        String msg = c.getMessage();
        StringBuilder sb = new StringBuilder(msg == null || msg.isBlank() ? c.getClass().getName() : msg.strip());
        // where in the app it happened: the first frames outside the JDK and jsii
        int shown = 0;
        for (StackTraceElement e : c.getStackTrace()) {
            String cls = e.getClassName();
            if (cls.startsWith("java.") || cls.startsWith("jdk.") || cls.startsWith("software.amazon.jsii.")
                    || cls.startsWith("dev.livestack.synth.")) {
                continue;
            }
            sb.append("\n    at ").append(e);
            if (++shown == 5) {
                break;
            }
        }
        return sb.toString();
    }

    private static long ownCpuMs() {
        return cpuMs(ProcessHandle.current().pid());
    }

    /** jsii's node processes (a relay and the kernel); remembered, since listing them scans every process. */
    private List<ProcessHandle> nodes = List.of();

    private long nodeCpuMs() {
        if (nodes.isEmpty() || nodes.stream().anyMatch(h -> !h.isAlive())) {
            nodes = ProcessHandle.current().descendants().toList();
        }
        if (nodes.isEmpty()) {
            return -1;
        }
        long sum = 0;
        for (ProcessHandle h : nodes) {
            long c = cpuMs(h.pid());
            if (c < 0) {
                return -1;
            }
            sum += c;
        }
        return sum;
    }

    /** User + system CPU of a process from /proc (Linux), in ms; -1 elsewhere. */
    private static long cpuMs(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Starts node and loads aws-cdk-lib into the jsii kernel: the cold part of a first synth. */
    private void init() {
        try {
            Class.forName("software.amazon.awscdk.App", true, cdkLoader);
        } catch (ClassNotFoundException | LinkageError e) {
            // reported by the first synth, with the app's own context
        }
    }

    /** A throw-away synth of a small stack, written to {@code dir} (explicit outdir, never CDK_OUTDIR). */
    private void warm(Path dir) throws Exception {
        Thread.currentThread().setContextClassLoader(cdkLoader);
        Class<?> construct = cls("software.constructs.Construct");
        Class<?> appPropsClass = cls("software.amazon.awscdk.AppProps");
        Object propsBuilder = appPropsClass.getMethod("builder").invoke(null);
        propsBuilder.getClass().getMethod("outdir", String.class).invoke(propsBuilder, dir.toString());
        Object props = propsBuilder.getClass().getMethod("build").invoke(propsBuilder);
        Object app = cls("software.amazon.awscdk.App").getConstructor(appPropsClass).newInstance(props);
        Object stack = cls("software.amazon.awscdk.Stack").getConstructor(construct, String.class).newInstance(app, "Warm");
        Object queue = cls("software.amazon.awscdk.services.sqs.Queue").getConstructor(construct, String.class)
                .newInstance(stack, "Queue");
        Class<?> fnBuilder = cls("software.amazon.awscdk.services.lambda.Function$Builder");
        Object b = fnBuilder.getMethod("create", construct, String.class).invoke(null, stack, "Fn");
        Class<?> runtime = cls("software.amazon.awscdk.services.lambda.Runtime");
        fnBuilder.getMethod("runtime", runtime).invoke(b, runtime.getField("NODEJS_22_X").get(null));
        fnBuilder.getMethod("handler", String.class).invoke(b, "index.handler");
        Class<?> code = cls("software.amazon.awscdk.services.lambda.Code");
        fnBuilder.getMethod("code", code).invoke(b, code.getMethod("fromInline", String.class).invoke(null, "exports.handler=async()=>1"));
        Object fn = fnBuilder.getMethod("build").invoke(b);
        Class<?> grantable = cls("software.amazon.awscdk.services.iam.IGrantable");
        queue.getClass().getMethod("grantSendMessages", grantable).invoke(queue, fn);
        app.getClass().getMethod("synth").invoke(app);
    }

    private Class<?> cls(String name) throws ClassNotFoundException {
        return Class.forName(name, true, cdkLoader);
    }

    private void synth(Path classes, Path resources) throws Throwable {
        URL[] urls = Files.isDirectory(resources)
                ? new URL[] {classes.toUri().toURL(), resources.toUri().toURL()}
                : new URL[] {classes.toUri().toURL()};
        // a fresh loader per synth: the app's classes are never visible to, or cached by, a parent
        URLClassLoader appLoader = new URLClassLoader("livestack-app", urls, cdkLoader);
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(appLoader);
        try {
            long t0 = System.nanoTime();
            clearAssetCache();
            Class<?> main = Class.forName(mainClass, true, appLoader);
            Method m = main.getMethod("main", String[].class);
            loadMs = (System.nanoTime() - t0) / 1_000_000;
            m.invoke(null, (Object) new String[0]);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("main class " + mainClass + " not found in the compiled sources", e);
        } finally {
            t.setContextClassLoader(before);
            // classes stay referenced by the jsii engine's object table; closing frees the jar/file handles
            appLoader.close();
        }
    }

    /** Copies everything to the real stderr and, between start and stop, keeps the lines. */
    static final class CapturingStream extends OutputStream {
        private final OutputStream sink;
        private ByteArrayOutputStream buffer;

        CapturingStream(OutputStream sink) {
            this.sink = sink;
        }

        synchronized void start() {
            buffer = new ByteArrayOutputStream();
        }

        synchronized List<String> stop() {
            ByteArrayOutputStream b = buffer;
            buffer = null;
            if (b == null) {
                return List.of();
            }
            return b.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }

        @Override
        public synchronized void write(int b) throws IOException {
            sink.write(b);
            if (buffer != null) {
                buffer.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            sink.write(b, off, len);
            if (buffer != null) {
                buffer.write(b, off, len);
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            sink.flush();
        }
    }

    /**
     * aws-cdk-lib caches asset staging per source path and options in node for the life of the process
     * (its cache key holds no file contents): in a warm runtime, an edited asset folder would keep the
     * first synth's hash, and the edit would never reach the stack. Cleared before every synth, as a
     * fresh {@code cdk synth} process starts with an empty cache.
     */
    private void clearAssetCache() throws ReflectiveOperationException {
        if (clearAssetHashCache == null) {
            clearAssetHashCache = Class.forName("software.amazon.awscdk.AssetStaging", true, cdkLoader).getMethod("clearAssetHashCache");
        }
        clearAssetHashCache.invoke(null);
    }
}
