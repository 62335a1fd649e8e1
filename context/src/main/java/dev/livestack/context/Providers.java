package dev.livestack.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.ListAliasesResponse;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * The context providers the CDK CLI runs, by the names aws-cdk-lib writes in {@code missing}, each answering with
 * the value shape the CDK CLI stores in {@code cdk.context.json}. VPCs are in {@link VpcProvider}.
 */
final class Providers {
    /** One provider: its query in, the context value out; {@link LookupFailure} when nothing fits. */
    interface Provider {
        JsonNode lookup(Query q, AwsClients aws);
    }

    static final Map<String, Provider> ALL = Map.of(
            "availability-zones", Providers::availabilityZones,
            "ssm", Providers::ssm,
            "hosted-zone", Providers::hostedZone,
            "vpc-provider", VpcProvider::lookup,
            "ami", Providers::ami,
            "security-group", Providers::securityGroup,
            "key-provider", Providers::key);

    private Providers() {
    }

    static ArrayNode availabilityZones(Query q, AwsClients aws) {
        ArrayNode out = ContextFile.JSON.createArrayNode();
        for (AvailabilityZone z : aws.ec2(q).describeAvailabilityZones().availabilityZones()) {
            if ("available".equals(z.stateAsString())) {
                out.add(z.zoneName());
            }
        }
        return out;
    }

    static JsonNode ssm(Query q, AwsClients aws) {
        String name = q.text("parameterName");
        if (name == null) {
            throw new LookupFailure("parameterName must be provided in props for SSMContextProviderPlugin");
        }
        try {
            String value = aws.ssm(q).getParameter(b -> b.name(name)).parameter().value();
            if (value != null) {
                return ContextFile.JSON.getNodeFactory().textNode(value);
            }
        } catch (ParameterNotFoundException e) {
            // as absent: a dummy value may stand in for it
        }
        if (q.flag("ignoreErrorOnMissingContext") && q.props().has("dummyValue")) {
            return q.props().get("dummyValue");
        }
        throw new LookupFailure("SSM parameter not available in account " + q.account() + ", region " + q.region("?") + ": " + name);
    }

    static JsonNode hostedZone(Query q, AwsClients aws) {
        String domain = q.text("domainName");
        if (domain == null) {
            throw new LookupFailure("HostedZoneProvider requires domainName property to be set in " + q.json());
        }
        var r53 = aws.route53(q);
        List<HostedZone> zones = r53.listHostedZonesByName(b -> b.dnsName(domain)).hostedZones();
        String wanted = domain.endsWith(".") ? domain : domain + ".";
        boolean privateZone = q.flag("privateZone");
        String vpcId = q.text("vpcId");
        List<HostedZone> candidates = new ArrayList<>();
        for (HostedZone z : zones) {
            boolean isPrivate = z.config() != null && Boolean.TRUE.equals(z.config().privateZone());
            if (z.name().equals(wanted) && isPrivate == privateZone) {
                candidates.add(z);
            }
        }
        if (vpcId != null) {
            List<HostedZone> inVpc = new ArrayList<>();
            for (HostedZone z : candidates) {
                if (r53.getHostedZone(b -> b.id(z.id())).vpCs().stream().anyMatch(v -> vpcId.equals(v.vpcId()))) {
                    inVpc.add(z);
                }
            }
            candidates = inVpc;
        }
        if (candidates.size() != 1) {
            ArrayNode found = ContextFile.JSON.createArrayNode();
            candidates.forEach(z -> found.addObject().put("Id", withPrefix(z.id())).put("Name", z.name()));
            // the CDK CLI prints absent props as JavaScript's "undefined"
            throw new LookupFailure("Found zones: " + found + " for dns:" + domain + ", privateZone:"
                    + (q.props().has("privateZone") ? q.props().get("privateZone").asText() : "undefined") + ", vpcId:"
                    + (vpcId == null ? "undefined" : vpcId) + ", but wanted exactly 1 zone");
        }
        ObjectNode out = ContextFile.JSON.createObjectNode();
        out.put("Id", withPrefix(candidates.get(0).id()));
        out.put("Name", candidates.get(0).name());
        return out;
    }

    /** Route 53 sends {@code /hostedzone/Z…}, SDK v2 strips the prefix; the CDK CLI stores what Route 53 sent. */
    static String withPrefix(String id) {
        return id.startsWith("/hostedzone/") ? id : "/hostedzone/" + id;
    }

    static JsonNode ami(Query q, AwsClients aws) {
        List<String> owners = new ArrayList<>();
        q.props().path("owners").forEach(o -> owners.add(o.asText()));
        List<Filter> filters = new ArrayList<>();
        q.props().path("filters").fields().forEachRemaining(f -> {
            List<String> values = new ArrayList<>();
            f.getValue().forEach(v -> values.add(v.asText()));
            filters.add(Filter.builder().name(f.getKey()).values(values).build());
        });
        List<Image> images = new ArrayList<>(aws.ec2(q).describeImages(b -> {
            if (!owners.isEmpty()) {
                b.owners(owners);
            }
            b.filters(filters);
        }).images().stream().filter(i -> i.imageId() != null).toList());
        if (images.isEmpty()) {
            throw new LookupFailure("No AMI found that matched the search criteria");
        }
        images.sort(Comparator.comparing((Image i) -> i.creationDate() == null ? "1970" : i.creationDate()).reversed());
        return ContextFile.JSON.getNodeFactory().textNode(images.get(0).imageId());
    }

    static JsonNode securityGroup(Query q, AwsClients aws) {
        String id = q.text("securityGroupId");
        String name = q.text("securityGroupName");
        if (id != null && name != null) {
            throw new LookupFailure("'securityGroupId' and 'securityGroupName' can not be specified both when looking up a security group");
        }
        if (id == null && name == null) {
            throw new LookupFailure("'securityGroupId' or 'securityGroupName' must be specified to look up a security group");
        }
        List<Filter> filters = new ArrayList<>();
        if (q.text("vpcId") != null) {
            filters.add(Filter.builder().name("vpc-id").values(q.text("vpcId")).build());
        }
        if (name != null) {
            filters.add(Filter.builder().name("group-name").values(name).build());
        }
        List<SecurityGroup> groups = aws.ec2(q).describeSecurityGroups(b -> {
            if (id != null) {
                b.groupIds(id);
            }
            if (!filters.isEmpty()) {
                b.filters(filters);
            }
        }).securityGroups();
        if (groups.isEmpty()) {
            throw new LookupFailure("No security groups found matching " + q.json());
        }
        if (groups.size() > 1) {
            throw new LookupFailure("More than one security groups found matching " + q.json());
        }
        ObjectNode out = ContextFile.JSON.createObjectNode();
        out.put("securityGroupId", groups.get(0).groupId());
        out.put("allowAllOutbound", allTrafficEgress(groups.get(0).ipPermissionsEgress()));
        return out;
    }

    /** All protocols to 0.0.0.0/0 and to ::/0: only then does the CDK treat the group as allowing all outbound. */
    static boolean allTrafficEgress(List<IpPermission> egress) {
        boolean v4 = false;
        boolean v6 = false;
        for (IpPermission p : egress) {
            if ("-1".equals(p.ipProtocol())) {
                v4 |= p.ipRanges().stream().anyMatch(r -> "0.0.0.0/0".equals(r.cidrIp()));
                v6 |= p.ipv6Ranges().stream().anyMatch(r -> "::/0".equals(r.cidrIpv6()));
            }
        }
        return v4 && v6;
    }

    static JsonNode key(Query q, AwsClients aws) {
        String alias = q.text("aliasName");
        var kms = aws.kms(q);
        String marker = null;
        AliasListEntry found = null;
        do {
            String m = marker;
            ListAliasesResponse r = kms.listAliases(b -> b.marker(m));
            for (AliasListEntry a : r.aliases()) {
                if (a.aliasName().equals(alias)) {
                    found = a;
                    break;
                }
            }
            marker = found == null && Boolean.TRUE.equals(r.truncated()) ? r.nextMarker() : null;
        } while (marker != null);
        String keyId;
        if (found != null) {
            keyId = found.targetKeyId();
        } else if (q.flag("ignoreErrorOnMissingContext") && q.props().path("dummyValue").has("keyId")) {
            keyId = q.props().path("dummyValue").path("keyId").asText();
        } else {
            throw new LookupFailure("Could not find any key with alias named " + alias);
        }
        if (keyId == null) {
            throw new LookupFailure("Could not find any key with alias named " + alias);
        }
        ObjectNode out = ContextFile.JSON.createObjectNode();
        out.put("keyId", keyId);
        return out;
    }

    static Set<String> names() {
        return ALL.keySet();
    }
}
