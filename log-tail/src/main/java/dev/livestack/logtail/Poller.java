package dev.livestack.logtail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * Follows log groups with FilterLogEvents: each round asks every group for events from a little before the
 * newest one seen (late ingestion), follows every page, drops event ids already delivered, and delivers the
 * round's new events interleaved in time order.
 */
final class Poller implements Runnable {
    private final Follow follow;
    private final List<String> groups;
    private final Map<String, Long> startMs;
    private final Emitter.Source source;
    private final Map<String, Long> newest = new HashMap<>();
    /** Event ids delivered, by timestamp, so old ones can be forgotten once no query reaches them. */
    private final Map<String, TreeMap<Long, Set<String>>> delivered = new HashMap<>();
    /** Groups that do not exist yet: when to look again, and the current pause between looks. */
    private final Map<String, long[]> missing = new HashMap<>();
    private final Object part;

    /**
     * @param startMs where each group starts (epoch ms)
     * @param part the partition this poller reports caught up for
     */
    Poller(Follow follow, List<String> groups, Map<String, Long> startMs, String name, Object part) {
        this.part = part;
        this.follow = follow;
        this.groups = List.copyOf(groups);
        this.startMs = new HashMap<>(startMs);
        this.source = new Emitter.Source(name);
    }

    @Override
    public void run() {
        long firstStart = startMs.values().stream().mapToLong(Long::longValue).min().orElse(follow.startMs);
        follow.holdFloor(this, firstStart);
        long base = follow.options.pollInterval().toMillis();
        long max = Math.max(base, follow.options.maxBackoff().toMillis());
        // FilterLogEvents allows a few calls a second per account on AWS. After throttling the interval
        // doubles, then eases back by a tenth per clean round, so a steady poller settles under the limit
        // instead of bouncing off it.
        long interval = base;
        boolean first = true;
        while (!follow.closed()) {
            long wait = interval;
            boolean clean = true;
            List<LogLine> round = new ArrayList<>();
            long now = System.currentTimeMillis();
            for (String group : groups) {
                if (missing.containsKey(group) && now < missing.get(group)[0]) {
                    continue;
                }
                try {
                    round.addAll(poll(group));
                    if (missing.remove(group) != null) {
                        follow.status(new TailEvent.LogGroupFound(group));
                    }
                } catch (ResourceNotFoundException e) {
                    long[] next = missing.get(group);
                    if (next == null) {
                        next = new long[] {0, follow.options.missingGroupRetry().toMillis()};
                        missing.put(group, next);
                        follow.status(new TailEvent.WaitingForLogGroup(group));
                    } else {
                        next[1] = Math.min(Math.max(1000, follow.options.missingGroupRetry().toMillis()), next[1] * 5 / 4);
                    }
                    next[0] = now + next[1];
                } catch (RuntimeException e) {
                    if (follow.closed()) {
                        return;
                    }
                    clean = false;
                    if (EventFetcher.retryable(e)) {
                        interval = Math.min(max, interval * 2);
                        wait = interval / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(interval / 2 + 1);
                    } else {
                        // Not worth a fast retry (access denied, a bad filter): keep trying slowly.
                        wait = max;
                    }
                    follow.status(new TailEvent.BackingOff("FilterLogEvents", Duration.ofMillis(wait),
                            EventFetcher.describe(e)));
                    break;
                }
            }
            round.sort(EventFetcher.TIME_ORDER);
            for (LogLine line : round) {
                follow.emitter.offer(source, line);
            }
            if (clean) {
                interval = Math.max(base, interval * 9 / 10);
                if (first) {
                    first = false;
                    // The first round covered the start of the window: overlap with earlier sources is over.
                    follow.releaseFloor(this);
                    follow.partCaughtUp(part);
                }
            }
            if (!follow.pause(Duration.ofMillis(wait))) {
                return;
            }
        }
    }

    private List<LogLine> poll(String group) {
        long start = startMs.getOrDefault(group, follow.startMs);
        Long seen = newest.get(group);
        if (seen != null) {
            // One event stamped in the future (PutLogEvents takes up to two hours ahead) must not move the
            // window past every event written now: the window never starts after our own clock.
            long cursor = Math.min(seen, System.currentTimeMillis());
            start = Math.max(start, cursor - follow.options.pollLookback().toMillis());
        }
        List<LogLine> fresh = new ArrayList<>();
        TreeMap<Long, Set<String>> ids = delivered.computeIfAbsent(group, g -> new TreeMap<>());
        for (LogLine line : follow.fetcher.fetch(group, start, null, follow.filterPattern)) {
            long ts = line.timestamp().toEpochMilli();
            String id = line.eventId() != null ? line.eventId()
                    : line.logStream() + '\u0000' + ts + '\u0000' + line.message();
            if (ids.computeIfAbsent(ts, t -> new HashSet<>()).add(id)) {
                fresh.add(line);
            }
            newest.merge(group, ts, Math::max);
        }
        Long top = newest.get(group);
        if (top != null) {
            // Ids older than the next query's start cannot come back.
            long cursor = Math.min(top, System.currentTimeMillis());
            ids.headMap(cursor - follow.options.pollLookback().toMillis() - 1000).clear();
        }
        return fresh;
    }
}
