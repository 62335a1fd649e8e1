package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Hot-swapping into nested stacks, as {@code cdk deploy --hotswap} does: a changed {@code AWS::CloudFormation::Stack}
 * that CDK manages (its {@code aws:asset:path} metadata names the nested template in the assembly) is not a change of
 * its own; the nested template from the assembly is diffed against what runs in the nested stack (found through the
 * parent's physical resource id), and that diff is planned like a stack's, recursively. A change of the nested stack's
 * other properties (its {@code Parameters}), a nested stack not deployed yet, or anything the nested plan rejects
 * leaves a rejection, which in fallback mode sends the parent to a change set.
 */
final class NestedStackSwaps {
    static final String TYPE = "AWS::CloudFormation::Stack";

    /**
     * What the deployer knows of deployed stacks; reads go through its caches and retries.
     *
     * @param deployed the deployed stack by name, if it exists
     * @param lastApplied what runs in a nested stack, by (key, stack name): the last applied template, else CloudFormation's
     * @param resolver a resolver over a deployed stack for a template
     */
    record Stacks(java.util.function.Function<String, Optional<DeployedState>> deployed,
                  java.util.function.BiFunction<String, String, Optional<ObjectNode>> lastApplied,
                  java.util.function.BiFunction<DeployedState, ObjectNode, Resolver> resolver) {
        Stacks {
            java.util.Objects.requireNonNull(deployed, "deployed");
            java.util.Objects.requireNonNull(lastApplied, "lastApplied");
            java.util.Objects.requireNonNull(resolver, "resolver");
        }
    }

    /**
     * One nested stack's part of a hot-swap.
     *
     * @param key where its last applied template is kept ({@code <parent key>.<logical id>})
     * @param parentKey the key of the stack that holds it
     * @param logicalId its logical id in that stack
     * @param stackName its physical stack name
     */
    record Child(String key, String parentKey, String logicalId, String stackName, ObjectNode oldTemplate,
                 ObjectNode newTemplate, TemplateDiff diff, Planner.Result plan) {
    }

    /** The parent's plan with its nested stacks taken out, and each nested stack's plan (deepest first). */
    record Result(Planner.Result parent, List<Child> children) {
        Result {
            children = List.copyOf(children);
        }

        boolean anyRejected() {
            return !parent.rejects().isEmpty() || children.stream().anyMatch(c -> !c.plan().rejects().isEmpty());
        }
    }

    private final Planner planner;
    private final Path assemblyDir;
    private final boolean partial;
    private final Stacks stacks;

    /** @param partial hotswap mode: each plan keeps the properties its handlers can apply ({@link Planner#withPartialSwaps}) */
    NestedStackSwaps(Planner planner, Path assemblyDir, boolean partial, Stacks stacks) {
        this.planner = planner;
        this.assemblyDir = assemblyDir;
        this.partial = partial;
        this.stacks = stacks;
    }

    /** The key of a nested stack's last applied template. */
    static String key(String parentKey, String logicalId) {
        return parentKey + "." + logicalId;
    }

    /** The nested templates a template's CDK-managed nested stacks use, by key (for recording after a change set). */
    static Map<String, ObjectNode> nestedTemplates(String key, ObjectNode template, Path assemblyDir) {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        if (assemblyDir == null) {
            return out;
        }
        Json.objectOrEmpty(template.get("Resources")).fields().forEachRemaining(e -> {
            String path = assetPath(e.getValue());
            if (path == null) {
                return;
            }
            read(assemblyDir.resolve(path)).ifPresent(nested -> {
                out.put(key(key, e.getKey()), nested);
                out.putAll(nestedTemplates(key(key, e.getKey()), nested, assemblyDir));
            });
        });
        return out;
    }

    Result expand(String parentKey, Planner.Result plan, TemplateDiff diff, DeployedState parentSnap) {
        Map<String, ResourceChange> byId = new HashMap<>();
        diff.resources().forEach(c -> byId.put(c.logicalId(), c));
        List<HotswapPlan.Reject> rejects = new ArrayList<>();
        List<Child> children = new ArrayList<>();
        for (HotswapPlan.Reject r : plan.rejects()) {
            ResourceChange c = byId.get(r.logicalId());
            if (c == null || c.kind() != ResourceChange.Kind.MODIFIED || !TYPE.equals(c.resourceType())
                    || !TYPE.equals(c.oldResource().path("Type").asText()) || assetPath(c.newResource()) == null) {
                rejects.add(r);
                continue;
            }
            Optional<HotswapPlan.Reject> refused = nest(parentKey, c, parentSnap, children);
            refused.ifPresent(rejects::add);
        }
        return new Result(new Planner.Result(plan.swaps(), rejects, plan.ignores()), children);
    }

    /** Plans one nested stack into {@code children}; a rejection of the nested stack resource itself otherwise. */
    private Optional<HotswapPlan.Reject> nest(String parentKey, ResourceChange c, DeployedState parentSnap, List<Child> children) {
        String id = c.logicalId();
        for (PropertyChange p : c.properties()) {
            if (p.attribute() && !p.name().equals("Metadata")) {
                return Optional.of(BaseHandler.attributeChanged(c, p.name()));
            }
            if (!p.attribute() && !p.name().equals("TemplateURL")) {
                return Optional.of(new HotswapPlan.Reject(id, TYPE, p.name(), RejectReason.PROPERTY_NOT_SWAPPABLE,
                        "nested stack " + id + ": its " + p.name() + " changed; only a change set of the parent applies it"));
            }
        }
        StackResolver.Deployed d = parentSnap.resources().get(id);
        String name = d == null ? null : stackName(d.physicalId());
        DeployedState snap = name == null ? null : stacks.deployed().apply(name).orElse(null);
        if (snap == null || !snap.usable()) {
            return Optional.of(new HotswapPlan.Reject(id, TYPE, "", RejectReason.NOT_DEPLOYED,
                    "nested stack " + id + " is not deployed yet; only a change set creates it"));
        }
        Path file = assemblyDir == null ? null : assemblyDir.resolve(assetPath(c.newResource()));
        Optional<ObjectNode> generated = file == null ? Optional.empty() : read(file);
        if (generated.isEmpty()) {
            return Optional.of(new HotswapPlan.Reject(id, TYPE, "TemplateURL", RejectReason.UNSUPPORTED_VALUE,
                    "nested stack " + id + ": its template " + (file == null ? assetPath(c.newResource()) : file)
                            + " is not in the cloud assembly; deploy it with a change set"));
        }
        String key = key(parentKey, id);
        ObjectNode old = stacks.lastApplied().apply(key, name).orElse(null);
        ObjectNode newT = generated.get();
        TemplateDiff diff = TemplateDiff.between(old, newT);
        Resolver resolver = stacks.resolver().apply(snap, newT);
        Planner.Result plan = planner.plan(diff, resolver);
        if (partial) {
            plan = planner.withPartialSwaps(plan, diff, resolver);
        }
        Result inner = expand(key, plan, diff, snap);
        children.addAll(inner.children());
        children.add(new Child(key, parentKey, id, name, old, newT, diff, inner.parent()));
        return Optional.empty();
    }

    /**
     * After the swaps: the logical ids, per parent key, of nested stacks that are wholly applied (nothing rejected,
     * every swap ok, every nested stack below them wholly applied). Children come deepest first.
     */
    static Map<String, Set<String>> completed(List<Child> children, Map<String, HotswapExecutor.Tally> tallies) {
        Map<String, Set<String>> done = new HashMap<>();
        Set<String> incomplete = new HashSet<>();
        for (Child c : children) {
            HotswapExecutor.Tally t = tallies.get(c.key());
            boolean below = children.stream().noneMatch(o -> o.parentKey().equals(c.key()) && incomplete.contains(o.key()));
            if (below && c.plan().rejects().isEmpty() && (t == null || t.errors().isEmpty())) {
                done.computeIfAbsent(c.parentKey(), k -> new HashSet<>()).add(c.logicalId());
            } else {
                incomplete.add(c.key());
            }
        }
        return done;
    }

    /**
     * Runs each nested stack's swaps through {@code swap} (by stack name), records what now runs in each nested
     * stack under its key (its last applied template, and in its drift ledger what the swaps changed behind
     * CloudFormation's back), and returns the parent's outcomes for them: one per swapped resource, named
     * {@code <nested logical id>/<logical id>}, and the logical ids of the nested stacks wholly applied.
     */
    static Applied apply(Result nested, String parentKey, java.util.function.BiFunction<String, List<HotswapPlan.Swap>,
            List<HotswapExecutor.SwapOutcome>> swap, StateFiles state, AppliedState ledger) {
        Map<String, HotswapExecutor.Tally> tallies = new LinkedHashMap<>();
        List<HotswapExecutor.SwapOutcome> outcomes = new ArrayList<>();
        for (Child c : nested.children()) {
            List<HotswapExecutor.SwapOutcome> own = swap.apply(c.stackName(), c.plan().swaps());
            tallies.put(c.key(), HotswapExecutor.Tally.of(own));
            ledger.ledgerSwapped(c.key(), c.oldTemplate(), c.newTemplate(), c.plan().swaps(), own);
            String prefix = c.key().substring(parentKey.length() + 1).replace('.', '/') + "/";
            own.forEach(o -> outcomes.add(new HotswapExecutor.SwapOutcome(prefix + o.logicalId(), o.ok(), o.error(), o.unchanged())));
        }
        Map<String, Set<String>> done = completed(nested.children(), tallies);
        for (Child c : nested.children()) {
            boolean complete = done.getOrDefault(c.parentKey(), Set.of()).contains(c.logicalId());
            Set<String> applied = new HashSet<>(tallies.get(c.key()).ok());
            c.plan().ignores().forEach(i -> applied.add(i.logicalId()));
            applied.addAll(done.getOrDefault(c.key(), Set.of()));
            state.writeTemplate(c.key(), complete ? c.newTemplate()
                    : AppliedState.merge(c.oldTemplate(), c.newTemplate(), applied, partialSwaps(c.plan()), c.diff()));
        }
        return new Applied(outcomes, done.getOrDefault(parentKey, Set.of()));
    }

    /** What {@link #apply} did: the outcomes of the nested swaps and the nested stacks wholly applied. */
    record Applied(List<HotswapExecutor.SwapOutcome> outcomes, Set<String> complete) {
    }

    /** The swapped properties of resources that also had rejected properties (hotswap mode's partial swaps). */
    static Map<String, List<String>> partialSwaps(Planner.Result plan) {
        Set<String> rejected = new HashSet<>();
        plan.rejects().forEach(r -> rejected.add(r.logicalId()));
        Map<String, List<String>> partial = new LinkedHashMap<>();
        for (HotswapPlan.Swap s : plan.swaps()) {
            if (rejected.contains(s.logicalId())) {
                partial.put(s.logicalId(), s.properties());
            }
        }
        return partial;
    }

    private static String assetPath(JsonNode resource) {
        JsonNode p = resource == null ? null : resource.path("Metadata").get("aws:asset:path");
        return p != null && p.isTextual() && TYPE.equals(resource.path("Type").asText()) ? p.asText() : null;
    }

    /** The stack name in a stack ARN ({@code arn:...:stack/<name>/<uuid>}), or the id itself when it is a name. */
    static String stackName(String physicalId) {
        if (physicalId == null || !physicalId.startsWith("arn:")) {
            return physicalId;
        }
        String rest = physicalId.substring(physicalId.indexOf('/') + 1);
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    private static Optional<ObjectNode> read(Path file) {
        try {
            return Optional.of(Json.parseObject(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
