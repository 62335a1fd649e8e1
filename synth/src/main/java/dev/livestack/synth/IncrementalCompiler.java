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
import javax.lang.model.element.Element;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
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
 * <p>What is recompiled: the sources whose content changed since the last successful compile;
 * then, when a compiled type's API changed (a signature, a modifier, a supertype, a constant's
 * value), every source that mentions its name, and so on until no API changes. Constants are
 * inlined by javac, so a dependent's class file can be stale without referencing the changed class
 * at all; a textual mention is the safe test. Output goes to a staging folder and replaces the previous class files only when the
 * compile succeeds, so the classes folder always holds the last good build.
 */
final class IncrementalCompiler implements AutoCloseable {
    private static final List<String> OPTIONS = List.of("-g", "-parameters", "-encoding", "UTF-8", "-proc:none", "-nowarn",
            "-Xlint:none", "-implicit:none");

    private final Path appDir;
    private final Path sourceDir;
    private final Path classesDir;
    private final Path stagingDir;
    private final Path stashDir;
    private final JavaCompiler javac;
    private final StandardJavaFileManager fileManager;
    /** One for the session: a reused javac context keeps the file manager of its first task. */
    private final TrackingFileManager tracking;
    private final JavacTasks tasks;
    /** Source → content hash at its last successful compile. */
    private final Map<Path, String> compiled = new HashMap<>();
    /** Source → the class files (relative to the classes folder) it produced. */
    private final Map<Path, Set<Path>> outputs = new HashMap<>();
    /** Source → its types' API as javac saw it: signatures, modifiers, supertypes, constant values. */
    private final Map<Path, String> abis = new HashMap<>();
    /** Source → the top-level types it declares (a file may declare more than its namesake). */
    private final Map<Path, Set<String>> typeNames = new HashMap<>();
    private boolean fresh = true;
    /** Setting a location rebuilds the file manager's view of it, so it is only set when it changed. */
    private List<Path> locationClasspath;

    /** What a compile did. */
    record Result(int compiledFiles, boolean classesChanged, boolean reusedContext) {
    }

    IncrementalCompiler(Path appDir, Path sourceDir, Path classesDir) throws SynthException {
        this.appDir = appDir;
        this.sourceDir = sourceDir;
        this.classesDir = classesDir;
        this.stagingDir = classesDir.resolveSibling(classesDir.getFileName() + "-staging");
        this.stashDir = classesDir.resolveSibling(classesDir.getFileName() + "-stash");
        this.javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new SynthException("no Java compiler in this runtime",
                    List.of("run livestack on a JDK (with javac), not a JRE, to synthesise Java apps warm"));
        }
        this.fileManager = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
        this.tracking = new TrackingFileManager(fileManager);
        this.tasks = new JavacTasks(javac);
    }

    /** Records which source produced which class file, into the map of the compile under way. */
    private static final class TrackingFileManager extends ForwardingJavaFileManager<StandardJavaFileManager> {
        private Map<Path, Set<Path>> produced;

        TrackingFileManager(StandardJavaFileManager fm) {
            super(fm);
        }

        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                FileObject sibling) throws IOException {
            JavaFileObject out = super.getJavaFileForOutput(location, className, kind, sibling);
            Map<Path, Set<Path>> sink = produced;
            if (sink != null && sibling != null && kind == JavaFileObject.Kind.CLASS) {
                Path src = Path.of(sibling.toUri()).toAbsolutePath().normalize();
                sink.computeIfAbsent(src, k -> new LinkedHashSet<>()).add(Path.of(className.replace('.', '/') + ".class"));
            }
            return out;
        }
    }

    /**
     * A compile in a reused javac context met something that context may hold stale symbols for
     * (an API change, a changed set of types, or errors): it is redone in a fresh context.
     */
    private static final class StaleContext extends Exception {
        private static final long serialVersionUID = 1L;

        StaleContext() {
            super(null, null, false, false);
        }
    }

    /** Whether compiles reuse javac's symbol tables (see {@link JavacTasks}). */
    static boolean reusesJavacContext() {
        return JavacTasks.pooled();
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
            compiled.clear();
            outputs.clear();
            abis.clear();
            typeNames.clear();
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
            return new Result(0, false, false);
        }
        if (!deleted.isEmpty()) {
            // the reused context may still know the deleted types
            tasks.reset();
        }
        prepareLocations(dependencies);
        // A class file of a deleted source, or one a changed source no longer declares, must not
        // satisfy a dependent's compile from the classpath: stash them away during the compile
        // (and put them back if it fails, so the classes folder keeps the last good build).
        Set<String> apiChanged = new LinkedHashSet<>();
        Set<Path> stashed = new LinkedHashSet<>(changed);
        stashed.addAll(deleted);
        Map<Path, Set<Path>> stashedOutputs = new HashMap<>();
        try {
            Folders.clear(stashDir);
            for (Path src : stashed) {
                Set<Path> old = outputs.remove(src);
                if (old != null) {
                    stashedOutputs.put(src, old);
                    for (Path rel : old) {
                        moveIfExists(classesDir.resolve(rel), stashDir.resolve(rel));
                    }
                }
            }
        } catch (IOException e) {
            fresh = true;
            throw new SynthException("cannot update " + classesDir + ": " + e.getMessage(), List.of(), e);
        }
        for (Path src : deleted) {
            apiChanged.addAll(typeNames.getOrDefault(src, Set.of(typeName(src))));
        }
        try {
            Result r;
            try {
                r = compileRounds(current, changed, deleted, new LinkedHashSet<>(apiChanged), tasks.reusesContext());
            } catch (StaleContext stale) {
                tasks.reset();
                Folders.clear(stagingDir);
                r = compileRounds(current, changed, deleted, new LinkedHashSet<>(apiChanged), false);
            }
            Folders.clear(stashDir);
            return r;
        } catch (StaleContext impossible) {
            throw new IllegalStateException("a fresh javac context cannot be stale", impossible);
        } catch (SynthException e) {
            // the context saw the broken sources: the next compile starts afresh
            tasks.reset();
            try {
                for (Map.Entry<Path, Set<Path>> en : stashedOutputs.entrySet()) {
                    for (Path rel : en.getValue()) {
                        moveIfExists(stashDir.resolve(rel), classesDir.resolve(rel));
                    }
                    outputs.put(en.getKey(), en.getValue());
                }
            } catch (IOException io) {
                fresh = true;
            }
            throw e;
        } catch (IOException e) {
            fresh = true;
            throw new SynthException("cannot update " + classesDir + ": " + e.getMessage(), List.of(), e);
        }
    }

    private static void moveIfExists(Path from, Path to) throws IOException {
        if (Files.exists(from)) {
            Files.createDirectories(to.getParent());
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Result compileRounds(Map<Path, String> current, Set<Path> changed, Set<Path> deleted, Set<String> apiChanged,
            boolean reusedContext) throws SynthException, StaleContext {
        // Rounds: compile the changed sources; where a type's API (signatures, constants) changed,
        // compile the sources that mention it next, and so on. Usual edits change bodies only: one round.
        Set<Path> compiledNow = new LinkedHashSet<>();
        Map<Path, Set<Path>> produced = new HashMap<>();
        Map<Path, String> newAbis = new HashMap<>();
        Map<Path, Set<String>> newNames = new HashMap<>();
        Set<Path> round = new LinkedHashSet<>(changed);
        round.addAll(mentioning(apiChanged, current.keySet(), round));
        while (!round.isEmpty()) {
            List<String> diagnostics = new ArrayList<>();
            Map<Path, String> roundAbis = new HashMap<>();
            if (!reusedContext) {
                // a reused context serves only a compile whose first round kept every API; a type
                // compiled in one round is not reliably seen by the next in the same context
                tasks.reset();
            }
            boolean ok = runJavac(round, diagnostics, produced, roundAbis, newNames);
            if (reusedContext && (!ok || !sameApi(round, roundAbis, newNames))) {
                // errors may be false ones, and types that use a changed API may have seen its old symbols
                throw new StaleContext();
            }
            if (!ok) {
                throw new SynthException("compilation failed: " + diagnostics.size()
                        + (diagnostics.size() == 1 ? " error" : " errors"), diagnostics);
            }
            compiledNow.addAll(round);
            apiChanged.clear();
            for (Path src : round) {
                String abi = roundAbis.getOrDefault(src, "");
                if (!abi.equals(abis.get(src))) {
                    apiChanged.add(typeName(src));
                    apiChanged.addAll(typeNames.getOrDefault(src, Set.of()));
                    apiChanged.addAll(newNames.getOrDefault(src, Set.of()));
                }
                newAbis.put(src, abi);
            }
            round = mentioning(apiChanged, current.keySet(), compiledNow);
        }
        try {
            for (Path src : deleted) {
                compiled.remove(src);
                abis.remove(src);
                typeNames.remove(src);
            }
            for (Path src : compiledNow) {
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
            Folders.clear(stagingDir);
        } catch (IOException e) {
            fresh = true;
            throw new SynthException("cannot update " + classesDir + ": " + e.getMessage(), List.of(), e);
        }
        for (Path src : compiledNow) {
            compiled.put(src, current.get(src));
        }
        abis.putAll(newAbis);
        typeNames.putAll(newNames);
        fresh = false;
        return new Result(compiledNow.size(), true, reusedContext);
    }

    /** Whether every source of {@code round} kept its API and its set of declared types. */
    private boolean sameApi(Set<Path> round, Map<Path, String> roundAbis, Map<Path, Set<String>> names) {
        for (Path src : round) {
            if (!roundAbis.getOrDefault(src, "").equals(abis.get(src))
                    || !names.getOrDefault(src, Set.of()).equals(typeNames.get(src))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Compiles the largest source (the stack, usually) into the staging folder and throws the
     * result away: javac's code gets JIT-compiled and the CDK classes it reads get cached before
     * the user's next edit needs them. Changes nothing a synth sees.
     */
    void warmUp(List<Path> dependencies) throws SynthException {
        Path largest = null;
        long size = -1;
        for (Path src : compiled.keySet()) {
            try {
                long s = Files.size(src);
                if (s > size) {
                    size = s;
                    largest = src;
                }
            } catch (IOException e) {
                // deleted meanwhile: the next compile notices
            }
        }
        if (largest == null) {
            return;
        }
        try {
            // only the source as last compiled: a reused javac context must not see an API it did not compile
            if (!hash(Files.readAllBytes(largest)).equals(compiled.get(largest))) {
                return;
            }
        } catch (IOException e) {
            return;
        }
        prepareLocations(dependencies);
        tracking.produced = null;
        tasks.run(tracking, new DiagnosticCollector<>(), OPTIONS, fileManager.getJavaFileObjectsFromPaths(List.of(largest)),
                JavacTask::call);
        try {
            Folders.clear(stagingDir);
        } catch (IOException e) {
            throw new SynthException("cannot empty " + stagingDir + ": " + e.getMessage(), List.of(), e);
        }
    }

    private void prepareLocations(List<Path> dependencies) throws SynthException {
        try {
            Folders.clear(stagingDir);
            // staging first: a later round must see this compile's classes, not the last build's
            List<Path> cp = new ArrayList<>();
            cp.add(stagingDir);
            cp.addAll(dependencies);
            cp.add(classesDir);
            if (!cp.equals(locationClasspath)) {
                tasks.reset();
                fileManager.setLocationFromPaths(StandardLocation.CLASS_PATH, cp);
                fileManager.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(stagingDir));
                fileManager.setLocationFromPaths(StandardLocation.SOURCE_PATH, List.of());
                locationClasspath = cp;
            }
        } catch (IOException e) {
            throw new SynthException("cannot prepare the compiler: " + e.getMessage(), List.of(), e);
        }
    }

    private boolean runJavac(Set<Path> sources, List<String> diagnostics, Map<Path, Set<Path>> produced,
            Map<Path, String> abiOut, Map<Path, Set<String>> namesOut) throws SynthException {
        DiagnosticCollector<JavaFileObject> collector = new DiagnosticCollector<>();
        Iterable<? extends JavaFileObject> units = fileManager.getJavaFileObjectsFromPaths(sources);
        tracking.produced = produced;
        boolean ok;
        try {
            ok = tasks.run(tracking, collector, OPTIONS, units, task -> {
                try {
                    Iterable<? extends Element> types = task.analyze();
                    if (collector.getDiagnostics().stream().anyMatch(d -> d.getKind() == Diagnostic.Kind.ERROR)) {
                        return false;
                    }
                    Trees trees = Trees.instance(task);
                    for (Element e : types) {
                        TreePath path = trees.getPath(e);
                        if (path == null) {
                            continue;
                        }
                        Path src = Path.of(path.getCompilationUnit().getSourceFile().toUri()).toAbsolutePath().normalize();
                        namesOut.computeIfAbsent(src, k -> new LinkedHashSet<>()).add(e.getSimpleName().toString());
                        StringBuilder sb = new StringBuilder(abiOut.getOrDefault(src, ""));
                        Abi.append(e, sb);
                        abiOut.put(src, sb.toString());
                    }
                    task.generate();
                    return collector.getDiagnostics().stream().noneMatch(d -> d.getKind() == Diagnostic.Kind.ERROR);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } catch (IllegalStateException e) {
                    // javac refuses further phases after errors it already reported
                    return false;
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw new SynthException("the compiler failed: " + e.getCause().getMessage(), List.of(), e.getCause());
        } finally {
            tracking.produced = null;
        }
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

    /** The sources, other than {@code except}, whose text mentions one of {@code names} as a word. */
    private Set<Path> mentioning(Set<String> names, Set<Path> all, Set<Path> except) throws SynthException {
        Set<Path> result = new LinkedHashSet<>();
        if (names.isEmpty()) {
            return result;
        }
        Pattern mention = Pattern.compile("\\b(" + String.join("|", names.stream().map(Pattern::quote).toList()) + ")\\b");
        for (Path src : all) {
            if (!except.contains(src) && mention.matcher(read(src)).find()) {
                result.add(src);
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
