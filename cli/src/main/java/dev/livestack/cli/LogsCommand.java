package dev.livestack.cli;

import dev.livestack.logtail.Action;
import dev.livestack.logtail.LogLine;
import dev.livestack.logtail.LogTailOptions;
import dev.livestack.logtail.LogTailer;
import dev.livestack.logtail.SinceParser;
import dev.livestack.logtail.Subscription;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code livestack logs <action>… [-f]}: print or follow functions' logs. */
@Command(name = "logs", description = "Print functions' logs since --since; with -f, keep following them.")
final class LogsCommand implements Callable<Integer> {
    @ParentCommand
    LivestackCommand root;

    @Parameters(arity = "0..*", paramLabel = "<action>", description = "Functions: logical id, construct path, physical name or glob (default: all).")
    List<String> actions = List.of();

    @Option(names = {"-f", "--follow"}, description = "Keep following (live tail; polling when live tail is unavailable).")
    boolean follow;

    @Option(names = "--since", paramLabel = "D", description = "From this long ago (10m, 2h, 1d) or this time (ISO-8601). Default 10m.")
    String since = "10m";

    @Option(names = "--filter", paramLabel = "P", description = "A CloudWatch Logs filter pattern.")
    String filter;

    @Option(names = "--json-pretty", description = "Pretty-print JSON log messages (compact by default).")
    boolean jsonPretty;

    @Override
    public Integer call() throws InterruptedException {
        Instant from;
        try {
            from = SinceParser.parse(since);
        } catch (IllegalArgumentException e) {
            // the parser's message is already "what failed\nwhat to do"
            String[] lines = e.getMessage().split("\n", 2);
            throw new UserError(lines[0], lines.length > 1 ? lines[1]
                    : "Give a duration such as 10m, 2h, 1d, or an ISO-8601 time such as 2026-11-21T10:00:00Z.");
        }
        try (Session session = new Session(root)) {
            // stdout is data here (variables, log lines, the result): a synth's progress must not mix in
            session.output().progressOnStderr();
            List<Action> resolved = ActionLookup.resolve(session, actions);
            if (resolved.isEmpty()) {
                throw new UserError("The stacks have no functions to show logs for.", "Deploy the app first: livestack deploy.");
            }
            LogPrinter printer = new LogPrinter(session.output(), resolved, jsonPretty);
            List<String> groups = resolved.stream().map(Action::logGroup).distinct().toList();
            LogTailer tailer = session.closeLater(LogTailer.create(session.clients().logs(),
                    session.clients().logsAsync(), LogTailOptions.defaults()));
            if (!follow) {
                for (LogLine l : tailer.window(groups, from, filter)) {
                    printer.print(l);
                }
                return ExitCodes.OK;
            }
            CountDownLatch stop = new CountDownLatch(1);
            Thread hook = new Thread(stop::countDown, "logs-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try (Subscription sub = tailer.follow(groups, from, filter, printer::print, session.render()::tail)) {
                stop.await();
            }
            return ExitCodes.OK;
        }
    }
}
