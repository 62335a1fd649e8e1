package dev.livestack.localcloud.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.Ids;
import dev.livestack.localcloud.core.TypedResourceProvider;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * {@code AWS::DynamoDB::Table}: a real table. Ref is its name; GetAtt Arn and StreamArn (with the stream's label).
 * A new name, key schema or set of local indexes replaces the table, as in AWS; billing, throughput, global
 * indexes, the stream, TTL, tags and deletion protection change in place.
 */
final class TableResource extends TypedResourceProvider {
    private static final Set<String> KNOWN = Set.of("AttributeDefinitions", "BillingMode", "ContributorInsightsSpecification",
            "DeletionProtectionEnabled", "GlobalSecondaryIndexes", "ImportSourceSpecification", "KeySchema",
            "KinesisStreamSpecification", "LocalSecondaryIndexes", "OnDemandThroughput", "PointInTimeRecoverySpecification",
            "ProvisionedThroughput", "ResourcePolicy", "SSESpecification", "StreamSpecification", "TableClass", "TableName", "Tags",
            "TimeToLiveSpecification", "WarmThroughput");

    private final DynamoDbService service;
    private final CloudContext context;

    TableResource(DynamoDbService service, CloudContext context) {
        super("AWS::DynamoDB::Table", Set.of("TableName", "KeySchema", "LocalSecondaryIndexes", "ImportSourceSpecification"));
        this.service = service;
        this.context = context;
    }

    @Override
    public Provisioned create(String stackName, String logicalId, ObjectNode p) {
        check(p);
        String name = p.hasNonNull("TableName") ? p.get("TableName").asText() : Ids.generatedName(stackName, logicalId, 255);
        ObjectNode in = p.deepCopy();
        in.put("TableName", name);
        for (String ignored : new String[] {"TimeToLiveSpecification", "ContributorInsightsSpecification", "KinesisStreamSpecification",
                "PointInTimeRecoverySpecification", "SSESpecification", "ResourcePolicy", "OnDemandThroughput", "WarmThroughput",
                "ImportSourceSpecification"}) {
            in.remove(ignored);
        }
        in.set("StreamSpecification", stream(p));
        if (in.get("StreamSpecification").isNull()) {
            in.remove("StreamSpecification");
        }
        try {
            service.createFromTemplate(context.region(), in);
            service.updateFromTemplate(context.region(), name, Values.NODES.objectNode(), ttl(p), null);
        } catch (AwsException e) {
            throw failure(e);
        }
        return provisioned(name);
    }

    @Override
    public Provisioned update(String stackName, String logicalId, String physicalId, ObjectNode old, ObjectNode p) {
        check(p);
        if (service.tableIn(context.region(), physicalId) == null) {
            return create(stackName, logicalId, p.deepCopy().put("TableName", physicalId));
        }
        ObjectNode u = Values.NODES.objectNode();
        u.set("AttributeDefinitions", p.get("AttributeDefinitions"));
        String billing = p.path("BillingMode").asText("PROVISIONED");
        if (!billing.equals(old.path("BillingMode").asText("PROVISIONED")) || !p.path("ProvisionedThroughput").equals(old.path("ProvisionedThroughput"))) {
            u.put("BillingMode", billing);
            if (p.has("ProvisionedThroughput") && billing.equals("PROVISIONED")) {
                u.set("ProvisionedThroughput", p.get("ProvisionedThroughput"));
            }
        }
        ArrayNode gsiUpdates = u.putArray("GlobalSecondaryIndexUpdates");
        Map<String, JsonNode> before = byName(old.path("GlobalSecondaryIndexes"));
        Map<String, JsonNode> after = byName(p.path("GlobalSecondaryIndexes"));
        before.forEach((name, index) -> {
            if (!after.containsKey(name) || !after.get(name).path("KeySchema").equals(index.path("KeySchema"))
                    || !after.get(name).path("Projection").equals(index.path("Projection"))) {
                gsiUpdates.addObject().putObject("Delete").put("IndexName", name);
            }
        });
        after.forEach((name, index) -> {
            JsonNode was = before.get(name);
            if (was == null || !was.path("KeySchema").equals(index.path("KeySchema")) || !was.path("Projection").equals(index.path("Projection"))) {
                gsiUpdates.addObject().set("Create", index);
            } else if (!was.path("ProvisionedThroughput").equals(index.path("ProvisionedThroughput")) && index.has("ProvisionedThroughput")) {
                gsiUpdates.addObject().putObject("Update").put("IndexName", name).set("ProvisionedThroughput", index.get("ProvisionedThroughput"));
            }
        });
        JsonNode stream = stream(p);
        JsonNode oldStream = stream(old);
        try {
            if (!stream.equals(oldStream)) {
                if (!oldStream.isNull()) {
                    service.updateFromTemplate(context.region(), physicalId, Values.NODES.objectNode().set("StreamSpecification",
                            Values.NODES.objectNode().put("StreamEnabled", false)), null, null);
                }
                if (!stream.isNull()) {
                    u.set("StreamSpecification", stream);
                }
            }
            u.put("DeletionProtectionEnabled", p.path("DeletionProtectionEnabled").asBoolean(false));
            service.updateFromTemplate(context.region(), physicalId, u, ttl(p), tags(p));
        } catch (AwsException e) {
            throw failure(e);
        }
        return provisioned(physicalId);
    }

    @Override
    public void delete(String physicalId, ObjectNode properties) {
        try {
            service.deleteFromTemplate(context.region(), physicalId);
        } catch (AwsException e) {
            throw failure(e);
        }
    }

    private Provisioned provisioned(String name) {
        Table t = service.tableIn(context.region(), name);
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("Arn", t.arn());
        if (t.description.has("LatestStreamArn")) {
            attributes.put("StreamArn", t.description.get("LatestStreamArn").asText());
        }
        return new Provisioned(name, attributes);
    }

    private static void check(ObjectNode p) {
        Iterator<String> names = p.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!KNOWN.contains(name)) {
                throw new ResourceFailure("Properties validation failed for resource with message: #: extraneous key [" + name + "] is not permitted");
            }
        }
        if (!p.has("KeySchema")) {
            throw new ResourceFailure("Properties validation failed for resource with message: #: required key [KeySchema] not found");
        }
    }

    private static ResourceFailure failure(AwsException e) {
        return new ResourceFailure("Resource handler returned message: \"" + e.getMessage() + "\" (Service: DynamoDb, Status Code: "
                + e.status() + ")");
    }

    /** CloudFormation's StreamSpecification has only the view type; the API's has the enabled flag too. */
    private static JsonNode stream(JsonNode p) {
        JsonNode s = p.path("StreamSpecification");
        if (!s.hasNonNull("StreamViewType")) {
            return Values.NODES.nullNode();
        }
        return Values.NODES.objectNode().put("StreamEnabled", true).put("StreamViewType", s.get("StreamViewType").asText());
    }

    private static ObjectNode ttl(JsonNode p) {
        ObjectNode ttl = Values.NODES.objectNode();
        JsonNode spec = p.path("TimeToLiveSpecification");
        boolean enabled = spec.path("Enabled").asBoolean(false);
        ttl.put("Enabled", enabled);
        if (enabled) {
            ttl.put("AttributeName", spec.path("AttributeName").asText());
        }
        return ttl;
    }

    private static ObjectNode tags(JsonNode p) {
        ObjectNode tags = Values.NODES.objectNode();
        p.path("Tags").forEach(t -> tags.put(t.path("Key").asText(), t.path("Value").asText()));
        return tags;
    }

    private static Map<String, JsonNode> byName(JsonNode indexes) {
        Map<String, JsonNode> out = new HashMap<>();
        indexes.forEach(i -> out.put(i.path("IndexName").asText(), i));
        return out;
    }
}
