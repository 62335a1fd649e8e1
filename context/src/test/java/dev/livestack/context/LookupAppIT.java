package dev.livestack.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.synth.CloudAssembly;
import dev.livestack.synth.SynthOptions;
import dev.livestack.synth.Synthesizer;
import dev.livestack.synth.Synthesizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * A Java CDK app (aws-cdk-lib, env set) that looks up the default VPC, an SSM parameter, the stack's zones, a hosted
 * zone, a security group, a KMS alias and an AMI, synthesised by the app command and by the warm synthesizer, with its
 * lookups answered by local-cloud: cdk.context.json gets the CDK CLI's keys and values and the final template uses them.
 */
class LookupAppIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCOUNT_REGION = "account=000000000000";
    @TempDir
    static Path state;
    static LocalCloudTarget local;
    static String zoneId;
    static Ec2Client ec2;

    @BeforeAll
    static void start() throws Exception {
        local = new LocalCloudTarget(state);
        try (SsmClient ssm = SsmClient.builder().endpointOverride(local.cloud.endpoint()).region(Region.EU_WEST_1)
                .credentialsProvider(local.credentials).build();
             Route53Client r53 = Route53Client.builder().endpointOverride(local.cloud.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(local.credentials).build()) {
            ssm.putParameter(b -> b.name("/lookup/colour").value("amber").type(ParameterType.STRING));
            zoneId = r53.createHostedZone(b -> b.name("lookup.example.com").callerReference(UUID.randomUUID().toString()))
                    .hostedZone().id();
        }
        ec2 = Ec2Client.builder().endpointOverride(local.cloud.endpoint()).region(Region.EU_WEST_1).credentialsProvider(local.credentials).build();
    }

    @AfterAll
    static void stop() {
        ec2.close();
        local.close();
    }

    static Path copyFixture(Path target) throws Exception {
        Path from = Path.of("src/test/resources/lookup-app").toAbsolutePath();
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path to = target.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return target;
    }

    static Synthesizer synthesizer(Path app, boolean warm) throws Exception {
        SynthOptions o = SynthOptions.of(app).withEnvironment(Map.of("PATH", System.getenv("PATH"), "HOME", System.getProperty("user.home")))
                .withTarget("us-east-1", "000000000000").withWarm(warm);
        return ContextLookups.withLookups(Synthesizers.forApp(o), app, local::target);
    }

    // the app command runs `mvn compile exec:java` once per lookup round (minutes): bench/lookups.sh runs it; the warm
    // test below covers the same loop in every mvn verify
    @Test
    @EnabledIfSystemProperty(named = "livestack.slowITs", matches = "true")
    void theAppCommandSynthGetsEveryLookupAnsweredAndTheTemplateUsesThem(@TempDir Path dir) throws Exception {
        Path app = copyFixture(dir);
        try (Synthesizer s = synthesizer(app, false)) {
            checkAssembly(app, s.synth());
        }
    }

    @Test
    void theWarmSynthGetsThemTooAndSeesLaterChangesToTheContextFile(@TempDir Path dir) throws Exception {
        Path app = copyFixture(dir);
        try (Synthesizer s = synthesizer(app, true)) {
            checkAssembly(app, s.synth());
            // the warm runtime is keyed on CDK_CONTEXT_JSON: an edited cdk.context.json reaches the app
            Path file = app.resolve("cdk.context.json");
            ObjectNode context = (ObjectNode) JSON.readTree(Files.readString(file));
            context.put("ssm:account=000000000000:parameterName=/lookup/colour:region=eu-west-1", "edited");
            Files.writeString(file, context.toPrettyString());
            assertEquals("edited", outputs(s.synth()).get("Colour"));
        }
    }

    @Test
    void aLookupThatFailsNamesTheProviderAndTheKeyAndCachesNothingForIt(@TempDir Path dir) throws Exception {
        Path app = copyFixture(dir);
        ObjectNode cdkJson = (ObjectNode) JSON.readTree(Files.readString(app.resolve("cdk.json")));
        ((ObjectNode) cdkJson.get("context")).put("lookup:missingParameter", "/lookup/nope");
        Files.writeString(app.resolve("cdk.json"), cdkJson.toPrettyString());
        String key = "ssm:account=000000000000:parameterName=/lookup/nope:region=eu-west-1";
        try (Synthesizer s = synthesizer(app, false)) {
            ContextLookupException e = assertThrows(ContextLookupException.class, s::synth);
            assertEquals("ssm", e.provider());
            assertEquals(key, e.key());
            assertEquals("context lookup ssm failed for " + key
                    + ": SSM parameter not available in account 000000000000, region eu-west-1: /lookup/nope", e.getMessage());
        }
        JsonNode saved = JSON.readTree(Files.readString(app.resolve("cdk.context.json")));
        assertFalse(saved.has(key), "a failed lookup is not cached");
        assertTrue(saved.has("ssm:account=000000000000:parameterName=/lookup/colour:region=eu-west-1"), "the others are");
    }

    private static void checkAssembly(Path app, CloudAssembly assembly) throws Exception {
        assertEquals(List.of(), assembly.missing());
        JsonNode ctx = JSON.readTree(Files.readString(app.resolve("cdk.context.json")));
        List<String> keys = new ArrayList<>();
        ctx.fieldNames().forEachRemaining(keys::add);
        String vpcId = ec2.describeVpcs(b -> b.filters(Filter.builder().name("isDefault").values("true").build())).vpcs().get(0).vpcId();
        String vpcKey = "vpc-provider:account=000000000000:filter.isDefault=true:region=eu-west-1:returnAsymmetricSubnets=true";
        String sgKey = "security-group:account=000000000000:region=eu-west-1:securityGroupName=default:vpcId=" + vpcId;
        for (String k : List.of(vpcKey, "ssm:account=000000000000:parameterName=/lookup/colour:region=eu-west-1",
                "availability-zones:account=000000000000:region=eu-west-1",
                "hosted-zone:account=000000000000:domainName=lookup.example.com:region=eu-west-1",
                "key-provider:account=000000000000:aliasName=alias/aws/s3:region=eu-west-1", sgKey)) {
            assertTrue(keys.contains(k), k + " in " + keys);
        }
        assertEquals(7, keys.size(), keys.toString());
        assertTrue(keys.stream().anyMatch(k -> k.startsWith("ami:account=000000000000:")), keys.toString());
        assertEquals("amber", ctx.path("ssm:account=000000000000:parameterName=/lookup/colour:region=eu-west-1").asText());
        assertEquals("{\"Id\":\"/hostedzone/" + zoneId + "\",\"Name\":\"lookup.example.com.\"}",
                ctx.path("hosted-zone:account=000000000000:domainName=lookup.example.com:region=eu-west-1").toString());

        Map<String, String> out = outputs(assembly);
        List<String> subnets = ec2.describeSubnets(b -> b.filters(Filter.builder().name("vpc-id").values(vpcId).build())).subnets()
                .stream().map(sn -> sn.subnetId()).toList();
        assertEquals(vpcId, out.get("VpcId"));
        assertEquals(String.join(",", subnets), out.get("PublicSubnets"));
        assertEquals("eu-west-1a,eu-west-1b,eu-west-1c", out.get("Azs"));
        assertEquals("amber", out.get("Colour"));
        assertEquals(zoneId, out.get("ZoneId"));
        assertEquals("lookup.example.com", out.get("ZoneName"));
        assertEquals(ec2.describeSecurityGroups().securityGroups().get(0).groupId(), out.get("SecurityGroup"));
        try (KmsClient kms = KmsClient.builder().endpointOverride(local.cloud.endpoint()).region(Region.EU_WEST_1)
                .credentialsProvider(local.credentials).build()) {
            assertEquals(kms.describeKey(b -> b.keyId("alias/aws/s3")).keyMetadata().keyId(), out.get("KeyId"));
        }
        String newestJammy = ec2.describeImages(b -> b.owners("099720109477").filters(Filter.builder().name("name")
                .values("ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*").build())).images().stream()
                .max(java.util.Comparator.comparing(i -> i.creationDate())).orElseThrow().imageId();
        assertEquals(newestJammy, out.get("Ami"));
        JsonNode sg = assembly.stack("LookupStack").orElseThrow().template().path("Resources").findParent("VpcId");
        assertEquals(vpcId, sg.path("VpcId").asText(), "the new security group is in the looked-up VPC");
    }

    private static Map<String, String> outputs(CloudAssembly assembly) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        assembly.stack("LookupStack").orElseThrow().template().path("Outputs").fields()
                .forEachRemaining(e -> out.put(e.getKey(), e.getValue().path("Value").isTextual() ? e.getValue().path("Value").asText()
                        : e.getValue().path("Value").toString()));
        return out;
    }
}
