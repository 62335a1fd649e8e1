package dev.livestack.deployer;

import dev.livestack.synth.StackTemplate;

/** Which credentials a stack's CloudFormation calls use: the deploy role its assembly names, or the caller's. */
final class StackCfn {
    private final DeployerConfig config;
    private final Cfn cfn;
    private final Retry retry;
    private final AssetPublisher assets;
    private final BootstrapRoles roles;

    /** @param cfn CloudFormation as the caller */
    StackCfn(DeployerConfig config, Cfn cfn, Retry retry, AssetPublisher assets, BootstrapRoles roles) {
        this.config = config;
        this.cfn = cfn;
        this.retry = retry;
        this.assets = assets;
        this.roles = roles;
    }

    /**
     * The CloudFormation calls of a stack's deploy: as the deploy role its assembly names, once the bootstrap check
     * has run (on local-cloud it creates the version parameter the bootstrap roles come with); else as the caller.
     */
    Cfn forDeploy(StackTemplate stack, Retry.Listener l) {
        StackTemplate.Roles r = stack.roles();
        if (config.assets().roles() == null || r.assumeRoleArn() == null) {
            return cfn;
        }
        assets.checkBootstrap(stack.stackName(), stack.template(), l);
        return asDeployRole(stack);
    }

    /** CloudFormation as the stack's deploy role, or as the caller when the role is refused within its account. */
    private Cfn asDeployRole(StackTemplate stack) {
        StackTemplate.Roles r = stack.roles();
        return roles.act(stack.stackName(), "deploy", r.assumeRoleArn(), r.assumeRoleExternalId(),
                v -> assets.substitute(v, stack.stackName())).map(c -> new Cfn(c.cloudFormation(), retry)).orElse(cfn);
    }

    /**
     * Reads for a command that changes nothing ({@code diff}): as the deploy role on AWS, as cdk diff reads; on
     * local-cloud as the caller, because the role would need the bootstrap parameter a read must not create.
     */
    Cfn forRead(StackTemplate stack) {
        StackTemplate.Roles r = stack.roles();
        if (config.assets().roles() == null || r.assumeRoleArn() == null || config.assets().bootstrapLocal()) {
            return cfn;
        }
        return asDeployRole(stack);
    }
}
