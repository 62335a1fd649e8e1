package dev.livestack.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MavenAppTest {
    @TempDir
    Path app;

    private void pom(String from, String to) throws Exception {
        Path pom = app.resolve("pom.xml");
        String text = Files.readString(pom);
        assertTrue(text.contains(from));
        Files.writeString(pom, text.replace(from, to));
    }

    @Test
    void theFixtureIsWarmEligibleWithItsExecMainClass() throws Exception {
        Fixtures.copy("java-app", app);
        assertNull(MavenApp.notWarmBecause(app, "mvn -e -q compile exec:java"));
        assertTrue(Synthesizers.isMavenJavaApp(app, CdkProject.read(app)));
        assertEquals(app.resolve("src/main/java"), new MavenApp(app, Map.of()).sourceDir());
    }

    @Test
    void theAppCommandCanNameTheMainClass() throws Exception {
        Fixtures.copy("java-app", app);
        pom("<mainClass>fixture.FixtureApp</mainClass>", "");
        assertTrue(MavenApp.notWarmBecause(app, "mvn -e -q compile exec:java").contains("main class"));
        assertNull(MavenApp.notWarmBecause(app, "mvn -e -q compile exec:java -Dexec.mainClass=fixture.FixtureApp"));
        assertEquals("fixture.FixtureApp", new MavenApp(app, Map.of()).mainClass("mvn exec:java -Dexec.mainClass=fixture.FixtureApp"));
    }

    @Test
    void multiModuleBuildsAndCustomSourceFoldersAreRecognised() throws Exception {
        Fixtures.copy("java-app", app);
        pom("<build>", "<build><sourceDirectory>src/cdk/java</sourceDirectory>");
        assertEquals(app.resolve("src/cdk/java"), new MavenApp(app, Map.of()).sourceDir());
        pom("<build>", "<modules><module>infra</module></modules><build>");
        assertTrue(MavenApp.notWarmBecause(app, "mvn exec:java").contains("multi-module"));
        assertTrue(!Synthesizers.isMavenJavaApp(app, CdkProject.read(app)));
    }
}
