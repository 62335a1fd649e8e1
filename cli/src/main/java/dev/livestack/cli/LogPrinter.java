package dev.livestack.cli;

import dev.livestack.logtail.Action;
import dev.livestack.logtail.LogFormatter;
import dev.livestack.logtail.LogLine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints log lines with the log-tail formatter (text) or as {@code log} events (json). */
final class LogPrinter {
    private final Output out;
    private final LogFormatter formatter;
    private final Map<String, String> actionByGroup = new LinkedHashMap<>();

    LogPrinter(Output out, List<Action> actions, boolean jsonPretty) {
        this.out = out;
        this.formatter = LogFormatter.forActions(actions, out.color(), jsonPretty);
        actions.forEach(a -> actionByGroup.put(a.logGroup(), a.logicalId()));
    }

    void print(LogLine line) {
        if (out.json()) {
            out.event(new CliEvent.Log(actionByGroup.getOrDefault(line.logGroup(), line.logGroup()), line.logGroup(),
                    line.logStream(), line.timestamp().toString(), line.message(), line.eventId()), (String) null);
            return;
        }
        for (String s : formatter.format(line)) {
            out.raw(s);
        }
    }
}
