package dev.livestack.synth;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandHintTest {
    @Test
    void aGradleWrapperThatCannotDownloadGradleGetsItsOwnHint() {
        // what the Gradle wrapper prints on a machine that cannot reach services.gradle.org
        List<String> out = List.of("Downloading https://services.gradle.org/distributions/gradle-8.10.2-bin.zip",
                "Exception in thread \"main\" java.net.UnknownHostException: services.gradle.org");
        String h = CommandSynthesizer.hint("./gradlew run", 1, out);
        assertTrue(h.startsWith("the Gradle wrapper could not download Gradle"), h);
    }

    @Test
    void aMissingProgramIsNamedAndAnAppErrorIsLeftToTheAppsOutput() {
        assertTrue(CommandSynthesizer.hint("npx ts-node app.ts", 127, List.of("sh: 1: npx: not found"))
                .startsWith("the app command's program was not found"));
        assertTrue(CommandSynthesizer.hint("gradle run", 127, List.of()).contains("Gradle"));
        assertNull(CommandSynthesizer.hint("mvn -q compile exec:java", 1, List.of("[ERROR] compilation failure")));
        assertNull(CommandSynthesizer.hint("./gradlew run", 1, List.of("> Task :run FAILED")));
    }
}
