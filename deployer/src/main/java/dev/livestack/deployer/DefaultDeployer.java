package dev.livestack.deployer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.inlinepackager.InlineCode;
import dev.livestack.synth.CloudAssembly;
import dev.livestack.synth.StackTemplate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/** The deployer: diff, plan, hot-swap or change set, state. */
final class DefaultDeployer implements Deployer {

    private final DeployerConfig config;
    private final Retry retry;
    private final Cfn cfn;
    private final StateFiles state;
    private final ExecutorService pool;
    private final HotswapExecutor executor;
    private final ChangeSetDeployer changeSets;
    private final AssetPublisher assets;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, DeployedState> deployedStates = new ConcurrentHashMap<>();
    private final Set<String> driftWarned = ConcurrentHashMap.newKeySet();
    private final AppliedState applied;
    private final StackCfn stackCfns;
    private final StackParameters parameters;
    private final NestedStates nestedStates;
    private final DeployResults results;
    private final ForcedSwaps forced;

    DefaultDeployer(DeployerConfig config) {
        this.config = config;
        this.retry = new Retry(config.maxAttempts(), config.retryBaseDelay(), Duration.ofSeconds(5));
        this.cfn = new Cfn(config.cloudFormation(), retry);
        this.state = new StateFiles(config.stateDir());
        this.pool = HotswapExecutor.pool(config.hotswapConcurrency());
        BootstrapRoles roles = new BootstrapRoles(config.assets().roles(), config.assets().accountId(), config.assets().bootstrapLocal(),
                this::emit);
        this.assets = new AssetPublisher(config.s3(), config.assets(), retry, this::emit, roles);
        this.executor = new HotswapExecutor(Planner.standardHandlers(null), pool, (stack, l) -> new SwapContext(stack,
                config.lambda(), config.stepFunctions(), retry, l, assets, config.lambdaPollInterval(), config.timeout()));
        this.changeSets = new ChangeSetDeployer(config, cfn, retry);
        this.applied = new AppliedState(state, executor, this::emit);
        this.stackCfns = new StackCfn(config, cfn, retry, assets, roles);
        this.parameters = new StackParameters(config);
        this.nestedStates = new NestedStates(this::deployedState, state, cfn);
        this.results = new DeployResults(this::emit);
        this.forced = new ForcedSwaps(config, cfn, this::deployedState, this::swap, this::resolver, applied, nestedStates, results);
    }

    /** How this deployer's entry points end (for {@link AllStacks}). */
    DeployResults results() {
        return results;
    }

    private Retry.Listener listener(String stackName) {
        return (op, attempt, reason, delay) -> emit(new DeployEvent.Retrying(stackName, op, attempt, reason, delay));
    }

    private void emit(DeployEvent e) {
        try {
            config.events().accept(e);
        } catch (RuntimeException ignored) {
            // A listener's failure must not break a deploy half-way.
        }
    }

    /** A resolver over the deployed stack for {@code template}, with the region's exports when it imports any. */
    private Resolver resolver(DeployedState snap, ObjectNode template, Retry.Listener l) {
        return snap.resolver(template, cfn.region(), cfn.exportsFor(template, l));
    }

    @Override
    public DeployResult deploy(StackTemplate stack, DeployMode mode) {
        return deploy(stack, mode, config.assets().assemblyDir().get());
    }

    @Override
    public DeployResult deploy(CloudAssembly assembly, StackTemplate stack, DeployMode mode) {
        return deploy(stack, mode, assembly.directory());
    }

    private DeployResult deploy(StackTemplate stack, DeployMode mode, Path assemblyDir) {
        String name = stack.stackName();
        return locked(name, "Deploying stack " + name, "save again", t0 -> {
            String region = config.assets().region() != null ? config.assets().region() : cfn.region();
            if (stack.region() != null && !config.assets().bootstrapLocal() && !stack.region().equals(region)) {
                // `cdk deploy` would deploy it to its own region; the clients here talk to one region only
                return results.failure(name, "stack " + name + " is for region " + stack.region() + ", but this deploy targets "
                        + region + "\nDeploy it with --region " + stack.region() + " (or AWS_REGION), or make the stack's env use "
                        + "CDK_DEFAULT_REGION.", null, null, t0);
            }
            try {
                return doDeploy(stack, mode, assemblyDir, t0);
            } catch (AssetPublisher.AssetException e) {
                deployedStates.remove(name);
                return results.failure(name, e.getMessage(), null, null, t0);
            }
        });
    }

    /** The body of an entry point, given its start time. */
    private interface Locked {
        DeployResult run(long t0);
    }

    /**
     * Runs an entry point under the stack's lock and emits its closing event. An unexpected failure forgets what was
     * known about the stack (it may have changed behind our back) and is reported as {@code <what> failed: <why>}.
     */
    private DeployResult locked(String name, String what, String again, Locked body) {
        ReentrantLock lock = locks.computeIfAbsent(name, k -> new ReentrantLock());
        lock.lock();
        long t0 = System.nanoTime();
        try {
            return results.finish(body.run(t0));
        } catch (RuntimeException e) {
            deployedStates.remove(name);
            return results.finish(results.failure(name, what + " failed: " + HotswapExecutor.message(e)
                    + "\nCheck the target endpoint and credentials, then " + again + ".", null, List.of(), t0));
        } finally {
            lock.unlock();
        }
    }

    private DeployResult doDeploy(StackTemplate stack, DeployMode mode, Path assemblyDir, long t0) {
        String name = stack.stackName();
        ObjectNode newT = stack.template();
        Retry.Listener l = listener(name);
        if (mode == DeployMode.FULL) {
            // a pipeline's credentials may do no more than assume the deploy role: read the stack as that role too
            Cfn stackCfn = stackCfns.forDeploy(stack, l);
            Optional<ObjectNode> deployed = stackCfn.template(name, l);
            Optional<Stack> live = stackCfn.describe(name, l);
            if (deployed.isPresent() && live.isPresent() && deployed.get().equals(newT)
                    && new DeployedState(live.get(), Map.of()).usable() && !live.get().stackStatusAsString().endsWith("_FAILED")
                    && parameters.changed(name, newT, live.get(), true).isEmpty()) {
                stackCfn.protect(live.get(), stack.terminationProtection(), l);
                // CloudFormation has nothing to do, but what runs may not be its template: put drifted resources back
                List<String> reverted = new ArrayList<>(converge(name, state.template(name).orElse(null), newT, l));
                Map<String, ObjectNode> nestedTemplates = NestedStackSwaps.nestedTemplates(name, newT, assemblyDir);
                reverted.addAll(convergeNested(name, nestedTemplates, running(nestedTemplates), l));
                state.writeTemplate(name, newT);
                nestedTemplates.forEach(state::writeTemplate);
                return results.result(name, reverted.isEmpty() ? DeployResult.Status.NO_CHANGES : DeployResult.Status.DEPLOYED,
                        List.of(), List.of(), null, Cfn.outputs(live.get()), t0);
            }
            return changeSet(stack, assemblyDir, List.of(), t0);
        }
        DeployedState snap = deployedState(name, l).orElse(null);
        if (snap == null || !snap.usable()) {
            return changeSet(stack, assemblyDir, List.of(), t0);
        }
        ObjectNode old = state.template(name).or(() -> cfn.template(name, l)).orElse(null);
        TemplateDiff diff = TemplateDiff.between(old, newT);
        // a parameter given a new value: only a change set passes it to CloudFormation
        List<String> newValues = parameters.changed(name, newT, snap.stack(), false);
        if (!newValues.isEmpty() && mode == DeployMode.FALLBACK) {
            return changeSet(stack, assemblyDir, List.of(), t0);
        }
        List<String> skipped = StackParameters.skipNewValues(name, newValues, this::emit);
        if ((diff.isEmpty() || diff.metadataOnly()) && !newValues.isEmpty()) {
            return results.result(name, DeployResult.Status.PARTIAL, List.of(), skipped, null, Cfn.outputs(snap.stack()), t0);
        }
        if (diff.isEmpty() || diff.metadataOnly()) {
            if (old == null || !diff.isEmpty() || state.template(name).isEmpty()) {
                state.writeTemplate(name, newT);
            }
            return results.result(name, DeployResult.Status.NO_CHANGES, List.of(), List.of(), null, Cfn.outputs(snap.stack()), t0);
        }
        Optional<String> guarded = StackProtection.reason(config, name, snap.stack(), stack);
        if (guarded.isPresent()) {
            if (mode == DeployMode.FALLBACK) {
                return changeSet(stack, assemblyDir, List.of(), t0);
            }
            for (ResourceChange r : diff.resources()) {
                results.skip(name, r.logicalId(), r.resourceType(), "", RejectReason.STACK_PROTECTED, guarded.get(), skipped);
            }
            return results.result(name, DeployResult.Status.PARTIAL, List.of(), skipped, null, Cfn.outputs(snap.stack()), t0);
        }
        Resolver resolver = resolver(snap, newT, l);
        Planner planner = Planner.standard(assemblyDir);
        Planner.Result plan = planner.plan(diff, resolver);
        if (mode == DeployMode.HOTSWAP) {
            plan = planner.withPartialSwaps(plan, diff, resolver);
        }
        NestedStackSwaps.Result nested = new NestedStackSwaps(planner, assemblyDir, mode == DeployMode.HOTSWAP,
                new NestedStackSwaps.Stacks(n -> deployedState(n, l), (k, n) -> state.template(k).or(() -> cfn.template(n, l)),
                        (d, t) -> resolver(d, t, l))).expand(name, plan, diff, snap);
        plan = nested.parent();
        HotswapExecutor.report(name, plan.rejects(), mode == DeployMode.FALLBACK, skipped, this::emit);
        nested.children().forEach(c -> HotswapExecutor.report(c.stackName(), c.plan().rejects(), mode == DeployMode.FALLBACK,
                skipped, this::emit));
        if (nested.anyRejected() && mode == DeployMode.FALLBACK) {
            return changeSet(stack, assemblyDir, List.of(), t0);
        }
        List<HotswapExecutor.SwapOutcome> outcomes = new ArrayList<>(swap(name, plan.swaps(), l));
        applied.ledgerSwapped(name, old, newT, plan.swaps(), outcomes);
        NestedStackSwaps.Applied inner = NestedStackSwaps.apply(nested, name, (n, swaps) -> swap(n, swaps, l), state,
                applied);
        outcomes.addAll(inner.outcomes());
        HotswapExecutor.Tally tally = HotswapExecutor.Tally.of(outcomes);
        Set<String> done = new HashSet<>(tally.ok());
        done.addAll(inner.complete());
        plan.ignores().forEach(i -> done.add(i.logicalId()));
        boolean complete = tally.errors().isEmpty() && !nested.anyRejected();
        state.writeTemplate(name, complete ? newT : AppliedState.merge(old, newT, done, NestedStackSwaps.partialSwaps(plan), diff));
        if (!tally.errors().isEmpty()) {
            // The resource may have changed behind our back; read the stack again next time.
            deployedStates.remove(name);
        }
        return results.summary(name, tally, skipped, !plan.rejects().isEmpty() || !newValues.isEmpty(), "save again; the change stays pending",
                Cfn.outputs(snap.stack()), t0);
    }

    private List<HotswapExecutor.SwapOutcome> swap(String name, List<HotswapPlan.Swap> swaps, Retry.Listener l) {
        if (swaps.isEmpty()) {
            return List.of();
        }
        List<HotswapExecutor.SwapOutcome> outcomes = executor.apply(name, swaps, this::emit, l);
        if (outcomes.stream().anyMatch(HotswapExecutor.SwapOutcome::applied) && driftWarned.add(name)) {
            emit(new DeployEvent.DriftWarning(name, "hot-swapped " + name + ": CloudFormation's template no longer matches"
                    + " what runs until the next full deploy (`livestack deploy`); don't hot-swap production stacks"));
        }
        return outcomes;
    }

    /** Puts drifted resources back to {@code deployed} (see {@link AppliedState#converge}). */
    private List<String> converge(String name, ObjectNode running, ObjectNode deployed, Retry.Listener l) {
        return applied.converge(name, running, deployed, () -> deployedState(name, l).map(snap -> resolver(snap, deployed, l)),
                Planner.standard(config.assets().assemblyDir().get()), l);
    }

    /**
     * Puts drifted resources of the stack's nested stacks back to their templates from the assembly (what CloudFormation
     * runs in them now), as {@link #converge} does for the stack itself.
     *
     * @param templates the nested templates by key ({@link NestedStackSwaps#nestedTemplates})
     * @param running what ran in each nested stack before the deploy, by key (its last applied template)
     * @return the resources put back, named {@code <nested logical id>/…/<logical id>}
     */
    private List<String> convergeNested(String root, Map<String, ObjectNode> templates, Map<String, ObjectNode> running,
                                        Retry.Listener l) {
        List<String> reverted = new ArrayList<>();
        templates.forEach((key, deployed) -> {
            if (state.drift(key).isEmpty()) {
                return;
            }
            // a nested stack that is gone (or not found) leaves nothing to put back: its ledger is forgotten
            String nested = nestedStates.stackName(key, l).orElse(key);
            String prefix = key.substring(root.length() + 1).replace('.', '/') + "/";
            applied.converge(key, nested, running.get(key), deployed,
                            () -> deployedState(nested, l).filter(DeployedState::usable).map(snap -> resolver(snap, deployed, l)),
                            Planner.standard(config.assets().assemblyDir().get()), l)
                    .forEach(id -> reverted.add(prefix + id));
        });
        return reverted;
    }

    /** The last applied template of each nested stack of {@code templates}, by key (those livestack has one of). */
    private Map<String, ObjectNode> running(Map<String, ObjectNode> templates) {
        Map<String, ObjectNode> out = new HashMap<>();
        templates.keySet().forEach(k -> state.template(k).ifPresent(t -> out.put(k, t)));
        return out;
    }

    private DeployResult changeSet(StackTemplate stack, Path assemblyDir, List<String> skipped, long t0) {
        String name = stack.stackName();
        ObjectNode newT = stack.template();
        Retry.Listener l = listener(name);
        ChangeSetDeployer.Outcome o;
        // what runs before the change set: drifted resources the change set leaves alone are put back afterwards
        ObjectNode running = state.template(name).orElse(null);
        Map<String, ObjectNode> nestedTemplates = NestedStackSwaps.nestedTemplates(name, newT, assemblyDir);
        Map<String, ObjectNode> nestedRunning = running(nestedTemplates);
        // Assets first: the change set's template names S3 objects that must exist when it executes.
        assets.publish(AssetManifest.forStack(assemblyDir, name), newT, l);
        Cfn stackCfn = stackCfns.forDeploy(stack, l);
        ChangeSetDeployer deployer = stackCfn == cfn ? changeSets : new ChangeSetDeployer(config, stackCfn, retry);
        // CloudFormation deploys as the execution role the assembly names, as `cdk deploy` asks it to
        String executionRole = config.assets().roles() == null ? null
                : BootstrapRoles.executionRole(stack.roles(), v -> assets.substitute(v, name));
        try {
            o = deployer.deploy(name, newT, new ChangeSetDeployer.StackSettings(executionRole, stack.tags(),
                    stack.terminationProtection()), l);
        } finally {
            // with its nested stacks (named <stack>-<logical id>-<suffix>), which the change set may have changed too
            deployedStates.keySet().removeIf(k -> k.equals(name) || k.startsWith(name + "-"));
        }
        switch (o.status()) {
            case DEPLOYED, NO_CHANGES -> {
                converge(name, running, newT, l);
                convergeNested(name, nestedTemplates, nestedRunning, l);
                state.writeTemplate(name, newT);
                nestedTemplates.forEach(state::writeTemplate);
                state.writeOutputs(name, o.outputs());
                return new DeployResult(name, o.status(), List.of(), skipped, o.changeSetId(), o.outputs(), null, null,
                        DeployResults.elapsed(t0));
            }
            case DECLINED -> {
                return new DeployResult(name, o.status(), List.of(), skipped, o.changeSetId(), o.outputs(), o.error(), null,
                        DeployResults.elapsed(t0));
            }
            default -> {
                // What runs after a rollback is what CloudFormation has; compare against that next time.
                state.deleteTemplate(name);
                nestedTemplates.keySet().forEach(state::deleteTemplate);
                emit(new DeployEvent.DeployFailed(name, o.error(), o.rootCause(), o.finalStatus(), DeployResults.elapsed(t0)));
                return new DeployResult(name, DeployResult.Status.FAILED, List.of(), skipped, o.changeSetId(), o.outputs(),
                        o.error(), o.rootCause(), DeployResults.elapsed(t0));
            }
        }
    }

    private Optional<DeployedState> deployedState(String name, Retry.Listener l) {
        DeployedState cached = deployedStates.get(name);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Stack> s = cfn.describe(name, l);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        DeployedState snap = new DeployedState(s.get(), cfn.resources(name, l));
        if (snap.usable() && !snap.status().endsWith("_IN_PROGRESS")) {
            deployedStates.put(name, snap);
        }
        return Optional.of(snap);
    }

    @Override
    public Optional<String> cannotPublish(CloudAssembly assembly, String stackName) {
        return assets.cannotPublish(assembly.directory(), stackName);
    }

    @Override
    public List<DeployResult> deployAll(CloudAssembly assembly, DeployMode mode) {
        return AllStacks.deploy(this, assembly, mode);
    }

    @Override
    public DeployResult hotswapCode(String stackName, Map<String, InlineCode> codeByLogicalId) {
        if (stackName == null || stackName.isBlank()) {
            throw new IllegalArgumentException("stackName must not be blank");
        }
        return locked(stackName, "Hot-swapping code of stack " + stackName, "save again",
                t0 -> forced.code(stackName, codeByLogicalId, listener(stackName), t0));
    }

    @Override
    public DeployResult hotswapAll(StackTemplate stack, Set<String> logicalIds) {
        String name = stack.stackName();
        Set<String> wanted = logicalIds == null ? Set.of() : logicalIds;
        return locked(name, "Hot-swapping the functions of stack " + name, "try again",
                t0 -> forced.all(stack, wanted, listener(name), t0));
    }

    @Override
    public Optional<ObjectNode> lastApplied(String stackName) {
        return state.template(stackName);
    }

    @Override
    public Map<String, List<String>> drift(String stackName) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        state.drift(stackName).entries().values().forEach(e -> out.put(e.logicalId(), List.copyOf(e.baseline().keySet())));
        // the nested stacks' ledgers, their resources named by their path (<nested logical id>/…/<logical id>)
        for (String key : state.nestedDriftKeys(stackName)) {
            String prefix = key.substring(stackName.length() + 1).replace('.', '/') + "/";
            state.drift(key).entries().values().forEach(e -> out.put(prefix + e.logicalId(), List.copyOf(e.baseline().keySet())));
        }
        return out;
    }

    @Override
    public Map<String, String> outputs(String stackName) {
        return cfn.describe(stackName, listener(stackName)).map(Cfn::outputs).orElse(Map.of());
    }

    @Override
    public TemplateDiff diff(StackTemplate stack) {
        String name = stack.stackName();
        Retry.Listener l = listener(name);
        ObjectNode old = state.template(name).or(() -> stackCfns.forRead(stack).template(name, l)).orElse(null);
        return TemplateDiff.between(old, stack.template());
    }

    @Override
    public List<NestedDiff> nestedDiffs(StackTemplate stack) {
        return nestedStates.diffs(stack, config.assets().assemblyDir().get(), listener(stack.stackName()));
    }

    @Override
    public List<ParameterChange> parameterChanges(StackTemplate stack) {
        String name = stack.stackName();
        Optional<Stack> live = stackCfns.forRead(stack).describe(name, listener(name))
                .filter(st -> new DeployedState(st, Map.of()).usable());
        return parameters.changes(name, stack.template(), live.orElse(null));
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
