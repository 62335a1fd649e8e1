package dev.livestack.synth;

import java.util.List;

/** A synth that failed: a one-line message and the diagnostics (compiler errors as {@code file:line: message}, app output). */
public class SynthException extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<String> diagnostics;

    public SynthException(String message, List<String> diagnostics, Throwable cause) {
        super(message, cause);
        this.diagnostics = diagnostics == null ? List.of() : List.copyOf(diagnostics);
    }

    public SynthException(String message, List<String> diagnostics) {
        this(message, diagnostics, null);
    }

    /** What the user reads to fix it, one entry per line. */
    public List<String> diagnostics() {
        return diagnostics;
    }
}
