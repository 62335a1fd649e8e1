package dev.livestack.logtail;

import java.time.Instant;
import java.util.Objects;

/**
 * One log event of a log group, as delivered by live tail or by FilterLogEvents.
 *
 * @param logGroup the log group name (never an ARN)
 * @param logStream the log stream name
 * @param timestamp when the event happened (the event's own timestamp)
 * @param message the message, unchanged (may span several lines)
 * @param eventId the CloudWatch Logs event id; {@code null} when the source does not give one (live tail)
 * @param ingestion when CloudWatch Logs ingested the event; {@code null} when unknown
 */
public record LogLine(String logGroup, String logStream, Instant timestamp, String message, String eventId,
                      Instant ingestion) {
    public LogLine {
        if (logGroup == null || logGroup.isBlank()) {
            throw new IllegalArgumentException("logGroup must not be blank");
        }
        Objects.requireNonNull(logStream, "logStream");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(message, "message");
    }
}
