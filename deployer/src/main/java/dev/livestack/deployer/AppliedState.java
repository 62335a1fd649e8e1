package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What runs, as the deployer keeps it between deploys: the last applied template and the drift ledger of what
 * hot-swaps changed behind CloudFormation's back, kept in step with each other.
 */
final class AppliedState {
    private final StateFiles state;
    private final HotswapExecutor executor;
    private final Consumer<DeployEvent> events;

    AppliedState(StateFiles state, HotswapExecutor executor, Consumer<DeployEvent> events) {
        this.state = state;
        this.executor = executor;
        this.events = events;
    }

    /** Records in the drift ledger what the successful swaps now run (their properties' new values). */
    void ledgerSwapped(String name, ObjectNode before, ObjectNode after, List<HotswapPlan.Swap> swaps,
                               List<HotswapExecutor.SwapOutcome> outcomes) {
        Set<String> ok = new HashSet<>();
        outcomes.stream().filter(HotswapExecutor.SwapOutcome::ok).forEach(o -> ok.add(o.logicalId()));
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

    static ObjectNode properties(ObjectNode template, String logicalId) {
        return template == null ? Json.MAPPER.createObjectNode()
                : Json.objectOrEmpty(template.path("Resources").path(logicalId).get("Properties"));
    }

    /**
     * After a deploy left CloudFormation's template at {@code deployed}, puts every drifted property CloudFormation did not
     * change (its baseline equals the deployed value) and that runs another value ({@code running}, the last applied
     * template; {@code null} when unknown) back to the deployed value, through the resource's hot-swap handler. A
     * property CloudFormation changed was applied by CloudFormation and leaves the ledger.
     *
     * @param deployedStack the deployed stack (empty when it is not), read only when the ledger has entries: reading it
     *     caches it, and an empty ledger must leave nothing cached
     * @return the logical ids put back
     */
    List<String> converge(String name, ObjectNode running, ObjectNode deployed, Supplier<Optional<Resolver>> deployedStack,
                          Planner planner, Retry.Listener l) {
        return converge(name, name, running, deployed, deployedStack, planner, l);
    }

    /**
     * As above for the stack named {@code name} whose state is kept under {@code key} (a nested stack:
     * {@code <root>.<logical id>…}, see {@link NestedStackSwaps#key}).
     */
    List<String> converge(String key, String name, ObjectNode running, ObjectNode deployed,
                          Supplier<Optional<Resolver>> deployedStack, Planner planner, Retry.Listener l) {
        DriftLedger ledger = state.drift(key);
        if (ledger.isEmpty()) {
            return List.of();
        }
        List<HotswapPlan.Swap> swaps = new ArrayList<>();
        ObjectNode resources = Json.objectOrEmpty(deployed.get("Resources"));
        Resolver resolver = deployedStack.get().orElse(null);
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
                events.accept(new DeployEvent.DriftWarning(name, e.logicalId() + " still runs what was hot-swapped ("
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
                    events.accept(new DeployEvent.DriftReverted(name, a.logicalId(), a.resourceType(), a.physicalId(), a.properties(),
                            a.detail(), a.duration()));
                } else if (!(ev instanceof DeployEvent.HotswapSkipped)) {
                    events.accept(ev);
                }
            };
            for (HotswapExecutor.SwapOutcome o : executor.apply(name, swaps, asRevert, l)) {
                if (o.ok()) {
                    if (o.applied()) {
                        reverted.add(o.logicalId());
                    }
                    ledger.entry(o.logicalId()).ifPresent(e -> e.baseline().keySet().forEach(p -> ledger.forget(o.logicalId(), p)));
                }
            }
        }
        state.writeDrift(key, ledger);
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

    /** Records hot-swapped properties in the last applied template (a {@code null} value removes the property). */
    void recordProperties(String name, Map<String, Map<String, JsonNode>> applied, Supplier<Optional<ObjectNode>> deployed) {
        if (applied.isEmpty()) {
            return;
        }
        Optional<ObjectNode> base = state.template(name).or(deployed);
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
}
