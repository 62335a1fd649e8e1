package dev.livestack.cli;

import java.nio.file.Path;

/** Stack names and globs, as {@code --stack} and {@code livestack:protectedStacks} take them. */
final class StackGlobs {
    private StackGlobs() {
    }

    /**
     * A stack name or a glob of names: what CloudFormation allows in a name ({@code [A-Za-z][-A-Za-z0-9]*}) plus the
     * glob syntax of the JDK's {@link java.nio.file.PathMatcher} ({@code *}, {@code ?}, {@code [a-z]}, {@code [!a]},
     * {@code {a,b}}), the one dialect {@code --stack} and {@code livestack:protectedStacks} share.
     */
    static void checkStackName(String name) {
        checkStackGlob(name, "--stack '" + name + "'");
    }

    static void checkStackGlob(String glob, String what) {
        boolean ok = glob.matches("[A-Za-z*?\\[{][-A-Za-z0-9*?\\[\\]{},!]{0,127}");
        if (ok) {
            try {
                stackMatcher(glob);
            } catch (java.util.regex.PatternSyntaxException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw new UserError(what + " is not a stack name or pattern.",
                    "Stack names start with a letter and hold letters, digits and hyphens; in a pattern * and ? match any "
                            + "characters, [abc] one of them, {a,b} either (quote them in the shell).");
        }
    }

    private static java.nio.file.PathMatcher stackMatcher(String glob) {
        return java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + glob);
    }

    /** Whether the name or glob (see {@link #checkStackName}) selects the stack; the deployer protects by the same rule. */
    static boolean stackMatches(String glob, String name) {
        return glob.equals(name) || stackMatcher(glob).matches(Path.of(name));
    }

    static boolean isGlob(String name) {
        return name.chars().anyMatch(c -> "*?[{".indexOf(c) >= 0);
    }
}
