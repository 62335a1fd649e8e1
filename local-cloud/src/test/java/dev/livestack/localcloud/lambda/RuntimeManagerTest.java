package dev.livestack.localcloud.lambda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which runtimes local-cloud runs as local processes. */
class RuntimeManagerTest {
    @Test
    void onlyNodeAndPythonRuntimesRunLocally() {
        assertTrue(RuntimeManager.canRun("nodejs18.x"));
        assertTrue(RuntimeManager.canRun("python3.9"));
        assertTrue(!RuntimeManager.canRun("java21"));
        assertTrue(!RuntimeManager.canRun("nodejs16.x"));
        assertTrue(RuntimeManager.canRun("python3.14"));
        assertTrue(!RuntimeManager.canRun("python3.15"));
    }
}
