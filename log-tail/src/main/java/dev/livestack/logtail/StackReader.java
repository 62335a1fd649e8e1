package dev.livestack.logtail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.GetTemplateRequest;
import software.amazon.awssdk.services.cloudformation.model.ListStackResourcesRequest;
import software.amazon.awssdk.services.cloudformation.model.ListStackResourcesResponse;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import software.amazon.awssdk.services.cloudformation.model.TemplateStage;

/** Reads deployed stacks into actions: physical ids from CloudFormation, construct paths and log groups from the template. */
final class StackReader {
    static final String FUNCTION = "AWS::Lambda::Function";
    static final String LOG_GROUP = "AWS::Logs::LogGroup";
    static final String NESTED_STACK = "AWS::CloudFormation::Stack";
    /** CloudFormation's own limit on nesting is far below this; it only guards against a cycle. */
    private static final int MAX_NESTING = 8;
    private static final Pattern STACK_ARN = Pattern.compile("arn:[^:]+:cloudformation:[^:]*:[^:]*:stack/([^/]+)/.+");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern SUB_VAR = Pattern.compile("\\$\\{([^}!]+)}");

    private StackReader() {
    }

    static ActionResolver read(CloudFormationClient cfn, List<String> stackNames) {
        Objects.requireNonNull(cfn, "cfn");
        Objects.requireNonNull(stackNames, "stackNames");
        List<Action> actions = new ArrayList<>();
        for (String stack : stackNames) {
            read(cfn, stack, actions, 0);
        }
        return new ActionIndex(actions);
    }

    /**
     * One stack's actions, then its nested stacks' (the CDK CLI's hot-swap and logs reach functions in a
     * {@code NestedStack} too): an {@code AWS::CloudFormation::Stack} resource's physical id is the nested stack's ARN,
     * and its functions' actions name the nested stack.
     */
    private static void read(CloudFormationClient cfn, String stack, List<Action> actions, int depth) {
        Map<String, Resource> resources = resources(cfn, stack);
        if (resources.isEmpty()) {
            // Nothing created yet (a stack under review has no template either).
            return;
        }
        String body = cfn.getTemplate(GetTemplateRequest.builder().stackName(stack)
                .templateStage(TemplateStage.ORIGINAL).build()).templateBody();
        actions.addAll(actions(stack, body == null || body.isBlank() ? null : parse(body), resources));
        if (depth >= MAX_NESTING) {
            return;
        }
        for (Resource r : resources.values()) {
            String nested = NESTED_STACK.equals(r.type()) ? nestedStackName(r.physicalId()) : null;
            if (nested != null) {
                read(cfn, nested, actions, depth + 1);
            }
        }
    }

    /** The name in a nested stack's ARN ({@code arn:…:cloudformation:region:account:stack/NAME/uuid}), or {@code null}. */
    static String nestedStackName(String physicalId) {
        Matcher m = STACK_ARN.matcher(physicalId == null ? "" : physicalId);
        return m.matches() ? m.group(1) : null;
    }

    /** A created resource of a stack: its type and physical id. */
    record Resource(String type, String physicalId) {
    }

    /** The stack's created resources, in the order CloudFormation lists them. */
    private static Map<String, Resource> resources(CloudFormationClient cfn, String stack) {
        Map<String, Resource> ids = new LinkedHashMap<>();
        String token = null;
        do {
            ListStackResourcesResponse page = cfn.listStackResources(
                    ListStackResourcesRequest.builder().stackName(stack).nextToken(token).build());
            for (StackResourceSummary r : page.stackResourceSummaries()) {
                if (r.physicalResourceId() != null && !r.physicalResourceId().isBlank()) {
                    ids.put(r.logicalResourceId(), new Resource(r.resourceType(), r.physicalResourceId()));
                }
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return ids;
    }

    static JsonNode parse(String body) {
        try {
            return body.stripLeading().startsWith("{") ? JSON.readTree(body) : YAML.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the deployed template: " + e.getMessage(), e);
        }
    }

    /**
     * Pure part: one stack's created resources and its template give its actions, in template order (then
     * any resource the template does not list, in CloudFormation's order).
     *
     * @param template the deployed template, or {@code null} when there is none (no paths, default log groups)
     */
    static List<Action> actions(String stack, JsonNode template, Map<String, Resource> resources) {
        Map<String, String> physical = new HashMap<>();
        resources.forEach((id, r) -> physical.put(id, r.physicalId()));
        List<String> order = new ArrayList<>();
        JsonNode declared = template == null ? null : template.path("Resources");
        if (declared != null) {
            declared.fieldNames().forEachRemaining(order::add);
        }
        for (String id : resources.keySet()) {
            if (!order.contains(id)) {
                order.add(id);
            }
        }
        List<Action> actions = new ArrayList<>();
        for (String logicalId : order) {
            Resource created = resources.get(logicalId);
            JsonNode resource = declared == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                    : declared.path(logicalId);
            String type = created != null && created.type() != null ? created.type() : resource.path("Type").asText();
            if (created == null || !(FUNCTION.equals(type) || LOG_GROUP.equals(type))) {
                continue;
            }
            String id = created.physicalId();
            String path = constructPath(resource);
            if (FUNCTION.equals(type)) {
                JsonNode configured = resource.path("Properties").path("LoggingConfig").path("LogGroup");
                String group = configured.isMissingNode() || configured.isNull()
                        ? null : resolve(configured, stack, physical);
                actions.add(new Action(stack, logicalId, path, id, group != null ? group : "/aws/lambda/" + id));
            } else {
                actions.add(new Action(stack, logicalId, path, id, id));
            }
        }
        return actions;
    }

    private static String constructPath(JsonNode resource) {
        String path = resource.path("Metadata").path("aws:cdk:path").asText(null);
        if (path == null || path.isBlank()) {
            return null;
        }
        return path.endsWith("/Resource") ? path.substring(0, path.length() - "/Resource".length()) : path;
    }

    /** Resolves the intrinsics a log group name is usually written with; {@code null} when it cannot. */
    static String resolve(JsonNode value, String stack, Map<String, String> physical) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (!value.isObject() || value.size() != 1) {
            return null;
        }
        if (value.has("Ref")) {
            return ref(value.get("Ref").asText(), stack, physical);
        }
        if (value.has("Fn::Join")) {
            JsonNode args = value.get("Fn::Join");
            if (!args.isArray() || args.size() != 2 || !args.get(1).isArray()) {
                return null;
            }
            List<String> parts = new ArrayList<>();
            for (JsonNode part : args.get(1)) {
                String p = resolve(part, stack, physical);
                if (p == null) {
                    return null;
                }
                parts.add(p);
            }
            return String.join(args.get(0).asText(), parts);
        }
        if (value.has("Fn::Sub") && value.get("Fn::Sub").isTextual()) {
            Matcher m = SUB_VAR.matcher(value.get("Fn::Sub").asText());
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String r = ref(m.group(1).strip(), stack, physical);
                if (r == null) {
                    return null;
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(r));
            }
            m.appendTail(sb);
            return sb.toString();
        }
        return null;
    }

    private static String ref(String name, String stack, Map<String, String> physical) {
        if ("AWS::StackName".equals(name)) {
            return stack;
        }
        return physical.get(name);
    }
}
