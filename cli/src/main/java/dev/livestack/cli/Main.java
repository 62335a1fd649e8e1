package dev.livestack.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** The {@code livestack} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, Io.system()));
    }

    /** Runs one command with the given surroundings and returns its exit code (0 ok, 1 failed, 2 bad input). */
    static int run(String[] args, Io io) {
        LivestackCommand root = new LivestackCommand();
        root.io = io;
        CommandLine cl = new CommandLine(root);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(new PrintWriter(io.out(), true));
        cl.setErr(new PrintWriter(io.err(), true));
        cl.setExecutionStrategy(parse -> {
            if (!parse.hasSubcommand() && !parse.isUsageHelpRequested() && !parse.isVersionHelpRequested()) {
                io.err().println("error: no command given.");
                io.err().println("Run 'livestack --help' for the commands, e.g. 'livestack watch --app DIR'.");
                return ExitCodes.BAD_INPUT;
            }
            return new CommandLine.RunLast().execute(parse);
        });
        cl.setParameterExceptionHandler((ex, arguments) -> {
            CommandLine cmd = ex.getCommandLine();
            io.err().println("error: " + ex.getMessage());
            io.err().println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCodes.BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parse) -> {
            Output out = new Output(io, root.output == LivestackCommand.OutputFormat.json);
            if (!(ex instanceof UserError)) {
                String profile = TargetResolver.firstNonBlank(root.profile, io.env().get("AWS_PROFILE"));
                var explained = SdkFailures.explain(ex, profile);
                if (explained.isPresent()) {
                    ex = explained.get();
                }
            }
            if (ex instanceof UserError u) {
                out.error(u.getMessage(), u.todo());
                if (root.verbose && u.getCause() != null) {
                    u.getCause().printStackTrace(io.err());
                }
                return u.exitCode();
            }
            out.error(ex.getClass().getSimpleName() + ": " + ex.getMessage(),
                    root.verbose ? null : "Run again with -v for the stack trace.");
            if (root.verbose) {
                ex.printStackTrace(io.err());
            }
            return ExitCodes.FAILED;
        });
        return cl.execute(args);
    }
}
