package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.inlinepackager.InlineCode;
import dev.livestack.synth.CloudAssembly;
import dev.livestack.synth.StackTemplate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
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
    private final BootstrapRoles roles;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, DeployedState> snapshots = new ConcurrentHashMap<>();
    private final Set<String> driftWarned = ConcurrentHashMap.newKeySet();

    DefaultDeployer(DeployerConfig config) {
        this.config = config;
        this.retry = new Retry(config.maxAttempts(), config.retryBaseDelay(), Duration.ofSeconds(5));
        this.cfn = new Cfn(config.cloudFormation(), retry);
        this.state = new StateFiles(config.stateDir());
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "livestack-hotswap-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newFixedThreadPool(config.hotswapConcurrency(), tf);
        this.roles = new BootstrapRoles(config.assets().roles(), config.assets().accountId(), config.assets().bootstrapLocal(),
                this::emit);
        this.assets = new AssetPublisher(config.s3(), config.assets(), retry, this::emit, roles);
        this.executor = new HotswapExecutor(Planner.standardHandlers(null), config.lambda(), config.stepFunctions(), retry, pool,
                config.lambdaPollInterval(), config.timeout(), assets);
        this.changeSets = new ChangeSetDeployer(config, cfn, retry);
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

    /** The region's exports, read only when the template imports any (it costs a call per deploy). */
    private Map<String, String> exportsFor(ObjectNode template, Retry.Listener l) {
        if (!Json.write(template).contains("\"Fn::ImportValue\"")) {
            return Map.of();
        }
        try {
            return cfn.exports(l);
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            // Without exports an import is reported as not resolvable, which falls back to a change set.
            return Map.of();
        }
    }

    private String fallbackRegion() {
        var r = config.cloudFormation().serviceClientConfiguration().region();
        return r == null ? "us-east-1" : r.id();
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
            String region = config.assets().region() != null ? config.assets().region() : fallbackRegion();
            if (stack.region() != null && !config.assets().bootstrapLocal() && !stack.region().equals(region)) {
                // `cdk deploy` would deploy it to its own region; the clients here talk to one region only
                return failure(name, "stack " + name + " is for region " + stack.region() + ", but this deploy targets "
                        + region + "\nDeploy it with --region " + stack.region() + " (or AWS_REGION), or make the stack's env use "
                        + "CDK_DEFAULT_REGION.", null, null, t0);
            }
            try {
                return doDeploy(stack, mode, assemblyDir, t0);
            } catch (AssetPublisher.AssetException e) {
                snapshots.remove(name);
                return failure(name, e.getMessage(), null, null, t0);
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
            return finish(body.run(t0));
        } catch (RuntimeException e) {
            snapshots.remove(name);
            return finish(failure(name, what + " failed: " + HotswapExecutor.message(e)
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
            Cfn stackCfn = stackCfn(stack, l);
            Optional<ObjectNode> deployed = stackCfn.template(name, l);
            Optional<Stack> live = stackCfn.describe(name, l);
            if (deployed.isPresent() && live.isPresent() && deployed.get().equals(newT)
                    && new DeployedState(live.get(), Map.of()).usable() && !live.get().stackStatusAsString().endsWith("_FAILED")) {
                stackCfn.protect(live.get(), stack.terminationProtection(), l);
                // CloudFormation has nothing to do, but what runs may not be its template: put drifted resources back
                List<String> reverted = converge(name, state.template(name).orElse(null), newT, l);
                state.writeTemplate(name, newT);
                return result(name, reverted.isEmpty() ? DeployResult.Status.NO_CHANGES : DeployResult.Status.DEPLOYED,
                        List.of(), List.of(), null, Cfn.outputs(live.get()), t0);
            }
            return changeSet(stack, assemblyDir, List.of(), t0);
        }
        DeployedState snap = snapshot(name, l).orElse(null);
        if (snap == null || !snap.usable()) {
            return changeSet(stack, assemblyDir, List.of(), t0);
        }
        ObjectNode old = state.template(name).or(() -> cfn.template(name, l)).orElse(null);
        TemplateDiff diff = TemplateDiff.between(old, newT);
        if (diff.isEmpty() || diff.metadataOnly()) {
            if (old == null || !diff.isEmpty() || state.template(name).isEmpty()) {
                state.writeTemplate(name, newT);
            }
            return result(name, DeployResult.Status.NO_CHANGES, List.of(), List.of(), null, Cfn.outputs(snap.stack()), t0);
        }
        Optional<String> guarded = protection(name, snap.stack(), stack);
        if (guarded.isPresent()) {
            if (mode == DeployMode.FALLBACK) {
                return changeSet(stack, assemblyDir, List.of(), t0);
            }
            List<String> skipped = new ArrayList<>();
            for (ResourceChange r : diff.resources()) {
                skip(name, r.logicalId(), r.resourceType(), "", RejectReason.STACK_PROTECTED, guarded.get(), skipped);
            }
            return result(name, DeployResult.Status.PARTIAL, List.of(), skipped, null, Cfn.outputs(snap.stack()), t0);
        }
        Resolver resolver = snap.resolver(newT, fallbackRegion(), exportsFor(newT, l));
        Planner planner = Planner.standard(assemblyDir);
        Planner.Result plan = planner.plan(diff, resolver);
        if (mode == DeployMode.HOTSWAP) {
            plan = planner.withPartialSwaps(plan, diff, resolver);
        }
        List<String> skipped = new ArrayList<>();
        for (HotswapPlan.Reject r : plan.rejects()) {
            String reason = mode == DeployMode.FALLBACK ? r.reason() + " (deploying a change set)" : r.reason();
            emit(new DeployEvent.HotswapSkipped(name, r.logicalId(), r.resourceType(), r.property(), r.code(), reason));
            skipped.add(r.logicalId() + (r.property().isEmpty() ? "" : "." + r.property()) + ": " + r.reason());
        }
        if (!plan.rejects().isEmpty() && mode == DeployMode.FALLBACK) {
            return changeSet(stack, assemblyDir, List.of(), t0);
        }
        List<HotswapExecutor.Outcome> outcomes = swap(name, plan.swaps(), l);
        List<String> swapped = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Set<String> applied = new HashSet<>();
        plan.ignores().forEach(i -> applied.add(i.logicalId()));
        for (HotswapExecutor.Outcome o : outcomes) {
            if (o.ok()) {
                if (o.applied()) {
                    swapped.add(o.logicalId());
                }
                applied.add(o.logicalId());
            } else {
                errors.add(o.logicalId() + ": " + o.error());
            }
        }
        boolean complete = errors.isEmpty() && plan.rejects().isEmpty();
        Map<String, List<String>> partial = new LinkedHashMap<>();
        Set<String> rejected = new HashSet<>();
        plan.rejects().forEach(r -> rejected.add(r.logicalId()));
        for (HotswapPlan.Swap s : plan.swaps()) {
            if (rejected.contains(s.logicalId())) {
                partial.put(s.logicalId(), s.properties());
            }
        }
        ledgerSwapped(name, old, newT, plan.swaps(), outcomes);
        state.writeTemplate(name, complete ? newT : merge(old, newT, applied, partial, diff));
        if (!errors.isEmpty()) {
            // The resource may have changed behind our back; read the stack again next time.
            snapshots.remove(name);
            return failure(name, "Hot-swapping " + String.join(", ", errors) + "\nFix the cause and save again; the change stays pending.",
                    errors.get(0), swapped, t0);
        }
        DeployResult.Status status = plan.rejects().isEmpty()
                ? (swapped.isEmpty() ? DeployResult.Status.NO_CHANGES : DeployResult.Status.HOTSWAPPED)
                : DeployResult.Status.PARTIAL;
        return result(name, status, swapped, skipped, null, Cfn.outputs(snap.stack()), t0);
    }

    private List<HotswapExecutor.Outcome> swap(String name, List<HotswapPlan.Swap> swaps, Retry.Listener l) {
        if (swaps.isEmpty()) {
            return List.of();
        }
        List<HotswapExecutor.Outcome> outcomes = executor.apply(name, swaps, this::emit, l);
        if (outcomes.stream().anyMatch(HotswapExecutor.Outcome::applied) && driftWarned.add(name)) {
            emit(new DeployEvent.DriftWarning(name, "hot-swapped " + name + ": CloudFormation's template no longer matches"
                    + " what runs until the next full deploy (`livestack deploy`); don't hot-swap production stacks"));
        }
        return outcomes;
    }

    /** Records in the drift ledger what the successful swaps now run (their properties' new values). */
    private void ledgerSwapped(String name, ObjectNode before, ObjectNode after, List<HotswapPlan.Swap> swaps,
                               List<HotswapExecutor.Outcome> outcomes) {
        Set<String> ok = new HashSet<>();
        outcomes.stream().filter(HotswapExecutor.Outcome::ok).forEach(o -> ok.add(o.logicalId()));
        DriftLedger ledger = state.drift(name);
        for (HotswapPlan.Swap s : swaps) {
            if (!ok.contains(s.logicalId())) {
                continue;
            }
            ObjectNode oldProps = properties(before, s.logicalId());
            ObjectNode newProps = properties(after, s.logicalId());
            for (String p : s.properties()) {
                ledger.swapped(s.logicalId(), s.resourceType(), p, oldProps.get(p), newProps.get(p));
            }
        }
        state.writeDrift(name, ledger);
    }

    private static ObjectNode properties(ObjectNode template, String logicalId) {
        return template == null ? Json.MAPPER.createObjectNode()
                : Json.objectOrEmpty(template.path("Resources").path(logicalId).get("Properties"));
    }

    /**
     * After a deploy left CloudFormation's template at {@code deployed}, puts every drifted property CloudFormation did not
     * change (its baseline equals the deployed value) and that runs another value ({@code running}, the last applied
     * template; {@code null} when unknown) back to the deployed value, through the resource's hot-swap handler. A
     * property CloudFormation changed was applied by CloudFormation and leaves the ledger.
     *
     * @return the logical ids put back
     */
    private List<String> converge(String name, ObjectNode running, ObjectNode deployed, Retry.Listener l) {
        DriftLedger ledger = state.drift(name);
        if (ledger.isEmpty()) {
            return List.of();
        }
        List<HotswapPlan.Swap> swaps = new ArrayList<>();
        ObjectNode resources = Json.objectOrEmpty(deployed.get("Resources"));
        DeployedState snap = snapshot(name, l).orElse(null);
        Resolver resolver = snap == null ? null : snap.resolver(deployed, fallbackRegion(), exportsFor(deployed, l));
        Planner planner = Planner.standard(config.assets().assemblyDir().get());
        for (DriftLedger.Entry e : List.copyOf(ledger.entries().values())) {
            JsonNode target = resources.get(e.logicalId());
            if (target == null || !target.isObject() || !e.resourceType().equals(target.path("Type").asText())
                    || resolver == null) {
                e.baseline().keySet().forEach(p -> ledger.forget(e.logicalId(), p));
                continue;
            }
            ObjectNode targetProps = Json.objectOrEmpty(target.get("Properties"));
            ObjectNode runningProps = properties(running, e.logicalId());
            List<PropertyChange> back = new ArrayList<>();
            e.baseline().forEach((p, baseline) -> {
                JsonNode want = targetProps.get(p);
                JsonNode now = running == null ? null : runningProps.get(p);
                if (!Json.sameValue(baseline, want) || running != null && Json.sameValue(now, want)) {
                    ledger.forget(e.logicalId(), p); // CloudFormation applied it, or it already runs the template's value
                } else if (now != null || want != null) {
                    back.add(new PropertyChange(p, false, now, want));
                }
            });
            if (back.isEmpty()) {
                continue;
            }
            ObjectNode from = running == null ? (ObjectNode) target.deepCopy() : Json.objectOrEmpty(running.path("Resources").path(e.logicalId()));
            HotswapPlan plan = planner.planOne(new ResourceChange(e.logicalId(), ResourceChange.Kind.MODIFIED,
                    from.isEmpty() ? (ObjectNode) target.deepCopy() : from, (ObjectNode) target, back), resolver);
            if (plan instanceof HotswapPlan.Swap sw) {
                swaps.add(sw);
            } else {
                emit(new DeployEvent.DriftWarning(name, e.logicalId() + " still runs what was hot-swapped ("
                        + String.join(", ", back.stream().map(PropertyChange::name).toList()) + "): "
                        + (plan instanceof HotswapPlan.Reject r ? r.reason() : "it cannot be put back")
                        + "; change it in the app and deploy again"));
            }
        }
        List<String> reverted = new ArrayList<>();
        if (!swaps.isEmpty()) {
            // Reported as drift.reverted, not hotswap.applied: this restores CloudFormation's template, it deploys nothing new
            java.util.function.Consumer<DeployEvent> asRevert = ev -> {
                if (ev instanceof DeployEvent.HotswapApplied a) {
                    emit(new DeployEvent.DriftReverted(name, a.logicalId(), a.resourceType(), a.physicalId(), a.properties(),
                            a.detail(), a.duration()));
                } else if (!(ev instanceof DeployEvent.HotswapSkipped)) {
                    emit(ev);
                }
            };
            for (HotswapExecutor.Outcome o : executor.apply(name, swaps, asRevert, l)) {
                if (o.ok()) {
                    if (o.applied()) {
                        reverted.add(o.logicalId());
                    }
                    ledger.entry(o.logicalId()).ifPresent(e -> e.baseline().keySet().forEach(p -> ledger.forget(o.logicalId(), p)));
                }
            }
        }
        state.writeDrift(name, ledger);
        return reverted;
    }

    /** The old template with the applied resources taken from the new one: what now runs. */
    static ObjectNode merge(ObjectNode old, ObjectNode newT, Set<String> applied, Map<String, List<String>> partial,
                            TemplateDiff diff) {
        ObjectNode out = old == null ? Json.MAPPER.createObjectNode() : old.deepCopy();
        ObjectNode res = out.has("Resources") && out.get("Resources").isObject()
                ? (ObjectNode) out.get("Resources") : out.putObject("Resources");
        ObjectNode newRes = Json.objectOrEmpty(newT.get("Resources"));
        for (String id : applied) {
            JsonNode n = newRes.get(id);
            List<String> only = partial.get(id);
            if (only != null && n != null && res.get(id) instanceof ObjectNode r) {
                // only some properties were swapped: the rest still runs the old values
                ObjectNode props = r.has("Properties") && r.get("Properties").isObject()
                        ? (ObjectNode) r.get("Properties") : r.putObject("Properties");
                ObjectNode newProps = Json.objectOrEmpty(n.get("Properties"));
                for (String p : only) {
                    if (newProps.has(p)) {
                        props.set(p, newProps.get(p).deepCopy());
                    } else {
                        props.remove(p);
                    }
                }
            } else if (n == null) {
                res.remove(id);
            } else {
                res.set(id, n.deepCopy());
            }
        }
        for (SectionChange s : diff.sections()) {
            if (s.section().equals("Metadata")) {
                if (s.newValue() == null) {
                    out.remove("Metadata");
                } else {
                    out.set("Metadata", s.newValue().deepCopy());
                }
            }
        }
        return out;
    }

    /**
     * The CloudFormation calls of a stack's deploy: as the deploy role its assembly names, once the bootstrap check
     * has run (on local-cloud it creates the version parameter the bootstrap roles come with); else as the caller.
     */
    private Cfn stackCfn(StackTemplate stack, Retry.Listener l) {
        StackTemplate.Roles r = stack.roles();
        if (config.assets().roles() == null || r.assumeRoleArn() == null) {
            return cfn;
        }
        assets.checkBootstrap(stack.stackName(), stack.template(), l);
        return asDeployRole(stack);
    }

    /** CloudFormation as the stack's deploy role, or as the caller when the role is refused within its account. */
    private Cfn asDeployRole(StackTemplate stack) {
        StackTemplate.Roles r = stack.roles();
        return roles.act(stack.stackName(), "deploy", r.assumeRoleArn(), r.assumeRoleExternalId(),
                v -> assets.substitute(v, stack.stackName())).map(c -> new Cfn(c.cloudFormation(), retry)).orElse(cfn);
    }

    /**
     * Reads for a command that changes nothing ({@code diff}): as the deploy role on AWS, as cdk diff reads; on
     * local-cloud as the caller, because the role would need the bootstrap parameter a read must not create.
     */
    private Cfn readCfn(StackTemplate stack) {
        StackTemplate.Roles r = stack.roles();
        if (config.assets().roles() == null || r.assumeRoleArn() == null || config.assets().bootstrapLocal()) {
            return cfn;
        }
        return asDeployRole(stack);
    }

    private DeployResult changeSet(StackTemplate stack, Path assemblyDir, List<String> skipped, long t0) {
        String name = stack.stackName();
        ObjectNode newT = stack.template();
        Retry.Listener l = listener(name);
        ChangeSetDeployer.Outcome o;
        // what runs before the change set: drifted resources the change set leaves alone are put back afterwards
        ObjectNode running = state.template(name).orElse(null);
        // Assets first: the change set's template names S3 objects that must exist when it executes.
        assets.publish(AssetManifest.forStack(assemblyDir, name), newT, l);
        Cfn stackCfn = stackCfn(stack, l);
        ChangeSetDeployer deployer = stackCfn == cfn ? changeSets : new ChangeSetDeployer(config, stackCfn, retry);
        // CloudFormation deploys as the execution role the assembly names, as `cdk deploy` asks it to
        String executionRole = config.assets().roles() == null ? null
                : BootstrapRoles.executionRole(stack.roles(), v -> assets.substitute(v, name));
        try {
            o = deployer.deploy(name, newT, new ChangeSetDeployer.StackSettings(executionRole, stack.tags(),
                    stack.terminationProtection()), l);
        } finally {
            snapshots.remove(name);
        }
        switch (o.status()) {
            case DEPLOYED, NO_CHANGES -> {
                converge(name, running, newT, l);
                state.writeTemplate(name, newT);
                state.writeOutputs(name, o.outputs());
                return new DeployResult(name, o.status(), List.of(), skipped, o.changeSetId(), o.outputs(), null, null,
                        elapsed(t0));
            }
            case DECLINED -> {
                return new DeployResult(name, o.status(), List.of(), skipped, o.changeSetId(), o.outputs(), o.error(), null,
                        elapsed(t0));
            }
            default -> {
                // What runs after a rollback is what CloudFormation has; compare against that next time.
                state.deleteTemplate(name);
                emit(new DeployEvent.DeployFailed(name, o.error(), o.rootCause(), o.finalStatus(), elapsed(t0)));
                return new DeployResult(name, DeployResult.Status.FAILED, List.of(), skipped, o.changeSetId(), o.outputs(),
                        o.error(), o.rootCause(), elapsed(t0));
            }
        }
    }

    private Optional<DeployedState> snapshot(String name, Retry.Listener l) {
        DeployedState cached = snapshots.get(name);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Stack> s = cfn.describe(name, l);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        DeployedState snap = new DeployedState(s.get(), cfn.resources(name, l));
        if (snap.usable() && !snap.status().endsWith("_IN_PROGRESS")) {
            snapshots.put(name, snap);
        }
        return Optional.of(snap);
    }

    private static Duration elapsed(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    private DeployResult result(String name, DeployResult.Status status, List<String> swapped, List<String> skipped,
                                String csId, Map<String, String> outputs, long t0) {
        return new DeployResult(name, status, swapped, skipped, csId, outputs, null, null, elapsed(t0));
    }

    private DeployResult failure(String name, String error, String rootCause, List<String> swapped, long t0) {
        DeployResult r = new DeployResult(name, DeployResult.Status.FAILED, swapped, List.of(), null, Map.of(), error,
                rootCause, elapsed(t0));
        emit(new DeployEvent.DeployFailed(name, error, rootCause, "", r.duration()));
        return r;
    }

    /** Emits the closing event of a deploy (failures emitted theirs already). */
    private DeployResult finish(DeployResult r) {
        if (r.status() != DeployResult.Status.FAILED && r.status() != DeployResult.Status.DECLINED) {
            emit(new DeployEvent.DeploySucceeded(r.stackName(), r.status(), r.outputs(), r.duration()));
        } else if (r.status() == DeployResult.Status.DECLINED) {
            emit(new DeployEvent.DeployFailed(r.stackName(), r.error(), "", "", r.duration()));
        }
        return r;
    }

    @Override
    public List<DeployResult> deployAll(CloudAssembly assembly, DeployMode mode) {
        List<StackTemplate> ordered = order(assembly.stacks());
        Map<String, DeployResult> results = new LinkedHashMap<>();
        for (StackTemplate s : ordered) {
            Optional<String> failedDep = s.dependencies().stream()
                    .filter(d -> results.containsKey(d) && !results.get(d).ok() && results.get(d).status() != DeployResult.Status.PARTIAL)
                    .findFirst();
            if (failedDep.isPresent()) {
                long t0 = System.nanoTime();
                results.put(s.stackName(), failure(s.stackName(), "Stack " + s.stackName() + " was not deployed: its dependency "
                        + failedDep.get() + " did not deploy.\nFix " + failedDep.get() + " first.", null, List.of(), t0));
                continue;
            }
            results.put(s.stackName(), deploy(assembly, s, mode));
        }
        return List.copyOf(results.values());
    }

    /** Dependencies first; the assembly's order otherwise. */
    static List<StackTemplate> order(List<StackTemplate> stacks) {
        Map<String, StackTemplate> byName = new LinkedHashMap<>();
        stacks.forEach(s -> byName.put(s.stackName(), s));
        LinkedHashSet<String> done = new LinkedHashSet<>();
        Set<String> visiting = new HashSet<>();
        for (String n : byName.keySet()) {
            visit(n, byName, done, visiting);
        }
        return done.stream().map(byName::get).toList();
    }

    private static void visit(String n, Map<String, StackTemplate> byName, Set<String> done, Set<String> visiting) {
        if (done.contains(n) || !byName.containsKey(n)) {
            return;
        }
        if (!visiting.add(n)) {
            throw new IllegalArgumentException("stacks depend on each other in a cycle through " + n);
        }
        for (String d : byName.get(n).dependencies()) {
            visit(d, byName, done, visiting);
        }
        visiting.remove(n);
        done.add(n);
    }

    @Override
    public DeployResult hotswapCode(String stackName, Map<String, InlineCode> codeByLogicalId) {
        if (stackName == null || stackName.isBlank()) {
            throw new IllegalArgumentException("stackName must not be blank");
        }
        return locked(stackName, "Hot-swapping code of stack " + stackName, "save again", t0 -> {
            Retry.Listener l = listener(stackName);
            if (config.isProtected(stackName)) {
                return skipAll(stackName, codeByLogicalId.keySet(), protection(stackName, null, null).orElseThrow(), t0);
            }
            DeployedState snap = snapshot(stackName, l).orElse(null);
            if (snap == null || !snap.usable()) {
                return failure(stackName, "Stack " + stackName + " is not deployed, so its code cannot be hot-swapped.\n"
                        + "Deploy it first (`livestack deploy`).", null, List.of(), t0);
            }
            Optional<String> guarded = protection(stackName, snap.stack(), null);
            if (guarded.isPresent()) {
                return skipAll(stackName, codeByLogicalId.keySet(), guarded.get(), t0);
            }
            Map<String, ObjectNode> forced = new LinkedHashMap<>();
            List<String> skipped = new ArrayList<>();
            codeByLogicalId.forEach((id, code) -> {
                StackResolver.Deployed d = snap.resources().get(id);
                if (d == null || !d.type().equals(LambdaFunctionHandler.TYPE)) {
                    skip(stackName, id, LambdaFunctionHandler.TYPE, "Code", RejectReason.NOT_DEPLOYED,
                            "no deployed Lambda function " + id + " in stack " + stackName, skipped);
                } else {
                    ObjectNode resource = Json.MAPPER.createObjectNode().put("Type", LambdaFunctionHandler.TYPE);
                    resource.putObject("Properties").put("Runtime", code.runtime()).putObject("Code").put("ZipFile", code.source());
                    forced.put(id, resource);
                }
            });
            Resolver resolver = snap.resolver(Json.MAPPER.createObjectNode(), fallbackRegion(), Map.of());
            return forcedSwaps(stackName, snap, forced, List.of("Code"), resolver, skipped, "save again", l, t0);
        });
    }

    @Override
    public DeployResult hotswapAll(StackTemplate stack, Set<String> logicalIds) {
        String name = stack.stackName();
        Set<String> wanted = logicalIds == null ? Set.of() : logicalIds;
        return locked(name, "Hot-swapping the functions of stack " + name, "try again", t0 -> {
            Retry.Listener l = listener(name);
            ObjectNode resources = Json.objectOrEmpty(stack.template().get("Resources"));
            Map<String, ObjectNode> functions = new LinkedHashMap<>();
            resources.fields().forEachRemaining(e -> {
                if (LambdaFunctionHandler.TYPE.equals(e.getValue().path("Type").asText())
                        && (wanted.isEmpty() || wanted.contains(e.getKey())) && e.getValue() instanceof ObjectNode o) {
                    functions.put(e.getKey(), o);
                }
            });
            List<String> skipped = new ArrayList<>();
            for (String id : wanted) {
                if (!functions.containsKey(id)) {
                    skip(name, id, "", "", RejectReason.NOT_IN_TEMPLATE,
                            "no Lambda function " + id + " in the template of stack " + name, skipped);
                }
            }
            if (config.isProtected(name)) {
                return skipAll(name, functions.keySet(), protection(name, null, stack).orElseThrow(), t0);
            }
            DeployedState snap = snapshot(name, l).orElse(null);
            if (snap == null || !snap.usable()) {
                return failure(name, "Stack " + name + " is not deployed, so its functions cannot be hot-swapped.\n"
                        + "Deploy it first (`livestack deploy`).", null, List.of(), t0);
            }
            Optional<String> guarded = protection(name, snap.stack(), stack);
            if (guarded.isPresent()) {
                return skipAll(name, functions.keySet(), guarded.get(), t0);
            }
            Resolver resolver = snap.resolver(stack.template(), fallbackRegion(), exportsFor(stack.template(), l));
            List<String> all = List.copyOf(new LambdaFunctionHandler().swappableProperties());
            return forcedSwaps(name, snap, functions, all, resolver, skipped, "try again", l, t0);
        });
    }

    /**
     * Hot-swaps {@code properties} of each resource through its handler, whatever runs (a forced change), records what
     * was swapped in the last applied template, and sums it up.
     */
    private DeployResult forcedSwaps(String name, DeployedState snap, Map<String, ObjectNode> resources,
                                     List<String> properties, Resolver resolver, List<String> skipped, String again,
                                     Retry.Listener l, long t0) {
        Planner planner = Planner.standard(config.assets().assemblyDir().get());
        List<HotswapPlan.Swap> swaps = new ArrayList<>();
        Map<String, HotswapPlan.Swap> byId = new LinkedHashMap<>();
        resources.forEach((id, resource) -> {
            HotswapPlan p = planner.planOne(ResourceChange.forced(id, resource, properties), resolver);
            if (p instanceof HotswapPlan.Swap s) {
                swaps.add(s);
                byId.put(id, s);
            } else if (p instanceof HotswapPlan.Reject r) {
                skip(name, id, r.resourceType(), r.property(), r.code(), r.reason(), skipped);
            }
        });
        List<HotswapExecutor.Outcome> outcomes = swap(name, swaps, l);
        Map<String, Map<String, JsonNode>> appliedProps = new LinkedHashMap<>();
        List<String> swapped = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (HotswapExecutor.Outcome o : outcomes) {
            if (o.ok()) {
                if (o.applied()) {
                    swapped.add(o.logicalId());
                }
                ObjectNode props = Json.objectOrEmpty(resources.get(o.logicalId()).get("Properties"));
                Map<String, JsonNode> m = new LinkedHashMap<>();
                byId.get(o.logicalId()).properties().forEach(p -> m.put(p, props.get(p)));
                appliedProps.put(o.logicalId(), m);
            } else {
                errors.add(o.logicalId() + ": " + o.error());
            }
        }
        recordProperties(name, appliedProps, l);
        if (!errors.isEmpty()) {
            return failure(name, "Hot-swapping " + String.join(", ", errors) + "\nFix the cause and " + again + ".",
                    errors.get(0), swapped, t0);
        }
        DeployResult.Status status = !skipped.isEmpty() ? DeployResult.Status.PARTIAL
                : swapped.isEmpty() ? DeployResult.Status.NO_CHANGES : DeployResult.Status.HOTSWAPPED;
        return result(name, status, swapped, skipped, null, Cfn.outputs(snap.stack()), t0);
    }

    /** Reports a resource (or property) not hot-swapped and adds it to the result's skipped lines. */
    private void skip(String name, String id, String type, String property, RejectReason code, String reason,
                      List<String> skipped) {
        emit(new DeployEvent.HotswapSkipped(name, id, type, property, code, reason));
        skipped.add(id + ": " + reason);
    }

    /**
     * Why a stack is never hot-swapped, if it is: a production guard that needs no cdk.json key. A stack with
     * termination protection, or tagged {@code livestack:protected=true} (deployed, or in the app), is changed
     * through change sets only, as are stacks matching the configured globs.
     */
    private Optional<String> protection(String name, Stack live, StackTemplate app) {
        String why = null;
        if (config.isProtected(name)) {
            why = "is protected (livestack:protectedStacks)";
        } else if (live != null && Boolean.TRUE.equals(live.enableTerminationProtection())) {
            why = "has termination protection";
        } else if (app != null && Boolean.TRUE.equals(app.terminationProtection())) {
            why = "asks for termination protection";
        } else if (live != null && live.tags().stream().anyMatch(t -> PROTECTED_TAG.equals(t.key()) && "true".equalsIgnoreCase(t.value()))
                || app != null && "true".equalsIgnoreCase(app.tags().get(PROTECTED_TAG))) {
            why = "is tagged " + PROTECTED_TAG + "=true";
        }
        return why == null ? Optional.empty()
                : Optional.of("stack " + name + " " + why + ", so it is never hot-swapped; deploy it with `livestack deploy`");
    }

    /** The stack tag that marks a stack as never hot-swapped. */
    static final String PROTECTED_TAG = "livestack:protected";

    private DeployResult skipAll(String name, java.util.Collection<String> ids, String reason, long t0) {
        List<String> skipped = new ArrayList<>();
        for (String id : ids) {
            skip(name, id, LambdaFunctionHandler.TYPE, "", RejectReason.STACK_PROTECTED, reason, skipped);
        }
        return result(name, DeployResult.Status.PARTIAL, List.of(), skipped, null, Map.of(), t0);
    }

    /** Records hot-swapped properties in the last applied template (a {@code null} value removes the property). */
    private void recordProperties(String name, Map<String, Map<String, JsonNode>> applied, Retry.Listener l) {
        if (applied.isEmpty()) {
            return;
        }
        Optional<ObjectNode> base = state.template(name).or(() -> cfn.template(name, l));
        if (base.isEmpty()) {
            return;
        }
        ObjectNode t = base.get().deepCopy();
        ObjectNode res = Json.objectOrEmpty(t.get("Resources"));
        DriftLedger ledger = state.drift(name);
        applied.forEach((id, props) -> {
            JsonNode r = res.get(id);
            if (r == null || !r.isObject()) {
                return;
            }
            ObjectNode before = Json.objectOrEmpty(r.get("Properties"));
            props.forEach((k, v) -> ledger.swapped(id, r.path("Type").asText(), k, before.get(k), v));
            ObjectNode p = r.has("Properties") && r.get("Properties").isObject()
                    ? (ObjectNode) r.get("Properties") : ((ObjectNode) r).putObject("Properties");
            props.forEach((k, v) -> {
                if (v == null) {
                    p.remove(k);
                } else {
                    p.set(k, v.deepCopy());
                }
            });
        });
        state.writeDrift(name, ledger);
        state.writeTemplate(name, t);
    }

    @Override
    public Optional<ObjectNode> lastApplied(String stackName) {
        return state.template(stackName);
    }

    @Override
    public Map<String, List<String>> drift(String stackName) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        state.drift(stackName).entries().values().forEach(e -> out.put(e.logicalId(), List.copyOf(e.baseline().keySet())));
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
        ObjectNode old = state.template(name).or(() -> readCfn(stack).template(name, l)).orElse(null);
        return TemplateDiff.between(old, stack.template());
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
