package dev.livestack.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandSynthesizerIT {
    @TempDir
    Path app;
    @TempDir
    Path home;

    private SynthOptions options() throws Exception {
        Fixtures.copy("script-app", app);
        return SynthOptions.of(app).withEnvironment(Fixtures.childEnvironment());
    }

    @Test
    void runsTheAppCommandAndReadsTheAssemblyInDependencyOrder() throws Exception {
        List<SynthEvent> events = new ArrayList<>();
        Files.writeString(home.resolve(".cdk.json"),
                "{\"context\": {\"fixture:fromUser\": \"yes\", \"fixture:overridden\": \"~/.cdk.json loses\"}}");
        SynthOptions o = options();
        o = o.withEnvironment(java.util.Map.of("PATH", o.environment().get("PATH"), "HOME", home.toString()))
                .withTarget("eu-west-1", "000000000000").withValidation(false).withListener(events::add);
        Path stale = app.resolve("out/stale.template.json");
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "{}");
        try (Synthesizer s = Synthesizers.forApp(o)) {
            CloudAssembly a = s.synth();
            assertEquals(app.resolve("out"), a.directory());
            assertEquals(List.of("Base", "script-api"), a.stacks().stream().map(StackTemplate::stackName).toList());
            assertEquals(List.of("Base"), a.stack("script-api").orElseThrow().dependencies());
            JsonNode meta = a.stack("script-api").orElseThrow().template().path("Metadata");
            JsonNode ctx = meta.path("Context");
            assertEquals("yes", ctx.path("fixture:fromCdkJson").asText());
            assertEquals("yes", ctx.path("fixture:fromContextFile").asText());
            assertEquals("yes", ctx.path("fixture:fromUser").asText());
            assertEquals("cdk.json wins", ctx.path("fixture:overridden").asText());
            assertTrue(ctx.path("aws:cdk:enable-path-metadata").asBoolean());
            assertFalse(ctx.path("@aws-cdk/core:failSynthOnValidationErrors").asBoolean(true));
            assertEquals("eu-west-1", meta.path("Region").asText());
            assertEquals("false", meta.path("Validation").asText());
            assertFalse(Files.exists(stale), "the output folder is emptied before a synth");
        }
        assertEquals(List.of("synth.started", "synth.succeeded"), events.stream().map(SynthEvent::type).toList());
    }

    @Test
    void aFailingAppCommandReportsItsOutput() throws Exception {
        SynthOptions o = options();
        Files.writeString(app.resolve("fail.flag"), "");
        try (Synthesizer s = Synthesizers.forApp(o)) {
            SynthException e = assertThrows(SynthException.class, s::synth);
            assertTrue(e.getMessage().contains("exited with code 3"), e.getMessage());
            assertTrue(e.diagnostics().contains("Error: the app broke on purpose"), e.diagnostics().toString());
            Files.delete(app.resolve("fail.flag"));
            assertEquals(2, s.synth().stacks().size());
        }
    }

    @Test
    void aFailedValidationReportFailsTheSynthAsTheCdkCliDoes() throws Exception {
        Files.writeString(app.resolve("invalid.flag"), "");
        try (Synthesizer s = Synthesizers.forApp(options())) {
            SynthException e = assertThrows(SynthException.class, s::synth);
            assertTrue(e.getMessage().startsWith("the app's templates failed validation"), e.getMessage());
            assertEquals(List.of("my-rules: no-public-buckets: buckets must not be public (Api/Bucket/Resource)"), e.diagnostics());
            Files.delete(app.resolve("invalid.flag"));
            assertEquals(2, s.synth().stacks().size());
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void anAppCommandThatHangsIsStoppedAtTheSynthTimeoutAndTheNextSynthWorks() throws Exception {
        SynthOptions o = options().withSynthTimeout(java.time.Duration.ofSeconds(2));
        Files.writeString(app.resolve("hang.flag"), "");
        try (Synthesizer s = Synthesizers.forApp(o)) {
            long started = System.nanoTime();
            SynthException e = assertThrows(SynthException.class, s::synth);
            long ms = (System.nanoTime() - started) / 1_000_000;
            assertEquals("the app command 'sh synth.sh' did not finish within 2 s and was stopped", e.getMessage());
            assertEquals(1, e.diagnostics().size(), e.diagnostics().toString());
            assertTrue(e.diagnostics().get(0).contains("--synth-timeout"), e.diagnostics().toString());
            assertTrue(ms < 30_000, ms + " ms");
            // nothing of the app is left running (sh and its sleep)
            assertTrue(ProcessHandle.current().descendants().noneMatch(h -> h.info().commandLine().orElse("").contains("sleep 600")),
                    "the app's processes were killed");
            Files.delete(app.resolve("hang.flag"));
            assertEquals(2, s.synth().stacks().size());
        }
    }

    @Test
    void appCommandWithoutItsProgramOnThePathSaysSo() throws Exception {
        SynthOptions o = options().withEnvironment(java.util.Map.of("PATH", "/nonexistent"));
        try (Synthesizer s = Synthesizers.forApp(o)) {
            SynthException e = assertThrows(SynthException.class, s::synth);
            assertTrue(e.getMessage().contains("exited with code 127"), e.getMessage());
        }
    }

    @Test
    void aMavenAppRunsItsCommandWhenWarmSynthIsOff() throws Exception {
        Fixtures.copy("java-app", app);
        SynthOptions o = SynthOptions.of(app).withEnvironment(Fixtures.childEnvironment()).withWarm(false);
        try (Synthesizer s = Synthesizers.forApp(o)) {
            assertTrue(((EventingSynthesizer) s).inner() instanceof CommandSynthesizer);
        }
        assertTrue(Synthesizers.isMavenJavaApp(app, CdkProject.read(app)));
    }
}
