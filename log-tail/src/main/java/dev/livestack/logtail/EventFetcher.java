package dev.livestack.logtail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogGroupsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;

/** FilterLogEvents over every page, and the few other calls the tailer makes with the sync client. */
final class EventFetcher {
    private static final Set<String> THROTTLING = Set.of("ThrottlingException", "LimitExceededException",
            "ServiceUnavailableException", "RequestLimitExceeded", "TooManyRequestsException", "Throttling",
            "RequestThrottled");

    /** Orders events by time, then ingestion; a stable sort keeps each stream's own order for equal times. */
    static final Comparator<LogLine> TIME_ORDER = Comparator.comparing(LogLine::timestamp)
            .thenComparing(l -> l.ingestion() == null ? Instant.MIN : l.ingestion());

    private final CloudWatchLogsClient logs;

    EventFetcher(CloudWatchLogsClient logs) {
        this.logs = logs;
    }

    /**
     * Every event of the log group in [{@code startMs}, {@code endMs}] (either may be {@code null}), in the
     * order FilterLogEvents gives them, following every nextToken (an empty page with a token is not the end).
     *
     * @throws software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException when the group does not exist
     */
    List<LogLine> fetch(String group, Long startMs, Long endMs, String filterPattern) {
        List<LogLine> lines = new ArrayList<>();
        String token = null;
        do {
            FilterLogEventsRequest.Builder req = FilterLogEventsRequest.builder().logGroupName(group)
                    .startTime(startMs).endTime(endMs).nextToken(token);
            if (filterPattern != null && !filterPattern.isBlank()) {
                req.filterPattern(filterPattern);
            }
            FilterLogEventsResponse page = logs.filterLogEvents(req.build());
            for (FilteredLogEvent e : page.events()) {
                lines.add(new LogLine(group, e.logStreamName() == null ? "" : e.logStreamName(),
                        Instant.ofEpochMilli(e.timestamp() == null ? 0 : e.timestamp()),
                        e.message() == null ? "" : e.message(), e.eventId(),
                        e.ingestionTime() == null ? null : Instant.ofEpochMilli(e.ingestionTime())));
            }
            String next = page.nextToken();
            // A token equal to the one sent would loop forever; AWS never does that, a broken endpoint might.
            token = next == null || next.isEmpty() || next.equals(token) ? null : next;
        } while (token != null);
        return lines;
    }

    /** The identifier live tail wants for the group (its ARN without the trailing {@code :*}), or {@code null} when it does not exist. */
    String arnOf(String group) {
        String token = null;
        do {
            String sent = token;
            DescribeLogGroupsResponse page = logs.describeLogGroups(b -> b.logGroupNamePrefix(group).nextToken(sent));
            for (LogGroup g : page.logGroups()) {
                if (group.equals(g.logGroupName())) {
                    return arnOf(g);
                }
            }
            String next = page.nextToken();
            token = next == null || next.isEmpty() || next.equals(sent) ? null : next;
        } while (token != null);
        return null;
    }

    /** Pages of a shared-prefix listing read before the remaining groups are looked up one by one. */
    private static final int PREFIX_PAGES = 5;

    /**
     * The identifiers of several groups at once (a group that does not exist is left out). Groups with a
     * common prefix longer than {@code /aws/lambda/} (a stack's functions share {@code /aws/lambda/<Stack>-})
     * are found with one listing instead of a call each: DescribeLogGroups allows only a few calls a second.
     */
    java.util.Map<String, String> arnsOf(java.util.Collection<String> groups) {
        java.util.Map<String, String> found = new java.util.LinkedHashMap<>();
        java.util.Set<String> wanted = new java.util.LinkedHashSet<>(groups);
        String prefix = commonPrefix(wanted);
        if (wanted.size() > 1 && prefix.length() > "/aws/lambda/".length()) {
            String token = null;
            int pages = 0;
            do {
                String sent = token;
                DescribeLogGroupsResponse page = logs.describeLogGroups(b -> b.logGroupNamePrefix(prefix).nextToken(sent));
                for (LogGroup g : page.logGroups()) {
                    if (wanted.remove(g.logGroupName())) {
                        found.put(g.logGroupName(), arnOf(g));
                    }
                }
                String next = page.nextToken();
                token = next == null || next.isEmpty() || next.equals(sent) ? null : next;
                pages++;
            } while (token != null && !wanted.isEmpty() && pages < PREFIX_PAGES);
            if (token == null) {
                // The listing was complete: what it did not show does not exist.
                return found;
            }
        }
        for (String g : wanted) {
            String id = arnOf(g);
            if (id != null) {
                found.put(g, id);
            }
        }
        return found;
    }

    static String commonPrefix(java.util.Collection<String> names) {
        String prefix = null;
        for (String n : names) {
            if (prefix == null) {
                prefix = n;
            } else {
                int i = 0;
                while (i < prefix.length() && i < n.length() && prefix.charAt(i) == n.charAt(i)) {
                    i++;
                }
                prefix = prefix.substring(0, i);
            }
        }
        return prefix == null ? "" : prefix;
    }

    private static String arnOf(LogGroup g) {
        String arn = g.logGroupArn() == null || g.logGroupArn().isBlank() ? g.arn() : g.logGroupArn();
        if (arn == null || arn.isBlank()) {
            // An endpoint that gives no ARN gets the name, which is what it can look the group up by.
            return g.logGroupName();
        }
        return arn.endsWith(":*") ? arn.substring(0, arn.length() - 2) : arn;
    }

    /** Throttling, a server error or a broken connection: worth trying again after a pause. */
    static boolean retryable(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof CloudWatchLogsException c) {
            if (c.awsErrorDetails() != null && THROTTLING.contains(c.awsErrorDetails().errorCode())) {
                return true;
            }
            return c.statusCode() == 429 || c.statusCode() >= 500;
        }
        return e instanceof SdkClientException || e instanceof java.io.IOException;
    }

    /** The CloudWatch Logs error code of a failure, or {@code null}. */
    static String errorCode(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof CloudWatchLogsException c && c.awsErrorDetails() != null) {
            return c.awsErrorDetails().errorCode();
        }
        return null;
    }

    static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof java.util.concurrent.CompletionException
                || e instanceof java.util.concurrent.ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** A one-line reason for a status event. */
    static String describe(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof SdkException s && errorCode(s) != null) {
            String msg = ((CloudWatchLogsException) s).awsErrorDetails().errorMessage();
            return errorCode(s) + (msg == null ? "" : ": " + msg);
        }
        String msg = e.getMessage();
        return e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg.lines().findFirst().orElse(""));
    }
}
