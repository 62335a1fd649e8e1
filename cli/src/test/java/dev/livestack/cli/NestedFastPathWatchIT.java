package dev.livestack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestack.inlinepackager.LambdaZip;
import dev.livestack.localcloud.LocalCloud;
import dev.livestack.localcloud.LocalCloudConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The watch's fast path reaches an inline function inside a nested stack (issue 18): a save of its source is packaged
 * and swapped into the nested stack's function before the confirming synth, which then finds nothing left to swap;
 * the nested stack's last applied template records the code.
 */
class NestedFastPathWatchIT {
    private Path dir;
    private Path app;
    private LocalCloud cloud;
    private LambdaClient lambda;
    private CloudFormationClient cf;
    private InProcessWatch watch;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("livestack-nested-fast");
        cloud = LocalCloud.start(LocalCloudConfig.defaults(dir.resolve("cloud"), 0));
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        lambda = LambdaClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1).credentialsProvider(creds).build();
        cf = CloudFormationClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1).credentialsProvider(creds).build();
        app = MiniApp.nested(dir.resolve("app"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (watch != null) {
            watch.quit();
        }
        lambda.close();
        cf.close();
        cloud.close();
    }

    private static boolean type(JsonNode e, String type) {
        return e.path("type").asText().equals(type);
    }

    private String fnName() {
        return cf.describeStacks(b -> b.stackName(MiniApp.NESTED_PARENT)).stacks().get(0).outputs().stream()
                .filter(o -> o.outputKey().equals("FnName")).findFirst().orElseThrow().outputValue();
    }

    private String nestedStack() {
        String arn = cf.describeStackResource(b -> b.stackName(MiniApp.NESTED_PARENT).logicalResourceId("Inner"))
                .stackResourceDetail().physicalResourceId();
        return NestedStacks.nameOf(arn);
    }

    private static String sha(String reply) {
        return LambdaZip.codeSha256(LambdaZip.forInline("nodejs20.x", MiniApp.handler(reply)));
    }

    @Test
    void aSavedSourceIsSwappedIntoTheNestedStackBeforeTheSynth() throws Exception {
        watch = new InProcessWatch(app, cloud.endpoint().toString(), Duration.ofMinutes(3));
        watch.await(e -> type(e, "watch.ready"), 0, "watch.ready");
        watch.quiet();
        String nested = nestedStack();
        assertEquals("\"v1\"", lambda.invoke(b -> b.functionName(fnName())).payload().asString(StandardCharsets.UTF_8));

        int mark = watch.mark();
        MiniApp.writeCode(app, "v2");
        JsonNode change = watch.await(e -> type(e, "change.detected"), mark, "change.detected");
        // the watcher knows the folder as the nested function's source
        assertEquals(List.of(MiniApp.NESTED_PARENT + "/Inner/Fn"), toList(change.path("functions")), change::toString);
        assertTrue(change.path("onlyFunctionSources").asBoolean(), change::toString);
        watch.await(e -> type(e, "hotswap.applied"), mark, "the fast path's swap");
        watch.quiet();

        List<JsonNode> after = watch.events().subList(mark, watch.events().size());
        int swap = indexOf(after, "hotswap.applied");
        int synth = indexOf(after, "synth.started");
        assertTrue(swap >= 0 && synth > swap, "the swap comes before the confirming synth\n" + watch.tail());
        JsonNode applied = after.get(swap);
        // swapped in the nested stack, on its own logical id there, before any synth
        assertEquals(nested, applied.path("stackName").asText(), applied::toString);
        assertEquals("Fn", applied.path("logicalId").asText(), applied::toString);
        assertTrue(applied.path("detail").asText().contains(sha("v2").substring(0, 12)), applied::toString);
        // the confirming synth swaps nothing more and makes no change set
        assertEquals(1, after.stream().filter(e -> type(e, "hotswap.applied")).count(), watch::tail);
        assertTrue(after.stream().noneMatch(e -> type(e, "changeset.created")), watch::tail);
        assertEquals("\"v2\"", lambda.invoke(b -> b.functionName(fnName())).payload().asString(StandardCharsets.UTF_8));
        assertEquals(sha("v2"), lambda.getFunctionConfiguration(b -> b.functionName(fnName())).codeSha256());

        // recorded where a deploy of the root keeps the nested stack's template and drift ledger
        Path state = app.resolve(".livestack").resolve("state");
        JsonNode recorded = Output.JSON.readTree(state.resolve(MiniApp.NESTED_PARENT + ".Inner.template.json").toFile());
        assertEquals(MiniApp.handler("v2"), recorded.at("/Resources/Fn/Properties/Code/ZipFile").asText());
        assertTrue(Files.readString(state.resolve(MiniApp.NESTED_PARENT + ".Inner.drift.json")).contains("\"Fn\""),
                () -> Files.exists(state) ? String.join(", ", list(state)) : "no state folder");

        // `livestack diff` shows it as hot-swapped, not yet in CloudFormation's template, by its path
        watch.quit();
        Cli.Result diff = Cli.run(app, Cli.cleanEnv(), null, "diff", "--output", "json", "--endpoint-url", cloud.endpoint().toString());
        assertEquals(0, diff.exit(), diff::toString);
        JsonNode event = diff.events().stream().filter(e -> type(e, "diff")).findFirst().orElseThrow(() -> new AssertionError(diff));
        assertEquals(List.of("Code"), toList(event.path("drifted").path("Inner/Fn")), event::toString);
    }

    private static List<String> toList(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static int indexOf(List<JsonNode> events, String type) {
        for (int i = 0; i < events.size(); i++) {
            if (type(events.get(i), type)) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> list(Path folder) {
        try (var s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of(e.toString());
        }
    }
}
