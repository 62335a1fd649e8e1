package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link Resolver} over a snapshot of a deployed stack. The template is the one being deployed: its
 * Conditions and Mappings are evaluated with the deployed parameter values.
 */
final class StackResolver implements Resolver {
    /** Marks {@code Ref AWS::NoValue} while resolving; removed from the result. */
    private static final JsonNode NO_VALUE = TextNode.valueOf("\u0000AWS::NoValue\u0000");
    private static final Pattern SUB_VAR = Pattern.compile("\\$\\{([^}]*)}");

    /** A deployed resource. */
    record Deployed(String physicalId, String type) {
        Deployed {
            Objects.requireNonNull(physicalId, "physicalId");
            type = type == null ? "" : type;
        }
    }

    private final String stackName;
    private final String stackId;
    private final String region;
    private final String accountId;
    private final Map<String, Deployed> resources;
    private final Map<String, String> parameters;
    private final Map<String, String> outputs;
    private final Map<String, String> exports;
    private final ObjectNode template;
    private final Map<String, Boolean> conditionCache = new HashMap<>();

    StackResolver(String stackName, String stackId, String region, String accountId, Map<String, Deployed> resources,
                  Map<String, String> parameters, Map<String, String> outputs, ObjectNode template) {
        this(stackName, stackId, region, accountId, resources, parameters, outputs, Map.of(), template);
    }

    /** @param exports the region's exported output values by export name, for {@code Fn::ImportValue} */
    StackResolver(String stackName, String stackId, String region, String accountId, Map<String, Deployed> resources,
                  Map<String, String> parameters, Map<String, String> outputs, Map<String, String> exports,
                  ObjectNode template) {
        this.stackName = Objects.requireNonNull(stackName, "stackName");
        this.stackId = stackId == null ? "" : stackId;
        this.region = Objects.requireNonNull(region, "region");
        this.accountId = Objects.requireNonNull(accountId, "accountId");
        this.resources = Map.copyOf(resources);
        this.parameters = Map.copyOf(parameters);
        this.outputs = Map.copyOf(outputs);
        this.exports = Map.copyOf(exports);
        this.template = template == null ? Json.MAPPER.createObjectNode() : template;
    }

    @Override
    public Optional<String> physicalId(String logicalId) {
        Deployed d = resources.get(logicalId);
        return d == null ? Optional.empty() : Optional.of(d.physicalId());
    }

    @Override
    public Optional<String> output(String name) {
        return Optional.ofNullable(outputs.get(name));
    }

    @Override
    public String region() {
        return region;
    }

    @Override
    public String accountId() {
        return accountId;
    }

    String stackName() {
        return stackName;
    }

    @Override
    public JsonNode resolve(JsonNode value) {
        JsonNode r = eval(value);
        if (r == NO_VALUE) {
            throw new UnresolvableException("the value is Ref AWS::NoValue");
        }
        return r;
    }

    private JsonNode eval(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (JsonNode el : node) {
                JsonNode r = eval(el);
                if (r != NO_VALUE) {
                    out.add(r);
                }
            }
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        String fn = Json.intrinsicName(node);
        if (fn != null && !fn.equals("Condition")) {
            return intrinsic(fn, node.get(fn));
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode r = eval(e.getValue());
            if (r != NO_VALUE) {
                out.set(e.getKey(), r);
            }
        }
        return out;
    }

    private JsonNode intrinsic(String fn, JsonNode arg) {
        return switch (fn) {
            case "Ref" -> ref(text(arg, "Ref"));
            case "Fn::GetAtt" -> getAtt(arg);
            case "Fn::Sub" -> sub(arg);
            case "Fn::Join" -> join(arg);
            case "Fn::Select" -> select(arg);
            case "Fn::Split" -> split(arg);
            case "Fn::If" -> ifFn(arg);
            case "Fn::FindInMap" -> findInMap(arg);
            case "Fn::ImportValue" -> {
                String export = scalar(eval(arg), "Fn::ImportValue");
                String v = exports.get(export);
                if (v == null) {
                    throw new UnresolvableException("Fn::ImportValue " + export + ": no stack exports it");
                }
                yield TextNode.valueOf(v);
            }
            case "Fn::Base64" -> TextNode.valueOf(Base64.getEncoder().encodeToString(
                    scalar(eval(arg), "Fn::Base64").getBytes(StandardCharsets.UTF_8)));
            default -> throw new UnresolvableException(fn + " cannot be resolved without a deploy");
        };
    }

    private JsonNode ref(String name) {
        switch (name) {
            case "AWS::Region":
                return TextNode.valueOf(region);
            case "AWS::AccountId":
                return TextNode.valueOf(accountId);
            case "AWS::Partition":
                return TextNode.valueOf("aws");
            case "AWS::URLSuffix":
                return TextNode.valueOf("amazonaws.com");
            case "AWS::StackName":
                return TextNode.valueOf(stackName);
            case "AWS::StackId":
                if (stackId.isEmpty()) {
                    throw new UnresolvableException("Ref AWS::StackId: the stack is not deployed");
                }
                return TextNode.valueOf(stackId);
            case "AWS::NoValue":
                return NO_VALUE;
            default:
                break;
        }
        JsonNode paramDef = Json.objectOrEmpty(template.get("Parameters")).get(name);
        if (parameters.containsKey(name)) {
            String v = parameters.get(name);
            boolean noEcho = paramDef != null && (paramDef.path("NoEcho").asBoolean(false)
                    || paramDef.path("NoEcho").asText("").equalsIgnoreCase("true"));
            if (noEcho || v.equals(Secrets.MASK)) {
                // CloudFormation never returns NoEcho values, so a hot-swap cannot know them.
                throw new UnresolvableException("Ref " + name + ": the parameter is NoEcho and its value cannot be read back");
            }
            if (paramDef != null && paramDef.path("Type").asText("").startsWith("List<")
                    || paramDef != null && paramDef.path("Type").asText("").equals("CommaDelimitedList")) {
                ArrayNode a = JsonNodeFactory.instance.arrayNode();
                for (String part : v.split(",", -1)) {
                    a.add(part.trim());
                }
                return a;
            }
            return TextNode.valueOf(v);
        }
        if (paramDef != null) {
            throw new UnresolvableException("Ref " + name + ": the parameter has no deployed value");
        }
        Deployed d = resources.get(name);
        if (d == null) {
            throw new UnresolvableException("Ref " + name + ": " + name + " is not deployed in stack " + stackName);
        }
        return TextNode.valueOf(d.physicalId());
    }

    private JsonNode getAtt(JsonNode arg) {
        String logicalId;
        String attr;
        if (arg.isTextual()) {
            String s = arg.asText();
            int dot = s.indexOf('.');
            if (dot < 0) {
                throw new UnresolvableException("Fn::GetAtt " + s + ": expected Resource.Attribute");
            }
            logicalId = s.substring(0, dot);
            attr = s.substring(dot + 1);
        } else if (arg.isArray() && arg.size() == 2) {
            logicalId = text(arg.get(0), "Fn::GetAtt");
            attr = scalar(eval(arg.get(1)), "Fn::GetAtt");
        } else {
            throw new UnresolvableException("Fn::GetAtt: expected [Resource, Attribute]");
        }
        return TextNode.valueOf(attribute(logicalId, attr));
    }

    /** The attributes CloudFormation documents that can be derived from a physical id. */
    String attribute(String logicalId, String attr) {
        Deployed d = resources.get(logicalId);
        if (d == null) {
            throw new UnresolvableException("Fn::GetAtt " + logicalId + "." + attr + ": " + logicalId
                    + " is not deployed in stack " + stackName);
        }
        String id = d.physicalId();
        String type = d.type();
        String key = type + "." + attr;
        String lastColon = id.substring(id.lastIndexOf(':') + 1);
        String lastSlash = id.substring(id.lastIndexOf('/') + 1);
        return switch (key) {
            case "AWS::Lambda::Function.Arn" -> id.startsWith("arn:") ? id
                    : "arn:aws:lambda:" + region + ":" + accountId + ":function:" + id;
            case "AWS::IAM::Role.Arn" -> id.startsWith("arn:") ? id : "arn:aws:iam::" + accountId + ":role/" + id;
            case "AWS::IAM::ManagedPolicy.PolicyArn" -> id;
            case "AWS::StepFunctions::StateMachine.Arn" -> id;
            case "AWS::StepFunctions::StateMachine.Name" -> lastColon;
            case "AWS::SQS::Queue.Arn" -> "arn:aws:sqs:" + region + ":" + accountId + ":" + lastSlash;
            case "AWS::SQS::Queue.QueueUrl" -> id;
            case "AWS::SQS::Queue.QueueName" -> lastSlash;
            case "AWS::SNS::Topic.TopicArn" -> id;
            case "AWS::SNS::Topic.TopicName" -> lastColon;
            case "AWS::DynamoDB::Table.Arn" -> "arn:aws:dynamodb:" + region + ":" + accountId + ":table/" + id;
            case "AWS::S3::Bucket.Arn" -> "arn:aws:s3:::" + id;
            case "AWS::S3::Bucket.DomainName" -> id + ".s3.amazonaws.com";
            case "AWS::S3::Bucket.RegionalDomainName" -> id + ".s3." + region + ".amazonaws.com";
            case "AWS::Logs::LogGroup.Arn" -> "arn:aws:logs:" + region + ":" + accountId + ":log-group:" + id + ":*";
            case "AWS::Events::Rule.Arn" -> "arn:aws:events:" + region + ":" + accountId + ":rule/" + id;
            case "AWS::Lambda::Version.Version" -> lastColon;
            case "AWS::Lambda::Version.FunctionArn" -> id;
            case "AWS::Lambda::Alias.AliasArn" -> id;
            default -> throw new UnresolvableException("Fn::GetAtt " + logicalId + "." + attr
                    + ": attribute " + attr + " of " + (type.isEmpty() ? "this resource" : type)
                    + " is not known without a deploy");
        };
    }

    private JsonNode sub(JsonNode arg) {
        String text;
        Map<String, JsonNode> vars = new HashMap<>();
        if (arg.isTextual()) {
            text = arg.asText();
        } else if (arg.isArray() && arg.size() == 2 && arg.get(0).isTextual()) {
            text = arg.get(0).asText();
            Json.objectOrEmpty(arg.get(1)).fields().forEachRemaining(e -> vars.put(e.getKey(), e.getValue()));
        } else {
            throw new UnresolvableException("Fn::Sub: expected a string or [string, {variables}]");
        }
        Matcher m = SUB_VAR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String var = m.group(1);
            String replacement;
            if (var.startsWith("!")) {
                replacement = "${" + var.substring(1) + "}";
            } else if (vars.containsKey(var)) {
                replacement = scalar(eval(vars.get(var)), "Fn::Sub ${" + var + "}");
            } else if (var.contains(".") && !var.startsWith("AWS::")) {
                int dot = var.indexOf('.');
                replacement = attribute(var.substring(0, dot), var.substring(dot + 1));
            } else {
                replacement = scalar(ref(var), "Fn::Sub ${" + var + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return TextNode.valueOf(out.toString());
    }

    private JsonNode join(JsonNode arg) {
        if (!arg.isArray() || arg.size() != 2) {
            throw new UnresolvableException("Fn::Join: expected [delimiter, [values]]");
        }
        String delimiter = text(arg.get(0), "Fn::Join");
        JsonNode list = eval(arg.get(1));
        if (!list.isArray()) {
            throw new UnresolvableException("Fn::Join: the values are not a list");
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                out.append(delimiter);
            }
            out.append(scalar(list.get(i), "Fn::Join"));
        }
        return TextNode.valueOf(out.toString());
    }

    private JsonNode select(JsonNode arg) {
        if (!arg.isArray() || arg.size() != 2) {
            throw new UnresolvableException("Fn::Select: expected [index, [values]]");
        }
        int index;
        try {
            index = Integer.parseInt(scalar(eval(arg.get(0)), "Fn::Select"));
        } catch (NumberFormatException e) {
            throw new UnresolvableException("Fn::Select: the index is not a number");
        }
        JsonNode list = eval(arg.get(1));
        if (!list.isArray() || index < 0 || index >= list.size()) {
            throw new UnresolvableException("Fn::Select: index " + index + " is out of range");
        }
        return list.get(index);
    }

    private JsonNode split(JsonNode arg) {
        if (!arg.isArray() || arg.size() != 2) {
            throw new UnresolvableException("Fn::Split: expected [delimiter, string]");
        }
        String delimiter = text(arg.get(0), "Fn::Split");
        String s = scalar(eval(arg.get(1)), "Fn::Split");
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (String part : s.split(Pattern.quote(delimiter), -1)) {
            out.add(part);
        }
        return out;
    }

    private JsonNode ifFn(JsonNode arg) {
        if (!arg.isArray() || arg.size() != 3) {
            throw new UnresolvableException("Fn::If: expected [condition, valueIfTrue, valueIfFalse]");
        }
        return condition(text(arg.get(0), "Fn::If")) ? eval(arg.get(1)) : eval(arg.get(2));
    }

    private JsonNode findInMap(JsonNode arg) {
        if (!arg.isArray() || arg.size() != 3) {
            throw new UnresolvableException("Fn::FindInMap: expected [map, topKey, secondKey]");
        }
        String map = scalar(eval(arg.get(0)), "Fn::FindInMap");
        String top = scalar(eval(arg.get(1)), "Fn::FindInMap");
        String second = scalar(eval(arg.get(2)), "Fn::FindInMap");
        JsonNode v = Json.objectOrEmpty(template.get("Mappings")).path(map).path(top).get(second);
        if (v == null) {
            throw new UnresolvableException("Fn::FindInMap: " + map + "." + top + "." + second + " is not in Mappings");
        }
        return v;
    }

    private boolean condition(String name) {
        Boolean cached = conditionCache.get(name);
        if (cached != null) {
            return cached;
        }
        JsonNode def = Json.objectOrEmpty(template.get("Conditions")).get(name);
        if (def == null) {
            throw new UnresolvableException("condition " + name + " is not defined");
        }
        conditionCache.put(name, false);
        boolean v = evalCondition(def);
        conditionCache.put(name, v);
        return v;
    }

    private boolean evalCondition(JsonNode node) {
        String fn = Json.intrinsicName(node);
        if (fn == null) {
            if (node.isBoolean()) {
                return node.asBoolean();
            }
            if (node.isTextual() && (node.asText().equalsIgnoreCase("true") || node.asText().equalsIgnoreCase("false"))) {
                return Boolean.parseBoolean(node.asText());
            }
            throw new UnresolvableException("condition expression " + Json.brief(node) + " is not understood");
        }
        JsonNode arg = node.get(fn);
        switch (fn) {
            case "Condition":
                return condition(text(arg, "Condition"));
            case "Fn::Equals": {
                if (!arg.isArray() || arg.size() != 2) {
                    throw new UnresolvableException("Fn::Equals: expected two values");
                }
                return scalar(eval(arg.get(0)), "Fn::Equals").equals(scalar(eval(arg.get(1)), "Fn::Equals"));
            }
            case "Fn::Not":
                return !evalCondition(arg.isArray() ? arg.get(0) : arg);
            case "Fn::And": {
                for (JsonNode c : arg) {
                    if (!evalCondition(c)) {
                        return false;
                    }
                }
                return true;
            }
            case "Fn::Or": {
                for (JsonNode c : arg) {
                    if (evalCondition(c)) {
                        return true;
                    }
                }
                return false;
            }
            default:
                throw new UnresolvableException(fn + " cannot be used in a condition here");
        }
    }

    private static String text(JsonNode node, String fn) {
        if (node == null || !node.isTextual()) {
            throw new UnresolvableException(fn + ": expected a string, got " + Json.brief(node));
        }
        return node.asText();
    }

    private static String scalar(JsonNode node, String fn) {
        if (node == null || node == NO_VALUE || node.isContainerNode()) {
            throw new UnresolvableException(fn + ": expected a single value, got " + Json.brief(node));
        }
        return node.asText();
    }

    /** Resources keyed by logical id, for handlers that look across resources. */
    Map<String, Deployed> resources() {
        return resources;
    }
}
