package dev.livestack.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command: the options every command shares, accepted before or after the command name. */
@Command(name = "livestack", scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        synopsisSubcommandLabel = "<command>",
        description = "Save a file, see it live in your stack. Continuous deploy for AWS serverless apps.",
        subcommands = {
                WatchCommand.class,
                DeployCommand.class,
                HotswapCommand.class,
                LogsCommand.class,
                InvokeCommand.class,
                DiffCommand.class,
                SynthCommand.class,
                EnvCommand.class,
                LocalCloudCommand.class,
                picocli.AutoComplete.GenerateCompletion.class
        })
final class LivestackCommand {

    /** What the user asked for with {@code --target}; {@link TargetResolver} turns it into a {@link Target}. */
    enum TargetChoice { auto, aws, local }

    /** How events are printed. */
    enum OutputFormat { text, json }

    @Option(names = "--app", scope = ScopeType.INHERIT, paramLabel = "DIR|FILE",
            description = "The app: a folder with cdk.json, or a CloudFormation template file (default: .).")
    Path app;

    @Option(names = "--stack", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Only these stacks (repeatable; default: every stack of the app).")
    List<String> stacks = new ArrayList<>();

    @Option(names = "--endpoint-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Send every AWS call to this endpoint (also AWS_ENDPOINT_URL).")
    String endpointUrl;

    @Option(names = "--profile", scope = ScopeType.INHERIT, paramLabel = "P",
            description = "AWS profile from the shared config and credentials files (also AWS_PROFILE).")
    String profile;

    @Option(names = "--region", scope = ScopeType.INHERIT, paramLabel = "R",
            description = "AWS region (also AWS_REGION, AWS_DEFAULT_REGION; default us-east-1).")
    String region;

    @Option(names = "--target", scope = ScopeType.INHERIT, paramLabel = "auto|aws|local",
            description = "auto: an endpoint wins, else AWS when credentials resolve, else local-cloud (default: auto).")
    TargetChoice target = TargetChoice.auto;

    @Option(names = "--state-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "livestack's state folder (default: <app>/.livestack); local-cloud keeps its state in DIR/local-cloud.")
    Path stateDir;

    @Option(names = "--output", scope = ScopeType.INHERIT, paramLabel = "text|json",
            description = "text for people, json for JSON Lines events (default: text).")
    OutputFormat output = OutputFormat.text;

    @Option(names = "--synth-timeout", scope = ScopeType.INHERIT, paramLabel = "SECONDS",
            description = "Stop a synth that runs longer than this (default: 120); the next synth starts afresh.")
    Integer synthTimeoutSeconds;

    /** Set by {@link Main} before the command runs. */
    Io io;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Stack traces and SDK details on errors.")
    boolean verbose;
}
