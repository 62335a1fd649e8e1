package dev.livestack.logtail;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/** Reads and follows the events of log groups. */
public interface LogTailer extends AutoCloseable {

    /**
     * @param logs the client for FilterLogEvents and DescribeLogGroups
     * @param liveTail the async client for StartLiveTail (see {@link LogClients#async}); {@code null} to poll only
     * @param options poll interval, back-off, session size
     */
    static LogTailer create(CloudWatchLogsClient logs, CloudWatchLogsAsyncClient liveTail, LogTailOptions options) {
        return new DefaultLogTailer(logs, liveTail, options);
    }

    /**
     * Every event in [{@code since}, now] of the log groups that matches the filter, in time order, all pages.
     * A log group that does not exist has no events.
     *
     * @param since the start of the window; {@code null} for everything kept
     * @param filterPattern a CloudWatch Logs filter pattern; {@code null} or blank for all events
     */
    List<LogLine> window(List<String> logGroups, Instant since, String filterPattern);

    /**
     * Follows the log groups: first the events since {@code since}, then new ones as they arrive, each once,
     * in order within a log stream. Uses live tail when a live-tail client was given and the endpoint
     * supports it, polling otherwise. A log group that does not exist yet is waited for quietly.
     *
     * @param since where to start; {@code null} for new events only
     * @param filterPattern a CloudWatch Logs filter pattern; {@code null} or blank for all events
     * @param sink receives the lines, one at a time, never concurrently
     * @param status receives what the follow is doing (never concurrently with itself)
     * @return the handle that stops it
     */
    Subscription follow(List<String> logGroups, Instant since, String filterPattern, Consumer<LogLine> sink,
                        Consumer<TailEvent> status);

    /** Stops every follow started here. The clients stay open: they belong to the caller. */
    @Override
    void close();
}
