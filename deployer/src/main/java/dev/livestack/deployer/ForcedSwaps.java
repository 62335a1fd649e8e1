package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.inlinepackager.InlineCode;
import dev.livestack.synth.StackTemplate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Hot-swaps asked for by name rather than found by a diff: the watch's fast path ({@link Deployer#hotswapCode}: inline
 * functions' freshly packaged code, in the stack or in its CDK nested stacks) and {@code livestack hotswap} / the
 * console's {@code s} ({@link Deployer#hotswapAll}: every function's code and configuration as the template says).
 * Each swap is forced (planned whatever the last applied template says), then recorded in the last applied template
 * and the drift ledger of the stack that holds the function ({@code <root>.<nested logical id>…} for a nested stack,
 * see {@link NestedStackSwaps#key}), so the synth or deploy that follows finds nothing left to swap and drift is
 * converged as for any hot-swap. Runs under the caller's stack lock.
 */
final class ForcedSwaps {
    /** Runs swaps in a stack (the deployer's executor, with its one-time drift warning). */
    interface Swapper {
        List<HotswapExecutor.SwapOutcome> swap(String stackName, List<HotswapPlan.Swap> swaps, Retry.Listener l);
    }

    /** A resolver over a deployed stack for a template. */
    interface Resolvers {
        Resolver of(DeployedState snap, ObjectNode template, Retry.Listener l);
    }

    /** Either the deployed stack forced swaps may go into, or the result that ends them before any swap. */
    private record Gate(DeployedState snap, DeployResult stop) {
    }

    /** A deployed stack that holds functions to swap: its name, where its state is kept, its path from the root. */
    private record Holder(String stackName, String key, String prefix, DeployedState snap) {
    }

    private final DeployerConfig config;
    private final Cfn cfn;
    private final BiFunction<String, Retry.Listener, Optional<DeployedState>> deployed;
    private final Swapper swapper;
    private final Resolvers resolvers;
    private final AppliedState applied;
    private final NestedStates nestedStates;
    private final DeployResults results;

    ForcedSwaps(DeployerConfig config, Cfn cfn, BiFunction<String, Retry.Listener, Optional<DeployedState>> deployed,
                Swapper swapper, Resolvers resolvers, AppliedState applied, NestedStates nestedStates, DeployResults results) {
        this.config = config;
        this.cfn = cfn;
        this.deployed = deployed;
        this.swapper = swapper;
        this.resolvers = resolvers;
        this.applied = applied;
        this.nestedStates = nestedStates;
        this.results = results;
    }

    /**
     * The fast path: pushes inline code into the functions of {@code stackName} and of its nested stacks.
     *
     * @param codeByPath new code per function: its logical id, or {@code <nested logical id>/…/<logical id>} for a
     *     function of a nested stack
     */
    DeployResult code(String stackName, Map<String, InlineCode> codeByPath, Retry.Listener l, long t0) {
        Gate gate = gate(stackName, null, codeByPath.keySet(), "its code", l, t0);
        if (gate.stop() != null) {
            return gate.stop();
        }
        DeployedState snap = gate.snap();
        // by the stack that holds them: "" for the stack itself, "Inner/" for its nested stack Inner, …
        Map<String, Map<String, InlineCode>> byPrefix = new LinkedHashMap<>();
        codeByPath.forEach((path, code) -> {
            int slash = path.lastIndexOf('/');
            byPrefix.computeIfAbsent(path.substring(0, slash + 1), k -> new LinkedHashMap<>()).put(path.substring(slash + 1), code);
        });
        List<HotswapExecutor.SwapOutcome> outcomes = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        byPrefix.forEach((prefix, codes) -> {
            Holder holder = holder(stackName, snap, prefix, codes, skipped, l);
            if (holder != null) {
                outcomes.addAll(codeIn(holder, codes, skipped, l));
            }
        });
        return results.summary(stackName, HotswapExecutor.Tally.of(outcomes), skipped, !skipped.isEmpty(), "save again",
                Cfn.outputs(snap.stack()), t0);
    }

    /**
     * The deployed stack at {@code prefix} below the root, through each nested stack resource's physical id (its ARN);
     * {@code null} when it is not deployed or is protected, each of {@code codes} then reported as skipped.
     */
    private Holder holder(String root, DeployedState rootSnap, String prefix, Map<String, InlineCode> codes,
                          List<String> skipped, Retry.Listener l) {
        String name = root;
        String key = root;
        DeployedState snap = rootSnap;
        for (String id : prefix.isEmpty() ? new String[0] : prefix.split("/")) {
            StackResolver.Deployed d = snap.resources().get(id);
            String nested = d == null || !NestedStackSwaps.TYPE.equals(d.type()) ? null : NestedStackSwaps.stackName(d.physicalId());
            DeployedState next = nested == null ? null : deployed.apply(nested, l).orElse(null);
            if (next == null || !next.usable()) {
                String why = "no deployed nested stack " + id + " in stack " + name;
                String at = name;
                codes.keySet().forEach(fn -> results.skip(at, prefix, fn, LambdaFunctionHandler.TYPE, "Code",
                        RejectReason.NOT_DEPLOYED, why, skipped));
                return null;
            }
            name = nested;
            key = NestedStackSwaps.key(key, id);
            snap = next;
        }
        if (!prefix.isEmpty()) {
            // a nested stack takes its root's termination protection; its own tag or a glob of its name protects it too
            Optional<String> guarded = StackProtection.reason(config, name, snap.stack(), null);
            if (guarded.isPresent()) {
                String at = name;
                codes.keySet().forEach(fn -> results.skip(at, prefix, fn, LambdaFunctionHandler.TYPE, "",
                        RejectReason.STACK_PROTECTED, guarded.get(), skipped));
                return null;
            }
        }
        return new Holder(name, key, prefix, snap);
    }

    /** Swaps the code of {@code codes}' functions in one stack; outcomes named from the root. */
    private List<HotswapExecutor.SwapOutcome> codeIn(Holder h, Map<String, InlineCode> codes, List<String> skipped,
                                                     Retry.Listener l) {
        Map<String, ObjectNode> forced = new LinkedHashMap<>();
        codes.forEach((id, code) -> {
            StackResolver.Deployed d = h.snap().resources().get(id);
            if (d == null || !d.type().equals(LambdaFunctionHandler.TYPE)) {
                results.skip(h.stackName(), h.prefix(), id, LambdaFunctionHandler.TYPE, "Code", RejectReason.NOT_DEPLOYED,
                        "no deployed Lambda function " + id + " in stack " + h.stackName(), skipped);
            } else {
                ObjectNode resource = Json.MAPPER.createObjectNode().put("Type", LambdaFunctionHandler.TYPE);
                resource.putObject("Properties").put("Runtime", code.runtime()).putObject("Code").put("ZipFile", code.source());
                forced.put(id, resource);
            }
        });
        Resolver resolver = h.snap().resolver(Json.MAPPER.createObjectNode(), cfn.region(), Map.of());
        List<HotswapExecutor.SwapOutcome> own = swap(h.stackName(), h.key(), h.prefix(), forced, List.of("Code"), resolver,
                skipped, l);
        List<HotswapExecutor.SwapOutcome> named = new ArrayList<>();
        own.forEach(o -> named.add(new HotswapExecutor.SwapOutcome(h.prefix() + o.logicalId(), o.ok(), o.error(), o.unchanged())));
        return named;
    }

    /**
     * What every forced swap checks first, in this order: the stack's protection by name (no call made), that it is
     * deployed, then its protection by what is deployed (termination protection, tags) and by the template.
     *
     * @param what what cannot be hot-swapped when the stack is not deployed ("its code", "its functions")
     */
    private Gate gate(String name, StackTemplate stack, Set<String> ids, String what, Retry.Listener l, long t0) {
        if (config.isProtected(name)) {
            return new Gate(null, results.skipAll(name, ids, StackProtection.reason(config, name, null, stack).orElseThrow(), t0));
        }
        DeployedState snap = deployed.apply(name, l).orElse(null);
        if (snap == null || !snap.usable()) {
            return new Gate(null, results.failure(name, "Stack " + name + " is not deployed, so " + what
                    + " cannot be hot-swapped.\nDeploy it first (`livestack deploy`).", null, List.of(), t0));
        }
        Optional<String> guarded = StackProtection.reason(config, name, snap.stack(), stack);
        return guarded.map(reason -> new Gate(null, results.skipAll(name, ids, reason, t0))).orElse(new Gate(snap, null));
    }

    /** {@code livestack hotswap} and key {@code s}: every (or each wanted) function's code and configuration now. */
    DeployResult all(StackTemplate stack, Set<String> wanted, Retry.Listener l, long t0) {
        String name = stack.stackName();
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
                results.skip(name, id, "", "", RejectReason.NOT_IN_TEMPLATE,
                        "no Lambda function " + id + " in the template of stack " + name, skipped);
            }
        }
        Gate gate = gate(name, stack, functions.keySet(), "its functions", l, t0);
        if (gate.stop() != null) {
            return gate.stop();
        }
        DeployedState snap = gate.snap();
        Resolver resolver = resolvers.of(snap, stack.template(), l);
        List<String> all = List.copyOf(new LambdaFunctionHandler().swappableProperties());
        // a nested stack's swaps are remembered where a deploy of its root keeps its template (<root>.<id>…)
        List<HotswapExecutor.SwapOutcome> outcomes = swap(name, nestedStates.key(snap, l), "", functions, all, resolver,
                skipped, l);
        return results.summary(name, HotswapExecutor.Tally.of(outcomes), skipped, !skipped.isEmpty(), "try again",
                Cfn.outputs(snap.stack()), t0);
    }

    /**
     * Hot-swaps {@code properties} of each resource through its handler, whatever runs (a forced change), and records
     * what was swapped in the last applied template and drift ledger kept under {@code stateKey} (none when null).
     */
    private List<HotswapExecutor.SwapOutcome> swap(String name, String stateKey, String prefix, Map<String, ObjectNode> resources,
                                                   List<String> properties, Resolver resolver, List<String> skipped,
                                                   Retry.Listener l) {
        Planner planner = Planner.standard(config.assets().assemblyDir().get());
        List<HotswapPlan.Swap> swaps = new ArrayList<>();
        Map<String, HotswapPlan.Swap> byId = new LinkedHashMap<>();
        resources.forEach((id, resource) -> {
            HotswapPlan p = planner.planOne(ResourceChange.forced(id, resource, properties), resolver);
            if (p instanceof HotswapPlan.Swap s) {
                swaps.add(s);
                byId.put(id, s);
            } else if (p instanceof HotswapPlan.Reject r) {
                results.skip(name, prefix, id, r.resourceType(), r.property(), r.code(), r.reason(), skipped);
            }
        });
        List<HotswapExecutor.SwapOutcome> outcomes = swaps.isEmpty() ? List.of() : swapper.swap(name, swaps, l);
        Map<String, Map<String, JsonNode>> appliedProps = new LinkedHashMap<>();
        for (String id : HotswapExecutor.Tally.of(outcomes).ok()) {
            ObjectNode props = Json.objectOrEmpty(resources.get(id).get("Properties"));
            Map<String, JsonNode> m = new LinkedHashMap<>();
            byId.get(id).properties().forEach(p -> m.put(p, props.get(p)));
            appliedProps.put(id, m);
        }
        if (stateKey != null) {
            applied.recordProperties(stateKey, appliedProps, () -> cfn.template(name, l));
        }
        return outcomes;
    }
}
