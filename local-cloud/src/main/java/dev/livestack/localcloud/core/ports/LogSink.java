package dev.livestack.localcloud.core.ports;

import java.util.List;

/** CloudWatch Logs as other services write to it: Lambda appends its functions' output here. */
public interface LogSink {
    /**
     * Appends lines to a stream, creating the group and stream when {@code create} is set (what Lambda does on a
     * function's first output).
     */
    public void write(String group, String stream, List<Line> lines, boolean create);

    /**
     * How long a live-tail session may run. Lambda's settings admin route reads and sets it, so the knob is part
     * of the port rather than of the Logs service alone.
     */
    public long liveTailLimitMillis();

    /** Sets the live-tail limit; rejects a non-positive value. */
    public void liveTailLimitMillis(long millis);

    /** A message to append: when it happened (epoch ms) and its text. */
    public record Line(long timestamp, String message) {
        public Line {
            if (message == null) {
                throw new IllegalArgumentException("message must not be null");
            }
        }
    }
}
