package dev.livestack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestack.localcloud.LocalCloud;
import dev.livestack.localcloud.LocalCloudConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives {@code watch} in a real pseudo-terminal (tmux): the status line shows, the keys do what the
 * help says, {@code q} quits with exit 0 and the terminal's settings are restored.
 */
class ConsoleIT {
    private static final String SESSION = "livestack-console-it-" + ProcessHandle.current().pid();
    private Path dir;
    private LocalCloud cloud;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("livestack-console");
        cloud = LocalCloud.start(LocalCloudConfig.defaults(dir.resolve("cloud"), 0));
        Files.createDirectories(dir.resolve("fn"));
        Files.writeString(dir.resolve("fn/index.js"), "exports.handler = async () => 'one';\n");
        Files.writeString(dir.resolve("template.json"), """
                {"Resources": {"Fn": {"Type": "AWS::Lambda::Function",
                  "Metadata": {"livestack:source": "fn"},
                  "Properties": {"Runtime": "nodejs20.x", "Handler": "index.handler",
                    "Role": "arn:aws:iam::000000000000:role/r",
                    "Code": {"ZipFile": "exports.handler = async () => 'one';\\n"}}}}}
                """);
    }

    @AfterEach
    void tearDown() throws Exception {
        tmux("kill-session", "-t", SESSION);
        cloud.close();
    }

    @Test
    void keysDoWhatTheHelpSaysAndQuitRestoresTheTerminal() throws Exception {
        Path jar = Path.of("target", "livestack.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "the shaded jar is built in the package phase: " + jar);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script = "cd " + dir + " && stty -g > before.txt && HOME=" + dir + " " + java + " -jar " + jar
                + " watch --app template.json --stack ConsoleStack --endpoint-url " + cloud.endpoint()
                + "; echo EXIT=$? > exit.txt; stty -g > after.txt; sleep 600";
        assertEquals(0, tmux("new-session", "-d", "-s", SESSION, "-x", "150", "-y", "40", "sh", "-c", script));

        awaitScreen("watching", 240);
        assertTrue(screen().contains("h help, q quit"), this::screen);

        tmux("send-keys", "-t", SESSION, "h");
        awaitScreen("hot-swap all functions now", 30);
        assertTrue(screen().contains("logs on/off"), this::screen);

        tmux("send-keys", "-t", SESSION, "l");
        awaitScreen("logs off", 30);

        tmux("send-keys", "-t", SESSION, "s");
        awaitScreen("hot-swapped ConsoleStack/Fn", 60);

        tmux("send-keys", "-t", SESSION, "d");
        awaitScreen("change set for ConsoleStack", 60);

        tmux("send-keys", "-t", SESSION, "q");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(dir.resolve("after.txt")) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals("EXIT=0", Files.readString(dir.resolve("exit.txt")).strip(), this::screen);
        assertEquals(Files.readString(dir.resolve("before.txt")), Files.readString(dir.resolve("after.txt")),
                "the terminal's settings after quitting differ from before");
    }

    private void awaitScreen(String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (screen().contains(text)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("'" + text + "' did not show within " + seconds + " s:\n" + screen());
    }

    private String screen() {
        try {
            Process p = new ProcessBuilder(List.of("tmux", "capture-pane", "-p", "-S", "-200", "-t", SESSION))
                    .redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return s;
        } catch (IOException | InterruptedException e) {
            return "(no screen: " + e + ")";
        }
    }

    private static int tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("tmux"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }
}
