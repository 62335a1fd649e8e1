package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.ListAliasesResponse;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.CreateHostedZoneResponse;
import software.amazon.awssdk.services.route53.model.GetHostedZoneResponse;
import software.amazon.awssdk.services.route53.model.HostedZoneAlreadyExistsException;
import software.amazon.awssdk.services.route53.model.ListHostedZonesByNameResponse;
import software.amazon.awssdk.services.route53.model.NoSuchHostedZoneException;
import software.amazon.awssdk.services.route53.model.VPCRegion;

/** The EC2, Route 53 and KMS reads context lookups make, through the real SDK v2 clients and the AWS CLI. */
class Ec2Route53KmsIT {
    @RegisterExtension
    static final LocalCloudFixture cloud = new LocalCloudFixture();
    static Ec2Client ec2;
    static Ec2Client ec2West;
    static Route53Client route53;
    static KmsClient kms;
    @TempDir
    static Path work;

    @BeforeAll
    static void clients() {
        URI e = cloud.endpoint();
        ec2 = cloud.closeAfter(Ec2Client.builder().endpointOverride(e).region(Region.US_EAST_1)
                .credentialsProvider(Sdk.credentials("test", "test")).overrideConfiguration(Sdk.noRetries()).build());
        ec2West = cloud.closeAfter(Ec2Client.builder().endpointOverride(e).region(Region.EU_WEST_1)
                .credentialsProvider(Sdk.credentials("test", "test")).overrideConfiguration(Sdk.noRetries()).build());
        route53 = cloud.closeAfter(Route53Client.builder().endpointOverride(e).region(Region.AWS_GLOBAL)
                .credentialsProvider(Sdk.credentials("test", "test")).overrideConfiguration(Sdk.noRetries()).build());
        kms = cloud.closeAfter(KmsClient.builder().endpointOverride(e).region(Region.US_EAST_1)
                .credentialsProvider(Sdk.credentials("test", "test")).overrideConfiguration(Sdk.noRetries()).build());
    }

    @Test
    void eachRegionHasItsZonesAndADefaultVpcWithOneDefaultSubnetPerZone() {
        List<String> zones = ec2West.describeAvailabilityZones().availabilityZones().stream().map(z -> z.zoneName()).toList();
        assertEquals(List.of("eu-west-1a", "eu-west-1b", "eu-west-1c"), zones);
        assertEquals("available", ec2West.describeAvailabilityZones().availabilityZones().get(0).stateAsString());
        assertEquals("euw1-az1", ec2West.describeAvailabilityZones().availabilityZones().get(0).zoneId());
        assertEquals(6, ec2.describeAvailabilityZones().availabilityZones().size());

        List<Vpc> vpcs = ec2West.describeVpcs(b -> b.filters(Filter.builder().name("isDefault").values("true").build())).vpcs();
        assertEquals(1, vpcs.size());
        Vpc vpc = vpcs.get(0);
        assertTrue(vpc.vpcId().matches("vpc-0[0-9a-f]{16}"), vpc.vpcId());
        assertEquals("172.31.0.0/16", vpc.cidrBlock());
        assertTrue(vpc.isDefault());
        assertEquals("000000000000", vpc.ownerId());
        assertFalse(vpc.vpcId().equals(ec2.describeVpcs().vpcs().get(0).vpcId()), "each region has its own default VPC");

        List<Subnet> subnets = ec2West.describeSubnets(b -> b.filters(Filter.builder().name("vpc-id").values(vpc.vpcId()).build())).subnets();
        assertEquals(List.of("172.31.0.0/20", "172.31.16.0/20", "172.31.32.0/20"), subnets.stream().map(Subnet::cidrBlock).toList());
        assertEquals(zones, subnets.stream().map(Subnet::availabilityZone).toList());
        assertTrue(subnets.stream().allMatch(s -> s.defaultForAz() && s.mapPublicIpOnLaunch()));
        assertEquals("arn:aws:ec2:eu-west-1:000000000000:subnet/" + subnets.get(0).subnetId(), subnets.get(0).subnetArn());
        assertEquals(1, ec2West.describeSubnets(b -> b.filters(Filter.builder().name("availability-zone").values("eu-west-1b").build()))
                .subnets().size());

        List<RouteTable> tables = ec2West.describeRouteTables(b -> b.filters(Filter.builder().name("vpc-id").values(vpc.vpcId()).build()))
                .routeTables();
        assertEquals(1, tables.size());
        assertTrue(tables.get(0).associations().get(0).main());
        assertEquals("local", tables.get(0).routes().get(0).gatewayId());
        String igw = tables.get(0).routes().get(1).gatewayId();
        assertTrue(igw.startsWith("igw-0"), igw);
        assertEquals(igw, ec2West.describeInternetGateways().internetGateways().get(0).internetGatewayId());
        assertEquals(0, ec2West.describeVpnGateways(b -> b.filters(Filter.builder().name("attachment.vpc-id").values(vpc.vpcId()).build()))
                .vpnGateways().size());

        SecurityGroup sg = ec2West.describeSecurityGroups(b -> b.filters(
                Filter.builder().name("group-name").values("default").build(),
                Filter.builder().name("vpc-id").values(vpc.vpcId()).build())).securityGroups().get(0);
        assertEquals("default VPC security group", sg.description());
        assertEquals("0.0.0.0/0", sg.ipPermissionsEgress().get(0).ipRanges().get(0).cidrIp());
        assertEquals(sg.groupId(), sg.ipPermissions().get(0).userIdGroupPairs().get(0).groupId());
    }

    @Test
    void unknownIdsAndFiltersFailWithEc2sCodes() {
        Ec2Exception e = assertThrows(Ec2Exception.class, () -> ec2.describeVpcs(b -> b.vpcIds("vpc-0123456789abcdef0")));
        assertEquals("InvalidVpcID.NotFound", e.awsErrorDetails().errorCode());
        assertEquals("The vpc ID 'vpc-0123456789abcdef0' does not exist", e.awsErrorDetails().errorMessage());
        assertEquals(400, e.statusCode());
        e = assertThrows(Ec2Exception.class, () -> ec2.describeSubnets(b -> b.subnetIds("subnet-00000000000000000")));
        assertEquals("InvalidSubnetID.NotFound", e.awsErrorDetails().errorCode());
        e = assertThrows(Ec2Exception.class, () -> ec2.describeSecurityGroups(b -> b.groupIds("sg-00000000000000000")));
        assertEquals("InvalidGroup.NotFound", e.awsErrorDetails().errorCode());
        e = assertThrows(Ec2Exception.class, () -> ec2.describeVpcs(b -> b.filters(Filter.builder().name("colour").values("x").build())));
        assertEquals("InvalidParameterValue", e.awsErrorDetails().errorCode());
        assertEquals("The filter 'colour' is invalid", e.awsErrorDetails().errorMessage());
        assertEquals(0, ec2.describeVpcs(b -> b.filters(Filter.builder().name("tag:Name").values("prod").build())).vpcs().size());
    }

    @Test
    void imagesAreFoundByOwnerAndNamePatternNewestReleaseLast() {
        List<Image> al2023 = ec2.describeImages(b -> b.owners("amazon").filters(
                Filter.builder().name("name").values("al2023-ami-2023.*-x86_64").build(),
                Filter.builder().name("state").values("available").build(),
                Filter.builder().name("image-type").values("machine").build())).images();
        assertEquals(2, al2023.size());
        assertTrue(al2023.stream().allMatch(i -> i.imageId().matches("ami-0[0-9a-f]{16}") && i.ownerId().equals("137112412989")));
        assertTrue(al2023.get(1).creationDate().compareTo(al2023.get(0).creationDate()) > 0);
        List<Image> ubuntu = ec2.describeImages(b -> b.owners("099720109477").filters(
                Filter.builder().name("name").values("ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*").build())).images();
        assertEquals(2, ubuntu.size());
        assertEquals(0, ec2.describeImages(b -> b.owners("amazon").filters(
                Filter.builder().name("name").values("ubuntu/*").build())).images().size());
        assertEquals("windows", ec2.describeImages(b -> b.owners("amazon").filters(
                Filter.builder().name("platform").values("windows").build())).images().get(0).platformAsString());
        String id = ubuntu.get(0).imageId();
        assertEquals(id, ec2.describeImages(b -> b.imageIds(id)).images().get(0).imageId());
        assertFalse(id.equals(ec2West.describeImages(b -> b.owners("099720109477").filters(
                Filter.builder().name("name").values(ubuntu.get(0).name()).build())).images().get(0).imageId()), "ids differ by region");
        Ec2Exception e = assertThrows(Ec2Exception.class, () -> ec2.describeImages(b -> b.imageIds("ami-00000000000000000")));
        assertEquals("InvalidAMIID.NotFound", e.awsErrorDetails().errorCode());
    }

    @Test
    void hostedZonesAreCreatedListedByNameAndRead() {
        String ref = UUID.randomUUID().toString();
        CreateHostedZoneResponse created = route53.createHostedZone(b -> b.name("lookups.example.com").callerReference(ref));
        String id = created.hostedZone().id();
        // the wire carries /hostedzone/Z…; SDK v2 hands out the bare id
        assertTrue(id.matches("Z0[A-Z0-9]{19}"), id);
        assertEquals("lookups.example.com.", created.hostedZone().name());
        assertEquals(4, created.delegationSet().nameServers().size());
        assertTrue(created.location().endsWith("/2013-04-01/hostedzone/" + id), created.location());
        assertThrows(HostedZoneAlreadyExistsException.class, () -> route53.createHostedZone(b -> b.name("other.example.com").callerReference(ref)));
        route53.createHostedZone(b -> b.name("a.example.com").callerReference(UUID.randomUUID().toString()));
        String privateId = route53.createHostedZone(b -> b.name("lookups.example.com").callerReference(UUID.randomUUID().toString())
                .vpc(v -> v.vpcId("vpc-0123456789abcdef0").vpcRegion(VPCRegion.EU_WEST_1))).hostedZone().id();

        ListHostedZonesByNameResponse byName = route53.listHostedZonesByName(b -> b.dnsName("lookups.example.com"));
        List<String> names = new ArrayList<>();
        byName.hostedZones().forEach(z -> names.add(z.name() + (z.config().privateZone() ? " private" : "")));
        assertEquals(2, names.stream().filter(n -> n.startsWith("lookups.example.com.")).count(), names.toString());
        assertFalse(names.contains("a.example.com."), "a.example.com. sorts before lookups.example.com.: " + names);
        assertEquals("lookups.example.com", byName.dnsName());

        GetHostedZoneResponse got = route53.getHostedZone(b -> b.id(privateId));
        assertTrue(got.hostedZone().config().privateZone());
        assertEquals("vpc-0123456789abcdef0", got.vpCs().get(0).vpcId());
        assertEquals(id, route53.getHostedZone(b -> b.id(id)).hostedZone().id());

        NoSuchHostedZoneException e = assertThrows(NoSuchHostedZoneException.class, () -> route53.getHostedZone(b -> b.id("Z0NOSUCHZONE000000000")));
        assertEquals("No hosted zone found with ID: Z0NOSUCHZONE000000000", e.awsErrorDetails().errorMessage());
        assertEquals(404, e.statusCode());
        route53.deleteHostedZone(b -> b.id(privateId));
        assertThrows(NoSuchHostedZoneException.class, () -> route53.getHostedZone(b -> b.id(privateId)));
    }

    @Test
    void kmsListsTheAwsManagedAliasesAndOnesATestAdds() {
        List<AliasListEntry> all = new ArrayList<>();
        String marker = null;
        int pages = 0;
        do {
            String m = marker;
            ListAliasesResponse r = kms.listAliases(b -> b.limit(5).marker(m));
            all.addAll(r.aliases());
            marker = r.truncated() ? r.nextMarker() : null;
            pages++;
        } while (marker != null);
        assertTrue(pages > 1);
        AliasListEntry s3 = all.stream().filter(a -> a.aliasName().equals("alias/aws/s3")).findFirst().orElseThrow();
        assertTrue(s3.targetKeyId().matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}"), s3.targetKeyId());
        assertEquals("arn:aws:kms:us-east-1:000000000000:alias/aws/s3", s3.aliasArn());
        assertEquals("AWS", kms.describeKey(b -> b.keyId("alias/aws/s3")).keyMetadata().keyManagerAsString());

        String keyId = kms.createKey(b -> b.description("lookups")).keyMetadata().keyId();
        kms.createAlias(b -> b.aliasName("alias/lookups-test").targetKeyId(keyId));
        assertEquals(keyId, kms.listAliases(b -> b.keyId(keyId)).aliases().get(0).targetKeyId());
        assertEquals("CUSTOMER", kms.describeKey(b -> b.keyId("alias/lookups-test")).keyMetadata().keyManagerAsString());
        AlreadyExistsException dup = assertThrows(AlreadyExistsException.class,
                () -> kms.createAlias(b -> b.aliasName("alias/lookups-test").targetKeyId(keyId)));
        assertEquals("An alias with the name arn:aws:kms:us-east-1:000000000000:alias/lookups-test already exists",
                dup.awsErrorDetails().errorMessage());
        assertThrows(NotFoundException.class, () -> kms.createAlias(b -> b.aliasName("alias/x").targetKeyId(UUID.randomUUID().toString())));
    }

    /** The AWS CLI (botocore, another client implementation) reads the same services. */
    @Test
    void awsCliDescribesVpcsListsZonesByNameAndAliases() throws Exception {
        String aws = Files.isExecutable(Path.of("/usr/bin/aws")) ? "/usr/bin/aws" : "aws";
        Assumptions.assumeTrue(ClientProcess.run(work, List.of(aws, "--version")).exit() == 0, "the AWS CLI is not installed");
        String url = cloud.endpoint().toString();
        ObjectMapper json = new ObjectMapper();
        ClientProcess.Result r = ClientProcess.run(work, List.of(aws, "ec2", "describe-vpcs", "--region", "ap-southeast-2",
                "--filters", "Name=isDefault,Values=true", "--endpoint-url", url, "--output", "json"));
        assertEquals(0, r.exit(), r.err());
        JsonNode vpc = json.readTree(r.out()).path("Vpcs").get(0);
        assertEquals("172.31.0.0/16", vpc.path("CidrBlock").asText());
        assertTrue(vpc.path("IsDefault").asBoolean());
        r = ClientProcess.run(work, List.of(aws, "ec2", "describe-vpcs", "--vpc-ids", "vpc-0000000000000000f", "--endpoint-url", url));
        assertEquals(254, r.exit());
        assertTrue(r.err().contains("InvalidVpcID.NotFound"), r.err());

        r = ClientProcess.run(work, List.of(aws, "route53", "create-hosted-zone", "--name", "cli.example.org",
                "--caller-reference", UUID.randomUUID().toString(), "--endpoint-url", url, "--output", "json"));
        assertEquals(0, r.exit(), r.err());
        r = ClientProcess.run(work, List.of(aws, "route53", "list-hosted-zones-by-name", "--dns-name", "cli.example.org",
                "--endpoint-url", url, "--output", "json"));
        assertEquals(0, r.exit(), r.err());
        assertEquals("cli.example.org.", json.readTree(r.out()).path("HostedZones").get(0).path("Name").asText());

        r = ClientProcess.run(work, List.of(aws, "kms", "list-aliases", "--endpoint-url", url, "--output", "json"));
        assertEquals(0, r.exit(), r.err());
        List<String> aliases = new ArrayList<>();
        json.readTree(r.out()).path("Aliases").forEach(a -> aliases.add(a.path("AliasName").asText()));
        assertTrue(aliases.contains("alias/aws/ebs"), aliases.toString());
    }

    /** Zones and customer keys are records of the state folder; EC2's data is derived from account and region. */
    @Test
    void zonesAndKeysSurviveARestartAndEc2IdsAreTheSame(@TempDir Path dir) throws Exception {
        String zone;
        String key;
        String vpc;
        try (LocalCloud first = LocalCloud.start(LocalCloudConfig.defaults(dir, 0));
             Route53Client r = Route53Client.builder().endpointOverride(first.endpoint()).region(Region.AWS_GLOBAL)
                     .credentialsProvider(Sdk.credentials("test", "test")).build();
             KmsClient k = KmsClient.builder().endpointOverride(first.endpoint()).region(Region.EU_WEST_1)
                     .credentialsProvider(Sdk.credentials("test", "test")).build();
             Ec2Client e = Ec2Client.builder().endpointOverride(first.endpoint()).region(Region.EU_WEST_1)
                     .credentialsProvider(Sdk.credentials("test", "test")).build()) {
            zone = r.createHostedZone(b -> b.name("kept.example.com").callerReference("kept")).hostedZone().id();
            key = k.createKey(b -> b.description("kept")).keyMetadata().keyId();
            k.createAlias(b -> b.aliasName("alias/kept").targetKeyId(key));
            vpc = e.describeVpcs().vpcs().get(0).vpcId();
        }
        try (LocalCloud second = LocalCloud.start(LocalCloudConfig.defaults(dir, 0));
             Route53Client r = Route53Client.builder().endpointOverride(second.endpoint()).region(Region.AWS_GLOBAL)
                     .credentialsProvider(Sdk.credentials("test", "test")).build();
             KmsClient k = KmsClient.builder().endpointOverride(second.endpoint()).region(Region.EU_WEST_1)
                     .credentialsProvider(Sdk.credentials("test", "test")).build();
             Ec2Client e = Ec2Client.builder().endpointOverride(second.endpoint()).region(Region.EU_WEST_1)
                     .credentialsProvider(Sdk.credentials("test", "test")).build()) {
            assertEquals("kept.example.com.", r.getHostedZone(b -> b.id(zone)).hostedZone().name());
            assertEquals(key, k.describeKey(b -> b.keyId("alias/kept")).keyMetadata().keyId());
            assertEquals(vpc, e.describeVpcs().vpcs().get(0).vpcId());
            // aliases are per region, as KMS's are
            try (KmsClient east = KmsClient.builder().endpointOverride(second.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(Sdk.credentials("test", "test")).build()) {
                assertThrows(NotFoundException.class, () -> east.describeKey(b -> b.keyId("alias/kept")));
            }
        }
    }
}
