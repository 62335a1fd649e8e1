package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Globs}: the protected-stack glob dialect. */
class GlobsTest {

    @Test
    void globs() {
        assertTrue(Globs.matches("prod-*", "prod-api"));
        assertTrue(Globs.matches("*", "x"));
        assertTrue(Globs.matches("a?c", "abc"));
        assertFalse(Globs.matches("prod-*", "dev-api"));
        assertFalse(Globs.matches("a?c", "ac"));
    }
}
