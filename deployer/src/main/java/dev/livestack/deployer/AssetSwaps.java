package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.inlinepackager.FunctionSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the S3 code swap of an asset-based function (its template resource carries the CDK's
 * {@code aws:asset:path} metadata for {@code Code}) into an {@link HotswapAction.AssetCode}: the staged asset from
 * the cloud assembly is sent directly, so a code edit needs no S3 round trip and no published object. Pure.
 */
final class AssetSwaps {
    private static final String ASSET_PROPERTY_METADATA = "aws:asset:property";

    private AssetSwaps() {
    }

    static Planner.Result apply(Planner.Result plan, ObjectNode template, Path assemblyDir) {
        if (assemblyDir == null) {
            return plan;
        }
        List<HotswapPlan.Swap> swaps = new ArrayList<>();
        for (HotswapPlan.Swap s : plan.swaps()) {
            swaps.add(apply(s, template.path("Resources").path(s.logicalId()), assemblyDir));
        }
        return new Planner.Result(swaps, plan.rejects(), plan.ignores());
    }

    static HotswapPlan.Swap apply(HotswapPlan.Swap swap, JsonNode resource, Path assemblyDir) {
        if (assemblyDir == null || !LambdaFunctionHandler.TYPE.equals(swap.resourceType())) {
            return swap;
        }
        List<HotswapAction> actions = new ArrayList<>();
        boolean changed = false;
        for (HotswapAction a : swap.actions()) {
            HotswapAction b = toAsset(a, resource, assemblyDir);
            changed |= b != a;
            actions.add(b);
        }
        return changed ? new HotswapPlan.Swap(swap.logicalId(), swap.resourceType(), swap.properties(), actions) : swap;
    }

    /** The asset code action for an S3 code action of a resource with asset metadata whose asset is staged; else {@code a}. */
    static HotswapAction toAsset(HotswapAction a, JsonNode resource, Path assemblyDir) {
        if (!(a instanceof HotswapAction.S3Code c) || c.objectVersion() != null) {
            return a;
        }
        JsonNode metadata = resource.path("Metadata");
        JsonNode path = metadata.path(FunctionSources.ASSET_PATH_METADATA);
        if (!path.isTextual() || path.asText().isBlank()
                || !metadata.path(ASSET_PROPERTY_METADATA).asText("Code").equals("Code")) {
            return a;
        }
        Path asset = assemblyDir.toAbsolutePath().resolve(path.asText()).normalize();
        if (!Files.exists(asset)) {
            // Not staged here (another assembly, a deleted cdk.out): S3 holds what the template names.
            return a;
        }
        return new HotswapAction.AssetCode(c.target(), asset, c.bucket(), c.key());
    }
}
