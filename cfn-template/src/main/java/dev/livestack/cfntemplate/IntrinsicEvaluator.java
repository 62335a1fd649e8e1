package dev.livestack.cfntemplate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * Evaluates intrinsic functions, pseudo parameters and conditions of one template against one stack.
 * {@code AWS::NoValue} evaluates to Java null, which removes the property or list item that holds it.
 * Condition values are cached for the evaluator's life, so use one per evaluation of a stack.
 */
public interface IntrinsicEvaluator {
    /** The node with every intrinsic function replaced by its value; null for {@code AWS::NoValue}. */
    JsonNode resolve(JsonNode node);

    /** The value of a named condition of the template. */
    boolean condition(String name);

    /** Whether a resource or output with this node's {@code Condition} is part of the stack. */
    default boolean included(JsonNode resourceOrOutput) {
        JsonNode c = resourceOrOutput.get("Condition");
        return c == null || condition(c.asText());
    }

    /**
     * An evaluator over a template's Conditions and Mappings.
     *
     * @param template the template root (its Conditions and Mappings are read)
     * @param environment how names resolve and failures are reported
     * @param options what is evaluated, and how strictly
     */
    static IntrinsicEvaluator of(ObjectNode template, StackEnvironment environment, EvaluationOptions options) {
        return new Evaluator(Objects.requireNonNull(template, "template"), Objects.requireNonNull(environment, "environment"),
                Objects.requireNonNull(options, "options"));
    }
}
