package dev.livestack.deployer;

/**
 * One AWS call (with its wait) a hot-swap makes. Each {@link HotswapHandler} declares its own records and is the only
 * one to plan and apply them, so a new hot-swap type adds its records next to its handler and touches nothing else.
 */
public interface SwapAction {

    /** The physical resource the action changes (function name, state machine ARN). */
    String target();

    /** Rejects a blank value, naming the argument. */
    static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
