package dev.livestack.synth;

import java.util.function.Consumer;

/** Reports every synth of the wrapped synthesizer as {@link SynthEvent}s. */
final class EventingSynthesizer implements Synthesizer {
    private final Synthesizer inner;
    private final Consumer<SynthEvent> listener;

    EventingSynthesizer(Synthesizer inner, Consumer<SynthEvent> listener) {
        this.inner = inner;
        this.listener = listener;
    }

    @Override
    public CloudAssembly synth() throws SynthException {
        long start = System.nanoTime();
        listener.accept(new SynthEvent.SynthStarted());
        CloudAssembly assembly;
        try {
            assembly = inner.synth();
        } catch (SynthException e) {
            listener.accept(new SynthEvent.SynthFailed(e.getMessage(), e.diagnostics()));
            throw e;
        } catch (RuntimeException e) {
            // a defect here must not kill the watch loop silently: report it like a failed synth
            String msg = "synth failed: " + e;
            listener.accept(new SynthEvent.SynthFailed(msg, java.util.List.of()));
            throw new SynthException(msg, java.util.List.of(), e);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        listener.accept(new SynthEvent.SynthSucceeded(ms, assembly.stacks().stream().map(StackTemplate::stackName).toList()));
        return assembly;
    }

    Synthesizer inner() {
        return inner;
    }

    @Override
    public void close() {
        inner.close();
    }
}
