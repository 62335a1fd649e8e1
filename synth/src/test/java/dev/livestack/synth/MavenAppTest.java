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

    /** A reactor: the parent pom at the root, the app in {@code cdk/}, a Lambda module beside it. */
    private void reactor(String cdkDeps) throws Exception {
        Path cdk = app.resolve("cdk");
        Fixtures.copy("java-app", cdk);
        Files.move(cdk.resolve("cdk.json"), app.resolve("cdk.json"));
        Files.createDirectories(app.resolve("lambda"));
        Files.writeString(app.resolve("lambda/pom.xml"), "<project><modelVersion>4.0.0</modelVersion>"
                + "<groupId>g</groupId><artifactId>handlers</artifactId><version>1</version></project>");
        Files.writeString(app.resolve("pom.xml"), "<project><modelVersion>4.0.0</modelVersion><groupId>g</groupId>"
                + "<artifactId>parent</artifactId><version>1</version><packaging>pom</packaging>"
                + "<modules><module>lambda</module><module>cdk</module></modules></project>");
        if (!cdkDeps.isEmpty()) {
            Path pom = cdk.resolve("pom.xml");
            Files.writeString(pom, Files.readString(pom).replace("<dependencies>", "<dependencies>" + cdkDeps));
        }
    }

    @Test
    void theAppModuleOfAMultiModuleBuildIsFoundFromDashPlOrItsMainClass() throws Exception {
        reactor("");
        Path cdk = app.resolve("cdk");
        assertEquals(cdk, MavenApp.appModule(app, "mvn exec:java -pl cdk -Dexec.mainClass=fixture.FixtureApp"));
        assertEquals(cdk, MavenApp.appModule(app, "mvn -q --projects cdk exec:java"));
        // without -pl: the one module whose pom names the exec main class
        assertEquals(cdk, MavenApp.appModule(app, "mvn -q compile exec:java"));
        // without -pl: the one module whose sources hold -Dexec.mainClass
        assertEquals(cdk, MavenApp.appModule(app, "mvn -q exec:java -Dexec.mainClass=fixture.FixtureApp"));
        assertNull(MavenApp.appModule(app, "mvn -q exec:java -Dexec.mainClass=fixture.Missing"));
        assertNull(MavenApp.notWarmBecause(app, "mvn exec:java -pl cdk -Dexec.mainClass=fixture.FixtureApp"));
        assertTrue(Synthesizers.isMavenJavaApp(app, CdkProject.read(app)));
        // state stays in the root folder; the sources are the module's
        MavenApp m = new MavenApp(cdk, app, Map.of());
        assertEquals(cdk.resolve("src/main/java"), m.sourceDir());
        assertEquals(app.resolve(".livestack"), m.stateDir());
        // the parent pom is part of the classpath's stamp
        String before = m.pomHash();
        Files.writeString(app.resolve("pom.xml"), Files.readString(app.resolve("pom.xml")).replace("<version>1</version>", "<version>2</version>"));
        assertTrue(!before.equals(m.pomHash()));
    }

    @Test
    void anAppModuleThatNeedsASiblingModuleRunsItsCommand() throws Exception {
        reactor("<dependency><groupId>g</groupId><artifactId>handlers</artifactId><version>1</version></dependency>");
        String why = MavenApp.notWarmBecause(app, "mvn exec:java -pl cdk");
        assertTrue(why.contains("depends on the reactor module handlers"), why);
        assertTrue(!Synthesizers.isMavenJavaApp(app, CdkProject.read(app)));
    }
}
