package dev.livestack.watcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What to watch and how to batch it.
 *
 * <p>Globs are relative to {@code root} and read as the CDK CLI reads them: an empty
 * {@code include} means everything; a pattern that matches a folder covers its contents.
 * Whatever the globs say, these are never watched: dot files and dot folders (so {@code .git/}
 * and {@code .livestack/}), {@code cdk.out/}, {@code target/} and {@code node_modules/}.
 *
 * @param root the folder to watch (the app folder)
 * @param include globs of the files that count; empty = all
 * @param exclude globs of the files that never count
 * @param quietPeriod how long the tree must stay quiet before a batch is delivered
 */
public record WatchOptions(Path root, List<String> include, List<String> exclude, Duration quietPeriod) {

    /** The quiet period used when none is given: editors write a save as a burst within a few ms. */
    public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofMillis(40);

    /** Always excluded, in the CDK CLI's own terms (it adds the output folder, dot files and node_modules). */
    static final List<String> ALWAYS_EXCLUDED =
            List.of("cdk.out", "**/.*", "**/.*/**", "**/node_modules/**", "**/node_modules", "**/target", ".livestack");

    public WatchOptions {
        Objects.requireNonNull(root, "root");
        root = root.toAbsolutePath().normalize();
        include = include == null ? List.of() : List.copyOf(include);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
        if (quietPeriod == null) {
            quietPeriod = DEFAULT_QUIET_PERIOD;
        }
        if (quietPeriod.isNegative()) {
            throw new IllegalArgumentException("quietPeriod must not be negative: " + quietPeriod);
        }
    }

    /** Everything under {@code root}, default quiet period. */
    public static WatchOptions of(Path root) {
        return new WatchOptions(root, List.of(), List.of(), DEFAULT_QUIET_PERIOD);
    }

    /** The same options with another quiet period. */
    public WatchOptions withQuietPeriod(Duration quiet) {
        return new WatchOptions(root, include, exclude, quiet);
    }

    /**
     * Reads {@code cdk.json}'s {@code watch} block ({@code include} / {@code exclude}, each a string
     * or a list) and its {@code output} folder, which is excluded too. A folder without
     * {@code cdk.json} (a template-file app) watches everything.
     *
     * @throws IOException when {@code cdk.json} exists but cannot be read or is not a JSON object
     */
    public static WatchOptions fromCdkJson(Path appDir) throws IOException {
        Objects.requireNonNull(appDir, "appDir");
        Path cdkJson = appDir.resolve("cdk.json");
        if (!Files.isRegularFile(cdkJson)) {
            return of(appDir);
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(cdkJson.toFile());
        } catch (JsonProcessingException e) {
            throw new IOException(cdkJson + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException(cdkJson + " must hold a JSON object");
        }
        JsonNode watch = root.path("watch");
        if (!watch.isMissingNode() && !watch.isNull() && !watch.isObject()) {
            // a bare string or list would otherwise be ignored and the whole folder watched
            throw new IOException(cdkJson + ": watch must be an object with include / exclude, found " + watch);
        }
        List<String> include = strings(watch.path("include"), cdkJson, "watch.include");
        List<String> exclude = new ArrayList<>(strings(watch.path("exclude"), cdkJson, "watch.exclude"));
        JsonNode output = root.path("output");
        if (output.isTextual() && !output.asText().isBlank()) {
            String out = output.asText().replace('\\', '/');
            exclude.add(out);
            exclude.add(out + "/**");
        }
        return new WatchOptions(appDir, include, exclude, DEFAULT_QUIET_PERIOD);
    }

    private static List<String> strings(JsonNode node, Path file, String field) throws IOException {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        if (node.isArray()) {
            List<String> out = new ArrayList<>();
            for (JsonNode n : node) {
                if (!n.isTextual()) {
                    throw new IOException(file + ": " + field + " must hold strings, found " + n);
                }
                out.add(n.asText());
            }
            return out;
        }
        throw new IOException(file + ": " + field + " must be a string or a list of strings");
    }
}
