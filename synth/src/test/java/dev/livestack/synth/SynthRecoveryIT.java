package dev.livestack.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm runtime recovers: a jsii node process that dies is noticed and the runtime replaced on the next
 * synth; a synth that hangs is killed at the synth timeout, reported, and the next synth works.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SynthRecoveryIT {
    /**
     * Longer than a cold synth on a two-core machine under a load of 10–14 (25 s was not: both tests failed there
     * with the timeout's own message), short enough for a test.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    @TempDir
    static Path app;
    static Synthesizer synthesizer;
    static WarmJavaSynthesizer warm;

    @BeforeAll
    static void start() throws Exception {
        Fixtures.copy("java-app", app);
        SynthOptions options = SynthOptions.of(app).withEnvironment(Fixtures.childEnvironment())
                .withTarget("us-east-1", "000000000000").withSynthTimeout(TIMEOUT);
        synthesizer = Synthesizers.forApp(options);
        warm = (WarmJavaSynthesizer) ((EventingSynthesizer) synthesizer).inner();
    }

    @AfterAll
    static void stop() {
        if (synthesizer != null) {
            synthesizer.close();
        }
    }

    private static void edit(String from, String to) throws Exception {
        Path p = app.resolve("src/main/java/fixture/FixtureApp.java");
        String text = Files.readString(p, StandardCharsets.UTF_8);
        assertTrue(text.contains(from), from);
        Files.writeString(p, text.replace(from, to), StandardCharsets.UTF_8);
    }

    @Test
    @Order(1)
    @Timeout(300)
    void aKilledNodeIsNoticedAndTheNextSynthRunsInANewRuntime() throws Exception {
        assertEquals(2, synthesizer.synth().stacks().size());
        long runtime = warm.runtimePid();
        List<ProcessHandle> nodes = ProcessHandle.of(runtime).orElseThrow().children()
                .filter(h -> h.info().command().orElse("").contains("node")).toList();
        assertEquals(1, nodes.size(), "jsii's node: " + nodes);
        // kill -9, as the OOM killer or a user would
        nodes.get(0).destroyForcibly();
        nodes.get(0).onExit().get(10, TimeUnit.SECONDS);

        assertEquals(2, synthesizer.synth().stacks().size());
        assertNotEquals(runtime, warm.runtimePid(), "a new runtime");
        assertTrue(ProcessHandle.of(runtime).map(h -> {
            try {
                return h.onExit().get(10, TimeUnit.SECONDS) != null;
            } catch (Exception e) {
                return false;
            }
        }).orElse(true), "the runtime whose node died was ended");
        assertEquals(2, synthesizer.synth().stacks().size());
    }

    @Test
    @Order(2)
    @Timeout(300)
    void aSynthThatHangsIsStoppedAtTheTimeoutAndTheNextSynthWorks() throws Exception {
        assertEquals(2, synthesizer.synth().stacks().size());
        long runtime = warm.runtimePid();
        edit("app.synth();", "try { Thread.sleep(600_000); } catch (InterruptedException e) { } app.synth();");
        long started = System.nanoTime();
        SynthException e = assertThrows(SynthException.class, synthesizer::synth);
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertEquals("the synth did not finish within " + TIMEOUT.toSeconds() + " s and was stopped", e.getMessage());
        assertEquals(1, e.diagnostics().size(), e.diagnostics().toString());
        assertTrue(e.diagnostics().get(0).contains("--synth-timeout SECONDS"), e.diagnostics().toString());
        assertTrue(ms >= TIMEOUT.toMillis() && ms < TIMEOUT.toMillis() + 30_000, ms + " ms");
        // a kill -9 is delivered at once but the process is reaped a moment later: give it that moment
        assertTrue(ProcessHandle.of(runtime).map(h -> {
            try {
                return h.onExit().get(10, TimeUnit.SECONDS) != null;
            } catch (Exception ex) {
                return false;
            }
        }).orElse(true), "the hung runtime was killed");

        edit("try { Thread.sleep(600_000); } catch (InterruptedException e) { } app.synth();", "app.synth();");
        assertEquals(2, synthesizer.synth().stacks().size());
        assertNotEquals(runtime, warm.runtimePid());
    }
}
