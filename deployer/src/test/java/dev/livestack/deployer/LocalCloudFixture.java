package dev.livestack.deployer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.LocalCloud;
import dev.livestack.localcloud.LocalCloudConfig;
import dev.livestack.localcloud.TestControls;
import dev.livestack.synth.StackTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * One local-cloud per test class, with SDK clients built the way the cli builds them (endpoint override,
 * static test credentials, Apache HTTP client, the SDK's default retry strategy).
 */
abstract class LocalCloudFixture {
    static LocalCloud cloud;
    static TestControls controls;
    static CloudFormationClient cf;
    static LambdaClient lambda;
    static S3Client s3;
    static SfnClient sfn;
    static Path root;
    private static final AtomicInteger SEQ = new AtomicInteger();

    /** Starts local-cloud once per test JVM: every IT class shares it (stacks have unique names), which saves its start-up per class. */
    @BeforeAll
    static synchronized void startCloud() throws IOException {
        if (cloud != null) {
            return;
        }
        root = Files.createTempDirectory("deployer-it");
        cloud = LocalCloud.start(LocalCloudConfig.defaults(root.resolve("cloud"), 0));
        controls = TestControls.of(cloud);
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        cf = CloudFormationClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(creds).httpClientBuilder(ApacheHttpClient.builder()).build();
        lambda = LambdaClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(creds).httpClientBuilder(ApacheHttpClient.builder()).build();
        s3 = S3Client.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(creds).httpClientBuilder(ApacheHttpClient.builder()).build();
        sfn = SfnClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(creds).httpClientBuilder(ApacheHttpClient.builder()).build();
        Runtime.getRuntime().addShutdownHook(new Thread(LocalCloudFixture::stopCloud, "local-cloud-stop"));
    }

    @AfterAll
    static void clearAllFaults() {
        controls.clearFaults();
    }

    private static void stopCloud() {
        for (AutoCloseable c : new AutoCloseable[] {cf, lambda, s3, sfn, cloud}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // Closing test clients at JVM exit must not hide the tests' results.
            }
        }
    }

    /** A fresh state folder and an event recorder per deployer. */
    static final class Harness implements AutoCloseable {
        final Path stateDir;
        final List<DeployEvent> events = new CopyOnWriteArrayList<>();
        final Deployer deployer;

        Harness(java.util.function.UnaryOperator<DeployerConfig> customise) {
            try {
                stateDir = Files.createTempDirectory(root, "app");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            DeployerConfig base = DeployerConfig.of(cf, lambda, stateDir).withEvents(events::add)
                    .withStepFunctions(sfn).withPolling(Duration.ofMillis(20), Duration.ofMillis(25))
                    .withRetries(8, Duration.ofMillis(20)).withTimeout(Duration.ofSeconds(60));
            deployer = Deployer.create(customise.apply(base));
        }

        <E extends DeployEvent> List<E> events(Class<E> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }

        @Override
        public void close() {
            deployer.close();
        }
    }

    static Harness harness() {
        return new Harness(c -> c);
    }

    static String uniqueStack(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
    }

    static final String ROLE = "'Role':{'Type':'AWS::IAM::Role','Properties':{'AssumeRolePolicyDocument':{'Version':'2012-10-17',"
            + "'Statement':[{'Effect':'Allow','Principal':{'Service':'lambda.amazonaws.com'},'Action':'sts:AssumeRole'}]}}}";

    /** A stack with a role and one Node.js function whose code returns {@code reply}. */
    static ObjectNode functionTemplate(String reply, int memory, String stage, String description) {
        return TestTemplates.obj("{'Resources':{" + ROLE + ",'Fn':{'Type':'AWS::Lambda::Function','Properties':{'Runtime':'nodejs20.x',"
                + "'Handler':'index.handler','Role':{'Fn::GetAtt':['Role','Arn']},"
                + "'Code':{'ZipFile':'exports.handler = async () => \\'" + reply + "\\';'},"
                + "'MemorySize':" + memory + ",'Description':'" + description + "',"
                + "'Environment':{'Variables':{'STAGE':'" + stage + "','QUEUE_NAME':{'Fn::Sub':'${AWS::StackName}-q'}}}}}},"
                + "'Outputs':{'FnName':{'Value':{'Ref':'Fn'}}}}");
    }

    static StackTemplate stack(String name, ObjectNode template) {
        return new StackTemplate(name, template, List.of());
    }

    /** How long local-cloud keeps a function update InProgress (its Lambda settings admin path). */
    static void lambdaUpdateDelay(long millis) throws Exception {
        var req = java.net.http.HttpRequest.newBuilder(cloud.endpoint().resolve("/_localcloud/lambda/settings"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"updateDelayMillis\":" + millis + "}"))
                .header("Content-Type", "application/json")
                .header(LocalCloud.ADMIN_TOKEN_HEADER, TestControls.adminToken(cloud.config().stateDir())).build();
        var resp = java.net.http.HttpClient.newHttpClient().send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IllegalStateException("local-cloud lambda settings: " + resp.statusCode() + " " + resp.body());
        }
    }
}
