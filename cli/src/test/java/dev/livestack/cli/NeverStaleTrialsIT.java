package dev.livestack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.LocalCloud;
import dev.livestack.localcloud.LocalCloudConfig;
import dev.livestack.localcloud.TestControls;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;

/**
 * The never-stale proof, model-based: each trial is a fresh app and stack watched by {@code livestack watch}
 * (in-process, JSON events) against local-cloud, driven by a random sequence of 5–30 steps — edit the handler, revert
 * it to an earlier version, edit the environment, the description or the memory (not hot-swappable), add or remove a
 * resource, break the synth and fix it, bursts of saves 10–50 ms apart, the {@code d} and {@code s} keys, restart the
 * daemon, restart local-cloud, inject throttling / 5xx / connection resets. After each step settles (the loop reports
 * {@code watch.idle} after the step's saves were detected), what runs must be the last save: the function's reply, its
 * environment, description and memory, and whether the extra resource exists. After {@code d}, CloudFormation's
 * template, livestack's state file and what runs agree.
 *
 * <p>{@code -Dlivestack.trials=N} (default 5 in {@code mvn verify}), {@code -Dlivestack.seed=S} (default: random; printed,
 * so a failure can be replayed), {@code -Dlivestack.trialsFrom=K} (default 0: run trials K..K+N-1 of that seed's run,
 * trial i using seed S+i, so a long run can be made in chunks). {@code bench/trials.sh N [SEED [FROM]]} runs it with a
 * larger N. The closing line is
 * {@code trials: P passed, F failed}.
 */
class NeverStaleTrialsIT {
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final AwsBasicCredentials CREDS = AwsBasicCredentials.create("test", "test");

    /** What the user last saved. */
    record Model(String code, String stage, String description, int memory, boolean param) {
        ObjectNode config(String stack) {
            ObjectNode c = MiniApp.config().put("stack", stack).put("memory", memory).put("stage", stage)
                    .put("description", description);
            if (param) {
                c.put("param", "p");
            }
            return c;
        }
    }

    private final Path root;
    private int port;
    private LocalCloud cloud;
    private LambdaClient lambda;
    private CloudFormationClient cf;

    NeverStaleTrialsIT() throws IOException {
        root = Files.createTempDirectory("livestack-trials");
    }

    @Test
    void whatRunsIsAlwaysTheLastSave() throws Exception {
        int trials = Integer.getInteger("livestack.trials", 5);
        long seed = Long.getLong("livestack.seed", System.nanoTime());
        // trials [from, from + trials) of the run with this seed: a long run can be made in chunks, each trial the same
        int from = Integer.getInteger("livestack.trialsFrom", 0);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        startCloud();
        List<String> failures = new ArrayList<>();
        int stale = 0;
        long t0 = System.nanoTime();
        try {
            for (int i = from; i < from + trials; i++) {
                long trialSeed = seed + i;
                Trial t = new Trial(i, trialSeed);
                try {
                    t.run();
                    System.out.println("trial " + i + " (seed " + trialSeed + ") ok: " + t.steps);
                } catch (AssertionError | Exception e) {
                    stale++;
                    failures.add("trial " + i + " (seed " + trialSeed + ", -Dlivestack.seed=" + trialSeed
                            + " -Dlivestack.trials=1) failed at step " + t.steps.size() + " " + t.steps + ": " + e.getMessage());
                    System.out.println(failures.get(failures.size() - 1));
                    // a failed trial may leave local-cloud in any state: start the next one on a fresh one
                    stopCloud();
                    startCloud();
                }
            }
        } finally {
            stopCloud();
        }
        long secs = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
        System.out.println("never-stale trials: " + trials + " trials (" + from + ".." + (from + trials - 1) + "), seed "
                + seed + ", " + stale + " stale or lost, " + secs + " s");
        System.out.println("trials: " + (trials - stale) + " passed, " + stale + " failed");
        assertEquals(List.of(), failures, "seed " + seed);
    }

    private void startCloud() throws IOException {
        cloud = LocalCloud.start(LocalCloudConfig.defaults(root.resolve("cloud"), port));
        var creds = StaticCredentialsProvider.create(CREDS);
        lambda = LambdaClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1).credentialsProvider(creds).build();
        cf = CloudFormationClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1).credentialsProvider(creds).build();
    }

    private void stopCloud() {
        lambda.close();
        cf.close();
        cloud.close();
    }

    /** One trial: its own app folder, stack and daemon. */
    final class Trial {
        final int index;
        final Random rnd;
        final Path app;
        final String stack;
        final List<String> steps = new ArrayList<>();
        final List<String> versions = new ArrayList<>();
        Model model;
        InProcessWatch daemon;

        Trial(int index, long seed) throws IOException {
            this.index = index;
            this.rnd = new Random(seed);
            this.stack = "Trial" + index + "x" + Long.toHexString(seed & 0xffffff);
            this.app = MiniApp.create(root.resolve("app-" + index + "-" + Long.toHexString(seed & 0xffffff)));
        }

        void run() throws Exception {
            model = new Model("v0", "s0", "d0", 128, false);
            versions.add("v0");
            MiniApp.writeCode(app, model.code());
            MiniApp.writeConfig(app, model.config(stack));
            daemon = new InProcessWatch(app, "http://127.0.0.1:" + port, SETTLE);
            try {
                ready();
                check(false);
                int n = 5 + rnd.nextInt(26);
                for (int i = 0; i < n; i++) {
                    step();
                }
                // the closing check of every trial: a full deploy makes CloudFormation, the state file and what runs agree
                daemonStep("d", () -> daemon.key('d'), false);
                check(true);
            } finally {
                daemon.quit();
                cleanFaults();
            }
        }

        private void step() throws Exception {
            int pick = rnd.nextInt(100);
            if (pick < 22) {
                saveCode(newVersion());
            } else if (pick < 32) {
                saveCode(versions.get(rnd.nextInt(versions.size())));
            } else if (pick < 40) {
                saveConfig(new Model(model.code(), "s" + rnd.nextInt(1000), model.description(), model.memory(), model.param()), "edit env");
            } else if (pick < 45) {
                saveConfig(new Model(model.code(), model.stage(), "d" + rnd.nextInt(1000), model.memory(), model.param()), "edit description");
            } else if (pick < 52) {
                saveConfig(new Model(model.code(), model.stage(), model.description(), 128 + 64 * rnd.nextInt(8), model.param()), "edit memory");
            } else if (pick < 58) {
                saveConfig(new Model(model.code(), model.stage(), model.description(), model.memory(), !model.param()), "toggle resource");
            } else if (pick < 64) {
                breakAndFix();
            } else if (pick < 74) {
                burst();
            } else if (pick < 79) {
                daemonStep("d", () -> daemon.key('d'), true);
            } else if (pick < 84) {
                daemonStep("s", () -> daemon.key('s'), true);
            } else if (pick < 89) {
                restartDaemon();
            } else if (pick < 93) {
                restartCloud();
            } else {
                faultThenSave();
            }
        }

        private String newVersion() {
            String v = "v" + versions.size();
            versions.add(v);
            return v;
        }

        private void saveCode(String version) throws Exception {
            steps.add("code " + version);
            boolean changes = !version.equals(model.code());
            int mark = daemon.mark();
            model = new Model(version, model.stage(), model.description(), model.memory(), model.param());
            MiniApp.writeCode(app, version);
            settle(mark, changes);
            check(false);
        }

        private void saveConfig(Model next, String what) throws Exception {
            steps.add(what);
            boolean changes = !next.equals(model);
            int mark = daemon.mark();
            model = next;
            MiniApp.writeConfig(app, model.config(stack));
            settle(mark, changes);
            check(false);
        }

        /** The synth breaks (as a compile error breaks a Java app's), then the next save fixes it. */
        private void breakAndFix() throws Exception {
            steps.add("break+fix synth");
            int mark = daemon.mark();
            MiniApp.writeConfig(app, model.config(stack).put("fail", true));
            daemon.await(e -> type(e, "synth.failed"), mark, "synth.failed");
            // a code save while broken goes through the fast path
            if (rnd.nextBoolean()) {
                String v = newVersion();
                steps.add("code " + v + " while broken");
                int m2 = daemon.mark();
                model = new Model(v, model.stage(), model.description(), model.memory(), model.param());
                MiniApp.writeCode(app, v);
                settle(m2, true);
                if (!reply().equals(v)) {
                    throw new AssertionError("the fast path did not swap " + v + " while the synth was broken: " + reply());
                }
            }
            mark = daemon.mark();
            MiniApp.writeConfig(app, model.config(stack));
            settle(mark, true);
            check(false);
        }

        private void burst() throws Exception {
            int count = 2 + rnd.nextInt(5);
            steps.add("burst of " + count);
            int mark = daemon.mark();
            for (int i = 0; i < count; i++) {
                if (rnd.nextInt(4) == 0) {
                    model = new Model(model.code(), "s" + rnd.nextInt(1000), model.description(), model.memory(), model.param());
                    MiniApp.writeConfig(app, model.config(stack));
                } else {
                    String v = rnd.nextInt(3) == 0 ? versions.get(rnd.nextInt(versions.size())) : newVersion();
                    model = new Model(v, model.stage(), model.description(), model.memory(), model.param());
                    MiniApp.writeCode(app, v);
                }
                Thread.sleep(10 + rnd.nextInt(41));
            }
            settle(mark, false);
            check(false);
        }

        private void daemonStep(String key, IoAction action, boolean check) throws Exception {
            steps.add("key " + key);
            int mark = daemon.mark();
            action.run();
            daemon.await(e -> type(e, "synth.started") || type(e, "synth.failed"), mark, "the cycle of key " + key);
            settle(mark, false);
            if (check) {
                check(key.equals("d"));
            }
        }

        private void restartDaemon() throws Exception {
            steps.add("restart daemon");
            daemon.quit();
            // a save while the daemon is down must be deployed by the next one; a revert to an earlier version
            // (perhaps the one CloudFormation's template holds) deployed by `livestack deploy` must run too
            if (rnd.nextBoolean()) {
                boolean revert = rnd.nextBoolean();
                String v = revert ? versions.get(rnd.nextInt(versions.size())) : newVersion();
                steps.add("code " + v + " while down");
                model = new Model(v, model.stage(), model.description(), model.memory(), model.param());
                MiniApp.writeCode(app, v);
            }
            if (rnd.nextBoolean()) {
                steps.add("livestack deploy");
                Cli.Result r = Cli.run(app, Cli.cleanEnv(), null, "deploy", "--output", "json", "--require-approval", "never",
                        "--app", app.toString(), "--endpoint-url", "http://127.0.0.1:" + port);
                if (r.exit() != 0) {
                    throw new AssertionError("livestack deploy failed: " + r);
                }
                check(true);
            }
            daemon = new InProcessWatch(app, "http://127.0.0.1:" + port, SETTLE);
            ready();
            check(false);
        }

        private void restartCloud() throws Exception {
            steps.add("restart local-cloud");
            stopCloud();
            startCloud();
            // the daemon keeps its endpoint (same port); the next save must go through
            saveCode(newVersion());
        }

        private void faultThenSave() throws Exception {
            TestControls.Fault[] faults = TestControls.Fault.values();
            TestControls.Fault f = faults[rnd.nextInt(faults.length)];
            String op = rnd.nextBoolean() ? "UpdateFunctionCode" : "GetFunctionConfiguration";
            int count = 1 + rnd.nextInt(3);
            steps.add("fault " + f + " x" + count + " on " + op);
            TestControls.of(cloud).failNext("lambda", op, count, f);
            saveCode(newVersion());
            cleanFaults();
        }

        /** The daemon reported watch.ready and its loop went idle. */
        private void ready() throws Exception {
            daemon.await(e -> type(e, "watch.ready"), 0, "watch.ready");
            long deadline = System.nanoTime() + SETTLE.toNanos();
            while (System.nanoTime() < deadline && !daemon.idleNow()) {
                Thread.sleep(50);
            }
        }

        private void cleanFaults() {
            TestControls.of(cloud).clearFaults();
        }

        /**
         * Waits until every save made since {@code mark} was acted on: (when the step changed a file's content) a
         * change was detected, then the loop went idle, and no change was detected for 300 ms after that.
         */
        private void settle(int mark, boolean expectChange) throws Exception {
            if (expectChange) {
                daemon.await(e -> type(e, "change.detected"), mark, "change.detected");
            } else {
                Thread.sleep(150); // the watcher's quiet period plus hashing, for bursts and no-op saves
            }
            long deadline = System.nanoTime() + SETTLE.toNanos();
            while (System.nanoTime() < deadline) {
                List<JsonNode> ev = daemon.events();
                int lastChange = -1;
                int lastIdle = -1;
                for (int i = mark; i < ev.size(); i++) {
                    if (type(ev.get(i), "change.detected") || type(ev.get(i), "synth.started")) {
                        lastChange = i;
                    }
                    if (type(ev.get(i), "watch.idle") || type(ev.get(i), "watch.ready")) {
                        lastIdle = i;
                    }
                }
                if (lastIdle > lastChange || lastChange < 0 && !expectChange && daemon.idleNow()) {
                    Thread.sleep(300);
                    if (daemon.events().size() == ev.size()) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
            throw new AssertionError("the loop did not settle within " + SETTLE + "\n" + daemon.tail());
        }

        /** What runs must be the model; after a full deploy, CloudFormation's template and the state file too. */
        private void check(boolean full) throws Exception {
            String fn = functionName();
            GetFunctionConfigurationResponse cfg = lambda.getFunctionConfiguration(b -> b.functionName(fn));
            List<String> wrong = new ArrayList<>();
            String reply = reply();
            if (!reply.equals(model.code())) {
                wrong.add("runs code " + reply + ", last saved " + model.code());
            }
            if (!model.stage().equals(cfg.environment().variables().get("STAGE"))) {
                wrong.add("STAGE " + cfg.environment().variables().get("STAGE") + ", last saved " + model.stage());
            }
            if (!model.description().equals(cfg.description())) {
                wrong.add("description " + cfg.description() + ", last saved " + model.description());
            }
            if (model.memory() != cfg.memorySize()) {
                wrong.add("memory " + cfg.memorySize() + ", last saved " + model.memory());
            }
            boolean param = cf.listStackResources(b -> b.stackName(stack)).stackResourceSummaries().stream()
                    .map(StackResourceSummary::logicalResourceId).anyMatch("Param"::equals);
            if (param != model.param()) {
                wrong.add("extra resource " + (param ? "exists" : "missing") + ", last saved " + model.param());
            }
            if (full) {
                JsonNode deployed = Output.JSON.readTree(cf.getTemplate(b -> b.stackName(stack)).templateBody());
                JsonNode stateFile = Output.JSON.readTree(app.resolve(".livestack/state/" + stack + ".template.json").toFile());
                if (!deployed.equals(stateFile)) {
                    wrong.add("CloudFormation's template and the state file differ");
                }
                String cfnCode = deployed.at("/Resources/Fn/Properties/Code/ZipFile").asText();
                if (!cfnCode.equals(MiniApp.handler(model.code()))) {
                    wrong.add("CloudFormation's template holds other code than the last save");
                }
                if (Files.exists(app.resolve(".livestack/state/" + stack + ".drift.json"))) {
                    wrong.add("drift left after a full deploy");
                }
            }
            if (!wrong.isEmpty()) {
                throw new AssertionError(String.join("; ", wrong) + "\n" + daemon.tail());
            }
        }

        private String functionName() {
            return cf.describeStacks(b -> b.stackName(stack)).stacks().get(0).outputs().stream()
                    .filter(o -> o.outputKey().equals("FnName")).findFirst().orElseThrow().outputValue();
        }

        private String reply() {
            String fn = functionName();
            String out = lambda.invoke(b -> b.functionName(fn)).payload().asString(StandardCharsets.UTF_8);
            return out.replace("\"", "");
        }
    }

    interface IoAction {
        void run() throws Exception;
    }

    private static boolean type(JsonNode e, String type) {
        return e.path("type").asText().equals(type);
    }

}
