package dev.livestack.deployer;

import dev.livestack.inlinepackager.LambdaZip;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.State;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Applies hot-swap plans: functions and state machines in parallel (bounded by the pool), then published
 * versions, then aliases, each function update followed by a wait for {@code LastUpdateStatus: Successful}.
 */
final class HotswapExecutor {

    /**
     * What happened to one plan.
     *
     * @param unchanged true when what runs already equals the plan (nothing was written)
     */
    record Outcome(String logicalId, boolean ok, String error, boolean unchanged) {
        Outcome(String logicalId, boolean ok, String error) {
            this(logicalId, ok, error, false);
        }

        /** Whether this outcome changed what runs. */
        boolean applied() {
            return ok && !unchanged;
        }
    }

    private final LambdaClient lambda;
    private final SfnClient sfn;
    private final Retry retry;
    private final ExecutorService pool;
    private final Duration poll;
    private final Duration timeout;
    private final AssetPublisher assets;

    HotswapExecutor(LambdaClient lambda, SfnClient sfn, Retry retry, ExecutorService pool, Duration poll, Duration timeout,
                    AssetPublisher assets) {
        this.assets = assets;
        this.lambda = lambda;
        this.sfn = sfn;
        this.retry = retry;
        this.pool = pool;
        this.poll = poll;
        this.timeout = timeout;
    }

    List<Outcome> apply(String stackName, List<HotswapPlan.Swap> swaps, Consumer<DeployEvent> events, Retry.Listener l) {
        List<HotswapPlan.Swap> first = new ArrayList<>();
        List<HotswapPlan.Swap> versions = new ArrayList<>();
        List<HotswapPlan.Swap> aliases = new ArrayList<>();
        for (HotswapPlan.Swap s : swaps) {
            HotswapAction a = s.actions().get(0);
            if (a instanceof HotswapAction.PublishVersion) {
                versions.add(s);
            } else if (a instanceof HotswapAction.UpdateAlias) {
                aliases.add(s);
            } else {
                first.add(s);
            }
        }
        Map<String, String> published = new ConcurrentHashMap<>();
        Set<String> failedTargets = ConcurrentHashMap.newKeySet();
        List<Outcome> out = new ArrayList<>();
        for (List<HotswapPlan.Swap> phase : List.of(first, versions, aliases)) {
            out.addAll(runPhase(stackName, phase, published, failedTargets, events, l));
        }
        return out;
    }

    private List<Outcome> runPhase(String stackName, List<HotswapPlan.Swap> phase, Map<String, String> published,
                                   Set<String> failedTargets, Consumer<DeployEvent> events, Retry.Listener l) {
        List<Future<Outcome>> futures = new ArrayList<>();
        for (HotswapPlan.Swap s : phase) {
            futures.add(pool.submit(() -> applyOne(stackName, s, published, failedTargets, events, l)));
        }
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            try {
                out.add(futures.get(i).get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.add(new Outcome(phase.get(i).logicalId(), false, "interrupted"));
            } catch (ExecutionException e) {
                out.add(new Outcome(phase.get(i).logicalId(), false, String.valueOf(e.getCause())));
            }
        }
        return out;
    }

    private Outcome applyOne(String stackName, HotswapPlan.Swap s, Map<String, String> published, Set<String> failedTargets,
                             Consumer<DeployEvent> events, Retry.Listener l) {
        long start = System.nanoTime();
        List<String> details = new ArrayList<>();
        String target = s.actions().get(0).target();
        try {
            // One read of the function and one build of each zip serve both the check and the swap (a hot path).
            Map<HotswapAction, byte[]> zips = new java.util.IdentityHashMap<>();
            GetFunctionConfigurationResponse live = lambdaOnly(s) ? configuration(target, l) : null;
            if (live != null && inPlace(s, live, zips)) {
                // Nothing to write: saying "applied" here would be a lie, and a second write would restart the runtime.
                events.accept(new DeployEvent.HotswapSkipped(stackName, s.logicalId(), s.resourceType(), "", UNCHANGED));
                return new Outcome(s.logicalId(), true, null, true);
            }
            for (HotswapAction a : s.actions()) {
                if (failedTargets.contains(a.target())) {
                    throw new IllegalStateException("the update of " + a.target() + " failed earlier in this run");
                }
                // what was read describes the function until the first write
                details.add(applyAction(stackName, a, published, l, zips, details.isEmpty() ? live : null));
            }
            events.accept(new DeployEvent.HotswapApplied(stackName, s.logicalId(), s.resourceType(), target,
                    s.properties(), String.join("; ", details), Duration.ofNanos(System.nanoTime() - start)));
            return new Outcome(s.logicalId(), true, null);
        } catch (RuntimeException e) {
            failedTargets.add(target);
            String msg = message(e);
            events.accept(new DeployEvent.HotswapFailed(stackName, s.logicalId(), s.resourceType(), msg));
            return new Outcome(s.logicalId(), false, msg);
        }
    }

    /** The reason of a {@code hotswap.skipped} event for a resource that already runs what was asked. */
    static final String UNCHANGED = "unchanged";

    /** Whether every action of a plan is a code or configuration update of one function. */
    private static boolean lambdaOnly(HotswapPlan.Swap s) {
        String fn = s.actions().get(0).target();
        for (HotswapAction a : s.actions()) {
            boolean lambdaAction = a instanceof HotswapAction.InlineCode || a instanceof HotswapAction.FunctionConfiguration
                    || a instanceof HotswapAction.AssetCode;
            if (!lambdaAction || !a.target().equals(fn)) {
                return false;
            }
        }
        return true;
    }

    private GetFunctionConfigurationResponse configuration(String fn, Retry.Listener l) {
        return retry.call("GetFunctionConfiguration", l, () -> lambda.getFunctionConfiguration(b -> b.functionName(fn)));
    }

    /**
     * Whether the function ({@code live}) already runs exactly the code and configuration of a {@link #lambdaOnly} plan.
     * The zips it builds for the comparison are kept in {@code zips} for the swap.
     */
    private static boolean inPlace(HotswapPlan.Swap s, GetFunctionConfigurationResponse live, Map<HotswapAction, byte[]> zips) {
        if (live.lastUpdateStatus() == LastUpdateStatus.IN_PROGRESS) {
            return false;
        }
        for (HotswapAction a : s.actions()) {
            if (a instanceof HotswapAction.InlineCode c) {
                byte[] zip = zips.computeIfAbsent(a, k -> LambdaZip.forInline(c.runtime(), c.source()));
                if (!LambdaZip.codeSha256(zip).equals(live.codeSha256())) {
                    return false;
                }
            } else if (a instanceof HotswapAction.AssetCode c) {
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
            } else if (a instanceof HotswapAction.FunctionConfiguration c) {
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

    static String message(Throwable e) {
        if (e instanceof AwsServiceException a) {
            var d = a.awsErrorDetails();
            if (d != null && d.errorCode() != null) {
                return d.errorCode() + ": " + d.errorMessage();
            }
            String service = d == null || d.serviceName() == null ? "the service" : d.serviceName();
            return service + " answered HTTP " + a.statusCode() + " without an error code (is the API available at this endpoint?)";
        }
        if (Retry.credentialsFailure(e)) {
            // the provider's own reason (an expired session, the process's stderr) is at the root, not on top
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = String.valueOf(root.getMessage()).strip().replaceAll("\\s+", " ");
            return "the credentials could not be loaded: " + why;
        }
        return String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
    }

    /**
     * @param zips code zips already built for this swap
     * @param live the function's configuration when it was read just before and nothing was written since, else null
     */
    private String applyAction(String stackName, HotswapAction a, Map<String, String> published, Retry.Listener l,
                               Map<HotswapAction, byte[]> zips, GetFunctionConfigurationResponse live) {
        String fn = a.target();
        if (a instanceof HotswapAction.InlineCode c) {
            byte[] zip = zips.containsKey(a) ? zips.get(a) : LambdaZip.forInline(c.runtime(), c.source());
            return pushZip(fn, zip, l, live);
        } else if (a instanceof HotswapAction.S3Code c) {
            retry.run("UpdateFunctionCode", l, () -> lambda.updateFunctionCode(b -> b.functionName(fn)
                    .s3Bucket(c.bucket()).s3Key(c.key()).s3ObjectVersion(c.objectVersion())));
            awaitUpdated(fn, l);
            return "code from s3://" + c.bucket() + "/" + c.key();
        } else if (a instanceof HotswapAction.AssetCode c) {
            if (zips.containsKey(a)) {
                return pushZip(fn, zips.get(a), l, live) + " from asset " + c.asset().getFileName();
            }
            try (AssetPublisher.Package p = AssetPublisher.packageOf(c.asset())) {
                long size = p.size();
                if (size <= LambdaZip.MAX_DIRECT_UPLOAD_BYTES) {
                    return pushZip(fn, p.bytes(), l, live) + " from asset " + c.asset().getFileName();
                }
                // Above Lambda's direct-upload limit the code goes through the asset's own S3 object, byte for byte
                // what publishing uploads, so CodeSha256 still matches a full deploy.
                assets.ensureUploaded(stackName, c.asset(), p, c.bucket(), c.key(), l);
                retry.run("UpdateFunctionCode", l, () -> lambda.updateFunctionCode(b -> b.functionName(fn)
                        .s3Bucket(c.bucket()).s3Key(c.key())));
                awaitUpdated(fn, l);
                return "code from asset " + c.asset().getFileName() + " via s3://" + c.bucket() + "/" + c.key() + " (" + size + " bytes)";
            }
        } else if (a instanceof HotswapAction.ImageCode c) {
            retry.run("UpdateFunctionCode", l, () -> lambda.updateFunctionCode(b -> b.functionName(fn).imageUri(c.imageUri())));
            awaitUpdated(fn, l);
            return "image " + c.imageUri();
        } else if (a instanceof HotswapAction.FunctionConfiguration c) {
            retry.run("UpdateFunctionConfiguration", l, () -> lambda.updateFunctionConfiguration(b -> {
                b.functionName(fn);
                if (c.environment() != null) {
                    b.environment(e -> e.variables(c.environment()));
                }
                if (c.description() != null) {
                    b.description(c.description());
                }
            }));
            awaitUpdated(fn, l);
            List<String> parts = new ArrayList<>();
            if (c.environment() != null) {
                parts.add("environment " + Secrets.maskEnvironment(c.environment()));
            }
            if (c.description() != null) {
                parts.add("description \"" + c.description() + "\"");
            }
            return String.join(", ", parts);
        } else if (a instanceof HotswapAction.PublishVersion p) {
            String version = retry.call("PublishVersion", l, () -> lambda.publishVersion(b -> {
                b.functionName(fn);
                if (p.description() != null) {
                    b.description(p.description());
                }
            }).version());
            published.put(p.versionLogicalId(), version);
            return "published version " + version;
        } else if (a instanceof HotswapAction.UpdateAlias u) {
            String version = u.versionLogicalId() != null && published.containsKey(u.versionLogicalId())
                    ? published.get(u.versionLogicalId()) : u.version();
            if (version == null) {
                throw new IllegalStateException("alias " + u.aliasName() + " points at " + u.versionLogicalId()
                        + ", which was not published in this run");
            }
            retry.run("UpdateAlias", l, () -> lambda.updateAlias(b -> b.functionName(fn).name(u.aliasName()).functionVersion(version)));
            return "alias " + u.aliasName() + " -> version " + version;
        } else if (a instanceof HotswapAction.StateMachineDefinition d) {
            if (sfn == null) {
                throw new IllegalStateException("no Step Functions client is configured; cannot update " + fn);
            }
            retry.run("UpdateStateMachine", l, () -> sfn.updateStateMachine(b -> b.stateMachineArn(fn).definition(d.definition())));
            return "definition (" + d.definition().length() + " characters)";
        }
        throw new IllegalArgumentException("unknown action " + a);
    }

    /** Uploads a zip unless the function already runs exactly these bytes ({@code live}: its configuration, if just read). */
    String pushZip(String fn, byte[] zip, Retry.Listener l, GetFunctionConfigurationResponse live) {
        String sha = LambdaZip.codeSha256(zip);
        GetFunctionConfigurationResponse cfg = live != null ? live : configuration(fn, l);
        if (sha.equals(cfg.codeSha256()) && cfg.lastUpdateStatus() != LastUpdateStatus.IN_PROGRESS) {
            return "code unchanged (CodeSha256 matches)";
        }
        LastUpdateStatus status = retry.call("UpdateFunctionCode", l,
                () -> lambda.updateFunctionCode(b -> b.functionName(fn).zipFile(SdkBytes.fromByteArray(zip)))).lastUpdateStatus();
        if (status != LastUpdateStatus.SUCCESSFUL) {
            awaitUpdated(fn, l);
        }
        return "code " + sha.substring(0, Math.min(12, sha.length())) + " (" + zip.length + " bytes)";
    }

    void awaitUpdated(String fn, Retry.Listener l) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            GetFunctionConfigurationResponse cfg = retry.call("GetFunctionConfiguration", l,
                    () -> lambda.getFunctionConfiguration(b -> b.functionName(fn)));
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
                throw new IllegalStateException("the update of " + fn + " did not finish within " + timeout);
            }
            Retry.sleep(poll);
        }
    }

    /** Function names targeted by code or configuration actions. */
    static Set<String> functionTargets(List<HotswapPlan.Swap> swaps) {
        Set<String> out = new HashSet<>();
        swaps.forEach(s -> s.actions().forEach(a -> out.add(a.target())));
        return out;
    }
}
