package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code AWS::Lambda::Function}: {@code Code} (inline {@code ZipFile}, {@code S3Bucket}/{@code S3Key}/{@code
 * S3ObjectVersion}, {@code ImageUri}) through UpdateFunctionCode, {@code Environment} and {@code Description}
 * through UpdateFunctionConfiguration.
 */
final class LambdaFunctionHandler extends BaseHandler {
    static final String TYPE = "AWS::Lambda::Function";

    @Override
    public String resourceType() {
        return TYPE;
    }

    @Override
    public Set<String> swappableProperties() {
        return Set.of("Code", "Environment", "Description");
    }

    @Override
    HotswapPlan modified(ResourceChange change, Resolver deployed) {
        String fn = physicalId(change, deployed);
        List<HotswapAction> actions = new ArrayList<>();
        List<String> props = names(change.properties());
        if (change.property("Code").isPresent()) {
            JsonNode code = change.newProperties().get("Code");
            HotswapAction codeAction = codeAction(fn, code, change.newProperties().get("Runtime"), deployed);
            if (codeAction == null) {
                return new HotswapPlan.Reject(change.logicalId(), TYPE, "Code",
                        "Code must have ZipFile, S3Bucket and S3Key, or ImageUri");
            }
            actions.add(codeAction);
        }
        Map<String, String> env = null;
        String description = null;
        if (change.property("Environment").isPresent()) {
            env = environment(change.newProperties().get("Environment"), deployed);
        }
        if (change.property("Description").isPresent()) {
            JsonNode d = change.newProperties().get("Description");
            description = d == null ? "" : resolveText(deployed, d, "Description");
        }
        if (env != null || description != null) {
            actions.add(new HotswapAction.FunctionConfiguration(fn, env, description));
        }
        return new HotswapPlan.Swap(change.logicalId(), TYPE, props, actions);
    }

    static HotswapAction codeAction(String fn, JsonNode code, JsonNode runtimeNode, Resolver deployed) {
        if (code == null || !code.isObject()) {
            return null;
        }
        if (code.has("ZipFile")) {
            if (runtimeNode == null) {
                throw new UnresolvableException("inline Code.ZipFile needs a Runtime");
            }
            String runtime = resolveText(deployed, runtimeNode, "Runtime");
            return new HotswapAction.InlineCode(fn, runtime, resolveText(deployed, code.get("ZipFile"), "Code.ZipFile"));
        }
        if (code.has("ImageUri")) {
            return new HotswapAction.ImageCode(fn, resolveText(deployed, code.get("ImageUri"), "Code.ImageUri"));
        }
        if (code.has("S3Bucket") && code.has("S3Key")) {
            String version = code.has("S3ObjectVersion")
                    ? resolveText(deployed, code.get("S3ObjectVersion"), "Code.S3ObjectVersion") : null;
            return new HotswapAction.S3Code(fn, resolveText(deployed, code.get("S3Bucket"), "Code.S3Bucket"),
                    resolveText(deployed, code.get("S3Key"), "Code.S3Key"), version);
        }
        return null;
    }

    static Map<String, String> environment(JsonNode envNode, Resolver deployed) {
        Map<String, String> env = new TreeMap<>();
        if (envNode == null) {
            return env;
        }
        JsonNode resolved = deployed.resolve(envNode);
        JsonNode vars = resolved.get("Variables");
        if (vars != null && vars.isObject()) {
            vars.fields().forEachRemaining(e -> {
                if (e.getValue().isContainerNode()) {
                    throw new UnresolvableException("Environment.Variables." + e.getKey() + " is not a single value");
                }
                if (e.getValue().asText().contains("{{resolve:")) {
                    // CloudFormation resolves it at deploy time (secure ones are never given back): a hot-swap
                    // would set the reference's text itself
                    throw new UnresolvableException("Environment.Variables." + e.getKey()
                            + " holds a dynamic reference ({{resolve:...}}), which only CloudFormation resolves");
                }
                env.put(e.getKey(), e.getValue().asText());
            });
        }
        return env;
    }
}
