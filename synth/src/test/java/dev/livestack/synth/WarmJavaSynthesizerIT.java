package dev.livestack.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm synthesizer on a real Maven Java CDK app (aws-cdk-lib, jsii, node). Starting jsii
 * costs seconds, so all tests share one synthesizer and run in order, each leaving the app as
 * it found it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WarmJavaSynthesizerIT {
    @TempDir
    static Path app;
    static Synthesizer synthesizer;
    static WarmJavaSynthesizer warm;
    static final List<SynthEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Fixtures.copy("java-app", app);
        SynthOptions options = SynthOptions.of(app)
                .withEnvironment(Fixtures.childEnvironment())
                .withTarget("us-east-1", "000000000000")
                .withListener(events::add);
        synthesizer = Synthesizers.forApp(options);
        warm = (WarmJavaSynthesizer) ((EventingSynthesizer) synthesizer).inner();
    }

    @AfterAll
    static void stop() {
        if (synthesizer != null) {
            long pid = warm.runtimePid();
            synthesizer.close();
            assertTrue(pid < 0 || ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), "runtime ended on close");
        }
    }

    private static Path source(String name) {
        return app.resolve("src/main/java/fixture").resolve(name);
    }

    private static void edit(String file, String from, String to) throws IOException {
        Path p = source(file);
        String text = Files.readString(p, StandardCharsets.UTF_8);
        assertTrue(text.contains(from), () -> file + " lacks " + from);
        Files.writeString(p, text.replace(from, to), StandardCharsets.UTF_8);
    }

    private static JsonNode function(CloudAssembly a) {
        JsonNode resources = a.stack("FixtureApi").orElseThrow().template().path("Resources");
        for (JsonNode r : resources) {
            if (r.path("Type").asText().equals("AWS::Lambda::Function")) {
                return r.path("Properties");
            }
        }
        throw new AssertionError("no function in " + resources);
    }

    @Test
    @Order(1)
    void synthesisesTheAppWithItsContextInDependencyOrder() throws Exception {
        CloudAssembly a = synthesizer.synth();
        assertEquals(app.resolve("cdk.out"), a.directory());
        assertEquals(List.of("FixtureBase", "FixtureApi"), a.stacks().stream().map(StackTemplate::stackName).toList());
        assertEquals(List.of("FixtureBase"), a.stack("FixtureApi").orElseThrow().dependencies());
        JsonNode fn = function(a);
        assertTrue(fn.path("Code").path("ZipFile").asText().contains("hello v1"), fn.toString());
        assertEquals("from-cdk-json", fn.path("Environment").path("Variables").path("GREETING").asText());
        assertEquals("from-cdk-context-json", fn.path("Environment").path("Variables").path("FROM_FILE").asText());
        assertTrue(Files.isRegularFile(app.resolve(".livestack/classpath.txt")), "classpath cached");
        // node 20 is past its end of life for this jsii: its banner must stay silent
        assertTrue(warm.runtimeOutput().stream().noneMatch(l -> l.contains("end-of-life") || l.contains("!!!!")),
                () -> String.join("\n", warm.runtimeOutput()));
        assertEquals(List.of("synth.started", "synth.succeeded"), events.stream().map(SynthEvent::type).toList());
    }

    @Test
    @Order(2)
    void anEditedAssetFileGivesANewAssetHash() throws Exception {
        // aws-cdk-lib caches asset staging per source path in the (warm) node process; a stale cache
        // would hand back the old hash and the edit would never reach the stack
        String before = output(synthesizer.synth(), "SiteHash");
        Files.writeString(app.resolve("assets/index.html"), "<h1>v2</h1>\n", StandardCharsets.UTF_8);
        CloudAssembly a = synthesizer.synth();
        String after = output(a, "SiteHash");
        assertNotEquals(before, after);
        assertTrue(Files.isDirectory(a.directory().resolve("asset." + after)), "the new asset is staged");
    }

    private static String output(CloudAssembly a, String name) {
        return a.stack("FixtureApi").orElseThrow().template().path("Outputs").path(name).path("Value").asText();
    }

    @Test
    @Order(3)
    void anEditGivesANewTemplateEvenThroughAnInlinedConstant() throws Exception {
        // Greeting.TEXT is a compile-time constant inlined into FixtureStack: recompiling only
        // Greeting.java would leave the old text in place
        edit("Greeting.java", "hello v1", "hello v2");
        edit("Greeting.java", "MEMORY = 128", "MEMORY = 256");
        CloudAssembly a = synthesizer.synth();
        JsonNode fn = function(a);
        assertTrue(fn.path("Code").path("ZipFile").asText().contains("hello v2"), fn.toString());
        assertEquals(256, fn.path("MemorySize").asInt());
        // no source change: same template, nothing recompiled
        JsonNode again = function(synthesizer.synth());
        assertEquals(fn, again);
    }

    @Test
    @Order(4)
    void aCompileErrorSaysFileAndLineAndTheNextGoodSaveRecovers() throws Exception {
        edit("FixtureStack.java", "queue.grantSendMessages(fn);", "queue.grantSendMessages(fn) /* missing semicolon */");
        events.clear();
        SynthException e = assertThrows(SynthException.class, synthesizer::synth);
        assertTrue(e.getMessage().startsWith("compilation failed"), e.getMessage());
        String first = e.diagnostics().get(0);
        int line = lineOf("FixtureStack.java", "missing semicolon");
        assertTrue(first.startsWith("src/main/java/fixture/FixtureStack.java:" + line + ": "), first);
        assertEquals("synth.failed", events.get(events.size() - 1).type());
        assertEquals(e.diagnostics(), ((SynthEvent.SynthFailed) events.get(events.size() - 1)).diagnostics());

        edit("FixtureStack.java", "queue.grantSendMessages(fn) /* missing semicolon */", "queue.grantSendMessages(fn);");
        edit("Greeting.java", "hello v2", "hello v3");
        assertTrue(function(synthesizer.synth()).path("Code").path("ZipFile").asText().contains("hello v3"));
    }

    @Test
    @Order(5)
    void anAppExceptionIsReportedWithItsMessage() throws Exception {
        edit("FixtureApp.java", "App app = new App();", "App app = new App(); if (app != null) throw new IllegalStateException(\"no stage configured\");");
        SynthException e = assertThrows(SynthException.class, synthesizer::synth);
        assertTrue(e.getMessage().contains("no stage configured"), e.getMessage());
        assertTrue(e.diagnostics().stream().anyMatch(d -> d.contains("fixture.FixtureApp.main")), e.diagnostics().toString());
        edit("FixtureApp.java", "App app = new App(); if (app != null) throw new IllegalStateException(\"no stage configured\");", "App app = new App();");

        // a construct error raised inside node (duplicate id) comes back with jsii's message
        edit("FixtureStack.java", "Queue queue = Queue.Builder.create(this, \"Orders\")", "Queue.Builder.create(this, \"Orders\").build(); Queue queue = Queue.Builder.create(this, \"Orders\")");
        SynthException dup = assertThrows(SynthException.class, synthesizer::synth);
        assertTrue(dup.getMessage().contains("There is already a Construct with name 'Orders'"), dup.getMessage());
        edit("FixtureStack.java", "Queue.Builder.create(this, \"Orders\").build(); Queue queue = Queue.Builder.create(this, \"Orders\")", "Queue queue = Queue.Builder.create(this, \"Orders\")");
        assertEquals(2, synthesizer.synth().stacks().size());
    }

    @Test
    @Order(6)
    void aRecycledRuntimeGivesStructurallyIdenticalTemplates() throws Exception {
        CloudAssembly before = synthesizer.synth();
        long pidBefore = warm.runtimePid();
        int generationBefore = warm.generation();
        warm.recycleNow();
        assertEquals(generationBefore + 1, warm.generation());
        assertNotEquals(pidBefore, warm.runtimePid());
        CloudAssembly after = synthesizer.synth();
        Map<String, JsonNode> b = before.stacks().stream().collect(Collectors.toMap(StackTemplate::stackName, StackTemplate::template));
        Map<String, JsonNode> c = after.stacks().stream().collect(Collectors.toMap(StackTemplate::stackName, StackTemplate::template));
        // JsonNode equality is structural: key order (Map.of order differs between JVMs) does not count
        assertEquals(b, c);
        assertTrue(ProcessHandle.of(pidBefore).map(h -> {
            try {
                return h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS) != null;
            } catch (Exception ex) {
                return false;
            }
        }).orElse(true), "the old runtime ended");

        // the inline-packager's CDK helper inside the app finds the app folder and livestack's esbuild
        List<String> args = ProcessHandle.of(warm.runtimePid()).flatMap(h -> h.info().arguments()).map(List::of).orElse(List.of());
        assertTrue(args.contains("-Dlivestack.appDir=" + app.toAbsolutePath()), args.toString());
        Path esbuild = WorkerProcess.esbuild();
        assertTrue(esbuild != null && esbuild.endsWith(Path.of("tools/node_modules/.bin/esbuild")), String.valueOf(esbuild));
        assertTrue(args.contains("-Dlivestack.esbuild=" + esbuild), args.toString());
        // where the synth's time went, as bench/synth.sh prints it
        WarmJavaSynthesizer.Timings t = warm.lastTimings();
        assertTrue(t.runtimeMs() >= t.loadMs() + t.mainMs() && t.mainMs() > 0, t.toString());
        assertTrue(t.nodeCpuMs() > 0 && t.runtimeJvmCpuMs() >= 0, t.toString());
    }

    @Test
    @Order(7)
    void closeEndsASynthThatNeverReturns() throws Exception {
        edit("FixtureApp.java", "app.synth();", "while (app != null) { Thread.onSpinWait(); } app.synth();");
        java.util.concurrent.CompletableFuture<Throwable> outcome = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                synthesizer.synth();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        // let it get into the app's endless main (or not: close must end the synth wherever it is)
        Thread.sleep(3000);
        long pid = warm.runtimePid();
        synthesizer.close();
        Throwable t = outcome.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(t instanceof SynthException, String.valueOf(t));
        assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), "the runtime was ended");
    }

    private static int lineOf(String file, String needle) throws IOException {
        List<String> lines = Files.readAllLines(source(file));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError(needle + " not in " + file);
    }
}
