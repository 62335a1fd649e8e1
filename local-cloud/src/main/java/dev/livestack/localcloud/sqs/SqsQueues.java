package dev.livestack.localcloud.sqs;

import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.StateStore;
import dev.livestack.localcloud.core.ports.MessageQueues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every queue, behind one lock. Long polls wait on that lock's monitor, so a send (or a message becoming visible)
 * ends them at once without a thread spinning. Each queue is one file under {@code sqs/}; changes are written a
 * moment later in one batch, so a burst of sends costs one write per queue, and on close.
 */
final class SqsQueues implements MessageQueues, AutoCloseable {
    private static final long FLUSH_DELAY_MILLIS = 20;

    private final CloudContext context;
    private final Path folder;
    private final Map<String, SqsQueue> queues = new TreeMap<>();
    private final Set<String> dirty = new HashSet<>();
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sqs-state-writer");
        t.setDaemon(true);
        return t;
    });
    private boolean flushScheduled;

    SqsQueues(CloudContext context) {
        this.context = context;
        this.folder = context.store().folder("sqs");
        try (var files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                SqsQueue q = context.store().load(f, SqsQueue::fromJson);
                if (q != null) {
                    queues.put(q.name, q);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder, e);
        }
    }

    String arn(String name) {
        return context.arn("sqs", name);
    }

    String url(String name) {
        return context.endpoint() + "/" + context.account() + "/" + name;
    }

    synchronized SqsQueue get(String name) {
        return queues.get(name);
    }

    synchronized SqsQueue require(String name) {
        SqsQueue q = queues.get(name);
        if (q == null) {
            throw SqsErrors.noQueue();
        }
        return q;
    }

    synchronized SqsQueue byArn(String arn) {
        String prefix = "arn:aws:sqs:" + context.region() + ":" + context.account() + ":";
        return arn != null && arn.startsWith(prefix) ? queues.get(arn.substring(prefix.length())) : null;
    }

    synchronized List<SqsQueue> all() {
        return new ArrayList<>(queues.values());
    }

    synchronized void put(SqsQueue q) {
        queues.put(q.name, q);
        changed(q);
    }

    synchronized void remove(String name) {
        if (queues.remove(name) != null) {
            dirty.add(name);
            scheduleFlush();
            notifyAll();
        }
    }

    synchronized void clear() {
        dirty.addAll(queues.keySet());
        queues.clear();
        flush();
    }

    /** Records that a queue changed: wakes long polls and schedules its write. */
    synchronized void changed(SqsQueue q) {
        dirty.add(q.name);
        scheduleFlush();
        notifyAll();
    }

    /**
     * Receives from a queue, waiting up to {@code waitMillis} for a message: the wait ends when a send wakes it, or
     * when the next hidden message's time comes.
     */
    synchronized List<SqsMessage> receive(String name, int max, Integer visibility, long waitMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + waitMillis;
        while (true) {
            SqsQueue q = require(name);
            long now = System.currentTimeMillis();
            int before = q.messages.size();
            List<SqsMessage> got = q.receive(max, visibility, now, this::byArn);
            if (!got.isEmpty() || q.messages.size() != before) {
                // received, expired or moved to the dead-letter queue: both queues' files change
                changed(q);
                QueueAttributes.Redrive r = q.redrive();
                SqsQueue dlq = r == null ? null : byArn(r.deadLetterTargetArn());
                if (dlq != null) {
                    changed(dlq);
                }
            }
            if (!got.isEmpty()) {
                return got;
            }
            long remaining = deadline - now;
            if (remaining <= 0) {
                return got;
            }
            long next = q.nextVisible(now);
            wait(Math.max(1, Math.min(remaining, next == Long.MAX_VALUE ? remaining : next - now)));
        }
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            writer.schedule(this::flush, FLUSH_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void flush() {
        flushScheduled = false;
        StateStore store = context.store();
        for (String name : dirty) {
            SqsQueue q = queues.get(name);
            Path file = folder.resolve(name + ".json");
            if (q == null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a leftover file is read back as a queue; the next delete retries
                }
            } else {
                store.writeJson(file, q.toJson());
            }
        }
        dirty.clear();
    }

    @Override
    public synchronized void close() {
        flush();
        writer.shutdownNow();
    }

    // ---- the port Lambda's event source mappings and EventBridge's queue targets use ----------------------------------

    @Override
    public synchronized boolean exists(String queueArn) {
        return byArn(queueArn) != null;
    }

    @Override
    public synchronized int visibilityTimeout(String queueArn) {
        SqsQueue q = byArn(queueArn);
        return q == null ? -1 : q.intAttribute("VisibilityTimeout");
    }

    @Override
    public synchronized List<Received> receive(String queueArn, int max, long waitMillis) throws InterruptedException {
        SqsQueue q = byArn(queueArn);
        if (q == null) {
            return List.of();
        }
        List<SqsMessage> got;
        try {
            got = receive(q.name, max, null, waitMillis);
        } catch (dev.livestack.localcloud.core.AwsException deleted) {
            return List.of();
        }
        List<Received> out = new ArrayList<>();
        for (SqsMessage m : got) {
            out.add(new Received(m.id, m.receipt, m.body, m.md5OfBody, m.md5OfAttributes,
                    SqsService.systemAttributes(q, m, List.of("All"), context.account()), m.attributes));
        }
        return out;
    }

    @Override
    public synchronized void send(String queueArn, String body, String groupId) {
        SqsQueue q = byArn(queueArn);
        if (q == null) {
            throw SqsErrors.noQueue();
        }
        q.send(body, null, java.util.Map.of(), null, groupId, null, System.currentTimeMillis());
        changed(q);
    }

    @Override
    public synchronized void delete(String queueArn, String receiptHandle) {
        SqsQueue q = byArn(queueArn);
        if (q != null) {
            try {
                q.delete(receiptHandle, System.currentTimeMillis());
                changed(q);
            } catch (RuntimeException gone) {
                // an expired FIFO handle: the message is visible again and will be received anew
            }
        }
    }

    @Override
    public synchronized void release(String queueArn, String receiptHandle, int seconds) {
        SqsQueue q = byArn(queueArn);
        if (q != null) {
            try {
                q.changeVisibility(receiptHandle, seconds, System.currentTimeMillis());
                changed(q);
            } catch (RuntimeException gone) {
                // no longer in flight: already visible again
            }
        }
    }
}
