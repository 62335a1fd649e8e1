package dev.livestack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * The one stack-glob dialect that {@code --stack} and cdk.json's {@code livestack:protectedStacks} share, so a glob
 * that selects a stack protects exactly that stack: what CloudFormation allows in a stack name
 * ({@code [A-Za-z][-A-Za-z0-9]*}) plus the glob syntax of the JDK's {@link PathMatcher} ({@code *}, {@code ?},
 * {@code [a-z]}, {@code [!a]}, {@code {a,b}}). Checking a glob is bad input (a {@link UserError}) before any deploy.
 */
final class StackGlobs {
    private StackGlobs() {
    }

    /** Checks a {@code --stack} value: a stack name or a glob of names. */
    static void checkStackName(String name) {
        check(name, "--stack '" + name + "'");
    }

    /** Checks a glob; {@code what} names it in the error (e.g. {@code --stack 'Api['}). */
    static void check(String glob, String what) {
        boolean ok = glob.matches("[A-Za-z*?\\[{][-A-Za-z0-9*?\\[\\]{},!]{0,127}");
        if (ok) {
            try {
                matcher(glob);
            } catch (PatternSyntaxException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw new UserError(what + " is not a stack name or pattern.",
                    "Stack names start with a letter and hold letters, digits and hyphens; in a pattern * and ? match any "
                            + "characters, [abc] one of them, {a,b} either (quote them in the shell).");
        }
    }

    /** Whether the name or glob selects the stack; the deployer protects by the same rule. */
    static boolean matches(String glob, String name) {
        return glob.equals(name) || matcher(glob).matches(Path.of(name));
    }

    /** Whether the value is a glob rather than a plain stack name. */
    static boolean isGlob(String name) {
        return name.chars().anyMatch(c -> "*?[{".indexOf(c) >= 0);
    }

    /**
     * The globs of cdk.json's context {@code livestack:protectedStacks}: a list, or a comma-separated string (a comma
     * inside {@code {a,b}} belongs to the glob), each checked.
     */
    static Set<String> protectedStacks(JsonNode value) {
        Set<String> out = new LinkedHashSet<>();
        if (value.isArray()) {
            value.forEach(n -> out.add(n.asText()));
        } else if (value.isTextual()) {
            int depth = 0;
            int from = 0;
            String text = value.asText() + ",";
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                depth += c == '{' ? 1 : c == '}' && depth > 0 ? -1 : 0;
                if (c == ',' && depth == 0) {
                    String part = text.substring(from, i);
                    if (!part.isBlank()) {
                        out.add(part.trim());
                    }
                    from = i + 1;
                }
            }
        }
        // checked here, as --stack is, so a broken glob is bad input before any deploy rather than a failed one
        for (String glob : out) {
            check(glob, "cdk.json's livestack:protectedStacks '" + glob + "'");
        }
        return out;
    }

    private static PathMatcher matcher(String glob) {
        return FileSystems.getDefault().getPathMatcher("glob:" + glob);
    }
}
