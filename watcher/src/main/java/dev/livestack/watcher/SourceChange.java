package dev.livestack.watcher;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * One debounced batch of saved files.
 *
 * @param paths absolute paths whose content changed, were created or were deleted
 * @param functions the registered functions (see {@link SourceWatcher#functionSources}) whose source the batch touched
 * @param onlyFunctionSources true when every path lies in a function's source, so nothing but that code changed
 */
public record SourceChange(Set<Path> paths, Set<String> functions, boolean onlyFunctionSources) {
    public SourceChange {
        Objects.requireNonNull(paths, "paths");
        Objects.requireNonNull(functions, "functions");
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("paths must not be empty");
        }
        if (onlyFunctionSources && functions.isEmpty()) {
            throw new IllegalArgumentException("onlyFunctionSources requires functions");
        }
        paths = Set.copyOf(paths);
        functions = Set.copyOf(functions);
    }
}
