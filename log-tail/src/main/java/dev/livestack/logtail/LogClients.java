package dev.livestack.logtail;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClientBuilder;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClientBuilder;

/** Builds the CloudWatch Logs clients a {@link LogTailer} needs. */
public final class LogClients {
    private LogClients() {
    }

    /**
     * The async client for StartLiveTail. With an endpoint override, host-prefix injection is turned off:
     * the SDK would otherwise send live tail to {@code streaming-<host>}, which a local endpoint does not have.
     *
     * @param endpoint the endpoint override, or {@code null} for the region's AWS endpoint
     */
    public static CloudWatchLogsAsyncClient async(URI endpoint, Region region, AwsCredentialsProvider credentials) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(credentials, "credentials");
        CloudWatchLogsAsyncClientBuilder b = CloudWatchLogsAsyncClient.builder()
                .region(region)
                .credentialsProvider(credentials)
                // A live-tail session lasts up to three hours: no read timeout may end it.
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .readTimeout(Duration.ZERO)
                        .connectionTimeout(Duration.ofSeconds(5)));
        if (endpoint != null) {
            b.endpointOverride(endpoint)
                    .overrideConfiguration(o -> o.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true));
        }
        return b.build();
    }

    /**
     * The sync client for FilterLogEvents and DescribeLogGroups.
     *
     * @param endpoint the endpoint override, or {@code null} for the region's AWS endpoint
     */
    public static CloudWatchLogsClient sync(URI endpoint, Region region, AwsCredentialsProvider credentials) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(credentials, "credentials");
        CloudWatchLogsClientBuilder b = CloudWatchLogsClient.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(ApacheHttpClient.builder());
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        return b.build();
    }
}
