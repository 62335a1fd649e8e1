package dev.livestack.localcloud.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.StateStore;
import dev.livestack.localcloud.core.ports.LogSink.Line;
import dev.livestack.localcloud.core.ports.LogSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * CloudWatch Logs' data: log groups, their streams and events, shared by the Logs API and by Lambda
 * (which writes function output into it). Events are appended to one JSON-lines file per stream, so
 * a log line costs one small append and survives a restart of the process; a torn last line (a crash
 * mid-write) is skipped on load, and the next append starts on a fresh line so it is not glued to it.
 * Files are named by a hash of the group's or stream's name (names go up to 512 characters, more than a
 * file name holds once encoded); the name itself is kept inside. Everything is guarded by this object's
 * monitor: the volumes are a developer's.
 */
public final class LogsStore implements LogSink {
    private static final ObjectMapper JSON = Http.JSON;

    /** Live Tail's session limit (AWS: three hours); tests shorten it. */
    static final long DEFAULT_LIVE_TAIL_LIMIT_MILLIS = 3L * 60 * 60 * 1000;

    private final StateStore store;
    private final String region;
    private final String account;
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
        /** The group's folder: named by hash, or by base64 for groups an older local-cloud stored. */
        Path dir;

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
        /** The stream's files' common name ({@code <base>.meta.json}, {@code <base>.jsonl}). */
        String base;
        /** Whether this process knows the events file ends with a whole line. */
        boolean tailWhole;

        LogStream(String name, long creationTime) {
            this.name = name;
            this.creationTime = creationTime;
        }
    }

    /** The one store of a running local-cloud, shared by the Logs service and (as its log sink) Lambda. */
    public LogsStore(StateStore store, String region, String account) {
        this.store = store;
        this.region = region;
        this.account = account;
        this.root = store.folder("logs");
        load();
    }

    /** Forgets every group, stream and event (the test controls' reset). */
    synchronized void reset() {
        for (String name : new java.util.ArrayList<>(groups.keySet())) {
            deleteGroup(name);
        }
    }

    @Override
    public long liveTailLimitMillis() {
        return liveTailLimitMillis;
    }

    @Override
    public void liveTailLimitMillis(long millis) {
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
        return "arn:aws:logs:" + region + ":" + account + ":log-group:" + group;
    }

    // ---- groups ------------------------------------------------------------------------------

    synchronized boolean createGroup(String name, Integer retentionInDays) {
        if (groups.containsKey(name)) {
            return false;
        }
        Group g = new Group(name, System.currentTimeMillis());
        g.retentionInDays = retentionInDays;
        g.dir = root.resolve("g-" + StateStore.sha256(name));
        saveGroup(g);
        groups.put(name, g);
        return true;
    }

    synchronized boolean deleteGroup(String name) {
        Group g = groups.remove(name);
        if (g == null) {
            return false;
        }
        deleteTree(g.dir);
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
            n.put("deletionProtectionEnabled", false);
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
        s.base = "s-" + StateStore.sha256(stream);
        ObjectNode meta = JSON.createObjectNode();
        meta.put("logStreamName", stream);
        meta.put("creationTime", s.creationTime);
        store.writeJson(streamDir(g).resolve(s.base + ".meta.json"), meta);
        g.streams.put(stream, s);
        return true;
    }

    synchronized boolean deleteStream(String group, String stream) {
        Group g = groups.get(group);
        LogStream s = g == null ? null : g.streams.remove(stream);
        if (s == null) {
            return false;
        }
        try {
            Files.deleteIfExists(streamDir(g).resolve(s.base + ".meta.json"));
            Files.deleteIfExists(streamDir(g).resolve(s.base + ".jsonl"));
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
            n.put("arn", groupArn(group) + ":log-stream:" + s.name);
            n.put("storedBytes", 0);
            out.add(n);
        }
        return out;
    }

    // ---- events -------------------------------------------------------------------------------

    @Override
    public void write(String group, String stream, List<Line> lines, boolean create) {
        append(group, stream, lines, create);
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
                stored.add(e);
                ObjectNode n = JSON.createObjectNode();
                n.put("t", e.timestamp);
                n.put("i", e.ingestionTime);
                n.put("s", e.seq);
                n.put("m", e.message);
                file.append(n).append('\n');
            }
            Path path = streamDir(g).resolve(s.base + ".jsonl");
            try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ)) {
                out.position(out.size());
                if (!s.tailWhole && !endsWithNewline(out)) {
                    // a crash tore the last line: start on a new one, or the first event would be glued to it
                    file.insert(0, '\n');
                }
                s.tailWhole = false;
                ByteBuffer bytes = ByteBuffer.wrap(file.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                s.tailWhole = true;
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot append to " + path, ex);
            }
            // only what is on disk is served: a failed append is an error for the caller, not an event kept in memory
            s.events.addAll(stored);
            s.lastIngestionTime = now;
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

    private static boolean endsWithNewline(FileChannel file) throws IOException {
        long size = file.size();
        if (size == 0) {
            return true;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        file.read(last, size - 1);
        return last.get(0) == '\n';
    }

    private static Path streamDir(Group g) {
        Path dir = g.dir.resolve("streams");
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
        store.writeJson(g.dir.resolve("group.json"), n);
    }

    private void load() {
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(root, Files::isDirectory)) {
            found.forEach(dirs::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load logs from " + root, e);
        }
        try {
            for (Path dir : dirs) {
                // an unreadable group.json takes its whole folder aside: its streams belong to no known group
                JsonNode gj = store.readJson(dir.resolve("group.json"), dir);
                if (gj == null) {
                    continue;
                }
                if (!gj.path("logGroupName").isTextual()) {
                    store.quarantine(dir, new IOException("group.json names no log group"));
                    continue;
                }
                Group g = new Group(gj.path("logGroupName").asText(), gj.path("creationTime").asLong());
                if (gj.has("retentionInDays")) {
                    g.retentionInDays = gj.get("retentionInDays").asInt();
                }
                g.dir = dir;
                groups.put(g.name, g);
                Path streams = dir.resolve("streams");
                if (!Files.isDirectory(streams)) {
                    continue;
                }
                List<Path> metas = new ArrayList<>();
                try (DirectoryStream<Path> found = Files.newDirectoryStream(streams, "*.meta.json")) {
                    found.forEach(metas::add);
                }
                for (Path meta : metas) {
                    String name = meta.getFileName().toString();
                    String base = name.substring(0, name.length() - ".meta.json".length());
                    Path events = streams.resolve(base + ".jsonl");
                    JsonNode sj = store.readJson(meta);
                    if (sj != null && !sj.path("logStreamName").isTextual()) {
                        store.quarantine(meta, new IOException(name + " names no log stream"));
                        sj = null;
                    }
                    if (sj == null) {
                        if (Files.exists(events)) {
                            store.quarantine(events, new IOException("its stream's " + name + " is unreadable"));
                        }
                        continue;
                    }
                    LogStream s = new LogStream(sj.path("logStreamName").asText(), sj.path("creationTime").asLong());
                    s.base = base;
                    if (Files.exists(events)) {
                        try {
                            readEvents(events, s, g);
                        } catch (IOException unreadable) {
                            store.quarantine(events, unreadable);
                            s.events.clear();
                        }
                    }
                    g.streams.put(s.name, s);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load logs from " + root, e);
        }
    }

    private static void readEvents(Path file, LogStream s, Group g) throws IOException {
        // decoded leniently: a torn multi-byte character must not cost the lines after it
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException torn) {
                // a crash mid-append leaves a partial line; the lines after it are whole
                continue;
            }
            if (n == null || !n.has("s") || !n.has("m")) {
                continue;
            }
            Event e = new Event(n.path("t").asLong(), n.path("i").asLong(), n.get("m").asText(), n.get("s").asLong());
            s.events.add(e);
            s.lastIngestionTime = Math.max(s.lastIngestionTime, e.ingestionTime);
            g.nextSeq = Math.max(g.nextSeq, e.seq + 1);
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
