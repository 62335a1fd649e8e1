package dev.livestack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs the real entry point in-process with captured streams and a controlled environment. */
final class Cli {
    /** One finished run. */
    record Result(int exit, String out, String err) {
        List<JsonNode> events() {
            return parse(out);
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    /** A thread-safe growing buffer that can be read while the command still runs. */
    static final class Capture extends ByteArrayOutputStream {
        synchronized String text() {
            return toString(StandardCharsets.UTF_8);
        }
    }

    private Cli() {
    }

    /** The machine's environment without AWS settings, so no test ever picks up a real account. */
    static Map<String, String> cleanEnv() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("HOME", System.getProperty("java.io.tmpdir") + "/livestack-test-home");
        return env;
    }

    static Result run(Path cwd, Map<String, String> env, String stdin, String... args) {
        Capture out = new Capture();
        Capture err = new Capture();
        InputStream in = new ByteArrayInputStream(stdin == null ? new byte[0] : stdin.getBytes(StandardCharsets.UTF_8));
        int code = Main.run(args, new Io(env, cwd, in, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false));
        return new Result(code, out.text(), err.text());
    }

    static List<JsonNode> parse(String text) {
        List<JsonNode> events = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("{")) {
                try {
                    events.add(Output.JSON.readTree(line));
                } catch (IOException notJson) {
                    // a text line that happens to start with a brace
                }
            }
        }
        return events;
    }
}
