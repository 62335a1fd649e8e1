package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestack.inlinepackager.FunctionSources;
import dev.livestack.inlinepackager.LambdaZip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.State;

/**
 * {@code AWS::Lambda::Function}: {@code Code} (inline {@code ZipFile}, {@code S3Bucket}/{@code S3Key}/{@code
 * S3ObjectVersion}, {@code ImageUri}, or the staged CDK asset the resource's {@code aws:asset:path} metadata names)
 * through UpdateFunctionCode, {@code Environment} and {@code Description} through UpdateFunctionConfiguration, each
 * followed by a wait for {@code LastUpdateStatus: Successful}.
 */
final class LambdaFunctionHandler extends BaseHandler {
    static final String TYPE = "AWS::Lambda::Function";
    private static final String ASSET_PROPERTY_METADATA = "aws:asset:property";
    // ordered: a forced swap reports its properties in this order
    private static final Set<String> SWAPPABLE =
            Collections.unmodifiableSet(new LinkedHashSet<>(List.of("Code", "Environment", "Description")));

    /** Replace a function's code with the zip CloudFormation builds from inline source ({@code Code.ZipFile}). */
    record InlineCode(String target, String runtime, String source) implements SwapAction {
        InlineCode {
            SwapAction.requireText(target, "target");
            SwapAction.requireText(runtime, "runtime");
            Objects.requireNonNull(source, "source");
        }
    }

    /** Replace a function's code with an object in S3 ({@code Code.S3Bucket/S3Key/S3ObjectVersion}). */
    record S3Code(String target, String bucket, String key, String objectVersion) implements SwapAction {
        S3Code {
            SwapAction.requireText(target, "target");
            SwapAction.requireText(bucket, "bucket");
            SwapAction.requireText(key, "key");
        }
    }

    /**
     * Replace an asset-based function's code ({@code aws:asset:path} metadata) with its staged asset: the folder zipped
     * as publishing zips it (or the file as it is), sent directly when at most 50 MB, else through {@code bucket/key}
     * (the template's {@code Code.S3Bucket/S3Key}, uploaded when missing).
     */
    record AssetCode(String target, Path asset, String bucket, String key) implements SwapAction {
        AssetCode {
            SwapAction.requireText(target, "target");
            Objects.requireNonNull(asset, "asset");
            SwapAction.requireText(bucket, "bucket");
            SwapAction.requireText(key, "key");
        }
    }

    /** Replace a function's container image ({@code Code.ImageUri}). */
    record ImageCode(String target, String imageUri) implements SwapAction {
        ImageCode {
            SwapAction.requireText(target, "target");
            SwapAction.requireText(imageUri, "imageUri");
        }
    }

    /**
     * Update a function's configuration.
     *
     * @param environment the complete new environment, or {@code null} to leave it
     * @param description the new description, or {@code null} to leave it
     */
    record Configuration(String target, Map<String, String> environment, String description) implements SwapAction {
        Configuration {
            SwapAction.requireText(target, "target");
            environment = environment == null ? null : Map.copyOf(environment);
            if (environment == null && description == null) {
                throw new IllegalArgumentException("environment and description must not both be null");
            }
        }
    }

    private final Path assemblyDir;

    /** A handler that never swaps code from a staged asset (no cloud assembly at hand). */
    LambdaFunctionHandler() {
        this(null);
    }

    /** @param assemblyDir the cloud assembly whose staged assets replace S3 code uploads, or {@code null} */
    LambdaFunctionHandler(Path assemblyDir) {
        this.assemblyDir = assemblyDir;
    }

    @Override
    public String resourceType() {
        return TYPE;
    }

    @Override
    public Set<String> swappableProperties() {
        return SWAPPABLE;
    }

    @Override
    HotswapPlan modified(ResourceChange change, Resolver deployed) {
        String fn = physicalId(change, deployed);
        List<SwapAction> actions = new ArrayList<>();
        List<String> props = names(change.properties());
        if (change.property("Code").isPresent()) {
            JsonNode code = change.newProperties().get("Code");
            SwapAction codeAction = codeAction(fn, code, change.newProperties().get("Runtime"), deployed);
            if (codeAction == null) {
                return new HotswapPlan.Reject(change.logicalId(), TYPE, "Code", RejectReason.UNSUPPORTED_VALUE,
                        "Code must have ZipFile, S3Bucket and S3Key, or ImageUri");
            }
            actions.add(toAsset(codeAction, change.newResource()));
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
            actions.add(new Configuration(fn, env, description));
        }
        return new HotswapPlan.Swap(change.logicalId(), TYPE, props, actions);
    }

    private static SwapAction codeAction(String fn, JsonNode code, JsonNode runtimeNode, Resolver deployed) {
        if (code == null || !code.isObject()) {
            return null;
        }
        if (code.has("ZipFile")) {
            if (runtimeNode == null) {
                throw new UnresolvableException("inline Code.ZipFile needs a Runtime");
            }
            String runtime = resolveText(deployed, runtimeNode, "Runtime");
            return new InlineCode(fn, runtime, resolveText(deployed, code.get("ZipFile"), "Code.ZipFile"));
        }
        if (code.has("ImageUri")) {
            return new ImageCode(fn, resolveText(deployed, code.get("ImageUri"), "Code.ImageUri"));
        }
        if (code.has("S3Bucket") && code.has("S3Key")) {
            String version = code.has("S3ObjectVersion")
                    ? resolveText(deployed, code.get("S3ObjectVersion"), "Code.S3ObjectVersion") : null;
            return new S3Code(fn, resolveText(deployed, code.get("S3Bucket"), "Code.S3Bucket"),
                    resolveText(deployed, code.get("S3Key"), "Code.S3Key"), version);
        }
        return null;
    }

    /**
     * The staged asset in place of the S3 object an asset-based function's template names, so a code edit needs no S3
     * round trip and no published object; else {@code a}.
     */
    private SwapAction toAsset(SwapAction a, JsonNode resource) {
        if (assemblyDir == null || !(a instanceof S3Code c) || c.objectVersion() != null) {
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
        return new AssetCode(c.target(), asset, c.bucket(), c.key());
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

    // ---- applying

    @Override
    public Applied apply(HotswapPlan.Swap s, SwapContext ctx) {
        String fn = s.actions().get(0).target();
        // One read of the function and one build of each zip serve both the check and the swap (a hot path).
        Map<SwapAction, byte[]> zips = new IdentityHashMap<>();
        GetFunctionConfigurationResponse live = comparable(s) ? configuration(fn, ctx) : null;
        if (live != null && inPlace(s, live, zips)) {
            // Nothing to write: saying "applied" here would be a lie, and a second write would restart the runtime.
            return Applied.nothingToDo();
        }
        List<String> details = new ArrayList<>();
        for (SwapAction a : s.actions()) {
            // what was read describes the function until the first write
            details.add(applyAction(a, ctx, zips, details.isEmpty() ? live : null));
        }
        return Applied.written(String.join("; ", details));
    }

    /** Whether every action is one whose result can be compared with the function's configuration before writing. */
    private static boolean comparable(HotswapPlan.Swap s) {
        String fn = s.actions().get(0).target();
        for (SwapAction a : s.actions()) {
            boolean comparable = a instanceof InlineCode || a instanceof Configuration || a instanceof AssetCode;
            if (!comparable || !a.target().equals(fn)) {
                return false;
            }
        }
        return true;
    }

    private static GetFunctionConfigurationResponse configuration(String fn, SwapContext ctx) {
        return ctx.retry().call("GetFunctionConfiguration", ctx.listener(),
                () -> ctx.lambda().getFunctionConfiguration(b -> b.functionName(fn)));
    }

    /**
     * Whether the function ({@code live}) already runs exactly the code and configuration of a {@link #comparable}
     * swap. The zips it builds for the comparison are kept in {@code zips} for the swap.
     */
    private static boolean inPlace(HotswapPlan.Swap s, GetFunctionConfigurationResponse live, Map<SwapAction, byte[]> zips) {
        if (live.lastUpdateStatus() == LastUpdateStatus.IN_PROGRESS) {
            return false;
        }
        for (SwapAction a : s.actions()) {
            if (a instanceof InlineCode c) {
                byte[] zip = zips.computeIfAbsent(a, k -> LambdaZip.forInline(c.runtime(), c.source()));
                if (!LambdaZip.codeSha256(zip).equals(live.codeSha256())) {
                    return false;
                }
            } else if (a instanceof AssetCode c) {
                try (AssetPublisher.Package p = AssetPublisher.packageOf(c.asset())) {
                    if (p.size() > LambdaZip.MAX_DIRECT_UPLOAD_BYTES) {
                        return false; // goes through S3; not compared here
                    }
                    byte[] zip = p.bytes();
                    zips.put(a, zip);
                    if (!LambdaZip.codeSha256(zip).equals(live.codeSha256())) {
                        return false;
                    }
                }
            } else if (a instanceof Configuration c) {
                Map<String, String> env = live.environment() == null || live.environment().variables() == null
                        ? Map.of() : live.environment().variables();
                if (c.environment() != null && !c.environment().equals(env)) {
                    return false;
                }
                String description = live.description() == null ? "" : live.description();
                if (c.description() != null && !c.description().equals(description)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * @param zips code zips already built for this swap
     * @param live the function's configuration when it was read just before and nothing was written since, else null
     */
    private static String applyAction(SwapAction a, SwapContext ctx, Map<SwapAction, byte[]> zips,
                                      GetFunctionConfigurationResponse live) {
        String fn = a.target();
        Retry retry = ctx.retry();
        Retry.Listener l = ctx.listener();
        if (a instanceof InlineCode c) {
            byte[] zip = zips.containsKey(a) ? zips.get(a) : LambdaZip.forInline(c.runtime(), c.source());
            return pushZip(fn, zip, ctx, live);
        } else if (a instanceof S3Code c) {
            retry.run("UpdateFunctionCode", l, () -> ctx.lambda().updateFunctionCode(b -> b.functionName(fn)
                    .s3Bucket(c.bucket()).s3Key(c.key()).s3ObjectVersion(c.objectVersion())));
            awaitUpdated(fn, ctx);
            return "code from s3://" + c.bucket() + "/" + c.key();
        } else if (a instanceof AssetCode c) {
            if (zips.containsKey(a)) {
                return pushZip(fn, zips.get(a), ctx, live) + " from asset " + c.asset().getFileName();
            }
            try (AssetPublisher.Package p = AssetPublisher.packageOf(c.asset())) {
                long size = p.size();
                if (size <= LambdaZip.MAX_DIRECT_UPLOAD_BYTES) {
                    return pushZip(fn, p.bytes(), ctx, live) + " from asset " + c.asset().getFileName();
                }
                // Above Lambda's direct-upload limit the code goes through the asset's own S3 object, byte for byte
                // what publishing uploads, so CodeSha256 still matches a full deploy.
                ctx.assets().ensureUploaded(ctx.stackName(), c.asset(), p, c.bucket(), c.key(), l);
                retry.run("UpdateFunctionCode", l, () -> ctx.lambda().updateFunctionCode(b -> b.functionName(fn)
                        .s3Bucket(c.bucket()).s3Key(c.key())));
                awaitUpdated(fn, ctx);
                return "code from asset " + c.asset().getFileName() + " via s3://" + c.bucket() + "/" + c.key() + " (" + size + " bytes)";
            }
        } else if (a instanceof ImageCode c) {
            retry.run("UpdateFunctionCode", l, () -> ctx.lambda().updateFunctionCode(b -> b.functionName(fn).imageUri(c.imageUri())));
            awaitUpdated(fn, ctx);
            return "image " + c.imageUri();
        } else if (a instanceof Configuration c) {
            retry.run("UpdateFunctionConfiguration", l, () -> ctx.lambda().updateFunctionConfiguration(b -> {
                b.functionName(fn);
                if (c.environment() != null) {
                    b.environment(e -> e.variables(c.environment()));
                }
                if (c.description() != null) {
                    b.description(c.description());
                }
            }));
            awaitUpdated(fn, ctx);
            List<String> parts = new ArrayList<>();
            if (c.environment() != null) {
                parts.add("environment " + Secrets.maskEnvironment(c.environment()));
            }
            if (c.description() != null) {
                parts.add("description \"" + c.description() + "\"");
            }
            return String.join(", ", parts);
        }
        throw new IllegalArgumentException("not an action of " + TYPE + ": " + a);
    }

    /** Uploads a zip unless the function already runs exactly these bytes ({@code live}: its configuration, if just read). */
    private static String pushZip(String fn, byte[] zip, SwapContext ctx, GetFunctionConfigurationResponse live) {
        String sha = LambdaZip.codeSha256(zip);
        GetFunctionConfigurationResponse cfg = live != null ? live : configuration(fn, ctx);
        if (sha.equals(cfg.codeSha256()) && cfg.lastUpdateStatus() != LastUpdateStatus.IN_PROGRESS) {
            return "code unchanged (CodeSha256 matches)";
        }
        LastUpdateStatus status = ctx.retry().call("UpdateFunctionCode", ctx.listener(),
                () -> ctx.lambda().updateFunctionCode(b -> b.functionName(fn).zipFile(SdkBytes.fromByteArray(zip))))
                .lastUpdateStatus();
        if (status != LastUpdateStatus.SUCCESSFUL) {
            awaitUpdated(fn, ctx);
        }
        return "code " + sha.substring(0, Math.min(12, sha.length())) + " (" + zip.length + " bytes)";
    }

    private static void awaitUpdated(String fn, SwapContext ctx) {
        long deadline = System.nanoTime() + ctx.timeout().toNanos();
        while (true) {
            GetFunctionConfigurationResponse cfg = configuration(fn, ctx);
            LastUpdateStatus status = cfg.lastUpdateStatus();
            if (status == LastUpdateStatus.FAILED) {
                throw new IllegalStateException("the update of " + fn + " failed: "
                        + (cfg.lastUpdateStatusReason() == null ? cfg.lastUpdateStatusReasonCodeAsString() : cfg.lastUpdateStatusReason()));
            }
            boolean pending = status == LastUpdateStatus.IN_PROGRESS || cfg.state() == State.PENDING;
            if (!pending) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the update of " + fn + " did not finish within " + ctx.timeout());
            }
            Retry.sleep(ctx.poll());
        }
    }
}
