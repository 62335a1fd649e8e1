package dev.livestack.logtail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Subscriber;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LiveTailSessionLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.LiveTailSessionUpdate;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatchlogs.model.SessionTimeoutException;
import software.amazon.awssdk.services.cloudwatchlogs.model.StartLiveTailRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.StartLiveTailResponseHandler;
import software.amazon.awssdk.services.cloudwatchlogs.model.StartLiveTailResponseStream;

/**
 * Up to ten log groups followed through one live-tail session at a time.
 *
 * <p>Each session runs through the same steps: find which groups exist (live tail takes ARNs and refuses
 * missing groups), start the session and hold its events in a buffer, fill the window before it with
 * FilterLogEvents (the {@code since} window at first, the gap since the previous session after a renewal),
 * deliver that, then the buffer, then pass live events straight through. The emitter drops what two of these
 * sources both saw, and the buffer keeps each stream in order. A session ends on timeout, a dropped stream or
 * a missing group appearing; the next one starts at once. When StartLiveTail itself is refused (an endpoint
 * without live tail), the partition falls back to polling for good.
 */
final class LivePartition implements Runnable, AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    /** Consecutive failed starts (throttling, 5xx, dropped connections) before polling takes over. */
    private static final int MAX_START_FAILURES = 5;
    private static final AtomicInteger SESSIONS = new AtomicInteger();

    private final Follow follow;
    private final CloudWatchLogsAsyncClient client;
    private final List<String> groups;
    private final String name;
    /** Group name to the identifier live tail was given. */
    private final Map<String, String> identifiers = new LinkedHashMap<>();
    private final Set<String> waiting = new LinkedHashSet<>();
    /** Where each group's next backfill starts (epoch ms). */
    private final Map<String, Long> fillFrom = new HashMap<>();
    private volatile Session current;
    private volatile boolean closed;

    LivePartition(Follow follow, CloudWatchLogsAsyncClient client, List<String> groups, String name) {
        this.follow = follow;
        this.client = client;
        this.groups = List.copyOf(groups);
        this.name = name;
        for (String g : groups) {
            fillFrom.put(g, follow.startMs);
        }
    }

    @Override
    public void run() {
        Backoff backoff = new Backoff(follow.options.pollInterval(), follow.options.maxBackoff());
        int startFailures = 0;
        String renewReason = null;
        long idleLookup = follow.options.missingGroupRetry().toMillis();
        while (!follow.closed() && !closed) {
            try {
                discover();
            } catch (RuntimeException e) {
                if (!retryAfter(backoff, "DescribeLogGroups", e)) {
                    return;
                }
                continue;
            }
            if (identifiers.isEmpty()) {
                follow.partCaughtUp(this);
                if (!follow.pause(Duration.ofMillis(idleLookup))) {
                    return;
                }
                // As in awaitEnd: fewer DescribeLogGroups calls while nothing appears, at least one a second.
                idleLookup = Math.min(Math.max(1000, follow.options.missingGroupRetry().toMillis()), idleLookup * 5 / 4);
                continue;
            }
            idleLookup = follow.options.missingGroupRetry().toMillis();
            Session session = new Session(List.copyOf(identifiers.keySet()));
            try {
                session.start();
            } catch (Exception e) {
                session.close();
                Throwable cause = EventFetcher.unwrap(e);
                if (cause instanceof ResourceNotFoundException) {
                    // A group went away between DescribeLogGroups and the start: look again.
                    identifiers.clear();
                    continue;
                }
                if (cause instanceof InterruptedException || follow.closed()) {
                    return;
                }
                boolean transientFailure = EventFetcher.retryable(cause) || cause instanceof TimeoutException;
                if (!transientFailure || ++startFailures >= MAX_START_FAILURES) {
                    fallBackToPolling("live tail unavailable: " + EventFetcher.describe(cause));
                    return;
                }
                if (!retryAfter(backoff, "StartLiveTail", cause)) {
                    return;
                }
                continue;
            }
            startFailures = 0;
            current = session;
            follow.status(renewReason == null ? new TailEvent.LiveTailStarted(session.groups)
                    : new TailEvent.LiveTailRenewed(session.groups, renewReason));
            try {
                backfill(session);
            } catch (RuntimeException e) {
                session.close();
                if (!retryAfter(backoff, "FilterLogEvents", e)) {
                    return;
                }
                renewReason = "backfill failed: " + EventFetcher.describe(e);
                continue;
            }
            session.goLive();
            follow.partCaughtUp(this);
            renewReason = awaitEnd(session);
            long endedAt = System.currentTimeMillis();
            if (endedAt - session.startedAt >= 1000) {
                backoff.reset();
            }
            session.close();
            if (renewReason == null) {
                return;
            }
            for (String g : session.groups) {
                fillFrom.put(g, gapStart(g, endedAt));
            }
            if (session.sampled()) {
                // Live tail drops lines above 500 a second; FilterLogEvents drops none. The poller starts far
                // enough back to pick up what the sampled updates left out.
                fallBackToPolling("live tail is sampling (over 500 lines a second): polling instead, which drops nothing");
                return;
            }
            // A session that fails, or ends within a second of starting, must not become a tight loop of starts.
            boolean quick = endedAt - session.startedAt < 1000 && renewReason.startsWith("session ended");
            if (session.failed() || quick) {
                if (!follow.pause(backoff.next())) {
                    return;
                }
            }
        }
    }

    /**
     * Where the next session (or poller) starts filling a group after this one ended. Normally a little before
     * the end, for events ingested late with an earlier timestamp. But that end is read on this machine's
     * clock and event times on CloudWatch's: never start later than just after the newest event delivered,
     * so a clock running ahead of CloudWatch's cannot open a gap. A group with nothing delivered yet keeps
     * its start: nothing it returns can be a repeat.
     */
    private long gapStart(String group, long endedAt) {
        Long newest = follow.emitter.newestDelivered(group);
        if (newest == null) {
            return fillFrom.get(group);
        }
        long start = Math.min(endedAt - follow.options.renewalOverlap().toMillis(), newest + 1);
        return Math.max(fillFrom.get(group), start);
    }

    /** Looks up the groups that have no identifier yet. */
    private void discover() {
        List<String> unknown = groups.stream().filter(g -> !identifiers.containsKey(g)).toList();
        if (unknown.isEmpty()) {
            return;
        }
        Map<String, String> found = follow.fetcher.arnsOf(unknown);
        for (String g : unknown) {
            String id = found.get(g);
            if (id == null) {
                if (waiting.add(g)) {
                    follow.status(new TailEvent.WaitingForLogGroup(g));
                }
            } else {
                identifiers.put(g, id);
                if (waiting.remove(g)) {
                    follow.status(new TailEvent.LogGroupFound(g));
                }
            }
        }
    }

    /** Waits for the session to end or a waited-for group to appear; {@code null} when the follow was closed. */
    private String awaitEnd(Session session) {
        long nextLookup = follow.options.missingGroupRetry().toMillis();
        while (!follow.closed() && !closed) {
            try {
                session.done.get(nextLookup, TimeUnit.MILLISECONDS);
                return session.sampled() ? "live tail is sampling" : "session ended";
            } catch (TimeoutException e) {
                if (!waiting.isEmpty()) {
                    int before = identifiers.size();
                    try {
                        discover();
                    } catch (RuntimeException ignored) {
                        // looked for again on the next tick
                    }
                    if (identifiers.size() > before) {
                        return "log group appeared";
                    }
                    // DescribeLogGroups allows a few calls a second per account on AWS: look less often while
                    // nothing appears, but never less than once a second.
                    nextLookup = Math.min(Math.max(1000, follow.options.missingGroupRetry().toMillis()),
                            nextLookup * 5 / 4);
                }
            } catch (ExecutionException e) {
                Throwable cause = EventFetcher.unwrap(e);
                if (cause instanceof SessionTimeoutException) {
                    return "session timed out";
                }
                session.markFailed();
                return "stream ended: " + EventFetcher.describe(cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (java.util.concurrent.CancellationException e) {
                return follow.closed() ? null : "session cancelled";
            }
        }
        return null;
    }

    private void backfill(Session session) {
        follow.holdFloor(session, session.groups.stream().mapToLong(fillFrom::get).min().orElse(follow.startMs));
        try {
            List<LogLine> lines = new ArrayList<>();
            for (String g : session.groups) {
                try {
                    lines.addAll(follow.fetcher.fetch(g, fillFrom.get(g), null, follow.filterPattern));
                } catch (ResourceNotFoundException e) {
                    // deleted meanwhile: nothing to fill
                }
            }
            lines.sort(EventFetcher.TIME_ORDER);
            Emitter.Source fill = new Emitter.Source(name + "-fill");
            for (LogLine line : lines) {
                follow.emitter.offer(fill, line);
            }
            follow.emitter.retire(fill);
        } finally {
            follow.releaseFloor(session);
        }
    }

    private void fallBackToPolling(String reason) {
        follow.status(new TailEvent.PollingStarted(groups, reason));
        new Poller(follow, groups, fillFrom, name + "-poll", this).run();
    }

    private boolean retryAfter(Backoff backoff, String operation, Throwable e) {
        if (follow.closed() || closed) {
            return false;
        }
        Duration wait = backoff.next();
        follow.status(new TailEvent.BackingOff(operation, wait, EventFetcher.describe(e)));
        return follow.pause(wait);
    }

    @Override
    public void close() {
        closed = true;
        Session s = current;
        if (s != null) {
            s.close();
        }
    }

    /** One StartLiveTail call: its stream subscription, its start signal and its buffer. */
    private final class Session {
        final List<String> groups;
        final Map<String, String> namesById = new HashMap<>();
        final Emitter.Source source = new Emitter.Source(name + "-live-" + SESSIONS.incrementAndGet());
        final CompletableFuture<Void> started = new CompletableFuture<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final long startedAt = System.currentTimeMillis();
        private final List<LogLine> buffer = new ArrayList<>();
        private boolean live;
        private volatile boolean ended;
        private volatile boolean failed;
        private volatile boolean sampled;
        private volatile org.reactivestreams.Subscription subscription;
        private CompletableFuture<Void> call;

        Session(List<String> groups) {
            this.groups = groups;
            for (String g : groups) {
                namesById.put(identifiers.get(g), g);
            }
        }

        void start() throws Exception {
            StartLiveTailRequest.Builder req = StartLiveTailRequest.builder()
                    .logGroupIdentifiers(groups.stream().map(identifiers::get).toList());
            if (follow.filterPattern != null) {
                req.logEventFilterPattern(follow.filterPattern);
            }
            StartLiveTailResponseHandler handler = StartLiveTailResponseHandler.builder()
                    .onEventStream(publisher -> publisher.subscribe(new Subscriber<StartLiveTailResponseStream>() {
                        @Override
                        public void onSubscribe(org.reactivestreams.Subscription s) {
                            subscription = s;
                            if (ended) {
                                s.cancel();
                            } else {
                                s.request(Long.MAX_VALUE);
                            }
                        }

                        @Override
                        public void onNext(StartLiveTailResponseStream event) {
                            onEvent(event);
                        }

                        @Override
                        public void onError(Throwable t) {
                            started.completeExceptionally(t);
                            done.completeExceptionally(t);
                        }

                        @Override
                        public void onComplete() {
                            done.complete(null);
                        }
                    }))
                    .onError(t -> {
                        started.completeExceptionally(t);
                        done.completeExceptionally(t);
                    })
                    .build();
            call = client.startLiveTail(req.build(), handler);
            call.whenComplete((v, t) -> {
                if (t != null) {
                    started.completeExceptionally(t);
                    done.completeExceptionally(t);
                } else {
                    // A call that ends before a session start was refused without an error: treat as ended.
                    started.completeExceptionally(new IllegalStateException("the live-tail stream ended before it started"));
                    done.complete(null);
                }
            });
            try {
                started.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw (e.getCause() instanceof Exception ex) ? ex : e;
            }
        }

        private void onEvent(StartLiveTailResponseStream event) {
            if (ended || sampled) {
                return;
            }
            if (event instanceof software.amazon.awssdk.services.cloudwatchlogs.model.LiveTailSessionStart) {
                started.complete(null);
                return;
            }
            if (event instanceof LiveTailSessionUpdate update) {
                started.complete(null);
                if (update.sessionMetadata() != null && Boolean.TRUE.equals(update.sessionMetadata().sampled())) {
                    // Some lines of this update were left out: deliver none of the session's lines from here on
                    // and let the poller that takes over deliver them all, in order.
                    sampled = true;
                    done.complete(null);
                    return;
                }
                List<LogLine> lines = new ArrayList<>();
                for (LiveTailSessionLogEvent e : update.sessionResults()) {
                    lines.add(new LogLine(groupOf(e.logGroupIdentifier()),
                            e.logStreamName() == null ? "" : e.logStreamName(),
                            Instant.ofEpochMilli(e.timestamp() == null ? 0 : e.timestamp()),
                            e.message() == null ? "" : e.message(), null,
                            e.ingestionTime() == null ? null : Instant.ofEpochMilli(e.ingestionTime())));
                }
                synchronized (this) {
                    if (ended) {
                        return;
                    }
                    if (!live) {
                        buffer.addAll(lines);
                        return;
                    }
                }
                for (LogLine line : lines) {
                    follow.emitter.offer(source, line);
                }
            }
        }

        /** Live tail names the group as given, as an ARN, or as {@code <account>:<name>}: map each back to the name. */
        private String groupOf(String identifier) {
            if (identifier == null) {
                return groups.get(0);
            }
            String known = namesById.get(identifier);
            if (known != null) {
                return known;
            }
            String id = identifier.endsWith(":*") ? identifier.substring(0, identifier.length() - 2) : identifier;
            int at = id.indexOf(":log-group:");
            if (at >= 0) {
                return id.substring(at + ":log-group:".length());
            }
            for (String g : groups) {
                if (id.equals(g) || id.endsWith(":" + g)) {
                    return g;
                }
            }
            return id;
        }

        /** Delivers the buffer, then lets events through as they come. */
        void goLive() {
            List<LogLine> held;
            synchronized (this) {
                held = new ArrayList<>(buffer);
                buffer.clear();
            }
            for (LogLine line : held) {
                follow.emitter.offer(source, line);
            }
            synchronized (this) {
                // Events that arrived while the buffer was delivered are delivered before any newer one.
                while (!buffer.isEmpty()) {
                    List<LogLine> more = new ArrayList<>(buffer);
                    buffer.clear();
                    for (LogLine line : more) {
                        follow.emitter.offer(source, line);
                    }
                }
                live = true;
            }
        }

        void markFailed() {
            failed = true;
        }

        boolean failed() {
            return failed;
        }

        boolean sampled() {
            return sampled;
        }

        void close() {
            ended = true;
            org.reactivestreams.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            if (call != null) {
                call.cancel(true);
            }
            done.complete(null);
        }
    }
}
