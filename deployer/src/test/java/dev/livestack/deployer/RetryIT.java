package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

/**
 * Which client-side SDK failures are retried, with real SDK clients: a credential provider that fails and an
 * endpoint whose host does not resolve fail at once; a refused connection is a network fault and is retried.
 */
class RetryIT {
    private static final AwsCredentialsProvider STATIC = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    private static CloudFormationClient client(URI endpoint, AwsCredentialsProvider credentials) {
        // the SDK's own retries off: what is counted here is livestack's
        return CloudFormationClient.builder().region(Region.US_EAST_1).endpointOverride(endpoint).credentialsProvider(credentials)
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1))
                        .apiCallAttemptTimeout(Duration.ofSeconds(10)))
                .build();
    }

    /** Runs the call through a 4-attempt retry and returns the attempts reported, with the exception thrown. */
    private static RuntimeException attempts(CloudFormationClient cf, List<String> reported) {
        Retry retry = new Retry(4, Duration.ofMillis(1), Duration.ofMillis(2));
        return assertThrows(RuntimeException.class, () -> retry.call("DescribeStacks",
                (op, attempt, reason, delay) -> reported.add(attempt + " " + reason), () -> cf.describeStacks()));
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aFailingCredentialProcessIsNotRetried(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config");
        Files.writeString(config, "[profile broken]\ncredential_process = sh -c 'echo token expired >&2; exit 3'\n");
        ProfileFile pf = ProfileFile.builder().content(config).type(ProfileFile.Type.CONFIGURATION).build();
        List<String> reported = new ArrayList<>();
        try (var provider = ProfileCredentialsProvider.builder().profileFile(pf).profileName("broken").build();
             CloudFormationClient cf = client(URI.create("http://127.0.0.1:" + closedPort()), provider)) {
            RuntimeException e = attempts(cf, reported);
            assertEquals(List.of(), reported, "retried a credential failure");
            assertTrue(!(e instanceof SdkException s) || Retry.transientReason(s) == null);
            assertTrue(String.valueOf(e.getMessage()).contains("exit") || String.valueOf(e.getCause()).contains("exit"), e::toString);
            assertTrue(Retry.credentialsFailure(e), "classified as a credential failure");
        }
    }

    @Test
    void anUnknownHostIsNotRetried() {
        List<String> reported = new ArrayList<>();
        try (CloudFormationClient cf = client(URI.create("http://livestack-no-such-host.invalid:4566"), STATIC)) {
            SdkException e = (SdkException) attempts(cf, reported);
            assertEquals(List.of(), reported, "retried an unknown host");
            assertNull(Retry.transientReason(e));
            assertTrue(Retry.causedBy(e, java.net.UnknownHostException.class));
        }
    }

    @Test
    void aRefusedConnectionIsRetried() throws Exception {
        List<String> reported = new ArrayList<>();
        try (CloudFormationClient cf = client(URI.create("http://127.0.0.1:" + closedPort()), STATIC)) {
            SdkException e = (SdkException) attempts(cf, reported);
            assertEquals(3, reported.size(), reported::toString);
            assertNotNull(Retry.transientReason(e));
            assertTrue(reported.get(0).contains("connection"), reported::toString);
        }
    }

    /** A deploy whose credentials cannot be loaded fails at once, with the provider's reason and no retries. */
    @Test
    void aDeployWithFailingCredentialsFailsAtOnceWithTheRealCause(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config");
        Files.writeString(config, "[profile broken]\ncredential_process = sh -c 'echo the session has expired >&2; exit 3'\n");
        ProfileFile pf = ProfileFile.builder().content(config).type(ProfileFile.Type.CONFIGURATION).build();
        URI endpoint = URI.create("http://127.0.0.1:" + closedPort());
        List<DeployEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var provider = ProfileCredentialsProvider.builder().profileFile(pf).profileName("broken").build();
             CloudFormationClient cf = client(endpoint, provider);
             software.amazon.awssdk.services.lambda.LambdaClient lambda = software.amazon.awssdk.services.lambda.LambdaClient.builder()
                     .region(Region.US_EAST_1).endpointOverride(endpoint).credentialsProvider(provider).build();
             Deployer deployer = Deployer.create(DeployerConfig.of(cf, lambda, dir.resolve("state")).withEvents(events::add))) {
            DeployResult r = deployer.deploy(new dev.livestack.synth.StackTemplate("Broken",
                    TestTemplates.obj("{'Resources':{'T':{'Type':'AWS::SNS::Topic'}}}"), List.of()), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.FAILED, r.status(), r::toString);
            assertTrue(r.error().contains("the session has expired"), r.error());
            assertTrue(events.stream().noneMatch(e -> e instanceof DeployEvent.Retrying), events::toString);
        }
    }
}
