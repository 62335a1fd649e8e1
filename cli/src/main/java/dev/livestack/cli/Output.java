package dev.livestack.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import dev.livestack.deployer.DeployEvent;
import dev.livestack.logtail.TailEvent;
import dev.livestack.synth.SynthEvent;
import java.util.function.Supplier;

/**
 * The only place livestack prints. In text mode, lines for people (colour only on a terminal without
 * NO_COLOR); in json mode, one JSON object per line with {@code ts}, {@code type} and the event's fields.
 * Whatever prints through here is serialised, so log lines and deploy output never interleave mid-line.
 */
final class Output {
    static final ObjectMapper JSON = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .registerModule(new SimpleModule("livestack-values")
                    .addSerializer(Instant.class, ToStringSerializer.instance)
                    .addSerializer(Path.class, new JsonSerializer<>() {
                        @Override
                        public void serialize(Path value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                            gen.writeString(value.toString());
                        }
                    })
                    .addSerializer(Duration.class, new JsonSerializer<>() {
                        @Override
                        public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                            gen.writeNumber(value.toMillis());
                        }
                    }));

    private final PrintStream out;
    private final PrintStream err;
    private final boolean json;
    private final boolean color;
    private final boolean terminal;
    private volatile StatusLine status;
    private volatile boolean progressOnStderr;

    Output(Io io, boolean json) {
        this.out = io.out();
        this.err = io.err();
        this.json = json;
        this.color = !json && io.color();
        this.terminal = io.terminal();
    }

    /** For commands whose stdout is data (synth, env, logs, invoke): synth progress goes to stderr on a terminal, nowhere else. */
    void progressOnStderr() {
        this.progressOnStderr = true;
    }

    boolean json() {
        return json;
    }

    boolean color() {
        return color;
    }

    /** A status line that is redrawn below whatever is printed (the watch console); null for none. */
    void statusLine(StatusLine line) {
        this.status = line;
    }

    /** One of the cli's own events: in json mode its record fields, in text mode the given line (null = nothing). */
    void event(CliEvent e, String text) {
        emit(e.type(), (Record) e, () -> text);
    }

    /** As above, the line built only when text mode prints it. */
    void event(CliEvent e, Supplier<String> text) {
        emit(e.type(), (Record) e, text);
    }

    void event(DeployEvent e, Supplier<String> text) {
        emit(e.type(), (Record) e, text);
    }

    void event(SynthEvent e, Supplier<String> text) {
        emit(e.type(), (Record) e, text);
    }

    void event(TailEvent e, Supplier<String> text) {
        emit(e.type(), (Record) e, text);
    }

    /** Every event is a typed record with its type, so JSON consumers get the same fields every time. */
    private void emit(String type, Record fields, Supplier<String> text) {
        if (json) {
            ObjectNode n = JSON.createObjectNode();
            n.put("ts", Instant.now().toString());
            n.put("type", type);
            JsonNode f = JSON.valueToTree(fields);
            if (f.isObject()) {
                f.fields().forEachRemaining(e -> {
                    if (!e.getKey().equals("type")) {
                        n.set(e.getKey(), e.getValue());
                    }
                });
            }
            print(out, n.toString());
        } else if (text != null) {
            String line = text.get();
            if (line == null) {
                return;
            }
            if (progressOnStderr && type.startsWith("synth.")) {
                // 'livestack synth > template.json' holds only the template; a pipe gets no progress chatter, so
                // stderr holds nothing but warnings and errors
                if (terminal || type.equals("synth.failed")) {
                    print(err, line);
                }
                return;
            }
            print(out, line);
        }
    }

    /** A line for people; in json mode a {@code message} event. */
    void info(String text) {
        event(new CliEvent.Message(text), text);
    }

    /** A warning; stderr in text mode. */
    void warn(String text) {
        if (json) {
            event(new CliEvent.Warning(text), text);
        } else {
            print(err, paint(text, "33"));
        }
    }

    /** A user-facing error: two lines, stderr (or an {@code error} event in json mode). */
    void error(String what, String todo) {
        if (json) {
            event(new CliEvent.ErrorMessage(what, todo), what);
        } else {
            print(err, paint("error: " + what, "31"));
            if (todo != null) {
                print(err, todo);
            }
        }
    }

    void raw(String text) {
        print(out, text);
    }

    String paint(String text, String ansi) {
        return color ? "\u001b[" + ansi + "m" + text + "\u001b[0m" : text;
    }

    private synchronized void print(PrintStream stream, String line) {
        StatusLine s = status;
        if (s != null) {
            s.above(stream, line);
        } else {
            stream.println(line);
            stream.flush();
        }
    }

    /** Something that keeps a line at the bottom of the terminal. */
    interface StatusLine {
        /** Prints {@code line} above the status line. */
        void above(PrintStream stream, String line);
    }
}
