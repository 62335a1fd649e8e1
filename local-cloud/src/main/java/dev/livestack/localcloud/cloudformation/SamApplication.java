package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.ports.ApplicationRepository;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code AWS::Serverless::Application} → an {@code AWS::CloudFormation::Stack} of the same logical id. A Location
 * that is a URL is the nested stack's TemplateURL; a Location of ApplicationId and SemanticVersion (Ref to parameters
 * and Fn::FindInMap resolved, as SAM resolves them) is looked up in the Serverless Application Repository, whose
 * template URL the stack gets, and the stack is tagged with the application's id and version.
 */
final class SamApplication {
    static final String TYPE = "AWS::Serverless::Application";
    static final String APP_TAG = "serverlessrepo:applicationId";
    static final String VERSION_TAG = "serverlessrepo:semanticVersion";
    private static final Set<String> PROPERTIES = Set.of("Location", "Parameters", "NotificationARNs", "Tags",
            "TimeoutInMinutes");

    private final SamContext sam;
    private final ApplicationRepository repository;

    SamApplication(SamContext sam, ApplicationRepository repository) {
        this.sam = sam;
        this.repository = repository;
    }

    Map<String, JsonNode> expand(String id, ObjectNode resource) {
        ObjectNode props = SamContext.properties(id, resource, TYPE, PROPERTIES);
        JsonNode location = props.get("Location");
        if (location == null) {
            throw new SamContext.Invalid(id, "Resource is missing the required [Location] property.");
        }
        ObjectNode stack = SamContext.generated(NestedStacks.TYPE, resource);
        ObjectNode out = (ObjectNode) stack.get("Properties");
        Map<String, JsonNode> appTags = new LinkedHashMap<>();
        if (location.isObject() && !isIntrinsic(location)) {
            for (String key : new String[] {"ApplicationId", "SemanticVersion"}) {
                if (!location.has(key)) {
                    throw new SamContext.Invalid(id, "Resource is missing the required [" + key + "] property.");
                }
            }
            JsonNode appId = sam.resolve(location.get("ApplicationId"));
            if (!appId.isTextual()) {
                throw new SamContext.Invalid(id, "Property 'ApplicationId' cannot be resolved. Only FindInMap and Ref "
                        + "intrinsic functions are supported.");
            }
            JsonNode semver = sam.resolve(location.get("SemanticVersion"));
            if (semver.isValueNode() && semver.asText().isEmpty()) {
                throw new SamContext.Invalid(id, "Property 'SemanticVersion' cannot be blank.");
            }
            if (!semver.isValueNode()) {
                throw new SamContext.Invalid(id, "Property 'SemanticVersion' cannot be resolved. Only FindInMap and Ref "
                        + "intrinsic functions are supported.");
            }
            String url;
            try {
                url = repository.templateUrl(appId.asText(), semver.asText());
            } catch (AwsException e) {
                throw new SamContext.Invalid(id, e.getMessage());
            }
            out.put("TemplateURL", url);
            appTags.put(APP_TAG, Template.NODES.textNode(appId.asText()));
            appTags.put(VERSION_TAG, Template.NODES.textNode(semver.asText()));
        } else if (location.isTextual() || isIntrinsic(location)) {
            out.set("TemplateURL", location.deepCopy());
        } else {
            throw new SamContext.Invalid(id, "Property 'Location' should be a string or a map.");
        }
        copy(props, "Parameters", out, id, JsonNode::isObject, "a map");
        copy(props, "NotificationARNs", out, id, JsonNode::isArray, "a list");
        JsonNode tags = props.get("Tags");
        if (tags != null && !tags.isObject()) {
            throw new SamContext.Invalid(id, "Property 'Tags' should be a map.");
        }
        out.set("Tags", SamContext.tags(id, tags, appTags));
        copy(props, "TimeoutInMinutes", out, id, v -> v.isIntegralNumber() || isIntrinsic(v), "an integer");
        Map<String, JsonNode> generated = new LinkedHashMap<>();
        generated.put(id, stack);
        return generated;
    }

    private static void copy(ObjectNode from, String key, ObjectNode to, String id,
                             java.util.function.Predicate<JsonNode> ok, String what) {
        JsonNode v = from.get(key);
        if (v == null) {
            return;
        }
        if (!ok.test(v) && !isIntrinsic(v)) {
            throw new SamContext.Invalid(id, "Property '" + key + "' should be " + what + ".");
        }
        to.set(key, v.deepCopy());
    }

    static boolean isIntrinsic(JsonNode v) {
        if (v == null || !v.isObject() || v.size() != 1) {
            return false;
        }
        String key = v.fieldNames().next();
        return key.equals("Ref") || key.equals("Condition") || key.startsWith("Fn::");
    }
}
