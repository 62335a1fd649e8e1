package dev.livestack.localcloud.ec2;

import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.AwsRequest;
import dev.livestack.localcloud.core.AwsService;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.Http;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The EC2 reads context lookups make (EC2's own query protocol: a form-encoded {@code POST /} naming an
 * {@code Action}, answered with {@code <ActionResponse xmlns=…><requestId>} XML whose lists are {@code <item>}
 * elements, errors as {@code <Response><Errors><Error>}): availability zones, VPCs, subnets, route tables, internet
 * and VPN gateways, security groups and images. Each region holds what a fresh account holds ({@link DefaultNetwork}).
 */
public final class Ec2Service implements AwsService {
    static final String NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private final CloudContext context;
    private final Map<String, DefaultNetwork> networks = new ConcurrentHashMap<>();

    public Ec2Service(CloudContext context) {
        this.context = context;
    }

    @Override
    public String signingName() {
        return "ec2";
    }

    @Override
    public AwsException throttling() {
        return new AwsException(503, "RequestLimitExceeded", "Request limit exceeded.");
    }

    @Override
    public void handle(AwsRequest request) throws IOException {
        Map<String, String> form = request.form();
        String action = form.get("Action");
        if (action == null) {
            throw new AwsException(400, "MissingAction", "The request must contain the parameter Action");
        }
        if ("true".equalsIgnoreCase(form.get("DryRun"))) {
            throw new AwsException(412, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.");
        }
        DefaultNetwork net = networks.computeIfAbsent(request.region(), r -> new DefaultNetwork(r, context.account()));
        Map<String, List<String>> filters = Ec2Filters.read(form);
        StringBuilder body = new StringBuilder(1024);
        switch (action) {
            case "DescribeAvailabilityZones" -> {
                List<Ec2Item> zones = byIds(net.availabilityZones(), Ec2Filters.list(form, "ZoneName"),
                        id -> new AwsException(400, "InvalidParameterValue", "The zone '" + id + "' does not exist in the region"));
                items(body, "availabilityZoneInfo", Ec2Filters.apply(zones, filters, Set.of("zone-name", "state", "region-name",
                        "zone-id", "zone-type", "opt-in-status", "group-name", "message", "parent-zone-name", "parent-zone-id")));
            }
            case "DescribeVpcs" -> items(body, "vpcSet", Ec2Filters.apply(byIds(net.vpcs(), Ec2Filters.list(form, "VpcId"),
                    id -> new AwsException(400, "InvalidVpcID.NotFound", "The vpc ID '" + id + "' does not exist")),
                    filters, Set.of("vpc-id", "isDefault", "is-default", "state", "cidr", "cidr-block-association.cidr-block",
                            "owner-id", "dhcp-options-id", "cidr-block-association.state", "cidr-block-association.association-id")));
            case "DescribeSubnets" -> items(body, "subnetSet", Ec2Filters.apply(byIds(net.subnets(), Ec2Filters.list(form, "SubnetId"),
                    id -> new AwsException(400, "InvalidSubnetID.NotFound", "The subnet ID '" + id + "' does not exist")),
                    filters, Set.of("subnet-id", "vpc-id", "availability-zone", "availabilityZone", "availability-zone-id",
                            "cidr-block", "cidrBlock", "cidr", "default-for-az", "defaultForAz", "map-public-ip-on-launch",
                            "state", "owner-id", "subnet-arn")));
            case "DescribeRouteTables" -> items(body, "routeTableSet", Ec2Filters.apply(byIds(net.routeTables(),
                    Ec2Filters.list(form, "RouteTableId"),
                    id -> new AwsException(400, "InvalidRouteTableID.NotFound", "The routeTable ID '" + id + "' does not exist")),
                    filters, Set.of("route-table-id", "vpc-id", "association.main", "association.route-table-association-id",
                            "association.route-table-id", "association.subnet-id", "route.gateway-id",
                            "route.destination-cidr-block", "owner-id")));
            case "DescribeInternetGateways" -> items(body, "internetGatewaySet", Ec2Filters.apply(byIds(net.internetGateways(),
                    Ec2Filters.list(form, "InternetGatewayId"),
                    id -> new AwsException(400, "InvalidInternetGatewayID.NotFound", "The internetGateway ID '" + id + "' does not exist")),
                    filters, Set.of("internet-gateway-id", "attachment.vpc-id", "attachment.state", "owner-id")));
            case "DescribeVpnGateways" -> items(body, "vpnGatewaySet", Ec2Filters.apply(byIds(List.of(),
                    Ec2Filters.list(form, "VpnGatewayId"),
                    id -> new AwsException(400, "InvalidVpnGatewayID.NotFound", "The vpnGateway ID '" + id + "' does not exist")),
                    filters, Set.of("vpn-gateway-id", "attachment.vpc-id", "attachment.state", "state", "type",
                            "availability-zone", "amazon-side-asn")));
            case "DescribeSecurityGroups" -> {
                List<Ec2Item> groups = byIds(net.securityGroups(), Ec2Filters.list(form, "GroupId"),
                        id -> new AwsException(400, "InvalidGroup.NotFound", "The security group '" + id + "' does not exist"));
                List<String> names = Ec2Filters.list(form, "GroupName");
                if (!names.isEmpty()) {
                    List<Ec2Item> named = new ArrayList<>();
                    for (String n : names) {
                        Ec2Item g = groups.stream().filter(i -> n.equals(i.xml().get("groupName"))).findFirst()
                                .orElseThrow(() -> new AwsException(400, "InvalidGroup.NotFound",
                                        "The security group '" + n + "' does not exist in default VPC '" + net.vpcId + "'"));
                        named.add(g);
                    }
                    groups = named;
                }
                items(body, "securityGroupInfo", Ec2Filters.apply(groups, filters, Set.of("group-id", "group-name", "vpc-id",
                        "description", "owner-id", "egress.ip-permission.cidr", "ip-permission.protocol",
                        "egress.ip-permission.protocol")));
            }
            case "DescribeImages" -> {
                List<String> owners = Ec2Filters.list(form, "Owner");
                List<Ec2Item> images = ImageCatalog.images(request.region());
                List<String> ids = Ec2Filters.list(form, "ImageId");
                if (!ids.isEmpty()) {
                    List<String> unknown = ids.stream().filter(id -> images.stream().noneMatch(i -> i.id().equals(id))).toList();
                    if (!unknown.isEmpty()) {
                        throw new AwsException(400, "InvalidAMIID.NotFound", "The image id '[" + String.join(", ", unknown)
                                + "]' does not exist");
                    }
                }
                List<Ec2Item> picked = images.stream().filter(i -> ids.isEmpty() || ids.contains(i.id()))
                        .filter(i -> ImageCatalog.ownedBy(i, owners, context.account())).toList();
                items(body, "imagesSet", Ec2Filters.apply(picked, filters, Set.of("image-id", "name", "description", "state",
                        "owner-id", "owner-alias", "architecture", "image-type", "is-public", "platform", "platform-details",
                        "root-device-type", "root-device-name", "virtualization-type", "hypervisor", "ena-support",
                        "creation-date")));
            }
            default -> throw new AwsException(400, "InvalidAction", "The action " + action + " is not valid for this web service.");
        }
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + action + "Response xmlns=\"" + NAMESPACE + "\"><requestId>"
                + request.requestId() + "</requestId>" + body + "</" + action + "Response>";
        request.exchange().getResponseHeaders().set("x-amzn-RequestId", request.requestId());
        Http.send(request.exchange(), 200, "text/xml;charset=UTF-8", xml);
    }

    /** The items with these ids (all when none are named); the first unknown id is the resource's NotFound error. */
    private static List<Ec2Item> byIds(List<Ec2Item> all, List<String> ids, Function<String, AwsException> notFound) {
        if (ids.isEmpty()) {
            return all;
        }
        List<Ec2Item> out = new ArrayList<>();
        for (String id : ids) {
            out.add(all.stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow(() -> notFound.apply(id)));
        }
        return out;
    }

    private static void items(StringBuilder out, String name, List<Ec2Item> items) {
        out.append('<').append(name).append('>');
        for (Ec2Item i : items) {
            element(out, "item", i.xml());
        }
        out.append("</").append(name).append('>');
    }

    /** EC2's XML: a map is child elements, a collection a run of {@code <item>}s, null nothing. */
    static void element(StringBuilder out, String name, Object value) {
        if (value == null) {
            return;
        }
        out.append('<').append(name).append('>');
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                element(out, String.valueOf(e.getKey()), e.getValue());
            }
        } else if (value instanceof Collection<?> list) {
            for (Object item : list) {
                element(out, "item", item);
            }
        } else {
            out.append(Http.xmlEscape(String.valueOf(value)));
        }
        out.append("</").append(name).append('>');
    }

    @Override
    public void renderError(AwsRequest request, AwsException error) throws IOException {
        String code = error.code();
        // SigV4 failures come with the query dialect's codes; EC2 calls a bad signature AuthFailure
        if ("SignatureDoesNotMatch".equals(code) || "InvalidClientTokenId".equals(code) || "IncompleteSignature".equals(code)) {
            code = "AuthFailure";
        }
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + Http.xmlEscape(code)
                + "</Code><Message>" + Http.xmlEscape(error.getMessage()) + "</Message></Error></Errors><RequestID>"
                + request.requestId() + "</RequestID></Response>";
        request.exchange().getResponseHeaders().set("x-amzn-RequestId", request.requestId());
        Http.send(request.exchange(), error.status(), "text/xml;charset=UTF-8", xml);
    }
}
