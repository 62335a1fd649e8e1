package dev.livestack.logtail;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a follow is doing, for a status line; none of these is a log line. {@link #type()} is the JSON Lines
 * {@code type} the cli prints it as.
 */
public sealed interface TailEvent {

    /** The event's JSON type, e.g. {@code logs.live-tail-started}. */
    String type();

    /** A live-tail session started for these log groups. */
    record LiveTailStarted(List<String> logGroups) implements TailEvent {
        public LiveTailStarted {
            logGroups = List.copyOf(Objects.requireNonNull(logGroups, "logGroups"));
        }

        @Override
        public String type() {
            return "logs.live-tail-started";
        }
    }

    /** A live-tail session ended (timeout, dropped stream, a group appeared) and is started again; the gap is filled. */
    record LiveTailRenewed(List<String> logGroups, String reason) implements TailEvent {
        public LiveTailRenewed {
            logGroups = List.copyOf(Objects.requireNonNull(logGroups, "logGroups"));
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String type() {
            return "logs.live-tail-renewed";
        }
    }

    /** These log groups are polled with FilterLogEvents; {@code reason} says why live tail is not used. */
    record PollingStarted(List<String> logGroups, String reason) implements TailEvent {
        public PollingStarted {
            logGroups = List.copyOf(Objects.requireNonNull(logGroups, "logGroups"));
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String type() {
            return "logs.polling-started";
        }
    }

    /** The log group does not exist yet (a function never invoked); it is looked for again quietly. */
    record WaitingForLogGroup(String logGroup) implements TailEvent {
        public WaitingForLogGroup {
            Objects.requireNonNull(logGroup, "logGroup");
        }

        @Override
        public String type() {
            return "logs.waiting-for-log-group";
        }
    }

    /** A log group that was waited for exists now. */
    record LogGroupFound(String logGroup) implements TailEvent {
        public LogGroupFound {
            Objects.requireNonNull(logGroup, "logGroup");
        }

        @Override
        public String type() {
            return "logs.log-group-found";
        }
    }

    /** A call was throttled or failed; the next try waits {@code delay}. */
    record BackingOff(String operation, Duration delay, String reason) implements TailEvent {
        public BackingOff {
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String type() {
            return "logs.backing-off";
        }
    }

    /** The sink threw on a line; the line is not offered again, the follow goes on. */
    record SinkFailed(LogLine line, String error) implements TailEvent {
        public SinkFailed {
            Objects.requireNonNull(line, "line");
            Objects.requireNonNull(error, "error");
        }

        @Override
        public String type() {
            return "logs.sink-failed";
        }
    }
}
