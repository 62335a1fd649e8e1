package dev.livestack.deployer;

/**
 * Why a change was not hot-swapped, as a code a program (or a test) can match; the human reason text travels with it.
 * Carried by {@link HotswapPlan.Reject} and by the {@code hotswap.skipped} event ({@link DeployEvent.HotswapSkipped}).
 */
public enum RejectReason {
    /** A resource was added; only a change set creates it. */
    RESOURCE_ADDED,
    /** A resource was removed; only a change set deletes it. */
    RESOURCE_REMOVED,
    /** A resource's type changed; only a change set replaces it. */
    TYPE_CHANGED,
    /** A resource attribute ({@code DependsOn}, {@code Condition}, …) changed; only a change set applies it. */
    ATTRIBUTE_CHANGED,
    /** A property changed that the type's handler cannot apply. */
    PROPERTY_NOT_SWAPPABLE,
    /** No handler hot-swaps resources of this type. */
    TYPE_NOT_SWAPPABLE,
    /** An expression of the new template cannot be resolved against the deployed stack. */
    UNRESOLVABLE,
    /** A property has a shape the handler cannot apply (e.g. {@code Code} without a source). */
    UNSUPPORTED_VALUE,
    /** A template section ({@code Outputs}, {@code Parameters}, …) changed; only a change set applies it. */
    SECTION_CHANGED,
    /** The stack is protected and never hot-swapped. */
    STACK_PROTECTED,
    /** The resource is not deployed in the stack. */
    NOT_DEPLOYED,
    /** The resource asked for is not in the stack's template. */
    NOT_IN_TEMPLATE,
    /** Not a rejection: what runs already equals the change, so nothing was written. */
    UNCHANGED
}
