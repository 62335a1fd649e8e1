package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/**
 * A SAM function's {@code Events}, each expanded to what SAM generates, named {@code <FunctionId><EventId>}:
 * {@code SQS} → an {@code AWS::Lambda::EventSourceMapping} (and the SQS execution policy on the generated role);
 * {@code Schedule}, {@code CloudWatchEvent} and {@code EventBridgeRule} → an {@code AWS::Events::Rule} targeting the
 * function (target id {@code <FunctionId><EventId>LambdaTarget}) and {@code <FunctionId><EventId>Permission} for
 * events.amazonaws.com. With AutoPublishAlias the events target the alias.
 */
final class SamEvents {
    private static final Set<String> SQS = Set.of("Queue", "BatchSize", "Enabled", "MaximumBatchingWindowInSeconds",
            "FilterCriteria", "FunctionResponseTypes", "ScalingConfig");
    private static final Set<String> SCHEDULE = Set.of("Schedule", "Input", "Enabled", "State", "Name", "Description");
    private static final Set<String> PATTERN = Set.of("Pattern", "EventBusName", "Input", "InputPath", "State", "RuleName");

    private final String functionId;
    private final String target;
    private final boolean alias;
    private final ObjectNode role;
    /** The function's Condition, which SAM gives every resource of its events too; null when it has none */
    private final JsonNode condition;

    /**
     * @param target the logical id events invoke: the function, or its alias
     * @param role the generated execution role (null when the function names its own), which SQS events extend
     */
    SamEvents(String functionId, String target, boolean alias, ObjectNode role, JsonNode condition) {
        this.condition = condition;
        this.functionId = functionId;
        this.target = target;
        this.alias = alias;
        this.role = role;
    }

    void expand(JsonNode events, Map<String, JsonNode> out) {
        if (!events.isObject()) {
            throw new SamContext.Invalid(functionId, "Property 'Events' should be a map.");
        }
        for (var e : Template.iterable(events)) {
            String eventId = e.getKey();
            JsonNode event = e.getValue();
            String type = event.path("Type").asText(null);
            if (!event.isObject() || type == null) {
                throw invalid(eventId, "Event must have a Type.");
            }
            JsonNode p = event.path("Properties");
            ObjectNode props = p.isObject() ? (ObjectNode) p : Template.NODES.objectNode();
            String logicalId = functionId + eventId;
            java.util.Set<String> before = new java.util.HashSet<>(out.keySet());
            switch (type) {
                case "SQS" -> sqs(eventId, logicalId, props, out);
                case "Schedule" -> rule(eventId, logicalId, props, SCHEDULE, out);
                case "CloudWatchEvent", "EventBridgeRule" -> rule(eventId, logicalId, props, PATTERN, out);
                default -> throw invalid(eventId, "Event type '" + type + "' is not expanded by local-cloud's SAM transform "
                        + "(it expands SQS, Schedule, CloudWatchEvent and EventBridgeRule).");
            }
            if (condition != null) {
                for (var generated : out.entrySet()) {
                    if (!before.contains(generated.getKey()) && generated.getValue() instanceof ObjectNode r) {
                        r.set("Condition", condition.deepCopy());
                    }
                }
            }
        }
    }

    private SamContext.Invalid invalid(String eventId, String message) {
        return new SamContext.Invalid(functionId, "Event with id [" + eventId + "] is invalid. " + message);
    }

    private void check(String eventId, ObjectNode props, Set<String> known, String type) {
        for (String key : Template.names(props)) {
            if (!known.contains(key)) {
                throw invalid(eventId, "property " + key + " not defined for resource of type " + type);
            }
        }
    }

    private ObjectNode ref(String id) {
        ObjectNode n = Template.NODES.objectNode();
        n.put("Ref", id);
        return n;
    }

    /** The ARN of what events invoke: the function's Arn, or the alias's Ref (its ARN). */
    private ObjectNode arn() {
        if (alias) {
            return ref(target);
        }
        ObjectNode n = Template.NODES.objectNode();
        n.putArray("Fn::GetAtt").add(target).add("Arn");
        return n;
    }

    private void sqs(String eventId, String logicalId, ObjectNode props, Map<String, JsonNode> out) {
        check(eventId, props, SQS, "SQS");
        if (!props.has("Queue")) {
            throw invalid(eventId, "Missing required property 'Queue'.");
        }
        ObjectNode mapping = Template.NODES.objectNode();
        mapping.put("Type", "AWS::Lambda::EventSourceMapping");
        ObjectNode mp = mapping.putObject("Properties");
        mp.set("EventSourceArn", props.get("Queue").deepCopy());
        mp.set("FunctionName", ref(target));
        for (String key : new String[] {"BatchSize", "Enabled", "MaximumBatchingWindowInSeconds", "FilterCriteria",
                "FunctionResponseTypes", "ScalingConfig"}) {
            if (props.has(key)) {
                mp.set(key, props.get(key).deepCopy());
            }
        }
        if (role != null) {
            ArrayNode managed = (ArrayNode) role.path("Properties").get("ManagedPolicyArns");
            ObjectNode policy = SamFunction.awsManaged("service-role/AWSLambdaSQSQueueExecutionRole");
            if (!managed.toString().contains("AWSLambdaSQSQueueExecutionRole")) {
                managed.add(policy);
            }
        }
        out.put(logicalId, mapping);
    }

    private void rule(String eventId, String logicalId, ObjectNode props, Set<String> known, Map<String, JsonNode> out) {
        check(eventId, props, known, known == SCHEDULE ? "Schedule" : "EventBridgeRule");
        ObjectNode rule = Template.NODES.objectNode();
        rule.put("Type", "AWS::Events::Rule");
        ObjectNode rp = rule.putObject("Properties");
        if (known == SCHEDULE) {
            if (!props.has("Schedule")) {
                throw invalid(eventId, "Missing required property 'Schedule'.");
            }
            rp.set("ScheduleExpression", props.get("Schedule").deepCopy());
            if (props.has("Description")) {
                rp.set("Description", props.get("Description").deepCopy());
            }
            if (props.has("Name")) {
                rp.set("Name", props.get("Name").deepCopy());
            }
            if (props.has("State") && props.has("Enabled")) {
                throw invalid(eventId, "State and Enabled Properties cannot both be specified.");
            }
            if (props.has("Enabled")) {
                JsonNode enabled = props.get("Enabled");
                rp.put("State", enabled.asBoolean() || "true".equalsIgnoreCase(enabled.asText()) ? "ENABLED" : "DISABLED");
            }
        } else {
            if (!props.has("Pattern")) {
                throw invalid(eventId, "Missing required property 'Pattern'.");
            }
            rp.set("EventPattern", props.get("Pattern").deepCopy());
            if (props.has("EventBusName")) {
                rp.set("EventBusName", props.get("EventBusName").deepCopy());
            }
            if (props.has("RuleName")) {
                rp.set("Name", props.get("RuleName").deepCopy());
            }
        }
        if (props.has("State")) {
            rp.set("State", props.get("State").deepCopy());
        }
        ObjectNode t = rp.putArray("Targets").addObject();
        t.set("Arn", arn());
        t.put("Id", logicalId + "LambdaTarget");
        for (String key : new String[] {"Input", "InputPath"}) {
            if (props.has(key)) {
                t.set(key, props.get(key).deepCopy());
            }
        }
        out.put(logicalId, rule);
        ObjectNode permission = Template.NODES.objectNode();
        permission.put("Type", "AWS::Lambda::Permission");
        ObjectNode pp = permission.putObject("Properties");
        pp.put("Action", "lambda:InvokeFunction");
        pp.set("FunctionName", ref(target));
        pp.put("Principal", "events.amazonaws.com");
        ObjectNode source = pp.putObject("SourceArn");
        source.putArray("Fn::GetAtt").add(logicalId).add("Arn");
        out.put(logicalId + "Permission", permission);
    }
}
