package dev.livestack.cli;

import dev.livestack.deployer.DeployMode;
import dev.livestack.synth.StackTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code livestack watch}: deploy, then keep every save live, with the functions' logs alongside. */
@Command(name = "watch", description = "Deploy the app, then hot-swap or deploy every save; stream the functions' logs.")
final class WatchCommand implements Callable<Integer> {
    @ParentCommand
    LivestackCommand root;

    @Mixin
    ModeOption mode = new ModeOption();

    @Option(names = "--no-logs", description = "Don't stream the functions' logs.")
    boolean noLogs;

    @Mixin
    ValidationOption validation = new ValidationOption();

    @Mixin
    ParametersOption parameters = new ParametersOption();

    @Override
    public Integer call() throws Exception {
        DeployMode m = ModeOption.deployMode(mode.or(ModeOption.Mode.fallback));
        try (Session session = new Session(root)) {
            // given once, they apply to every cycle's deploy
            session.parameters(parameters.parsed());
            Target target = session.target(true);
            if (target.kind() == Target.Kind.AWS && root.stacks.isEmpty()) {
                // A production guard: a watch against AWS changes every stack it deploys on every save. With more
                // than one stack, the user says which, as the CDK CLI makes them pick.
                List<String> names = session.selected(session.synth(validation.validation())).stream().map(StackTemplate::stackName).toList();
                if (names.size() > 1) {
                    root.stacks = new ArrayList<>(List.of(pickStack(session, target, names)));
                }
            }
            session.render().reportSynthFailures();
            return new WatchLoop(session, m, !noLogs, validation.validation()).run();
        }
    }

    /** One line, byte by byte: the watch's own key reader takes over stdin afterwards and must miss nothing. */
    static String readLine(InputStream in) {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        try {
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                line.write(b);
            }
        } catch (IOException e) {
            // no answer
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Asks on a terminal which stack to watch; without one (CI, a pipe) that is bad input naming the stacks. */
    private static String pickStack(Session session, Target target, List<String> names) {
        if (!session.io().terminal()) {
            throw new UserError("The app has " + names.size() + " stacks (" + String.join(", ", names) + "); watch would change"
                    + " every one of them in " + target.description() + ".",
                    "Pick the stacks with --stack NAME (repeatable; patterns such as 'Api*' work, --stack '*' for all).");
        }
        PrintStream out = session.io().out();
        out.println("The app has " + names.size() + " stacks; watch changes what it deploys in " + target.description() + ".");
        for (int i = 0; i < names.size(); i++) {
            out.println("  " + (i + 1) + ") " + names.get(i));
        }
        out.print("Watch which? (number or name, * for all) ");
        out.flush();
        String a = readLine(session.io().in()).strip();
        if (a.equals("*") || names.contains(a)) {
            return a;
        }
        if (a.matches("\\d+") && Integer.parseInt(a) >= 1 && Integer.parseInt(a) <= names.size()) {
            return names.get(Integer.parseInt(a) - 1);
        }
        throw new UserError("'" + a + "' is not one of the app's stacks (" + String.join(", ", names) + ").",
                "Run watch again and pick one, or pass --stack NAME.");
    }
}
