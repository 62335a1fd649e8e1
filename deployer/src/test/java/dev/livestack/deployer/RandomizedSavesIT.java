package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestack.inlinepackager.LambdaZip;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;

/**
 * Many saves (code and non-code) arrive at random times while deploys are slow; after the last save settles,
 * the live stack equals the last saved source — in every trial. Trials run on four stacks at once, each
 * through its own {@link ChangeLoop} into one shared deployer, as {@code watch} does. The number of trials is
 * {@code -Dlivestack.trials} (default 200).
 */
class RandomizedSavesIT extends LocalCloudFixture {
    private static final int STACKS = 4;

    /** What the user last saved. */
    record Source(int code, String stage, String description, int memory) {
        String reply() {
            return "v" + code;
        }
    }

    @Test
    void theLiveStackEqualsTheLastSavedSource() throws Exception {
        int trials = Integer.getInteger("livestack.trials", 200);
        long seed = Long.getLong("livestack.seed", System.nanoTime());
        // Slow deploys: every Lambda update call takes 15 ms more and stays InProgress for 25 ms.
        controls.addLatency("lambda", "UpdateFunctionCode", Duration.ofMillis(15));
        controls.addLatency("lambda", "UpdateFunctionConfiguration", Duration.ofMillis(15));
        lambdaUpdateDelay(25);
        AtomicInteger done = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        try (Harness h = harness()) {
            List<String> names = new ArrayList<>();
            Source initial = new Source(0, "s0", "d0", 128);
            for (int i = 0; i < STACKS; i++) {
                String name = uniqueStack("random");
                DeployResult r = h.deployer.deploy(stack(name, template(initial)), DeployMode.FALLBACK);
                assertEquals(DeployResult.Status.DEPLOYED, r.status(), r::toString);
                names.add(name);
            }
            ExecutorService workers = Executors.newFixedThreadPool(STACKS);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int i = 0; i < STACKS; i++) {
                    String name = names.get(i);
                    int share = trials / STACKS + (i < trials % STACKS ? 1 : 0);
                    Random rnd = new Random(seed + i);
                    futures.add(workers.submit(() -> {
                        runTrials(h, name, share, rnd, initial, done, failures);
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                workers.shutdownNow();
                controls.clearFaults();
                lambdaUpdateDelay(100);
            }
        }
        assertEquals(List.of(), failures, "seed " + seed);
        assertEquals(trials, done.get());
    }

    private static void runTrials(Harness h, String name, int trials, Random rnd, Source initial, AtomicInteger done,
                                  List<String> failures) throws Exception {
        List<String> cycleErrors = new CopyOnWriteArrayList<>();
        ChangeLoop.Listener<Source> listener = new ChangeLoop.Listener<>() {
            @Override
            public void cycleFailed(Source change, Throwable error) {
                cycleErrors.add(String.valueOf(error));
            }
        };
        Source current = initial;
        try (ChangeLoop<Source> loop = new ChangeLoop<>(s -> {
            DeployResult r = h.deployer.deploy(stack(name, template(s)), DeployMode.FALLBACK);
            if (!r.ok()) {
                cycleErrors.add(r.status() + ": " + r.error());
            }
        }, (older, newer) -> newer, listener)) {
            for (int t = 0; t < trials; t++) {
                int saves = 2 + rnd.nextInt(4);
                for (int s = 0; s < saves; s++) {
                    current = mutate(current, rnd);
                    loop.submit(current);
                    Thread.sleep(rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(30));
                }
                assertTrue(loop.awaitIdle(Duration.ofSeconds(60)), "the loop settles");
                String mismatch = compare(h, name, current);
                if (mismatch != null) {
                    failures.add(name + " trial " + t + ": " + mismatch);
                }
                if (!cycleErrors.isEmpty()) {
                    failures.add(name + " trial " + t + ": cycle failed: " + cycleErrors);
                    cycleErrors.clear();
                }
                done.incrementAndGet();
            }
        }
    }

    private static Source mutate(Source s, Random rnd) {
        int p = rnd.nextInt(100);
        if (p < 65) {
            return new Source(s.code() + 1, s.stage(), s.description(), s.memory());
        }
        if (p < 82) {
            return new Source(s.code(), "s" + rnd.nextInt(1000), s.description(), s.memory());
        }
        if (p < 98) {
            return new Source(s.code(), s.stage(), "d" + rnd.nextInt(1000), s.memory());
        }
        return new Source(s.code(), s.stage(), s.description(), s.memory() == 128 ? 192 : 128);
    }

    private static String compare(Harness h, String name, Source expected) {
        String fn = h.deployer.outputs(name).get("FnName");
        GetFunctionConfigurationResponse cfg = lambda.getFunctionConfiguration(b -> b.functionName(fn));
        String code = LambdaZip.codeSha256(LambdaZip.forInline("nodejs20.x", "exports.handler = async () => \"" + expected.reply() + "\";"));
        List<String> diffs = new ArrayList<>();
        if (!code.equals(cfg.codeSha256())) {
            diffs.add("code is not " + expected.reply());
        }
        Map<String, String> env = cfg.environment() == null ? Map.of() : cfg.environment().variables();
        if (!expected.stage().equals(env.get("STAGE"))) {
            diffs.add("STAGE " + env.get("STAGE") + " != " + expected.stage());
        }
        if (!expected.description().equals(cfg.description())) {
            diffs.add("description " + cfg.description() + " != " + expected.description());
        }
        if (expected.memory() != cfg.memorySize()) {
            diffs.add("memory " + cfg.memorySize() + " != " + expected.memory());
        }
        if (!h.deployer.lastApplied(name).map(t -> t.equals(template(expected))).orElse(false)) {
            diffs.add("the last applied template is not the last saved one");
        }
        return diffs.isEmpty() ? null : String.join(", ", diffs);
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode template(Source s) {
        return functionTemplate(s.reply(), s.memory(), s.stage(), s.description());
    }
}
