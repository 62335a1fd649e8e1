package dev.livestack.localcloud;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SQS and event-source-mapping latencies through the SDK v2 (run by {@code bench/sqs.sh}): local-cloud start-up
 * (cold JVM, then a restart over queues full of messages), SendMessage, ReceiveMessage + DeleteMessage, a long poll
 * woken by a send, and an idle mapping's send → handler start. Prints p50 / p95 / max.
 */
public final class SqsBench {
    private SqsBench() {
    }

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int queues = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int perQueue = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Path state = Files.createTempDirectory("sqs-bench");
        long t0 = System.nanoTime();
        LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0));
        System.out.printf(Locale.ROOT, "%-34s %8.1f ms%n", "start-up (cold JVM, empty state)", (System.nanoTime() - t0) / 1e6);
        int port = cloud.endpoint().getPort();
        try (SqsClient sqs = SqsIT.client(cloud.endpoint())) {
            String url = sqs.createQueue(b -> b.queueName("bench")).queueUrl();
            List<Double> send = new ArrayList<>();
            List<Double> receive = new ArrayList<>();
            for (int i = 0; i < samples + 20; i++) {
                long s = System.nanoTime();
                sqs.sendMessage(b -> b.queueUrl(url).messageBody("{\"order\":42}"));
                long r = System.nanoTime();
                Message m = sqs.receiveMessage(b -> b.queueUrl(url)).messages().get(0);
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
                if (i >= 20) {
                    send.add((r - s) / 1e6);
                    receive.add((System.nanoTime() - r) / 1e6);
                }
            }
            report("SendMessage", send);
            report("ReceiveMessage + DeleteMessage", receive);
            List<Double> wake = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                CompletableFuture<Long> waiting = CompletableFuture.supplyAsync(() -> {
                    sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(20));
                    return System.nanoTime();
                });
                Thread.sleep(100);
                long s = System.nanoTime();
                sqs.sendMessage(b -> b.queueUrl(url).messageBody("wake"));
                wake.add((waiting.get(30, TimeUnit.SECONDS) - s) / 1e6);
            }
            report("long poll: send -> receive returns", wake);
            esm(cloud, sqs);
            for (int q = 0; q < queues; q++) {
                String u = sqs.createQueue(b -> b.queueName("full-" + System.nanoTime())).queueUrl();
                for (int i = 0; i < perQueue; i += 10) {
                    int base = i;
                    sqs.sendMessageBatch(b -> b.queueUrl(u).entries(java.util.stream.IntStream.range(0, 10)
                            .mapToObj(k -> software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry.builder()
                                    .id("e" + k).messageBody("message " + (base + k)).build()).toList()));
                }
            }
        }
        cloud.close();
        t0 = System.nanoTime();
        try (LocalCloud again = LocalCloud.start(LocalCloudConfig.defaults(state, port))) {
            System.out.printf(Locale.ROOT, "%-34s %8.1f ms%n", "restart with " + queues + " queues x " + perQueue + " msgs",
                    (System.nanoTime() - t0) / 1e6);
        }
        // the SDK's and runtimes' threads must not keep a finished bench alive
        System.exit(0);
    }

    /**
     * An idle mapping: send → the Python handler's first line (the time it printed), one message every 500 ms, after a
     * first message has started the runtime (a cold start is Lambda's business, not the mapping's).
     */
    private static void esm(LocalCloud cloud, SqsClient sqs) throws Exception {
        try {
            if (new ProcessBuilder("python3", "--version").start().waitFor() != 0) {
                return;
            }
        } catch (java.io.IOException e) {
            return;
        }
        try (LambdaClient lambda = LambdaFixtures.lambda(cloud.endpoint()); CloudWatchLogsClient logs = LambdaFixtures.logs(cloud.endpoint())) {
            LambdaFixtures.create(lambda, "bench-worker", Runtime.PYTHON3_12,
                    "import time\ndef handler(e, c):\n    for r in e['Records']:\n        print('got %s at %d' % (r['body'], int(time.time() * 1000)))\n");
            String url = sqs.createQueue(b -> b.queueName("bench-esm")).queueUrl();
            String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).attributesAsStrings().get("QueueArn");
            lambda.createEventSourceMapping(b -> b.functionName("bench-worker").eventSourceArn(arn).batchSize(1));
            List<Double> started = new ArrayList<>();
            Pattern at = Pattern.compile("got m(\\d+) at (\\d+)");
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("warm"));
            long warmDeadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < warmDeadline && !logged(logs, "got warm")) {
                Thread.sleep(50);
            }
            long[] sent = new long[20];
            for (int i = 0; i < sent.length; i++) {
                int n = i;
                sent[i] = System.currentTimeMillis();
                sqs.sendMessage(b -> b.queueUrl(url).messageBody("m" + n));
                Thread.sleep(500);
            }
            Thread.sleep(1000);
            for (FilteredLogEvent e : logs.filterLogEvents(b -> b.logGroupName("/aws/lambda/bench-worker")).events()) {
                Matcher m = at.matcher(e.message());
                if (m.find() && true) {
                    started.add((double) (Long.parseLong(m.group(2)) - sent[Integer.parseInt(m.group(1))]));
                }
            }
            report("ESM idle: send -> handler start", started);
        }
    }

    private static boolean logged(CloudWatchLogsClient logs, String text) {
        try {
            return logs.filterLogEvents(b -> b.logGroupName("/aws/lambda/bench-worker")).events().stream()
                    .anyMatch(e -> e.message().contains(text));
        } catch (software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException notYet) {
            return false;
        }
    }

    private static void report(String name, List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        if (v.isEmpty()) {
            System.out.printf(Locale.ROOT, "%-34s n=0%n", name);
            return;
        }
        System.out.printf(Locale.ROOT, "%-34s n=%-4d p50 %8.2f ms   p95 %8.2f ms   max %8.2f ms%n", name, v.size(),
                v.get(v.size() / 2), v.get(Math.min(v.size() - 1, (int) Math.ceil(v.size() * 0.95) - 1)), v.get(v.size() - 1));
    }
}
