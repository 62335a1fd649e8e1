package dev.livestack.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SynthOptionsTest {
    @Test
    void defaultsAndRejections() {
        SynthOptions o = SynthOptions.of(Path.of("app"));
        assertTrue(o.validation());
        assertTrue(o.warm());
        assertTrue(o.app().isAbsolute());
        assertEquals(SynthOptions.DEFAULT_MAX_SYNTHS_PER_RUNTIME, o.maxSynthsPerRuntime());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.withStackName(" "));
        assertTrue(e.getMessage().contains("stackName"));
        e = assertThrows(IllegalArgumentException.class, () -> o.withRuntimeBounds(0, 512));
        assertTrue(e.getMessage().contains("maxSynthsPerRuntime"));
        NullPointerException npe = assertThrows(NullPointerException.class, () -> SynthOptions.of(null));
        assertEquals("app", npe.getMessage());
    }

    @Test
    void eventsCarryTheirJsonTypes() {
        assertEquals("synth.started", new SynthEvent.SynthStarted().type());
        assertEquals("synth.succeeded", new SynthEvent.SynthSucceeded(5, List.of("A")).type());
        assertEquals("synth.failed", new SynthEvent.SynthFailed("x", List.of()).type());
        assertThrows(IllegalArgumentException.class, () -> new SynthEvent.SynthSucceeded(-1, List.of()));
    }

    @Test
    void mainClassComesFromTheExecPlugin() throws Exception {
        assertEquals("fixture.FixtureApp", MavenApp.mainClassFromPom(Path.of("src/test/resources/java-app/pom.xml")));
    }
}
