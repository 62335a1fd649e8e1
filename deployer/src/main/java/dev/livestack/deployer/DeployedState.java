package dev.livestack.deployer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/**
 * What the deployer knows about a deployed stack (its description and its resources' physical ids); cached until a
 * change set runs.
 */
record DeployedState(Stack stack, Map<String, StackResolver.Deployed> resources) {
    String status() {
        return stack.stackStatusAsString();
    }

    /** Whether resources can be hot-swapped: the stack exists and is not a failed or pending creation. */
    boolean usable() {
        String s = status();
        return !s.equals("REVIEW_IN_PROGRESS") && !s.equals("ROLLBACK_COMPLETE") && !s.equals("ROLLBACK_FAILED")
                && !s.startsWith("DELETE_") && !s.equals("CREATE_FAILED");
    }

    Resolver resolver(ObjectNode template, String fallbackRegion, Map<String, String> exports) {
        String[] ra = Cfn.regionAndAccount(stack.stackId(), fallbackRegion);
        return new StackResolver(stack.stackName(), stack.stackId(), ra[0], ra[1], resources,
                Cfn.parameters(stack), Cfn.outputs(stack), exports, template);
    }
}
