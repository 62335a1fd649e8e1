package dev.livestack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** {@code livestack watch --output json --no-logs} run in-process on one app: keys through stdin, events captured. */
final class InProcessWatch {
    final PipedOutputStream keys = new PipedOutputStream();
    final Cli.Capture out = new Cli.Capture();
    final Cli.Capture err = new Cli.Capture();
    final AtomicInteger exit = new AtomicInteger(-1);
    private final Thread thread;
    private final Duration timeout;

    /**
     * @param app the app folder (also the working folder)
     * @param endpoint local-cloud's endpoint
     * @param timeout how long {@link #await} and {@link #quit} wait
     */
    InProcessWatch(Path app, String endpoint, Duration timeout, String... extra) throws IOException {
        this.timeout = timeout;
        PipedInputStream stdin = new PipedInputStream(keys);
        List<String> args = new ArrayList<>(List.of("watch", "--output", "json", "--no-logs", "--app", app.toString(),
                "--endpoint-url", endpoint));
        args.addAll(List.of(extra));
        thread = new Thread(() -> exit.set(Main.run(args.toArray(String[]::new), new Io(Cli.cleanEnv(), app, stdin,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false))),
                "watch-under-test");
        thread.setDaemon(true);
        thread.start();
    }

    List<JsonNode> events() {
        return Cli.parse(out.text());
    }

    /** The number of events so far: pass it to {@link #await} to look only at what comes after. */
    int mark() {
        return events().size();
    }

    /** The first event from index {@code from} on that matches; fails after the timeout or when the watch ended. */
    JsonNode await(Predicate<JsonNode> p, int from, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<JsonNode> ev = events();
            for (JsonNode e : ev.subList(Math.min(from, ev.size()), ev.size())) {
                if (p.test(e)) {
                    return e;
                }
            }
            if (!thread.isAlive()) {
                break;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no " + what + "\n" + tail());
    }

    /** Whether the last loop event says idle (or nothing ran since watch.ready). */
    boolean idleNow() {
        List<JsonNode> ev = events();
        for (int i = ev.size() - 1; i >= 0; i--) {
            String t = ev.get(i).path("type").asText();
            if (t.equals("watch.idle") || t.equals("watch.ready")) {
                return true;
            }
            if (t.equals("change.detected") || t.equals("synth.started")) {
                return false;
            }
        }
        return false;
    }

    /** Waits until the loop reports idle after every change it saw, and nothing more came for 300 ms. */
    void quiet() throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            int n = mark();
            if (idleNow()) {
                Thread.sleep(300);
                if (mark() == n) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the watch did not go idle\n" + tail());
    }

    void key(char k) throws IOException {
        keys.write((k + "\n").getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    void quit() throws Exception {
        if (!thread.isAlive()) {
            return;
        }
        key('q');
        thread.join(timeout.toMillis());
    }

    String tail() {
        String o = out.text();
        String e = err.text();
        return "--- last events\n" + o.substring(Math.max(0, o.length() - 6000)) + "\n--- stderr\n"
                + e.substring(Math.max(0, e.length() - 3000));
    }
}
