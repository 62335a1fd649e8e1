package dev.livestack.localcloud.lambda;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.TypedResourceProvider;
import java.util.Map;
import java.util.Set;

/**
 * {@code AWS::Lambda::EventSourceMapping}: Ref is the mapping's UUID; GetAtt Id and EventSourceMappingArn. A new
 * event source replaces it; function, batching, enabled flag and response types change in place.
 */
final class EventSourceMappingResource extends TypedResourceProvider {
    private static final Set<String> SETTINGS = Set.of("FunctionName", "EventSourceArn", "BatchSize", "Enabled",
            "MaximumBatchingWindowInSeconds", "FunctionResponseTypes", "FilterCriteria", "ScalingConfig");
    private final EventSourceMappings mappings;

    EventSourceMappingResource(EventSourceMappings mappings) {
        super("AWS::Lambda::EventSourceMapping", Set.of("EventSourceArn", "StartingPosition", "StartingPositionTimestamp",
                "SelfManagedEventSource", "AmazonManagedKafkaEventSourceConfig", "SelfManagedKafkaEventSourceConfig"));
        this.mappings = mappings;
    }

    @Override
    public Provisioned create(String stackName, String logicalId, ObjectNode properties) {
        try {
            return provisioned(mappings.create(input(properties)));
        } catch (AwsException e) {
            throw failure(e);
        }
    }

    @Override
    public Provisioned update(String stackName, String logicalId, String physicalId, ObjectNode oldProperties,
                              ObjectNode newProperties) {
        ObjectNode in = input(newProperties);
        in.remove("EventSourceArn");
        if (!newProperties.has("Enabled")) {
            in.put("Enabled", true);
        }
        if (!newProperties.has("FunctionResponseTypes")) {
            in.putArray("FunctionResponseTypes");
        }
        try {
            return provisioned(mappings.update(physicalId, in));
        } catch (AwsException e) {
            throw failure(e);
        }
    }

    @Override
    public void delete(String physicalId, ObjectNode properties) {
        try {
            mappings.delete(physicalId);
        } catch (AwsException e) {
            if (e.status() != 404) {
                throw failure(e);
            }
        }
    }

    private static ObjectNode input(ObjectNode properties) {
        ObjectNode in = Http.JSON.createObjectNode();
        properties.fields().forEachRemaining(e -> {
            if (SETTINGS.contains(e.getKey())) {
                in.set(e.getKey(), e.getValue());
            }
        });
        return in;
    }

    private static Provisioned provisioned(ObjectNode m) {
        String uuid = m.get("UUID").asText();
        return new Provisioned(uuid, Map.of("Id", uuid, "EventSourceMappingArn", m.get("EventSourceMappingArn").asText()));
    }

    private static ResourceFailure failure(AwsException e) {
        // CloudFormation's handler words a 400 from Lambda as an invalid request
        String prefix = e.status() == 400 ? "Invalid request provided: " : "";
        return new ResourceFailure("Resource handler returned message: \"" + prefix + e.getMessage() + "\" (Service: Lambda, Status Code: "
                + e.status() + ", Request ID: " + java.util.UUID.randomUUID() + ")");
    }
}
