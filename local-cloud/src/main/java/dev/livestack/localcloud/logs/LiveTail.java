package dev.livestack.localcloud.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.AwsRequest;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.JsonService;
import dev.livestack.localcloud.core.LogsEventStream;
import dev.livestack.localcloud.core.ValidationErrors;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * CloudWatch Logs Live Tail sessions: an event stream per StartLiveTail call that sends the events appended to the
 * chosen groups, batched as AWS batches them, with a heartbeat update every second, until the caller leaves or the
 * session limit passes.
 */
final class LiveTail {
    /** How long Live Tail gathers events that arrive together into one sessionUpdate. */
    private static final long LIVE_TAIL_BATCH_MILLIS = 10;
    /** AWS sends a sessionUpdate every second, empty when nothing arrived. */
    private static final long LIVE_TAIL_HEARTBEAT_MILLIS = 1000;

    private final LogsStore store;
    private final String account;
    private final Set<Thread> liveTails = ConcurrentHashMap.newKeySet();

    LiveTail(LogsStore store, String account) {
        this.store = store;
        this.account = account;
    }

    /** Ends every open session (local-cloud is stopping). */
    void close() {
        for (Thread t : liveTails) {
            t.interrupt();
        }
    }

    /** Answers StartLiveTail: validates, then streams sessionStart and sessionUpdate events until the caller leaves. */
    void start(AwsRequest request, JsonNode in) throws IOException {
        JsonNode ids = in.get("logGroupIdentifiers");
        if (ids == null || !ids.isArray() || ids.isEmpty()) {
            throw new AwsException(400, "ValidationException",
                    ValidationErrors.missing("logGroupIdentifiers"));
        }
        if (ids.size() > 10) {
            throw LogsService.invalidParameter("A maximum of 10 log groups can be specified in a Live Tail session.");
        }
        Map<String, String> groups = new java.util.LinkedHashMap<>();
        for (JsonNode id : ids) {
            String group = LogsService.groupFromIdentifier(id.asText());
            if (!store.hasGroup(group)) {
                throw LogsService.groupNotFound();
            }
            groups.put(group, id.asText());
        }
        Set<String> names = strings(in.get("logStreamNames"));
        Set<String> prefixes = strings(in.get("logStreamNamePrefixes"));
        if (!names.isEmpty() && !prefixes.isEmpty()) {
            throw LogsService.invalidParameter("logStreamNames and logStreamNamePrefixes are mutually exclusive parameters.");
        }
        if ((!names.isEmpty() || !prefixes.isEmpty()) && groups.size() > 1) {
            throw LogsService.invalidParameter("Log stream filters can only be specified with a single log group.");
        }
        String patternText = JsonService.text(in, "logEventFilterPattern");
        LogsFilterPattern pattern = LogsFilterPattern.compile(patternText);
        Predicate<String> streamFilter = s -> (names.isEmpty() || names.contains(s))
                && (prefixes.isEmpty() || prefixes.stream().anyMatch(s::startsWith));

        LinkedBlockingQueue<LogsStore.Appended> queue = new LinkedBlockingQueue<>();
        Consumer<LogsStore.Appended> listener = a -> {
            if (groups.containsKey(a.group()) && streamFilter.test(a.stream())) {
                queue.add(a);
            }
        };
        store.addListener(listener);
        liveTails.add(Thread.currentThread());
        long deadline = System.currentTimeMillis() + store.liveTailLimitMillis();
        var exchange = request.exchange();
        try {
            exchange.getResponseHeaders().set("Content-Type", "application/vnd.amazon.eventstream");
            exchange.getResponseHeaders().set("x-amzn-RequestId", request.requestId());
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(LogsEventStream.event("initial-response", "{}".getBytes(StandardCharsets.UTF_8)));
            ObjectNode start = Http.JSON.createObjectNode();
            start.put("requestId", request.requestId());
            start.put("sessionId", UUID.randomUUID().toString());
            ArrayNode gids = start.putArray("logGroupIdentifiers");
            groups.values().forEach(gids::add);
            if (!names.isEmpty()) {
                ArrayNode a = start.putArray("logStreamNames");
                names.forEach(a::add);
            }
            if (!prefixes.isEmpty()) {
                ArrayNode a = start.putArray("logStreamNamePrefixes");
                prefixes.forEach(a::add);
            }
            start.put("logEventFilterPattern", patternText == null ? "" : patternText);
            out.write(LogsEventStream.event("sessionStart", Http.JSON.writeValueAsBytes(start)));
            out.flush();
            long nextHeartbeat = System.currentTimeMillis() + LIVE_TAIL_HEARTBEAT_MILLIS;
            while (true) {
                long now = System.currentTimeMillis();
                if (now >= deadline) {
                    ObjectNode msg = Http.JSON.createObjectNode();
                    msg.put("message", "Live Tail session has timed out after "
                            + (store.liveTailLimitMillis() / 1000) + " seconds.");
                    out.write(LogsEventStream.exception("SessionTimeoutException", Http.JSON.writeValueAsBytes(msg)));
                    out.flush();
                    break;
                }
                LogsStore.Appended first = queue.poll(Math.max(1, Math.min(deadline, nextHeartbeat) - now), TimeUnit.MILLISECONDS);
                List<LogsStore.Appended> batch = new ArrayList<>();
                if (first != null) {
                    batch.add(first);
                    Thread.sleep(LIVE_TAIL_BATCH_MILLIS);
                    queue.drainTo(batch);
                } else if (System.currentTimeMillis() < nextHeartbeat) {
                    continue;
                }
                ObjectNode update = Http.JSON.createObjectNode();
                update.putObject("sessionMetadata").put("sampled", false);
                ArrayNode results = update.putArray("sessionResults");
                for (LogsStore.Appended a : batch) {
                    for (LogsStore.Event e : a.events()) {
                        if (results.size() < 500 && pattern.matches(e.message())) {
                            ObjectNode r = results.addObject();
                            r.put("logStreamName", a.stream());
                            r.put("logGroupIdentifier", account + ":" + a.group());
                            r.put("message", e.message());
                            r.put("timestamp", e.timestamp());
                            r.put("ingestionTime", e.ingestionTime());
                        }
                    }
                }
                ((ObjectNode) update.get("sessionMetadata")).put("sampled", results.size() >= 500);
                if (first != null && results.isEmpty()) {
                    continue;
                }
                out.write(LogsEventStream.event("sessionUpdate", Http.JSON.writeValueAsBytes(update)));
                out.flush();
                nextHeartbeat = System.currentTimeMillis() + LIVE_TAIL_HEARTBEAT_MILLIS;
            }
            out.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientWentAway) {
            // the caller closed the stream: that is how a Live Tail session normally ends
        } finally {
            store.removeListener(listener);
            liveTails.remove(Thread.currentThread());
        }
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new java.util.LinkedHashSet<>();
        if (array != null && array.isArray()) {
            for (JsonNode n : array) {
                out.add(n.asText());
            }
        }
        return out;
    }
}
