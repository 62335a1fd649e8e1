package dev.livestack.watcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchOptionsTest {
    @TempDir
    Path dir;

    @Test
    void readsTheWatchBlockAndTheOutputFolder() throws IOException {
        Files.writeString(dir.resolve("cdk.json"), """
                {"app": "x", "output": "out", "watch": {"include": "src/**", "exclude": ["README.md", "target"]}}
                """);
        WatchOptions o = WatchOptions.fromCdkJson(dir);
        assertEquals(List.of("src/**"), o.include());
        assertEquals(List.of("README.md", "target", "out", "out/**"), o.exclude());
        assertEquals(WatchOptions.DEFAULT_QUIET_PERIOD, o.quietPeriod());
        assertEquals(dir.toAbsolutePath().normalize(), o.root());
    }

    @Test
    void noCdkJsonWatchesEverything() throws IOException {
        WatchOptions o = WatchOptions.fromCdkJson(dir);
        assertTrue(o.include().isEmpty());
        assertTrue(o.exclude().isEmpty());
    }

    @Test
    void badCdkJsonIsAnError() throws IOException {
        Files.writeString(dir.resolve("cdk.json"), "{\"watch\": {\"include\": [1]}}");
        IOException e = assertThrows(IOException.class, () -> WatchOptions.fromCdkJson(dir));
        assertTrue(e.getMessage().contains("watch.include"), e.getMessage());
        Files.writeString(dir.resolve("cdk.json"), "{not json");
        assertThrows(IOException.class, () -> WatchOptions.fromCdkJson(dir));
        // a bare pattern where the block belongs used to be ignored: the whole folder was watched
        Files.writeString(dir.resolve("cdk.json"), "{\"watch\": \"src/**\"}");
        e = assertThrows(IOException.class, () -> WatchOptions.fromCdkJson(dir));
        assertTrue(e.getMessage().contains("watch must be an object"), e.getMessage());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(NullPointerException.class, () -> new WatchOptions(null, List.of(), List.of(), null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WatchOptions(dir, List.of(), List.of(), Duration.ofMillis(-1)));
        assertTrue(e.getMessage().contains("quietPeriod"));
    }
}
