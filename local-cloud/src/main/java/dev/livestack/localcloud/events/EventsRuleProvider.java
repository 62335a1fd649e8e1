package dev.livestack.localcloud.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.Ids;
import dev.livestack.localcloud.core.TypedResourceProvider;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code AWS::Events::Rule}: the rule and its targets, made through the same model PutRule and PutTargets use, so a
 * schedule or a pattern from a template runs. Ref is the rule's name; GetAtt Arn its ARN.
 */
final class EventsRuleProvider extends TypedResourceProvider {
    private static final Set<String> PROPERTIES = Set.of("Description", "EventBusName", "EventPattern", "Name", "RoleArn",
            "ScheduleExpression", "State", "Targets");
    private final EventsService events;

    EventsRuleProvider(EventsService events) {
        super("AWS::Events::Rule", Set.of("Name", "EventBusName"));
        this.events = events;
    }

    @Override
    public Provisioned create(String stackName, String logicalId, ObjectNode properties) {
        String name = properties.hasNonNull("Name") ? properties.get("Name").asText() : Ids.generatedName(stackName, logicalId, 64);
        return apply(name, properties);
    }

    @Override
    public Provisioned update(String stackName, String logicalId, String physicalId, ObjectNode oldProperties, ObjectNode newProperties) {
        return apply(physicalId, newProperties);
    }

    @Override
    public void delete(String physicalId, ObjectNode properties) {
        String bus = EventsService.bus(properties);
        try {
            ObjectNode ids = Http.JSON.createObjectNode();
            ArrayNode all = ids.putArray("Ids");
            synchronized (events) {
                ObjectNode listed = events.call("ListTargetsByRule", Http.JSON.createObjectNode().put("Rule", physicalId)
                        .put("EventBusName", bus), null);
                listed.path("Targets").forEach(t -> all.add(t.path("Id").asText()));
                events.removeTargets(bus, physicalId, all, Http.JSON.createObjectNode());
                events.deleteRule(bus, physicalId);
            }
        } catch (AwsException e) {
            if (!"ResourceNotFoundException".equals(e.code())) {
                throw failure(e);
            }
        }
    }

    private Provisioned apply(String name, ObjectNode p) {
        // as CloudFormation's schema validation, before any call
        for (java.util.Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!PROPERTIES.contains(f)) {
                throw new ResourceFailure("Properties validation failed for resource with message: #: extraneous key [" + f
                        + "] is not permitted");
            }
        }
        ObjectNode in = Http.JSON.createObjectNode();
        in.put("Name", name);
        for (String f : new String[] {"ScheduleExpression", "State", "Description", "RoleArn", "EventBusName"}) {
            if (p.hasNonNull(f)) {
                in.put(f, p.get(f).asText());
            }
        }
        JsonNode pattern = p.get("EventPattern");
        if (pattern != null && !pattern.isNull()) {
            in.put("EventPattern", pattern.isTextual() ? pattern.asText() : pattern.toString());
        }
        try {
            synchronized (events) {
                ObjectNode rule = events.putRule(in);
                String bus = EventsService.bus(in);
                ArrayNode wanted = Http.JSON.createArrayNode();
                for (JsonNode t : p.path("Targets")) {
                    wanted.add(target(t));
                }
                ArrayNode stale = Http.JSON.createArrayNode();
                for (JsonNode t : rule.path("Targets")) {
                    boolean kept = false;
                    for (JsonNode w : wanted) {
                        kept |= w.path("Id").asText().equals(t.path("Id").asText());
                    }
                    if (!kept) {
                        stale.add(t.path("Id").asText());
                    }
                }
                events.removeTargets(bus, name, stale, Http.JSON.createObjectNode());
                if (!wanted.isEmpty()) {
                    events.putTargets(bus, name, wanted, Http.JSON.createObjectNode());
                }
                return new Provisioned(name, Map.of("Arn", rule.get("Arn").asText()));
            }
        } catch (AwsException e) {
            throw failure(e);
        }
    }

    /** A template target as the API takes it: Input stays a string; an InputTransformer's map and template too. */
    private static ObjectNode target(JsonNode t) {
        ObjectNode out = t.deepCopy();
        JsonNode input = t.get("Input");
        if (input != null && !input.isTextual()) {
            out.put("Input", input.toString());
        }
        return out;
    }

    private static ResourceFailure failure(AwsException e) {
        return new ResourceFailure("Resource handler returned message: \"" + e.getMessage() + " (Service: EventBridge, Status Code: "
                + e.status() + ", Request ID: " + UUID.randomUUID() + ")\" (RequestToken: " + UUID.randomUUID()
                + ", HandlerErrorCode: " + ("ResourceNotFoundException".equals(e.code()) ? "NotFound" : "InvalidRequest") + ")");
    }
}
