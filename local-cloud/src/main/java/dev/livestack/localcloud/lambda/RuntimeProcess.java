package dev.livestack.localcloud.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.ports.LogSink;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One warm execution environment: a node or python process running a bootstrap script against its
 * own Lambda Runtime API server on a free loopback port. It runs one invocation at a time. Its output
 * goes to one log stream, in Lambda's format, written by a single reader thread so that the
 * platform lines (START, END, REPORT) and the function's own lines keep their order.
 */
final class RuntimeProcess implements AutoCloseable {
    private static final DateTimeFormatter STREAM_DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    private static final String MARKER = "\u0000LS ";

    /** What an invocation produced: the payload and, on failure, the error type the runtime reported. */
    record Outcome(byte[] payload, String errorType) {
    }

    /** One invocation in flight. */
    static final class Pending {
        final String requestId;
        final byte[] payload;
        final long deadlineEpochMs;
        final String invokedArn;
        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        final CountDownLatch ended = new CountDownLatch(1);
        final StringBuilder log = new StringBuilder();
        volatile boolean started;

        /** The caller's client context (the JSON decoded from X-Amz-Client-Context), or null. */
        String clientContext;

        Pending(String requestId, byte[] payload, long deadlineEpochMs, String invokedArn) {
            this.requestId = requestId;
            this.payload = payload;
            this.deadlineEpochMs = deadlineEpochMs;
            this.invokedArn = invokedArn;
        }
    }

    /** An invocation's result as Invoke returns it. */
    record Result(byte[] payload, String functionError, String log) {
    }

    final RuntimeSpec spec;
    final String streamName;
    private final LogSink logs;
    private final HttpServer api;
    private final ExecutorService apiThreads;
    private final Process process;
    private final Thread reader;
    private final long startNanos = System.nanoTime();
    private volatile long initDoneNanos;
    private final LinkedBlockingQueue<Pending> next = new LinkedBlockingQueue<>();
    private volatile Pending current;
    private volatile Outcome initError;
    private boolean reportedInit;
    private volatile boolean closed;
    /** When the last invocation ended (or the process started), for the idle reaper. */
    private volatile long lastUsedMillis = System.currentTimeMillis();

    private RuntimeProcess(RuntimeSpec spec, LogSink logs, List<String> command, Map<String, String> env) throws IOException {
        this.spec = spec;
        this.logs = logs;
        this.streamName = STREAM_DATE.format(Instant.now()) + "/[" + spec.version() + "]" + randomHex32();
        api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        apiThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "lambda-runtime-api-" + spec.functionName());
            t.setDaemon(true);
            return t;
        });
        api.setExecutor(apiThreads);
        api.createContext("/2018-06-01/runtime/", this::runtimeApi);
        api.start();
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.directory(spec.codeDir().toFile());
        pb.redirectErrorStream(true);
        // Inherit only what finds the interpreter; the function sees Lambda's variables, not the host's.
        pb.environment().keySet().retainAll(java.util.Set.of("PATH", "HOME", "PYENV_ROOT", "SYSTEMROOT", "TMPDIR"));
        pb.environment().putAll(env);
        pb.environment().put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + api.getAddress().getPort());
        pb.environment().put("AWS_LAMBDA_LOG_STREAM_NAME", streamName);
        try {
            process = pb.start();
        } catch (IOException e) {
            api.stop(0);
            apiThreads.shutdownNow();
            throw e;
        }
        process.getOutputStream().close();
        reader = new Thread(this::readOutput, "lambda-output-" + spec.functionName());
        reader.setDaemon(true);
        reader.start();
        process.onExit().thenRun(this::exited);
    }

    static RuntimeProcess start(RuntimeSpec spec, LogSink logs, List<String> command, Map<String, String> env) throws IOException {
        return new RuntimeProcess(spec, logs, command, env);
    }

    long lastUsedMillis() {
        return lastUsedMillis;
    }

    boolean alive() {
        return !closed && process.isAlive();
    }

    private static String randomHex32() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format("%016x%016x", r.nextLong(), r.nextLong());
    }

    // ---- invocation ---------------------------------------------------------------------------

    /** Runs one invocation to its end: a response, an error, a timeout or the process dying. */
    Result invoke(String requestId, byte[] payload, String invokedArn) {
        return invoke(requestId, payload, invokedArn, null);
    }

    /** Runs one invocation with the caller's client context (decoded JSON, or null). */
    Result invoke(String requestId, byte[] payload, String invokedArn, String clientContext) {
        long timeoutMillis = spec.timeoutSeconds() * 1000L;
        long begin = System.currentTimeMillis();
        Pending p = new Pending(requestId, payload, begin + timeoutMillis, invokedArn);
        p.clientContext = clientContext;
        current = p;
        if (initError != null || !process.isAlive()) {
            return failedBeforeStart(p);
        }
        next.add(p);
        Outcome outcome;
        boolean timedOut = false;
        try {
            outcome = p.outcome.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            timedOut = true;
            outcome = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while invoking " + spec.functionName(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        if (timedOut) {
            return timeout(p, begin);
        }
        boolean ended = false;
        if (outcome != initError && !"Runtime.ExitError".equals(outcome.errorType())) {
            // The END marker follows the function's last line on stdout; wait for the reader to pass it.
            ended = awaitEnded(p, 2000);
        }
        if (!ended) {
            // Init failed or the process died: it could not say where the invocation ended.
            destroy();
            joinReader();
            if (!p.started) {
                line(p, "START RequestId: " + requestId + " Version: " + spec.version());
            }
            if ("Runtime.ExitError".equals(outcome.errorType())) {
                line(p, "RequestId: " + requestId + " Error: Runtime exited with error: exit status " + exitCode() + "\nRuntime.ExitError");
            }
            endAndReport(p, System.currentTimeMillis() - begin, "error");
        }
        current = null;
        lastUsedMillis = System.currentTimeMillis();
        return new Result(outcome.payload(), outcome.errorType() == null ? null : "Unhandled", p.log.toString());
    }

    private Result failedBeforeStart(Pending p) {
        joinReader();
        Outcome o = initError != null ? initError : exitOutcome(p.requestId);
        line(p, "START RequestId: " + p.requestId + " Version: " + spec.version());
        endAndReport(p, 0, "error");
        current = null;
        return new Result(o.payload(), "Unhandled", p.log.toString());
    }

    private Result timeout(Pending p, long begin) {
        destroy();
        joinReader();
        String seconds = String.format(Locale.ROOT, "%.2f", (double) spec.timeoutSeconds());
        String text = Instant.now().toString() + " " + p.requestId + " Task timed out after " + seconds + " seconds";
        if (!p.started) {
            line(p, "START RequestId: " + p.requestId + " Version: " + spec.version());
        }
        line(p, text);
        endAndReport(p, System.currentTimeMillis() - begin, "timeout");
        current = null;
        String payload = "{\"errorMessage\":\"" + text + "\"}";
        return new Result(payload.getBytes(StandardCharsets.UTF_8), "Unhandled", p.log.toString());
    }

    /** Waits for the END marker; gives up early when the output has ended without one (the process died). */
    private boolean awaitEnded(Pending p, long millis) {
        long deadline = System.currentTimeMillis() + millis;
        try {
            while (true) {
                if (p.ended.await(10, TimeUnit.MILLISECONDS)) {
                    return true;
                }
                if (!reader.isAlive()) {
                    return p.ended.getCount() == 0;
                }
                if (System.currentTimeMillis() >= deadline) {
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void exited() {
        Pending p = current;
        if (p != null && !closed) {
            p.outcome.complete(initError != null ? initError : exitOutcome(p.requestId));
        }
    }

    private Outcome exitOutcome(String requestId) {
        String json = "{\"errorType\":\"Runtime.ExitError\",\"errorMessage\":\"RequestId: " + requestId
                + " Error: Runtime exited with error: exit status " + exitCode() + "\"}";
        return new Outcome(json.getBytes(StandardCharsets.UTF_8), "Runtime.ExitError");
    }

    private int exitCode() {
        try {
            return process.isAlive() ? -1 : process.exitValue();
        } catch (IllegalThreadStateException e) {
            return -1;
        }
    }

    // ---- the Runtime API ----------------------------------------------------------------------

    private void runtimeApi(HttpExchange exchange) throws IOException {
        try (exchange) {
            // Only the function's own runtime client may call: it names this address as Host and sends no Origin. A web
            // page (DNS rebinding, or a cross-site POST) would otherwise take the next event or post its answer.
            String host = exchange.getRequestHeaders().getFirst("Host");
            int port = api.getAddress().getPort();
            if (exchange.getRequestHeaders().containsKey("Origin")
                    || !("127.0.0.1:" + port).equals(host) && !("localhost:" + port).equals(host)) {
                exchange.sendResponseHeaders(403, -1);
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String rest = path.substring("/2018-06-01/runtime/".length());
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (rest.equals("invocation/next") && exchange.getRequestMethod().equals("GET")) {
                if (initDoneNanos == 0) {
                    initDoneNanos = System.nanoTime();
                }
                Pending p;
                try {
                    p = next.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                var h = exchange.getResponseHeaders();
                h.set("Lambda-Runtime-Aws-Request-Id", p.requestId);
                h.set("Lambda-Runtime-Deadline-Ms", Long.toString(p.deadlineEpochMs));
                h.set("Lambda-Runtime-Invoked-Function-Arn", p.invokedArn);
                if (p.clientContext != null) {
                    h.set("Lambda-Runtime-Client-Context", p.clientContext);
                }
                h.set("Lambda-Runtime-Trace-Id", "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
                        + randomHex32().substring(0, 24) + ";Sampled=0");
                Http.send(exchange, 200, "application/json", p.payload);
                return;
            }
            if (rest.startsWith("invocation/") && exchange.getRequestMethod().equals("POST")) {
                String[] parts = rest.split("/");
                Pending p = current;
                if (parts.length != 3 || p == null || !p.requestId.equals(parts[1])) {
                    Http.send(exchange, 400, "application/json",
                            "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}");
                    return;
                }
                if (parts[2].equals("response")) {
                    p.outcome.complete(new Outcome(body, null));
                } else if (parts[2].equals("error")) {
                    String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
                    p.outcome.complete(new Outcome(body, type == null ? "Unhandled" : type));
                } else {
                    Http.send(exchange, 404, "application/json", "{\"errorMessage\":\"not found\"}");
                    return;
                }
                Http.send(exchange, 202, "application/json", "{\"status\":\"OK\"}");
                return;
            }
            if (rest.equals("init/error") && exchange.getRequestMethod().equals("POST")) {
                String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
                initError = new Outcome(body, type == null ? "Runtime.Unknown" : type);
                Pending p = current;
                if (p != null) {
                    p.outcome.complete(initError);
                }
                Http.send(exchange, 202, "application/json", "{\"status\":\"OK\"}");
                return;
            }
            Http.send(exchange, 404, "application/json", "{\"errorMessage\":\"not found\"}");
        }
    }

    // ---- output -------------------------------------------------------------------------------

    private void readOutput() {
        // Split on \n only: a \r inside a line is a newline within one log event (the bootstraps' framing).
        try (InputStream in = process.getInputStream()) {
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        handleLine(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else {
                        line.write(buf[i]);
                    }
                }
            }
            if (line.size() > 0) {
                handleLine(line.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the process is gone; whatever it printed has been read
        }
    }

    private void handleLine(String raw) {
        if (raw.startsWith(MARKER)) {
            marker(raw.substring(MARKER.length()));
        } else {
            Pending p = current;
            line(p != null && p.started && p.ended.getCount() > 0 ? p : null, raw.replace('\r', '\n'));
        }
    }

    private void marker(String text) {
        String[] parts = text.split(" ");
        Pending p = current;
        if (p == null || parts.length < 2 || !parts[1].equals(p.requestId)) {
            return;
        }
        if (parts[0].equals("START")) {
            p.started = true;
            line(p, "START RequestId: " + p.requestId + " Version: " + spec.version());
        } else if (parts[0].equals("END")) {
            double ms = parts.length > 2 ? Double.parseDouble(parts[2]) : 0;
            endAndReport(p, ms, null);
        }
    }

    private synchronized void endAndReport(Pending p, double durationMs, String status) {
        if (p.ended.getCount() == 0) {
            return;
        }
        line(p, "END RequestId: " + p.requestId);
        StringBuilder report = new StringBuilder("REPORT RequestId: ").append(p.requestId)
                .append("\tDuration: ").append(String.format(Locale.ROOT, "%.2f", durationMs)).append(" ms")
                .append("\tBilled Duration: ").append((long) Math.max(1, Math.ceil(durationMs))).append(" ms")
                .append("\tMemory Size: ").append(spec.memoryMb()).append(" MB")
                .append("\tMax Memory Used: ").append(maxMemoryMb()).append(" MB");
        if (!reportedInit) {
            reportedInit = true;
            long init = (initDoneNanos == 0 ? System.nanoTime() : initDoneNanos) - startNanos;
            report.append("\tInit Duration: ").append(String.format(Locale.ROOT, "%.2f", init / 1e6)).append(" ms");
        }
        if (status != null) {
            report.append("\tStatus: ").append(status);
        }
        line(p, report.toString());
        p.ended.countDown();
    }

    /** Writes one log event to the stream (creating group and stream on first use) and to the tail. */
    private void line(Pending p, String message) {
        logs.write(spec.logGroup(), streamName, List.of(new LogSink.Line(System.currentTimeMillis(), message)), true);
        if (p != null) {
            synchronized (p.log) {
                p.log.append(message).append('\n');
            }
        }
    }

    private long maxMemoryMb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (l.startsWith("VmHWM:")) {
                    long kb = Long.parseLong(l.replaceAll("[^0-9]", ""));
                    return Math.max(1, (kb + 1023) / 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc (not Linux) or the process has gone: report the smallest plausible value
        }
        return 1;
    }

    // ---- shutdown -----------------------------------------------------------------------------

    private void destroy() {
        closed = true;
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void joinReader() {
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        destroy();
        api.stop(0);
        apiThreads.shutdownNow();
    }
}
