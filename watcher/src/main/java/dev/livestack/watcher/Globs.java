package dev.livestack.watcher;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Glob patterns read the way the CDK CLI reads {@code cdk.json}'s {@code watch} block (chokidar /
 * picomatch): relative to the app folder, {@code **} spans folders, {@code *} and {@code ?} stay
 * inside one name, {@code {a,b}} alternates; a pattern that matches a folder covers everything
 * under it (chokidar then never descends into it).
 */
final class Globs {
    private final List<Pattern> patterns;

    private Globs(List<Pattern> patterns) {
        this.patterns = patterns;
    }

    static Globs of(List<String> globs) {
        return new Globs(globs.stream().map(Globs::compile).toList());
    }

    boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** True when the relative path (forward slashes) or one of its parent folders matches a pattern. */
    boolean matchesSelfOrAncestor(String relative) {
        if (relative.isEmpty()) {
            return matches(relative);
        }
        int from = 0;
        while (true) {
            int slash = relative.indexOf('/', from);
            String prefix = slash < 0 ? relative : relative.substring(0, slash);
            if (matches(prefix)) {
                return true;
            }
            if (slash < 0) {
                return false;
            }
            from = slash + 1;
        }
    }

    boolean matches(String relative) {
        for (Pattern p : patterns) {
            if (p.matcher(relative).matches()) {
                return true;
            }
        }
        return false;
    }

    static Pattern compile(String glob) {
        String g = glob.replace('\\', '/');
        while (g.startsWith("./")) {
            g = g.substring(2);
        }
        if (g.endsWith("/") && g.length() > 1) {
            g = g.substring(0, g.length() - 1);
        }
        if (g.equals(".") || g.isEmpty()) {
            g = "**";
        }
        StringBuilder re = new StringBuilder();
        int braces = 0;
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            switch (c) {
                case '*' -> {
                    boolean dbl = i + 1 < g.length() && g.charAt(i + 1) == '*';
                    if (dbl) {
                        boolean atStart = i == 0 || g.charAt(i - 1) == '/';
                        boolean slashAfter = i + 2 < g.length() && g.charAt(i + 2) == '/';
                        if (atStart && slashAfter) {
                            // "**/" also matches zero folders
                            re.append("(?:.*/)?");
                            i += 2;
                        } else {
                            re.append(".*");
                            i += 1;
                        }
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '{' -> {
                    braces++;
                    re.append("(?:");
                }
                case '}' -> {
                    if (braces > 0) {
                        braces--;
                        re.append(')');
                    } else {
                        re.append("\\}");
                    }
                }
                case ',' -> re.append(braces > 0 ? "|" : ",");
                case '[' -> {
                    int close = g.indexOf(']', i + 1);
                    if (close < 0) {
                        re.append("\\[");
                    } else {
                        String body = g.substring(i + 1, close);
                        if (body.startsWith("!")) {
                            body = "^" + body.substring(1);
                        }
                        re.append('[').append(body.replace("\\", "\\\\")).append(']');
                        i = close;
                    }
                }
                case '/' -> {
                    // "a/**" also matches "a" itself, as chokidar watches the folder
                    if (g.startsWith("**", i + 1) && i + 3 == g.length()) {
                        re.append("(?:/.*)?");
                        i += 2;
                    } else {
                        re.append('/');
                    }
                }
                default -> {
                    if ("\\.^$+()|".indexOf(c) >= 0) {
                        re.append('\\');
                    }
                    re.append(c);
                }
            }
        }
        return Pattern.compile(re.toString());
    }
}
