package dev.livestack.synth;

/**
 * Turns an app into a cloud assembly. Implementations may keep state warm between calls
 * (a JVM class loader, a jsii runtime), so callers keep one per app and close it when done.
 */
public interface Synthesizer extends AutoCloseable {
    /**
     * Synthesises the app now.
     *
     * @return the assembly with every stack's template
     * @throws SynthException when the app cannot be built or run; its diagnostics say where
     */
    CloudAssembly synth() throws SynthException;

    @Override
    default void close() {
    }
}
