package dev.livestack.logtail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * Latency from a function printing a line to livestack receiving it, on local-cloud: live tail, polling,
 * and beside them a 2-second FilterLogEvents poll (what {@code cdk watch} does). Run by {@code bench/logs.sh}.
 *
 * <p>The function prints {@code BENCH <seq> <Date.now()>}; each receiver notes the wall clock when the
 * line reaches it. All three receivers follow the same invocations at the same time. When local-cloud
 * cannot run the function, the lines are written with PutLogEvents instead, and the output says so.
 */
public final class LogLatencyBench {
    private static final Pattern BENCH = Pattern.compile("BENCH (\\d+) (\\d+)");

    private LogLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int samples = 60;
        long pollMs = LogTailOptions.defaults().pollInterval().toMillis();
        boolean useLambda = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--poll-ms" -> pollMs = Long.parseLong(args[++i]);
                case "--source" -> useLambda = switch (args[++i]) {
                    case "lambda" -> true;
                    case "put" -> false;
                    default -> throw new IllegalArgumentException("--source is lambda or put, was " + args[i]);
                };
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --samples N --poll-ms MS --source lambda|put");
            }
        }
        try (LocalLogs local = new LocalLogs()) {
            run(local, samples, pollMs, useLambda);
        }
        // local-cloud's function processes and Netty threads must not keep the JVM alive.
        System.exit(0);
    }

    private static void run(LocalLogs local, int samples, long pollMs, boolean useLambda) throws Exception {
        String function = "bench-printer";
        String group = "/aws/lambda/" + function;
        LambdaClient lambda = LambdaClient.builder().endpointOverride(local.cloud.endpoint()).region(local.region)
                .credentialsProvider(local.credentials).httpClientBuilder(ApacheHttpClient.builder()).build();
        Consumer<Integer> print;
        String source;
        if (useLambda && createFunction(lambda, function)) {
            source = "Lambda Invoke of a nodejs20.x function on local-cloud";
            print = seq -> lambda.invoke(b -> b.functionName(function)
                    .payload(SdkBytes.fromUtf8String("{\"seq\":" + seq + "}")));
            print.accept(-1); // the cold start is not what is measured
        } else {
            source = useLambda ? "PutLogEvents on local-cloud (Lambda could not run the function here)"
                    : "PutLogEvents on local-cloud (--source put: no Lambda in the path)";
            local.createStream(group, "bench");
            print = seq -> local.put(group, "bench", "BENCH " + seq + " " + System.currentTimeMillis());
        }

        Receiver live = new Receiver("live tail (StartLiveTail)");
        Receiver poll = new Receiver("polling (FilterLogEvents every " + pollMs + " ms)");
        Receiver cdk = new Receiver("2 s FilterLogEvents poll (cdk watch)");
        Instant since = Instant.now();
        try (LogTailer liveTailer = LogTailer.create(local.logs, local.async, LogTailOptions.defaults());
             LogTailer pollTailer = LogTailer.create(local.logs, null,
                     LogTailOptions.defaults().withPollInterval(Duration.ofMillis(pollMs)));
             Subscription a = liveTailer.follow(List.of(group), since, null, live::line, e -> { });
             Subscription b = pollTailer.follow(List.of(group), since, null, poll::line, e -> { });
             CdkStylePoll c = new CdkStylePoll(local, group, since, cdk::line)) {
            a.awaitCaughtUp(Duration.ofSeconds(30));
            b.awaitCaughtUp(Duration.ofSeconds(30));
            for (int seq = 0; seq < samples; seq++) {
                print.accept(seq);
                // Spread the prints so each lands at a different point of the poll cycles.
                Thread.sleep(50 + ThreadLocalRandom.current().nextLong(150));
            }
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline
                    && (live.count() < samples || poll.count() < samples || cdk.count() < samples)) {
                Thread.sleep(50);
            }
        }
        System.out.printf(Locale.ROOT, "log latency, function prints a line -> livestack receives it%n");
        System.out.printf(Locale.ROOT, "source: %s; %d lines; local-cloud TCP_NODELAY: %s%n", source, samples,
                Boolean.getBoolean("sun.net.httpserver.nodelay") ? "on" : "off (JDK default)");
        for (Receiver r : List.of(live, poll, cdk)) {
            System.out.println(r.summary(samples));
        }
        lambda.close();
    }

    private static boolean createFunction(LambdaClient lambda, String name) {
        try {
            String code = "exports.handler = async (event) => {\n"
                    + "  console.log('BENCH ' + event.seq + ' ' + Date.now());\n"
                    + "  return 'ok';\n};\n";
            lambda.createFunction(b -> b.functionName(name).runtime(Runtime.NODEJS20_X).handler("index.handler")
                    .role("arn:aws:iam::000000000000:role/bench").memorySize(128).timeout(10)
                    .code(c -> c.zipFile(SdkBytes.fromByteArray(zip("index.js", code)))));
            lambda.waiter().waitUntilFunctionActiveV2(b -> b.functionName(name));
            lambda.invoke(b -> b.functionName(name).payload(SdkBytes.fromUtf8String("{\"seq\":-2}")));
            return true;
        } catch (RuntimeException e) {
            System.err.println("note: Lambda unavailable (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); using PutLogEvents");
            return false;
        }
    }

    private static byte[] zip(String name, String content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /** Notes when each BENCH line arrives. */
    static final class Receiver {
        private final String name;
        private final Map<Integer, Long> latencies = new ConcurrentHashMap<>();

        Receiver(String name) {
            this.name = name;
        }

        void line(LogLine line) {
            long now = System.currentTimeMillis();
            Matcher m = BENCH.matcher(line.message());
            if (m.find()) {
                int seq = Integer.parseInt(m.group(1));
                if (seq >= 0) {
                    latencies.putIfAbsent(seq, now - Long.parseLong(m.group(2)));
                }
            }
        }

        int count() {
            return latencies.size();
        }

        String summary(int expected) {
            List<Long> sorted = new ArrayList<>(latencies.values());
            Collections.sort(sorted);
            if (sorted.isEmpty()) {
                return String.format(Locale.ROOT, "  %-44s no lines received", name);
            }
            return String.format(Locale.ROOT, "  %-44s p50 %5d ms   p95 %5d ms   max %5d ms   (%d/%d lines)", name,
                    percentile(sorted, 50), percentile(sorted, 95), sorted.get(sorted.size() - 1), sorted.size(), expected);
        }

        private static long percentile(List<Long> sorted, int p) {
            int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
        }
    }

    /** What cdk watch does: FilterLogEvents every two seconds from the newest event seen. */
    static final class CdkStylePoll implements AutoCloseable {
        private final Thread thread;
        private volatile boolean closed;

        CdkStylePoll(LocalLogs local, String group, Instant since, Consumer<LogLine> sink) {
            thread = new Thread(() -> {
                long start = since.toEpochMilli();
                Set<String> seen = new HashSet<>();
                while (!closed) {
                    try {
                        String token = null;
                        do {
                            String t = token;
                            long s = start;
                            FilterLogEventsResponse r = local.logs.filterLogEvents(
                                    b -> b.logGroupName(group).startTime(s).nextToken(t));
                            for (FilteredLogEvent e : r.events()) {
                                if (seen.add(e.eventId())) {
                                    sink.accept(new LogLine(group, e.logStreamName(), Instant.ofEpochMilli(e.timestamp()),
                                            e.message(), e.eventId(), null));
                                }
                                start = Math.max(start, e.timestamp());
                            }
                            token = r.nextToken();
                        } while (token != null);
                    } catch (ResourceNotFoundException e) {
                        // not created yet
                    }
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "cdk-style-poll");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() {
            closed = true;
            thread.interrupt();
        }
    }
}
