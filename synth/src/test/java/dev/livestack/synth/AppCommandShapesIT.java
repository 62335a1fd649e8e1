package dev.livestack.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cdk.json "app" commands that are not Maven: each runs with sh -c, as the CDK CLI runs it. */
class AppCommandShapesIT {
    @TempDir
    Path app;

    /** A plain Java program (no CDK) that writes a one-stack assembly where CDK_OUTDIR says, echoing the context. */
    private static final String MAIN = """
            import java.nio.file.*;
            public class Main {
                public static void main(String[] a) throws Exception {
                    Path out = Path.of(System.getenv("CDK_OUTDIR"));
                    Files.createDirectories(out);
                    Files.writeString(out.resolve("manifest.json"), "{\\"version\\": \\"54.0.0\\", \\"artifacts\\": {\\"Plain\\":"
                        + " {\\"type\\": \\"aws:cloudformation:stack\\", \\"properties\\": {\\"templateFile\\": \\"Plain.template.json\\"}}}}");
                    Files.writeString(out.resolve("Plain.template.json"), "{\\"Metadata\\": {\\"Context\\": "
                        + System.getenv("CDK_CONTEXT_JSON") + "}, \\"Resources\\": {\\"Q\\": {\\"Type\\": \\"AWS::SQS::Queue\\"}}}");
                }
            }
            """;

    @Test
    void aPlainJavaCommandSynthesises() throws Exception {
        Path src = Files.createDirectories(app.resolve("src"));
        Files.writeString(src.resolve("Main.java"), MAIN);
        Files.createDirectories(app.resolve("build"));
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", app.resolve("build").toString(),
                src.resolve("Main.java").toString()));
        Files.writeString(app.resolve("cdk.json"), "{\"app\": \"java -cp build Main\"}");
        try (Synthesizer s = Synthesizers.forApp(SynthOptions.of(app).withEnvironment(env()))) {
            StackTemplate t = s.synth().stacks().get(0);
            assertEquals("Plain", t.stackName());
            assertTrue(t.template().path("Metadata").path("Context").path("aws:cdk:enable-path-metadata").asBoolean());
        }
    }

    @Test
    void aMissingProgramSaysToInstallIt() throws Exception {
        Files.writeString(app.resolve("cdk.json"), "{\"app\": \"gradle run\"}");
        // PATH without gradle: /usr/bin and /bin only hold sh here
        try (Synthesizer s = Synthesizers.forApp(SynthOptions.of(app).withEnvironment(
                java.util.Map.of("PATH", "/nonexistent", "HOME", System.getProperty("user.home"))))) {
            SynthException e = assertThrows(SynthException.class, s::synth);
            assertTrue(e.getMessage().contains("exited with code 127"), e.getMessage());
            List<String> d = e.diagnostics();
            assertTrue(d.get(d.size() - 1).startsWith("the app command's program was not found"), d.toString());
        }
    }

    private static java.util.Map<String, String> env() {
        java.util.Map<String, String> env = new java.util.HashMap<>(Fixtures.childEnvironment());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return env;
    }
}
