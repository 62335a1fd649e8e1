package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.Ids;
import dev.livestack.localcloud.core.ports.ResourceProvider;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The record of a resource type local-cloud neither runs nor models by hand: its Ref and every attribute its schema
 * documents, each shaped as the service shapes it (EC2 ids, Cognito pool ids, ARNs from the schema's ARN template,
 * CloudFormation's generated names), so templates that read them deploy and their outputs look right. Nothing runs.
 */
final class SchemaRecords {
    private static final Pattern VAR = Pattern.compile("\\$\\{([^}]+)}");
    private static final Pattern ID_SUFFIX = Pattern.compile("(Id|ID|Ids|Identifier)$");

    /** Ports a database answers on by default, by engine prefix. */
    private static final Map<String, String> PORTS = Map.of("mysql", "3306", "aurora", "3306", "mariadb", "3306",
            "postgres", "5432", "aurora-postgresql", "5432", "oracle", "1521", "sqlserver", "1433", "redis", "6379",
            "valkey", "6379", "memcached", "11211");

    private final String region;
    private final String account;
    private final java.util.function.Supplier<ResourceTypes> data;
    private ResourceTypes types;

    /** @param types the schema data, read on first use (it takes a moment to load) */
    SchemaRecords(String region, String account, java.util.function.Supplier<ResourceTypes> types) {
        this.region = region;
        this.account = account;
        this.data = types;
    }

    /**
     * The record of a new resource, or null when the type has no schema.
     *
     * @param known values already decided (attributes a hand-written model gives), which the rest is made to agree with
     * @param knownRef the Ref a hand-written model gives, or null
     */
    ResourceProvider.Provisioned create(String type, String stackName, String logicalId, ObjectNode properties,
                                        Map<String, Object> known, String knownRef) {
        if (types == null) {
            types = data.get();
        }
        ResourceTypes.Spec spec = types.spec(type);
        if (spec == null) {
            return null;
        }
        Values v = new Values(spec, stackName, logicalId, properties);
        List<String> own = spec.identifier().stream().filter(n -> !v.given(n)).toList();
        known.forEach((k, val) -> {
            if (val instanceof String text) {
                v.made.put(k, text);
            }
        });
        if (knownRef != null && own.size() == 1) {
            v.made.putIfAbsent(own.get(0), knownRef);
        }
        String ref = knownRef != null ? knownRef : own.size() == 1 ? v.text(own.get(0))
                : spec.identifier().isEmpty() ? v.ownId() : v.text(spec.identifier().get(0));
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (var a : spec.attributes().entrySet()) {
            attributes.put(a.getKey(), plain(v.attribute(a.getKey(), a.getValue())));
        }
        return new ResourceProvider.Provisioned(ref, attributes);
    }

    /** An in-place update: the same resource, its attributes that mirror a property following the new value. */
    ResourceProvider.Provisioned update(String type, String physicalId, Map<String, Object> old, ObjectNode properties) {
        Map<String, Object> attributes = new LinkedHashMap<>(old);
        for (String name : old.keySet()) {
            if (properties.has(name)) {
                attributes.put(name, plain(properties.get(name)));
            }
        }
        return new ResourceProvider.Provisioned(physicalId, attributes);
    }

    /** One resource's values, each made once, so Ref, the ARN and every attribute agree. */
    private final class Values {
        private final ResourceTypes.Spec spec;
        private final String stackName;
        private final String logicalId;
        private final ObjectNode props;
        private final Map<String, String> made = new HashMap<>();
        private final String resource;
        private String ownId;
        private String ownName;
        private String arn;

        Values(ResourceTypes.Spec spec, String stackName, String logicalId, ObjectNode props) {
            this.spec = spec;
            this.stackName = stackName;
            this.logicalId = logicalId;
            this.props = props;
            this.resource = spec.resourceName().toLowerCase(Locale.ROOT);
        }

        boolean given(String property) {
            JsonNode n = props.get(property);
            return n != null && n.isValueNode() && !n.isNull();
        }

        JsonNode attribute(String name, String kind) {
            JsonNode p = props.get(name);
            if (p != null && !p.isNull()) {
                return p;
            }
            String leaf = name.substring(name.lastIndexOf('.') + 1);
            return switch (kind.charAt(0)) {
                case 'e' -> Template.NODES.textNode(kind.substring(2));
                case 'i', 'n' -> leaf.endsWith("Port") ? Template.NODES.numberNode(Integer.parseInt(port()))
                        : Template.NODES.numberNode(leaf.contains("Version") || leaf.contains("Number") ? 1 : 0);
                case 'b' -> Template.NODES.booleanNode(false);
                case 'a' -> {
                    ArrayNode a = Template.NODES.arrayNode();
                    String one = leaf.endsWith("ies") ? leaf.substring(0, leaf.length() - 3) + "y"
                            : leaf.endsWith("s") ? leaf.substring(0, leaf.length() - 1) : leaf;
                    a.add(text(name.substring(0, name.length() - leaf.length()) + one));
                    yield a;
                }
                case 'o' -> object(name);
                default -> Template.NODES.textNode(text(name));
            };
        }

        /** An object attribute: its documented sub-attributes (e.g. Endpoint of Endpoint.Address and Endpoint.Port). */
        private ObjectNode object(String name) {
            ObjectNode o = Template.NODES.objectNode();
            for (var a : spec.attributes().entrySet()) {
                String child = a.getKey();
                if (child.startsWith(name + ".") && child.indexOf('.', name.length() + 1) < 0) {
                    o.set(child.substring(name.length() + 1), attribute(child, a.getValue()));
                }
            }
            return o;
        }

        String text(String name) {
            if (given(name)) {
                return props.get(name).asText();
            }
            String v = made.get(name);
            if (v == null) {
                v = make(name);
                made.put(name, v);
            }
            return v;
        }

        private String make(String name) {
            String leaf = name.substring(name.lastIndexOf('.') + 1);
            String lower = leaf.toLowerCase(Locale.ROOT);
            switch (leaf) {
                case "Partition" -> {
                    return "aws";
                }
                case "Region" -> {
                    return region;
                }
                case "Account", "AccountId", "OwnerId" -> {
                    return account;
                }
                default -> {
                    // the shapes below
                }
            }
            String ec2 = ServiceIds.EC2.get(lower.startsWith("default") ? lower.substring("default".length()) : lower);
            if (ec2 != null && (spec.namespace().equals("EC2") || lower.startsWith("default"))) {
                return ec2 + "-" + ServiceIds.hex(17);  // DefaultSecurityGroup, DefaultNetworkAcl
            }
            if (spec.type().equals("AWS::Cognito::UserPool") && (leaf.equals("ProviderName") || leaf.equals("ProviderURL"))) {
                String provider = "cognito-idp." + region + ".amazonaws.com/" + ownId();
                return leaf.equals("ProviderName") ? provider : "https://" + provider;
            }
            if (lower.endsWith("arn")) {
                return isOwn(leaf, leaf.substring(leaf.length() - 3)) ? arn() : foreignArn(leaf.substring(0, leaf.length() - 3));
            }
            if (lower.contains("dns") || lower.endsWith("address") || lower.endsWith("endpoint") || lower.endsWith("domain")
                    || lower.endsWith("domainname") || lower.endsWith("host") || lower.endsWith("hostname")) {
                return host();
            }
            if (lower.endsWith("url") || lower.endsWith("uri")) {
                return "https://" + host() + "/";
            }
            if (lower.endsWith("name")) {
                return isOwn(leaf, leaf.substring(leaf.length() - 4)) ? ownName() : Ids.generatedName(stackName, logicalId, 64);
            }
            if (lower.endsWith("identifier") && namedIdentifiers()) {
                return isOwn(leaf, leaf.substring(leaf.length() - 10)) ? ownName() : Ids.generatedName(stackName, logicalId, 63)
                        .toLowerCase(Locale.ROOT);
            }
            if (lower.endsWith("availabilityzoneid")) {
                String[] r = region.split("-");
                return r[0] + (r.length > 2 ? r[1].charAt(0) + r[2] : "") + "-az1";
            }
            if (lower.endsWith("id") || lower.endsWith("identifier")) {
                return isOwn(leaf, leaf.substring(leaf.length() - (lower.endsWith("id") ? 2 : 10))) ? ownId() : foreignId(leaf);
            }
            if (lower.endsWith("ids")) {
                return foreignId(leaf.substring(0, leaf.length() - 1));
            }
            if (lower.contains("ipv6cidr")) {
                return "2600:1f18:" + ServiceIds.hex(4) + ":" + ServiceIds.hex(2) + "00::/56";
            }
            if (lower.contains("cidr")) {
                return props.path("CidrBlock").asText("10.0.0.0/16");
            }
            if (lower.endsWith("availabilityzone")) {
                return region + "a";
            }
            if (lower.endsWith("ip") || lower.endsWith("ipaddress")) {
                return lower.contains("private") ? "10.0." + ServiceIds.random().nextInt(256) + "." + (1 + ServiceIds.random().nextInt(254))
                        : "203.0.113." + (1 + ServiceIds.random().nextInt(254));
            }
            if (lower.endsWith("port")) {
                return port();
            }
            if (lower.endsWith("time") || lower.endsWith("date") || lower.endsWith("timestamp") || lower.endsWith("edat") || lower.endsWith("esat")
                    || lower.endsWith("till")) {
                return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            }
            if (lower.endsWith("version")) {
                return "1";
            }
            if (lower.endsWith("status") || lower.endsWith("state")) {
                return "ACTIVE";
            }
            if (lower.endsWith("secret") || lower.endsWith("token")) {
                return ServiceIds.lower(52);
            }
            return ServiceIds.lower(16);
        }

        /**
         * Whether a name is this resource's own id, name or ARN: the bare suffix, a primary identifier, a variable
         * of the ARN template, or the type's name cut at a word ({@code GroupId} of a SecurityGroup).
         */
        private boolean isOwn(String leaf, String suffix) {
            String stem = leaf.substring(0, leaf.length() - suffix.length());
            if (stem.isEmpty() || spec.identifier().stream().anyMatch(leaf::equalsIgnoreCase)) {
                return true;
            }
            if (spec.arnTemplate() != null && !suffix.equalsIgnoreCase("arn")) {
                Matcher m = VAR.matcher(spec.arnTemplate());
                while (m.find()) {
                    if (m.group(1).equalsIgnoreCase(leaf)) {
                        return true;
                    }
                }
            }
            return endsAtWord(spec.resourceName(), stem);
        }

        String ownId() {
            if (ownId == null) {
                ownId = ServiceIds.idFor(region, spec.namespace(), resource);
            }
            return ownId;
        }

        /** The name given in the template ({@code ClusterName}, {@code ClientName}, …) or one CloudFormation generates. */
        String ownName() {
            if (ownName == null) {
                for (String p : spec.properties()) {
                    String suffix = p.endsWith("Name") ? "Name" : p.endsWith("Identifier") && namedIdentifiers() ? "Identifier" : null;
                    if (suffix != null && given(p) && (spec.identifier().contains(p)
                            || endsAtWord(spec.resourceName(), p.substring(0, p.length() - suffix.length())))) {
                        ownName = props.get(p).asText();
                        return ownName;
                    }
                }
                ownName = Ids.generatedName(stackName, logicalId, 64);
                if (namedIdentifiers()) {
                    ownName = ownName.toLowerCase(Locale.ROOT);
                }
            }
            return ownName;
        }

        /** Services whose identifiers are lower-case names ({@code DBInstanceIdentifier}). */
        private boolean namedIdentifiers() {
            return List.of("RDS", "DocDB", "Neptune", "ElastiCache", "Redshift", "DMS", "MemoryDB").contains(spec.namespace());
        }

        private String arn() {
            if (arn == null) {
                if (spec.arnTemplate() != null) {
                    Matcher m = VAR.matcher(spec.arnTemplate());
                    StringBuilder b = new StringBuilder();
                    while (m.find()) {
                        String var = m.group(1);
                        String value = var.toLowerCase(Locale.ROOT).endsWith("arn") ? foreignArn(var.substring(0, var.length() - 3))
                                : var.toLowerCase(Locale.ROOT).endsWith("name") && !given(var) ? ownName() : text(var);
                        m.appendReplacement(b, Matcher.quoteReplacement(value));
                    }
                    m.appendTail(b);
                    arn = b.toString();
                } else {
                    boolean named = spec.identifier().stream().noneMatch(i -> i.toLowerCase(Locale.ROOT).endsWith("id"));
                    String lb = props.path("Type").asText("application").equals("network") ? "net/" : "app/";
                    String tail = switch (spec.type()) {
                        case "AWS::ECS::TaskDefinition" -> "task-definition/" + props.path("Family").asText(ownName()) + ":1";
                        case "AWS::ElasticLoadBalancingV2::LoadBalancer" -> "loadbalancer/" + lb + ownName() + "/" + ServiceIds.hex(16);
                        case "AWS::ElasticLoadBalancingV2::TargetGroup" -> "targetgroup/" + ownName() + "/" + ServiceIds.hex(16);
                        case "AWS::ElasticLoadBalancingV2::Listener" -> "listener/app/" + ownName() + "/" + ServiceIds.hex(16) + "/"
                                + ServiceIds.hex(16);
                        default -> kebab(spec.resourceName()) + "/" + (named ? ownName() : ownId());
                    };
                    arn = "arn:aws:" + types.arnService(spec.namespace()) + ":" + region + ":" + account + ":" + tail;
                }
            }
            return arn;
        }

        /** An ARN of something else the resource names (a secret, a role, a log group, …). */
        private String foreignArn(String what) {
            String w = what.toLowerCase(Locale.ROOT);
            String id = ServiceIds.lower(10);
            String prefix = "arn:aws:";
            if (w.endsWith("secret")) {
                return prefix + "secretsmanager:" + region + ":" + account + ":secret:" + Ids.generatedName(stackName, logicalId, 64)
                        + "-" + ServiceIds.lower(6);
            }
            if (w.endsWith("role")) {
                return prefix + "iam::" + account + ":role/" + Ids.generatedName(stackName, logicalId, 64);
            }
            if (w.endsWith("topic")) {
                return prefix + "sns:" + region + ":" + account + ":" + Ids.generatedName(stackName, logicalId, 256);
            }
            if (w.endsWith("key")) {
                return prefix + "kms:" + region + ":" + account + ":key/" + UUID.randomUUID();
            }
            if (w.endsWith("loggroup")) {
                return prefix + "logs:" + region + ":" + account + ":log-group:" + Ids.generatedName(stackName, logicalId, 512) + ":*";
            }
            String thing = what.isEmpty() ? kebab(spec.resourceName()) : kebab(what);
            return prefix + types.arnService(spec.namespace()) + ":" + region + ":" + account + ":" + thing + "/" + id;
        }

        private String foreignId(String leaf) {
            String stem = ID_SUFFIX.matcher(leaf).replaceFirst("");
            stem = stem.startsWith("Default") ? stem.substring("Default".length()) : stem;
            String s = stem.toLowerCase(Locale.ROOT);
            if (s.endsWith("hostedzone")) {
                return "Z" + ServiceIds.upper(13);
            }
            for (int i = 0; i < s.length(); i++) {
                String prefix = ServiceIds.EC2.get(s.substring(i));
                if (prefix != null) {
                    return prefix + "-" + ServiceIds.hex(17);
                }
            }
            return ServiceIds.idFor(region, spec.namespace(), s);
        }

        private String host() {
            String service = types.arnService(spec.namespace());
            return ownName().toLowerCase(Locale.ROOT) + "." + ServiceIds.lower(12) + "." + region + "." + service + ".amazonaws.com";
        }

        private String port() {
            if (given("Port")) {
                return props.get("Port").asText();
            }
            String engine = props.path("Engine").asText("").toLowerCase(Locale.ROOT);
            return PORTS.entrySet().stream().filter(e -> engine.startsWith(e.getKey()))
                    .max(Map.Entry.comparingByKey(java.util.Comparator.comparingInt(String::length)))
                    .map(Map.Entry::getValue).orElse("443");
        }
    }

    /** A JSON value as the attribute map holds it: text, number, boolean, or lists and maps of them. */
    private static Object plain(JsonNode n) {
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isNumber()) {
            return n.numberValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        return Http.JSON.convertValue(n, Object.class);
    }

    /** Whether {@code name} ends with {@code stem} where a word of it starts ({@code Group} of {@code SecurityGroup}). */
    static boolean endsAtWord(String name, String stem) {
        if (stem.isEmpty()) {
            return true;
        }
        if (stem.length() > name.length() || !name.toLowerCase(Locale.ROOT).endsWith(stem.toLowerCase(Locale.ROOT))) {
            return false;
        }
        int cut = name.length() - stem.length();
        return cut == 0 || Character.isUpperCase(name.charAt(cut)) && Character.isUpperCase(stem.charAt(0));
    }

    /** {@code TaskDefinition} → {@code task-definition}, {@code DBInstance} → {@code db-instance}. */
    static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").replaceAll("([A-Z]+)([A-Z][a-z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
