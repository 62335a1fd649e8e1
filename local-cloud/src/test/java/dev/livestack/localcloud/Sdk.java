package dev.livestack.localcloud;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/** Real AWS SDK v2 clients pointed at a local-cloud endpoint, as the rest of livestack builds them. */
final class Sdk {
    private Sdk() {
    }

    static StaticCredentialsProvider credentials(String key, String secret) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret));
    }

    static ClientOverrideConfiguration noRetries() {
        return ClientOverrideConfiguration.builder().retryStrategy(RetryMode.STANDARD)
                .retryStrategy(b -> b.maxAttempts(1)).build();
    }

    static CloudFormationClient cloudFormation(URI endpoint) {
        return CloudFormationClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials("test", "test")).overrideConfiguration(noRetries()).build();
    }

    static StsClient sts(URI endpoint, String key, String secret) {
        return StsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials(key, secret)).overrideConfiguration(noRetries()).build();
    }

    static SsmClient ssm(URI endpoint) {
        return SsmClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials("test", "test")).overrideConfiguration(noRetries()).build();
    }

    static S3Client s3(URI endpoint) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(credentials("test", "test")).overrideConfiguration(noRetries()).build();
    }
}
