package dev.livestack.deployer;

import java.util.Set;

/**
 * Decides whether a change to one resource type can be hot-swapped, and how. Detection is pure: it reads the
 * change and the deployed stack (through the {@link Resolver}) and makes no AWS call.
 */
public interface HotswapHandler {

    /** The CloudFormation type handled, e.g. {@code AWS::Lambda::Function}. */
    String resourceType();

    /** The properties whose changes this handler can apply. */
    Set<String> swappableProperties();

    /**
     * Plans a change of a resource of {@link #resourceType()}.
     *
     * @param change the change (added, removed or modified)
     * @param deployed the deployed stack, to resolve intrinsics and physical ids
     * @return a {@link HotswapPlan.Swap}, a {@link HotswapPlan.Reject} with a reason, or a {@link HotswapPlan.Ignore}
     */
    HotswapPlan plan(ResourceChange change, Resolver deployed);
}
