package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * {@code AWS::Lambda::Version}: a new or changed version of a function (CDK's {@code currentVersion} gets a new
 * logical id whenever the function changes) is published with PublishVersion after the function's own
 * swap. A removed version is kept: a hot-swap never deletes, the next change set does.
 */
final class LambdaVersionHandler extends BaseHandler {
    static final String TYPE = "AWS::Lambda::Version";

    @Override
    public String resourceType() {
        return TYPE;
    }

    @Override
    public Set<String> swappableProperties() {
        return Set.of("FunctionName", "Description", "CodeSha256");
    }

    @Override
    HotswapPlan added(ResourceChange change, Resolver deployed) {
        try {
            return publish(change, deployed);
        } catch (UnresolvableException e) {
            return new HotswapPlan.Reject(change.logicalId(), TYPE, "FunctionName", "expression not resolvable: " + e.getMessage());
        }
    }

    @Override
    HotswapPlan removed(ResourceChange change) {
        return new HotswapPlan.Ignore(change.logicalId(), "old version kept until the next change set");
    }

    @Override
    HotswapPlan modified(ResourceChange change, Resolver deployed) {
        return publish(change, deployed);
    }

    private HotswapPlan publish(ResourceChange change, Resolver deployed) {
        JsonNode fnName = change.newProperties().get("FunctionName");
        if (fnName == null) {
            return new HotswapPlan.Reject(change.logicalId(), TYPE, "FunctionName", "FunctionName is missing");
        }
        String fn = resolveText(deployed, fnName, "FunctionName");
        JsonNode d = change.newProperties().get("Description");
        String description = d == null ? null : resolveText(deployed, d, "Description");
        return new HotswapPlan.Swap(change.logicalId(), TYPE, List.of("FunctionName"),
                List.of(new HotswapAction.PublishVersion(functionNameOf(fn), change.logicalId(), description)));
    }

    /** A function ARN (possibly qualified) or name, reduced to the name Lambda's API takes. */
    static String functionNameOf(String fnOrArn) {
        if (!fnOrArn.startsWith("arn:")) {
            return fnOrArn;
        }
        String[] parts = fnOrArn.split(":");
        return parts.length >= 7 ? parts[6] : fnOrArn;
    }
}
