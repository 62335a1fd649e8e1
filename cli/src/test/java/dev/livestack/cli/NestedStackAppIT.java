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
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * A Java CDK app with a NestedStack (synth/src/test/resources/nested-app) against a real local-cloud: it deploys and
 * the parent's output read from the nested stack resolves; a handler edit is hot-swapped into the nested stack's
 * function (no change set), by {@code deploy --mode fallback}, by {@code watch} and by {@code hotswap <fn>}; a nested resource CloudFormation refuses rolls back parent and child; deleting the parent
 * deletes the child.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NestedStackAppIT {
    private Path work;
    private Path app;
    private LocalCloud cloud;
    private Map<String, String> env;
    private String endpoint;
    private LambdaClient lambda;
    private CloudFormationClient cfn;

    @BeforeAll
    void setUp() throws IOException {
        work = Files.createTempDirectory("livestack-nested-it");
        app = work.resolve("nested-app");
        copy(Path.of("..", "synth", "src", "test", "resources", "nested-app").toAbsolutePath().normalize(), app);
        cloud = LocalCloud.start(LocalCloudConfig.defaults(work.resolve("cloud"), 0));
        endpoint = cloud.endpoint().toString();
        env = Cli.cleanEnv();
        StaticCredentialsProvider creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        lambda = LambdaClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1).credentialsProvider(creds).build();
        cfn = CloudFormationClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1).credentialsProvider(creds).build();
    }

    @AfterAll
    void tearDown() throws IOException {
        lambda.close();
        cfn.close();
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

    private Stack parent() {
        return cfn.describeStacks(b -> b.stackName("NestedParent")).stacks().get(0);
    }

    private Stack child(Stack parent) {
        return cfn.describeStacks().stacks().stream().filter(s -> parent.stackId().equals(s.parentId())).findFirst().orElseThrow();
    }

    private String invoke(String fn) {
        return lambda.invoke(b -> b.functionName(fn)).payload().asUtf8String();
    }

    private String helloName() {
        return parent().outputs().stream().filter(o -> o.outputKey().equals("HelloName")).findFirst().orElseThrow().outputValue();
    }

    @Test
    @Order(1)
    void deploysAndTheNestedOutputResolves() {
        Cli.Result deploy = cli("deploy", "--require-approval", "never", "--output", "json");
        assertEquals(0, deploy.exit(), deploy::toString);
        Stack parent = parent();
        assertEquals("CREATE_COMPLETE", parent.stackStatusAsString());
        Stack child = child(parent);
        assertTrue(child.stackName().matches("NestedParent-Inner[A-Za-z0-9]*-[A-Z0-9]{12}"), child.stackName());
        String fn = helloName();
        assertTrue(lambda.getFunction(b -> b.functionName(fn)).configuration().functionName().equals(fn), fn);
        assertTrue(invoke(fn).contains("hello-v1"), () -> invoke(fn));
        // the nested stack's own resources' events are shown, under the nested stack's logical id
        assertTrue(deploy.events().stream().anyMatch(e -> e.path("type").asText().equals("stack.event")
                && e.path("logicalId").asText().matches("Inner[A-Za-z0-9.]*/Hello[A-Za-z0-9]*")
                && e.path("status").asText().equals("CREATE_COMPLETE")), deploy::toString);
    }

    @Test
    @Order(2)
    void aHandlerEditIsHotSwappedIntoTheNestedStack() throws IOException {
        Path handler = app.resolve("functions/hello/index.js");
        Files.writeString(handler, Files.readString(handler).replace("hello-v1", "hello-v2"), StandardCharsets.UTF_8);
        Cli.Result deploy = cli("deploy", "--mode", "fallback", "--require-approval", "never", "--output", "json");
        assertEquals(0, deploy.exit(), deploy::toString);
        List<JsonNode> events = deploy.events();
        String child = child(parent()).stackName();
        // swapped in the nested stack, on the function's physical name there
        assertTrue(events.stream().anyMatch(e -> e.path("type").asText().equals("hotswap.applied")
                && e.path("stackName").asText().equals(child) && e.path("logicalId").asText().startsWith("Hello")), deploy::toString);
        assertTrue(events.stream().noneMatch(e -> e.path("type").asText().equals("changeset.created")), deploy::toString);
        assertTrue(invoke(helloName()).contains("hello-v2"), () -> invoke(helloName()));
    }

    @Test
    @Order(3)
    void watchHotSwapsAnEditIntoTheNestedStack() throws Exception {
        PipedOutputStream keys = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(keys);
        Cli.Capture out = new Cli.Capture();
        Cli.Capture err = new Cli.Capture();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread watch = new Thread(() -> exit.set(Main.run(new String[] {"watch", "--output", "json", "--no-logs",
                        "--app", app.toString(), "--endpoint-url", endpoint},
                new Io(env, work, stdin, new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8), false))), "nested-watch");
        watch.start();
        try {
            await(out, e -> e.path("type").asText().equals("watch.ready"), 0, err);
            int mark = Cli.parse(out.text()).size();
            Path handler = app.resolve("functions/hello/index.js");
            Files.writeString(handler, Files.readString(handler).replace("hello-v2", "hello-v3"), StandardCharsets.UTF_8);
            String child = child(parent()).stackName();
            await(out, e -> e.path("type").asText().equals("hotswap.applied") && e.path("stackName").asText().equals(child),
                    mark, err);
            assertTrue(invoke(helloName()).contains("hello-v3"), () -> invoke(helloName()));
            List<JsonNode> after = Cli.parse(out.text());
            assertTrue(after.subList(mark, after.size()).stream().noneMatch(e -> e.path("type").asText().equals("changeset.created")),
                    out::text);
        } finally {
            keys.write("q\n".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            watch.join(Duration.ofMinutes(2).toMillis());
        }
        assertEquals(0, exit.get(), () -> out.text() + err.text());
    }

    @Test
    @Order(4)
    void hotswapCommandReachesAFunctionOfTheNestedStack() throws IOException {
        Path handler = app.resolve("functions/hello/index.js");
        Files.writeString(handler, Files.readString(handler).replace("hello-v3", "hello-v4"), StandardCharsets.UTF_8);
        String child = child(parent()).stackName();
        // the function is named as in the nested stack's template (a glob over its logical id), as logs and invoke name it
        Cli.Result swap = cli("hotswap", "Hello*", "--output", "json");
        assertEquals(0, swap.exit(), swap::toString);
        assertTrue(swap.events().stream().anyMatch(e -> e.path("type").asText().equals("hotswap.applied")
                && e.path("stackName").asText().equals(child) && e.path("logicalId").asText().startsWith("Hello")), swap::toString);
        assertTrue(swap.events().stream().noneMatch(e -> e.path("type").asText().equals("changeset.created")), swap::toString);
        assertTrue(invoke(helloName()).contains("hello-v4"), () -> invoke(helloName()));
        // remembered under the parent's key for the nested stack, not as a stack of its own
        Path state = app.resolve(".livestack").resolve("state");
        assertTrue(Files.notExists(state.resolve(child + ".template.json")), () -> String.join(", ", list(state)));
    }

    private static List<String> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of(e.toString());
        }
    }

    @Test
    @Order(5)
    void diffShowsTheNestedStacksOwnChanges() throws IOException {
        Path handler = app.resolve("functions/hello/index.js");
        Files.writeString(handler, Files.readString(handler).replace("hello-v4", "hello-v5"), StandardCharsets.UTF_8);
        try {
            Cli.Result diff = cli("diff", "--output", "json");
            assertEquals(0, diff.exit(), diff::toString);
            JsonNode event = diff.events().stream().filter(e -> e.path("type").asText().equals("diff")
                    && e.path("stack").asText().equals("NestedParent")).findFirst().orElseThrow(() -> new AssertionError(diff.toString()));
            List<String> lines = new java.util.ArrayList<>();
            event.path("changes").forEach(n -> lines.add(n.asText()));
            int at = java.util.stream.IntStream.range(0, lines.size())
                    .filter(i -> lines.get(i).matches("\\[~] nested stack Inner[A-Za-z0-9]*")).findFirst().orElse(-1);
            assertTrue(at >= 0, lines::toString);
            // the function's new asset, inside the nested stack
            List<String> nested = lines.subList(at + 1, lines.size());
            assertTrue(nested.stream().anyMatch(l -> l.matches("    \\[~] AWS::Lambda::Function Hello[A-Za-z0-9]*")), lines::toString);
            assertTrue(nested.stream().anyMatch(l -> l.startsWith("        Properties.Code")), lines::toString);
        } finally {
            Files.writeString(handler, Files.readString(handler).replace("hello-v5", "hello-v4"), StandardCharsets.UTF_8);
        }
    }

    private static void await(Cli.Capture out, Predicate<JsonNode> p, int from, Cli.Capture err) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
        while (System.nanoTime() < deadline) {
            List<JsonNode> events = Cli.parse(out.text());
            if (events.subList(Math.min(from, events.size()), events.size()).stream().anyMatch(p)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not seen in time\n--- stdout\n" + out.text() + "\n--- stderr\n" + err.text());
    }

    @Test
    @Order(6)
    void aFailingNestedResourceRollsBackParentAndChild() throws IOException {
        Files.writeString(app.resolve("fail"), "yes");
        try {
            Cli.Result deploy = cli("deploy", "--require-approval", "never", "--output", "json");
            assertEquals(1, deploy.exit(), deploy::toString);
            JsonNode failed = deploy.events().stream().filter(e -> e.path("type").asText().equals("deploy.failed")).findFirst().orElseThrow();
            // the root cause is the nested stack's own resource, not the parent's "Embedded stack … was not successfully updated"
            assertTrue(failed.path("rootCause").asText().matches("Inner[A-Za-z0-9.]*/Broken[A-Za-z0-9]* \\(AWS::SQS::Queue\\): .*"),
                    deploy::toString);
            Stack parent = parent();
            assertEquals("UPDATE_ROLLBACK_COMPLETE", parent.stackStatusAsString());
            assertEquals("UPDATE_ROLLBACK_COMPLETE", child(parent).stackStatusAsString());
            assertTrue(invoke(helloName()).contains("hello-v4"));
        } finally {
            Files.delete(app.resolve("fail"));
        }
    }

    @Test
    @Order(7)
    void deletingTheParentDeletesTheChild() throws InterruptedException {
        Stack parent = parent();
        String childId = child(parent).stackId();
        cfn.deleteStack(b -> b.stackName("NestedParent"));
        long deadline = System.currentTimeMillis() + 60_000;
        String status = "";
        while (System.currentTimeMillis() < deadline) {
            status = cfn.describeStacks(b -> b.stackName(parent.stackId())).stacks().get(0).stackStatusAsString();
            if (!status.endsWith("_IN_PROGRESS")) {
                break;
            }
            Thread.sleep(50);
        }
        assertEquals("DELETE_COMPLETE", status);
        assertEquals("DELETE_COMPLETE", cfn.describeStacks(b -> b.stackName(childId)).stacks().get(0).stackStatusAsString());
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
