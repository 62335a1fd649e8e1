package dev.livestack.watcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Watches an app folder and reports saved files as debounced, de-duplicated {@link SourceChange}
 * batches.
 *
 * <p>Guarantees: a burst of writes within the quiet period is one batch; a file rewritten with
 * identical bytes is no change; a deleted file is a change; nothing saved is skipped — a save
 * that lands while the listener is running is delivered in the next batch. The listener is
 * called on one watcher thread, never concurrently; exceptions it throws are dropped and the
 * watch goes on.
 */
public interface SourceWatcher extends AutoCloseable {

    /**
     * Starts watching; returns once the watch is in place and the current file contents are
     * recorded, so any later save is reported.
     *
     * @throws IOException when the root cannot be watched
     */
    static SourceWatcher start(WatchOptions options, Consumer<SourceChange> listener) throws IOException {
        return DebouncingWatcher.start(options, listener);
    }

    /**
     * Registers (replacing the previous set) the source folder or file of each function, so that
     * batches name the functions they touch. Relative paths are resolved against the root.
     */
    void functionSources(Map<String, Path> sourceFolderByFunction);

    /** Stops watching; no batch is delivered after this returns (unless called from the listener). */
    @Override
    void close();
}
