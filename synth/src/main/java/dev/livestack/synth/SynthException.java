package dev.livestack.synth;

import java.util.List;

/** A synth that failed: a one-line message and the diagnostics (compiler errors as {@code file:line: message}, app output). */
public class SynthException extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<String> diagnostics;
    private final List<MissingContext> missing;

    public SynthException(String message, List<String> diagnostics, Throwable cause) {
        this(message, diagnostics, cause, List.of());
    }

    /**
     * A failed synth whose assembly also misses context: the errors may come from the constructs' dummy values, so
     * a caller that can look the context up does so and synthesises again before reporting them.
     */
    public SynthException(String message, List<String> diagnostics, Throwable cause, List<MissingContext> missing) {
        super(message, cause);
        this.diagnostics = diagnostics == null ? List.of() : List.copyOf(diagnostics);
        this.missing = missing == null ? List.of() : List.copyOf(missing);
    }

    public SynthException(String message, List<String> diagnostics) {
        this(message, diagnostics, null);
    }

    /** What the user reads to fix it, one entry per line. */
    public List<String> diagnostics() {
        return diagnostics;
    }

    /** The context the failed assembly misses (the manifest's {@code missing}), empty when none or unknown. */
    public List<MissingContext> missing() {
        return missing;
    }
}
