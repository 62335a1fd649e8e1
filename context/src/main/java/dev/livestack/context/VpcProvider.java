package dev.livestack.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.VpnGateway;

/**
 * {@code vpc-provider}: finds exactly one VPC by the query's filters and describes its subnets the way
 * {@code Vpc.fromLookup} wants them: grouped by type (the {@code aws-cdk:subnet-type} tag, else public when it maps
 * public IPs or routes to an internet gateway, private when it routes to a NAT or transit gateway, else isolated)
 * and name, every group spanning the same zones, with each subnet's route table (its own, else the main one).
 */
final class VpcProvider {
    private record Sn(String az, String cidr, String type, String name, String id, String routeTableId) {
    }

    private VpcProvider() {
    }

    static JsonNode lookup(Query q, AwsClients aws) {
        Ec2Client ec2 = aws.ec2(q);
        List<Filter> filters = new ArrayList<>();
        q.props().path("filter").fields().forEachRemaining(f -> filters.add(Filter.builder().name(f.getKey()).values(f.getValue().asText()).build()));
        List<Vpc> vpcs = ec2.describeVpcs(b -> b.filters(filters)).vpcs();
        if (vpcs.isEmpty()) {
            throw new LookupFailure("Could not find any VPCs matching " + q.json());
        }
        if (vpcs.size() > 1) {
            throw new LookupFailure("Found " + vpcs.size() + " VPCs matching " + q.json() + "; please narrow the search criteria");
        }
        Vpc vpc = vpcs.get(0);
        Filter byVpc = Filter.builder().name("vpc-id").values(vpc.vpcId()).build();
        List<Subnet> listed = ec2.describeSubnets(b -> b.filters(byVpc)).subnets();
        List<RouteTable> tables = ec2.describeRouteTables(b -> b.filters(byVpc)).routeTables();
        RouteTable main = tables.stream().filter(t -> t.associations().stream().anyMatch(a -> Boolean.TRUE.equals(a.main())))
                .findFirst().orElse(null);
        String groupTag = q.text("subnetGroupNameTag");
        List<Sn> subnets = new ArrayList<>();
        for (Subnet s : listed) {
            RouteTable own = tables.stream().filter(t -> t.associations().stream().anyMatch(a -> s.subnetId().equals(a.subnetId())))
                    .findFirst().orElse(null);
            RouteTable effective = own != null ? own : main;
            String type = tag("aws-cdk:subnet-type", s.tags());
            if (type == null && Boolean.TRUE.equals(s.mapPublicIpOnLaunch())) {
                type = "Public";
            }
            if (type == null && effective != null && effective.routes().stream().anyMatch(r -> r.gatewayId() != null && r.gatewayId().startsWith("igw-"))) {
                type = "Public";
            }
            if (type == null && effective != null && effective.routes().stream().anyMatch(r -> r.natGatewayId() != null
                    && "0.0.0.0/0".equals(r.destinationCidrBlock()))) {
                type = "Private";
            }
            if (type == null && effective != null && effective.routes().stream().anyMatch(r -> r.transitGatewayId() != null
                    && "0.0.0.0/0".equals(r.destinationCidrBlock()))) {
                type = "Private";
            }
            if (type == null) {
                type = "Isolated";
            }
            if (!type.equals("Public") && !type.equals("Private") && !type.equals("Isolated")) {
                throw new LookupFailure("Subnet " + s.subnetArn() + " has invalid subnet type " + type
                        + " (must be Public, Private or Isolated)");
            }
            if (groupTag != null && tag(groupTag, s.tags()) == null) {
                throw new LookupFailure("Invalid subnetGroupNameTag: Subnet " + s.subnetArn()
                        + " does not have an associated tag with Key='" + groupTag + "'");
            }
            String name = tag(groupTag != null ? groupTag : "aws-cdk:subnet-name", s.tags());
            String rtb = effective == null ? null : effective.routeTableId();
            if (rtb == null) {
                throw new LookupFailure("Subnet " + s.subnetArn() + " does not have an associated route table (and there is no \"main\" table)");
            }
            subnets.add(new Sn(s.availabilityZone(), s.cidrBlock(), type, name != null ? name : type, s.subnetId(), rtb));
        }
        Map<String, List<Sn>> groups = new LinkedHashMap<>();
        for (Sn s : subnets) {
            groups.computeIfAbsent(s.type() + "," + s.name(), k -> new ArrayList<>()).add(s);
        }
        groups.values().forEach(g -> g.sort(Comparator.comparing(Sn::az)));

        ObjectNode out = ContextFile.JSON.createObjectNode();
        out.put("vpcId", vpc.vpcId());
        out.put("vpcCidrBlock", vpc.cidrBlock());
        if (vpc.ownerId() != null) {
            out.put("ownerAccountId", vpc.ownerId());
        }
        boolean asymmetric = q.flag("returnAsymmetricSubnets");
        ArrayNode azs = out.putArray("availabilityZones");
        if (!asymmetric && !groups.isEmpty()) {
            List<String> first = groups.values().iterator().next().stream().map(Sn::az).toList();
            for (List<Sn> g : groups.values()) {
                List<String> these = g.stream().map(Sn::az).toList();
                if (!these.equals(first)) {
                    throw new LookupFailure("Not all subnets in VPC have the same AZs: " + String.join(",", these) + " vs "
                            + String.join(",", first));
                }
            }
            first.forEach(azs::add);
        } else if (!asymmetric) {
            // no subnets: the CDK CLI fails reading the first group; say so plainly
            throw new LookupFailure("VPC " + vpc.vpcId() + " has no subnets");
        }
        if (!asymmetric) {
            for (String type : List.of("Isolated", "Private", "Public")) {
                List<List<Sn>> of = groups.values().stream().filter(g -> g.get(0).type().equals(type)).toList();
                if (of.isEmpty()) {
                    continue;
                }
                String lower = type.toLowerCase(java.util.Locale.ROOT);
                ArrayNode ids = out.putArray(lower + "SubnetIds");
                ArrayNode names = out.putArray(lower + "SubnetNames");
                ArrayNode rtbs = out.putArray(lower + "SubnetRouteTableIds");
                for (List<Sn> g : of) {
                    g.forEach(s -> ids.add(s.id()));
                    names.add(g.get(0).name());
                    g.forEach(s -> rtbs.add(s.routeTableId()));
                }
            }
        }
        if (q.props().path("returnVpnGateways").asBoolean(true)) {
            List<VpnGateway> vgws = ec2.describeVpnGateways(b -> b.filters(
                    Filter.builder().name("attachment.vpc-id").values(vpc.vpcId()).build(),
                    Filter.builder().name("attachment.state").values("attached").build(),
                    Filter.builder().name("state").values("available").build())).vpnGateways();
            if (vgws.size() == 1) {
                out.put("vpnGatewayId", vgws.get(0).vpnGatewayId());
            }
        }
        if (asymmetric) {
            ArrayNode sg = out.putArray("subnetGroups");
            for (List<Sn> g : groups.values()) {
                ObjectNode group = sg.addObject();
                group.put("name", g.get(0).name());
                group.put("type", g.get(0).type());
                ArrayNode members = group.putArray("subnets");
                for (Sn s : g) {
                    members.addObject().put("subnetId", s.id()).put("cidr", s.cidr()).put("availabilityZone", s.az())
                            .put("routeTableId", s.routeTableId());
                }
            }
        }
        return out;
    }

    private static String tag(String key, List<Tag> tags) {
        for (Tag t : tags) {
            if (key.equals(t.key())) {
                return t.value();
            }
        }
        return null;
    }
}
