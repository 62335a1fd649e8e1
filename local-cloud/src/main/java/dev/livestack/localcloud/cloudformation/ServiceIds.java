package dev.livestack.localcloud.cloudformation;

import java.util.Map;
import java.util.UUID;

/** Ids in the shapes AWS services hand out, for {@link SchemaRecords}. */
final class ServiceIds {
    private static final String MIXED_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String HEX = "0123456789abcdef";

    /** EC2 id prefixes, by resource word (lower case): a type's own id and any attribute naming one. */
    static final Map<String, String> EC2 = Map.ofEntries(
            Map.entry("vpc", "vpc"), Map.entry("subnet", "subnet"), Map.entry("securitygroup", "sg"),
            Map.entry("internetgateway", "igw"), Map.entry("routetable", "rtb"), Map.entry("natgateway", "nat"),
            Map.entry("instance", "i"), Map.entry("networkacl", "acl"), Map.entry("networkinterface", "eni"),
            Map.entry("eni", "eni"), Map.entry("volume", "vol"), Map.entry("launchtemplate", "lt"),
            Map.entry("vpcendpoint", "vpce"), Map.entry("vpcendpointservice", "vpce-svc"), Map.entry("transitgateway", "tgw"),
            Map.entry("transitgatewayattachment", "tgw-attach"), Map.entry("transitgatewayvpcattachment", "tgw-attach"),
            Map.entry("transitgatewaypeeringattachment", "tgw-attach"), Map.entry("transitgatewayconnect", "tgw-attach"),
            Map.entry("transitgatewayroutetable", "tgw-rtb"), Map.entry("egressonlyinternetgateway", "eigw"),
            Map.entry("vpngateway", "vgw"), Map.entry("customergateway", "cgw"), Map.entry("vpnconnection", "vpn"),
            Map.entry("dhcpoptions", "dopt"), Map.entry("vpcpeeringconnection", "pcx"), Map.entry("flowlog", "fl"),
            Map.entry("prefixlist", "pl"), Map.entry("subnetroutetableassociation", "rtbassoc"),
            Map.entry("subnetnetworkaclassociation", "aclassoc"), Map.entry("networkaclassociation", "aclassoc"),
            Map.entry("securitygroupingress", "sgr"), Map.entry("securitygroupegress", "sgr"),
            Map.entry("vpccidrblock", "vpc-cidr-assoc"), Map.entry("cidrblockassociation", "vpc-cidr-assoc"),
            Map.entry("subnetcidrblock", "subnet-cidr-assoc"), Map.entry("eip", "eipalloc"), Map.entry("allocation", "eipalloc"),
            Map.entry("eipassociation", "eipassoc"), Map.entry("networkinterfaceattachment", "eni-attach"),
            Map.entry("host", "h"), Map.entry("capacityreservation", "cr"), Map.entry("ec2fleet", "fleet"),
            Map.entry("fleet", "fleet"), Map.entry("spotfleet", "sfr"), Map.entry("keypair", "key"),
            Map.entry("carriergateway", "cagw"), Map.entry("clientvpnendpoint", "cvpn-endpoint"), Map.entry("ipam", "ipam"),
            Map.entry("ipampool", "ipam-pool"), Map.entry("ipamscope", "ipam-scope"), Map.entry("trafficmirrorfilter", "tmf"),
            Map.entry("trafficmirrorsession", "tms"), Map.entry("trafficmirrortarget", "tmt"),
            Map.entry("instanceconnectendpoint", "eice"), Map.entry("image", "ami"), Map.entry("snapshot", "snap"),
            Map.entry("placementgroup", "pg"), Map.entry("localgatewayroutetable", "lgw-rtb"));

    /** An id as the service hands it out, for a resource word (lower case) of a namespace. */
    static String idFor(String region, String namespace, String word) {
        switch (namespace) {
            case "EC2" -> {
                String prefix = EC2.get(word);
                if (prefix != null) {
                    return prefix + "-" + hex(17);
                }
            }
            case "Cognito" -> {
                return switch (word) {
                    case "userpool" -> region + "_" + mixed(9);
                    case "identitypool" -> region + ":" + UUID.randomUUID();
                    default -> lower(26);
                };
            }
            case "ApiGateway" -> {
                return lower(word.equals("restapi") || word.equals("apikey") || word.equals("domainname")
                        || word.equals("vpclink") ? 10 : 6);
            }
            case "ApiGatewayV2" -> {
                return lower(word.equals("api") || word.equals("vpclink") ? 10 : 7);
            }
            case "AppSync" -> {
                return lower(26);
            }
            case "CloudFront" -> {
                return "E" + upper(13);
            }
            case "Route53" -> {
                return word.equals("hostedzone") ? "Z" + upper(21) : UUID.randomUUID().toString();
            }
            default -> {
                // services with UUID ids, the most common shape among registry types
            }
        }
        return UUID.randomUUID().toString();
    }

    /*
     * These values only need AWS's shapes, not secrecy: a record has dozens of them, and SecureRandom reads the
     * kernel for every character.
     */
    static java.util.Random random() {
        return java.util.concurrent.ThreadLocalRandom.current();
    }

    static String pick(String alphabet, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random().nextInt(alphabet.length())));
        }
        return b.toString();
    }

    static String mixed(int length) {
        return pick(MIXED_ALNUM, length);
    }

    static String upper(int length) {
        return pick(UPPER_ALNUM, length);
    }

    static String lower(int length) {
        return pick(LOWER_ALNUM, length);
    }

    static String hex(int digits) {
        return pick(HEX, digits);
    }
}
