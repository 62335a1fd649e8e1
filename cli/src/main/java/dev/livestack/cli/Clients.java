package dev.livestack.cli;

import dev.livestack.deployer.RoleAssumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The SDK clients of one run, built once for the target (region, credentials, endpoint) and handed to
 * the modules. Only the cli builds clients.
 */
final class Clients implements AutoCloseable {
    private final Target target;
    private final List<AutoCloseable> built = new ArrayList<>();
    private CloudFormationClient cloudFormation;
    private LambdaClient lambda;
    private CloudWatchLogsClient logs;
    private CloudWatchLogsAsyncClient logsAsync;
    private S3Client s3;
    private SfnClient sfn;
    private SsmClient ssm;
    private EcrClient ecr;
    private StsClient sts;

    Clients(Target target) {
        this.target = target;
    }

    Target target() {
        return target;
    }

    private <B extends AwsClientBuilder<B, C>, C extends AutoCloseable> C build(B builder) {
        return build(builder, target.credentials());
    }

    private <B extends AwsClientBuilder<B, C>, C extends AutoCloseable> C build(B builder, AwsCredentialsProvider credentials) {
        builder.region(target.region()).credentialsProvider(credentials);
        ClientOverrideConfiguration.Builder o = ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(Duration.ofSeconds(60));
        if (target.endpoint() != null) {
            builder.endpointOverride(target.endpoint());
            // Streaming operations (StartLiveTail) prefix the host; a local endpoint has no such host.
            o.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, Boolean.TRUE);
        }
        builder.overrideConfiguration(o.build());
        C client = builder.build();
        built.add(client);
        return client;
    }

    synchronized CloudFormationClient cloudFormation() {
        if (cloudFormation == null) {
            cloudFormation = build(CloudFormationClient.builder());
        }
        return cloudFormation;
    }

    synchronized LambdaClient lambda() {
        if (lambda == null) {
            lambda = build(LambdaClient.builder());
        }
        return lambda;
    }

    synchronized CloudWatchLogsClient logs() {
        if (logs == null) {
            logs = build(CloudWatchLogsClient.builder());
        }
        return logs;
    }

    synchronized CloudWatchLogsAsyncClient logsAsync() {
        if (logsAsync == null) {
            logsAsync = build(CloudWatchLogsAsyncClient.builder());
        }
        return logsAsync;
    }

    synchronized S3Client s3() {
        if (s3 == null) {
            s3 = build(S3Client.builder().forcePathStyle(target.endpoint() != null));
        }
        return s3;
    }

    synchronized SfnClient stepFunctions() {
        if (sfn == null) {
            sfn = build(SfnClient.builder());
        }
        return sfn;
    }

    /** For container image assets: the repository look-up and the registry's authorization token. */
    synchronized EcrClient ecr() {
        if (ecr == null) {
            ecr = build(EcrClient.builder());
        }
        return ecr;
    }

    synchronized SsmClient ssm() {
        if (ssm == null) {
            ssm = build(SsmClient.builder());
        }
        return ssm;
    }

    synchronized StsClient sts() {
        if (sts == null) {
            sts = build(StsClient.builder());
        }
        return sts;
    }

    /**
     * Clients acting as a role, through STS AssumeRole with this run's credentials (refreshed before they expire), as
     * the CDK CLI assumes the bootstrap roles. The deployer asks once per role and keeps the answer.
     */
    RoleAssumer roles() {
        return (roleArn, externalId) -> {
            StsAssumeRoleCredentialsProvider provider = StsAssumeRoleCredentialsProvider.builder().stsClient(sts())
                    .refreshRequest(r -> r.roleArn(roleArn).roleSessionName("livestack-" + ProcessHandle.current().pid())
                            .externalId(externalId))
                    .build();
            try {
                // ask now: a refused role is known before any call acts as it
                provider.resolveCredentials();
            } catch (StsException e) {
                provider.close();
                throw new RoleAssumer.NotAssumed(e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage(), e);
            }
            synchronized (this) {
                built.add(provider);
                return new RoleAssumer.RoleClients(build(CloudFormationClient.builder(), provider),
                        build(S3Client.builder().forcePathStyle(target.endpoint() != null), provider));
            }
        };
    }

    @Override
    public synchronized void close() {
        dev.livestack.context.Closeables.closeAll(built);
    }
}
