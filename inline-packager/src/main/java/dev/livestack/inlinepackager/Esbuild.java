package dev.livestack.inlinepackager;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Locates the esbuild binary (lazily: most functions never need it) and runs one bundle. esbuild is a native
 * executable that starts in a few milliseconds, so one process per bundle is cheap enough and keeps no state
 * between saves.
 */
final class Esbuild {
    private static final long TIMEOUT_SECONDS = 60;
    private static final List<String> CANDIDATES = List.of("tools/node_modules/.bin/esbuild", "node_modules/.bin/esbuild");

    private final Path explicit;
    private final List<Path> searchRoots;
    private final BundleCache cache = new BundleCache();
    private final java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Path found;

    private Esbuild(Path explicit, List<Path> searchRoots) {
        this.explicit = explicit;
        this.searchRoots = searchRoots;
    }

    static Esbuild at(Path binary) {
        return new Esbuild(binary.toAbsolutePath(), List.of());
    }

    static Esbuild search(List<Path> roots) {
        return new Esbuild(null, roots);
    }

    /** System property first (an explicit choice beats discovery), then the roots. */
    static Esbuild discover(List<Path> roots) {
        String property = System.getProperty(InlinePackager.ESBUILD_PROPERTY);
        if (property != null && !property.isBlank()) {
            return at(Path.of(property));
        }
        return search(roots);
    }

    /**
     * The app folder when livestack told us, the working directory, and where this library lives: the last one
     * finds the project's own pinned esbuild when the library is used from a checkout.
     */
    static List<Path> defaultSearchRoots() {
        List<Path> roots = new ArrayList<>();
        String appDir = System.getProperty("livestack.appDir");
        if (appDir != null && !appDir.isBlank()) {
            roots.add(Path.of(appDir));
        }
        roots.add(Path.of("").toAbsolutePath());
        try {
            var location = Esbuild.class.getProtectionDomain().getCodeSource();
            if (location != null) {
                roots.add(Path.of(location.getLocation().toURI()));
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            // No usable code location (e.g. a custom class loader): the other roots still apply.
        }
        return roots;
    }

    Path locate(String purpose) throws PackagingException {
        if (explicit != null) {
            if (!Files.isExecutable(explicit)) {
                throw new PackagingException("esbuild not found at " + explicit + " (needed to bundle " + purpose + ")",
                        "Point -D" + InlinePackager.ESBUILD_PROPERTY + " at an esbuild executable, or install it: "
                                + "cd tools && npm ci (the project pins esbuild in tools/package.json).");
            }
            return explicit;
        }
        Path cached = found;
        if (cached != null && Files.isExecutable(cached)) {
            return cached;
        }
        for (Path root : searchRoots) {
            for (Path dir = root.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
                for (String candidate : CANDIDATES) {
                    Path binary = dir.resolve(candidate);
                    if (Files.isExecutable(binary)) {
                        found = binary;
                        return binary;
                    }
                }
            }
        }
        throw new PackagingException("esbuild not found (needed to bundle " + purpose + ")",
                "Install the project's pinned esbuild with: cd tools && npm ci; or run npm install --save-dev esbuild "
                        + "in your app; or set -D" + InlinePackager.ESBUILD_PROPERTY + "=/path/to/esbuild.");
    }

    /**
     * Bundles {@code entry} with everything it imports into one minified CommonJS file for Node {@code nodeTarget}.
     * The runtime's own AWS SDK v3 stays external, as in Lambda's Node.js 18+ runtimes. A bundle whose inputs have
     * not changed since the last run is served from {@link BundleCache} without running esbuild.
     *
     * @param workDir esbuild's working directory: module keys in the output are relative to it, so the bytes do
     *     not depend on where the project is checked out
     */
    String bundle(Path workDir, Path entry, String nodeTarget, String purpose) throws PackagingException {
        BundleCache.Key key = new BundleCache.Key(entry, nodeTarget);
        String cached = cache.get(key, workDir);
        if (cached != null) {
            return cached;
        }
        Path binary = locate(purpose);
        Path scratch;
        try {
            scratch = Files.createTempDirectory("livestack-esbuild-");
        } catch (IOException e) {
            throw new PackagingException("cannot create a temporary file for esbuild: " + e.getMessage(),
                    "Check that the temporary folder (" + System.getProperty("java.io.tmpdir") + ") is writable.", e);
        }
        // esbuild writes a metafile only next to an output file, so the bundle goes to a scratch folder too.
        Path outfile = scratch.resolve("index.js");
        Path metafile = scratch.resolve("meta.json");
        try {
            long started = System.currentTimeMillis();
            run(binary, workDir, entry, nodeTarget, purpose, outfile, metafile);
            String output;
            try {
                output = Files.readString(outfile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new PackagingException("esbuild wrote no bundle for " + purpose + ": " + e.getMessage(),
                        "Check that the temporary folder (" + scratch.getParent() + ") is writable.", e);
            }
            try {
                cache.put(key, workDir, Files.readString(metafile), started, output);
            } catch (IOException e) {
                // No metafile: the bundle is still right, it just is not remembered.
            }
            return output;
        } finally {
            for (Path p : List.of(outfile, metafile, scratch)) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    p.toFile().deleteOnExit();
                }
            }
        }
    }

    /** How many times esbuild ran (bundles served from the cache do not count). */
    int runs() {
        return runs.get();
    }

    private void run(Path binary, Path workDir, Path entry, String nodeTarget, String purpose, Path outfile,
            Path metafile) throws PackagingException {
        runs.incrementAndGet();
        List<String> command = List.of(binary.toString(), workDir.relativize(entry).toString(),
                "--bundle", "--platform=node", "--format=cjs", "--target=" + nodeTarget, "--minify",
                "--external:@aws-sdk/*", "--legal-comments=none", "--charset=utf8", "--log-level=error", "--color=false",
                "--outfile=" + outfile, "--metafile=" + metafile);
        Process process;
        try {
            process = new ProcessBuilder(command).directory(workDir.toFile()).start();
        } catch (IOException e) {
            throw new PackagingException("could not start esbuild at " + binary + ": " + e.getMessage(),
                    "Check that " + binary + " is an esbuild executable for this platform (cd tools && npm ci).", e);
        }
        try {
            process.getOutputStream().close();
            CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new PackagingException("esbuild did not finish bundling " + purpose + " within " + TIMEOUT_SECONDS + " s",
                        "Check the function's imports: a bundle of a small function takes milliseconds.");
            }
            String errors = new String(stderr.join(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new PackagingException("esbuild could not bundle " + purpose + ": " + firstError(errors),
                        "Fix the source; when a package cannot be resolved, run npm install in the function's folder.");
            }
        } catch (IOException e) {
            throw new PackagingException("esbuild failed while bundling " + purpose + ": " + e.getMessage(),
                    "Run the same bundle by hand to see what esbuild says: " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new PackagingException("bundling " + purpose + " was interrupted", "Save again to retry.", e);
        }
    }

    /** esbuild's first error, and the location line that follows it, as one line. */
    static String firstError(String stderr) {
        String message = null;
        String location = null;
        for (String raw : stderr.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (message == null) {
                int tag = line.indexOf("[ERROR]");
                message = tag >= 0 ? line.substring(tag + "[ERROR]".length()).strip() : line;
                continue;
            }
            if (line.matches("\\S+:\\d+:\\d+:?")) {
                location = line.endsWith(":") ? line.substring(0, line.length() - 1) : line;
            }
            break;
        }
        if (message == null) {
            return "esbuild exited with an error and printed nothing";
        }
        return location == null ? message : message + " (" + location + ")";
    }

    private static byte[] readAll(InputStream in) {
        try (in; ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
