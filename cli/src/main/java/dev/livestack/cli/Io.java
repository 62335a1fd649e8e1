package dev.livestack.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The process's surroundings, passed in rather than read from globals so that tests can run the real
 * entry point in-process: environment, working directory, streams, and whether stdout is a terminal.
 */
record Io(Map<String, String> env, Path cwd, InputStream in, PrintStream out, PrintStream err, boolean terminal) {
    static Io system() {
        return new Io(System.getenv(), Path.of("").toAbsolutePath(), System.in, System.out, System.err,
                System.console() != null);
    }

    boolean color() {
        return terminal && !env.containsKey("NO_COLOR") && !"dumb".equals(env.get("TERM"));
    }
}
