package dev.livestack.cli;

import dev.livestack.deployer.DeployMode;
import picocli.CommandLine.Option;

/** {@code --mode}, for {@code watch} and {@code deploy} (a picocli mixin); each command has its own default. */
final class ModeOption {
    /** The values as typed. */
    enum Mode { full, fallback, hotswap }

    @Option(names = "--mode", paramLabel = "full|fallback|hotswap",
            description = "full: change sets only; fallback: hot-swap, change set when anything can't be swapped; "
                    + "hotswap: only hot-swap, report the rest. Default: fallback for watch, full for deploy.")
    Mode mode;

    /** The mode given, or {@code otherwise}. */
    Mode or(Mode otherwise) {
        return mode == null ? otherwise : mode;
    }

    static DeployMode deployMode(Mode m) {
        return switch (m) {
            case full -> DeployMode.FULL;
            case fallback -> DeployMode.FALLBACK;
            case hotswap -> DeployMode.HOTSWAP;
        };
    }
}
