package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestack.cfntemplate.EvaluationOptions;
import dev.livestack.cfntemplate.IntrinsicEvaluator;
import dev.livestack.cfntemplate.Problem;
import dev.livestack.cfntemplate.StackEnvironment;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.ports.ParameterLookup;
import java.util.Map;
import java.util.function.Function;

/**
 * The template library's evaluator over one stack's parameters and resources, failing as CloudFormation
 * fails a stack operation. {@code AWS::NoValue} resolves to Java null, which removes the property or list
 * item that holds it.
 */
final class Intrinsics {
    /** Prefix of a value that cannot be known before deployment (a change set preview). */
    static final String UNRESOLVED = "{{local-cloud:unresolved:";

    /** What a resource looks like to Ref and Fn::GetAtt; null physical id means "not created yet". */
    record ResourceView(String type, String physicalId, Map<String, Object> attributes) {
    }

    /** A failure to resolve, reported as CloudFormation reports template errors. */
    static final class TemplateError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TemplateError(String message) {
            super(message);
        }
    }

    private final IntrinsicEvaluator evaluator;
    private final ParameterLookup ssm;

    /**
     * @param parameters resolved parameter values (text, or arrays for list types)
     * @param pseudo pseudo parameter values
     * @param resources resources by logical id (null for unknown ids)
     * @param exports export values by name (null when missing)
     * @param preview true for a change set preview: references to resources not created yet give
     *                an {@link #UNRESOLVED} marker instead of failing
     * @param ssm where {@code {{resolve:ssm:…}}} dynamic references are read, or null to leave them as written
     */
    Intrinsics(Template template, Map<String, JsonNode> parameters, Map<String, String> pseudo,
               Function<String, ResourceView> resources, Function<String, String> exports, boolean preview) {
        this(template, parameters, pseudo, resources, exports, preview, null);
    }

    Intrinsics(Template template, Map<String, JsonNode> parameters, Map<String, String> pseudo,
               Function<String, ResourceView> resources, Function<String, String> exports, boolean preview,
               ParameterLookup ssm) {
        this.evaluator = IntrinsicEvaluator.of(template.root(),
                new Stack(parameters, pseudo, resources, exports, preview), EvaluationOptions.CLOUDFORMATION);
        this.ssm = ssm;
    }

    boolean condition(String name) {
        return evaluator.condition(name);
    }

    /** Whether a resource or output with this node's {@code Condition} is part of the stack. */
    boolean included(JsonNode resourceOrOutput) {
        return evaluator.included(resourceOrOutput);
    }

    /** Resolves a node, dynamic references included; returns null for {@code AWS::NoValue}. */
    JsonNode resolve(JsonNode node) {
        return DynamicReferences.resolve(evaluator.resolve(node), ssm);
    }

    static boolean unresolved(JsonNode n) {
        return n != null && n.toString().contains(UNRESOLVED);
    }

    private record Stack(Map<String, JsonNode> parameters, Map<String, String> pseudo,
                         Function<String, ResourceView> resources, Function<String, String> exports,
                         boolean preview) implements StackEnvironment {
        @Override
        public JsonNode ref(String target) {
            if (pseudo.containsKey(target)) {
                return Template.NODES.textNode(pseudo.get(target));
            }
            if (target.equals("AWS::NotificationARNs")) {
                return Template.NODES.arrayNode();
            }
            JsonNode p = parameters.get(target);
            if (p != null) {
                return p;
            }
            ResourceView r = resources.apply(target);
            if (r == null) {
                throw new TemplateError("Template format error: Unresolved resource dependencies [" + target
                        + "] in the Resources block of the template");
            }
            if (r.physicalId() == null) {
                if (preview) {
                    return Template.NODES.textNode(UNRESOLVED + target + "}}");
                }
                throw new TemplateError("Resource " + target + " is not created yet");
            }
            return Template.NODES.textNode(r.physicalId());
        }

        @Override
        public JsonNode getAtt(String target, String attribute) {
            ResourceView r = resources.apply(target);
            if (r == null) {
                throw new TemplateError("Template error: instance of Fn::GetAtt references undefined resource " + target);
            }
            if (r.physicalId() == null) {
                if (preview) {
                    return Template.NODES.textNode(UNRESOLVED + target + "." + attribute + "}}");
                }
                throw new TemplateError("Resource " + target + " is not created yet");
            }
            Object v = r.attributes().get(attribute);
            if (v == null) {
                if (r.type().startsWith("Custom::") || r.type().equals("AWS::CloudFormation::CustomResource")) {
                    return Template.NODES.textNode("");
                }
                throw new TemplateError("Template error: resource " + target + " does not support attribute type "
                        + attribute + " in Fn::GetAtt");
            }
            return Http.JSON.valueToTree(v);
        }

        @Override
        public String importValue(String name) {
            return exports.apply(name);
        }

        @Override
        public String region() {
            return pseudo.get("AWS::Region");
        }

        /** CloudFormation's wording for each problem. */
        @Override
        public RuntimeException failure(Problem p) {
            return new TemplateError(switch (p.kind()) {
                case SELECT_OUT_OF_RANGE -> "Template error: Fn::Select cannot select nonexistent value at index " + p.detail();
                case MAPPING_MISSING -> "Template error: Unable to get mapping for " + p.detail();
                case NO_EXPORT -> "No export named " + p.detail() + " found.";
                case CONDITION_UNDEFINED -> "Template format error: Unresolved condition dependencies [" + p.function() + "]";
                case CONDITION_CIRCULAR -> "Template error: circular condition dependency for " + p.function();
                case CONDITION_NOT_BOOLEAN -> "Template error: every Fn::Equals / condition must evaluate to a boolean";
                case UNSUPPORTED_FUNCTION -> "Template format error: Unrecognized intrinsic function " + p.function()
                        + " (local-cloud does not support it)";
                case BAD_ARGUMENT -> "Fn::Equals".equals(p.function())
                        ? "Template error: every Fn::Equals object requires a list of 2 string parameters."
                        : "Template error: " + p.function() + " " + p.detail();
            });
        }
    }
}
