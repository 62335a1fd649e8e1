package dev.livestack.synth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Compiles an app's changed sources in-process, keeping one {@link JavaCompiler} and file manager
 * (whose jar indexes are the expensive part) across compiles.
 *
 * <p>What is recompiled: the sources whose content changed since the last successful compile,
 * plus every source that mentions one of their type names (transitively) — constants are inlined
 * by javac, so a dependent's class file can be stale without referencing the changed class at
 * all. Output goes to a staging folder and replaces the previous class files only when the
 * compile succeeds, so the classes folder always holds the last good build.
 */
final class IncrementalCompiler implements AutoCloseable {
    private static final List<String> OPTIONS = List.of("-g", "-parameters", "-encoding", "UTF-8", "-proc:none", "-nowarn",
            "-Xlint:none", "-implicit:none");

    private final Path appDir;
    private final Path sourceDir;
    private final Path classesDir;
    private final Path stagingDir;
    private final JavaCompiler javac;
    private final StandardJavaFileManager fileManager;
    /** Source → content hash at its last successful compile. */
    private final Map<Path, String> compiled = new HashMap<>();
    /** Source → the class files (relative to the classes folder) it produced. */
    private final Map<Path, Set<Path>> outputs = new HashMap<>();
    private boolean fresh = true;
    /** Setting a location rebuilds the file manager's view of it, so it is only set when it changed. */
    private List<Path> locationClasspath;

    /** What a compile did. */
    record Result(int compiledFiles, boolean classesChanged) {
    }

    IncrementalCompiler(Path appDir, Path sourceDir, Path classesDir) throws SynthException {
        this.appDir = appDir;
        this.sourceDir = sourceDir;
        this.classesDir = classesDir;
        this.stagingDir = classesDir.resolveSibling(classesDir.getFileName() + "-staging");
        this.javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new SynthException("no Java compiler in this runtime",
                    List.of("run livestack on a JDK (not a JRE) to synthesise Java apps, or pass --no-warm to use the app command"));
        }
        this.fileManager = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
    }

    /** Compiles what changed against {@code dependencies}; throws with {@code file:line: message} diagnostics on errors. */
    Result compile(List<Path> dependencies) throws SynthException {
        Map<Path, String> current = scanSources();
        if (fresh) {
            try {
                Folders.clear(classesDir);
            } catch (IOException e) {
                throw new SynthException("cannot empty " + classesDir + ": " + e.getMessage(), List.of(), e);
            }
        }
        Set<Path> changed = new LinkedHashSet<>();
        current.forEach((src, hash) -> {
            if (!hash.equals(compiled.get(src))) {
                changed.add(src);
            }
        });
        Set<Path> deleted = new HashSet<>(compiled.keySet());
        deleted.removeAll(current.keySet());
        if (changed.isEmpty() && deleted.isEmpty()) {
            return new Result(0, false);
        }
        Set<Path> toCompile = withDependents(changed, deleted, current.keySet());
        List<String> diagnostics = new ArrayList<>();
        Map<Path, Set<Path>> produced = new HashMap<>();
        boolean ok = toCompile.isEmpty() || runJavac(toCompile, dependencies, diagnostics, produced);
        if (!ok) {
            throw new SynthException("compilation failed: " + diagnostics.size() + (diagnostics.size() == 1 ? " error" : " errors"),
                    diagnostics);
        }
        try {
            for (Path src : deleted) {
                deleteOutputs(src);
                compiled.remove(src);
            }
            for (Path src : toCompile) {
                deleteOutputs(src);
            }
            for (Map.Entry<Path, Set<Path>> e : produced.entrySet()) {
                for (Path rel : e.getValue()) {
                    Path target = classesDir.resolve(rel);
                    Files.createDirectories(target.getParent());
                    Files.move(stagingDir.resolve(rel), target, StandardCopyOption.REPLACE_EXISTING);
                }
                outputs.put(e.getKey(), e.getValue());
            }
        } catch (IOException e) {
            fresh = true;
            throw new SynthException("cannot update " + classesDir + ": " + e.getMessage(), List.of(), e);
        }
        for (Path src : toCompile) {
            compiled.put(src, current.get(src));
        }
        fresh = false;
        return new Result(toCompile.size(), true);
    }

    private boolean runJavac(Set<Path> sources, List<Path> dependencies, List<String> diagnostics,
            Map<Path, Set<Path>> produced) throws SynthException {
        try {
            Folders.clear(stagingDir);
            List<Path> cp = new ArrayList<>(dependencies);
            cp.add(classesDir);
            if (!cp.equals(locationClasspath)) {
                fileManager.setLocationFromPaths(StandardLocation.CLASS_PATH, cp);
                fileManager.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(stagingDir));
                fileManager.setLocationFromPaths(StandardLocation.SOURCE_PATH, List.of());
                locationClasspath = cp;
            }
        } catch (IOException e) {
            throw new SynthException("cannot prepare the compiler: " + e.getMessage(), List.of(), e);
        }
        DiagnosticCollector<JavaFileObject> collector = new DiagnosticCollector<>();
        Iterable<? extends JavaFileObject> units = fileManager.getJavaFileObjectsFromPaths(sources);
        var tracking = new ForwardingJavaFileManager<>(fileManager) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                    FileObject sibling) throws IOException {
                JavaFileObject out = super.getJavaFileForOutput(location, className, kind, sibling);
                if (sibling != null && kind == JavaFileObject.Kind.CLASS) {
                    Path src = Path.of(sibling.toUri()).toAbsolutePath().normalize();
                    produced.computeIfAbsent(src, k -> new LinkedHashSet<>())
                            .add(Path.of(className.replace('.', '/') + ".class"));
                }
                return out;
            }
        };
        boolean ok = javac.getTask(null, tracking, collector, OPTIONS, null, units).call();
        for (Diagnostic<? extends JavaFileObject> d : collector.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            String where = "";
            if (d.getSource() != null) {
                Path src = Path.of(d.getSource().toUri()).toAbsolutePath().normalize();
                where = (src.startsWith(appDir) ? appDir.relativize(src) : src) + ":" + d.getLineNumber() + ": ";
            }
            diagnostics.add(where + d.getMessage(Locale.ROOT).lines().findFirst().orElse(""));
        }
        if (!ok && diagnostics.isEmpty()) {
            diagnostics.add("javac failed without a diagnostic");
        }
        return ok;
    }

    private void deleteOutputs(Path src) throws IOException {
        Set<Path> old = outputs.remove(src);
        if (old != null) {
            for (Path rel : old) {
                Files.deleteIfExists(classesDir.resolve(rel));
            }
        }
    }

    private Set<Path> withDependents(Set<Path> changed, Set<Path> deleted, Set<Path> all) throws SynthException {
        Set<Path> result = new LinkedHashSet<>(changed);
        List<String> names = new ArrayList<>();
        changed.forEach(p -> names.add(typeName(p)));
        deleted.forEach(p -> names.add(typeName(p)));
        Map<Path, String> texts = new HashMap<>();
        while (!names.isEmpty()) {
            Pattern mention = Pattern.compile("\\b(" + String.join("|", names.stream().map(Pattern::quote).toList()) + ")\\b");
            names.clear();
            for (Path src : all) {
                if (result.contains(src)) {
                    continue;
                }
                String text = texts.get(src);
                if (text == null) {
                    text = read(src);
                    texts.put(src, text);
                }
                if (mention.matcher(text).find()) {
                    result.add(src);
                    names.add(typeName(src));
                }
            }
        }
        return result;
    }

    private static String typeName(Path src) {
        String n = src.getFileName().toString();
        return n.substring(0, n.length() - ".java".length());
    }

    private Map<Path, String> scanSources() throws SynthException {
        Map<Path, String> out = new HashMap<>();
        if (!Files.isDirectory(sourceDir)) {
            throw new SynthException("no Java sources in " + sourceDir, List.of("a Maven Java CDK app keeps its code in src/main/java"));
        }
        try (Stream<Path> s = Files.walk(sourceDir)) {
            for (Path p : (Iterable<Path>) s.filter(f -> f.toString().endsWith(".java") && Files.isRegularFile(f))::iterator) {
                out.put(p.toAbsolutePath().normalize(), hash(Files.readAllBytes(p)));
            }
        } catch (IOException e) {
            throw new SynthException("cannot read sources under " + sourceDir + ": " + e.getMessage(), List.of(), e);
        }
        return out;
    }

    private static String read(Path p) throws SynthException {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SynthException("cannot read " + p + ": " + e.getMessage(), List.of(), e);
        }
    }

    private static String hash(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            fileManager.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
