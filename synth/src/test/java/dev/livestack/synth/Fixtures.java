package dev.livestack.synth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;

final class Fixtures {
    private Fixtures() {
    }

    /** Copies {@code src/test/resources/<name>} into {@code target} (tests edit the copy). */
    static Path copy(String name, Path target) throws IOException {
        Path from = Path.of("src/test/resources", name).toAbsolutePath();
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path to = target.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return target;
    }

    /** What the cli would pass to child processes: the tools on the PATH and a home for Maven. */
    static Map<String, String> childEnvironment() {
        return Map.of("PATH", System.getenv("PATH"), "HOME", System.getProperty("user.home"));
    }
}
