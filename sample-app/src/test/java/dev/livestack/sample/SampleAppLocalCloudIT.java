package dev.livestack.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestack.inlinepackager.InlineCode;
import dev.livestack.inlinepackager.InlineFunction;
import dev.livestack.inlinepackager.InlinePackager;
import dev.livestack.inlinepackager.LambdaZip;
import dev.livestack.localcloud.LocalCloud;
import dev.livestack.localcloud.LocalCloudConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetStatus;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Deploys the synthesised sample app on local-cloud through the real SDK (change set, as a full deploy does),
 * invokes every function with the sample events, then checks the inline-packager's promise: a hot-swapped
 * function's code (GetFunction → Code.Location) is byte-identical to what a full deploy of the same source
 * produces.
 */
class SampleAppLocalCloudIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path APP = Path.of("").toAbsolutePath();
    private static final String STACK = SampleApp.STACK_NAME;

    @TempDir
    static Path tmp;
    static LocalCloud cloud;
    static CloudFormationClient cfn;
    static LambdaClient lambda;
    static Map<String, String> functions = new HashMap<>();

    @BeforeAll
    static void deploy() throws Exception {
        cloud = LocalCloud.start(LocalCloudConfig.defaults(tmp.resolve("state"), 0));
        URI endpoint = cloud.endpoint();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        cfn = CloudFormationClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials).build();
        lambda = LambdaClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials).build();
        try (SsmClient ssm = SsmClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials).build()) {
            // What bootstrapping leaves behind; the default synthesizer's CheckBootstrapVersion rule reads it.
            ssm.putParameter(b -> b.name("/cdk-bootstrap/hnb659fds/version").value("30").type(ParameterType.STRING));
        }
        changeSet(synth(APP, tmp.resolve("out1")), ChangeSetType.CREATE, StackStatus.CREATE_COMPLETE);
        for (StackResource r : cfn.describeStackResources(b -> b.stackName(STACK)).stackResources()) {
            if (r.resourceType().equals("AWS::Lambda::Function")) {
                functions.put(r.logicalResourceId().replaceAll("[0-9A-F]{8}$", ""), r.physicalResourceId());
            }
        }
    }

    @AfterAll
    static void stop() {
        if (lambda != null) {
            lambda.close();
        }
        if (cfn != null) {
            cfn.close();
        }
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void theStackExportsEveryVariable() {
        Map<String, String> outputs = new HashMap<>();
        for (Output o : cfn.describeStacks(b -> b.stackName(STACK)).stacks().get(0).outputs()) {
            outputs.put(o.outputKey(), o.outputValue());
        }
        assertEquals(java.util.Set.of("OrdersQueueUrl", "OrdersDlqUrl", "OrdersTableName", "OrderSchema"), outputs.keySet());
        assertTrue(outputs.get("OrdersQueueUrl").startsWith("http"), outputs.toString());
    }

    @Test
    void everyFunctionRunsWithTheSampleEvents() throws Exception {
        Invocation ingest = invoke("Ingest", "events/order.json");
        assertEquals("o-1001", ingest.result.path("orderId").asText());
        assertTrue(ingest.result.path("accepted").asBoolean());
        assertTrue(ingest.log.contains("ingest: accepted order o-1001"), ingest.log);
        // local-cloud's Node.js runtime includes the AWS SDK: the order really goes onto the deployed queue
        assertTrue(ingest.log.contains("ingest: enqueued order o-1001 on http"), "the deployed queue URL: " + ingest.log);

        Invocation rejected = invoke("Ingest", "events/order-invalid.json");
        assertEquals(4, rejected.result.path("errors").size(), rejected.result.toString());

        Invocation worker = invoke("Worker", "events/sqs-orders.json");
        assertTrue(worker.result.path("batchItemFailures").toString().contains("7b1c2e4a-0000-4000-8000-000000000002"));
        // boto3 in local-cloud's Python runtime writes to the deployed table
        assertTrue(worker.log.contains("worker: stored order o-1003"), worker.log);
        assertTrue(worker.log.contains("worker: batch of 2"), worker.log);

        Invocation reaper = invoke("Reaper", "events/scheduled.json");
        assertEquals("reaper-v1", reaper.result.path("version").asText());
        assertTrue(reaper.log.contains("reaper: woke up (Scheduled Event at 2026-01-01T00:05:00Z)"), reaper.log);
    }

    @Test
    void aHotSwappedZipIsByteIdenticalToTheFullDeployOfTheSameSource() throws Exception {
        String ingest = functions.get("Ingest");
        InlinePackager packager = InlinePackager.create();
        // Deployed by the change set: local-cloud built the zip from the template's ZipFile.
        InlineCode deployed = packager.pack(APP.resolve(IngestFunction.SOURCE), "nodejs22.x");
        assertArrayEquals(deployed.zip(), download(lambda.getFunction(b -> b.functionName(ingest))));

        // Edit a copy of the app; hot-swap the re-packaged folder as the fast path does.
        Path copy = tmp.resolve("edited-app");
        copyTree(APP.resolve("functions"), copy.resolve("functions"));
        copyTree(APP.resolve("schemas"), copy.resolve("schemas"));
        Path handler = copy.resolve("functions/ingest/index.js");
        Files.writeString(handler, Files.readString(handler).replace("'ingest-v1'", "'ingest-v2'"));
        InlineCode edited = packager.pack(handler.getParent(), "nodejs22.x");
        lambda.updateFunctionCode(b -> b.functionName(ingest).zipFile(SdkBytes.fromByteArray(edited.zip())));
        waitFor(() -> lambda.getFunctionConfiguration(b -> b.functionName(ingest)).lastUpdateStatus() == LastUpdateStatus.SUCCESSFUL);
        assertEquals("ingest-v2", invoke("Ingest", "events/order.json").result.path("version").asText());
        GetFunctionResponse swapped = lambda.getFunction(b -> b.functionName(ingest));
        byte[] swappedZip = download(swapped);
        assertEquals(LambdaZip.codeSha256(edited.zip()), swapped.configuration().codeSha256());

        // Then deploy the same edit in full: same bytes, same CodeSha256.
        changeSet(synth(copy, tmp.resolve("out2")), ChangeSetType.UPDATE, StackStatus.UPDATE_COMPLETE);
        GetFunctionResponse full = lambda.getFunction(b -> b.functionName(ingest));
        assertArrayEquals(swappedZip, download(full));
        assertEquals(swapped.configuration().codeSha256(), full.configuration().codeSha256());
        assertEquals("ingest-v2", invoke("Ingest", "events/order.json").result.path("version").asText());
    }

    private record Invocation(JsonNode result, String log) {
    }

    private static Invocation invoke(String function, String event) throws IOException {
        SdkBytes payloadIn = SdkBytes.fromByteArray(Files.readAllBytes(APP.resolve(event)));
        InvokeResponse response = lambda.invoke(b -> b.functionName(functions.get(function)).logType(LogType.TAIL)
                .payload(payloadIn));
        String payload = response.payload().asUtf8String();
        assertNull(response.functionError(), function + " failed: " + payload);
        String log = new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
        return new Invocation(JSON.readTree(payload), log);
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
        return Files.readString(out.resolve(STACK + ".template.json"));
    }

    private static void changeSet(String template, ChangeSetType type, StackStatus done) {
        String name = "it-" + type.toString().toLowerCase() + "-" + System.nanoTime();
        cfn.createChangeSet(b -> b.stackName(STACK).changeSetName(name).changeSetType(type).templateBody(template)
                .capabilities(Capability.CAPABILITY_IAM));
        waitFor(() -> {
            ChangeSetStatus s = cfn.describeChangeSet(b -> b.stackName(STACK).changeSetName(name)).status();
            if (s == ChangeSetStatus.FAILED) {
                throw new AssertionError(cfn.describeChangeSet(b -> b.stackName(STACK).changeSetName(name)).statusReason());
            }
            return s == ChangeSetStatus.CREATE_COMPLETE;
        });
        cfn.executeChangeSet(b -> b.stackName(STACK).changeSetName(name));
        waitFor(() -> {
            StackStatus s = cfn.describeStacks(b -> b.stackName(STACK)).stacks().get(0).stackStatus();
            if (s.toString().contains("ROLLBACK") || s.toString().endsWith("FAILED")) {
                throw new AssertionError("stack " + s + ": " + cfn.describeStackEvents(b -> b.stackName(STACK)).stackEvents());
            }
            return s == done;
        });
    }

    private static byte[] download(GetFunctionResponse function) throws IOException {
        try (InputStream in = URI.create(function.code().location()).toURL().openStream()) {
            return in.readAllBytes();
        }
    }

    private static void waitFor(BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.toString().contains("__pycache__")) {
                    Files.copy(p, target);
                }
            }
        }
    }
}
