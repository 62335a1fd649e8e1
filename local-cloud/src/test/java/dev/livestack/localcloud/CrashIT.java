package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.StackSummary;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Kills local-cloud ({@code kill -9}: {@link Process#destroyForcibly()}) at random points while a client writes
 * parameters, log events, objects and stacks, then restarts it on the same state folder: every write whose
 * response came back must be there, and local-cloud must start and serve. The number of crashes is
 * {@code -Dlivestack.crashes}: 20 by default (about 3 s each on a busy 2-core machine), 100 from
 * {@code bench/crash.sh}; the seed is {@code -Dlivestack.seed} (default: random, named in every failure).
 */
class CrashIT {
    @TempDir
    Path state;

    static final String TEMPLATE = """
            Resources:
              Q:
                Type: AWS::SQS::Queue
            """;

    /** The writes local-cloud acknowledged, over every run so far. */
    final Map<String, String> parameters = new HashMap<>();
    final List<String> events = new ArrayList<>();
    final Set<String> objects = new HashSet<>();
    final Set<String> stacks = new HashSet<>();

    @Test
    void everyAcknowledgedWriteSurvivesKillMinusNine() throws Exception {
        int crashes = Integer.getInteger("livestack.crashes", 20);
        long seed = Long.getLong("livestack.seed", new Random().nextLong());
        Random random = new Random(seed);
        long started = System.nanoTime();
        Process child = start();
        try {
            for (int round = 0; round < crashes; round++) {
                try (Clients c = new Clients(endpoint(child))) {
                    if (round == 0) {
                        c.s3.createBucket(b -> b.bucket("crash"));
                        c.logs.createLogGroup(b -> b.logGroupName("crash"));
                        c.logs.createLogStream(b -> b.logGroupName("crash").logStreamName("s"));
                    }
                    // also warms the clients up, so that the kill below lands among writes
                    verify(c, "after crash " + round + " (seed " + seed + ")");
                    int r = round;
                    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(c, r));
                    Thread.sleep(50 + random.nextInt(550));
                    child.destroyForcibly();
                    assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the killed local-cloud did not exit");
                    writer.handle((v, e) -> null).get(60, TimeUnit.SECONDS);
                }
                child = start();
            }
            try (Clients c = new Clients(endpoint(child))) {
                verify(c, "after the last crash (seed " + seed + ")");
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        System.out.printf("CrashIT: %d crashes, %d parameters, %d log events, %d objects, %d stacks acknowledged, %d s%n",
                crashes, parameters.size(), events.size(), objects.size(), stacks.size(),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        assertTrue(parameters.size() + events.size() + objects.size() + stacks.size() >= crashes,
                "too few writes were acknowledged to test anything");
    }

    private Process start() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), state.toString())
                .redirectErrorStream(true).start();
    }

    /** The child's endpoint line; anything else it prints first (a failed start) fails the test. */
    private static URI endpoint(Process child) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            StringBuilder seen = new StringBuilder();
            try {
                for (String l; (l = out.readLine()) != null; ) {
                    if (l.startsWith("endpoint ")) {
                        // keep draining so a chatty child never blocks on a full pipe
                        Thread drain = new Thread(() -> {
                            try {
                                out.transferTo(java.io.Writer.nullWriter());
                            } catch (java.io.IOException ignored) {
                                // the child died
                            }
                        });
                        drain.setDaemon(true);
                        drain.start();
                        return l.substring("endpoint ".length());
                    }
                    seen.append(l).append('\n');
                }
            } catch (java.io.IOException e) {
                seen.append(e);
            }
            throw new IllegalStateException("local-cloud did not start:\n" + seen);
        });
        return URI.create(line.get(60, TimeUnit.SECONDS));
    }

    /** SDK clients for one run of local-cloud. */
    record Clients(SsmClient ssm, S3Client s3, CloudWatchLogsClient logs, CloudFormationClient cfn) implements AutoCloseable {
        Clients(URI endpoint) {
            this(Sdk.ssm(endpoint), Sdk.s3(endpoint), CloudWatchLogsClient.builder().endpointOverride(endpoint)
                    .region(Region.US_EAST_1).credentialsProvider(Sdk.credentials("test", "test"))
                    .overrideConfiguration(Sdk.noRetries()).build(), Sdk.cloudFormation(endpoint));
        }

        @Override
        public void close() {
            ssm.close();
            s3.close();
            logs.close();
            cfn.close();
        }
    }

    /** Writes until local-cloud dies under it, noting each write whose response came back. */
    private void write(Clients c, int round) {
        for (int k = round; ; k++) {
            String id = "r" + round + "w" + k;
            switch (k % 4) {
                case 0 -> {
                    c.ssm.putParameter(b -> b.name("/crash/" + id).value(id).type(ParameterType.STRING));
                    synchronized (this) {
                        parameters.put("/crash/" + id, id);
                    }
                }
                case 1 -> {
                    c.logs.putLogEvents(b -> b.logGroupName("crash").logStreamName("s").logEvents(
                            InputLogEvent.builder().timestamp(System.currentTimeMillis()).message(id).build()));
                    synchronized (this) {
                        events.add(id);
                    }
                }
                case 2 -> {
                    c.s3.putObject(b -> b.bucket("crash").key(id), RequestBody.fromString(id));
                    synchronized (this) {
                        objects.add(id);
                    }
                }
                default -> {
                    String stackId = c.cfn.createStack(b -> b.stackName("crash-" + id).templateBody(TEMPLATE)).stackId();
                    synchronized (this) {
                        stacks.add(stackId);
                    }
                }
            }
        }
    }

    private synchronized void verify(Clients c, String when) {
        try {
            Map<String, String> storedParameters = new HashMap<>();
            List<String> names = new ArrayList<>(parameters.keySet());
            for (int i = 0; i < names.size(); i += 10) {
                List<String> batch = names.subList(i, Math.min(names.size(), i + 10));
                for (Parameter p : c.ssm.getParameters(b -> b.names(batch)).parameters()) {
                    storedParameters.put(p.name(), p.value());
                }
            }
            for (Map.Entry<String, String> p : parameters.entrySet()) {
                assertEquals(p.getValue(), storedParameters.get(p.getKey()), "parameter " + p.getKey() + " " + when);
            }
            Set<String> storedEvents = new HashSet<>();
            String token = null;
            while (true) {
                String t = token;
                GetLogEventsResponse page = c.logs.getLogEvents(b -> b.logGroupName("crash").logStreamName("s")
                        .startFromHead(true).nextToken(t));
                page.events().stream().map(OutputLogEvent::message).forEach(storedEvents::add);
                if (page.nextForwardToken() == null || page.nextForwardToken().equals(token) || page.events().isEmpty()) {
                    break;
                }
                token = page.nextForwardToken();
            }
            for (String e : events) {
                assertTrue(storedEvents.contains(e), "log event " + e + " " + when);
            }
            Set<String> storedObjects = new HashSet<>();
            c.s3.listObjectsV2Paginator(b -> b.bucket("crash")).contents().stream().map(S3Object::key).forEach(storedObjects::add);
            for (String o : objects) {
                assertTrue(storedObjects.contains(o), "object " + o + " " + when);
            }
            Set<String> storedStacks = new HashSet<>();
            c.cfn.listStacksPaginator().stackSummaries().stream().map(StackSummary::stackId).forEach(storedStacks::add);
            for (String s : stacks) {
                assertTrue(storedStacks.contains(s), "stack " + s + " " + when);
            }
        } catch (AssertionError e) {
            throw e;
        } catch (RuntimeException e) {
            fail("local-cloud does not serve " + when + ": " + e, e);
        }
    }
}
