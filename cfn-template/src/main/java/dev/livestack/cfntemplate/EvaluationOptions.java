package dev.livestack.cfntemplate;

import java.util.Objects;
import java.util.Set;

/**
 * How the two users' evaluations differ where their behaviour did before the evaluator was shared.
 *
 * @param functions the intrinsic functions (and {@code Condition}) evaluated; any other is an
 *                  {@link Problem.Kind#UNSUPPORTED_FUNCTION}
 * @param strict true: a scalar argument must be present ({@code AWS::NoValue} or a list there is a
 *               problem), {@code Fn::Equals} compares scalars only, and a condition's text must be
 *               {@code true} or {@code false}; false: a missing scalar reads as {@code ""}, {@code Fn::Equals}
 *               compares lists too, and any text other than {@code true} is false
 */
public record EvaluationOptions(Set<String> functions, boolean strict) {
    /** Every function CloudFormation has outside of Rules, evaluated as local-cloud does when it creates a stack. */
    public static final EvaluationOptions CLOUDFORMATION = new EvaluationOptions(Set.of("Ref", "Condition",
            "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::If", "Fn::Equals", "Fn::And", "Fn::Or",
            "Fn::Not", "Fn::Contains", "Fn::EachMemberEquals", "Fn::EachMemberIn", "Fn::FindInMap", "Fn::ImportValue",
            "Fn::Base64", "Fn::GetAZs", "Fn::Length", "Fn::ToJsonString"), false);

    /**
     * The functions whose value a deployed stack determines (no {@code Fn::GetAZs}: the real zones are not known),
     * strictly: what cannot be known exactly is a problem, so the change goes to a change set.
     */
    public static final EvaluationOptions DEPLOYED = new EvaluationOptions(Set.of("Ref", "Condition", "Fn::GetAtt",
            "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::If", "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not",
            "Fn::FindInMap", "Fn::ImportValue", "Fn::Base64"), true);

    public EvaluationOptions {
        functions = Set.copyOf(Objects.requireNonNull(functions, "functions"));
    }
}
