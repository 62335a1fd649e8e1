package dev.livestack.watcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GlobsTest {
    private static boolean covers(String glob, String path) {
        return Globs.of(List.of(glob)).matchesSelfOrAncestor(path);
    }

    @Test
    void doubleStarSpansFoldersIncludingNone() {
        assertTrue(covers("**", "a/b/c.js"));
        assertTrue(covers("**/*.js", "index.js"));
        assertTrue(covers("**/*.js", "a/b/index.js"));
        assertFalse(covers("**/*.js", "a/b/index.ts"));
        assertTrue(covers("src/**", "src/main/App.java"));
    }

    @Test
    void singleStarStaysInOneName() {
        assertTrue(covers("*.md", "README.md"));
        assertFalse(Globs.of(List.of("*.md")).matches("docs/x.md"));
        assertTrue(covers("cdk*.json", "cdk.context.json"));
        assertFalse(covers("cdk*.json", "lib/cdk.json"));
    }

    @Test
    void aFolderPatternCoversItsContents() {
        assertTrue(covers("target", "target/classes/A.class"));
        assertTrue(covers("src/test", "src/test/java/FooTest.java"));
        assertFalse(covers("src/test", "src/testing/X.java"));
        assertTrue(covers("**/node_modules", "fn/node_modules/x/index.js"));
    }

    @Test
    void dotFilesAndAlternatives() {
        assertTrue(covers("**/.*", ".git/HEAD"));
        assertTrue(covers("**/.*", "lib/.Stack.java.swp"));
        assertFalse(covers("**/.*", "lib/Stack.java"));
        assertTrue(covers("**/*.{ts,js}", "a/b.ts"));
        assertTrue(covers("./lib/?.java", "lib/A.java"));
        assertFalse(covers("lib/[!A].java", "lib/A.java"));
        assertTrue(covers("lib/[!A].java", "lib/B.java"));
    }

    /**
     * livestack has one glob dialect, the JDK's ({@code --stack}, {@code livestack:protectedStacks}); cdk.json's watch
     * globs add only what paths need, as the CDK reads them ({@code **}, a folder covering its contents, {@code **}/
     * matching no folder). On a single name the two agree.
     */
    @Test
    void onOneNameTheDialectIsTheJdkGlob() {
        List<String> globs = List.of("*", "Api*", "Api?", "{Api,Web}Stack", "[AW]*", "[!A]*", "*-{dev,prod}", "x[0-9]");
        List<String> names = List.of("ApiStack", "WebStack", "DbStack", "Api1", "Api", "a-dev", "a-test", "x1", "xy");
        for (String glob : globs) {
            java.nio.file.PathMatcher jdk = java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + glob);
            for (String name : names) {
                org.junit.jupiter.api.Assertions.assertEquals(jdk.matches(java.nio.file.Path.of(name)),
                        Globs.of(List.of(glob)).matches(name), glob + " on " + name);
            }
        }
    }
}
