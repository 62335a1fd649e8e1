package dev.livestack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.inlinepackager.LambdaZip;
import dev.livestack.localcloud.LocalCloud;
import dev.livestack.localcloud.LocalCloudConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The watch loop never leaves older code live than the last save: saves during the first deploy, saves during a
 * synth, and the hot-swap-all key after a failed synth.
 */
class NeverStaleWatchIT {
    private static final Duration LONG = Duration.ofMinutes(3);

    private Path dir;
    private LocalCloud cloud;
    private LambdaClient lambda;
    private CloudFormationClient cf;
    private InProcessWatch watch;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("livestack-never-stale");
        cloud = LocalCloud.start(LocalCloudConfig.defaults(dir.resolve("cloud"), 0));
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        lambda = LambdaClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1).credentialsProvider(creds).build();
        cf = CloudFormationClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1).credentialsProvider(creds).build();
        MiniApp.create(dir.resolve("app"));
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

    private String reply() {
        String fn = cf.describeStacks(b -> b.stackName(MiniApp.STACK)).stacks().get(0).outputs().stream()
                .filter(o -> o.outputKey().equals("FnName")).findFirst().orElseThrow().outputValue();
        return lambda.invoke(b -> b.functionName(fn)).payload().asString(StandardCharsets.UTF_8);
    }

    private static String sha(String reply) {
        return LambdaZip.codeSha256(LambdaZip.forInline("nodejs20.x", MiniApp.handler(reply))).substring(0, 12);
    }

    @Test
    void aSaveDuringTheFirstDeployIsDeployedAfterIt() throws Exception {
        Path app = dir.resolve("app");
        // a slow first synth: app.py reads the sources, then takes 3 s
        MiniApp.writeConfig(app, MiniApp.config().put("sleepMs", 3000));
        watch = new InProcessWatch(dir.resolve("app"), cloud.endpoint().toString(), LONG);
        watch.await(e -> type(e, "synth.started"), 0, "synth.started");
        Thread.sleep(500);
        MiniApp.writeCode(app, "saved-during-first-deploy");
        watch.await(e -> type(e, "watch.ready"), 0, "watch.ready");
        watch.await(e -> type(e, "change.detected"), 0, "change.detected of the save");
        watch.quiet();
        assertEquals("\"saved-during-first-deploy\"", reply(), watch::tail);
    }

    @Test
    void aSynthMadeStaleByANewerSaveIsNeverDeployed() throws Exception {
        Path app = dir.resolve("app");
        watch = new InProcessWatch(dir.resolve("app"), cloud.endpoint().toString(), LONG);
        watch.await(e -> type(e, "watch.ready"), 0, "watch.ready");
        watch.quiet();
        assertEquals("\"v1\"", reply());

        // save 1: code v2 with a configuration change (a full synth, slow); save 2 during that synth: code v3
        int mark = watch.mark();
        MiniApp.writeCode(app, "v2");
        MiniApp.writeConfig(app, MiniApp.config().put("sleepMs", 2500).put("description", "d2"));
        watch.await(e -> type(e, "synth.started"), mark, "the slow synth");
        Thread.sleep(700);
        int save2 = watch.mark();
        MiniApp.writeCode(app, "v3");
        watch.await(e -> type(e, "change.detected"), save2, "change.detected of save 2");
        watch.await(e -> type(e, "synth.superseded"), mark, "synth.superseded");
        int superseded = watch.mark();
        watch.await(e -> type(e, "deploy.succeeded"), superseded, "the deploy of the latest synth");
        watch.quiet();
        List<JsonNode> after = watch.events().subList(save2, watch.events().size());
        assertTrue(after.stream().noneMatch(e -> type(e, "hotswap.applied") && e.path("detail").asText().contains(sha("v2"))),
                () -> "v2 was swapped in after v3 was saved:\n" + watch.tail());
        assertEquals("\"v3\"", reply(), watch::tail);
    }

    @Test
    void hotswapAllAfterAFailedSynthPushesTheSavedCodeNotTheLastGoodAssembly() throws Exception {
        Path app = dir.resolve("app");
        watch = new InProcessWatch(dir.resolve("app"), cloud.endpoint().toString(), LONG);
        watch.await(e -> type(e, "watch.ready"), 0, "watch.ready");
        watch.quiet();
        // the synth breaks, then the code is saved: the fast path swaps it in, the synth after it fails
        ObjectNode broken = MiniApp.config().put("fail", true);
        int mark = watch.mark();
        MiniApp.writeConfig(app, broken);
        watch.await(e -> type(e, "synth.failed"), mark, "synth.failed");
        watch.quiet();
        mark = watch.mark();
        MiniApp.writeCode(app, "v2");
        watch.await(e -> type(e, "hotswap.applied"), mark, "the fast path's swap");
        watch.quiet();
        assertEquals("\"v2\"", reply());

        mark = watch.mark();
        watch.key('s');
        watch.await(e -> type(e, "synth.failed"), mark, "the failed synth of s");
        watch.quiet();
        assertEquals("\"v2\"", reply(), () -> "s put older code back:\n" + watch.tail());
        assertTrue(watch.events().subList(mark, watch.events().size()).stream()
                        .noneMatch(e -> type(e, "hotswap.applied") && e.path("detail").asText().contains(sha("v1"))),
                () -> watch.tail());
    }
}
