package dev.livestack.deployer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.inlinepackager.InlineCode;
import dev.livestack.synth.CloudAssembly;
import dev.livestack.synth.StackTemplate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies templates to CloudFormation stacks: diffs the last applied template against the new one and either
 * hot-swaps the changes or deploys a change set, per {@link DeployMode}. One deploy runs at a time per stack
 * (calls for the same stack wait for each other). Everything it does is reported to
 * {@link DeployerConfig#events()}; failures are results, not exceptions.
 */
public interface Deployer extends AutoCloseable {

    /** A deployer with the standard hot-swap handlers (Lambda Function, Version, Alias; Step Functions StateMachine). */
    static Deployer create(DeployerConfig config) {
        return new DefaultDeployer(config);
    }

    /** Diff the last applied template of this stack against the new one; hot-swap or change set per mode. */
    DeployResult deploy(StackTemplate stack, DeployMode mode);

    /**
     * As {@link #deploy(StackTemplate, DeployMode)}, with the stack's file assets read from this assembly (published
     * before a change set; asset-based functions hot-swapped from its staged folders) instead of the configured
     * {@link DeployerConfig.Assets#assemblyDir()}.
     */
    DeployResult deploy(CloudAssembly assembly, StackTemplate stack, DeployMode mode);

    /**
     * Why livestack cannot deploy this stack's assets (images built by a command, legacy synthesizer assets), as two lines
     * (what failed, what to do); empty when it can. Reads the assembly's manifests only.
     */
    static Optional<String> unsupportedAssets(CloudAssembly assembly, String stackName) {
        try {
            return AssetManifest.forStack(assembly.directory(), stackName).unsupported();
        } catch (AssetPublisher.AssetException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Why this deployer cannot publish the stack's assets (two lines: what failed, what to do), or empty when it can:
     * {@link #unsupportedAssets}, and for container image assets whether docker is on PATH and its engine answers.
     * Asked before any stack is deployed, so a run never stops half-way over an asset.
     */
    Optional<String> cannotPublish(CloudAssembly assembly, String stackName);

    /**
     * Deploys every stack of an assembly in dependency order. A stack whose dependency failed is not deployed
     * (its result is {@code FAILED}, saying which dependency).
     */
    List<DeployResult> deployAll(CloudAssembly assembly, DeployMode mode);

    /**
     * Fast path: push these inline functions' code now (packaged by the caller), without a synth. No upload when
     * the function's CodeSha256 already matches. The last applied template records the code, so the synth that
     * follows finds nothing left to swap.
     *
     * <p>A function of a CDK nested stack is named by its path from {@code stackName}:
     * {@code <nested stack logical id>/<function logical id>} (deeper nesting adds more ids). It is swapped in the
     * deployed nested stack (found through each nested stack resource's physical id), its events name that nested
     * stack, and the code is recorded in the nested stack's last applied template and drift ledger (kept under
     * {@code <stackName>.<nested logical id>…}), as a deploy of {@code stackName} keeps them. The result names it by
     * its path.
     *
     * @param codeByLogicalId new code per function: its logical id, or its path through nested stacks
     */
    DeployResult hotswapCode(String stackName, Map<String, InlineCode> codeByLogicalId);

    /**
     * Hot-swaps every Lambda function's code and configuration (Environment, Description) from the given template
     * now, whatever the last applied template says ({@code livestack hotswap}, console key {@code s}).
     *
     * @param logicalIds the functions to push; empty = all functions of the template
     */
    DeployResult hotswapAll(StackTemplate stack, Set<String> logicalIds);

    /** The template last applied to this stack by livestack (from {@code <stateDir>/state/}). */
    Optional<ObjectNode> lastApplied(String stackName);

    /**
     * What was hot-swapped away from CloudFormation's template and not yet converged by a deploy: per resource
     * logical id, the drifted properties (from the drift ledger in {@code <stateDir>/state/}; empty when none). The
     * resources of the stack's nested stacks are included, named by their path ({@code <nested logical id>/<logical id>}).
     */
    Map<String, List<String>> drift(String stackName);

    /** The stack's outputs, from DescribeStacks (empty when the stack does not exist). */
    Map<String, String> outputs(String stackName);

    /** The diff {@link #deploy} would act on: last applied (or deployed) template against {@code stack}'s. */
    TemplateDiff diff(StackTemplate stack);

    /**
     * The changes a deploy would make inside the stack's CDK nested stacks (their templates are in the cloud assembly),
     * each against its last applied (or deployed) template; nested stacks without changes are left out.
     */
    default java.util.List<NestedDiff> nestedDiffs(StackTemplate stack) {
        return java.util.List.of();
    }

    /**
     * The parameter values a change-set deploy of {@code stack} would change, against the deployed stack's (values
     * given in {@link DeployerConfig#parameters()}, else previous values, else Defaults); secrets masked.
     */
    List<ParameterChange> parameterChanges(StackTemplate stack);

    /** Stops the hot-swap workers; the SDK clients belong to the caller and stay open. */
    @Override
    void close();

    /**
     * Whether a failure came from resolving the caller's credentials (an expired SSO session, a credential_process
     * that failed, a role that could not be assumed) rather than from an AWS call: such failures are never retried and
     * are the user's to fix.
     */
    static boolean credentialsFailure(Throwable e) {
        return Retry.credentialsFailure(e);
    }
}
