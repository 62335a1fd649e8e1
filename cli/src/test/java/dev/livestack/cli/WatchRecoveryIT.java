package dev.livestack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestack.localcloud.LocalCloud;
import dev.livestack.localcloud.LocalCloudConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
            InProcessWatch watch = new InProcessWatch(app, cloud.endpoint().toString(), LONG, "--synth-timeout", "3");
            try {
                watch.await(e -> type(e, "watch.ready"), 0, "watch.ready");
                JsonNode failed = watch.await(e -> type(e, "deploy.failed"), 0, "deploy.failed");
                assertEquals("ROLLBACK_COMPLETE", failed.path("finalStatus").asText(), watch::tail);

                // a save whose synth hangs: stopped at the timeout, reported, and the watch goes on
                int mark = watch.mark();
                Files.writeString(app.resolve("mode.txt"), "hang");
                JsonNode hung = watch.await(e -> type(e, "synth.failed"), mark, "synth.failed");
                assertEquals("the app command 'python3 app.py' did not finish within 3 s and was stopped",
                        hung.path("message").asText(), hung::toString);

                // the next save synthesises, and the stack that never had a working version is created again
                int mark2 = watch.mark();
                Files.writeString(app.resolve("mode.txt"), "good");
                watch.await(e -> type(e, "deploy.succeeded"), mark2, "deploy.succeeded");
                JsonNode recreated = watch.await(e -> type(e, "stack.recreated"), mark2, "stack.recreated");
                assertEquals("ROLLBACK_COMPLETE", recreated.path("previousStatus").asText());
            } finally {
                watch.quit();
            }
            assertEquals(0, watch.exit.get(), watch::tail);
        }
    }

    private static boolean type(JsonNode e, String type) {
        return e.path("type").asText().equals(type);
    }
}
