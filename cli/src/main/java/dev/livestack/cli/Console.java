package dev.livestack.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.function.IntConsumer;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.Status;

/**
 * The interactive side of {@code watch} on a terminal: a status line kept at the bottom (JLine's
 * {@link Status}, a scroll region, so output scrolls above it) and one thread reading single keys in
 * raw mode. Closing restores the terminal's attributes.
 */
final class Console implements Output.StatusLine, AutoCloseable {
    private final Terminal terminal;
    private final Attributes saved;
    private final Status status;
    private final Thread reader;
    private volatile String text = "";
    private volatile boolean closed;

    private final String sttySaved;

    private Console(Terminal terminal, IntConsumer onKey) {
        this.terminal = terminal;
        this.sttySaved = stty("-g");
        this.saved = terminal.enterRawMode();
        this.status = Status.getStatus(terminal);
        this.reader = new Thread(() -> {
            try {
                while (!closed) {
                    int c = terminal.reader().read(200L);
                    if (c >= 0) {
                        onKey.accept(c);
                    } else if (c == -1) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the terminal went away: nothing more to read
            }
        }, "console-keys");
        reader.setDaemon(true);
    }

    /** A console on the process's terminal, or null when there is none. */
    static Console open(IntConsumer onKey) {
        try {
            Terminal t = TerminalBuilder.builder().system(true).dumb(false).nativeSignals(true)
                    .signalHandler(Terminal.SignalHandler.SIG_DFL).build();
            if (Terminal.TYPE_DUMB.equals(t.getType()) || Terminal.TYPE_DUMB_COLOR.equals(t.getType())) {
                t.close();
                return null;
            }
            Console c = new Console(t, onKey);
            c.reader.start();
            return c;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Runs stty on the controlling terminal; its output, or null when there is no stty or tty. */
    private static String stty(String arg) {
        java.io.File tty = new java.io.File("/dev/tty");
        if (!tty.exists()) {
            return null;
        }
        try {
            Process p = new ProcessBuilder("stty", arg).redirectInput(tty).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    void status(String line) {
        text = line;
        redraw();
    }

    private synchronized void redraw() {
        if (closed || status == null) {
            return;
        }
        int width = Math.max(10, terminal.getWidth());
        String t = text.length() > width - 1 ? text.substring(0, width - 1) : text;
        status.update(List.of(AttributedString.fromAnsi(t)));
    }

    @Override
    public synchronized void above(PrintStream stream, String line) {
        if (closed) {
            stream.println(line);
            return;
        }
        // In raw mode a bare \n does not return the carriage.
        terminal.writer().print(line.replace("\n", "\r\n") + "\r\n");
        terminal.writer().flush();
        redraw();
    }

    void clear() {
        synchronized (this) {
            terminal.puts(org.jline.utils.InfoCmp.Capability.clear_screen);
            terminal.flush();
        }
        redraw();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (status != null) {
                // clear the line first: closing only gives the scroll region back
                status.update(List.of());
                status.close();
            }
            terminal.setAttributes(saved);
            terminal.writer().flush();
        }
        try {
            reader.join(500);
            terminal.close();
        } catch (IOException | InterruptedException ignored) {
            // the process is ending; the attributes are already restored
        }
        if (sttySaved != null && !sttySaved.isBlank()) {
            // JLine's attributes leave out the line speed (closing the terminal sets it to 0); stty's own saved
            // form restores everything, so it goes last.
            stty(sttySaved.strip());
        }
    }
}
