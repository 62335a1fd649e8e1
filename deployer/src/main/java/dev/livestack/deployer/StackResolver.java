package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.livestack.cfntemplate.EvaluationOptions;
import dev.livestack.cfntemplate.IntrinsicEvaluator;
import dev.livestack.cfntemplate.Problem;
import dev.livestack.cfntemplate.StackEnvironment;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link Resolver} over a snapshot of a deployed stack. The template is the one being deployed: its
 * Conditions and Mappings are evaluated with the deployed parameter values, by the template library's
 * evaluator in its strict {@link EvaluationOptions#DEPLOYED} form: what cannot be known exactly is unresolvable.
 */
final class StackResolver implements Resolver, StackEnvironment {

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
    private final IntrinsicEvaluator evaluator;

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
        this.evaluator = IntrinsicEvaluator.of(this.template, this, EvaluationOptions.DEPLOYED);
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
        JsonNode r = evaluator.resolve(value);
        if (r == null && value != null) {
            throw new UnresolvableException("the value is Ref AWS::NoValue");
        }
        return r;
    }

    @Override
    public String importValue(String name) {
        return exports.get(name);
    }

    /** The deployer's wording: why the change needs a change set. */
    @Override
    public RuntimeException failure(Problem p) {
        return new UnresolvableException(switch (p.kind()) {
            case SELECT_OUT_OF_RANGE -> "Fn::Select: index " + p.detail() + " is out of range";
            case MAPPING_MISSING -> "Fn::FindInMap: " + p.detail() + " is not in Mappings";
            case NO_EXPORT -> "Fn::ImportValue " + p.detail() + ": no stack exports it";
            case CONDITION_UNDEFINED -> "condition " + p.function() + " is not defined";
            case CONDITION_CIRCULAR -> "condition " + p.function() + " depends on itself";
            case CONDITION_NOT_BOOLEAN -> "condition " + p.function() + " is not understood: " + p.detail();
            case UNSUPPORTED_FUNCTION -> p.function() + " cannot be resolved without a deploy";
            case BAD_ARGUMENT -> p.message();
        });
    }

    @Override
    public JsonNode getAtt(String logicalId, String attribute) {
        return TextNode.valueOf(attribute(logicalId, attribute));
    }

    @Override
    public JsonNode ref(String name) {
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

    /** Resources keyed by logical id, for handlers that look across resources. */
    Map<String, Deployed> resources() {
        return resources;
    }
}
