package dev.livestack.watcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceWatcherIT {
    /** Long enough for inotify plus the quiet period on a loaded 2-core machine. */
    private static final long WAIT_MS = 5_000;
    /** How long "nothing happens" is observed. */
    private static final long SILENCE_MS = 400;

    @TempDir
    Path app;
    private final BlockingQueue<SourceChange> batches = new LinkedBlockingQueue<>();
    private SourceWatcher watcher;

    @BeforeEach
    void seed() throws IOException {
        write("lib/Stack.java", "class Stack {}");
        write("functions/hello/index.js", "exports.handler = async () => 'v1';");
        write("functions/py/index.py", "def handler(e, c): return 1");
    }

    @AfterEach
    void stop() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private void start(WatchOptions options) throws IOException {
        watcher = SourceWatcher.start(options, batches::add);
    }

    private Path write(String rel, String content) throws IOException {
        Path p = app.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p.toAbsolutePath().normalize();
    }

    private SourceChange next() throws InterruptedException {
        SourceChange c = batches.poll(WAIT_MS, TimeUnit.MILLISECONDS);
        assertNotNull(c, "expected a batch");
        return c;
    }

    private void assertQuiet() throws InterruptedException {
        SourceChange extra = batches.poll(SILENCE_MS, TimeUnit.MILLISECONDS);
        assertNull(extra, () -> "expected no batch, got " + extra);
    }

    @Test
    void aSaveGivesOneBatch() throws Exception {
        start(WatchOptions.of(app));
        Path f = write("lib/Stack.java", "class Stack { int x; }");
        SourceChange c = next();
        assertEquals(Set.of(f), c.paths());
        assertTrue(c.functions().isEmpty());
        assertFalse(c.onlyFunctionSources());
        assertQuiet();
    }

    @Test
    void aBurstGivesOneBatch() throws Exception {
        start(WatchOptions.of(app).withQuietPeriod(Duration.ofMillis(80)));
        Path a = null;
        Path b = null;
        for (int i = 0; i < 6; i++) {
            a = write("lib/Stack.java", "class Stack { int x" + i + "; }");
            b = write("lib/Other.java", "class Other { int y" + i + "; }");
            Thread.sleep(5);
        }
        SourceChange c = next();
        assertEquals(Set.of(a, b), c.paths());
        assertQuiet();
    }

    @Test
    void anIdenticalRewriteGivesNothing() throws Exception {
        start(WatchOptions.of(app));
        write("lib/Stack.java", "class Stack {}");
        write("functions/hello/index.js", "exports.handler = async () => 'v1';");
        assertQuiet();
        // an editor's atomic save (temp file + rename) of identical bytes is no change either
        Path tmp = write("lib/.Stack.java.swp~", "class Stack {}");
        Files.move(tmp, app.resolve("lib/Stack.java"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertQuiet();
        Path f = write("lib/Stack.java", "class Stack { }");
        assertEquals(Set.of(f), next().paths());
    }

    @Test
    void aDeleteIsAChange() throws Exception {
        start(WatchOptions.of(app));
        Path f = app.resolve("lib/Stack.java").toAbsolutePath().normalize();
        Files.delete(f);
        assertEquals(Set.of(f), next().paths());
        // and a folder created with files in it reports its files
        Path nested = write("lib/deep/er/New.java", "class New {}");
        assertEquals(Set.of(nested), next().paths());
    }

    @Test
    void excludedPathsNeverCount() throws Exception {
        write("cdk.json", """
                {"app": "mvn -e -q compile exec:java", "output": "build/assembly",
                 "watch": {"include": ["**"], "exclude": ["README.md", "cdk*.json", "pom.xml", "src/test"]}}
                """);
        start(WatchOptions.fromCdkJson(app));
        write("cdk.out/manifest.json", "{}");
        write("build/assembly/manifest.json", "{}");
        write(".livestack/classpath.txt", "x");
        write(".git/HEAD", "ref");
        write("target/classes/A.class", "x");
        write("node_modules/x/index.js", "x");
        write("functions/hello/node_modules/dep/index.js", "x");
        write("README.md", "# hi");
        write("cdk.context.json", "{}");
        write("src/test/java/FooTest.java", "class FooTest {}");
        Path kept = write("src/main/java/App.java", "class App {}");
        SourceChange c = next();
        assertEquals(Set.of(kept), c.paths());
        assertQuiet();
    }

    @Test
    void includeLimitsTheWatch() throws Exception {
        start(new WatchOptions(app, List.of("functions"), List.of(), null));
        write("lib/Stack.java", "class Stack { int changed; }");
        Path js = write("functions/hello/index.js", "exports.handler = async () => 'v2';");
        assertEquals(Set.of(js), next().paths());
    }

    @Test
    void batchesNameTheFunctionsTheyTouch() throws Exception {
        start(WatchOptions.of(app));
        watcher.functionSources(Map.of("Hello", Path.of("functions/hello"), "Py", app.resolve("functions/py")));
        Path js = write("functions/hello/index.js", "exports.handler = async () => 'v2';");
        SourceChange c = next();
        assertEquals(Set.of(js), c.paths());
        assertEquals(Set.of("Hello"), c.functions());
        assertTrue(c.onlyFunctionSources());

        write("functions/py/index.py", "def handler(e, c): return 2");
        write("lib/Stack.java", "class Stack { int memory; }");
        SourceChange mixed = next();
        assertEquals(Set.of("Py"), mixed.functions());
        assertFalse(mixed.onlyFunctionSources());
    }

    @Test
    void aSaveDuringASlowListenerIsDelivered() throws Exception {
        CountDownLatch inListener = new CountDownLatch(1);
        watcher = SourceWatcher.start(WatchOptions.of(app), change -> {
            batches.add(change);
            if (batches.size() == 1) {
                inListener.countDown();
                try {
                    Thread.sleep(800);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        Path first = write("lib/Stack.java", "class Stack { int a; }");
        assertTrue(inListener.await(WAIT_MS, TimeUnit.MILLISECONDS));
        Path during = write("functions/hello/index.js", "exports.handler = async () => 'during';");
        assertEquals(Set.of(first), next().paths());
        assertEquals(Set.of(during), next().paths());
        assertQuiet();
    }

    @Test
    void closeStopsDelivery() throws Exception {
        start(WatchOptions.of(app));
        watcher.close();
        write("lib/Stack.java", "class Stack { int late; }");
        assertQuiet();
    }
}
