package dev.livestack.cli;

import dev.livestack.logtail.Action;
import dev.livestack.logtail.ActionResolver;
import dev.livestack.logtail.LogTailOptions;
import dev.livestack.logtail.LogTailer;
import dev.livestack.logtail.Subscription;
import dev.livestack.synth.CloudAssembly;
import dev.livestack.synth.StackTemplate;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The watch's log streaming: follows the log groups of the selected stacks' functions, and follows again only when a
 * deploy changed that set of groups (a hot-swap does not), so no line is printed twice.
 */
final class LogFollower implements AutoCloseable {
    private final Session session;
    private final Output out;
    private final boolean validation;
    private volatile boolean on;
    private LogTailer tailer;
    private Subscription subscription;
    private Set<String> tailedGroups = Set.of();

    /**
     * @param on whether logs stream from the start ({@code --no-logs} turns that off)
     * @param validation for the synth needed when no assembly is known yet
     */
    LogFollower(Session session, boolean on, boolean validation) {
        this.session = session;
        this.out = session.output();
        this.on = on;
        this.validation = validation;
    }

    boolean on() {
        return on;
    }

    /** (Re)starts the subscription when the set of function log groups changed; {@code current} may be null. */
    synchronized void follow(CloudAssembly current) {
        try {
            List<String> stacks = session.selected(current == null ? session.synth(validation) : current).stream()
                    .map(StackTemplate::stackName).toList();
            List<Action> actions = ActionResolver.fromStacks(session.clients().cloudFormation(), stacks).all();
            Set<String> groups = new HashSet<>(actions.stream().map(Action::logGroup).toList());
            if (groups.equals(tailedGroups) && subscription != null) {
                return;
            }
            stop();
            if (groups.isEmpty()) {
                return;
            }
            if (tailer == null) {
                tailer = LogTailer.create(session.clients().logs(), session.clients().logsAsync(), LogTailOptions.defaults());
            }
            LogPrinter printer = new LogPrinter(out, actions, false);
            subscription = tailer.follow(List.copyOf(groups), Instant.now(), null, printer::print, session.render()::tail);
            tailedGroups = groups;
        } catch (RuntimeException e) {
            out.warn("Log streaming is off: " + e.getMessage());
        }
    }

    /** The console's {@code l} key. */
    void toggle(CloudAssembly current) {
        on = !on;
        if (on) {
            follow(current);
        } else {
            stop();
        }
        out.event(new CliEvent.LogsToggled(on), "logs " + (on ? "on" : "off"));
    }

    synchronized void stop() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        tailedGroups = Set.of();
    }

    @Override
    public synchronized void close() {
        stop();
        if (tailer != null) {
            tailer.close();
        }
    }
}
