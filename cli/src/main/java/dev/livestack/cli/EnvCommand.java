package dev.livestack.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code livestack env}: the deployed stacks' outputs as environment variables. */
@Command(name = "env", description = "Print the stacks' outputs as environment variables (ORDERS_QUEUE_URL=…), for your shell or a local run.")
final class EnvCommand implements Callable<Integer> {
    enum Format { dotenv, json, shell }

    @ParentCommand
    LivestackCommand root;

    @Option(names = "--format", paramLabel = "dotenv|json|shell", description = "dotenv (default), json, or shell (export lines for eval).")
    Format format = Format.dotenv;

    @Override
    public Integer call() throws Exception {
        try (Session session = new Session(root)) {
            // stdout is data here (variables, log lines, the result): a synth's progress must not mix in
            session.output().progressOnStderr();
            Map<String, String> vars = StackOutputs.variables(
                    StackOutputs.read(session.clients().cloudFormation(), session.stackNames()));
            String text = switch (format) {
                case json -> Output.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(vars);
                case shell -> vars.entrySet().stream().map(e -> "export " + e.getKey() + "=" + shellQuote(e.getValue()))
                        .collect(Collectors.joining("\n"));
                case dotenv -> vars.entrySet().stream().map(e -> e.getKey() + "=" + dotenvQuote(e.getValue()))
                        .collect(Collectors.joining("\n"));
            };
            if (!text.isEmpty()) {
                session.io().out().println(text);
            }
            return ExitCodes.OK;
        }
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static String dotenvQuote(String s) {
        return s.matches("[A-Za-z0-9_./:@+,=-]*") ? s : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
