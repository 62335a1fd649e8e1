package dev.livestack.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.synth.MissingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** Each context provider against local-cloud, with queries shaped as aws-cdk-lib writes them. */
class ProvidersIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ROLE = "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-lookup-role-${AWS::AccountId}-${AWS::Region}";
    @TempDir
    static Path state;
    @TempDir
    Path app;
    static LocalCloudTarget local;
    static Ec2Client ec2;

    @BeforeAll
    static void start() throws Exception {
        local = new LocalCloudTarget(state);
        ec2 = Ec2Client.builder().endpointOverride(local.cloud.endpoint()).region(Region.EU_WEST_1).credentialsProvider(local.credentials).build();
    }

    @AfterAll
    static void stop() {
        ec2.close();
        local.close();
    }

    static MissingContext missing(String provider, String key, String props) throws Exception {
        ObjectNode p = (ObjectNode) JSON.readTree(props);
        p.put("account", "000000000000");
        p.putIfAbsent("region", p.textNode("eu-west-1"));
        p.put("lookupRoleArn", ROLE);
        return new MissingContext(key, provider, p);
    }

    Map<String, JsonNode> lookUp(MissingContext... m) throws Exception {
        return ContextLookups.lookUp(List.of(m), app, local.target());
    }

    @Test
    void availabilityZonesSsmAmiAndKeyLookUpTheirValues() throws Exception {
        try (SsmClient ssm = SsmClient.builder().endpointOverride(local.cloud.endpoint()).region(Region.EU_WEST_1)
                .credentialsProvider(local.credentials).build()) {
            ssm.putParameter(b -> b.name("/providers/colour").value("teal").type(ParameterType.STRING));
        }
        Map<String, JsonNode> v = lookUp(
                missing("availability-zones", "availability-zones:account=000000000000:region=eu-west-1", "{}"),
                missing("ssm", "ssm:account=000000000000:parameterName=/providers/colour:region=eu-west-1",
                        "{\"parameterName\":\"/providers/colour\",\"dummyValue\":\"dummy-value-for-/providers/colour\"}"),
                missing("ami", "ami:account=000000000000:filters.image-type.0=machine:filters.name.0=al2023-ami-*-x86_64:"
                        + "filters.state.0=available:owners.0=amazon:region=eu-west-1",
                        "{\"owners\":[\"amazon\"],\"filters\":{\"name\":[\"al2023-ami-*-x86_64\"],\"state\":[\"available\"],"
                                + "\"image-type\":[\"machine\"]}}"),
                missing("key-provider", "key-provider:account=000000000000:aliasName=alias/aws/ebs:region=eu-west-1",
                        "{\"aliasName\":\"alias/aws/ebs\",\"dummyValue\":{\"keyId\":\"1234abcd-12ab-34cd-56ef-1234567890ab\"},"
                                + "\"ignoreErrorOnMissingContext\":false}"));
        assertEquals("[\"eu-west-1a\",\"eu-west-1b\",\"eu-west-1c\"]", v.get("availability-zones:account=000000000000:region=eu-west-1").toString());
        assertEquals("teal", v.get("ssm:account=000000000000:parameterName=/providers/colour:region=eu-west-1").asText());
        String newest = ec2.describeImages(b -> b.owners("amazon").filters(Filter.builder().name("name").values("al2023-ami-*-x86_64").build()))
                .images().stream().max(java.util.Comparator.comparing(i -> i.creationDate())).orElseThrow().imageId();
        assertEquals(newest, v.values().stream().skip(2).findFirst().orElseThrow().asText(), "the newest image");
        JsonNode key = v.get("key-provider:account=000000000000:aliasName=alias/aws/ebs:region=eu-west-1");
        assertTrue(key.path("keyId").asText().matches("[0-9a-f-]{36}"), key.toString());

        JsonNode file = JSON.readTree(Files.readString(app.resolve("cdk.context.json")));
        assertEquals(4, file.size());
        assertEquals("teal", file.path("ssm:account=000000000000:parameterName=/providers/colour:region=eu-west-1").asText());
    }

    @Test
    void theDefaultVpcComesBackAsTheCdkCliShapesIt() throws Exception {
        String key = "vpc-provider:account=000000000000:filter.isDefault=true:region=eu-west-1:returnAsymmetricSubnets=true";
        JsonNode vpc = lookUp(missing("vpc-provider", key, "{\"filter\":{\"isDefault\":\"true\"},\"returnAsymmetricSubnets\":true}")).get(key);
        String vpcId = ec2.describeVpcs().vpcs().get(0).vpcId();
        List<Subnet> subnets = ec2.describeSubnets().subnets();
        String rtb = ec2.describeRouteTables().routeTables().get(0).routeTableId();
        assertEquals(List.of("vpcId", "vpcCidrBlock", "ownerAccountId", "availabilityZones", "subnetGroups"), fieldNames(vpc));
        assertEquals(vpcId, vpc.path("vpcId").asText());
        assertEquals("172.31.0.0/16", vpc.path("vpcCidrBlock").asText());
        assertEquals(0, vpc.path("availabilityZones").size());
        JsonNode group = vpc.path("subnetGroups").get(0);
        assertEquals("Public", group.path("name").asText());
        assertEquals("Public", group.path("type").asText());
        assertEquals(3, group.path("subnets").size());
        assertEquals(subnets.get(0).subnetId(), group.path("subnets").get(0).path("subnetId").asText());
        assertEquals("172.31.0.0/20", group.path("subnets").get(0).path("cidr").asText());
        assertEquals("eu-west-1a", group.path("subnets").get(0).path("availabilityZone").asText());
        assertEquals(rtb, group.path("subnets").get(0).path("routeTableId").asText());

        String symmetric = "vpc-provider:account=000000000000:filter.isDefault=true:region=eu-west-1";
        JsonNode old = lookUp(missing("vpc-provider", symmetric, "{\"filter\":{\"isDefault\":\"true\"}}")).get(symmetric);
        assertEquals(List.of("vpcId", "vpcCidrBlock", "ownerAccountId", "availabilityZones", "publicSubnetIds", "publicSubnetNames",
                "publicSubnetRouteTableIds"), fieldNames(old));
        assertEquals("[\"Public\"]", old.path("publicSubnetNames").toString());
        assertEquals(List.of(rtb, rtb, rtb), JSON.convertValue(old.path("publicSubnetRouteTableIds"), List.class));
    }

    @Test
    void hostedZoneAndSecurityGroupAreFound() throws Exception {
        String zoneId;
        try (Route53Client r53 = Route53Client.builder().endpointOverride(local.cloud.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(local.credentials).build()) {
            zoneId = r53.createHostedZone(b -> b.name("providers.example.com").callerReference(UUID.randomUUID().toString()))
                    .hostedZone().id();
        }
        String vpcId = ec2.describeVpcs().vpcs().get(0).vpcId();
        String zoneKey = "hosted-zone:account=000000000000:domainName=providers.example.com:region=eu-west-1";
        String sgKey = "security-group:account=000000000000:region=eu-west-1:securityGroupName=default:vpcId=" + vpcId;
        Map<String, JsonNode> v = lookUp(
                missing("hosted-zone", zoneKey, "{\"domainName\":\"providers.example.com\"}"),
                missing("security-group", sgKey, "{\"securityGroupName\":\"default\",\"vpcId\":\"" + vpcId + "\"}"));
        assertEquals("{\"Id\":\"/hostedzone/" + zoneId + "\",\"Name\":\"providers.example.com.\"}", v.get(zoneKey).toString());
        String sg = ec2.describeSecurityGroups().securityGroups().get(0).groupId();
        assertEquals("{\"securityGroupId\":\"" + sg + "\",\"allowAllOutbound\":false}", v.get(sgKey).toString());
    }

    @Test
    void aFailedLookupNamesProviderAndKeyAndIsNotSavedWhileTheOthersAre() throws Exception {
        Files.writeString(app.resolve("cdk.context.json"), "{\n  \"mine\": \"kept\"\n}\n");
        String azKey = "availability-zones:account=000000000000:region=eu-west-1";
        String zoneKey = "hosted-zone:account=000000000000:domainName=nowhere.example.com:region=eu-west-1";
        ContextLookupException e = assertThrows(ContextLookupException.class, () -> lookUp(
                missing("availability-zones", azKey, "{}"),
                missing("hosted-zone", zoneKey, "{\"domainName\":\"nowhere.example.com\"}")));
        assertEquals("hosted-zone", e.provider());
        assertEquals(zoneKey, e.key());
        assertEquals("context lookup hosted-zone failed for " + zoneKey + ": Found zones: [] for dns:nowhere.example.com, "
                + "privateZone:undefined, vpcId:undefined, but wanted exactly 1 zone", e.getMessage());
        JsonNode file = JSON.readTree(Files.readString(app.resolve("cdk.context.json")));
        assertEquals(List.of("mine", azKey), fieldNames(file));

        String vpcKey = "vpc-provider:account=000000000000:filter.tag:Name=nope:region=eu-west-1";
        e = assertThrows(ContextLookupException.class, () -> lookUp(missing("vpc-provider", vpcKey, "{\"filter\":{\"tag:Name\":\"nope\"}}")));
        assertTrue(e.getMessage().startsWith("context lookup vpc-provider failed for " + vpcKey + ": Could not find any VPCs matching {"),
                e.getMessage());
        assertFalse(e.getMessage().contains("${AWS::"), "the role's placeholders are replaced: " + e.getMessage());

        String ssmKey = "ssm:account=000000000000:parameterName=/providers/none:region=eu-west-1";
        e = assertThrows(ContextLookupException.class, () -> lookUp(missing("ssm", ssmKey, "{\"parameterName\":\"/providers/none\"}")));
        assertEquals("context lookup ssm failed for " + ssmKey
                + ": SSM parameter not available in account 000000000000, region eu-west-1: /providers/none", e.getMessage());
        String withDefault = "ssm:account=000000000000:parameterName=/providers/none:region=eu-west-1:withDefault";
        assertEquals("fallback", lookUp(missing("ssm", withDefault,
                "{\"parameterName\":\"/providers/none\",\"dummyValue\":\"fallback\",\"ignoreErrorOnMissingContext\":true}"))
                .get(withDefault).asText());

        e = assertThrows(ContextLookupException.class, () -> lookUp(missing("load-balancer", "load-balancer:x", "{}")));
        assertEquals("load-balancer", e.provider());
        assertTrue(e.getMessage().contains("no context provider named load-balancer"), e.getMessage());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
