package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * {@code AWS::Lambda::Alias}: a changed {@code FunctionVersion} is applied with UpdateAlias, to the version
 * published in the same run when it refers to a changed {@code AWS::Lambda::Version}.
 */
final class LambdaAliasHandler extends BaseHandler {
    static final String TYPE = "AWS::Lambda::Alias";

    /**
     * Point an alias at a version: the one published in this run for {@code versionLogicalId}, else {@code version}.
     */
    record PointAlias(String target, String aliasName, String versionLogicalId, String version) implements SwapAction {
        PointAlias {
            SwapAction.requireText(target, "target");
            SwapAction.requireText(aliasName, "aliasName");
            if ((versionLogicalId == null || versionLogicalId.isBlank()) && (version == null || version.isBlank())) {
                throw new IllegalArgumentException("versionLogicalId or version must be set");
            }
        }
    }

    @Override
    public String resourceType() {
        return TYPE;
    }

    @Override
    public Set<String> swappableProperties() {
        return Set.of("FunctionVersion");
    }

    @Override
    HotswapPlan modified(ResourceChange change, Resolver deployed) {
        String fn = LambdaVersionHandler.functionNameOf(
                resolveText(deployed, change.newProperties().get("FunctionName"), "FunctionName"));
        String alias = resolveText(deployed, change.newProperties().get("Name"), "Name");
        JsonNode v = change.newProperties().get("FunctionVersion");
        String versionLogicalId = versionReference(v);
        String version = null;
        if (versionLogicalId == null) {
            version = resolveText(deployed, v, "FunctionVersion");
        }
        return new HotswapPlan.Swap(change.logicalId(), TYPE, List.of("FunctionVersion"),
                List.of(new PointAlias(fn, alias, versionLogicalId, version)));
    }

    /** Aliases move once the versions of the same run are published. */
    @Override
    public int phase() {
        return 2;
    }

    @Override
    public Applied apply(HotswapPlan.Swap swap, SwapContext ctx) {
        return applyEach(swap, PointAlias.class, u -> {
            String version = u.versionLogicalId() == null ? u.version()
                    : ctx.published(u.versionLogicalId()).orElse(u.version());
            if (version == null) {
                throw new IllegalStateException("alias " + u.aliasName() + " points at " + u.versionLogicalId()
                        + ", which was not published in this run");
            }
            ctx.retry().run("UpdateAlias", ctx.listener(), () -> ctx.lambda().updateAlias(b -> b.functionName(u.target())
                    .name(u.aliasName()).functionVersion(version)));
            return "alias " + u.aliasName() + " -> version " + version;
        });
    }

    /** The logical id of {@code {"Fn::GetAtt": [X, "Version"]}} (or {@code "X.Version"}), else {@code null}. */
    static String versionReference(JsonNode v) {
        if (v == null || !v.isObject() || !v.has("Fn::GetAtt")) {
            return null;
        }
        JsonNode arg = v.get("Fn::GetAtt");
        if (arg.isArray() && arg.size() == 2 && arg.get(1).asText().equals("Version")) {
            return arg.get(0).asText();
        }
        if (arg.isTextual() && arg.asText().endsWith(".Version")) {
            return arg.asText().substring(0, arg.asText().length() - ".Version".length());
        }
        return null;
    }
}
