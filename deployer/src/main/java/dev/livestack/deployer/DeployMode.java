package dev.livestack.deployer;

/** How a deploy treats changes that could be hot-swapped. */
public enum DeployMode {
    /** Apply what can be hot-swapped; report the rest as skipped (resource, property, reason). Never creates a change set for an existing stack. */
    HOTSWAP,
    /** Hot-swap when every change can be swapped; otherwise deploy the whole template through a change set. The default of {@code watch}. */
    FALLBACK,
    /** Change sets only; never hot-swaps. The only mode of {@code deploy --ci}. */
    FULL
}
