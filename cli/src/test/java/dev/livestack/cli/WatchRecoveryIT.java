package dev.livestack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestack.localcloud.LocalCloud;
import dev.livestack.localcloud.LocalCloudConfig;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code watch} keeps going through what used to stall it: a first create that failed (the stack is left in
 * ROLLBACK_COMPLETE) and a synth that hangs. A {@code cdk.json} app whose behaviour a file picks.
 */
class WatchRecoveryIT {
    private static final Duration LONG = Duration.ofSeconds(120);

    @TempDir
    Path app;

    private static final String APP = """
            import json, os, time
            mode = open("mode.txt").read().strip()
            if mode == "hang":
                time.sleep(600)
            out = os.environ["CDK_OUTDIR"]
            os.makedirs(out, exist_ok=True)
            visibility = 99999 if mode == "bad" else 60
            json.dump({"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": visibility}}}},
                      open(os.path.join(out, "Recover.template.json"), "w"))
            json.dump({"version": "36.0.0", "artifacts": {"Recover": {"type": "aws:cloudformation:stack",
                      "environment": "aws://unknown-account/unknown-region",
                      "properties": {"templateFile": "Recover.template.json"}}}}, open(os.path.join(out, "manifest.json"), "w"))
            """;

    @Test
    @Timeout(400)
    void aFailedFirstCreateAndAHungSynthDoNotStallTheWatch() throws Exception {
        Files.writeString(app.resolve("cdk.json"), "{\"app\": \"python3 app.py\"}");
        Files.writeString(app.resolve("app.py"), APP);
        Files.writeString(app.resolve("mode.txt"), "bad");
        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(app.resolve(".cloud"), 0))) {
            PipedOutputStream keys = new PipedOutputStream();
            PipedInputStream stdin = new PipedInputStream(keys);
            Cli.Capture out = new Cli.Capture();
            Cli.Capture err = new Cli.Capture();
            AtomicInteger exit = new AtomicInteger(-1);
            Thread watch = new Thread(() -> exit.set(Main.run(new String[] {"watch", "--output", "json", "--no-logs",
                            "--synth-timeout", "3", "--endpoint-url", cloud.endpoint().toString()},
                    new Io(Cli.cleanEnv(), app, stdin, new PrintStream(out, true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8), false))), "watch-under-test");
            watch.start();
            try {
                await(out, e -> type(e, "watch.ready"), 0, "watch.ready", err);
                JsonNode failed = find(out, "deploy.failed", 0);
                assertEquals("ROLLBACK_COMPLETE", failed.path("finalStatus").asText(), out::text);

                // a save whose synth hangs: stopped at the timeout, reported, and the watch goes on
                int mark = Cli.parse(out.text()).size();
                Files.writeString(app.resolve("mode.txt"), "hang");
                await(out, e -> type(e, "synth.failed"), mark, "synth.failed", err);
                JsonNode hung = find(out, "synth.failed", mark);
                assertEquals("the app command 'python3 app.py' did not finish within 3 s and was stopped",
                        hung.path("message").asText(), hung::toString);

                // the next save synthesises, and the stack that never had a working version is created again
                int mark2 = Cli.parse(out.text()).size();
                Files.writeString(app.resolve("mode.txt"), "good");
                await(out, e -> type(e, "deploy.succeeded"), mark2, "deploy.succeeded", err);
                JsonNode recreated = find(out, "stack.recreated", mark2);
                assertEquals("ROLLBACK_COMPLETE", recreated.path("previousStatus").asText());
            } finally {
                keys.write("q\n".getBytes(StandardCharsets.UTF_8));
                keys.flush();
                watch.join(LONG.toMillis());
            }
            assertEquals(0, exit.get(), () -> out.text() + err.text());
        }
    }

    private static boolean type(JsonNode e, String type) {
        return e.path("type").asText().equals(type);
    }

    private static JsonNode find(Cli.Capture out, String type, int from) {
        List<JsonNode> events = Cli.parse(out.text());
        return events.subList(from, events.size()).stream().filter(e -> type(e, type)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " in " + out.text()));
    }

    private static void await(Cli.Capture out, Predicate<JsonNode> p, int from, String what, Cli.Capture err) throws InterruptedException {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (System.nanoTime() < deadline) {
            List<JsonNode> events = Cli.parse(out.text());
            if (events.subList(Math.min(from, events.size()), events.size()).stream().anyMatch(p)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + what + " within " + LONG + "\n--- stdout\n" + out.text() + "\n--- stderr\n" + err.text());
    }
}
