package dev.livestack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestack.localcloud.LocalCloud;
import dev.livestack.localcloud.LocalCloudConfig;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The watch's production guards: the banner names account and region; against AWS, more than one stack is asked about. */
class WatchGuardIT {
    private static final String TEMPLATE = """
            {"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}
            """;

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theBannerNamesTheAccountAndRegion(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("template.json"), TEMPLATE);
        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(dir.resolve("cloud"), 0))) {
            // 'q' on stdin ends the watch once it is ready
            Cli.Result r = Cli.run(dir, Cli.cleanEnv(), "q\n", "watch", "--app", "template.json", "--stack", "Guarded",
                    "--endpoint-url", cloud.endpoint().toString(), "--no-logs");
            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("watching ") && l.contains("account 000000000000")
                    && l.contains("us-east-1")), r::toString);
            Cli.Result json = Cli.run(dir, Cli.cleanEnv(), "q\n", "watch", "--app", "template.json", "--stack", "Guarded",
                    "--endpoint-url", cloud.endpoint().toString(), "--no-logs", "--output", "json");
            JsonNode ready = json.events().stream().filter(e -> e.path("type").asText().equals("watch.ready")).findFirst().orElseThrow();
            assertEquals("000000000000", ready.path("account").asText(), json::toString);
            assertEquals("us-east-1", ready.path("region").asText(), json::toString);
        }
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void onATerminalWatchAgainstAwsAsksWhichStack(@TempDir Path dir) throws Exception {
        MiniApp.twoStacks(dir);
        Map<String, String> env = new HashMap<>(Cli.cleanEnv());
        env.put("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
        env.put("AWS_SECRET_ACCESS_KEY", "not-a-real-secret");
        Cli.Capture out = new Cli.Capture();
        Cli.Capture err = new Cli.Capture();
        // an answer that is no stack: asked, then refused, before anything talks to AWS
        int exit = Main.run(new String[] {"watch", "--target", "aws", "--no-logs"}, new Io(env, dir,
                new ByteArrayInputStream("7\n".getBytes(StandardCharsets.UTF_8)), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), true));
        assertEquals(2, exit, () -> out.text() + err.text());
        assertTrue(out.text().contains("1) ApiStack") && out.text().contains("2) DataStack") && out.text().contains("Watch which?"), () -> out.text() + err.text());
        List<String> lines = err.text().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(2, lines.size(), err::text);
        assertTrue(lines.get(0).contains("'7' is not one of the app's stacks"), err::text);
    }

    /**
     * livestack:protectedStacks reads the globs --stack reads ({a,b} included; a comma inside braces belongs to its
     * glob), so the stack it names is never hot-swapped: the change is reported as skipped, not applied.
     */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aProtectedStacksGlobWithAlternativesProtectsTheStack(@TempDir Path dir) throws Exception {
        String template = """
                {"Resources": {"Fn": {"Type": "AWS::Lambda::Function",
                  "Properties": {"Runtime": "nodejs20.x", "Handler": "index.handler",
                    "Role": "arn:aws:iam::000000000000:role/r",
                    "Code": {"ZipFile": "exports.handler = async () => '%s';"}}}}}
                """;
        Files.writeString(dir.resolve("template.json"), template.formatted("one"));
        Files.writeString(dir.resolve("cdk.json"),
                "{\"app\": \"true\", \"context\": {\"livestack:protectedStacks\": \"{Guarded,Other}-api, Unrelated\"}}");
        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(dir.resolve("cloud"), 0))) {
            String ep = cloud.endpoint().toString();
            Cli.Result created = Cli.run(dir, Cli.cleanEnv(), null, "deploy", "--ci", "--app", "template.json",
                    "--stack", "Guarded-api", "--endpoint-url", ep, "--output", "json");
            assertEquals(0, created.exit(), created::toString);
            Files.writeString(dir.resolve("template.json"), template.formatted("two"));
            Cli.Result swap = Cli.run(dir, Cli.cleanEnv(), null, "deploy", "--mode", "hotswap", "--app", "template.json",
                    "--stack", "Guarded-api", "--endpoint-url", ep, "--output", "json");
            List<String> types = swap.events().stream().map(e -> e.path("type").asText()).toList();
            assertTrue(!types.contains("hotswap.applied"), swap::toString);
            assertTrue(swap.events().stream().anyMatch(e -> e.path("type").asText().equals("hotswap.skipped")
                    && e.path("reason").asText().contains("livestack:protectedStacks")), swap::toString);
        }
    }
}
