package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestack.localcloud.core.Http;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Every resource type CloudFormation knows, from the resource schemas AWS publishes (compiled by the CDK team's
 * {@code @aws-cdk/aws-service-spec}, reduced by {@code local-cloud/scripts/resource-types.py}): what a template may
 * name, and what a type's Ref and Fn::GetAtt return.
 */
final class ResourceTypes {
    private static final String RESOURCE = "/cloudformation/resource-types.json.gz";
    /** Types CloudFormation accepts that have no registry schema. */
    private static final Set<String> SCHEMALESS = Set.of("AWS::CDK::Metadata", "AWS::CloudFormation::CustomResource");

    /**
     * One type's schema, as much of it as local-cloud uses.
     *
     * @param identifier the primary identifier's property names (what Ref is made of)
     * @param arnTemplate e.g. {@code arn:${Partition}:ecs:${Region}:${Account}:cluster/${ClusterName}}, or null
     * @param attributes attribute name to kind: s, i, n, b, a (array), o (object), or {@code e:VALUE} (an enum)
     */
    record Spec(String type, List<String> identifier, String arnTemplate, Map<String, String> attributes,
                Set<String> properties, List<String> required, Set<String> replacing) {
        Spec {
            if (type == null || type.isBlank()) {
                throw new IllegalArgumentException("type must not be blank");
            }
            identifier = List.copyOf(identifier);
            attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
            properties = Set.copyOf(properties);
            required = List.copyOf(required);
            replacing = Set.copyOf(replacing);
        }

        String namespace() {
            int start = type.indexOf("::") + 2;
            return type.substring(start, type.indexOf("::", start));
        }

        String resourceName() {
            return type.substring(type.lastIndexOf("::") + 2);
        }
    }

    private static volatile ResourceTypes instance;

    private final Map<String, Spec> specs;
    private final Map<String, String> arnServices;

    private ResourceTypes(Map<String, Spec> specs, Map<String, String> arnServices) {
        this.specs = specs;
        this.arnServices = arnServices;
    }

    /** The shipped data, read once per JVM (about 1,800 types). */
    static ResourceTypes get() {
        ResourceTypes t = instance;
        if (t == null) {
            synchronized (ResourceTypes.class) {
                if (instance == null) {
                    instance = load();
                }
                t = instance;
            }
        }
        return t;
    }

    private static ResourceTypes load() {
        try (InputStream raw = ResourceTypes.class.getResourceAsStream(RESOURCE)) {
            if (raw == null) {
                throw new IllegalStateException(RESOURCE + " is missing from local-cloud's classpath");
            }
            JsonNode root = Http.JSON.readTree(new GZIPInputStream(raw));
            Map<String, Spec> specs = new LinkedHashMap<>();
            for (var e : Template.iterable(root.path("types"))) {
                JsonNode t = e.getValue();
                Map<String, String> attributes = new LinkedHashMap<>();
                t.path("attrs").fields().forEachRemaining(a -> attributes.put(a.getKey(), a.getValue().asText()));
                specs.put(e.getKey(), new Spec(e.getKey(), texts(t.path("id")),
                        t.path("arn").isTextual() ? t.get("arn").asText() : null, attributes,
                        new LinkedHashSet<>(texts(t.path("props"))), texts(t.path("required")),
                        new LinkedHashSet<>(texts(t.path("replace")))));
            }
            Map<String, String> services = new LinkedHashMap<>();
            root.path("arnServices").fields().forEachRemaining(s -> services.put(s.getKey(), s.getValue().asText()));
            return new ResourceTypes(Map.copyOf(specs), Map.copyOf(services));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Whether CloudFormation accepts a resource of this type in a template. */
    boolean known(String type) {
        return specs.containsKey(type) || SCHEMALESS.contains(type) || type.startsWith("Custom::");
    }

    /** The type's schema, or null (custom resources, {@code AWS::CDK::Metadata}, unknown types). */
    Spec spec(String type) {
        return specs.get(type);
    }

    /** The service name ARNs of a CloudFormation namespace use ({@code ElasticLoadBalancingV2} → elasticloadbalancing). */
    String arnService(String namespace) {
        return arnServices.getOrDefault(namespace, namespace.toLowerCase(java.util.Locale.ROOT));
    }
}
