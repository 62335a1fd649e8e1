package dev.livestack.inlinepackager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleCacheTest {
    private static final String META = "{\"inputs\":{\"index.ts\":{\"bytes\":1},\"../lib/a.ts\":{\"bytes\":1}},\"outputs\":{}}";

    @TempDir
    Path tmp;
    Path fn;
    BundleCache cache;
    BundleCache.Key key;

    @BeforeEach
    void files() throws IOException {
        fn = Files.createDirectories(tmp.resolve("fn"));
        Files.createDirectories(tmp.resolve("lib"));
        Files.writeString(fn.resolve("index.ts"), "import './../lib/a';");
        Files.writeString(tmp.resolve("lib/a.ts"), "export const a = 1;");
        age();
        cache = new BundleCache();
        key = new BundleCache.Key(fn.resolve("index.ts"), "node22");
    }

    @Test
    void aBundleIsServedUntilAnInputChanges() throws IOException {
        cache.put(key, fn, META, System.currentTimeMillis(), "bundle-1");
        assertEquals("bundle-1", cache.get(key, fn));
        assertNull(cache.get(new BundleCache.Key(key.entry(), "node20"), fn), "another target");
        Files.writeString(tmp.resolve("lib/a.ts"), "export const a = 2;");
        age();
        assertNull(cache.get(key, fn), "an input's content changed");
        assertNull(cache.get(key, fn), "and the stale entry is gone");
    }

    @Test
    void sameContentRewrittenIsStillAHit() throws IOException {
        cache.put(key, fn, META, System.currentTimeMillis(), "bundle-1");
        Files.writeString(tmp.resolve("lib/a.ts"), "export const a = 1;");
        age();
        assertEquals("bundle-1", cache.get(key, fn));
    }

    @Test
    void aNewFileBesideAnInputOrANewLockFileIsAMiss() throws IOException {
        cache.put(key, fn, META, System.currentTimeMillis(), "bundle-1");
        Files.writeString(tmp.resolve("lib/a.js"), "exports.a = 3;");
        age();
        assertNull(cache.get(key, fn));
        cache.put(key, fn, META, System.currentTimeMillis(), "bundle-2");
        assertEquals("bundle-2", cache.get(key, fn));
        Files.writeString(fn.resolve("package-lock.json"), "{}");
        age();
        assertNull(cache.get(key, fn));
    }

    @Test
    void racyOrUnreadableInputsAreNeverRemembered() throws IOException {
        Files.writeString(fn.resolve("index.ts"), "import './../lib/a'; // just saved");
        cache.put(key, fn, META, System.currentTimeMillis(), "racy");
        assertNull(cache.get(key, fn));
        age();
        cache.put(key, fn, "{\"inputs\":{\"(disabled):fs\":{}}}", System.currentTimeMillis(), "virtual");
        assertNull(cache.get(key, fn));
        cache.put(key, fn, "not json", System.currentTimeMillis(), "broken");
        assertNull(cache.get(key, fn));
        cache.put(key, fn, META, System.currentTimeMillis(), "fine");
        Files.delete(tmp.resolve("lib/a.ts"));
        assertNull(cache.get(key, fn), "an input disappeared");
    }

    private void age() throws IOException {
        FileTime past = FileTime.fromMillis(System.currentTimeMillis() - 10_000);
        try (var walk = Files.walk(tmp)) {
            for (Path p : walk.toList()) {
                Files.setLastModifiedTime(p, past);
            }
        }
    }
}
