package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestack.inlinepackager.LambdaZip;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * Asset-based functions ({@code Code.fromAsset}) end to end against local-cloud: a change set publishes the asset
 * (and bootstraps local-cloud), an edit hot-swaps the staged folder directly, the hot-swapped code is byte for byte
 * what a full deploy runs, a big asset goes through S3, and assets livestack cannot publish are refused.
 */
class AssetFunctionIT extends LocalCloudFixture {
    private static SsmClient ssm;

    @BeforeAll
    static void ssm() {
        ssm = SsmClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(ApacheHttpClient.builder()).build();
    }

    @AfterAll
    static void closeSsm() {
        ssm.close();
    }

    private static AssetAssembly assembly(String prefix) throws IOException {
        String stack = uniqueStack(prefix);
        String qualifier = "t" + Integer.toHexString(stack.hashCode()).replace("-", "");
        return new AssetAssembly(Files.createTempDirectory(root, "cdk.out"), stack, qualifier);
    }

    private static Harness harness(AssetAssembly a, boolean local) {
        return new Harness(c -> c.withS3(s3, "livestack-templates-000000000000-us-east-1")
                .withAssets(DeployerConfig.Assets.of(() -> a.dir, "000000000000", "us-east-1", ssm, local)));
    }

    private static String handler(String reply) {
        return "const data = require('./lib/reply.json');\n"
                + "exports.handler = async () => ({ reply: '" + reply + "', from: data.from });\n";
    }

    private static String fn(String stack) {
        return cf.describeStackResource(b -> b.stackName(stack).logicalResourceId("Fn9270CBC0")).stackResourceDetail().physicalResourceId();
    }

    private static String invoke(String fn) {
        return lambda.invoke(b -> b.functionName(fn)).payload().asString(StandardCharsets.UTF_8);
    }

    private static byte[] downloadedCode(String fn) throws Exception {
        String location = lambda.getFunction(b -> b.functionName(fn)).code().location();
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(location)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), location);
        return r.body();
    }

    private static byte[] zipOf(Path folder) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LambdaZip.writeFolderZip(folder, out);
        return out.toByteArray();
    }

    @Test
    void changeSetPublishesAndBootstrapsThenAnEditHotSwapsTheSameBytesAFullDeployRuns() throws Exception {
        AssetAssembly a = assembly("AssetFn");
        assertThrows(ParameterNotFoundException.class, () -> ssm.getParameter(b -> b.name(a.bootstrapParameter())));
        try (Harness h = harness(a, true)) {
            AssetAssembly.Synth v1 = a.synth(handler("v1"));
            DeployResult first = h.deployer.deploy(v1.stack(), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.DEPLOYED, first.status(), first::toString);
            // Bootstrapped on local-cloud: the staging bucket and the version parameter the template's rule checks.
            assertEquals(List.of("s3://" + a.bucket(), "ssm:" + a.bootstrapParameter()),
                    h.events(DeployEvent.Bootstrapped.class).stream().map(DeployEvent.Bootstrapped::resource).sorted().toList());
            assertEquals(AssetPublisher.BOOTSTRAP_VERSION, ssm.getParameter(b -> b.name(a.bootstrapParameter())).parameter().value());
            DeployEvent.AssetPublished published = h.events(DeployEvent.AssetPublished.class).get(0);
            assertTrue(published.uploaded());
            assertEquals(v1.hash() + ".zip", published.key());
            byte[] v1Zip = zipOf(a.assetFolder(v1.hash()));
            byte[] inS3 = s3.getObjectAsBytes(b -> b.bucket(a.bucket()).key(v1.hash() + ".zip")).asByteArray();
            assertArrayEquals(v1Zip, inS3);
            String fn = fn(a.stackName);
            assertEquals("{\"reply\":\"v1\",\"from\":\"asset\"}", invoke(fn));

            // An edit: a new synth stages a new folder; the diff is the function's S3Key (and its asset metadata).
            h.events.clear();
            AssetAssembly.Synth v2 = a.synth(handler("v2"));
            DeployResult swap = h.deployer.deploy(v2.stack(), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.HOTSWAPPED, swap.status(), swap::toString);
            assertEquals(List.of("Fn9270CBC0"), swap.hotswapped());
            assertTrue(h.events(DeployEvent.ChangeSetCreated.class).isEmpty());
            assertTrue(h.events(DeployEvent.AssetPublished.class).isEmpty(), "no S3 round trip under 50 MB");
            assertThrows(NoSuchKeyException.class, () -> s3.getObjectAsBytes(b -> b.bucket(a.bucket()).key(v2.hash() + ".zip")));
            assertTrue(h.events(DeployEvent.HotswapApplied.class).get(0).detail().contains("from asset asset." + v2.hash()),
                    h.events.toString());
            assertEquals("{\"reply\":\"v2\",\"from\":\"asset\"}", invoke(fn));
            String hotSha = lambda.getFunctionConfiguration(b -> b.functionName(fn)).codeSha256();
            byte[] hotZip = downloadedCode(fn);
            assertArrayEquals(zipOf(a.assetFolder(v2.hash())), hotZip);

            // A full deploy of the same synth: the change set publishes v2 and CloudFormation updates the function
            // from S3. Same bytes, same CodeSha256 as the hot-swap.
            h.events.clear();
            DeployResult full = h.deployer.deploy(v2.stack(), DeployMode.FULL);
            assertEquals(DeployResult.Status.DEPLOYED, full.status(), full::toString);
            assertTrue(h.events(DeployEvent.AssetPublished.class).get(0).uploaded());
            assertEquals(hotSha, lambda.getFunctionConfiguration(b -> b.functionName(fn)).codeSha256());
            assertArrayEquals(hotZip, downloadedCode(fn));
            assertEquals(LambdaZip.codeSha256(hotZip), hotSha);

            // Published objects are content-addressed: deploying again uploads nothing (HeadObject finds it).
            h.events.clear();
            a.synth(handler("v1"));
            DeployResult back = h.deployer.deploy(v1.stack(), DeployMode.FULL);
            assertEquals(DeployResult.Status.DEPLOYED, back.status(), back::toString);
            DeployEvent.AssetPublished again = h.events(DeployEvent.AssetPublished.class).get(0);
            assertFalse(again.uploaded());
            assertEquals(0, again.bytes());
            assertEquals(LambdaZip.codeSha256(v1Zip), lambda.getFunctionConfiguration(b -> b.functionName(fn)).codeSha256());
        }
    }

    /** The assembly a real `cdk synth` wrote (aws-cdk-lib 2.x, Java; src/test/resources/cdk/asset-app). */
    @Test
    void aRealCdkAssemblyDeploysWithItsAssets() throws Exception {
        Path dir = Path.of(AssetFunctionIT.class.getResource("/cdk/asset-app/manifest.json").toURI()).getParent();
        String name = uniqueStack("AssetApp");
        // The stack name is the test's; the artifact (and its asset manifest) is the synth's.
        Path copy = Files.createTempDirectory(root, "real-cdk.out");
        try (var files = Files.walk(dir)) {
            for (Path f : files.toList()) {
                Path to = copy.resolve(dir.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.writeString(to, Files.readString(f).replace("\"AssetApp\"", "\"" + name + "\""));
                }
            }
        }
        var template = Json.parseObject(Files.readString(copy.resolve("AssetApp.template.json")));
        var stack = stack(name, template);
        try (Harness h = new Harness(c -> c.withS3(s3, "livestack-templates-000000000000-us-east-1")
                .withAssets(DeployerConfig.Assets.of(() -> null, "000000000000", "us-east-1", ssm, true)))) {
            DeployResult r = h.deployer.deploy(new dev.livestack.synth.CloudAssembly(copy, List.of(stack)), stack, DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.DEPLOYED, r.status(), r::toString);
            assertEquals(List.of("AssetApp Template", "Hello/Code"), h.events(DeployEvent.AssetPublished.class).stream()
                    .map(DeployEvent.AssetPublished::asset).sorted().toList());
            String fn = cf.describeStackResource(b -> b.stackName(name).logicalResourceId("Hello4A628BD4"))
                    .stackResourceDetail().physicalResourceId();
            assertEquals("{\"msg\":\"hello v2\"}", invoke(fn));
        }
    }

    @Test
    void anAssetAboveFiftyMegabytesIsHotSwappedThroughItsS3Object() throws Exception {
        AssetAssembly a = assembly("AssetBig");
        try (Harness h = harness(a, true)) {
            DeployResult first = h.deployer.deploy(a.synth(handler("small")).stack(), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.DEPLOYED, first.status(), first::toString);
            byte[] blob = new byte[51 * 1024 * 1024];
            new Random(11).nextBytes(blob); // incompressible: the zip stays above 50 MB
            AssetAssembly.Synth big = a.synth(Map.of("index.js", handler("big").getBytes(StandardCharsets.UTF_8),
                    "lib/reply.json", "{\"from\":\"big\"}".getBytes(StandardCharsets.UTF_8), "blob.bin", blob), List.of());
            h.events.clear();
            DeployResult swap = h.deployer.deploy(big.stack(), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.HOTSWAPPED, swap.status(), swap::toString);
            assertTrue(h.events(DeployEvent.ChangeSetCreated.class).isEmpty());
            DeployEvent.AssetPublished up = h.events(DeployEvent.AssetPublished.class).get(0);
            assertEquals(big.hash() + ".zip", up.key());
            assertTrue(up.bytes() > LambdaZip.MAX_DIRECT_UPLOAD_BYTES, "zip of " + up.bytes() + " bytes");
            assertTrue(h.events(DeployEvent.HotswapApplied.class).get(0).detail().contains("via s3://" + a.bucket()));
            String fn = fn(a.stackName);
            byte[] zip = zipOf(a.assetFolder(big.hash()));
            assertEquals(LambdaZip.codeSha256(zip), lambda.getFunctionConfiguration(b -> b.functionName(fn)).codeSha256());
            assertEquals("{\"reply\":\"big\",\"from\":\"big\"}", invoke(fn));
        }
    }

    @Test
    void aMissingBootstrapOutsideLocalCloudSaysToRunCdkBootstrap() throws Exception {
        AssetAssembly a = assembly("AssetNoBoot");
        try (Harness h = harness(a, false)) {
            DeployResult r = h.deployer.deploy(a.synth(handler("x")).stack(), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.FAILED, r.status());
            List<String> lines = r.error().lines().toList();
            assertEquals(2, lines.size(), r.error());
            assertTrue(lines.get(0).contains(a.bootstrapParameter()), lines.get(0));
            assertTrue(lines.get(1).startsWith("Run `cdk bootstrap aws://000000000000/us-east-1`"), lines.get(1));
            assertThrows(ParameterNotFoundException.class, () -> ssm.getParameter(b -> b.name(a.bootstrapParameter())));
            assertTrue(cf.listStacks().stackSummaries().stream().noneMatch(s -> s.stackName().equals(a.stackName)));

            // With the parameter in place (bootstrapped once), the missing bucket is the next thing it names.
            ssm.putParameter(b -> b.name(a.bootstrapParameter()).value("30").type("String").overwrite(true));
            DeployResult r2 = h.deployer.deploy(a.synth(handler("x")).stack(), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.FAILED, r2.status());
            assertTrue(r2.error().startsWith("the CDK staging bucket " + a.bucket() + " does not exist"), r2.error());
            assertTrue(r2.error().contains("\nRun `cdk bootstrap"), r2.error());
        }
    }

    @Test
    void dockerImageAssetsAreRefusedWithTwoLines() throws Exception {
        AssetAssembly a = assembly("AssetDocker");
        try (Harness h = harness(a, true)) {
            AssetAssembly.Synth s = a.synth(Map.of("index.js", handler("d").getBytes(StandardCharsets.UTF_8)), List.of("abc123"));
            assertTrue(Deployer.unsupportedAssets(s.assembly(), a.stackName).isEmpty(), "images are published with docker");
            // this deployer has neither docker nor an ECR client
            String refusal = h.deployer.cannotPublish(s.assembly(), a.stackName).orElseThrow();
            DeployResult r = h.deployer.deploy(s.assembly(), s.stack(), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.FAILED, r.status());
            assertEquals(refusal, r.error());
            List<String> lines = r.error().lines().toList();
            assertEquals(2, lines.size(), r.error());
            assertTrue(lines.get(0).contains("Docker image asset, Image/abc123 (id abc123"), lines.get(0));
            assertTrue(h.events(DeployEvent.AssetPublished.class).isEmpty(), "nothing published when refusing");
            assertTrue(h.events(DeployEvent.ChangeSetCreated.class).isEmpty());
        }
    }

    @Test
    void aStagingBucketNameS3RefusesFailsWithTwoLinesNamingTheBucketBeforeAnyChange() throws Exception {
        // an app whose env names a made-up account (real-apps/codebuild-project: "projectStack") gets a staging
        // bucket name with capitals, which S3 (and the SDK, before sending) refuses
        AssetAssembly a = assembly("AssetBadAccount");
        try (Harness h = new Harness(c -> c.withS3(s3, "livestack-templates-000000000000-us-east-1")
                .withAssets(DeployerConfig.Assets.of(() -> a.dir, "projectStack", "us-east-1", ssm, true)))) {
            AssetAssembly.Synth s = a.synth(handler("x"));
            DeployResult r = h.deployer.deploy(s.stack(), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.FAILED, r.status(), r::toString);
            List<String> lines = r.error().lines().toList();
            assertEquals(2, lines.size(), r.error());
            assertTrue(lines.get(0).contains("cdk-" + a.qualifier + "-assets-projectStack-us-east-1"), lines.get(0));
            assertTrue(lines.get(0).contains("uppercase"), lines.get(0));
            assertTrue(lines.get(1).contains("12-digit"), lines.get(1));
            assertTrue(h.events(DeployEvent.ChangeSetCreated.class).isEmpty());
        }
    }
}
