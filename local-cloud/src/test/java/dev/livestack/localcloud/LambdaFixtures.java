package dev.livestack.localcloud;

import dev.livestack.inlinepackager.LambdaZip;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;
import software.amazon.awssdk.services.lambda.model.FunctionCode;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Real SDK clients pointed at a local-cloud, and small helpers the Lambda and Logs ITs share. */
final class LambdaFixtures {
    static final String ROLE = "arn:aws:iam::000000000000:role/lambda-role";

    private LambdaFixtures() {
    }

    static LocalCloud start(Path dir) throws Exception {
        return LocalCloud.start(LocalCloudConfig.defaults(dir, 0));
    }

    static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    }

    static LambdaClient lambda(URI endpoint) {
        return LambdaClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials())
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(60))).build();
    }

    static software.amazon.awssdk.services.lambda.LambdaAsyncClient lambdaAsync(URI endpoint) {
        return software.amazon.awssdk.services.lambda.LambdaAsyncClient.builder().endpointOverride(endpoint)
                .region(Region.US_EAST_1).credentialsProvider(credentials()).build();
    }

    static CloudWatchLogsClient logs(URI endpoint) {
        return CloudWatchLogsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials()).build();
    }

    static CloudWatchLogsAsyncClient logsAsync(URI endpoint) {
        return CloudWatchLogsAsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials())
                .overrideConfiguration(o -> o.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
                .build();
    }

    /** Changes local-cloud's Lambda / Logs settings through its token-guarded admin route; returns the answer. */
    static String settings(LocalCloud cloud, String json) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(cloud.endpoint().resolve("/_localcloud/lambda/settings"))
                        .header(LocalCloud.ADMIN_TOKEN_HEADER, TestControls.adminToken(cloud.config().stateDir()))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("settings answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    static byte[] zip(String runtime, String source) {
        return LambdaZip.forInline(runtime, source);
    }

    static CreateFunctionResponse create(LambdaClient lambda, String name, Runtime runtime, String source) {
        CreateFunctionResponse r = lambda.createFunction(b -> b.functionName(name).runtime(runtime).role(ROLE)
                .handler("index.handler").code(FunctionCode.builder()
                        .zipFile(SdkBytes.fromByteArray(zip(runtime.toString(), source))).build()));
        lambda.waiter().waitUntilFunctionActiveV2(b -> b.functionName(name));
        return r;
    }

    static List<String> messages(CloudWatchLogsClient logs, String group) {
        return logs.filterLogEventsPaginator(b -> b.logGroupName(group)).events().stream()
                .map(FilteredLogEvent::message).collect(Collectors.toList());
    }

    static long count(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).count();
    }
}
