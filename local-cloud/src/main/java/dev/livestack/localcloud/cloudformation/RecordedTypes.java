package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.Ids;
import dev.livestack.localcloud.core.ports.ResourceProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Resource types local-cloud only records: nothing runs, but each gets the physical id CloudFormation
 * would give it (generated names, ARNs, queue URLs, …), the attributes {@code Fn::GetAtt} documents,
 * and the property checks AWS would fail it on (required properties, value ranges).
 */
final class RecordedTypes {
    private static final Map<String, Set<String>> REPLACEMENT = Map.ofEntries(
            Map.entry("AWS::IAM::Role", Set.of("RoleName", "Path")),
            Map.entry("AWS::IAM::ManagedPolicy", Set.of("ManagedPolicyName", "Path")),
            Map.entry("AWS::IAM::User", Set.of("UserName")),
            Map.entry("AWS::IAM::Group", Set.of("GroupName")),
            Map.entry("AWS::IAM::InstanceProfile", Set.of("InstanceProfileName", "Path")),
            Map.entry("AWS::SQS::Queue", Set.of("QueueName", "FifoQueue")),
            Map.entry("AWS::DynamoDB::Table", Set.of("TableName", "KeySchema")),
            Map.entry("AWS::SNS::Topic", Set.of("TopicName", "FifoTopic")),
            Map.entry("AWS::SNS::Subscription", Set.of("Endpoint", "Protocol", "TopicArn")),
            Map.entry("AWS::Events::EventBus", Set.of("Name")),
            Map.entry("AWS::Lambda::Permission", Set.of("Action", "EventSourceToken", "FunctionName", "Principal",
                    "SourceAccount", "SourceArn", "PrincipalOrgID", "FunctionUrlAuthType")),
            Map.entry("AWS::Lambda::EventSourceMapping", Set.of("EventSourceArn", "StartingPosition", "SelfManagedEventSource")),
            Map.entry("AWS::ApiGateway::Resource", Set.of("ParentId", "PathPart", "RestApiId")),
            Map.entry("AWS::ApiGateway::Method", Set.of("HttpMethod", "ResourceId", "RestApiId")),
            Map.entry("AWS::ApiGateway::Deployment", Set.of("RestApiId", "DeploymentCanarySettings")),
            Map.entry("AWS::ApiGateway::Stage", Set.of("RestApiId", "StageName")),
            Map.entry("AWS::KMS::Alias", Set.of("AliasName")),
            Map.entry("AWS::SecretsManager::Secret", Set.of("Name")),
            Map.entry("AWS::Kinesis::Stream", Set.of("Name")));

    private static final Map<String, List<String>> REQUIRED = Map.ofEntries(
            Map.entry("AWS::IAM::Role", List.of("AssumeRolePolicyDocument")),
            Map.entry("AWS::IAM::Policy", List.of("PolicyDocument", "PolicyName")),
            Map.entry("AWS::IAM::ManagedPolicy", List.of("PolicyDocument")),
            Map.entry("AWS::IAM::InstanceProfile", List.of("Roles")),
            Map.entry("AWS::DynamoDB::Table", List.of("KeySchema")),
            Map.entry("AWS::SNS::Subscription", List.of("Protocol", "TopicArn")),
            Map.entry("AWS::SQS::QueuePolicy", List.of("PolicyDocument", "Queues")),
            Map.entry("AWS::Lambda::Permission", List.of("Action", "FunctionName", "Principal")),
            Map.entry("AWS::Lambda::EventSourceMapping", List.of("FunctionName")),
            Map.entry("AWS::ApiGateway::Resource", List.of("ParentId", "PathPart", "RestApiId")),
            Map.entry("AWS::ApiGateway::Method", List.of("HttpMethod", "ResourceId", "RestApiId")),
            Map.entry("AWS::ApiGateway::Deployment", List.of("RestApiId")),
            Map.entry("AWS::ApiGateway::Stage", List.of("RestApiId")),
            Map.entry("AWS::S3::BucketPolicy", List.of("Bucket", "PolicyDocument")),
            Map.entry("AWS::KMS::Alias", List.of("AliasName", "TargetKeyId")));

    /**
     * Every property of types modelled by hand; any other property fails the resource as CloudFormation's schema
     * validation does (a typo in a property name is caught here). Other types check against the schema data.
     */
    private static final Map<String, Set<String>> KNOWN = Map.of(
            "AWS::SQS::Queue", Set.of("ContentBasedDeduplication", "DeduplicationScope", "DelaySeconds", "FifoQueue",
                    "FifoThroughputLimit", "KmsDataKeyReusePeriodSeconds", "KmsMasterKeyId", "MaximumMessageSize",
                    "MessageRetentionPeriod", "QueueName", "ReceiveMessageWaitTimeSeconds", "RedriveAllowPolicy",
                    "RedrivePolicy", "SqsManagedSseEnabled", "Tags", "VisibilityTimeout"),
            "AWS::SNS::Topic", Set.of("ArchivePolicy", "ContentBasedDeduplication", "DataProtectionPolicy",
                    "DeliveryStatusLogging", "DisplayName", "FifoThroughputScope", "FifoTopic", "KmsMasterKeyId",
                    "SignatureVersion", "Subscription", "Tags", "TopicName", "TracingConfig"),
            "AWS::IAM::Role", Set.of("AssumeRolePolicyDocument", "Description", "ManagedPolicyArns", "MaxSessionDuration",
                    "Path", "PermissionsBoundary", "Policies", "RoleName", "Tags"),
            "AWS::IAM::Policy", Set.of("Groups", "PolicyDocument", "PolicyName", "Roles", "Users"),
            "AWS::DynamoDB::Table", Set.of("AttributeDefinitions", "BillingMode", "ContributorInsightsSpecification",
                    "DeletionProtectionEnabled", "GlobalSecondaryIndexes", "ImportSourceSpecification", "KeySchema",
                    "KinesisStreamSpecification", "LocalSecondaryIndexes", "OnDemandThroughput",
                    "PointInTimeRecoverySpecification", "ProvisionedThroughput", "ResourcePolicy", "SSESpecification",
                    "StreamSpecification", "TableClass", "TableName", "Tags", "TimeToLiveSpecification", "WarmThroughput"));

    private final CloudContext context;
    private final SchemaRecords schema;

    RecordedTypes(CloudContext context) {
        this.context = context;
        this.schema = new SchemaRecords(context.region(), context.account(), ResourceTypes::get);
        // Read the schema data now, off the caller's thread, so neither startup nor the first template waits for it.
        Thread preload = new Thread(ResourceTypes::get, "resource-types");
        preload.setDaemon(true);
        preload.start();
    }

    static Set<String> replacementProperties(String type) {
        Set<String> known = REPLACEMENT.get(type);
        if (known != null) {
            return known;
        }
        ResourceTypes.Spec spec = ResourceTypes.get().spec(type);
        return spec == null ? Set.of() : spec.replacing();
    }

    ResourceProvider.Provisioned create(String type, String stackName, String logicalId, ObjectNode p) {
        check(type, p);
        Map<String, Object> a = new LinkedHashMap<>();
        String region = context.region();
        String account = context.account();
        String id;
        switch (type) {
            case "AWS::IAM::Role" -> {
                String name = name(p, "RoleName", stackName, logicalId, 64);
                id = name;
                a.put("Arn", "arn:aws:iam::" + account + ":role" + path(p) + name);
                a.put("RoleId", "AROA" + Ids.upper(17));
            }
            case "AWS::IAM::User" -> {
                id = name(p, "UserName", stackName, logicalId, 64);
                a.put("Arn", "arn:aws:iam::" + account + ":user" + path(p) + id);
            }
            case "AWS::IAM::Group" -> {
                id = name(p, "GroupName", stackName, logicalId, 128);
                a.put("Arn", "arn:aws:iam::" + account + ":group" + path(p) + id);
            }
            case "AWS::IAM::InstanceProfile" -> {
                id = name(p, "InstanceProfileName", stackName, logicalId, 128);
                a.put("Arn", "arn:aws:iam::" + account + ":instance-profile" + path(p) + id);
            }
            case "AWS::IAM::ManagedPolicy" -> {
                String name = name(p, "ManagedPolicyName", stackName, logicalId, 128);
                id = "arn:aws:iam::" + account + ":policy" + path(p) + name;
                a.put("PolicyArn", id);
                a.put("PolicyId", "ANPA" + Ids.upper(17));
            }
            case "AWS::IAM::Policy" -> id = shortGenerated(stackName, logicalId);
            case "AWS::SQS::Queue" -> {
                boolean fifo = p.path("FifoQueue").asBoolean(false);
                String name = p.hasNonNull("QueueName") ? p.get("QueueName").asText()
                        : Ids.generatedName(stackName, logicalId, fifo ? 75 : 80) + (fifo ? ".fifo" : "");
                if (fifo != name.endsWith(".fifo")) {
                    throw new ResourceProvider.ResourceFailure("Resource handler returned message: \"The name of a FIFO queue can only include "
                            + "alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.\" "
                            + "(Service: Sqs, Status Code: 400)");
                }
                id = context.endpoint() + "/" + account + "/" + name;
                a.put("Arn", "arn:aws:sqs:" + region + ":" + account + ":" + name);
                a.put("QueueName", name);
                a.put("QueueUrl", id);
            }
            case "AWS::DynamoDB::Table" -> {
                id = name(p, "TableName", stackName, logicalId, 255);
                String arn = "arn:aws:dynamodb:" + region + ":" + account + ":table/" + id;
                a.put("Arn", arn);
                if (p.path("StreamSpecification").has("StreamViewType")) {
                    a.put("StreamArn", arn + "/stream/" + java.time.Instant.now().toString().replace("Z", ""));
                }
            }
            case "AWS::SNS::Topic" -> {
                boolean fifo = p.path("FifoTopic").asBoolean(false);
                String name = p.hasNonNull("TopicName") ? p.get("TopicName").asText()
                        : Ids.generatedName(stackName, logicalId, fifo ? 251 : 256) + (fifo ? ".fifo" : "");
                id = "arn:aws:sns:" + region + ":" + account + ":" + name;
                a.put("TopicArn", id);
                a.put("TopicName", name);
            }
            case "AWS::SNS::Subscription" -> {
                id = p.get("TopicArn").asText() + ":" + UUID.randomUUID();
                a.put("Arn", id);
            }
            case "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy" -> id = shortGenerated(stackName, logicalId);
            case "AWS::S3::BucketPolicy" -> id = p.get("Bucket").asText();
            case "AWS::Events::EventBus" -> {
                id = p.path("Name").asText(Ids.generatedName(stackName, logicalId, 256));
                a.put("Arn", "arn:aws:events:" + region + ":" + account + ":event-bus/" + id);
                a.put("Name", id);
            }
            case "AWS::Lambda::Permission" -> id = Ids.generatedName(stackName, logicalId, 100);
            case "AWS::Lambda::EventSourceMapping" -> {
                id = UUID.randomUUID().toString();
                a.put("Id", id);
                a.put("EventSourceMappingArn", "arn:aws:lambda:" + region + ":" + account + ":event-source-mapping:" + id);
            }
            case "AWS::Lambda::Url" -> {
                String fn = p.path("TargetFunctionArn").asText();
                id = fn;
                a.put("FunctionArn", fn);
                a.put("FunctionUrl", "https://" + Ids.lower(32) + ".lambda-url." + region + ".on.aws/");
            }
            case "AWS::Lambda::LayerVersion" -> {
                String name = p.path("LayerName").asText(logicalId);
                id = "arn:aws:lambda:" + region + ":" + account + ":layer:" + name + ":1";
                a.put("LayerVersionArn", id);
            }
            case "AWS::ApiGateway::RestApi" -> {
                id = Ids.lower(10);
                a.put("RestApiId", id);
                a.put("RootResourceId", Ids.lower(10));
            }
            case "AWS::ApiGateway::Resource" -> {
                id = Ids.lower(6);
                a.put("ResourceId", id);
            }
            case "AWS::ApiGateway::Stage" -> id = p.path("StageName").asText("prod");
            case "AWS::ApiGatewayV2::Api" -> {
                id = Ids.lower(10);
                a.put("ApiId", id);
                a.put("ApiEndpoint", "https://" + id + ".execute-api." + region + ".amazonaws.com");
            }
            case "AWS::KMS::Key" -> {
                id = UUID.randomUUID().toString();
                a.put("Arn", "arn:aws:kms:" + region + ":" + account + ":key/" + id);
                a.put("KeyId", id);
            }
            case "AWS::KMS::Alias" -> id = p.get("AliasName").asText();
            case "AWS::SecretsManager::Secret" -> {
                String name = p.path("Name").asText(logicalId + "-" + Ids.lower(12));
                id = "arn:aws:secretsmanager:" + region + ":" + account + ":secret:" + name + "-" + Ids.lower(6);
                a.put("Id", id);
            }
            case "AWS::Kinesis::Stream" -> {
                id = name(p, "Name", stackName, logicalId, 128);
                a.put("Arn", "arn:aws:kinesis:" + region + ":" + account + ":stream/" + id);
            }
            case "AWS::CloudFormation::WaitConditionHandle" -> id = context.endpoint() + "/_localcloud/waitcondition/"
                    + UUID.randomUUID();
            case "AWS::CDK::Metadata" -> id = UUID.randomUUID().toString();
            default -> {
                ResourceProvider.Provisioned generic = type.equals("AWS::CloudFormation::Stack") ? null
                        : schema.create(type, stackName, logicalId, p, Map.of(), null);
                if (generic != null) {
                    return generic;
                }
                // Custom resources get the id CloudFormation gives them; the rest (AWS::CDK::Metadata)
                // an opaque unique id.
                id = type.startsWith("Custom::") || type.equals("AWS::CloudFormation::CustomResource")
                        ? stackName + "-" + logicalId + "-" + Ids.upper(12)
                        : Ids.generatedName(stackName, logicalId, 128);
            }
        }
        // The attributes modelled above by hand win; the schema adds the ones they leave out, shaped to match.
        ResourceProvider.Provisioned rest = schema.create(type, stackName, logicalId, p, a, id);
        if (rest != null) {
            Map<String, Object> all = new LinkedHashMap<>(rest.attributes());
            all.putAll(a);
            a = all;
        }
        return new ResourceProvider.Provisioned(id, a);
    }

    ResourceProvider.Provisioned update(String type, String physicalId, Map<String, Object> attributes, ObjectNode p) {
        check(type, p);
        return schema.update(type, physicalId, attributes, p);
    }

    /** The checks CloudFormation's resource handlers make on create and on update. */
    private static void check(String type, ObjectNode p) {
        ResourceTypes.Spec spec = ResourceTypes.get().spec(type);
        // The schema data holds every property of aws-cdk-lib's L1 classes too, so no construct's output fails here.
        Set<String> known = KNOWN.getOrDefault(type, spec == null ? null : spec.properties());
        // A custom resource's properties are its provider's input: CloudFormation passes any of them on.
        boolean custom = type.startsWith("Custom::") || type.equals("AWS::CloudFormation::CustomResource");
        if (known != null && !custom) {
            for (String name : Template.names(p)) {
                if (!known.contains(name)) {
                    throw new ResourceProvider.ResourceFailure("Properties validation failed for resource with message: #: extraneous key ["
                            + name + "] is not permitted");
                }
            }
        }
        for (String required : REQUIRED.getOrDefault(type, spec == null ? List.of() : spec.required())) {
            if (!p.has(required)) {
                throw new ResourceProvider.ResourceFailure("Properties validation failed for resource with message: #: required key ["
                        + required + "] not found");
            }
        }
        switch (type) {
            case "AWS::SQS::Queue" -> {
                range(p, "VisibilityTimeout", 0, 43200);
                range(p, "MessageRetentionPeriod", 60, 1209600);
                range(p, "DelaySeconds", 0, 900);
                range(p, "MaximumMessageSize", 1024, 262144);
                range(p, "ReceiveMessageWaitTimeSeconds", 0, 20);
            }
            case "AWS::DynamoDB::Table" -> {
                String mode = p.path("BillingMode").asText("PROVISIONED");
                if (mode.equals("PROVISIONED") && !p.has("ProvisionedThroughput")) {
                    throw new ResourceProvider.ResourceFailure("Resource handler returned message: \"One or more parameter values were invalid: "
                            + "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED\" "
                            + "(Service: DynamoDb, Status Code: 400)");
                }
            }
            default -> {
                // other recorded types have no value checks beyond their required properties
            }
        }
    }

    private static void range(ObjectNode p, String field, long min, long max) {
        JsonNode n = p.get(field);
        if (n == null) {
            return;
        }
        long v;
        try {
            v = Long.parseLong(n.asText());
        } catch (NumberFormatException e) {
            throw new ResourceProvider.ResourceFailure("Properties validation failed for resource with message: #/" + field
                    + ": expected type: Integer, found: String");
        }
        if (v < min || v > max) {
            throw new ResourceProvider.ResourceFailure("Properties validation failed for resource with message: #/" + field + ": "
                    + v + " is not " + (v < min ? "greater or equal to " + min : "less or equal to " + max));
        }
    }

    private static String name(ObjectNode p, String field, String stackName, String logicalId, int max) {
        return p.hasNonNull(field) ? p.get(field).asText() : Ids.generatedName(stackName, logicalId, max);
    }

    private static String path(ObjectNode p) {
        String path = p.path("Path").asText("/");
        return path.endsWith("/") ? path : path + "/";
    }

    /** Policies get CloudFormation's shortened form, e.g. {@code Stack-Polic-1A2B3C4D5E6F}. */
    private static String shortGenerated(String stackName, String logicalId) {
        String stack = stackName.length() > 5 ? stackName.substring(0, 5) : stackName;
        String logical = logicalId.length() > 5 ? logicalId.substring(0, 5) : logicalId;
        return stack + "-" + logical + "-" + Ids.upper(12).toUpperCase(Locale.ROOT);
    }
}
