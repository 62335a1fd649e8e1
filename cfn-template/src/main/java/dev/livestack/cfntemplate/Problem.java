package dev.livestack.cfntemplate;

import java.util.Objects;

/**
 * Why an expression cannot be evaluated. The evaluator hands it to {@link StackEnvironment#failure}, so each
 * user words it its own way (local-cloud as CloudFormation's template error, the deployer as a reason to use
 * a change set).
 *
 * @param kind what went wrong
 * @param function the intrinsic function or condition involved ({@code Fn::Select}, a condition's name, ...)
 * @param detail the specifics, readable on their own ({@code index 5 is out of range}, {@code expects a list})
 */
public record Problem(Kind kind, String function, String detail) {
    /** The kinds of failure the evaluator itself detects; Ref and GetAtt failures are the environment's own. */
    public enum Kind {
        /** An argument has the wrong shape or type. */
        BAD_ARGUMENT,
        /** {@code Fn::Select} index outside the list; detail is the index. */
        SELECT_OUT_OF_RANGE,
        /** {@code Fn::FindInMap} keys not in Mappings, no default; detail is {@code map::top::second}. */
        MAPPING_MISSING,
        /** {@code Fn::ImportValue} of a name nobody exports; detail is the name. */
        NO_EXPORT,
        /** A condition name that Conditions does not define; function is the name. */
        CONDITION_UNDEFINED,
        /** A condition that depends on itself; function is the name. */
        CONDITION_CIRCULAR,
        /** A condition that does not evaluate to true or false. */
        CONDITION_NOT_BOOLEAN,
        /** A function this evaluation does not support. */
        UNSUPPORTED_FUNCTION,
    }

    public Problem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(detail, "detail");
    }

    /** {@code function: detail}, for users that need no wording of their own. */
    public String message() {
        return function + ": " + detail;
    }
}
