package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code AWS::StepFunctions::StateMachine}: {@code DefinitionString} or {@code Definition} (with its
 * {@code DefinitionSubstitutions}) through UpdateStateMachine.
 */
final class StateMachineHandler extends BaseHandler {
    static final String TYPE = "AWS::StepFunctions::StateMachine";

    /** Replace a Step Functions state machine's definition. */
    record Definition(String target, String definition) implements SwapAction {
        Definition {
            SwapAction.requireText(target, "target");
            SwapAction.requireText(definition, "definition");
        }
    }

    @Override
    public String resourceType() {
        return TYPE;
    }

    @Override
    public Set<String> swappableProperties() {
        return Set.of("DefinitionString", "Definition", "DefinitionSubstitutions");
    }

    @Override
    HotswapPlan modified(ResourceChange change, Resolver deployed) {
        String arn = physicalId(change, deployed);
        JsonNode props = change.newProperties();
        String definition;
        if (props.has("DefinitionString")) {
            definition = resolveText(deployed, props.get("DefinitionString"), "DefinitionString");
        } else if (props.has("Definition")) {
            definition = Json.write(deployed.resolve(props.get("Definition")));
        } else {
            return new HotswapPlan.Reject(change.logicalId(), TYPE, "Definition", RejectReason.UNSUPPORTED_VALUE,
                    "the definition was removed (or moved to S3); deploy it with a change set");
        }
        if (props.has("DefinitionSubstitutions")) {
            JsonNode subs = deployed.resolve(props.get("DefinitionSubstitutions"));
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) subs::fields) {
                definition = definition.replace("${" + e.getKey() + "}", e.getValue().asText());
            }
        }
        return new HotswapPlan.Swap(change.logicalId(), TYPE, names(change.properties()),
                List.of(new Definition(arn, definition)));
    }

    @Override
    public Applied apply(HotswapPlan.Swap swap, SwapContext ctx) {
        return applyEach(swap, Definition.class, d -> {
            if (ctx.sfn() == null) {
                throw new IllegalStateException("no Step Functions client is configured; cannot update " + d.target());
            }
            ctx.retry().run("UpdateStateMachine", ctx.listener(),
                    () -> ctx.sfn().updateStateMachine(b -> b.stateMachineArn(d.target()).definition(d.definition())));
            return "definition (" + d.definition().length() + " characters)";
        });
    }
}
