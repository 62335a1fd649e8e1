package dev.livestack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestack.localcloud.LocalCloud;
import dev.livestack.localcloud.LocalCloudConfig;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The walking skeleton end to end, through the real entry point against a real local-cloud: deploy the
 * sample app, invoke, then watch: a handler edit is hot-swapped (no change set) and its new log line
 * shows exactly once; a memory-size edit goes through a change set.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleAppLoopIT {
    private static final Duration LONG = Duration.ofMinutes(6);

    private Path work;
    private Path app;
    private LocalCloud cloud;
    private Map<String, String> env;
    private String endpoint;
    private LambdaClient lambda;

    @BeforeAll
    void setUp() throws IOException {
        work = Files.createTempDirectory("livestack-it");
        app = work.resolve("sample-app");
        copy(Path.of("..", "sample-app").toAbsolutePath().normalize(), app);
        cloud = LocalCloud.start(LocalCloudConfig.defaults(work.resolve("cloud"), 0));
        endpoint = cloud.endpoint().toString();
        env = Cli.cleanEnv();
        lambda = LambdaClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    }

    @AfterAll
    void tearDown() throws IOException {
        lambda.close();
        cloud.close();
        try (Stream<Path> walk = Files.walk(work)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private Cli.Result cli(String... args) {
        String[] full = Stream.concat(Stream.of(args), Stream.of("--app", app.toString(), "--endpoint-url", endpoint))
                .toArray(String[]::new);
        return Cli.run(work, env, null, full);
    }

    @Test
    @Order(1)
    void deploysTheSampleAppAndInvokesAFunction() {
        Cli.Result deploy = cli("deploy", "--require-approval", "never", "--output", "json");
        assertEquals(0, deploy.exit(), deploy::toString);
        assertTrue(deploy.events().stream().anyMatch(e -> e.path("type").asText().equals("changeset.executed")), deploy::toString);
        // as `cdk deploy`: the change set acts as the bootstrap deploy role (local-cloud has it once bootstrapped), and
        // CloudFormation deploys as the execution role
        assertTrue(deploy.events().stream().anyMatch(e -> e.path("type").asText().equals("role.assumed")
                && e.path("roleArn").asText().equals("arn:aws:iam::000000000000:role/cdk-hnb659fds-deploy-role-000000000000-us-east-1")),
                deploy::toString);
        assertTrue(deploy.events().stream().noneMatch(e -> e.path("type").asText().equals("role.not-assumed")), deploy::toString);
        try (CloudFormationClient cf = CloudFormationClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build()) {
            assertEquals(List.of("arn:aws:iam::000000000000:role/cdk-hnb659fds-cfn-exec-role-000000000000-us-east-1"),
                    cf.describeStacks().stacks().stream().map(st -> st.roleARN()).distinct().toList());
        }

        Cli.Result invoke = cli("invoke", "ingest", "--event", app.resolve("events/order.json").toString(), "--output", "json");
        assertEquals(0, invoke.exit(), invoke::toString);
        JsonNode result = invoke.events().stream().filter(e -> e.path("type").asText().equals("invoke.result")).findFirst().orElseThrow();
        assertEquals("ingest-v1", result.path("result").path("version").asText(), invoke::toString);
    }

    @Test
    @Order(2)
    void watchHotswapsAHandlerEditAndDeploysAMemoryChangeThroughAChangeSet() throws Exception {
        PipedOutputStream keys = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(keys);
        Cli.Capture out = new Cli.Capture();
        Cli.Capture err = new Cli.Capture();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread watch = new Thread(() -> exit.set(Main.run(new String[] {"watch", "--output", "json", "--app", app.toString(),
                        "--endpoint-url", endpoint},
                new Io(env, work, stdin, new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8), false))), "watch-under-test");
        watch.start();
        try {
            await(out, e -> type(e, "watch.ready"), 0, "watch.ready", err);

            // 1. a handler edit: hot-swapped, no change set
            String marker = "v2-" + UUID.randomUUID().toString().substring(0, 8);
            int mark = Cli.parse(out.text()).size();
            Path handler = app.resolve("functions/ingest/index.js");
            String source = Files.readString(handler);
            Files.writeString(handler, source.replace("'ingest-v1'", "'ingest-" + marker + "'")
                    .replace("`ingest: accepted order", "`ingest " + marker + ": accepted order"));
            await(out, e -> type(e, "hotswap.applied") && e.path("logicalId").asText().startsWith("Ingest"), mark, "hotswap.applied", err);
            Cli.Result invoke = cli("invoke", "ingest", "--event", app.resolve("events/order.json").toString(), "--output", "json");
            assertEquals(0, invoke.exit(), invoke::toString);
            assertTrue(invoke.out().contains("ingest-" + marker), invoke::toString);
            // let the synth that follows the fast path settle, then check no change set came of the edit
            await(out, e -> type(e, "deploy.succeeded") || type(e, "synth.succeeded"), mark, "synth after the fast path", err);
            waitQuiet(out);
            List<JsonNode> afterEdit = Cli.parse(out.text()).subList(mark, Cli.parse(out.text()).size());
            assertTrue(afterEdit.stream().noneMatch(e -> type(e, "changeset.created")), () -> "a change set was created: " + afterEdit);

            Cli.Result logs = cli("logs", "ingest", "--since", "10m", "--output", "json");
            assertEquals(0, logs.exit(), logs::toString);
            long lines = logs.events().stream().filter(e -> type(e, "log") && e.path("message").asText().contains(marker + ": accepted order")).count();
            assertEquals(1, lines, logs::toString);

            // 2. a memory-size edit: cannot be hot-swapped, goes through a change set
            int mark2 = Cli.parse(out.text()).size();
            Path java = app.resolve("src/main/java/dev/livestack/sample/IngestFunction.java");
            Files.writeString(java, Files.readString(java).replace(".memorySize(256)", ".memorySize(512)"));
            await(out, e -> type(e, "changeset.executed"), mark2, "changeset.executed", err);
            await(out, e -> type(e, "deploy.succeeded"), mark2, "deploy.succeeded", err);
            String fn = lambda.listFunctions().functions().stream().filter(f -> f.functionName().contains("Ingest"))
                    .findFirst().orElseThrow().functionName();
            assertEquals(512, lambda.getFunctionConfiguration(r -> r.functionName(fn)).memorySize());
        } finally {
            keys.write("q\n".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            watch.join(LONG.toMillis());
        }
        assertEquals(0, exit.get(), () -> out.text() + err.text());
    }

    private static boolean type(JsonNode e, String type) {
        return e.path("type").asText().equals(type);
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

    /** Waits until the watch has printed nothing for a second (the loop is idle). */
    private static void waitQuiet(Cli.Capture out) throws InterruptedException {
        int last = -1;
        for (int i = 0; i < 600; i++) {
            int now = out.text().length();
            if (now == last) {
                return;
            }
            last = now;
            Thread.sleep(1000);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path rel = from.relativize(p);
                if (rel.startsWith("target") || rel.startsWith(".livestack") || rel.startsWith("cdk.out")) {
                    continue;
                }
                Path dest = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }
}
