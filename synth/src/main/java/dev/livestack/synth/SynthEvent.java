package dev.livestack.synth;

import java.util.List;
import java.util.Objects;

/** What a synth reports to {@link SynthOptions#listener()}; {@link #type()} is the JSON event type. */
public sealed interface SynthEvent {

    /** {@code synth.started}, {@code synth.succeeded} or {@code synth.failed}. */
    String type();

    /** A synth began. */
    record SynthStarted() implements SynthEvent {
        @Override
        public String type() {
            return "synth.started";
        }
    }

    /**
     * A synth produced an assembly.
     *
     * @param durationMs wall time from start to parsed templates
     * @param stacks the stack names, dependencies first
     */
    record SynthSucceeded(long durationMs, List<String> stacks) implements SynthEvent {
        public SynthSucceeded {
            if (durationMs < 0) {
                throw new IllegalArgumentException("durationMs must not be negative: " + durationMs);
            }
            stacks = List.copyOf(Objects.requireNonNull(stacks, "stacks"));
        }

        @Override
        public String type() {
            return "synth.succeeded";
        }
    }

    /**
     * A synth failed; the previous assembly stays valid.
     *
     * @param message one line: what failed
     * @param diagnostics compiler errors as {@code file:line: message}, or the app's output
     */
    record SynthFailed(String message, List<String> diagnostics) implements SynthEvent {
        public SynthFailed {
            Objects.requireNonNull(message, "message");
            diagnostics = List.copyOf(Objects.requireNonNull(diagnostics, "diagnostics"));
        }

        @Override
        public String type() {
            return "synth.failed";
        }
    }
}
