package dev.livestack.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestack.inlinepackager.InlineCode;
import dev.livestack.inlinepackager.InlinePackager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs each handler, packaged as the template inlines it, alone in a folder (as Lambda and local-cloud see it:
 * {@code index.js} / {@code index.py} and nothing else) with the deployed environment and the sample events, with
 * plain node / python3 and no AWS SDK configured: every invocation succeeds and logs what the pipeline does.
 */
class SampleHandlersIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path APP = Path.of("").toAbsolutePath();

    @TempDir
    Path tmp;

    private final InlinePackager packager = InlinePackager.create();

    @Test
    void ingestAcceptsTheSampleOrderAndSaysWhereItWouldEnqueueIt() throws Exception {
        Run run = invoke("functions/ingest", "nodejs22.x", "events/order.json",
                Map.of("ORDERS_QUEUE_URL", "http://127.0.0.1:4566/000000000000/orders"));
        assertEquals("{\"accepted\":true,\"orderId\":\"o-1001\",\"total\":28.25,\"version\":\"ingest-v1\"}", run.result);
        assertTrue(run.log.contains("ingest: accepted order o-1001 from ada@example.com: 2 item(s), total 28.25"), run.log);
        assertTrue(run.log.contains("ingest: would enqueue order o-1001 on http://127.0.0.1:4566/000000000000/orders"
                + " (no AWS SDK for JavaScript in this runtime)"), run.log);
    }

    @Test
    void ingestRejectsTheInvalidOrderWithEveryReason() throws Exception {
        Run run = invoke("functions/ingest", "nodejs22.x", "events/order-invalid.json", Map.of());
        JsonNode result = JSON.readTree(run.result);
        assertEquals(false, result.path("accepted").asBoolean());
        assertEquals(List.of("$.orderId must match ^o-[0-9a-z]{3,32}$", "$.customer must have at least 1 character(s)",
                "$.items[0].quantity must be >= 1", "$.coupon is not allowed"),
                JSON.convertValue(result.path("errors"), List.class));
        assertTrue(run.log.contains("ingest: rejected order 1002: "), run.log);
    }

    @Test
    void workerStoresTheGoodMessageAndReportsTheBadOne() throws Exception {
        Run run = invoke("functions/worker", "python3.12", "events/sqs-orders.json", Map.of());
        JsonNode result = JSON.readTree(run.result);
        assertEquals("[{\"itemIdentifier\":\"7b1c2e4a-0000-4000-8000-000000000002\"}]",
                result.path("batchItemFailures").toString());
        assertEquals("[\"o-1003\"]", result.path("stored").toString());
        assertEquals("worker-v1", result.path("version").asText());
        assertTrue(run.log.contains("worker: would store order o-1003 (total 12.00)"), run.log);
        assertTrue(run.log.contains("worker: message 7b1c2e4a-0000-4000-8000-000000000002 rejected: "
                + "$.items must have at least 1 item(s)"), run.log);
        assertTrue(run.log.contains("worker: batch of 2: 1 stored, 1 failed"), run.log);
    }

    @Test
    void reaperSaysWhatItWouldReplay() throws Exception {
        Run run = invoke("functions/reaper", "nodejs22.x", "events/scheduled.json",
                Map.of("ORDERS_DLQ_URL", "http://q/dlq", "ORDERS_QUEUE_URL", "http://q/orders"));
        assertEquals("{\"replayed\":0,\"parked\":0,\"dryRun\":true,\"version\":\"reaper-v1\"}", run.result);
        assertTrue(run.log.contains("reaper: woke up (Scheduled Event at 2026-01-01T00:05:00Z)"), run.log);
        assertTrue(run.log.contains("reaper: would replay up to 10 message(s) from http://q/dlq to http://q/orders"), run.log);
    }

    private record Run(String result, String log) {
    }

    /** Packs the function, writes index.* alone into a task folder and calls its handler with the event. */
    private Run invoke(String source, String runtime, String event, Map<String, String> extraEnv) throws Exception {
        InlineCode code = packager.pack(APP.resolve(source), runtime);
        Path task = Files.createTempDirectory(tmp, "task");
        Files.writeString(task.resolve(code.fileName()), code.source());
        Path eventFile = APP.resolve(event);
        List<String> command = new ArrayList<>();
        if (code.fileName().equals("index.js")) {
            command.addAll(List.of("node", "-e", "const e = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));"
                    + "require('./index.js').handler(e).then(r => console.log('RESULT ' + JSON.stringify(r)))", eventFile.toString()));
        } else {
            command.addAll(List.of("python3", "-c", "import json, sys, index\n"
                    + "r = index.handler(json.load(open(sys.argv[1])), None)\n"
                    + "print('RESULT ' + json.dumps(r, separators=(',', ':')))", eventFile.toString()));
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(task.toFile()).redirectErrorStream(true);
        // Only what a deployed function gets, so nothing leaks from the test machine (e.g. a table name).
        pb.environment().keySet().retainAll(List.of("PATH", "HOME", "PYENV_ROOT"));
        pb.environment().put(OrderSchema.VARIABLE, JSON.readTree(APP.resolve(OrderSchema.FILE).toFile()).toString());
        pb.environment().putAll(extraEnv);
        Process process = pb.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "handler finished");
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), out);
        int at = out.lastIndexOf("RESULT ");
        assertTrue(at >= 0, out);
        return new Run(out.substring(at + "RESULT ".length()).strip(), out.substring(0, at));
    }
}
