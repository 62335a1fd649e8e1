package dev.livestack.cli;

import dev.livestack.logtail.Action;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code livestack invoke <action>}: run a deployed function (or its saved source, with --local) and show the result and its logs. */
@Command(name = "invoke", description = "Invoke a function and print its result and log lines.")
final class InvokeCommand implements Callable<Integer> {
    @ParentCommand
    LivestackCommand root;

    @Parameters(index = "0", paramLabel = "<action>", description = "The function: logical id, construct path or physical name.")
    String action;

    @Option(names = "--event", paramLabel = "FILE|-", description = "The event JSON (a file, or - for stdin; default {}).")
    String event;

    @Option(names = "--local", description = "Run the saved handler source here with the stack's outputs as environment, instead of the deployed function.")
    boolean local;

    @Override
    public Integer call() throws Exception {
        try (Session session = new Session(root)) {
            // stdout is data here (variables, log lines, the result): a synth's progress must not mix in
            session.output().progressOnStderr();
            byte[] payload = Invocations.readEvent(session, event);
            if (local) {
                return LocalInvoker.invoke(session, action, payload);
            }
            Action target = ActionLookup.resolve(session, List.of(action)).get(0);
            Invocations.remember(session, action, event);
            return Invocations.invokeDeployed(session, target, payload);
        }
    }
}
