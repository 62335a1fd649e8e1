package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.ports.ParameterLookup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything CloudFormation checks synchronously when a template is submitted, before any stack or change set
 * changes: parameters (with SSM-typed values), rules, capabilities and the exports a template imports.
 */
final class SubmissionChecks {
    private final CloudContext context;
    private final StackStore store;
    private final ParameterLookup parameters;

    SubmissionChecks(CloudContext context, StackStore store, ParameterLookup parameters) {
        this.context = context;
        this.store = store;
        this.parameters = parameters;
    }

    private static final Set<String> IAM_TYPES = Set.of("AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy",
            "AWS::IAM::User", "AWS::IAM::Group", "AWS::IAM::AccessKey", "AWS::IAM::InstanceProfile",
            "AWS::IAM::UserToGroupAddition");

    private static final Map<String, String> IAM_NAMES = Map.of("AWS::IAM::Role", "RoleName", "AWS::IAM::ManagedPolicy",
            "ManagedPolicyName", "AWS::IAM::User", "UserName", "AWS::IAM::Group", "GroupName",
            "AWS::IAM::InstanceProfile", "InstanceProfileName");

    /**
     * Everything CloudFormation checks synchronously when a template is submitted: the template, the
     * parameters (defaults, allowed values, SSM-typed values, previous values), the rules, the
     * capabilities, and the exports it imports.
     */
    /** Where SSM-typed parameters and {@code {{resolve:ssm:…}}} references are read. */
    ParameterLookup parameterStore() {
        return parameters;
    }

    Prepared prepare(Template template, List<Map<String, String>> given, StackRecord previous, List<String> capabilities,
                     String stackName) {
        template.validate();
        ObjectNode declared = template.parameters();
        Map<String, Map<String, String>> byKey = new LinkedHashMap<>();
        for (Map<String, String> p : given) {
            String key = p.get("ParameterKey");
            if (key == null) {
                continue;
            }
            byKey.put(key, p);
        }
        List<String> unknown = byKey.keySet().stream().filter(k -> !declared.has(k)).toList();
        if (!unknown.isEmpty()) {
            throw AwsException.validation("Parameters: " + unknown + " do not exist in the template");
        }
        List<StackRecord.Param> params = new ArrayList<>();
        Map<String, JsonNode> values = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        List<String> ssmMissing = new ArrayList<>();
        for (var e : Template.iterable(declared)) {
            String key = e.getKey();
            JsonNode decl = e.getValue();
            String type = decl.path("Type").asText();
            Map<String, String> g = byKey.get(key);
            String value;
            if (g != null && "true".equalsIgnoreCase(g.get("UsePreviousValue"))) {
                StackRecord.Param prev = previous == null ? null
                        : previous.parameters.stream().filter(p -> p.key.equals(key)).findFirst().orElse(null);
                if (prev == null) {
                    throw AwsException.validation("Invalid input for parameter key " + key + ". Cannot specify usePreviousValue as true for a parameter key not in the previous template");
                }
                value = prev.value;
            } else if (g != null && g.containsKey("ParameterValue")) {
                value = g.get("ParameterValue");
            } else if (decl.has("Default")) {
                JsonNode d = decl.get("Default");
                value = d.isArray() ? join(d) : d.asText();
            } else {
                missing.add(key);
                continue;
            }
            checkParameter(key, decl, type, value);
            String resolved = null;
            JsonNode envValue;
            if (type.startsWith("AWS::SSM::Parameter::Value<")) {
                resolved = parameters.value(value);
                if (resolved == null) {
                    ssmMissing.add(value);
                    continue;
                }
                envValue = type.contains("List<") || type.contains("CommaDelimitedList") ? list(resolved)
                        : Template.NODES.textNode(resolved);
            } else if (type.startsWith("List<") || type.equals("CommaDelimitedList")) {
                envValue = list(value);
            } else {
                envValue = Template.NODES.textNode(value);
            }
            values.put(key, envValue);
            params.add(new StackRecord.Param(key, value, resolved, decl.path("NoEcho").asBoolean(false)
                    || "true".equalsIgnoreCase(decl.path("NoEcho").asText()), type));
        }
        if (!missing.isEmpty()) {
            throw AwsException.validation("Parameters: " + missing + " must have values");
        }
        if (!ssmMissing.isEmpty()) {
            throw AwsException.validation("Unable to fetch parameters " + ssmMissing + " from parameter store for this account.");
        }
        Set<String> unresolvable = new LinkedHashSet<>();
        DynamicReferences.missing(template.resources(), parameters, unresolvable);
        if (!unresolvable.isEmpty()) {
            throw AwsException.validation("Parameters: " + unresolvable.stream().map(n -> "ssm:" + n).toList() + " cannot be found.");
        }
        Intrinsics in = new Intrinsics(template, values, pseudo(stackName, previous == null ? "arn:pending" : previous.stackId),
                id -> template.resources().has(id) ? new Intrinsics.ResourceView(template.resources().get(id).path("Type").asText(), null, Map.of()) : null,
                name -> store.exports().get(name), true, parameters);
        try {
            for (String c : Template.names(template.section("Conditions"))) {
                in.condition(c);
            }
            checkRules(template, in);
            checkImports(template, in);
            checkConditionalReferences(template, in);
            checkMappingLookups(template, in);
        } catch (Intrinsics.TemplateError e) {
            throw AwsException.validation(e.getMessage());
        }
        checkCapabilities(template, capabilities);
        return new Prepared(template, params, values);
    }

    static String join(JsonNode array) {
        List<String> parts = new ArrayList<>();
        array.forEach(n -> parts.add(n.asText()));
        return String.join(",", parts);
    }

    private static ArrayNode list(String value) {
        ArrayNode out = Template.NODES.arrayNode();
        if (!value.isEmpty()) {
            for (String part : value.split(",", -1)) {
                out.add(part.trim());
            }
        }
        return out;
    }

    private static void checkParameter(String key, JsonNode decl, String type, String value) {
        JsonNode allowed = decl.get("AllowedValues");
        if (allowed != null && allowed.isArray()) {
            boolean ok = false;
            for (JsonNode a : allowed) {
                ok |= a.asText().equals(value);
            }
            if (!ok) {
                throw AwsException.validation("Parameter '" + key + "' must be one of AllowedValues");
            }
        }
        if (type.equals("Number")) {
            try {
                Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw AwsException.validation("Parameter '" + key + "' must be a number.");
            }
            if (decl.has("MinValue") && Double.parseDouble(value) < decl.get("MinValue").asDouble()) {
                throw AwsException.validation("Parameter '" + key + "' must be a number not less than " + decl.get("MinValue").asText());
            }
            if (decl.has("MaxValue") && Double.parseDouble(value) > decl.get("MaxValue").asDouble()) {
                throw AwsException.validation("Parameter '" + key + "' must be a number not greater than " + decl.get("MaxValue").asText());
            }
        }
        if (decl.has("AllowedPattern") && !value.matches(decl.get("AllowedPattern").asText())) {
            String message = decl.has("ConstraintDescription") ? decl.get("ConstraintDescription").asText()
                    : "Parameter '" + key + "' must match pattern " + decl.get("AllowedPattern").asText();
            throw AwsException.validation(message);
        }
        if (decl.has("MinLength") && value.length() < decl.get("MinLength").asInt()) {
            throw AwsException.validation("Parameter '" + key + "' must contain at least " + decl.get("MinLength").asInt() + " characters");
        }
        if (decl.has("MaxLength") && value.length() > decl.get("MaxLength").asInt()) {
            throw AwsException.validation("Parameter '" + key + "' must contain at most " + decl.get("MaxLength").asInt() + " characters");
        }
    }

    private static void checkRules(Template template, Intrinsics in) {
        for (var rule : Template.iterable(template.section("Rules"))) {
            JsonNode r = rule.getValue();
            if (r.has("RuleCondition")) {
                JsonNode c = in.resolve(r.get("RuleCondition"));
                if (c == null || !c.asBoolean()) {
                    continue;
                }
            }
            for (JsonNode assertion : r.path("Assertions")) {
                JsonNode ok = in.resolve(assertion.get("Assert"));
                if (ok == null || !(ok.isBoolean() ? ok.asBoolean() : Boolean.parseBoolean(ok.asText()))) {
                    String description = assertion.has("AssertDescription") ? assertion.get("AssertDescription").asText()
                            : "Template assertion for rule " + rule.getKey() + " failed";
                    throw AwsException.validation(description);
                }
            }
        }
    }

    private void checkImports(Template template, Intrinsics in) {
        List<JsonNode> imports = new ArrayList<>();
        collect(template.resources(), "Fn::ImportValue", imports);
        collect(template.section("Outputs"), "Fn::ImportValue", imports);
        for (JsonNode arg : imports) {
            JsonNode name = in.resolve(arg);
            if (name != null && name.isTextual() && !Intrinsics.unresolved(name) && !store.exports().containsKey(name.asText())) {
                throw AwsException.validation("No export named " + name.asText() + " found. Rollback requested by user.");
            }
        }
    }

    /**
     * A resource or output that is part of the stack may not name a resource its condition leaves out (outside
     * an {@code Fn::If}): AWS refuses the template when it is submitted.
     */
    private static void checkConditionalReferences(Template template, Intrinsics in) {
        ObjectNode resources = template.resources();
        Set<String> excluded = new LinkedHashSet<>();
        for (var e : Template.iterable(resources)) {
            if (!in.included(e.getValue())) {
                excluded.add(e.getKey());
            }
        }
        if (excluded.isEmpty()) {
            return;
        }
        Set<String> missing = new LinkedHashSet<>();
        for (var e : Template.iterable(resources)) {
            if (in.included(e.getValue())) {
                outsideIf(e.getValue().get("Properties"), target -> {
                    if (excluded.contains(target)) {
                        missing.add(target);
                    }
                });
            }
        }
        if (!missing.isEmpty()) {
            throw new Intrinsics.TemplateError("Template format error: Unresolved resource dependencies " + missing
                    + " in the Resources block of the template");
        }
        for (var e : Template.iterable(template.section("Outputs"))) {
            if (in.included(e.getValue())) {
                outsideIf(e.getValue().get("Value"), target -> {
                    if (excluded.contains(target)) {
                        missing.add(target);
                    }
                });
            }
        }
        if (!missing.isEmpty()) {
            throw new Intrinsics.TemplateError("Unresolved resource dependencies " + missing + " in the Outputs block of the template");
        }
    }

    private static void outsideIf(JsonNode node, java.util.function.Consumer<String> targets) {
        if (node == null) {
            return;
        }
        if (node.isObject() && node.size() == 1 && node.has("Fn::If")) {
            return;
        }
        if (node.isObject() && node.size() == 1 && (node.has("Ref") || node.has("Fn::GetAtt") || node.has("Fn::Sub"))) {
            Template.collectRefs(node, (target, getAtt) -> targets.accept(target));
            return;
        }
        if (node.isContainerNode()) {
            node.forEach(child -> outsideIf(child, targets));
        }
    }

    /** AWS looks up every mapping the stack's resources and outputs use when the template is submitted. */
    private static void checkMappingLookups(Template template, Intrinsics in) {
        List<JsonNode> lookups = new ArrayList<>();
        for (var e : Template.iterable(template.resources())) {
            if (in.included(e.getValue())) {
                collect(e.getValue().get("Properties"), "Fn::FindInMap", lookups);
            }
        }
        for (JsonNode args : lookups) {
            try {
                in.resolve(Template.NODES.objectNode().set("Fn::FindInMap", args));
            } catch (Intrinsics.TemplateError e) {
                if (e.getMessage().startsWith("Template error: Unable to get mapping")) {
                    throw e;
                }
                // anything else about this lookup (an attribute not known yet) is the deployment's to report
            }
        }
    }

    static void collect(JsonNode node, String function, List<JsonNode> out) {
        if (node == null) {
            return;
        }
        if (node.isObject() && node.size() == 1 && node.has(function)) {
            out.add(node.get(function));
            return;
        }
        if (node.isContainerNode()) {
            node.forEach(child -> collect(child, function, out));
        }
    }

    /** The capabilities a template needs and why (null reason when none). */
    static List<String> requiredCapabilities(Template template, StringBuilder reason) {
        Set<String> caps = new LinkedHashSet<>();
        Set<String> why = new LinkedHashSet<>();
        for (var e : Template.iterable(template.resources())) {
            String type = e.getValue().path("Type").asText();
            if (IAM_TYPES.contains(type)) {
                String nameProp = IAM_NAMES.get(type);
                if (nameProp != null && e.getValue().path("Properties").has(nameProp)) {
                    caps.add("CAPABILITY_NAMED_IAM");
                } else {
                    caps.add("CAPABILITY_IAM");
                }
                why.add(e.getKey());
            }
        }
        if (caps.contains("CAPABILITY_NAMED_IAM")) {
            caps.remove("CAPABILITY_IAM");
        }
        if (!why.isEmpty() && reason != null) {
            reason.append("The following resource(s) require capabilities: ").append(
                    why.stream().map(id -> template.resources().get(id).path("Type").asText()).distinct().toList());
        }
        return new ArrayList<>(caps);
    }

    private static void checkCapabilities(Template template, List<String> given) {
        List<String> needed = requiredCapabilities(template, null);
        for (String cap : needed) {
            boolean ok = given.contains(cap) || (cap.equals("CAPABILITY_IAM") && given.contains("CAPABILITY_NAMED_IAM"));
            if (!ok) {
                throw new AwsException(400, "InsufficientCapabilitiesException", "Requires capabilities : [" + cap + "]");
            }
        }
    }

    /**
     * The request-level checks CloudFormation makes of a submitted template before anything else: the resource
     * types the caller allows ({@code ResourceTypes}) and the rollback triggers; answers the template.
     */
    static Template submitted(dev.livestack.localcloud.core.QueryService.Form form, Template template) {
        List<String> allowed = form.list("ResourceTypes");
        if (!allowed.isEmpty()) {
            for (var e : Template.iterable(template.resources())) {
                String type = e.getValue().path("Type").asText();
                boolean ok = allowed.stream().anyMatch(a -> a.equals(type) || a.equals("AWS::*") && type.startsWith("AWS::")
                        || a.endsWith("::*") && type.startsWith(a.substring(0, a.length() - 1)));
                if (!ok) {
                    throw AwsException.validation("Resource type " + type + " is not allowed by parameter ResourceTypes " + allowed);
                }
            }
        }
        for (Map<String, String> trigger : form.structs("RollbackConfiguration.RollbackTriggers")) {
            String type = trigger.getOrDefault("Type", "");
            if (!type.equals("AWS::CloudWatch::Alarm") && !type.equals("AWS::CloudWatch::CompositeAlarm")) {
                throw AwsException.validation("Rollback Trigger Type not supported");
            }
            if (!trigger.getOrDefault("Arn", "").matches("arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\\d{12}:alarm:.+")) {
                throw AwsException.validation("RelativeId of a Rollback Trigger's ARN is incorrect");
            }
        }
        return template;
    }

    Map<String, String> pseudo(String stackName, String stackId) {
        Map<String, String> p = new HashMap<>();
        p.put("AWS::Region", context.region());
        p.put("AWS::AccountId", context.account());
        p.put("AWS::Partition", "aws");
        p.put("AWS::StackName", stackName);
        p.put("AWS::StackId", stackId);
        p.put("AWS::URLSuffix", "amazonaws.com");
        return p;
    }
}
