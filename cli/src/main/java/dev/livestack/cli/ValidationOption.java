package dev.livestack.cli;

import picocli.CommandLine.Option;

/** {@code --no-validation}, for every command that synthesises the app (a picocli mixin). */
final class ValidationOption {
    @Option(names = "--no-validation", description = "Skip the CDK's own validation during synth (CDK_VALIDATION=false).")
    boolean noValidation;

    boolean validation() {
        return !noValidation;
    }
}
