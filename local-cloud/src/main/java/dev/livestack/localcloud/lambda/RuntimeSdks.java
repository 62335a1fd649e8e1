package dev.livestack.localcloud.lambda;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The AWS SDKs local-cloud's functions find in their runtime, as Lambda's runtimes include them: the AWS SDK for
 * JavaScript v3 from {@code tools/runtime-sdk/node_modules} (installed by the build) and boto3 from the machine's
 * Python. Node.js functions reach the SDK through a {@code node_modules} link in a folder above their code, so
 * that both {@code require} and ESM {@code import} find it and a function's own {@code node_modules} still wins
 * (resolution looks next to the code first). Python's bootstrap puts the function's code first on {@code sys.path},
 * ahead of the interpreter's site-packages.
 */
final class RuntimeSdks {
    /** System property naming the {@code node_modules} folder that holds {@code @aws-sdk/*} (overrides the search). */
    static final String NODE_SDK_PROPERTY = "livestack.runtimeSdk";
    /** botocore learned {@code AWS_ENDPOINT_URL} in 1.31.0; older ones would call real AWS. */
    private static final int[] BOTOCORE_MIN = {1, 31};

    private final Path nodeModules;
    private final Map<String, Optional<String>> botocore = new ConcurrentHashMap<>();
    /** Why the SDK could not be linked for the functions (no symbolic links here, say), or null. */
    private volatile String linkFailure;

    private RuntimeSdks(Path nodeModules) {
        this.nodeModules = nodeModules;
    }

    static RuntimeSdks discover() {
        return new RuntimeSdks(findNodeSdk(searchRoots()));
    }

    static RuntimeSdks at(Path nodeModules) {
        return new RuntimeSdks(nodeModules);
    }

    /** The {@code node_modules} folder holding {@code @aws-sdk/*}, or null when none was found. */
    Path nodeModules() {
        return nodeModules;
    }

    /** Why Node.js functions have no SDK, or null when they have one. */
    String nodeAbsence() {
        if (linkFailure != null) {
            return linkFailure;
        }
        return nodeModules != null ? null
                : "local-cloud: this runtime has no AWS SDK for JavaScript v3 (tools/runtime-sdk/node_modules is missing); "
                        + "run `npm ci` in livestack's tools/runtime-sdk, or bundle the SDK with the function";
    }

    /**
     * Why a Python interpreter's functions cannot use boto3 against local-cloud, or null when they can; asked once per
     * interpreter.
     */
    String pythonAbsence(String interpreter) {
        Optional<String> version = botocore.computeIfAbsent(interpreter, RuntimeSdks::botocoreVersion);
        if (version.isEmpty()) {
            return "local-cloud: " + interpreter + " has no boto3; install it (pip install boto3, or Debian's python3-boto3) "
                    + "or bundle it with the function";
        }
        if (!atLeast(version.get(), BOTOCORE_MIN)) {
            return "local-cloud: " + interpreter + " has botocore " + version.get() + ", which ignores AWS_ENDPOINT_URL and "
                    + "would call AWS itself; install boto3 1.28.0 (botocore 1.31.0) or newer";
        }
        return null;
    }

    /**
     * Points {@code <dir>/node_modules} at the SDK (or removes a stale link when there is none). Every extracted
     * package lives below {@code dir}, so Node's lookup reaches this link after the function's own.
     */
    void link(Path dir) {
        Path link = dir.resolve("node_modules");
        try {
            if (Files.isSymbolicLink(link)) {
                if (nodeModules != null && Files.readSymbolicLink(link).equals(nodeModules)) {
                    return;
                }
                Files.delete(link);
            }
            if (nodeModules != null && !Files.exists(link)) {
                Files.createSymbolicLink(link, nodeModules);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // no symbolic links here (some Windows setups): functions run without the SDK, and their log says so once
            linkFailure = "local-cloud: could not link the AWS SDK for JavaScript v3 into " + dir + " (" + e
                    + "); functions there run without it: bundle the SDK with the function, or let local-cloud create "
                    + "symbolic links in its state folder";
        }
    }

    static boolean atLeast(String version, int[] min) {
        String[] parts = version.split("\\.");
        for (int i = 0; i < min.length; i++) {
            int v;
            try {
                v = i < parts.length ? Integer.parseInt(parts[i].replaceAll("[^0-9].*", "")) : 0;
            } catch (NumberFormatException e) {
                return false;
            }
            if (v != min[i]) {
                return v > min[i];
            }
        }
        return true;
    }

    private static Optional<String> botocoreVersion(String interpreter) {
        try {
            Process p = new ProcessBuilder(interpreter, "-c", "import botocore, boto3, sys; sys.stdout.write(botocore.__version__)")
                    .redirectErrorStream(false).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.getErrorStream().readAllBytes();
            return p.waitFor() == 0 && !out.isEmpty() ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The property when set, else livestack's home, the working directory and this library's folder, with parents. */
    private static List<Path> searchRoots() {
        List<Path> roots = new ArrayList<>();
        String home = System.getProperty("livestack.home");
        if (home != null && !home.isBlank()) {
            roots.add(Path.of(home));
        }
        roots.add(Path.of(System.getProperty("user.dir")));
        try {
            var source = RuntimeSdks.class.getProtectionDomain().getCodeSource();
            if (source != null) {
                roots.add(Path.of(source.getLocation().toURI()));
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            // loaded from somewhere without a file path: the other roots still count
        }
        return roots;
    }

    static Path findNodeSdk(List<Path> roots) {
        String explicit = System.getProperty(NODE_SDK_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit).toAbsolutePath().normalize();
            return Files.isDirectory(p.resolve("@aws-sdk")) ? p : null;
        }
        for (Path root : roots) {
            for (Path dir = root.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve("tools").resolve("runtime-sdk").resolve("node_modules");
                if (Files.isDirectory(candidate.resolve("@aws-sdk").resolve("client-sts"))) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
