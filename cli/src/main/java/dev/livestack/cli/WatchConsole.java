package dev.livestack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestack.deployer.DeployResult;
import dev.livestack.logtail.Action;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The watch's side facing the user: on a terminal (text output) the JLine {@link Console} with its status line and
 * single keys; otherwise a thread reading stdin, where a line's first character acts as that key (for scripts and
 * tests). It shows the state the cycle reports and the last result.
 */
final class WatchConsole implements AutoCloseable {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Session session;
    private final Output out;
    private volatile Console console;
    private volatile String state = "starting";
    private volatile String last = "";

    WatchConsole(Session session) {
        this.session = session;
        this.out = session.output();
    }

    /**
     * Starts reading keys: from the terminal when there is one (and the output is for people), else from stdin.
     *
     * @param interrupt what Ctrl-C does in raw mode, where it arrives as a key
     */
    void start(Keys keys, Runnable interrupt) {
        if (session.io().terminal() && !out.json()) {
            console = Console.open(c -> onKey(keys, (char) c, interrupt));
            if (console != null) {
                out.statusLine(console);
            }
        }
        if (console == null) {
            readCommandLines(keys, interrupt);
        }
    }

    /** True with a terminal console (status line, single keys). */
    boolean interactive() {
        return console != null;
    }

    /** What the watch is doing now: idle, synthesising, hot-swapping, deploying N of M, failed…. */
    void state(String s) {
        state = s;
        Console c = console;
        if (c != null) {
            c.status(out.paint("● " + state, state.startsWith("failed") ? "31" : state.equals("idle") ? "32" : "33")
                    + (last.isEmpty() ? "" : " · last: " + last) + " · " + session.clients().target().description()
                    + " · h help, q quit");
        }
    }

    /** A stack's deploy or swap ended; shown as "last:" from the next state on. */
    void result(DeployResult r) {
        last = r.stackName() + " " + r.status().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                + " " + Render.ms(r.duration()) + " at " + LocalTime.now().format(CLOCK);
        if (r.status() == DeployResult.Status.FAILED) {
            state = "failed";
        }
    }

    /** The console's {@code c} key. */
    void clear() {
        Console c = console;
        if (c != null) {
            c.clear();
        }
    }

    /** The console's {@code i} key: the last {@code livestack invoke} again, on its own thread. */
    void invokeLast() {
        Thread t = new Thread(() -> {
            try {
                Path f = session.stateDir().resolve(Invocations.LAST_INVOKE);
                if (!Files.isRegularFile(f)) {
                    out.raw("nothing invoked yet: run 'livestack invoke <action> --event FILE' once");
                    return;
                }
                JsonNode n = Output.JSON.readTree(f.toFile());
                String event = n.path("event").asText(null);
                byte[] payload = Invocations.readEvent(session, event);
                Action a = ActionLookup.resolve(session, List.of(n.path("action").asText())).get(0);
                Invocations.invokeDeployed(session, a, payload);
            } catch (UserError e) {
                out.error(e.getMessage(), e.todo());
            } catch (IOException | RuntimeException e) {
                out.error("Invoke failed: " + e.getMessage(), null);
            }
        }, "console-invoke");
        t.setDaemon(true);
        t.start();
    }

    private void onKey(Keys keys, char c, Runnable interrupt) {
        if (c == 3) { // Ctrl-C in raw mode
            interrupt.run();
            return;
        }
        if (!keys.press(c) && !Character.isWhitespace(c)) {
            out.raw("unknown key '" + c + "'; h for help");
        }
    }

    private void readCommandLines(Keys keys, Runnable interrupt) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(session.io().in(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    String s = line.strip();
                    if (!s.isEmpty()) {
                        onKey(keys, s.charAt(0), interrupt);
                    }
                }
            } catch (IOException e) {
                // stdin closed: keep watching
            }
        }, "watch-stdin");
        t.setDaemon(true);
        t.start();
    }

    /** Gives the terminal back: the status line cleared, its attributes restored. */
    @Override
    public void close() {
        Console c = console;
        if (c != null) {
            out.statusLine(null);
            c.close();
        }
    }
}
