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

    /** Publish a new version of a function for a changed {@code AWS::Lambda::Version} resource. */
    record Publish(String target, String versionLogicalId, String description) implements SwapAction {
        Publish {
            SwapAction.requireText(target, "target");
            SwapAction.requireText(versionLogicalId, "versionLogicalId");
        }
    }

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
            return unresolvable(change, "FunctionName", e);
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
            return new HotswapPlan.Reject(change.logicalId(), TYPE, "FunctionName", RejectReason.UNSUPPORTED_VALUE,
                    "FunctionName is missing");
        }
        String fn = resolveText(deployed, fnName, "FunctionName");
        JsonNode d = change.newProperties().get("Description");
        String description = d == null ? null : resolveText(deployed, d, "Description");
        return new HotswapPlan.Swap(change.logicalId(), TYPE, List.of("FunctionName"),
                List.of(new Publish(functionNameOf(fn), change.logicalId(), description)));
    }

    /** Versions are published once their function's own swap is in. */
    @Override
    public int phase() {
        return 1;
    }

    @Override
    public Applied apply(HotswapPlan.Swap swap, SwapContext ctx) {
        return applyEach(swap, Publish.class, p -> {
            String version = ctx.retry().call("PublishVersion", ctx.listener(), () -> ctx.lambda().publishVersion(b -> {
                b.functionName(p.target());
                if (p.description() != null) {
                    b.description(p.description());
                }
            }).version());
            ctx.published(p.versionLogicalId(), version);
            return "published version " + version;
        });
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
