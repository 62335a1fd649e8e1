package dev.livestack.localcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * CloudWatch Logs' data: log groups, their streams and events, shared by the Logs API and by Lambda
 * (which writes function output into it). Events are appended to one JSON-lines file per stream, so
 * a log line costs one small append and survives a restart; a torn last line (a crash mid-write) is
 * skipped on load. Everything is guarded by this object's monitor: the volumes are a developer's.
 */
final class LogsStore {
    private static final Map<CloudContext, LogsStore> BY_CONTEXT = new WeakHashMap<>();
    private static final ObjectMapper JSON = Http.JSON;

    /** Live Tail's session limit (AWS: three hours); tests shorten it. */
    static final long DEFAULT_LIVE_TAIL_LIMIT_MILLIS = 3L * 60 * 60 * 1000;

    private final CloudContext context;
    private final Path root;
    private final Map<String, Group> groups = new TreeMap<>();
    private final List<Consumer<Appended>> listeners = new CopyOnWriteArrayList<>();
    private volatile long liveTailLimitMillis = DEFAULT_LIVE_TAIL_LIMIT_MILLIS;

    /** One event as stored. {@code seq} orders events within a group and makes the event id. */
    record Event(long timestamp, long ingestionTime, String message, long seq) {
    }

    /** Events just appended to one stream, for Live Tail. */
    record Appended(String group, String stream, List<Event> events) {
    }

    static final class Group {
        final String name;
        final long creationTime;
        Integer retentionInDays;
        final Map<String, LogStream> streams = new TreeMap<>();
        long nextSeq;

        Group(String name, long creationTime) {
            this.name = name;
            this.creationTime = creationTime;
        }
    }

    static final class LogStream {
        final String name;
        final long creationTime;
        final List<Event> events = new ArrayList<>();
        long lastIngestionTime;

        LogStream(String name, long creationTime) {
            this.name = name;
            this.creationTime = creationTime;
        }
    }

    private LogsStore(CloudContext context) {
        this.context = context;
        this.root = context.store().folder("logs");
        load();
    }

    /** The one store of a running local-cloud, shared by the Logs and Lambda services. */
    static LogsStore of(CloudContext context) {
        synchronized (BY_CONTEXT) {
            return BY_CONTEXT.computeIfAbsent(context, LogsStore::new);
        }
    }

    /** Forgets every group, stream and event (the test controls' reset). */
    synchronized void reset() {
        for (String name : new java.util.ArrayList<>(groups.keySet())) {
            deleteGroup(name);
        }
    }

    /** Forgets the shared store of a stopped local-cloud. */
    static void release(CloudContext context) {
        synchronized (BY_CONTEXT) {
            BY_CONTEXT.remove(context);
        }
    }

    long liveTailLimitMillis() {
        return liveTailLimitMillis;
    }

    void liveTailLimitMillis(long millis) {
        if (millis <= 0) {
            throw new IllegalArgumentException("liveTailLimitMillis must be positive, was " + millis);
        }
        this.liveTailLimitMillis = millis;
    }

    void addListener(Consumer<Appended> listener) {
        listeners.add(listener);
    }

    void removeListener(Consumer<Appended> listener) {
        listeners.remove(listener);
    }

    String groupArn(String group) {
        return context.arn("logs", "log-group:" + group);
    }

    // ---- groups ------------------------------------------------------------------------------

    synchronized boolean createGroup(String name, Integer retentionInDays) {
        if (groups.containsKey(name)) {
            return false;
        }
        Group g = new Group(name, System.currentTimeMillis());
        g.retentionInDays = retentionInDays;
        groups.put(name, g);
        saveGroup(g);
        return true;
    }

    synchronized boolean deleteGroup(String name) {
        Group g = groups.remove(name);
        if (g == null) {
            return false;
        }
        deleteTree(groupDir(name));
        return true;
    }

    synchronized void retention(String name, Integer days) {
        Group g = groups.get(name);
        if (g != null) {
            g.retentionInDays = days;
            saveGroup(g);
        }
    }

    synchronized boolean hasGroup(String name) {
        return groups.containsKey(name);
    }

    /** A snapshot of the groups, by name. */
    synchronized List<ObjectNode> describeGroups() {
        List<ObjectNode> out = new ArrayList<>();
        for (Group g : groups.values()) {
            ObjectNode n = JSON.createObjectNode();
            n.put("logGroupName", g.name);
            n.put("creationTime", g.creationTime);
            if (g.retentionInDays != null) {
                n.put("retentionInDays", g.retentionInDays);
            }
            n.put("metricFilterCount", 0);
            n.put("arn", groupArn(g.name) + ":*");
            long bytes = 0;
            for (LogStream s : g.streams.values()) {
                for (Event e : s.events) {
                    bytes += e.message.length();
                }
            }
            n.put("storedBytes", bytes);
            n.put("logGroupClass", "STANDARD");
            n.put("logGroupArn", groupArn(g.name));
            out.add(n);
        }
        return out;
    }

    // ---- streams ------------------------------------------------------------------------------

    /** Creates a stream; false when it exists. The group must exist. */
    synchronized boolean createStream(String group, String stream) {
        Group g = groups.get(group);
        if (g.streams.containsKey(stream)) {
            return false;
        }
        LogStream s = new LogStream(stream, System.currentTimeMillis());
        g.streams.put(stream, s);
        ObjectNode meta = JSON.createObjectNode();
        meta.put("logStreamName", stream);
        meta.put("creationTime", s.creationTime);
        context.store().writeJson(streamDir(group).resolve(fileName(stream) + ".meta.json"), meta);
        return true;
    }

    synchronized boolean deleteStream(String group, String stream) {
        Group g = groups.get(group);
        if (g == null || g.streams.remove(stream) == null) {
            return false;
        }
        try {
            Files.deleteIfExists(streamDir(group).resolve(fileName(stream) + ".meta.json"));
            Files.deleteIfExists(streamDir(group).resolve(fileName(stream) + ".jsonl"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return true;
    }

    synchronized boolean hasStream(String group, String stream) {
        Group g = groups.get(group);
        return g != null && g.streams.containsKey(stream);
    }

    synchronized List<ObjectNode> describeStreams(String group) {
        Group g = groups.get(group);
        List<ObjectNode> out = new ArrayList<>();
        for (LogStream s : g.streams.values()) {
            ObjectNode n = JSON.createObjectNode();
            n.put("logStreamName", s.name);
            n.put("creationTime", s.creationTime);
            if (!s.events.isEmpty()) {
                n.put("firstEventTimestamp", s.events.stream().mapToLong(Event::timestamp).min().orElse(0));
                n.put("lastEventTimestamp", s.events.stream().mapToLong(Event::timestamp).max().orElse(0));
                n.put("lastIngestionTime", s.lastIngestionTime);
            }
            n.put("uploadSequenceToken", Long.toString(s.events.size() + 1L));
            n.put("arn", groupArn(group) + ":log-stream:" + s.name);
            n.put("storedBytes", 0);
            out.add(n);
        }
        return out;
    }

    // ---- events -------------------------------------------------------------------------------

    /** A message to append: when it happened (epoch ms) and its text. */
    record Line(long timestamp, String message) {
    }

    /**
     * Appends events to a stream, creating the group and stream when {@code create} is set (what
     * Lambda does on a function's first output). Returns the stored events.
     */
    List<Event> append(String group, String stream, List<Line> lines, boolean create) {
        List<Event> stored = new ArrayList<>(lines.size());
        synchronized (this) {
            Group g = groups.get(group);
            if (g == null) {
                if (!create) {
                    throw new IllegalStateException("no log group " + group);
                }
                createGroup(group, null);
                g = groups.get(group);
            }
            if (!g.streams.containsKey(stream)) {
                if (!create) {
                    throw new IllegalStateException("no log stream " + stream);
                }
                createStream(group, stream);
            }
            LogStream s = g.streams.get(stream);
            long now = System.currentTimeMillis();
            StringBuilder file = new StringBuilder();
            for (Line line : lines) {
                Event e = new Event(line.timestamp(), now, line.message(), g.nextSeq++);
                s.events.add(e);
                stored.add(e);
                ObjectNode n = JSON.createObjectNode();
                n.put("t", e.timestamp);
                n.put("i", e.ingestionTime);
                n.put("s", e.seq);
                n.put("m", e.message);
                file.append(n).append('\n');
            }
            s.lastIngestionTime = now;
            Path path = streamDir(group).resolve(fileName(stream) + ".jsonl");
            try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                out.write(file.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot append to " + path, ex);
            }
        }
        Appended appended = new Appended(group, stream, List.copyOf(stored));
        for (Consumer<Appended> l : listeners) {
            l.accept(appended);
        }
        return stored;
    }

    /** One event with the stream it is in. */
    record Located(String stream, Event event) {
    }

    /** The events of some streams of a group, ordered by time, then by arrival. */
    synchronized List<Located> events(String group, java.util.function.Predicate<String> streamFilter) {
        Group g = groups.get(group);
        List<Located> out = new ArrayList<>();
        for (LogStream s : g.streams.values()) {
            if (streamFilter.test(s.name)) {
                for (Event e : s.events) {
                    out.add(new Located(s.name, e));
                }
            }
        }
        out.sort(Comparator.comparingLong((Located l) -> l.event.timestamp).thenComparingLong(l -> l.event.seq));
        return out;
    }

    /** The events of one stream in stored order. */
    synchronized List<Event> streamEvents(String group, String stream) {
        return new ArrayList<>(groups.get(group).streams.get(stream).events);
    }

    synchronized List<String> streamNames(String group) {
        return new ArrayList<>(groups.get(group).streams.keySet());
    }

    // ---- persistence --------------------------------------------------------------------------

    private static String fileName(String name) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes(StandardCharsets.UTF_8));
    }

    private Path groupDir(String group) {
        return root.resolve(fileName(group));
    }

    private Path streamDir(String group) {
        Path dir = groupDir(group).resolve("streams");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    private void saveGroup(Group g) {
        ObjectNode n = JSON.createObjectNode();
        n.put("logGroupName", g.name);
        n.put("creationTime", g.creationTime);
        if (g.retentionInDays != null) {
            n.put("retentionInDays", g.retentionInDays);
        }
        context.store().writeJson(groupDir(g.name).resolve("group.json"), n);
    }

    private void load() {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                JsonNode gj = context.store().readJson(dir.resolve("group.json"));
                if (gj == null) {
                    continue;
                }
                Group g = new Group(gj.path("logGroupName").asText(), gj.path("creationTime").asLong());
                if (gj.has("retentionInDays")) {
                    g.retentionInDays = gj.get("retentionInDays").asInt();
                }
                groups.put(g.name, g);
                Path streams = dir.resolve("streams");
                if (!Files.isDirectory(streams)) {
                    continue;
                }
                try (DirectoryStream<Path> metas = Files.newDirectoryStream(streams, "*.meta.json")) {
                    for (Path meta : metas) {
                        JsonNode sj = context.store().readJson(meta);
                        LogStream s = new LogStream(sj.path("logStreamName").asText(), sj.path("creationTime").asLong());
                        g.streams.put(s.name, s);
                        String base = meta.getFileName().toString();
                        Path events = streams.resolve(base.substring(0, base.length() - ".meta.json".length()) + ".jsonl");
                        if (Files.exists(events)) {
                            readEvents(events, s, g);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load logs from " + root, e);
        }
    }

    private static void readEvents(Path file, LogStream s, Group g) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (IOException torn) {
                    // a crash mid-append leaves at most one partial line; everything before it is whole
                    continue;
                }
                if (n == null || !n.has("s")) {
                    continue;
                }
                Event e = new Event(n.get("t").asLong(), n.get("i").asLong(), n.get("m").asText(), n.get("s").asLong());
                s.events.add(e);
                s.lastIngestionTime = Math.max(s.lastIngestionTime, e.ingestionTime);
                g.nextSeq = Math.max(g.nextSeq, e.seq + 1);
            }
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
