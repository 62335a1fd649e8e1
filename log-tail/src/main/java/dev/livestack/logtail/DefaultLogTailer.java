package dev.livestack.logtail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

final class DefaultLogTailer implements LogTailer {
    /** Attempts of one FilterLogEvents in {@link #window} before its failure is the caller's. */
    private static final int WINDOW_ATTEMPTS = 8;

    private final CloudWatchLogsClient logs;
    private final CloudWatchLogsAsyncClient liveTail;
    private final LogTailOptions options;
    private final EventFetcher fetcher;
    private final Set<Follow> follows = ConcurrentHashMap.newKeySet();

    DefaultLogTailer(CloudWatchLogsClient logs, CloudWatchLogsAsyncClient liveTail, LogTailOptions options) {
        this.logs = Objects.requireNonNull(logs, "logs");
        this.liveTail = liveTail;
        this.options = Objects.requireNonNull(options, "options");
        this.fetcher = new EventFetcher(logs);
    }

    LogTailOptions options() {
        return options;
    }

    EventFetcher fetcher() {
        return fetcher;
    }

    @Override
    public List<LogLine> window(List<String> logGroups, Instant since, String filterPattern) {
        List<String> groups = distinct(logGroups);
        Long start = since == null ? null : since.toEpochMilli();
        long end = Instant.now().toEpochMilli();
        List<LogLine> all = new ArrayList<>();
        for (String group : groups) {
            all.addAll(fetchWithRetry(group, start, end, filterPattern));
        }
        all.sort(EventFetcher.TIME_ORDER);
        Set<String> ids = new HashSet<>();
        List<LogLine> unique = new ArrayList<>(all.size());
        for (LogLine line : all) {
            if (line.eventId() == null || ids.add(line.logGroup() + '\u0000' + line.eventId())) {
                unique.add(line);
            }
        }
        return unique;
    }

    private List<LogLine> fetchWithRetry(String group, Long start, long end, String filter) {
        Backoff backoff = new Backoff(Duration.ofMillis(200), options.maxBackoff());
        for (int attempt = 1; ; attempt++) {
            try {
                return fetcher.fetch(group, start, end, filter);
            } catch (ResourceNotFoundException e) {
                return List.of();
            } catch (RuntimeException e) {
                if (!EventFetcher.retryable(e) || attempt >= WINDOW_ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(backoff.next().toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    @Override
    public Subscription follow(List<String> logGroups, Instant since, String filterPattern, Consumer<LogLine> sink,
                               Consumer<TailEvent> status) {
        Objects.requireNonNull(sink, "sink");
        Consumer<TailEvent> statusSink = status == null ? e -> { } : status;
        List<String> groups = distinct(logGroups);
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("logGroups must name at least one log group");
        }
        List<List<String>> partitions = new ArrayList<>();
        if (liveTail == null) {
            partitions.add(groups);
        } else {
            for (int i = 0; i < groups.size(); i += options.groupsPerSession()) {
                partitions.add(groups.subList(i, Math.min(groups.size(), i + options.groupsPerSession())));
            }
        }
        Follow follow = new Follow(this, partitions.size(), since, filterPattern, sink, statusSink);
        follows.add(follow);
        if (liveTail == null) {
            follow.status(new TailEvent.PollingStarted(groups, "live tail not configured"));
            Map<String, Long> starts = new java.util.HashMap<>();
            groups.forEach(g -> starts.put(g, follow.startMs));
            Object part = new Object();
            follow.start("poll", new Poller(follow, groups, starts, "poll", part), part, null);
        } else {
            int n = 0;
            for (List<String> part : partitions) {
                String name = "live" + (++n);
                LivePartition p = new LivePartition(follow, liveTail, part, name);
                follow.start(name, p, p, p);
            }
        }
        return follow;
    }

    void forget(Follow follow) {
        follows.remove(follow);
    }

    @Override
    public void close() {
        for (Follow f : List.copyOf(follows)) {
            f.close();
        }
    }

    private static List<String> distinct(List<String> logGroups) {
        Objects.requireNonNull(logGroups, "logGroups");
        Set<String> set = new LinkedHashSet<>();
        for (String g : logGroups) {
            if (g == null || g.isBlank()) {
                throw new IllegalArgumentException("logGroups must not contain blank names");
            }
            set.add(g);
        }
        return List.copyOf(set);
    }
}
