package dev.livestack.cli;

import dev.livestack.deployer.DeployMode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code livestack watch}: deploy, then keep every save live, with the functions' logs alongside. */
@Command(name = "watch", description = "Deploy the app, then hot-swap or deploy every save; stream the functions' logs.")
final class WatchCommand implements Callable<Integer> {
    enum Mode { fallback, hotswap, full }

    @ParentCommand
    LivestackCommand root;

    @Option(names = "--mode", paramLabel = "fallback|hotswap|full",
            description = "fallback: hot-swap, change set when anything can't be swapped (default); hotswap: only hot-swap, report the rest; full: change sets only.")
    Mode mode = Mode.fallback;

    @Option(names = "--no-logs", description = "Don't stream the functions' logs.")
    boolean noLogs;

    @Option(names = "--no-validation", description = "Skip the CDK's own validation during synth.")
    boolean noValidation;

    @Override
    public Integer call() throws Exception {
        DeployMode m = switch (mode) {
            case fallback -> DeployMode.FALLBACK;
            case hotswap -> DeployMode.HOTSWAP;
            case full -> DeployMode.FULL;
        };
        try (Session session = new Session(root)) {
            return new WatchLoop(session, m, !noLogs, !noValidation).run();
        }
    }
}
