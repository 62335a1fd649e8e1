package dev.livestack.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChildEnvironmentTest {
    private static final String EOL = "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION";
    private static final Path APP = Path.of("src/test/resources/java-app").toAbsolutePath();

    private static Map<String, String> env(Map<String, String> given) throws SynthException {
        SynthOptions o = SynthOptions.of(APP).withEnvironment(given);
        return ChildEnvironment.forApp(o, CdkProject.read(APP, null), APP.resolve("cdk.out"));
    }

    @Test
    void theEndOfLifeSilencerListsNodeMajorVersions() throws Exception {
        // jsii splits the value on commas and looks for the running node's major version
        List<String> versions = Arrays.asList(env(Map.of()).get(EOL).split(","));
        for (String v : List.of("18", "20", "22", "24", "26")) {
            assertTrue(versions.contains(v), versions.toString());
        }
    }

    @Test
    void aUserValueKeepsItsVersionsAndGainsOurs() throws Exception {
        List<String> versions = Arrays.asList(env(Map.of(EOL, "1")).get(EOL).split(","));
        assertEquals("1", versions.get(0));
        assertTrue(versions.contains("20"), versions.toString());
    }
}
