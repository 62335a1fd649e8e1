package dev.livestack.localcloud.parity;

import dev.livestack.localcloud.LocalCloud;
import dev.livestack.localcloud.LocalCloudConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.waiters.CloudFormationWaiter;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * One local-cloud for a parity test class, with real SDK v2 clients on it and the steps LocalStack's fixtures take
 * (deploy a template through a change set and wait, as {@code deploy_cfn_template} does).
 */
final class CfnParityCloud implements AutoCloseable {
    final LocalCloud cloud;
    final CloudFormationClient cfn;
    final CloudFormationWaiter waiter;
    private final Path state;
    private final Deque<AutoCloseable> closing = new ArrayDeque<>();

    CfnParityCloud() throws IOException {
        state = Files.createTempDirectory("local-cloud-parity");
        cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0));
        cfn = keep(CloudFormationClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials()).overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))).build());
        waiter = CloudFormationWaiter.builder().client(cfn)
                .overrideConfiguration(o -> o.backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(50)))
                        .maxAttempts(600))
                .build();
        keep(waiter);
    }

    URI endpoint() {
        return cloud.endpoint();
    }

    static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    }

    CloudWatchLogsClient logs() {
        return keep(CloudWatchLogsClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials()).overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))).build());
    }

    SsmClient ssm() {
        return keep(SsmClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials()).overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))).build());
    }

    StsClient sts(String key, String secret) {
        return keep(StsClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))).build());
    }

    <T extends AutoCloseable> T keep(T client) {
        closing.push(client);
        return client;
    }

    /** A short unique suffix, like LocalStack's {@code short_uid()}. */
    static String uid() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** A template LocalStack's tests load from {@code tests/aws/templates}, kept beside the snapshots. */
    static String template(String name) {
        try (InputStream in = CfnParityCloud.class.getResourceAsStream("/parity/localstack/tests/aws/templates/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no template " + name + " in the test resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code deploy_cfn_template} returns. */
    record Deployed(String changeSetId, String stackId, String stackName) {
        Deployed {
            if (stackId == null || stackId.isBlank()) {
                throw new IllegalArgumentException("stackId must not be blank");
            }
        }
    }

    /** LocalStack's {@code deploy_cfn_template}: a CREATE or UPDATE change set with all capabilities, executed and waited for. */
    Deployed deploy(String stackName, boolean update, String body, Map<String, String> parameters) {
        String name = stackName != null ? stackName : "stack-" + uid();
        List<Parameter> params = parameters.entrySet().stream()
                .map(e -> Parameter.builder().parameterKey(e.getKey()).parameterValue(e.getValue()).build()).toList();
        CreateChangeSetResponse cs = cfn.createChangeSet(b -> b.stackName(name).changeSetName("change-set-" + uid())
                .templateBody(body).capabilities(Capability.CAPABILITY_AUTO_EXPAND, Capability.CAPABILITY_IAM,
                        Capability.CAPABILITY_NAMED_IAM)
                .changeSetType(update ? ChangeSetType.UPDATE : ChangeSetType.CREATE).parameters(params));
        waiter.waitUntilChangeSetCreateComplete(b -> b.changeSetName(cs.id()));
        cfn.executeChangeSet(b -> b.changeSetName(cs.id()));
        if (update) {
            waiter.waitUntilStackUpdateComplete(b -> b.stackName(cs.stackId()));
        } else {
            waiter.waitUntilStackCreateComplete(b -> b.stackName(cs.stackId()));
        }
        return new Deployed(cs.id(), cs.stackId(), name);
    }

    Deployed deploy(String body) {
        return deploy(null, false, body, Map.of());
    }

    void destroy(String stackId) {
        cfn.deleteStack(b -> b.stackName(stackId));
        waiter.waitUntilStackDeleteComplete(b -> b.stackName(stackId));
    }

    @Override
    public void close() throws Exception {
        while (!closing.isEmpty()) {
            closing.pop().close();
        }
        cloud.close();
        try (Stream<Path> all = Files.walk(state)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
