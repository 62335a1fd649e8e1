package dev.livestack.deployer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Everything the deployer needs; build it with {@link #of} and the {@code with…} methods.
 *
 * @param cloudFormation the CloudFormation client
 * @param lambda the Lambda client
 * @param s3 the S3 client for templates over 51,200 bytes, or {@code null} (such templates then fail with a clear error)
 * @param stepFunctions the Step Functions client for state machine hot-swaps, or {@code null}
 * @param stateDir livestack's state folder of the app ({@code .livestack/}); templates go to {@code state/}
 * @param events where events go (called from deployer threads; must be thread-safe)
 * @param approval when a change set needs approval before it is executed
 * @param approver asks the user to approve a change set (true = execute); {@code null} declines whenever approval is needed
 * @param protectedStackGlobs stack name globs ({@code *}, {@code ?}) that are never hot-swapped
 * @param replaceFailed delete and re-create a stack found in ROLLBACK_FAILED (one in ROLLBACK_COMPLETE always is)
 * @param confirmReplace asked (with the stack name) whether to delete and re-create a ROLLBACK_FAILED stack when
 *        {@code replaceFailed} is off, so the cli can offer it interactively; {@code null} never asks
 * @param templateBucket the bucket large templates are uploaded to (created when missing), or {@code null}
 * @param parameters parameter values as the CDK CLI's {@code --parameters} takes them: key {@code Name} for every stack
 *        that declares it, key {@code Stack:Name} for that stack only (which wins); a parameter given no value keeps
 *        the stack's previous one ({@code UsePreviousValue}), else its Default
 * @param tags stack tags
 * @param hotswapConcurrency how many resources are hot-swapped at the same time
 * @param lambdaPollInterval how often a function's update status is polled
 * @param stackPollInterval how often change sets, stacks and stack events are polled
 * @param maxAttempts attempts per call for transient failures (throttling, 5xx, connection resets, 409), beyond the SDK's own
 * @param retryBaseDelay the first backoff delay; it doubles per attempt
 * @param timeout the longest wait for one function update, change set or stack operation
 * @param assets where the cloud assembly is, the account and region asset destinations name, and bootstrap settings
 */
public record DeployerConfig(CloudFormationClient cloudFormation, LambdaClient lambda, S3Client s3,
                             SfnClient stepFunctions, Path stateDir, Consumer<DeployEvent> events,
                             ApprovalPolicy approval, Predicate<ChangeSetSummary> approver,
                             Set<String> protectedStackGlobs, boolean replaceFailed, Predicate<String> confirmReplace,
                             String templateBucket,
                             Map<String, String> parameters, Map<String, String> tags, int hotswapConcurrency,
                             Duration lambdaPollInterval, Duration stackPollInterval, int maxAttempts,
                             Duration retryBaseDelay, Duration timeout, Assets assets) {

    public DeployerConfig {
        Objects.requireNonNull(cloudFormation, "cloudFormation");
        Objects.requireNonNull(lambda, "lambda");
        Objects.requireNonNull(stateDir, "stateDir");
        events = events == null ? e -> { } : events;
        approval = approval == null ? ApprovalPolicy.NEVER : approval;
        protectedStackGlobs = protectedStackGlobs == null ? Set.of() : Set.copyOf(protectedStackGlobs);
        if (templateBucket != null && templateBucket.isBlank()) {
            throw new IllegalArgumentException("templateBucket must not be blank when set");
        }
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        if (hotswapConcurrency < 1 || hotswapConcurrency > 64) {
            throw new IllegalArgumentException("hotswapConcurrency must be 1..64, was " + hotswapConcurrency);
        }
        requirePositive(lambdaPollInterval, "lambdaPollInterval");
        requirePositive(stackPollInterval, "stackPollInterval");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        requirePositive(retryBaseDelay, "retryBaseDelay");
        requirePositive(timeout, "timeout");
        assets = assets == null ? Assets.NONE : assets;
    }

    /**
     * The defaults: no S3 or Step Functions client, no events, approval never, nothing protected, no
     * re-creation of failed stacks, no template bucket, 8 parallel hot-swaps, Lambda polled every 50 ms, stacks every
     * 500 ms, 8 attempts from 100 ms backoff, 30 minutes timeout.
     */
    public static DeployerConfig of(CloudFormationClient cloudFormation, LambdaClient lambda, Path stateDir) {
        return new DeployerConfig(cloudFormation, lambda, null, null, stateDir, null, ApprovalPolicy.NEVER, null,
                Set.of(), false, null, null, Map.of(), Map.of(), 8, Duration.ofMillis(50), Duration.ofMillis(500), 8,
                Duration.ofMillis(100), Duration.ofMinutes(30), Assets.NONE);
    }

    /** The bucket name livestack uses for large templates by default: {@code livestack-templates-<account>-<region>}. */
    public static String defaultTemplateBucket(String accountId, String region) {
        return "livestack-templates-" + accountId + "-" + region;
    }

    /** With an S3 client and the bucket templates over 51,200 bytes are uploaded to (created when missing). */
    public DeployerConfig withS3(S3Client s3, String templateBucket) {
        return new DeployerConfig(cloudFormation, lambda, s3, stepFunctions, stateDir, events, approval, approver,
                protectedStackGlobs, replaceFailed, confirmReplace, templateBucket, parameters, tags, hotswapConcurrency,
                lambdaPollInterval, stackPollInterval, maxAttempts, retryBaseDelay, timeout, assets);
    }

    /** With the Step Functions client state machine hot-swaps use. */
    public DeployerConfig withStepFunctions(SfnClient stepFunctions) {
        return new DeployerConfig(cloudFormation, lambda, s3, stepFunctions, stateDir, events, approval, approver,
                protectedStackGlobs, replaceFailed, confirmReplace, templateBucket, parameters, tags, hotswapConcurrency,
                lambdaPollInterval, stackPollInterval, maxAttempts, retryBaseDelay, timeout, assets);
    }

    /** With the listener every {@link DeployEvent} goes to (called from several threads). */
    public DeployerConfig withEvents(Consumer<DeployEvent> events) {
        return new DeployerConfig(cloudFormation, lambda, s3, stepFunctions, stateDir, events, approval, approver,
                protectedStackGlobs, replaceFailed, confirmReplace, templateBucket, parameters, tags, hotswapConcurrency,
                lambdaPollInterval, stackPollInterval, maxAttempts, retryBaseDelay, timeout, assets);
    }

    /** With the approval policy and the callback that asks the user (false or {@code null} declines). */
    public DeployerConfig withApproval(ApprovalPolicy approval, Predicate<ChangeSetSummary> approver) {
        return new DeployerConfig(cloudFormation, lambda, s3, stepFunctions, stateDir, events, approval, approver,
                protectedStackGlobs, replaceFailed, confirmReplace, templateBucket, parameters, tags, hotswapConcurrency,
                lambdaPollInterval, stackPollInterval, maxAttempts, retryBaseDelay, timeout, assets);
    }

    /** With stack-name globs that are never hot-swapped (cdk.json context {@code livestack:protectedStacks}). */
    public DeployerConfig withProtectedStacks(Set<String> protectedStackGlobs) {
        return new DeployerConfig(cloudFormation, lambda, s3, stepFunctions, stateDir, events, approval, approver,
                protectedStackGlobs, replaceFailed, confirmReplace, templateBucket, parameters, tags, hotswapConcurrency,
                lambdaPollInterval, stackPollInterval, maxAttempts, retryBaseDelay, timeout, assets);
    }

    /** Whether a stack in ROLLBACK_FAILED is deleted and created again ({@code --replace-failed}). */
    public DeployerConfig withReplaceFailed(boolean replaceFailed) {
        return withReplaceFailed(replaceFailed, confirmReplace);
    }

    /** Whether a ROLLBACK_FAILED stack is re-created, and the question asked when it is not ({@code null}: none). */
    public DeployerConfig withReplaceFailed(boolean replaceFailed, Predicate<String> confirmReplace) {
        return new DeployerConfig(cloudFormation, lambda, s3, stepFunctions, stateDir, events, approval, approver,
                protectedStackGlobs, replaceFailed, confirmReplace, templateBucket, parameters, tags, hotswapConcurrency,
                lambdaPollInterval, stackPollInterval, maxAttempts, retryBaseDelay, timeout, assets);
    }

    /** With parameter values (keys {@code Name} or {@code Stack:Name}, see {@link #parameters()}), and stack tags. */
    public DeployerConfig withParameters(Map<String, String> parameters, Map<String, String> tags) {
        return new DeployerConfig(cloudFormation, lambda, s3, stepFunctions, stateDir, events, approval, approver,
                protectedStackGlobs, replaceFailed, confirmReplace, templateBucket, parameters, tags, hotswapConcurrency,
                lambdaPollInterval, stackPollInterval, maxAttempts, retryBaseDelay, timeout, assets);
    }

    /** With how often a function's update status, and change sets, stacks and stack events, are polled. */
    public DeployerConfig withPolling(Duration lambdaPollInterval, Duration stackPollInterval) {
        return new DeployerConfig(cloudFormation, lambda, s3, stepFunctions, stateDir, events, approval, approver,
                protectedStackGlobs, replaceFailed, confirmReplace, templateBucket, parameters, tags, hotswapConcurrency,
                lambdaPollInterval, stackPollInterval, maxAttempts, retryBaseDelay, timeout, assets);
    }

    /** With attempts per call for transient failures and the first backoff delay. */
    public DeployerConfig withRetries(int maxAttempts, Duration retryBaseDelay) {
        return new DeployerConfig(cloudFormation, lambda, s3, stepFunctions, stateDir, events, approval, approver,
                protectedStackGlobs, replaceFailed, confirmReplace, templateBucket, parameters, tags, hotswapConcurrency,
                lambdaPollInterval, stackPollInterval, maxAttempts, retryBaseDelay, timeout, assets);
    }

    /** With the longest wait for one function update, change set or stack operation. */
    public DeployerConfig withTimeout(Duration timeout) {
        return new DeployerConfig(cloudFormation, lambda, s3, stepFunctions, stateDir, events, approval, approver,
                protectedStackGlobs, replaceFailed, confirmReplace, templateBucket, parameters, tags, hotswapConcurrency,
                lambdaPollInterval, stackPollInterval, maxAttempts, retryBaseDelay, timeout, assets);
    }

    /**
     * With file asset publishing (before every change set, which needs the S3 client of {@link #withS3}) and
     * asset-based function hot-swaps.
     */
    public DeployerConfig withAssets(Assets assets) {
        return new DeployerConfig(cloudFormation, lambda, s3, stepFunctions, stateDir, events, approval, approver,
                protectedStackGlobs, replaceFailed, confirmReplace, templateBucket, parameters, tags, hotswapConcurrency,
                lambdaPollInterval, stackPollInterval, maxAttempts, retryBaseDelay, timeout, assets);
    }

    /**
     * Where file assets come from and go to, and how a missing CDK bootstrap is handled.
     *
     * @param assemblyDir the folder of the app's latest cloud assembly ({@code cdk.out}); asked at every deploy
     *        because a synth may write a new one; may return {@code null} (no assets). {@link Deployer#deployAll}
     *        uses its assembly's folder instead.
     * @param accountId the account {@code ${AWS::AccountId}} in asset destinations stands for
     * @param region the region {@code ${AWS::Region}} stands for ({@code null}: the S3 client's)
     * @param ssm the SSM client to check (and on local-cloud create) the bootstrap version parameter, or {@code null}
     * @param bootstrapLocal the target is local-cloud: create a missing staging bucket and bootstrap version parameter
     *        (an implicit {@code cdk bootstrap}); off, a missing one fails the deploy and says to run {@code cdk bootstrap}
     * @param roles assumes the CDK bootstrap roles the assembly names (deploy role for change sets, file-publishing role
     *        for uploads), or {@code null}: everything acts as the caller's own credentials
     * @param docker the {@code docker} executable that builds and pushes container image assets (the caller finds it
     *        on PATH), or {@code null}: a stack with image assets is refused before anything is deployed
     * @param ecr the ECR client image assets are pushed with (repository look-up, authorization token), or {@code null}
     */
    public record Assets(Supplier<Path> assemblyDir, String accountId, String region, SsmClient ssm, boolean bootstrapLocal,
                         RoleAssumer roles, Path docker, EcrClient ecr) {
        /** No assembly: nothing is published, asset functions are hot-swapped from S3 as their template says. */
        public static final Assets NONE = new Assets(() -> null, null, null, null, false, null, null, null);

        public Assets {
            assemblyDir = assemblyDir == null ? () -> null : assemblyDir;
            if (accountId != null && accountId.isBlank()) {
                throw new IllegalArgumentException("accountId must not be blank when set");
            }
            if (region != null && region.isBlank()) {
                throw new IllegalArgumentException("region must not be blank when set");
            }
        }

        /** Settings for a target: the assembly folder supplier, the account, the region, SSM, and whether it is local-cloud. */
        public static Assets of(Supplier<Path> assemblyDir, String accountId, String region, SsmClient ssm, boolean local) {
            return new Assets(assemblyDir, accountId, region, ssm, local, null, null, null);
        }

        /** With the bootstrap roles assumed through {@code roles} (the CDK CLI's behaviour), or not at all ({@code null}). */
        public Assets withRoles(RoleAssumer roles) {
            return new Assets(assemblyDir, accountId, region, ssm, bootstrapLocal, roles, docker, ecr);
        }

        /** With the docker executable ({@code null}: none on PATH) and the ECR client image assets are pushed with. */
        public Assets withDocker(Path docker, EcrClient ecr) {
            return new Assets(assemblyDir, accountId, region, ssm, bootstrapLocal, roles, docker, ecr);
        }
    }

    /** The parameter values given for this stack: {@code Name} keys, overridden by its own {@code Stack:Name} keys. */
    public Map<String, String> parametersFor(String stackName) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        parameters.forEach((k, v) -> {
            if (k.indexOf(':') < 0) {
                out.put(k, v);
            }
        });
        String prefix = stackName + ":";
        parameters.forEach((k, v) -> {
            if (k.startsWith(prefix) && k.indexOf(':', prefix.length()) < 0) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /** Whether a stack matches one of {@link #protectedStackGlobs()}. */
    public boolean isProtected(String stackName) {
        return protectedStackGlobs.stream().anyMatch(g -> Globs.matches(g, stackName));
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
