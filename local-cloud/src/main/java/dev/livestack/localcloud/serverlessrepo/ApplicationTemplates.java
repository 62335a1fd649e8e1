package dev.livestack.localcloud.serverlessrepo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.cfntemplate.ParsedTemplate;
import dev.livestack.cfntemplate.TemplateFormatException;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.Http;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the repository reads from an application version's template when it is published: the parameter definitions
 * (with the resources that reference each) and the capabilities a deployment must acknowledge.
 */
final class ApplicationTemplates {
    private static final Set<String> IAM = Set.of("AWS::IAM::Group", "AWS::IAM::InstanceProfile", "AWS::IAM::Policy",
            "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::ManagedPolicy");
    private static final Set<String> RESOURCE_POLICY = Set.of("AWS::Lambda::Permission", "AWS::IAM::Policy",
            "AWS::ApplicationAutoScaling::ScalingPolicy", "AWS::S3::BucketPolicy", "AWS::SQS::QueuePolicy",
            "AWS::SNS::TopicPolicy");
    private static final java.util.Map<String, String> IAM_NAMES = java.util.Map.of("AWS::IAM::Role", "RoleName",
            "AWS::IAM::User", "UserName", "AWS::IAM::Group", "GroupName", "AWS::IAM::InstanceProfile",
            "InstanceProfileName", "AWS::IAM::ManagedPolicy", "ManagedPolicyName");

    private ApplicationTemplates() {
    }

    /** The template's root; a template that does not parse is the caller's BadRequestException. */
    static ObjectNode parse(String body) {
        try {
            ObjectNode root = ParsedTemplate.parse(body).root();
            if (!root.path("Resources").isObject() || root.path("Resources").isEmpty()) {
                throw bad("The template must contain at least one resource in its Resources section.");
            }
            return root;
        } catch (TemplateFormatException e) {
            throw bad("Template is not a valid AWS SAM or CloudFormation template: " + e.getMessage());
        }
    }

    static AwsException bad(String message) {
        return new AwsException(400, "BadRequestException", message);
    }

    /** SAR's ParameterDefinition list, as its wire format names the members. */
    static ArrayNode parameterDefinitions(ObjectNode root) {
        ArrayNode out = Http.JSON.createArrayNode();
        root.path("Parameters").fields().forEachRemaining(e -> {
            JsonNode p = e.getValue();
            ObjectNode d = out.addObject();
            d.put("name", e.getKey());
            copyText(p, "Type", d, "type");
            copyText(p, "Default", d, "defaultValue");
            copyText(p, "Description", d, "description");
            copyText(p, "AllowedPattern", d, "allowedPattern");
            copyText(p, "ConstraintDescription", d, "constraintDescription");
            copyInt(p, "MaxLength", d, "maxLength");
            copyInt(p, "MinLength", d, "minLength");
            copyInt(p, "MaxValue", d, "maxValue");
            copyInt(p, "MinValue", d, "minValue");
            if (p.has("NoEcho")) {
                d.put("noEcho", p.get("NoEcho").asBoolean() || "true".equalsIgnoreCase(p.get("NoEcho").asText()));
            }
            if (p.path("AllowedValues").isArray()) {
                ArrayNode allowed = d.putArray("allowedValues");
                p.get("AllowedValues").forEach(v -> allowed.add(v.asText()));
            }
            ArrayNode referenced = d.putArray("referencedByResources");
            root.path("Resources").fields().forEachRemaining(r -> {
                if (references(r.getValue().get("Properties"), e.getKey())) {
                    referenced.add(r.getKey());
                }
            });
        });
        return out;
    }

    /** The capabilities a deployment of the template acknowledges, in SAR's order. */
    static ArrayNode requiredCapabilities(ObjectNode root) {
        Set<String> caps = new LinkedHashSet<>();
        boolean named = false;
        boolean iam = false;
        boolean policy = false;
        boolean nested = false;
        var resources = root.path("Resources").fields();
        while (resources.hasNext()) {
            var r = resources.next();
            String type = r.getValue().path("Type").asText();
            if (IAM.contains(type)) {
                iam = true;
                String nameProperty = IAM_NAMES.get(type);
                named |= nameProperty != null && r.getValue().path("Properties").has(nameProperty);
            }
            policy |= RESOURCE_POLICY.contains(type);
            nested |= type.equals("AWS::Serverless::Application");
        }
        if (iam) {
            caps.add(named ? "CAPABILITY_NAMED_IAM" : "CAPABILITY_IAM");
        }
        if (policy) {
            caps.add("CAPABILITY_RESOURCE_POLICY");
        }
        if (nested) {
            caps.add("CAPABILITY_AUTO_EXPAND");
        }
        ArrayNode out = Http.JSON.createArrayNode();
        caps.forEach(out::add);
        return out;
    }

    private static boolean references(JsonNode node, String name) {
        if (node == null) {
            return false;
        }
        if (node.isObject()) {
            if (node.size() == 1 && node.path("Ref").isTextual()) {
                return node.get("Ref").asText().equals(name);
            }
            if (node.size() == 1 && node.has("Fn::Sub")) {
                JsonNode s = node.get("Fn::Sub");
                String text = s.isTextual() ? s.asText() : s.path(0).asText();
                if (text.contains("${" + name + "}")) {
                    return true;
                }
            }
        }
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                if (references(child, name)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void copyText(JsonNode from, String key, ObjectNode to, String as) {
        if (from.hasNonNull(key)) {
            JsonNode v = from.get(key);
            to.put(as, v.isArray() ? join(v) : v.asText());
        }
    }

    private static void copyInt(JsonNode from, String key, ObjectNode to, String as) {
        if (from.hasNonNull(key)) {
            to.put(as, from.get(key).asInt());
        }
    }

    private static String join(JsonNode array) {
        StringBuilder b = new StringBuilder();
        array.forEach(v -> b.append(b.length() == 0 ? "" : ",").append(v.asText()));
        return b.toString();
    }
}
