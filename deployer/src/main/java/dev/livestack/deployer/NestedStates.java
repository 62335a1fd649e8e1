package dev.livestack.deployer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.synth.StackTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Where livestack keeps a nested stack's last applied template ({@code <root>.<logical id>…}, as
 * {@link NestedStackSwaps#key}) and what a deploy would change in each nested stack: for {@code diff} and for a
 * {@code hotswap} of a nested stack's function.
 */
final class NestedStates {
    private final BiFunction<String, Retry.Listener, Optional<DeployedState>> deployed;
    private final StateFiles state;
    private final Cfn cfn;

    NestedStates(BiFunction<String, Retry.Listener, Optional<DeployedState>> deployed, StateFiles state, Cfn cfn) {
        this.deployed = deployed;
        this.state = state;
        this.cfn = cfn;
    }

    /** The nested stacks' changes of {@code stack}, their templates read from {@code assemblyDir}. */
    List<NestedDiff> diffs(StackTemplate stack, Path assemblyDir, Retry.Listener l) {
        List<NestedDiff> out = new ArrayList<>();
        if (assemblyDir == null) {
            return out;
        }
        String name = stack.stackName();
        NestedStackSwaps.nestedTemplates(name, stack.template(), assemblyDir).forEach((key, nested) -> {
            ObjectNode old = state.template(key).or(() -> deployedTemplate(key, l)).orElse(null);
            TemplateDiff d = TemplateDiff.between(old, nested);
            if (!d.isEmpty()) {
                out.add(new NestedDiff(key.substring(name.length() + 1), nested, d));
            }
        });
        return out;
    }

    /** CloudFormation's template of the nested stack at {@code key} ({@code <stack>.<id>[.<id>…]}), through the physical ids. */
    private Optional<ObjectNode> deployedTemplate(String key, Retry.Listener l) {
        return stackName(key, l).flatMap(n -> cfn.template(n, l));
    }

    /**
     * The name of the deployed nested stack at {@code key} ({@code <stack>.<id>[.<id>…]}): each nested stack resource's
     * physical id (its ARN) from the root down; empty when one of them is not deployed.
     */
    Optional<String> stackName(String key, Retry.Listener l) {
        String[] ids = key.split("\\.");
        String current = ids[0];
        for (int i = 1; i < ids.length; i++) {
            String id = ids[i];
            StackResolver.Deployed d = deployed.apply(current, l).map(s -> s.resources().get(id)).orElse(null);
            current = d == null ? null : NestedStackSwaps.stackName(d.physicalId());
            if (current == null) {
                return Optional.empty();
            }
        }
        return Optional.of(current);
    }

    /**
     * The state key of a deployed stack: its name at the top, {@code <root>.<logical id>…} for a nested stack (found
     * through its {@code ParentId} and the parent's resource holding its ARN); {@code null} when the chain breaks.
     */
    String key(DeployedState stack, Retry.Listener l) {
        return key(stack, l, 0);
    }

    private String key(DeployedState nested, Retry.Listener l, int depth) {
        String parentId = nested.stack().parentId();
        if (parentId == null || parentId.isBlank()) {
            return nested.stack().stackName();
        }
        DeployedState parent = depth > 8 ? null : deployed.apply(NestedStackSwaps.stackName(parentId), l).orElse(null);
        String id = parent == null ? null : parent.resources().entrySet().stream()
                .filter(e -> nested.stack().stackId().equals(e.getValue().physicalId())).map(Map.Entry::getKey)
                .findFirst().orElse(null);
        String parentKey = id == null ? null : key(parent, l, depth + 1);
        return parentKey == null ? null : NestedStackSwaps.key(parentKey, id);
    }
}
