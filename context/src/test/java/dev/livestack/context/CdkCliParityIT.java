package dev.livestack.context;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestack.synth.SynthOptions;
import dev.livestack.synth.Synthesizer;
import dev.livestack.synth.Synthesizers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The pinned CDK CLI ({@code tools/}) does its own lookups for the fixture app against the same local-cloud (its JS
 * SDK v3 speaking EC2, Route 53, KMS and SSM to it): the cdk.context.json it writes is byte for byte the one
 * livestack writes. Several Maven app runs (minutes), so it runs from {@code bench/lookups.sh}
 * ({@code -Dlivestack.slowITs=true}), not in every {@code mvn verify}.
 */
@EnabledIfSystemProperty(named = "livestack.slowITs", matches = "true")
class CdkCliParityIT {
    @TempDir
    static Path state;
    static LocalCloudTarget local;

    @BeforeAll
    static void start() throws Exception {
        local = new LocalCloudTarget(state);
        try (SsmClient ssm = SsmClient.builder().endpointOverride(local.cloud.endpoint()).region(Region.EU_WEST_1)
                .credentialsProvider(local.credentials).build();
             Route53Client r53 = Route53Client.builder().endpointOverride(local.cloud.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(local.credentials).build()) {
            ssm.putParameter(b -> b.name("/lookup/colour").value("amber").type(ParameterType.STRING));
            r53.createHostedZone(b -> b.name("lookup.example.com").callerReference(UUID.randomUUID().toString()));
        }
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    @Test
    void theCdkCliWritesTheSameContextFile(@TempDir Path dir) throws Exception {
        Path cdk = Path.of(System.getProperty("user.dir")).resolve("../tools/node_modules/.bin/cdk").normalize();
        Assumptions.assumeTrue(Files.isExecutable(cdk), "the CDK CLI is not installed in tools/");
        Path theirs = LookupAppIT.copyFixture(Files.createDirectories(dir.resolve("cdk-cli")));
        Path ours = LookupAppIT.copyFixture(Files.createDirectories(dir.resolve("livestack")));

        ProcessBuilder pb = new ProcessBuilder(List.of(cdk.toString(), "synth", "--quiet", "--no-notices", "--no-version-reporting"))
                .directory(theirs.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.remove("AWS_SESSION_TOKEN");
        env.remove("AWS_PROFILE");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL", local.cloud.endpoint().toString());
        env.put("AWS_CONFIG_FILE", theirs.resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", theirs.resolve("no-credentials").toString());
        env.put("CDK_DISABLE_VERSION_CHECK", "1");
        env.put("CDK_DISABLE_CLI_TELEMETRY", "true");
        env.put("CI", "true");
        Path log = dir.resolve("cdk.log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(900, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("cdk synth did not finish in 900 s: " + Files.readString(log));
        }
        assertEquals(0, p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));

        SynthOptions o = SynthOptions.of(ours).withEnvironment(Map.of("PATH", System.getenv("PATH"), "HOME", System.getProperty("user.home")))
                .withTarget("us-east-1", "000000000000").withWarm(false);
        try (Synthesizer s = ContextLookups.withLookups(Synthesizers.forApp(o), ours, local::target)) {
            s.synth();
        }
        assertEquals(Files.readString(theirs.resolve("cdk.context.json")), Files.readString(ours.resolve("cdk.context.json")));
    }
}
