package dev.livestack.cli;

import dev.livestack.synth.CloudAssembly;
import dev.livestack.synth.StackTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code livestack synth}: synthesise the app and print or write its templates. */
@Command(name = "synth", description = "Synthesise the app; print the template (one stack) or write every template to --out.")
final class SynthCommand implements Callable<Integer> {
    @ParentCommand
    LivestackCommand root;

    @Option(names = "--out", paramLabel = "DIR", description = "Write <stack>.template.json files here instead of printing.")
    Path out;

    @Mixin
    ValidationOption validation = new ValidationOption();

    @Override
    public Integer call() throws IOException {
        try (Session session = new Session(root)) {
            session.output().progressOnStderr();
            CloudAssembly assembly = session.synth(validation.validation());
            List<StackTemplate> stacks = session.selected(assembly);
            if (out != null) {
                Path dir = session.io().cwd().resolve(out);
                Files.createDirectories(dir);
                for (StackTemplate s : stacks) {
                    Path file = dir.resolve(s.stackName() + ".template.json");
                    Files.writeString(file, Output.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(s.template()) + "\n");
                    session.output().event(new CliEvent.SynthWritten(s.stackName(), file.toString()),
                            "wrote " + file);
                }
            } else if (session.output().json()) {
                for (StackTemplate s : stacks) {
                    session.output().event(new CliEvent.SynthTemplate(s.stackName(), s.template()), (String) null);
                }
            } else if (stacks.size() == 1) {
                session.io().out().println(Output.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(stacks.get(0).template()));
            } else {
                throw new UserError("The app has " + stacks.size() + " stacks: " + String.join(", ",
                        stacks.stream().map(StackTemplate::stackName).toList()) + ".",
                        "Pick one with --stack NAME, or write them all with --out DIR.");
            }
            return ExitCodes.OK;
        }
    }
}
