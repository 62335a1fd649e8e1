package dev.livestack.inlinepackager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packager: decides per source whether it is inlined as is, bundled, or refused. */
final class DefaultInlinePackager implements InlinePackager {
    private static final Set<String> NODE_EXTENSIONS = Set.of("js", "mjs", "cjs", "ts", "mts", "cts", "jsx", "tsx");
    private static final List<String> NODE_ENTRIES = List.of("index.ts", "index.mts", "index.cts", "index.tsx",
            "index.js", "index.mjs", "index.cjs", "index.jsx");
    private static final Set<String> NATIVE_EXTENSIONS = Set.of("so", "pyd", "dylib", "dll", "c", "cc", "cpp", "h", "pyx");
    /** Modules Node resolves itself; requiring only these (or the runtime's SDK) needs no bundle. */
    private static final Set<String> NODE_BUILTINS = Set.of("assert", "async_hooks", "buffer", "child_process",
            "cluster", "console", "constants", "crypto", "dgram", "diagnostics_channel", "dns", "domain", "events",
            "fs", "http", "http2", "https", "inspector", "module", "net", "os", "path", "perf_hooks", "process",
            "punycode", "querystring", "readline", "repl", "stream", "string_decoder", "sys", "timers", "tls",
            "trace_events", "tty", "url", "util", "v8", "vm", "wasi", "worker_threads", "zlib");
    private static final Pattern REQUIRE = Pattern.compile("\\brequire\\s*\\(\\s*['\"]([^'\"]+)['\"]\\s*\\)");
    // Static import/export statements at the start of a line: the file is an ES module, which inline code
    // (always index.js, always CommonJS) cannot load as is.
    private static final Pattern ESM = Pattern.compile(
            "(?m)^\\s*(import\\s*[\\w*{'\"]|export\\s+(default|const|let|var|function|async|class)\\b|export\\s*[{*])");
    /** Loaded on first use: only package.json reading needs Jackson, and it costs ~100 ms of class loading. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final Esbuild esbuild;

    DefaultInlinePackager(Esbuild esbuild) {
        this.esbuild = esbuild;
    }

    /** Its esbuild, for tests that count runs. */
    Esbuild esbuild() {
        return esbuild;
    }

    @Override
    public InlineCode pack(Path source, String runtime) throws PackagingException {
        if (source == null) {
            throw new IllegalArgumentException("source must not be null");
        }
        String shown = display(source);
        String fileName;
        try {
            fileName = LambdaZip.inlineFileName(runtime);
        } catch (IllegalArgumentException e) {
            throw new PackagingException(shown + ": " + e.getMessage(),
                    "Inline code exists for Node.js and Python only; use Code.fromAsset for other runtimes.");
        }
        Path path = source.toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new PackagingException("function source " + shown + " does not exist",
                    "Check the path; relative paths resolve against the app folder (the one with cdk.json).");
        }
        String code = fileName.equals("index.js") ? packNode(path, runtime, shown) : packPython(path, shown);
        if (code.isBlank()) {
            throw new PackagingException("function source " + shown + " is empty",
                    "Write the handler (exports.handler = async (event) => ... or def handler(event, context): ...).");
        }
        InlineCode inline = new InlineCode(runtime, fileName, code, path);
        checkLimits(inline, shown);
        return inline;
    }

    private String packNode(Path path, String runtime, String shown) throws PackagingException {
        String target = nodeTarget(runtime);
        if (Files.isRegularFile(path)) {
            if (!NODE_EXTENSIONS.contains(extension(path))) {
                throw new PackagingException(shown + " is not a JavaScript or TypeScript file",
                        "Point the function at its .js/.ts handler file or at the folder that holds it.");
            }
            String text = read(path, shown);
            return canInlineAsIs(path, text) ? text : esbuild.bundle(path.getParent(), path, target, shown);
        }
        List<Path> files = nodeSources(path);
        if (files.isEmpty()) {
            throw new PackagingException("no JavaScript or TypeScript file in " + shown,
                    "Add an index.js (or index.ts) that exports handler.");
        }
        boolean dependencies = declaresNpmDependencies(path, shown);
        if (files.size() == 1 && !dependencies) {
            Path only = files.get(0);
            String text = read(only, shown);
            if (canInlineAsIs(only, text)) {
                return text;
            }
        }
        if (dependencies && !Files.isDirectory(path.resolve("node_modules"))) {
            throw new PackagingException(shown + " declares npm dependencies in package.json but has no node_modules",
                    "Run npm install in " + shown + ", then save again.");
        }
        return esbuild.bundle(path, entryPoint(path, files, shown), target, shown);
    }

    private static boolean canInlineAsIs(Path file, String text) {
        String ext = extension(file);
        if (!ext.equals("js") && !ext.equals("cjs")) {
            return false;
        }
        if (ESM.matcher(text).find()) {
            return false;
        }
        Matcher m = REQUIRE.matcher(text);
        while (m.find()) {
            if (!providedByRuntime(m.group(1))) {
                return false;
            }
        }
        return true;
    }

    private static boolean providedByRuntime(String module) {
        if (module.startsWith("node:") || module.startsWith("@aws-sdk/")) {
            return true;
        }
        int slash = module.indexOf('/');
        return NODE_BUILTINS.contains(slash < 0 ? module : module.substring(0, slash));
    }

    private static List<Path> nodeSources(Path dir) throws PackagingException {
        List<Path> result = new ArrayList<>();
        for (Path file : walk(dir, Set.of("node_modules"))) {
            String name = file.getFileName().toString();
            if (NODE_EXTENSIONS.contains(extension(file)) && !name.endsWith(".d.ts")
                    && !name.matches(".*\\.(test|spec)\\.[cm]?[jt]sx?")) {
                result.add(file);
            }
        }
        return result;
    }

    private static Path entryPoint(Path dir, List<Path> files, String shown) throws PackagingException {
        for (String name : NODE_ENTRIES) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return dir.resolve(name);
            }
        }
        Path packageJson = dir.resolve("package.json");
        if (Files.isRegularFile(packageJson)) {
            JsonNode main = readJson(packageJson, shown).path("main");
            if (main.isTextual() && Files.isRegularFile(dir.resolve(main.asText()))) {
                return dir.resolve(main.asText()).normalize();
            }
        }
        if (files.size() == 1) {
            return files.get(0);
        }
        throw new PackagingException("cannot tell which file holds the handler in " + shown
                + " (no index.ts or index.js among " + files.size() + " files)",
                "Name the handler's file index.ts or index.js, or set \"main\" in its package.json.");
    }

    private static boolean declaresNpmDependencies(Path dir, String shown) throws PackagingException {
        Path packageJson = dir.resolve("package.json");
        if (!Files.isRegularFile(packageJson)) {
            return false;
        }
        JsonNode dependencies = readJson(packageJson, shown).path("dependencies");
        return dependencies.isObject() && dependencies.size() > 0;
    }

    private static String packPython(Path path, String shown) throws PackagingException {
        if (Files.isRegularFile(path)) {
            if (!extension(path).equals("py")) {
                throw new PackagingException(shown + " is not a Python file",
                        "Point the function at its .py handler file or at the folder that holds it.");
            }
            return read(path, shown);
        }
        List<Path> pythonFiles = new ArrayList<>();
        for (Path file : walk(path, Set.of("__pycache__", "venv", "node_modules"))) {
            String name = file.getFileName().toString();
            String ext = extension(file);
            if (NATIVE_EXTENSIONS.contains(ext)) {
                throw new PackagingException(shown + " holds native code (" + path.relativize(file)
                        + "), which inline code cannot carry",
                        "Package this function as an asset instead: Code.fromAsset(\"" + shown + "\").");
            }
            if (name.equals("requirements.txt") && hasRequirements(file, shown)) {
                throw new PackagingException(shown + " declares dependencies in requirements.txt, which inline code cannot carry",
                        "Package this function as an asset instead: Code.fromAsset(\"" + shown + "\") with bundling.");
            }
            if (ext.equals("py") && !name.startsWith("test_") && !name.endsWith("_test.py") && !name.equals("conftest.py")) {
                pythonFiles.add(file);
            }
        }
        if (pythonFiles.isEmpty()) {
            throw new PackagingException("no Python file in " + shown, "Add an index.py that defines handler(event, context).");
        }
        if (pythonFiles.size() > 1) {
            List<String> names = pythonFiles.stream().map(f -> path.relativize(f).toString()).sorted().toList();
            throw new PackagingException(shown + " holds several Python files (" + String.join(", ", names)
                    + "); inline code is a single index.py",
                    "Merge them into one file, or package this function as an asset: Code.fromAsset(\"" + shown + "\").");
        }
        return read(pythonFiles.get(0), shown);
    }

    private static boolean hasRequirements(Path file, String shown) throws PackagingException {
        return read(file, shown).lines().map(String::strip).anyMatch(l -> !l.isEmpty() && !l.startsWith("#"));
    }

    private static void checkLimits(InlineCode code, String shown) throws PackagingException {
        int zipBytes = code.zip().length;
        if (zipBytes > MAX_ZIP_BYTES) {
            throw new PackagingException(shown + ": the inline zip is " + megabytes(zipBytes)
                    + ", above CloudFormation's 4 MB limit for Code.ZipFile",
                    "Make the code smaller (fewer or lighter dependencies), or use Code.fromAsset for this function.");
        }
        long templateBytes = jsonStringBytes(code.source());
        if (templateBytes > MAX_TEMPLATE_BYTES) {
            throw new PackagingException(shown + ": the inline code takes " + megabytes(templateBytes)
                    + " of template, above CloudFormation's 1 MB template size limit",
                    "Make the code smaller (fewer or lighter dependencies), or use Code.fromAsset for this function.");
        }
    }

    /** Bytes the code takes as a JSON string in the template (UTF-8 plus escapes). */
    static long jsonStringBytes(String s) {
        long bytes = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
                bytes += 2;
            } else if (c < 0x20) {
                bytes += 6;
            } else if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.2f MB (%,d bytes)", bytes / (1024.0 * 1024.0), bytes);
    }

    /** {@code nodejs20.x} → {@code node20}; an unversioned name gets the oldest runtime Lambda still offers. */
    static String nodeTarget(String runtime) {
        Matcher m = Pattern.compile("(?i)nodejs(\\d+)").matcher(runtime);
        return m.find() ? "node" + m.group(1) : "node18";
    }

    /**
     * Regular files under {@code dir}, sorted; dot-entries and {@code skippedFolders} are pruned, not walked, since a
     * function folder's {@code node_modules} can hold tens of thousands of files.
     */
    private static List<Path> walk(Path dir, Set<String> skippedFolders) throws PackagingException {
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attrs) {
                    if (folder.equals(dir)) {
                        return FileVisitResult.CONTINUE;
                    }
                    String name = folder.getFileName().toString();
                    return name.startsWith(".") || skippedFolders.contains(name)
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (!file.getFileName().toString().startsWith(".") && Files.isRegularFile(file)) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new PackagingException("cannot read " + dir + ": " + e.getMessage(),
                    "Check that the folder exists and is readable.", e);
        }
        files.sort(null);
        return files;
    }

    private static String read(Path file, String shown) throws PackagingException {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new PackagingException(file + " (in " + shown + ") is not UTF-8 text",
                    "Save it as UTF-8; inline code is a string in the template.", e);
        } catch (IOException e) {
            throw new PackagingException("cannot read " + file + ": " + e.getMessage(),
                    "Check that the file exists and is readable.", e);
        }
    }

    private static JsonNode readJson(Path file, String shown) throws PackagingException {
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new PackagingException(file + " (in " + shown + ") is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""),
                    "Fix the file's JSON syntax.", e);
        }
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** The source as the user knows it: relative to the working directory when under it. */
    private static String display(Path source) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = source.toAbsolutePath().normalize();
        return abs.startsWith(cwd) && !abs.equals(cwd) ? cwd.relativize(abs).toString() : source.toString();
    }
}
