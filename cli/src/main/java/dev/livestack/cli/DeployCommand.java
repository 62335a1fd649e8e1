package dev.livestack.cli;

import dev.livestack.deployer.ApprovalPolicy;
import dev.livestack.deployer.ChangeSetSummary;
import dev.livestack.deployer.DeployMode;
import dev.livestack.deployer.DeployResult;
import dev.livestack.deployer.Deployer;
import dev.livestack.synth.CloudAssembly;
import dev.livestack.synth.StackTemplate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code livestack deploy}: one deploy of the app's stacks, in dependency order. */
@Command(name = "deploy", description = "Deploy the app once: a change set per stack (or hot-swaps with --mode), then exit.")
final class DeployCommand implements Callable<Integer> {
    enum Approval { never, broadening, any_change }

    @ParentCommand
    LivestackCommand root;

    @Option(names = "--ci", description = "Non-interactive: change sets only (never hot-swaps), never prompts, never falls back to local-cloud.")
    boolean ci;

    @Mixin
    ModeOption mode = new ModeOption();

    @Option(names = "--require-approval", paramLabel = "never|broadening|any-change",
            converter = ApprovalConverter.class,
            description = "Ask before executing: never, broadening (IAM / security-group changes; default), any-change.")
    Approval approval;

    @Option(names = "--outputs-file", paramLabel = "FILE", description = "Write the stacks' outputs here, as 'cdk deploy --outputs-file' does.")
    Path outputsFile;

    @Option(names = "--replace-failed", description = "Delete a stack left in ROLLBACK_FAILED (a failed create whose rollback failed too) and create it again; one in ROLLBACK_COMPLETE always is.")
    boolean replaceFailed;

    @Mixin
    ValidationOption validation = new ValidationOption();

    @Mixin
    ParametersOption parameters = new ParametersOption();

    static final class ApprovalConverter implements picocli.CommandLine.ITypeConverter<Approval> {
        @Override
        public Approval convert(String value) {
            try {
                return Approval.valueOf(value.trim().toLowerCase(java.util.Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not one of never, broadening, any-change");
            }
        }
    }

    @Override
    public Integer call() throws IOException {
        ModeOption.Mode chosen = mode.or(ModeOption.Mode.full);
        if (ci && chosen != ModeOption.Mode.full) {
            throw new UserError("--ci deploys through change sets only; --mode " + chosen + " would hot-swap.",
                    "Drop --mode (or use --mode full) with --ci.");
        }
        DeployMode deployMode = ModeOption.deployMode(chosen);
        try (Session session = new Session(root)) {
            session.parameters(parameters.parsed());
            Path outputsPath = outputsFile == null ? null : checkOutputsFile(session.io().cwd().resolve(outputsFile).toAbsolutePath().normalize());
            session.stateDir();
            session.clients(!ci);
            CloudAssembly assembly = session.synth(validation.validation());
            List<StackTemplate> stacks = Preflight.stacks(session, assembly);
            ApprovalPolicy policy = switch (approval == null ? (ci ? Approval.never : Approval.broadening) : approval) {
                case never -> ApprovalPolicy.NEVER;
                case broadening -> ApprovalPolicy.BROADENING;
                case any_change -> ApprovalPolicy.ANY_CHANGE;
            };
            Deployer deployer = session.deployer(policy, approver(session), replaceFailed, confirmReplace(session));
            Preflight.assets(deployer, assembly, stacks);
            Map<String, Map<String, String>> outputs = new LinkedHashMap<>();
            boolean ok = true;
            for (StackTemplate stack : stacks) {
                DeployResult r = deployer.deploy(assembly, stack, deployMode);
                outputs.put(stack.stackName(), r.outputs());
                if (r.status() == DeployResult.Status.FAILED || r.status() == DeployResult.Status.DECLINED) {
                    ok = false;
                    break;
                }
            }
            if (outputsPath != null) {
                Path file = outputsPath;
                try {
                    StackOutputs.write(file, outputs);
                } catch (IOException e) {
                    throw new UserError("The deploy " + (ok ? "succeeded" : "ended") + ", but the outputs file " + file
                            + " could not be written: " + e.getMessage() + ".",
                            "Read the outputs with 'livestack env', or pass --outputs-file with a writable path.",
                            ExitCodes.FAILED, e);
                }
                session.output().event(new CliEvent.OutputsWritten(file.toString()), "outputs written to " + file);
            } else if (!session.output().json()) {
                outputs.forEach((stack, values) -> values.forEach((k, v) ->
                        session.output().info(stack + "." + k + " = " + v)));
            }
            return ok ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    /**
     * The outputs file must be writable before anything is deployed: finding out after a deploy succeeded turns bad
     * input into a failed run. A folder in its place, or a file where a parent folder should be, is refused here.
     */
    static Path checkOutputsFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new UserError("--outputs-file " + file + " is a folder.", "Pass --outputs-file with a file path, e.g. outputs.json.");
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new UserError("--outputs-file " + file + " is not writable.", "Check the file's permissions, or pass another path.");
        }
        Path p = file.getParent();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p != null && (!Files.isDirectory(p) || !Files.isWritable(p))) {
            throw new UserError("--outputs-file " + file + " cannot be written: " + p
                    + (Files.isDirectory(p) ? " is not writable." : " is a file, not a folder."),
                    "Pass --outputs-file with a path in a writable folder.");
        }
        return file;
    }

    /** On a terminal (not --ci), offers to delete and re-create a stack left in ROLLBACK_FAILED. */
    private Predicate<String> confirmReplace(Session session) {
        if (ci || !session.io().terminal()) {
            return null;
        }
        return stack -> ask(session, "The stack " + stack + " is in ROLLBACK_FAILED: its creation failed and so did deleting what it had created. Delete and re-create it? (y/n) ");
    }

    private static boolean ask(Session session, String question) {
        session.io().out().print(question);
        session.io().out().flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(session.io().in(), StandardCharsets.UTF_8)).readLine();
            return answer != null && answer.trim().toLowerCase(java.util.Locale.ROOT).startsWith("y");
        } catch (IOException e) {
            return false;
        }
    }

    /** Asks on the terminal; in --ci or without a terminal nothing is approved that needs approval. */
    private Predicate<ChangeSetSummary> approver(Session session) {
        return summary -> {
            if (ci || !session.io().terminal()) {
                session.output().warn("The change set for " + summary.stackName() + " needs approval (--require-approval); "
                        + "not executing it without a terminal. Pass --require-approval never to deploy it unattended.");
                return false;
            }
            return ask(session, "Deploy these changes to " + summary.stackName() + "? (y/n) ");
        };
    }
}
