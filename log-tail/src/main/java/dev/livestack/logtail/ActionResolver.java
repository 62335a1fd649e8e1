package dev.livestack.logtail;

import java.util.List;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

/** Turns the names a person types ("Worker", "Stack/Orders/Worker", a function name, a glob) into log groups. */
public interface ActionResolver {

    /**
     * Reads the deployed stacks now: ListStackResources for physical ids, GetTemplate for the
     * {@code aws:cdk:path} metadata (construct paths) and for Lambda functions' {@code LoggingConfig.LogGroup};
     * {@code AWS::Logs::LogGroup} resources are actions of their own.
     *
     * @param cfn the CloudFormation client to read with
     * @param stackNames the stacks to read; an empty list gives a resolver that knows nothing
     * @return a resolver over what is deployed now (build a new one after a deploy)
     * @throws software.amazon.awssdk.services.cloudformation.model.CloudFormationException when a stack cannot be read
     */
    static ActionResolver fromStacks(CloudFormationClient cfn, List<String> stackNames) {
        return StackReader.read(cfn, stackNames);
    }

    /** A resolver over a fixed list of actions (for tools and tests that already know them). */
    static ActionResolver of(List<Action> actions) {
        return new ActionIndex(actions);
    }

    /** Every action of the stacks, in stack and template order. */
    List<Action> all();

    /**
     * Resolves names: a logical id, a construct path (with or without the trailing {@code /Resource}),
     * a physical name, a log group name, or a glob ({@code *}, {@code ?}) over any of these. A name may
     * match several actions (the same logical id in two stacks); the result has no duplicates and keeps
     * the order of the names.
     *
     * @throws UnknownActionException when any name matches nothing, listing the closest names (edit distance)
     */
    List<Action> resolve(List<String> names) throws UnknownActionException;
}
