package dev.livestack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestack.localcloud.LocalCloud;
import dev.livestack.localcloud.LocalCloudConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** The one-shot commands against a real local-cloud, on a template-file app (no synth process needed). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CommandsIT {
    private static final String STACK = "CommandsStack";
    private Path dir;
    private LocalCloud cloud;
    private Map<String, String> env;

    @BeforeAll
    void setUp() throws IOException {
        dir = Files.createTempDirectory("livestack-commands");
        cloud = LocalCloud.start(LocalCloudConfig.defaults(dir.resolve("cloud"), 0));
        env = Cli.cleanEnv();
        Files.createDirectories(dir.resolve("fn"));
        Files.writeString(dir.resolve("fn/index.js"), handler("one"));
        writeTemplate("one", "Orders");
        Files.writeString(dir.resolve("event.json"), "{\"n\": 2}");
    }

    @AfterAll
    void tearDown() {
        cloud.close();
    }

    private static String handler(String word) {
        return "exports.handler = async (e) => { console.log('handled " + word + "'); "
                + "return { word: '" + word + "', n: e.n, queue: process.env.ORDERS_QUEUE_URL || null }; };\n";
    }

    private void writeTemplate(String word, String queueName) throws IOException {
        String code = handler(word).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        Files.writeString(dir.resolve("template.json"), """
                {"Resources": {
                  "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "%s"}},
                  "Fn": {"Type": "AWS::Lambda::Function",
                    "Metadata": {"livestack:source": "fn"},
                    "Properties": {"Runtime": "nodejs20.x", "Handler": "index.handler",
                      "Role": "arn:aws:iam::000000000000:role/r",
                      "Environment": {"Variables": {"ORDERS_QUEUE_URL": {"Ref": "Queue"}}},
                      "Code": {"ZipFile": "%s"}}}},
                 "Outputs": {"OrdersQueueUrl": {"Value": {"Ref": "Queue"}}}}
                """.formatted(queueName, code));
    }

    private Cli.Result cli(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--app", "template.json", "--stack", STACK, "--endpoint-url", cloud.endpoint().toString()));
        return Cli.run(dir, env, null, all.toArray(String[]::new));
    }

    private static JsonNode event(Cli.Result r, String type) {
        return r.events().stream().filter(e -> e.path("type").asText().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " in " + r));
    }

    @Test
    @Order(1)
    void deployCiWritesTheOutputsFileAndJsonEvents() throws IOException {
        Cli.Result r = cli("deploy", "--ci", "--output", "json", "--outputs-file", "out/outputs.json");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.events().stream().allMatch(e -> e.has("ts") && e.has("type")), r::toString);
        event(r, "changeset.created");
        event(r, "changeset.executed");
        event(r, "deploy.succeeded");
        assertTrue(r.events().stream().noneMatch(e -> e.path("type").asText().startsWith("hotswap")), r::toString);
        JsonNode outputs = Output.JSON.readTree(dir.resolve("out/outputs.json").toFile());
        assertTrue(outputs.path(STACK).path("OrdersQueueUrl").asText().endsWith("/000000000000/Orders"), outputs::toString);
    }

    @Test
    @Order(2)
    void envPrintsOutputsAsVariablesInEachFormat() throws IOException {
        Cli.Result dotenv = cli("env");
        assertEquals(0, dotenv.exit(), dotenv::toString);
        assertTrue(dotenv.out().strip().startsWith("ORDERS_QUEUE_URL=http://"), dotenv::toString);
        Cli.Result shell = cli("env", "--format", "shell");
        assertTrue(shell.out().strip().startsWith("export ORDERS_QUEUE_URL='http://"), shell::toString);
        Cli.Result json = cli("env", "--format", "json");
        assertTrue(Output.JSON.readTree(json.out()).path("ORDERS_QUEUE_URL").asText().endsWith("/Orders"), json::toString);
    }

    @Test
    @Order(3)
    void invokeShowsTheResultAndItsLogLines() {
        Cli.Result r = cli("invoke", "Fn", "--event", "event.json", "--output", "json");
        assertEquals(0, r.exit(), r::toString);
        JsonNode res = event(r, "invoke.result");
        assertEquals("one", res.path("result").path("word").asText());
        assertEquals(2, res.path("result").path("n").asInt());
        assertTrue(res.path("logs").toString().contains("handled one"), r::toString);
    }

    @Test
    @Order(4)
    void invokeLocalRunsTheSavedSourceWithTheStackOutputs() throws IOException {
        Files.writeString(dir.resolve("fn/index.js"), handler("local"));
        Cli.Result r = cli("invoke", "Fn", "--local", "--event", "event.json", "--output", "json");
        assertEquals(0, r.exit(), r::toString);
        JsonNode res = event(r, "invoke.result");
        assertEquals("local", res.path("result").path("word").asText(), r::toString);
        assertTrue(res.path("result").path("queue").asText().endsWith("/Orders"), r::toString);
        assertTrue(res.path("logs").toString().contains("handled local"), r::toString);

        // with no state, the templates come from a synth: its progress stays out of stdout, which is the result,
        // and out of stderr, which a pipe keeps for errors
        Cli.Result text = cli("invoke", "Fn", "--local", "--event", "event.json", "--state-dir", "fresh-state");
        assertEquals(0, text.exit(), text::toString);
        assertTrue(!text.out().contains("synthes") && text.err().isBlank(), text::toString);
        assertTrue(text.out().contains("\"word\" : \"local\""), text::toString);
    }

    @Test
    @Order(5)
    void diffShowsTheChangeAndDeployHotswapModeSwapsIt() throws IOException {
        writeTemplate("two", "Orders");
        Cli.Result diff = cli("diff", "--output", "json");
        assertEquals(0, diff.exit(), diff::toString);
        assertTrue(event(diff, "diff").path("changes").toString().contains("Fn"), diff::toString);
        Cli.Result swap = cli("deploy", "--mode", "hotswap", "--output", "json");
        assertEquals(0, swap.exit(), swap::toString);
        event(swap, "hotswap.applied");
        Cli.Result inv = cli("invoke", "Fn", "--output", "json");
        assertEquals("two", event(inv, "invoke.result").path("result").path("word").asText(), inv::toString);
    }

    @Test
    @Order(6)
    void logsPrintsEachLineOnceAndSynthWritesTemplates() throws IOException {
        Cli.Result logs = cli("logs", "Fn", "--since", "1h", "--output", "json");
        assertEquals(0, logs.exit(), logs::toString);
        long one = logs.events().stream().filter(e -> e.path("type").asText().equals("log")
                && e.path("message").asText().contains("handled one")).count();
        assertEquals(1, one, logs::toString);
        Cli.Result synth = cli("synth", "--out", "synth-out");
        assertEquals(0, synth.exit(), synth::toString);
        assertTrue(Files.readString(dir.resolve("synth-out/" + STACK + ".template.json")).contains("AWS::SQS::Queue"));
    }

    @Test
    @Order(7)
    void aFailedDeployExitsOneWithItsRootCause() throws IOException {
        String t = Files.readString(dir.resolve("template.json")).replace("nodejs20.x", "nodejs1.x");
        Files.writeString(dir.resolve("template.json"), t);
        Cli.Result r = cli("deploy", "--ci", "--output", "json");
        assertEquals(1, r.exit(), r::toString);
        JsonNode failed = event(r, "deploy.failed");
        assertTrue(failed.path("rootCause").asText().contains("Fn"), r::toString);
    }

    @Test
    @Order(8)
    void aStackWhoseCreateFailedIsCreatedAgainByTheNextDeploy() throws IOException {
        Files.writeString(dir.resolve("broken.json"), """
                {"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 99999}}}}
                """);
        String ep = cloud.endpoint().toString();
        Cli.Result failed = Cli.run(dir, env, null, "deploy", "--ci", "--output", "json", "--app", "broken.json",
                "--stack", "Reborn", "--endpoint-url", ep);
        assertEquals(1, failed.exit(), failed::toString);
        assertEquals("ROLLBACK_COMPLETE", event(failed, "deploy.failed").path("finalStatus").asText());

        Files.writeString(dir.resolve("broken.json"), """
                {"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 60}}}}
                """);
        Cli.Result again = Cli.run(dir, env, null, "deploy", "--ci", "--output", "json", "--app", "broken.json",
                "--stack", "Reborn", "--endpoint-url", ep);
        assertEquals(0, again.exit(), again::toString);
        JsonNode recreated = event(again, "stack.recreated");
        assertEquals("Reborn", recreated.path("stackName").asText());
        assertEquals("ROLLBACK_COMPLETE", recreated.path("previousStatus").asText());
    }
}
