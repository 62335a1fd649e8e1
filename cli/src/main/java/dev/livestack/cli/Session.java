package dev.livestack.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.context.ContextLookupException;
import dev.livestack.context.ContextLookups;
import dev.livestack.context.LookupTarget;
import dev.livestack.inlinepackager.InlinePackager;
import dev.livestack.localcloud.LocalCloudConfig;
import dev.livestack.synth.CloudAssembly;
import dev.livestack.synth.StackTemplate;
import dev.livestack.synth.SynthException;
import dev.livestack.synth.SynthOptions;
import dev.livestack.synth.Synthesizer;
import dev.livestack.synth.Synthesizers;
import dev.livestack.deployer.ApprovalPolicy;
import dev.livestack.deployer.ChangeSetSummary;
import dev.livestack.deployer.Deployer;
import dev.livestack.deployer.DeployerConfig;
import java.util.ArrayList;
import java.util.Set;
import java.util.function.Predicate;
import java.util.List;
import java.util.Map;

/**
 * Everything one command run needs, built lazily from the global options: the app, the state folder,
 * the output, the target and its SDK clients, and an embedded local-cloud when the target rules pick one.
 * Closing it stops what it started, in reverse order.
 */
final class Session implements AutoCloseable {
    private final LivestackCommand globals;
    private final Io io;
    private final Output output;
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private Path app;
    private Target target;
    private Clients clients;
    private LocalCloudManager localCloud;
    private Synthesizer synthesizer;
    private volatile CloudAssembly assembly;
    private InlinePackager packager;
    private Render render;
    private String account;
    private Map<String, String> parameters = Map.of();

    Session(LivestackCommand globals) {
        this.globals = globals;
        this.io = globals.io;
        this.output = new Output(io, globals.output == LivestackCommand.OutputFormat.json);
        if (globals.endpointUrl != null) {
            // checked up front, so a typo is reported even by commands that never call AWS
            TargetResolver.parseEndpoint(globals.endpointUrl);
        }
        if (globals.region != null) {
            TargetResolver.checkRegion(globals.region, "--region");
        }
        for (String name : globals.stacks) {
            StackGlobs.checkStackName(name);
        }
    }

    Io io() {
        return io;
    }

    Output output() {
        return output;
    }

    LivestackCommand globals() {
        return globals;
    }

    Render render() {
        if (render == null) {
            render = new Render(output);
        }
        return render;
    }

    /** Registers something to close when the session ends (last registered, first closed). */
    <T extends AutoCloseable> T closeLater(T c) {
        closeables.push(c);
        return c;
    }

    /** The app: a folder with cdk.json, or a template file; checked, absolute. */
    Path app() {
        if (app != null) {
            return app;
        }
        Path given = globals.app == null ? io.cwd() : io.cwd().resolve(globals.app);
        Path p = given.toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            throw new UserError("The app " + p + " does not exist.",
                    "Pass --app DIR (a folder with cdk.json) or --app FILE (a CloudFormation template).");
        }
        if (Files.isDirectory(p)) {
            Path cdkJson = p.resolve("cdk.json");
            if (!Files.isRegularFile(cdkJson)) {
                throw new UserError("No cdk.json in " + p + ".",
                        "Run livestack in a CDK app folder, or pass --app DIR|FILE (a folder with cdk.json, or a template).");
            }
            JsonNode n = readJson(cdkJson, "cdk.json");
            if (!n.isObject() || !n.path("app").isTextual() || n.path("app").asText().isBlank()) {
                throw new UserError(cdkJson + " has no \"app\" command.",
                        "Add \"app\": \"<command that synthesises the app>\" to cdk.json, as 'cdk init' writes it.");
            }
        } else {
            String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
            if (!(name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".template"))) {
                throw new UserError("The app " + p + " is neither a folder nor a template (.json, .yaml, .yml, .template).",
                        "Pass --app DIR (a folder with cdk.json) or --app FILE (a CloudFormation template).");
            }
            if (!Files.isReadable(p)) {
                throw new UserError("The template " + p + " cannot be read.", "Check the file's permissions.");
            }
        }
        app = p;
        return app;
    }

    /** The folder the app lives in (the template's folder for a template file). */
    Path appDir() {
        Path a = app();
        return Files.isDirectory(a) ? a : a.getParent();
    }

    /** livestack's state folder: --state-dir, else {@code <app>/.livestack}. */
    Path stateDir() {
        if (globals.stateDir != null) {
            return checkFolder(io.cwd().resolve(globals.stateDir).toAbsolutePath().normalize(), "--state-dir");
        }
        return checkFolder(appDir().resolve(".livestack"), "livestack's state folder");
    }

    /**
     * A folder livestack may create and write: it, or its nearest existing parent, is a folder. Checked before any
     * deploy, so a state folder that cannot be written is bad input, not a deploy that failed after it changed the stack.
     */
    static Path checkFolder(Path dir, String what) {
        Path p = dir;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p != null && !Files.isDirectory(p)) {
            throw new UserError(what + " " + dir + " cannot be a folder: " + p + " is a file.",
                    "Pass --state-dir DIR with a folder (it is created when missing).");
        }
        if (p != null && !Files.isWritable(p)) {
            throw new UserError(what + " " + dir + " cannot be written: " + p + " is not writable.",
                    "Check the folder's permissions, or pass --state-dir DIR with a writable folder.");
        }
        return dir;
    }

    /** State folder without requiring a valid app (for local-cloud commands run anywhere). */
    Path stateDirLenient() {
        if (globals.stateDir != null) {
            return checkFolder(io.cwd().resolve(globals.stateDir).toAbsolutePath().normalize(), "--state-dir");
        }
        Path given = globals.app == null ? io.cwd() : io.cwd().resolve(globals.app);
        Path dir = Files.isRegularFile(given) ? given.toAbsolutePath().getParent() : given.toAbsolutePath();
        return dir.normalize().resolve(".livestack");
    }

    LocalCloudManager localCloud(int port) {
        if (localCloud == null) {
            localCloud = closeLater(new LocalCloudManager(stateDirLenient().resolve("local-cloud"), port));
        }
        return localCloud;
    }

    /** The target, resolved once. {@code allowLocalFallback} is false for {@code deploy --ci}. */
    Target target(boolean allowLocalFallback) {
        if (target == null) {
            target = new TargetResolver(io.env()).resolve(globals.target, globals.endpointUrl, globals.profile,
                    globals.region, localCloud(0), allowLocalFallback);
            if (target.kind() == Target.Kind.LOCAL_CLOUD && localCloud.owns()) {
                output.event(new CliEvent.TargetChosen("local-cloud", target.endpoint().toString()),
                        "Using an embedded local-cloud at " + target.endpoint()
                                + " (no AWS credentials found; set them or pass --target aws to deploy to AWS).");
            }
        }
        return target;
    }

    Clients clients() {
        return clients(true);
    }

    Clients clients(boolean allowLocalFallback) {
        if (clients == null) {
            Target t = target(allowLocalFallback);
            try {
                // now, once: a profile whose credentials cannot be loaded is reported before anything is synthesised
                // or deployed, and no call retries it
                t.credentials().resolveCredentials();
            } catch (RuntimeException e) {
                throw SdkFailures.credentials(e, TargetResolver.firstNonBlank(globals.profile, io.env().get("AWS_PROFILE")));
            }
            clients = closeLater(new Clients(t));
        }
        return clients;
    }

    /** The app's synthesizer, kept warm for the session (the watch loop reuses it for every save). */
    Synthesizer synthesizer(boolean validation) {
        if (synthesizer == null) {
            Path a = app();
            // Synthesis needs no AWS target: the region is the one the user named (or the default), and
            // env-agnostic stacks don't need an account.
            String region = TargetResolver.firstNonBlank(globals.region, io.env().get("AWS_REGION"),
                    io.env().get("AWS_DEFAULT_REGION"), "us-east-1");
            if (globals.synthTimeoutSeconds != null && globals.synthTimeoutSeconds < 1) {
                throw new UserError("--synth-timeout must be a whole number of seconds, at least 1 (was "
                        + globals.synthTimeoutSeconds + ").", "Pass e.g. --synth-timeout 300, or leave it out for 120 s.");
            }
            TargetResolver.checkRegion(region, globals.region != null ? "--region" : "AWS_REGION or AWS_DEFAULT_REGION");
            SynthOptions options = SynthOptions.of(a)
                    .withSynthTimeout(globals.synthTimeoutSeconds == null ? SynthOptions.DEFAULT_SYNTH_TIMEOUT
                            : java.time.Duration.ofSeconds(globals.synthTimeoutSeconds))
                    .withValidation(validation)
                    .withEnvironment(io.env())
                    .withListener(render()::synth)
                    .withTarget(region, appAccount());
            if (!globals.stacks.isEmpty() && Files.isRegularFile(a)) {
                options = options.withStackName(globals.stacks.get(0));
            }
            try {
                Synthesizer app = Synthesizers.forApp(options);
                // context lookups (Vpc.fromLookup, …) go to the run's target, resolved only when the app misses context
                synthesizer = closeLater(Files.isDirectory(a) ? ContextLookups.withLookups(app, a, this::lookupTarget, render()::synth) : app);
            } catch (SynthException e) {
                throw synthError(e);
            }
        }
        return synthesizer;
    }

    /**
     * {@code CDK_DEFAULT_ACCOUNT}, as the CDK CLI sets it: the account of the credentials the run uses (STS
     * GetCallerIdentity, asked once; local-cloud's own account there). None when the run has not chosen its target and
     * no credentials are set ({@code synth} without credentials, like {@code cdk synth}), or when STS refuses them.
     */
    private String appAccount() {
        if (target == null && !new TargetResolver(io.env()).hasCredentials(globals.profile)) {
            return null;
        }
        try {
            return account();
        } catch (RuntimeException e) {
            return null; // the CDK CLI synthesises without an account then; a command that needs the target says why
        }
    }

    private LookupTarget lookupTarget() {
        Target t = clients().target();
        return new LookupTarget(t.credentials(), t.endpoint(), t.region().id(), null);
    }

    /** Synthesises now; a failure is a user error with the diagnostics. */
    CloudAssembly synth(boolean validation) {
        try {
            assembly = synthesizer(validation).synth();
            return assembly;
        } catch (SynthException e) {
            throw synthError(e);
        }
    }

    /** The stacks the user picked with --stack (all when none), in deployment order. */
    List<StackTemplate> selected(CloudAssembly a) {
        if (globals.stacks.isEmpty()) {
            return a.stacks();
        }
        List<StackTemplate> out = new ArrayList<>();
        for (String name : globals.stacks) {
            if (a.stack(name).isEmpty() && a.stacks().stream().noneMatch(s -> StackGlobs.matches(name, s.stackName()))) {
                throw new UserError("The app has no stack named " + name + ".",
                        "Stacks in the app: " + String.join(", ", a.stacks().stream().map(StackTemplate::stackName).toList()) + ".");
            }
        }
        for (StackTemplate s : a.stacks()) {
            if (globals.stacks.stream().anyMatch(n -> StackGlobs.matches(n, s.stackName()))) {
                out.add(s);
            }
        }
        return out;
    }

    /** Stack names for commands that act on deployed stacks: --stack, else the applied ones, else the app's. */
    List<String> stackNames() {
        if (!globals.stacks.isEmpty() && globals.stacks.stream().noneMatch(StackGlobs::isGlob)) {
            // plain names are asked for as they are: a stack deployed by someone else need not be in the app
            return List.copyOf(globals.stacks);
        }
        List<String> applied = appliedTemplates().stream().map(StackTemplate::stackName)
                .filter(n -> globals.stacks.isEmpty() || globals.stacks.stream().anyMatch(g -> StackGlobs.matches(g, n))).toList();
        if (!applied.isEmpty()) {
            return applied;
        }
        return selected(assembly != null ? assembly : synth(true)).stream().map(StackTemplate::stackName).toList();
    }

    /** The last applied template of each stack (what livestack deployed from this app), from the state folder. */
    List<StackTemplate> appliedTemplates() {
        Path dir = stateDir().resolve("state");
        List<StackTemplate> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                String stack = name.substring(0, Math.max(0, name.length() - ".template.json".length()));
                // a nested stack's last applied template is kept as <parent>.<logical id>: no stack name has a dot
                if (name.endsWith(".template.json") && !name.startsWith(".") && !stack.contains(".")) {
                    try {
                        JsonNode n = Output.JSON.readTree(f.toFile());
                        if (n instanceof ObjectNode o) {
                            out.add(new StackTemplate(name.substring(0, name.length() - ".template.json".length()), o, List.of()));
                        }
                    } catch (IOException damaged) {
                        output.warn("Ignoring the unreadable state file " + f + ": " + damaged.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new UserError("Cannot read livestack's state folder " + dir + ": " + e.getMessage(),
                    "Check the folder's permissions, or pass --state-dir DIR.");
        }
        return out;
    }

    /** Templates for commands that need function sources: the applied ones, else a synth. */
    List<StackTemplate> templates() {
        List<StackTemplate> applied = appliedTemplates().stream()
                .filter(t -> globals.stacks.isEmpty() || globals.stacks.stream().anyMatch(n -> StackGlobs.matches(n, t.stackName())))
                .toList();
        if (!applied.isEmpty()) {
            return applied;
        }
        return selected(assembly != null ? assembly : synth(true));
    }

    /** The {@code --parameters} values (keys {@code KEY} or {@code STACK:KEY}) every deployer of this run passes. */
    void parameters(Map<String, String> values) {
        parameters = Map.copyOf(values);
    }

    Map<String, String> parameters() {
        return parameters;
    }

    /** A deployer for this run's target, reporting through the renderer. */
    Deployer deployer(ApprovalPolicy approval, Predicate<ChangeSetSummary> approver, boolean replaceFailed) {
        return deployer(approval, approver, replaceFailed, null);
    }

    /** As above; {@code confirmReplace} asks whether to re-create a stack left in ROLLBACK_FAILED (null: never asks). */
    Deployer deployer(ApprovalPolicy approval, Predicate<ChangeSetSummary> approver, boolean replaceFailed,
                      Predicate<String> confirmReplace) {
        Clients c = clients();
        String account = account();
        DeployerConfig config = DeployerConfig.of(c.cloudFormation(), c.lambda(), stateDir())
                .withEvents(render()::deploy)
                .withS3(c.s3(), DeployerConfig.defaultTemplateBucket(account, c.target().region().id()))
                .withStepFunctions(c.stepFunctions())
                .withApproval(approval, approver)
                .withProtectedStacks(protectedStacks())
                .withReplaceFailed(replaceFailed, confirmReplace)
                .withParameters(parameters, Map.of())
                // file assets come from the latest synth's assembly; on local-cloud a missing CDK bootstrap is created;
                // change sets and uploads act as the bootstrap roles the assembly names, as `cdk deploy` does
                .withAssets(DeployerConfig.Assets.of(() -> assembly == null ? null : assembly.directory(), account,
                        c.target().region().id(), c.ssm(), c.target().isLocal()).withRoles(c.roles())
                        // image assets are built and pushed with the docker on the PATH livestack was given
                        .withDocker(Executables.find("docker", io.env()).map(Path::of).orElse(null), c.ecr()));
        if (c.target().isLocal()) {
            // local-cloud answers in milliseconds and has no rate limits: poll it tighter than AWS
            config = config.withPolling(java.time.Duration.ofMillis(20), java.time.Duration.ofMillis(100));
        }
        return closeLater(Deployer.create(config));
    }

    /** The account this run changes: local-cloud's, or the caller's (STS GetCallerIdentity, asked once). */
    String account() {
        if (account == null) {
            Clients c = clients();
            account = c.target().isLocal() ? LocalCloudConfig.DEFAULT_ACCOUNT : c.sts().getCallerIdentity().account();
        }
        return account;
    }

    /** For banners: what this run changes, account and region included, so nobody deploys to the wrong one. */
    String targetBanner() {
        Target t = target(true);
        return t.description() + (t.kind() == Target.Kind.AWS ? ", account " + account()
                : " (account " + account() + ", " + t.region().id() + ")");
    }

    /** cdk.json context {@code livestack:protectedStacks}: globs (a list or a comma-separated string) never hot-swapped. */
    Set<String> protectedStacks() {
        Path cdkJson = appDir().resolve("cdk.json");
        if (!Files.isRegularFile(cdkJson)) {
            return Set.of();
        }
        return StackGlobs.protectedStacks(readJson(cdkJson, "cdk.json").path("context").path("livestack:protectedStacks"));
    }

    InlinePackager packager() {
        if (packager == null) {
            List<Path> roots = new ArrayList<>();
            roots.add(appDir());
            String home = System.getProperty("livestack.home");
            if (home != null) {
                roots.add(Path.of(home));
            }
            roots.add(io.cwd());
            packager = InlinePackager.discover(roots);
        }
        return packager;
    }

    /** One error, two lines: a single diagnostic joins line one; several (the app's own output) were printed above. */
    private static UserError synthError(SynthException e) {
        if (e instanceof ContextLookupException c) {
            return new UserError("Synth failed: " + c.getMessage(), c.hint(), ExitCodes.BAD_INPUT, e);
        }
        List<String> d = e.diagnostics();
        String what = "Synth failed: " + e.getMessage() + (d.size() == 1 ? " (" + d.get(0).strip() + ")" : "");
        return new UserError(what.endsWith(".") ? what : what + ".",
                d.size() > 1 ? "Fix the app (its output is above) and run the command again." : "Fix the app and run the command again.",
                ExitCodes.BAD_INPUT, e);
    }

    static JsonNode readJson(Path file, String what) {
        try {
            return Output.JSON.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new UserError(what + " (" + file + ") is not valid JSON: line " + e.getLocation().getLineNr() + ": "
                    + e.getOriginalMessage(), "Fix the file and run the command again.");
        } catch (IOException e) {
            throw new UserError("Cannot read " + file + ": " + e.getMessage(), "Check the file's permissions.");
        }
    }

    @Override
    public void close() {
        while (!closeables.isEmpty()) {
            try {
                closeables.pop().close();
            } catch (Exception ignored) {
                // keep closing the rest
            }
        }
    }
}
