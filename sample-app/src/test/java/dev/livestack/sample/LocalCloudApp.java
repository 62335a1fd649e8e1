package dev.livestack.sample;

import dev.livestack.inlinepackager.InlineFunction;
import dev.livestack.localcloud.LocalCloud;
import dev.livestack.localcloud.LocalCloudConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetStatus;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The sample app deployed on a local-cloud of its own through the real SDK (synth in process, a change set, as a
 * full deploy does), for the pipeline IT and bench: its outputs and its functions' physical names.
 */
final class LocalCloudApp implements AutoCloseable {
    static final Path APP = Path.of("").toAbsolutePath();
    static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    final LocalCloud cloud;
    final Map<String, String> outputs = new HashMap<>();
    /** Physical function names by logical id without CDK's hash (Ingest, Worker, Reaper). */
    final Map<String, String> functions = new HashMap<>();

    private LocalCloudApp(LocalCloud cloud) {
        this.cloud = cloud;
    }

    /** Starts local-cloud in {@code dir}/state and deploys the app synthesised into {@code dir}/out. */
    static LocalCloudApp deploy(Path dir) throws IOException {
        LocalCloudApp app = new LocalCloudApp(LocalCloud.start(LocalCloudConfig.defaults(dir.resolve("state"), 0)));
        URI endpoint = app.cloud.endpoint();
        try (SsmClient ssm = SsmClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS).build();
             CloudFormationClient cfn = CloudFormationClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                     .credentialsProvider(CREDENTIALS).build()) {
            // What bootstrapping leaves behind; the default synthesizer's CheckBootstrapVersion rule reads it.
            ssm.putParameter(b -> b.name("/cdk-bootstrap/hnb659fds/version").value("30").type(ParameterType.STRING));
            changeSet(cfn, synth(APP, dir.resolve("out")));
            for (Output o : cfn.describeStacks(b -> b.stackName(SampleApp.STACK_NAME)).stacks().get(0).outputs()) {
                app.outputs.put(o.outputKey(), o.outputValue());
            }
            for (StackResource r : cfn.describeStackResources(b -> b.stackName(SampleApp.STACK_NAME)).stackResources()) {
                if (r.resourceType().equals("AWS::Lambda::Function")) {
                    app.functions.put(r.logicalResourceId().replaceAll("[0-9A-F]{8}$", ""), r.physicalResourceId());
                }
            }
        } catch (RuntimeException | IOException e) {
            app.close();
            throw e;
        }
        return app;
    }

    URI endpoint() {
        return cloud.endpoint();
    }

    private static String synth(Path appDir, Path out) throws IOException {
        System.setProperty(InlineFunction.APP_DIR_PROPERTY, appDir.toString());
        try {
            App app = new App(AppProps.builder().outdir(out.toString()).build());
            SampleApp.addStacks(app);
            app.synth();
        } finally {
            System.clearProperty(InlineFunction.APP_DIR_PROPERTY);
        }
        return Files.readString(out.resolve(SampleApp.STACK_NAME + ".template.json"));
    }

    private static void changeSet(CloudFormationClient cfn, String template) {
        String name = "pipeline-" + System.nanoTime();
        String stack = SampleApp.STACK_NAME;
        cfn.createChangeSet(b -> b.stackName(stack).changeSetName(name).changeSetType(ChangeSetType.CREATE).templateBody(template)
                .capabilities(Capability.CAPABILITY_IAM));
        waitFor(Duration.ofSeconds(90), () -> {
            var d = cfn.describeChangeSet(b -> b.stackName(stack).changeSetName(name));
            if (d.status() == ChangeSetStatus.FAILED) {
                throw new AssertionError(d.statusReason());
            }
            return d.status() == ChangeSetStatus.CREATE_COMPLETE;
        });
        cfn.executeChangeSet(b -> b.stackName(stack).changeSetName(name));
        waitFor(Duration.ofSeconds(90), () -> {
            StackStatus s = cfn.describeStacks(b -> b.stackName(stack)).stacks().get(0).stackStatus();
            if (s.toString().contains("ROLLBACK") || s.toString().endsWith("FAILED")) {
                throw new AssertionError("stack " + s + ": " + cfn.describeStackEvents(b -> b.stackName(stack)).stackEvents());
            }
            return s == StackStatus.CREATE_COMPLETE;
        });
    }

    static void waitFor(Duration limit, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + limit);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        cloud.close();
    }
}
