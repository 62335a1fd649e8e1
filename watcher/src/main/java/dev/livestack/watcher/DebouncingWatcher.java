package dev.livestack.watcher;

import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryWatcher;
import io.methvin.watcher.visitor.FileTreeVisitor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.helpers.NOPLogger;

/**
 * The watcher: directory-watcher delivers raw events on its thread; they only mark paths dirty.
 * A delivery thread waits for the quiet period, then hashes the dirty paths and compares them
 * with the hashes recorded at the previous batch. Hashing at delivery time (not event time) is
 * what makes both guarantees hold: identical rewrites compare equal, and a save that lands while
 * the listener runs marks its path dirty again, so the next batch re-reads it.
 */
final class DebouncingWatcher implements SourceWatcher {
    /** A save storm must not postpone delivery forever. */
    private static final long MAX_DELAY_FACTOR = 10;

    private final Path root;
    private final Globs include;
    private final Globs exclude;
    private final long quietNanos;
    private final Consumer<SourceChange> listener;
    private final Map<Path, Hash> known = new HashMap<>();
    private final Object lock = new Object();
    private final Set<Path> dirty = new LinkedHashSet<>();
    private boolean rescanAll;
    private long firstDirtyAt;
    private long lastEventAt;
    private volatile boolean closed;
    private volatile Map<String, Path> functionSources = Map.of();
    private final DirectoryWatcher dirWatcher;
    private final ExecutorService eventLoop;
    private final Thread delivery;

    private record Hash(byte[] digest) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Hash h && Arrays.equals(digest, h.digest);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(digest);
        }
    }

    private DebouncingWatcher(WatchOptions options, Consumer<SourceChange> listener) throws IOException {
        this.root = options.root();
        this.include = Globs.of(options.include());
        List<String> ex = new ArrayList<>(WatchOptions.ALWAYS_EXCLUDED);
        ex.addAll(options.exclude());
        this.exclude = Globs.of(ex);
        this.quietNanos = options.quietPeriod().toNanos();
        this.listener = Objects.requireNonNull(listener, "listener");
        if (!Files.isDirectory(root)) {
            throw new IOException("cannot watch " + root + ": not a folder");
        }
        this.dirWatcher = DirectoryWatcher.builder()
                .path(root)
                .fileHashing(false)
                .fileTreeVisitor(new PrunedVisitor())
                .logger(NOPLogger.NOP_LOGGER)
                .listener(this::onEvent)
                .build();
        this.eventLoop = Executors.newSingleThreadExecutor(r -> daemon(r, "livestack-watch-events"));
        this.delivery = daemon(this::deliverLoop, "livestack-watch-delivery");
    }

    static SourceWatcher start(WatchOptions options, Consumer<SourceChange> listener) throws IOException {
        Objects.requireNonNull(options, "options");
        DebouncingWatcher w = new DebouncingWatcher(options, listener);
        // watches are registered synchronously here, before the baseline is hashed; a failure to
        // register comes back as an already failed future, not as an exception
        var loop = w.dirWatcher.watchAsync(w.eventLoop);
        if (loop.isCompletedExceptionally()) {
            w.close();
            try {
                loop.join();
            } catch (java.util.concurrent.CompletionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw cause instanceof IOException io ? io : new IOException("cannot watch " + options.root() + ": " + cause, cause);
            }
        }
        w.baseline();
        w.delivery.start();
        return w;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void functionSources(Map<String, Path> sourceFolderByFunction) {
        Map<String, Path> resolved = new LinkedHashMap<>();
        sourceFolderByFunction.forEach((fn, p) -> resolved.put(
                Objects.requireNonNull(fn, "function"), root.resolve(Objects.requireNonNull(p, "path")).normalize()));
        functionSources = Map.copyOf(resolved);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            dirWatcher.close();
        } catch (IOException ignored) {
            // closing a watch service only fails when it is already closed
        }
        eventLoop.shutdownNow();
        delivery.interrupt();
        if (Thread.currentThread() != delivery) {
            try {
                delivery.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- raw events (directory-watcher thread)

    private void onEvent(DirectoryChangeEvent event) {
        synchronized (lock) {
            if (event.eventType() == DirectoryChangeEvent.EventType.OVERFLOW) {
                rescanAll = true;
            } else if (event.path() != null) {
                Path p = event.path().toAbsolutePath().normalize();
                if (!p.startsWith(root) || isExcluded(p)) {
                    return;
                }
                dirty.add(p);
            } else {
                return;
            }
            long now = System.nanoTime();
            if (firstDirtyAt == 0) {
                firstDirtyAt = now;
            }
            lastEventAt = now;
            lock.notifyAll();
        }
    }

    // ---- delivery thread

    private void deliverLoop() {
        while (!closed) {
            Set<Path> batch;
            boolean all;
            try {
                synchronized (lock) {
                    while (!closed && dirty.isEmpty() && !rescanAll) {
                        lock.wait();
                    }
                    while (!closed) {
                        long now = System.nanoTime();
                        long quietUntil = lastEventAt + quietNanos;
                        long latest = firstDirtyAt + quietNanos * MAX_DELAY_FACTOR;
                        long until = Math.min(quietUntil, latest);
                        if (now >= until) {
                            break;
                        }
                        long waitNanos = until - now;
                        lock.wait(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
                    }
                    if (closed) {
                        return;
                    }
                    batch = new LinkedHashSet<>(dirty);
                    all = rescanAll;
                    dirty.clear();
                    rescanAll = false;
                    firstDirtyAt = 0;
                }
            } catch (InterruptedException e) {
                return;
            }
            Set<Path> changed = all ? rescan() : check(batch);
            if (!changed.isEmpty() && !closed) {
                try {
                    listener.accept(toChange(changed));
                } catch (RuntimeException ignored) {
                    // the listener owns its errors; the watch must go on
                }
            }
        }
    }

    private SourceChange toChange(Set<Path> changed) {
        Map<String, Path> fns = functionSources;
        Set<String> touched = new LinkedHashSet<>();
        boolean onlyFunctions = !fns.isEmpty();
        for (Path p : changed) {
            boolean inFunction = false;
            for (Map.Entry<String, Path> e : fns.entrySet()) {
                if (p.startsWith(e.getValue())) {
                    touched.add(e.getKey());
                    inFunction = true;
                }
            }
            onlyFunctions &= inFunction;
        }
        return new SourceChange(changed, touched, onlyFunctions && !touched.isEmpty());
    }

    /** Re-reads the dirty paths; returns the files whose content differs from the last batch. */
    private Set<Path> check(Set<Path> paths) {
        Set<Path> changed = new LinkedHashSet<>();
        for (Path p : paths) {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                // a created or moved-in folder: its files arrive with it
                walk(p, f -> compare(f, changed));
                forgetDeletedUnder(p, changed);
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                compare(p, changed);
            } else {
                forgetDeletedUnder(p, changed);
            }
        }
        return changed;
    }

    private Set<Path> rescan() {
        Set<Path> changed = new LinkedHashSet<>();
        walk(root, f -> compare(f, changed));
        forgetDeletedUnder(root, changed);
        return changed;
    }

    private void compare(Path file, Set<Path> changed) {
        if (!isIncluded(file)) {
            return;
        }
        Hash h = hash(file);
        if (h == null) {
            // vanished between listing and reading: a delete, seen by forgetDeletedUnder
            if (known.remove(file) != null) {
                changed.add(file);
            }
            return;
        }
        Hash before = known.put(file, h);
        if (!h.equals(before)) {
            changed.add(file);
        }
    }

    private void forgetDeletedUnder(Path p, Set<Path> changed) {
        known.keySet().removeIf(k -> {
            if (k.startsWith(p) && !Files.isRegularFile(k, LinkOption.NOFOLLOW_LINKS)) {
                changed.add(k);
                return true;
            }
            return false;
        });
    }

    private void baseline() {
        walk(root, f -> {
            if (isIncluded(f)) {
                Hash h = hash(f);
                if (h != null) {
                    known.put(f, h);
                }
            }
        });
    }

    // ---- filtering and hashing

    private String relative(Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    private boolean isExcluded(Path p) {
        return !p.equals(root) && exclude.matchesSelfOrAncestor(relative(p));
    }

    private boolean isIncluded(Path file) {
        if (isExcluded(file)) {
            return false;
        }
        return include.isEmpty() || include.matchesSelfOrAncestor(relative(file));
    }

    private void walk(Path start, Consumer<Path> onFile) {
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return isExcluded(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        onFile.accept(file.toAbsolutePath().normalize());
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException gone) {
            // deleted while we looked: the caller treats missing files as deleted
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Hash hash(Path file) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[16384];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            return null;
        }
        return new Hash(md.digest());
    }

    /** Keeps directory-watcher from registering inotify watches in excluded folders (node_modules, target…). */
    private final class PrunedVisitor implements FileTreeVisitor {
        @Override
        public void recursiveVisitFiles(Path start, Callback onDirectory, Callback onFile) throws IOException {
            Path s = start.toAbsolutePath().normalize();
            if (isExcluded(s)) {
                return;
            }
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (isExcluded(dir.toAbsolutePath().normalize())) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    onDirectory.call(dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    onFile.call(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    // a file deleted during the walk is not an error
                    return FileVisitResult.CONTINUE;
                }
            });
        }
    }
}
