package dev.livestack.localcloud.ec2;

import dev.livestack.localcloud.core.StateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a fresh AWS account has in every region: the availability zones, a default VPC (172.31.0.0/16) with one
 * default subnet per zone (a /20 each, public IPs on launch), its main route table (local route and a default route
 * to the internet gateway), the internet gateway, the default DHCP options and the VPC's default security group.
 * Ids are derived from account and region, so they are the same after every restart, as an account's are.
 */
final class DefaultNetwork {
    static final String VPC_CIDR = "172.31.0.0/16";

    final String region;
    final String account;
    final List<String> zones;
    final String vpcId;
    final String igwId;
    final String routeTableId;
    final String securityGroupId;
    final List<String> subnetIds = new ArrayList<>();

    DefaultNetwork(String region, String account) {
        this.region = region;
        this.account = account;
        this.zones = zones(region);
        this.vpcId = id("vpc", "vpc");
        this.igwId = id("igw", "igw");
        this.routeTableId = id("rtb", "main");
        this.securityGroupId = id("sg", "default");
        for (String z : zones) {
            subnetIds.add(id("subnet", z));
        }
    }

    /** {@code <region>a}, {@code b}, …: six in us-east-1, four in us-west-2, three elsewhere. */
    static List<String> zones(String region) {
        int n = switch (region) {
            case "us-east-1" -> 6;
            case "us-west-2" -> 4;
            default -> 3;
        };
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(region + (char) ('a' + i));
        }
        return out;
    }

    /** The zone id AWS gives a zone: the region's short code and a number ({@code use1-az4}). */
    static String zoneId(String region, int index) {
        String[] parts = region.split("-");
        StringBuilder code = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length - 1; i++) {
            String p = parts[i];
            code.append(switch (p) {
                case "north" -> "n";
                case "south" -> "s";
                case "east" -> "e";
                case "west" -> "w";
                case "central" -> "c";
                case "northeast" -> "ne";
                case "northwest" -> "nw";
                case "southeast" -> "se";
                case "southwest" -> "sw";
                default -> p.substring(0, 1);
            });
        }
        code.append(parts[parts.length - 1]);
        return code + "-az" + (index + 1);
    }

    private String id(String prefix, String what) {
        return prefix + "-0" + StateStore.sha256(account + "/" + region + "/" + prefix + "/" + what).substring(0, 16);
    }

    List<Ec2Item> availabilityZones() {
        List<Ec2Item> out = new ArrayList<>();
        for (int i = 0; i < zones.size(); i++) {
            String z = zones.get(i);
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("zoneName", z);
            x.put("zoneState", "available");
            x.put("regionName", region);
            x.put("zoneId", zoneId(region, i));
            x.put("zoneType", "availability-zone");
            x.put("optInStatus", "opt-in-not-required");
            x.put("groupName", region);
            x.put("groupLongName", region);
            x.put("networkBorderGroup", region);
            x.put("messageSet", List.of());
            out.add(new Ec2Item(z, x, Map.of("zone-name", List.of(z), "state", List.of("available"),
                    "region-name", List.of(region), "zone-id", List.of(zoneId(region, i)),
                    "zone-type", List.of("availability-zone"), "opt-in-status", List.of("opt-in-not-required"),
                    "group-name", List.of(region))));
        }
        return out;
    }

    List<Ec2Item> vpcs() {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("vpcId", vpcId);
        x.put("ownerId", account);
        x.put("state", "available");
        x.put("cidrBlock", VPC_CIDR);
        x.put("cidrBlockAssociationSet", List.of(Map.of("cidrBlock", VPC_CIDR,
                "associationId", "vpc-cidr-assoc-0" + StateStore.sha256(vpcId + "/cidr").substring(0, 16),
                "cidrBlockState", Map.of("state", "associated"))));
        x.put("ipv6CidrBlockAssociationSet", List.of());
        x.put("dhcpOptionsId", id("dopt", "default"));
        x.put("instanceTenancy", "default");
        x.put("isDefault", true);
        x.put("tagSet", List.of());
        return List.of(new Ec2Item(vpcId, x, Map.of("vpc-id", List.of(vpcId), "isDefault", List.of("true"),
                "is-default", List.of("true"), "state", List.of("available"), "cidr", List.of(VPC_CIDR),
                "cidr-block-association.cidr-block", List.of(VPC_CIDR), "owner-id", List.of(account),
                "dhcp-options-id", List.of(id("dopt", "default")))));
    }

    List<Ec2Item> subnets() {
        List<Ec2Item> out = new ArrayList<>();
        for (int i = 0; i < zones.size(); i++) {
            String id = subnetIds.get(i);
            String cidr = "172.31." + (16 * i) + ".0/20";
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("subnetId", id);
            x.put("subnetArn", "arn:" + partition() + ":ec2:" + region + ":" + account + ":subnet/" + id);
            x.put("state", "available");
            x.put("vpcId", vpcId);
            x.put("cidrBlock", cidr);
            x.put("ipv6CidrBlockAssociationSet", List.of());
            x.put("availableIpAddressCount", 4091);
            x.put("availabilityZone", zones.get(i));
            x.put("availabilityZoneId", zoneId(region, i));
            x.put("defaultForAz", true);
            x.put("mapPublicIpOnLaunch", true);
            x.put("mapCustomerOwnedIpOnLaunch", false);
            x.put("ownerId", account);
            x.put("assignIpv6AddressOnCreation", false);
            x.put("tagSet", List.of());
            Map<String, List<String>> f = new LinkedHashMap<>();
            f.put("subnet-id", List.of(id));
            f.put("vpc-id", List.of(vpcId));
            f.put("availability-zone", List.of(zones.get(i)));
            f.put("availabilityZone", List.of(zones.get(i)));
            f.put("availability-zone-id", List.of(zoneId(region, i)));
            f.put("cidr-block", List.of(cidr));
            f.put("cidrBlock", List.of(cidr));
            f.put("cidr", List.of(cidr));
            f.put("default-for-az", List.of("true"));
            f.put("defaultForAz", List.of("true"));
            f.put("map-public-ip-on-launch", List.of("true"));
            f.put("state", List.of("available"));
            f.put("owner-id", List.of(account));
            f.put("subnet-arn", List.of((String) x.get("subnetArn")));
            out.add(new Ec2Item(id, x, f));
        }
        return out;
    }

    List<Ec2Item> routeTables() {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("routeTableId", routeTableId);
        x.put("vpcId", vpcId);
        x.put("ownerId", account);
        x.put("routeSet", List.of(
                route(VPC_CIDR, "local", "CreateRouteTable"),
                route("0.0.0.0/0", igwId, "CreateRoute")));
        String assoc = "rtbassoc-0" + StateStore.sha256(routeTableId + "/main").substring(0, 16);
        x.put("associationSet", List.of(Map.of("routeTableAssociationId", assoc, "routeTableId", routeTableId,
                "main", true, "associationState", Map.of("state", "associated"))));
        x.put("propagatingVgwSet", List.of());
        x.put("tagSet", List.of());
        Map<String, List<String>> f = new LinkedHashMap<>();
        f.put("route-table-id", List.of(routeTableId));
        f.put("vpc-id", List.of(vpcId));
        f.put("association.main", List.of("true"));
        f.put("association.route-table-association-id", List.of(assoc));
        f.put("association.route-table-id", List.of(routeTableId));
        f.put("route.gateway-id", List.of("local", igwId));
        f.put("route.destination-cidr-block", List.of(VPC_CIDR, "0.0.0.0/0"));
        f.put("owner-id", List.of(account));
        // no association.subnet-id: default subnets use the main table implicitly, as in a fresh account
        f.put("association.subnet-id", List.of());
        return List.of(new Ec2Item(routeTableId, x, f));
    }

    private static Map<String, Object> route(String cidr, String gateway, String origin) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("destinationCidrBlock", cidr);
        r.put("gatewayId", gateway);
        r.put("state", "active");
        r.put("origin", origin);
        return r;
    }

    List<Ec2Item> internetGateways() {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("internetGatewayId", igwId);
        x.put("attachmentSet", List.of(Map.of("vpcId", vpcId, "state", "available")));
        x.put("ownerId", account);
        x.put("tagSet", List.of());
        return List.of(new Ec2Item(igwId, x, Map.of("internet-gateway-id", List.of(igwId),
                "attachment.vpc-id", List.of(vpcId), "attachment.state", List.of("available"),
                "owner-id", List.of(account))));
    }

    List<Ec2Item> securityGroups() {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("ownerId", account);
        x.put("groupId", securityGroupId);
        x.put("groupName", "default");
        x.put("groupDescription", "default VPC security group");
        x.put("vpcId", vpcId);
        x.put("securityGroupArn", "arn:" + partition() + ":ec2:" + region + ":" + account + ":security-group/" + securityGroupId);
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("ipProtocol", "-1");
        self.put("groups", List.of(Map.of("userId", account, "groupId", securityGroupId)));
        self.put("ipRanges", List.of());
        self.put("ipv6Ranges", List.of());
        self.put("prefixListIds", List.of());
        x.put("ipPermissions", List.of(self));
        Map<String, Object> egress = new LinkedHashMap<>();
        egress.put("ipProtocol", "-1");
        egress.put("groups", List.of());
        egress.put("ipRanges", List.of(Map.of("cidrIp", "0.0.0.0/0")));
        egress.put("ipv6Ranges", List.of());
        egress.put("prefixListIds", List.of());
        x.put("ipPermissionsEgress", List.of(egress));
        x.put("tagSet", List.of());
        return List.of(new Ec2Item(securityGroupId, x, Map.of("group-id", List.of(securityGroupId),
                "group-name", List.of("default"), "vpc-id", List.of(vpcId), "description", List.of("default VPC security group"),
                "owner-id", List.of(account), "egress.ip-permission.cidr", List.of("0.0.0.0/0"),
                "ip-permission.protocol", List.of("-1"), "egress.ip-permission.protocol", List.of("-1"))));
    }

    private String partition() {
        return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    }
}
