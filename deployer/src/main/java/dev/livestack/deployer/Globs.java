package dev.livestack.deployer;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.regex.PatternSyntaxException;

/**
 * Stack-name globs in the JDK's glob syntax ({@link java.nio.file.FileSystem#getPathMatcher}): {@code *} and {@code ?}
 * any characters, {@code [a-z]} / {@code [!a]} one of (or none of) them, {@code {a,b}} either. The cli selects stacks
 * ({@code --stack}) by the same syntax, so a glob that selects a stack also protects it.
 */
final class Globs {
    private Globs() {
    }

    /**
     * @throws IllegalArgumentException when {@code glob} is not a glob (an unclosed {@code [} or {@code {})
     */
    static boolean matches(String glob, String name) {
        if (glob.equals(name)) {
            return true;
        }
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(Path.of(name));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("protected stack glob '" + glob + "' is not a glob: " + e.getDescription(), e);
        }
    }
}
