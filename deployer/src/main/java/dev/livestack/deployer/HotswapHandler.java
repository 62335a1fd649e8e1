package dev.livestack.deployer;

import java.util.Set;

/**
 * Owns one resource type's hot-swap end to end: it decides whether a change can be hot-swapped (pure: it reads the
 * change and the deployed stack through the {@link Resolver} and makes no AWS call), plans it as its own
 * {@link SwapAction} records, and applies them. The {@link HotswapExecutor} only schedules: phases, concurrency, events.
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

    /**
     * When this type's swaps run relative to others: all swaps of a lower phase finish before a higher phase starts
     * (a version is published after its function's code is in, an alias moves after the version exists).
     */
    default int phase() {
        return 0;
    }

    /**
     * Applies a swap this handler planned (its actions are this handler's records), waits included.
     *
     * @return what was done, or that nothing needed doing
     * @throws RuntimeException when a call fails; the executor reports it
     */
    Applied apply(HotswapPlan.Swap swap, SwapContext context);

    /**
     * What applying a swap did.
     *
     * @param unchanged true when what runs already equalled the swap, so nothing was written
     * @param detail a one-line description with secret values masked (empty when unchanged)
     */
    record Applied(boolean unchanged, String detail) {
        public Applied {
            detail = detail == null ? "" : detail;
        }

        static Applied written(String detail) {
            return new Applied(false, detail);
        }

        static Applied nothingToDo() {
            return new Applied(true, "");
        }
    }
}
