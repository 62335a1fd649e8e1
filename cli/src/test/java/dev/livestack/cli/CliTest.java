package dev.livestack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {
    @TempDir
    Path dir;

    private LivestackCommand parse(String... args) {
        LivestackCommand root = new LivestackCommand();
        new CommandLine(root).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return root;
    }

    @Test
    void localCloudStatusReportsTheStateFolderSizeAndQuarantinedRecords() throws IOException {
        Path lc = Files.createDirectories(dir.resolve("st/local-cloud/lambda/code"));
        Files.write(lc.resolve("a.zip"), new byte[1000]);
        Path quarantine = Files.createDirectories(dir.resolve("st/local-cloud/quarantine"));
        Files.write(quarantine.resolve("cloudformation__stacks__x.json"), new byte[24]);
        Cli.Result r = Cli.run(dir, Cli.cleanEnv(), null, "--output", "json", "--state-dir", dir.resolve("st").toString(),
                "local-cloud", "status");
        assertEquals(0, r.exit(), r.toString());
        JsonNode status = r.events().get(0);
        assertEquals("local-cloud.status", status.path("type").asText(), r.toString());
        assertEquals(1024, status.path("stateBytes").asLong(), r.toString());
        assertEquals("cloudformation__stacks__x.json", status.path("quarantined").path(0).asText(), r.toString());
        Cli.Result text = Cli.run(dir, Cli.cleanEnv(), null, "--state-dir", dir.resolve("st").toString(), "local-cloud", "status");
        assertTrue(text.out().contains("1.0 KiB"), text.toString());
        assertTrue(text.out().contains("cloudformation__stacks__x.json"), text.toString());
    }

    @Test
    void localCloudStopAndResetWhenNoneRuns() throws IOException {
        Path st = dir.resolve("st");
        Files.createDirectories(st.resolve("local-cloud/lambda"));
        Files.write(st.resolve("local-cloud/lambda/a.zip"), new byte[10]);
        Cli.Result stop = Cli.run(dir, Cli.cleanEnv(), null, "--output", "json", "--state-dir", st.toString(), "local-cloud", "stop");
        assertEquals(0, stop.exit(), stop.toString());
        JsonNode stopped = stop.events().get(0);
        assertEquals("local-cloud.stopped", stopped.path("type").asText(), stop.toString());
        assertEquals(false, stopped.path("running").asBoolean(true), stop.toString());
        assertTrue(stopped.path("pid").isMissingNode(), stop.toString());
        Cli.Result reset = Cli.run(dir, Cli.cleanEnv(), null, "--output", "json", "--state-dir", st.toString(), "local-cloud", "reset");
        assertEquals(0, reset.exit(), reset.toString());
        assertEquals("local-cloud.reset", reset.events().get(0).path("type").asText(), reset.toString());
        assertEquals(st.resolve("local-cloud").toString(), reset.events().get(0).path("stateDir").asText(), reset.toString());
        assertTrue(Files.notExists(st.resolve("local-cloud")), reset.toString());
    }

    @Test
    void globalOptionsAreAcceptedBeforeAndAfterTheCommand() {
        LivestackCommand before = parse("--app", "a", "--stack", "S", "--output", "json", "deploy", "--ci");
        LivestackCommand after = parse("deploy", "--ci", "--app", "a", "--stack", "S", "--output", "json");
        for (LivestackCommand r : List.of(before, after)) {
            assertEquals(Path.of("a"), r.app);
            assertEquals(List.of("S"), r.stacks);
            assertEquals(LivestackCommand.OutputFormat.json, r.output);
        }
    }

    @Test
    void helpAndVersionExitZeroAndUsageErrorsExitTwo() {
        assertEquals(0, Cli.run(dir, Map.of(), null, "--help").exit());
        assertEquals(0, Cli.run(dir, Map.of(), null, "--version").exit());
        assertEquals(0, Cli.run(dir, Map.of(), null, "watch", "--help").exit());
        Cli.Result r = Cli.run(dir, Map.of(), null, "deploy", "--nope");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("error: "), r::toString);
        assertTrue(r.err().contains("--help"), r::toString);
    }

    @Test
    void aWildcardOrAPathIsNoOriginToAllow() {
        for (String bad : List.of("*", "console.example/app", "null")) {
            Cli.Result r = Cli.run(dir, Map.of(), null, "local-cloud", "start", "--port", "0", "--allow-origin", bad,
                    "--state-dir", "lc");
            assertEquals(2, r.exit(), r::toString);
            assertTrue(r.err().contains("--allow-origin '" + bad + "' is not a web origin."), r::toString);
            assertTrue(Files.notExists(dir.resolve("lc").resolve("local-cloud").resolve("admin-token")), "nothing started");
        }
    }

    @Test
    void outputKeysBecomeEnvironmentVariableNames() {
        assertEquals("ORDERS_QUEUE_URL", StackOutputs.variableName("OrdersQueueUrl"));
        assertEquals("ORDERS_QUEUE_URL", StackOutputs.variableName("OrdersQueueUrl1A2B3C4D"));
        assertEquals("ORDERS_TABLE_NAME", StackOutputs.variableName("ORDERS_TABLE_NAME"));
        assertEquals("API_URL", StackOutputs.variableName("APIUrl"));
        assertEquals("S3_BUCKET", StackOutputs.variableName("S3Bucket"));
    }

    @Test
    void envFormatsQuoteWhatTheShellWouldSplit() {
        assertEquals("'a b'", EnvCommand.shellQuote("a b"));
        assertEquals("'it'\\''s'", EnvCommand.shellQuote("it's"));
        assertEquals("http://x:1/y", EnvCommand.dotenvQuote("http://x:1/y"));
        assertEquals("\"a \\\"b\\\"\"", EnvCommand.dotenvQuote("a \"b\""));
    }

    @Test
    void theOutputsFileHasTheCdkShape() throws IOException {
        Map<String, Map<String, String>> outputs = new LinkedHashMap<>();
        outputs.put("Stack", Map.of("OrdersQueueUrl", "http://q"));
        Path file = dir.resolve("out/outputs.json");
        StackOutputs.write(file, outputs);
        JsonNode n = Output.JSON.readTree(file.toFile());
        assertEquals("http://q", n.path("Stack").path("OrdersQueueUrl").asText());
    }

    @Test
    void aKeyCanBeBoundOnlyOnceAndHelpListsEveryKey() {
        Keys k = new Keys().bind('q', "quit", () -> { }).bind('h', "help", () -> { });
        assertThrows(IllegalStateException.class, () -> k.bind('q', "again", () -> { }));
        assertTrue(k.help().contains("q  quit"));
        assertTrue(k.help().contains("h  help"));
        assertTrue(k.press('Q'));
        assertEquals(false, k.press('z'));
    }

    @Test
    void jsonEventsCarryTsTypeAndFields() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Io io = new Io(Map.of(), dir, new ByteArrayInputStream(new byte[0]), new PrintStream(bytes, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false);
        Output out = new Output(io, true);
        out.event(new dev.livestack.deployer.DeployEvent.HotswapApplied("S", "Fn", "AWS::Lambda::Function", "fn",
                List.of("Code"), "", java.time.Duration.ofMillis(5)), () -> "text");
        JsonNode n = Cli.parse(bytes.toString(StandardCharsets.UTF_8)).get(0);
        assertEquals("hotswap.applied", n.path("type").asText());
        assertEquals("Fn", n.path("logicalId").asText());
        assertTrue(n.path("ts").asText().endsWith("Z"));
    }

    @Test
    void noColourWithoutATerminalOrWithNoColor() {
        Io pipe = new Io(Map.of(), dir, System.in, System.out, System.err, false);
        Io noColor = new Io(Map.of("NO_COLOR", "1"), dir, System.in, System.out, System.err, true);
        Io tty = new Io(Map.of("TERM", "xterm"), dir, System.in, System.out, System.err, true);
        assertEquals(false, pipe.color());
        assertEquals(false, noColor.color());
        assertEquals(true, tty.color());
    }

    @Test
    void targetRulesAnExplicitEndpointWinsThenCredentialsThenLocalCloud() throws IOException {
        LocalCloudManager none = new LocalCloudManager(dir.resolve("lc"), 0) {
            @Override
            synchronized Handle connectOrStart() {
                throw new AssertionError("local-cloud must not start");
            }
        };
        Map<String, String> keys = Map.of("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY", "s", "HOME", dir.toString());
        Target aws = new TargetResolver(keys).resolve(LivestackCommand.TargetChoice.auto, null, null, null, none, true);
        assertEquals(Target.Kind.AWS, aws.kind());
        Target endpoint = new TargetResolver(keys).resolve(LivestackCommand.TargetChoice.auto, "http://127.0.0.1:4566", null, "eu-west-1", none, true);
        assertEquals(Target.Kind.ENDPOINT, endpoint.kind());
        assertEquals("eu-west-1", endpoint.region().id());
        Target fromEnv = new TargetResolver(Map.of("AWS_ENDPOINT_URL", "http://localhost:9", "HOME", dir.toString()))
                .resolve(LivestackCommand.TargetChoice.auto, null, null, null, none, false);
        assertEquals(Target.Kind.ENDPOINT, fromEnv.kind());
        assertTrue(fromEnv.isLocal());
        UserError ci = assertThrows(UserError.class, () -> new TargetResolver(Map.of("HOME", dir.toString()))
                .resolve(LivestackCommand.TargetChoice.auto, null, null, null, none, false));
        assertTrue(ci.getMessage().startsWith("No AWS credentials"));
        Files.createDirectories(dir.resolve(".aws"));
        Files.writeString(dir.resolve(".aws/credentials"), "[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = x\n");
        Target profile = new TargetResolver(Map.of("HOME", dir.toString())).resolve(LivestackCommand.TargetChoice.auto, null, "dev", null, none, false);
        assertEquals(Target.Kind.AWS, profile.kind());
    }

    /**
     * The refusals a test as root cannot provoke, through the functions that word them: a privileged port (the JDK's
     * BindException says "Permission denied") is not "already in use", and the inotify limits name their sysctl.
     */
    @Test
    void bindAndWatchFailuresAreWordedByTheirCause() {
        UserError privileged = LocalCloudManager.bindError(80, new java.net.BindException("Permission denied"));
        assertTrue(privileged.getMessage().contains("below 1024"), privileged.getMessage());
        assertTrue(privileged.todo().contains("--port"), privileged.todo());
        assertTrue(!privileged.getMessage().contains("in use"), privileged.getMessage());
        UserError busy = LocalCloudManager.bindError(4566, new java.net.BindException("Address already in use"));
        assertTrue(busy.getMessage().contains("already in use"), busy.getMessage());

        UserError watches = WatchLoop.watchError(dir, new IOException("User limit of inotify watches reached"));
        assertTrue(watches.getMessage().contains("inotify watches"), watches.getMessage());
        assertTrue(watches.todo().contains("fs.inotify.max_user_watches"), watches.todo());
        UserError instances = WatchLoop.watchError(dir, new IOException("User limit of inotify instances reached or too many open files"));
        assertTrue(instances.todo().contains("max_user_instances"), instances.todo());
        assertEquals(2, ExitCodes.BAD_INPUT, "both are bad input");
        assertEquals(ExitCodes.BAD_INPUT, watches.exitCode());
    }

    @Test
    void regionsAndStackNamesAreChecked() {
        assertEquals("eu-west-1", TargetResolver.checkRegion("eu-west-1", "--region").id());
        UserError typo = assertThrows(UserError.class, () -> TargetResolver.checkRegion("us-eest-1", "--region"));
        assertTrue(typo.todo().contains("us-east-1 or us-west-1"), typo.todo());
        StackGlobs.checkStackName("Api*");
        StackGlobs.checkStackName("prod-api-1");
        assertThrows(UserError.class, () -> StackGlobs.checkStackName("Api[*"));
        assertThrows(UserError.class, () -> StackGlobs.checkStackName("1stack"));
        assertThrows(UserError.class, () -> StackGlobs.checkStackName(""));
    }
}
