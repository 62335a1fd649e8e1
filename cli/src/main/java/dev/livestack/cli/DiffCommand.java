package dev.livestack.cli;

import dev.livestack.deployer.ApprovalPolicy;
import dev.livestack.deployer.Deployer;
import dev.livestack.deployer.TemplateDiff;
import dev.livestack.synth.StackTemplate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code livestack diff}: what a deploy would change, stack by stack, secrets masked. */
@Command(name = "diff", description = "Compare the app with what livestack last applied (or what is deployed) and print the changes.")
final class DiffCommand implements Callable<Integer> {
    @ParentCommand
    LivestackCommand root;

    @Mixin
    ParametersOption parameters = new ParametersOption();

    @Override
    public Integer call() {
        try (Session session = new Session(root)) {
            session.parameters(parameters.parsed());
            session.clients(); // the target first: the app gets its account (CDK_DEFAULT_ACCOUNT) as in deploy
            List<StackTemplate> stacks = Preflight.stacks(session, session.synth(true));
            Deployer deployer = session.deployer(ApprovalPolicy.NEVER, s -> false, false);
            for (StackTemplate stack : stacks) {
                TemplateDiff diff = deployer.diff(stack);
                List<String> lines = new java.util.ArrayList<>(diff.isEmpty() ? List.of() : diff.render(stack.template()));
                // nested stacks' own changes, under their parent, as cdk diff shows them
                deployer.nestedDiffs(stack).forEach(n -> {
                    lines.add("[~] nested stack " + n.path());
                    n.diff().render(n.template()).forEach(line -> lines.add("    " + line));
                });
                // values a deploy would pass: --parameters given, else previous values, else Defaults
                deployer.parameterChanges(stack).forEach(c -> lines.add(c.render()));
                // what runs but is not CloudFormation's template (hot-swapped); the next deploy converges it
                Map<String, List<String>> drift = deployer.drift(stack.stackName());
                List<String> drifted = drift.entrySet().stream()
                        .map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")").toList();
                session.output().event(new CliEvent.Diff(stack.stackName(), lines, drift),
                        session.output().paint("Stack " + stack.stackName(), "1") + "\n"
                                + (lines.isEmpty() ? "  no differences" : "  " + String.join("\n  ", lines))
                                + (drifted.isEmpty() ? "" : "\n  hot-swapped, not yet in CloudFormation's template (the next "
                                        + "`livestack deploy` puts CloudFormation's template and what runs in step): "
                                        + String.join(", ", drifted)));
            }
            return ExitCodes.OK;
        }
    }
}
