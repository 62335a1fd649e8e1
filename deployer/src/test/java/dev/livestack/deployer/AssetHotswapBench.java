package dev.livestack.deployer;

import dev.livestack.localcloud.LocalCloud;
import dev.livestack.localcloud.LocalCloudConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Time from a saved file in a staged asset folder (what a synth leaves in {@code cdk.out/asset.<hash>}) to the
 * asset function's UpdateFunctionCode done ({@code LastUpdateStatus: Successful}), in a warm JVM against an embedded
 * local-cloud: write the file and the new template's S3Key, then {@link Deployer#deploy} (diff, plan, zip the folder,
 * UpdateFunctionCode with the bytes, wait). Synth is not included. Not a test: numbers depend on the machine.
 * Usage: {@code java -cp … dev.livestack.deployer.AssetHotswapBench [runs] [files]}.
 */
public final class AssetHotswapBench {
    private AssetHotswapBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int extraFiles = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path root = Files.createTempDirectory("asset-bench");
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(root.resolve("cloud"), 0));
             CloudFormationClient cf = CloudFormationClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(creds).httpClientBuilder(ApacheHttpClient.builder()).build();
             LambdaClient lambda = LambdaClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(creds).httpClientBuilder(ApacheHttpClient.builder()).build();
             S3Client s3 = S3Client.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                     .credentialsProvider(creds).httpClientBuilder(ApacheHttpClient.builder()).build();
             SsmClient ssm = SsmClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(creds).httpClientBuilder(ApacheHttpClient.builder()).build()) {
            AssetAssembly a = new AssetAssembly(root.resolve("cdk.out"), "AssetBench", "hnb659fds");
            DeployerConfig config = DeployerConfig.of(cf, lambda, root.resolve("state")).withS3(s3, "livestack-templates-bench")
                    .withPolling(Duration.ofMillis(20), Duration.ofMillis(100))
                    .withAssets(DeployerConfig.Assets.of(() -> a.dir, "000000000000", "us-east-1", ssm, true));
            try (Deployer d = Deployer.create(config)) {
                DeployResult first = d.deploy(a.synth(files(-1, extraFiles), List.of()).stack(), DeployMode.FALLBACK);
                if (first.status() != DeployResult.Status.DEPLOYED) {
                    throw new IllegalStateException("first deploy: " + first);
                }
                List<Double> ms = new ArrayList<>();
                for (int i = 0; i < runs + 3; i++) {
                    long t0 = System.nanoTime();
                    AssetAssembly.Synth s = a.synth(files(i, extraFiles), List.of());
                    DeployResult r = d.deploy(s.stack(), DeployMode.FALLBACK);
                    double took = (System.nanoTime() - t0) / 1e6;
                    if (r.status() != DeployResult.Status.HOTSWAPPED) {
                        throw new IllegalStateException("run " + i + ": " + r);
                    }
                    if (i >= 3) {
                        ms.add(took); // the first runs warm up the JIT and the SDK's connections
                    }
                }
                Collections.sort(ms);
                System.out.printf(Locale.ROOT, "asset hot-swap, %d files (%d bytes): p50 %.1f ms, p90 %.1f ms, max %.1f ms over %d runs%n",
                        extraFiles + 2, size(a, extraFiles), ms.get(ms.size() / 2), ms.get((int) (ms.size() * 0.9)), ms.get(ms.size() - 1), ms.size());
            }
        }
    }

    private static long size(AssetAssembly a, int extraFiles) {
        long n = 0;
        for (byte[] b : files(0, extraFiles).values()) {
            n += b.length;
        }
        return n;
    }

    /** A small Node.js function folder: a handler, a JSON file and some library files. */
    private static Map<String, byte[]> files(int version, int extraFiles) {
        Map<String, byte[]> m = new java.util.TreeMap<>();
        m.put("index.js", ("const data = require('./lib/reply.json');\nexports.handler = async () => ({ v: " + version
                + ", from: data.from });\n").getBytes(StandardCharsets.UTF_8));
        m.put("lib/reply.json", "{\"from\":\"asset\"}".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < extraFiles; i++) {
            m.put("lib/mod" + i + ".js", ("module.exports = function mod" + i + "(x) { return x * " + i + "; };\n".repeat(40))
                    .getBytes(StandardCharsets.UTF_8));
        }
        return m;
    }
}
