package dev.livestack.inlinepackager;

import java.nio.file.Path;

/**
 * Where a function's code comes from, as read from a synthesised template.
 *
 * @param logicalId the function's logical id in the template
 * @param kind whether the template inlines the code or points at a staged asset
 * @param path absolute source folder or file ({@link Kind#INLINE}), or staged asset folder ({@link Kind#ASSET})
 * @param runtime the Lambda runtime, e.g. {@code nodejs20.x}
 * @param handler the function's handler, e.g. {@code index.handler}
 */
public record FunctionSource(String logicalId, Kind kind, Path path, String runtime, String handler) {

    /** How the function's code reaches Lambda. */
    public enum Kind {
        /** Code inlined with {@code Code.ZipFile}; {@code path} is the source the app packaged it from. */
        INLINE,
        /** Code from an asset ({@code aws:asset:path} metadata); {@code path} is the staged asset folder. */
        ASSET
    }

    /** Rejects blank values and relative paths, naming the argument. */
    public FunctionSource {
        if (logicalId == null || logicalId.isBlank()) {
            throw new IllegalArgumentException("logicalId must not be blank");
        }
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        if (path == null || !path.isAbsolute()) {
            throw new IllegalArgumentException("path must be absolute, was " + path);
        }
        if (runtime == null || runtime.isBlank()) {
            throw new IllegalArgumentException("runtime must not be blank");
        }
        if (handler == null || handler.isBlank()) {
            throw new IllegalArgumentException("handler must not be blank");
        }
        path = path.normalize();
    }

    /**
     * Whether a saved file belongs to this function's source: it is the source file itself or lies under the
     * source folder.
     *
     * @param file a changed file; a relative path never matches
     */
    public boolean contains(Path file) {
        return file != null && file.isAbsolute() && file.normalize().startsWith(path);
    }
}
