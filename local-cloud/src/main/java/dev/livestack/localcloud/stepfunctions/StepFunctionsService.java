package dev.livestack.localcloud.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.AwsRequest;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.JsonService;
import dev.livestack.localcloud.core.StateStore;
import dev.livestack.localcloud.core.ValidationErrors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Step Functions over awsJson1_0 ({@code X-Amz-Target: AWSStepFunctions.<Op>}): the state machine
 * lifecycle (Create, Describe, Update, Delete, List), kept in the state folder, and the
 * {@code AWS::StepFunctions::StateMachine} resource for CloudFormation. Nothing executes: local-cloud
 * stores definitions so that deploys and hot-swaps can be checked against what the service would hold.
 */
public final class StepFunctionsService extends JsonService {
    static final String JSON_1_0 = "application/x-amz-json-1.0";
    private static final Set<String> TYPES = Set.of("STANDARD", "EXPRESS");
    private static final Set<String> LOG_LEVELS = Set.of("ALL", "ERROR", "FATAL", "OFF");
    private static final int DEFAULT_PAGE = 100;

    private final CloudContext context;
    private final StepFunctionsDefinitions definitions = new StepFunctionsDefinitions();
    private final Path file;
    /** By ARN; a TreeMap so that listing and the saved file have a stable order. */
    private final Map<String, ObjectNode> machines = new TreeMap<>();

    public StepFunctionsService(CloudContext context) {
        this.context = context;
        this.file = context.store().folder("states").resolve("state-machines.json");
        Map<String, ObjectNode> saved = context.store().load(file, StateStore::objectsByKey);
        if (saved != null) {
            machines.putAll(saved);
        }
        context.register(new StepFunctionsStateMachineProvider(this));
    }

    @Override
    public String signingName() {
        return "states";
    }

    @Override
    public synchronized void reset() {
        machines.clear();
        save();
    }

    @Override
    public String contentType() {
        return JSON_1_0;
    }

    @Override
    public ObjectNode call(String operation, JsonNode input, AwsRequest request) {
        ObjectNode out = Http.JSON.createObjectNode();
        switch (operation) {
            case "CreateStateMachine" -> {
                ObjectNode m = create(required(input, "name"), required(input, "definition"), required(input, "roleArn"),
                        text(input, "type"), input.get("loggingConfiguration"), input.get("tracingConfiguration"),
                        input.get("tags"));
                out.put("stateMachineArn", m.get("stateMachineArn").asText());
                out.set("creationDate", m.get("creationDate"));
            }
            case "DescribeStateMachine" -> out.setAll(describe(required(input, "stateMachineArn")));
            case "UpdateStateMachine" -> {
                ObjectNode m = update(required(input, "stateMachineArn"), text(input, "definition"), text(input, "roleArn"),
                        input.get("loggingConfiguration"), input.get("tracingConfiguration"));
                out.set("updateDate", m.get("updateDate"));
                out.set("revisionId", m.get("revisionId"));
            }
            case "DeleteStateMachine" -> delete(required(input, "stateMachineArn"));
            case "ListStateMachines" -> list(input, out);
            case "TagResource" -> tag(required(input, "resourceArn"), input.get("tags"));
            case "UntagResource" -> untag(required(input, "resourceArn"), input.get("tagKeys"));
            case "ListTagsForResource" -> out.set("tags", tags(required(input, "resourceArn")));
            default -> throw new AwsException(400, "UnknownOperationException", "Unknown operation " + operation);
        }
        return out;
    }

    /**
     * Creates a state machine. As on AWS, a repeat with the same name, definition, type, logging and
     * tracing answers the existing machine; a different role or tags do not count and are not applied.
     */
    synchronized ObjectNode create(String name, String definition, String roleArn, String type, JsonNode logging,
                                   JsonNode tracing, JsonNode tags) {
        checkName(name);
        definitions.validate(definition);
        checkRoleArn(roleArn);
        String machineType = type == null ? "STANDARD" : type;
        if (!TYPES.contains(machineType)) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected("Value '" + type
                    + "' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]"));
        }
        ObjectNode loggingConfiguration = logging(logging);
        ObjectNode tracingConfiguration = tracing(tracing);
        String arn = context.arn("states", "stateMachine:" + name);
        ObjectNode existing = machines.get(arn);
        if (existing != null) {
            boolean same = existing.get("definition").asText().equals(definition)
                    && existing.get("type").asText().equals(machineType)
                    && existing.get("loggingConfiguration").equals(loggingConfiguration)
                    && existing.get("tracingConfiguration").equals(tracingConfiguration);
            if (same) {
                return existing.deepCopy();
            }
            throw new AwsException(400, "StateMachineAlreadyExists", "State Machine Already Exists: '" + arn + "'");
        }
        ObjectNode m = Http.JSON.createObjectNode();
        m.put("stateMachineArn", arn);
        m.put("name", name);
        m.put("status", "ACTIVE");
        m.put("definition", definition);
        m.put("roleArn", roleArn);
        m.put("type", machineType);
        m.put("creationDate", now());
        m.set("loggingConfiguration", loggingConfiguration);
        m.set("tracingConfiguration", tracingConfiguration);
        m.put("revisionId", UUID.randomUUID().toString());
        ArrayNode tagList = m.putArray("tags");
        if (tags != null && tags.isArray()) {
            tags.forEach(tagList::add);
        }
        machines.put(arn, m);
        save();
        return m.deepCopy();
    }

    /** The DescribeStateMachine output for one machine. */
    synchronized ObjectNode describe(String arn) {
        ObjectNode m = find(arn);
        ObjectNode out = m.deepCopy();
        out.remove("tags");
        out.remove("updateDate");
        // AWS shows a revision only once an update made one; the first one stays internal (CloudFormation's attribute)
        if (!out.path("revised").asBoolean(false)) {
            out.remove("revisionId");
        }
        out.remove("revised");
        return out;
    }

    /**
     * Changes what is given (null leaves a field as it is); an update that changes something stamps a new
     * {@code revisionId}, one that changes nothing answers the current one, as AWS does.
     */
    synchronized ObjectNode update(String arn, String definition, String roleArn, JsonNode logging, JsonNode tracing) {
        ObjectNode m = find(arn);
        if (definition == null && roleArn == null && logging == null && tracing == null) {
            throw new AwsException(400, "MissingRequiredParameter",
                    "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified");
        }
        if (definition != null) {
            definitions.validate(definition);
        }
        if (roleArn != null) {
            checkRoleArn(roleArn);
        }
        ObjectNode loggingConfiguration = logging == null ? null : logging(logging);
        ObjectNode tracingConfiguration = tracing == null ? null : tracing(tracing);
        ObjectNode before = m.deepCopy();
        if (definition != null) {
            m.put("definition", definition);
        }
        if (roleArn != null) {
            m.put("roleArn", roleArn);
        }
        if (loggingConfiguration != null) {
            m.set("loggingConfiguration", loggingConfiguration);
        }
        if (tracingConfiguration != null) {
            m.set("tracingConfiguration", tracingConfiguration);
        }
        m.put("updateDate", now());
        if (!m.get("definition").equals(before.get("definition")) || !m.get("roleArn").equals(before.get("roleArn"))
                || !m.get("loggingConfiguration").equals(before.get("loggingConfiguration"))
                || !m.get("tracingConfiguration").equals(before.get("tracingConfiguration"))) {
            m.put("revisionId", UUID.randomUUID().toString());
            m.put("revised", true);
        }
        save();
        return m.deepCopy();
    }

    /** The machine a tagging call names; anything else (a version, an unknown ARN) is not found, as on AWS. */
    private ObjectNode tagged(String arn) {
        ObjectNode m = machines.get(arn);
        if (m == null) {
            throw new AwsException(400, "ResourceNotFound", "Resource not found: '" + arn + "'");
        }
        return m;
    }

    /** Adds or replaces tags by key, keeping the order keys were first given. */
    synchronized void tag(String arn, JsonNode tags) {
        ObjectNode m = tagged(arn);
        ArrayNode list = (ArrayNode) m.get("tags");
        if (tags != null && tags.isArray()) {
            for (JsonNode t : tags) {
                String key = t.path("key").asText();
                ObjectNode existing = null;
                for (JsonNode have : list) {
                    if (have.path("key").asText().equals(key)) {
                        existing = (ObjectNode) have;
                    }
                }
                if (existing == null) {
                    list.addObject().put("key", key).put("value", t.path("value").asText(""));
                } else {
                    existing.put("value", t.path("value").asText(""));
                }
            }
        }
        save();
    }

    synchronized void untag(String arn, JsonNode keys) {
        ObjectNode m = tagged(arn);
        java.util.Set<String> remove = new java.util.HashSet<>();
        if (keys != null && keys.isArray()) {
            keys.forEach(k -> remove.add(k.asText()));
        }
        ArrayNode list = (ArrayNode) m.get("tags");
        for (int i = list.size() - 1; i >= 0; i--) {
            if (remove.contains(list.get(i).path("key").asText())) {
                list.remove(i);
            }
        }
        save();
    }

    synchronized ArrayNode tags(String arn) {
        return ((ArrayNode) tagged(arn).get("tags")).deepCopy();
    }

    /** Deletes a state machine; one that does not exist is not an error, as with AWS. */
    synchronized void delete(String arn) {
        checkStateMachineArn(arn);
        if (machines.remove(arn) != null) {
            save();
        }
    }

    /** Whether a state machine with this ARN exists. */
    synchronized boolean exists(String arn) {
        return machines.containsKey(arn);
    }

    /**
     * Takes over a machine CloudFormation recorded before local-cloud served Step Functions: its ARN
     * is kept so the stack's physical id stays right.
     */
    synchronized ObjectNode adopt(String arn, String definition, String roleArn, String type) {
        String name = arn.substring(arn.lastIndexOf(':') + 1);
        ObjectNode m = create(name, definition, roleArn, type, null, null, null);
        if (!m.get("stateMachineArn").asText().equals(arn)) {
            // another account or region in the ARN: keep the recorded one, which is what the stack points at
            machines.remove(m.get("stateMachineArn").asText());
            m.put("stateMachineArn", arn);
            machines.put(arn, m);
            save();
        }
        return m.deepCopy();
    }

    private void list(JsonNode input, ObjectNode out) {
        int max = input.path("maxResults").asInt(0);
        if (max < 0 || max > 1000) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected("Value '" + max
                    + "' at 'maxResults' failed to satisfy constraint: Member must have value "
                    + (max < 0 ? "greater than or equal to 0" : "less than or equal to 1000")));
        }
        int page = max == 0 ? DEFAULT_PAGE : max;
        String token = text(input, "nextToken");
        if (token != null && token.length() > 1024) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected("Value '" + token
                    + "' at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to 1024"));
        }
        int start = token == null ? 0 : decodeToken(token);
        List<ObjectNode> all;
        synchronized (this) {
            all = new ArrayList<>(machines.values().stream().map(ObjectNode::deepCopy).toList());
        }
        // AWS lists by name (recorded: statemachine_0, statemachine_10, ..., statemachine_1); the ARN breaks ties
        all.sort((a, b) -> {
            int byName = a.get("name").asText().compareTo(b.get("name").asText());
            return byName != 0 ? byName : a.get("stateMachineArn").asText().compareTo(b.get("stateMachineArn").asText());
        });
        ArrayNode items = out.putArray("stateMachines");
        int end = Math.min(all.size(), start + page);
        for (int i = start; i < end; i++) {
            ObjectNode m = all.get(i);
            ObjectNode item = items.addObject();
            item.set("stateMachineArn", m.get("stateMachineArn"));
            item.set("name", m.get("name"));
            item.set("type", m.get("type"));
            item.set("creationDate", m.get("creationDate"));
        }
        if (end < all.size()) {
            out.put("nextToken", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("sfn-list:" + end).getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static int decodeToken(String token) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (s.startsWith("sfn-list:")) {
                int n = Integer.parseInt(s.substring("sfn-list:".length()));
                if (n >= 0) {
                    return n;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error AWS gives for a token it did not issue
        }
        throw new AwsException(400, "InvalidToken", "Invalid Token: '" + token + "'");
    }

    private ObjectNode find(String arn) {
        checkStateMachineArn(arn);
        ObjectNode m = machines.get(arn);
        if (m == null) {
            throw new AwsException(400, "StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
        }
        return m;
    }

    /** Rejects what is not a state machine ARN, with the reasons AWS gives. */
    static void checkStateMachineArn(String arn) {
        String[] parts = arn.split(":", -1);
        if (!arn.startsWith("arn:") || parts.length < 6) {
            throw new AwsException(400, "InvalidArn", "Invalid Arn: 'Invalid ARN prefix: " + arn + "'");
        }
        if (!parts[2].equals("states")) {
            throw new AwsException(400, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: " + parts[2] + "'");
        }
        if (!parts[5].equals("stateMachine")) {
            throw new AwsException(400, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: " + parts[5] + "'");
        }
        if (parts.length != 7 || parts[6].isEmpty()) {
            throw new AwsException(400, "InvalidArn", "Invalid Arn: 'Invalid state machine ARN: " + arn + "'");
        }
    }

    private static void checkRoleArn(String roleArn) {
        String[] parts = roleArn.split(":", 6);
        if (!roleArn.startsWith("arn:") || parts.length < 6) {
            throw new AwsException(400, "InvalidArn", "Invalid Arn: 'Invalid ARN prefix: " + roleArn + "'");
        }
        if (!parts[2].equals("iam") || !parts[5].startsWith("role/")) {
            throw new AwsException(400, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: "
                    + (parts[2].equals("iam") ? parts[5].split("/", 2)[0] : parts[2]) + "'");
        }
    }

    /** State machine names: 1 to 80 characters, none of the characters AWS forbids. */
    static void checkName(String name) {
        if (name.isEmpty() || name.length() > 80) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected("Value '" + name
                    + "' at 'name' failed to satisfy constraint: Member must have length "
                    + (name.isEmpty() ? "greater than or equal to 1" : "less than or equal to 80")));
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || "<>{}[]?*\"#%\\^|~`$&,;:/".indexOf(c) >= 0 || c <= 0x1f
                    || c >= 0x7f && c <= 0x9f || Character.isSurrogate(c) || c == 0xfffe || c == 0xffff) {
                throw new AwsException(400, "InvalidName", "Invalid Name: '" + name + "'");
            }
        }
    }

    private static ObjectNode logging(JsonNode logging) {
        ObjectNode out = Http.JSON.createObjectNode();
        String level = logging == null ? "OFF" : logging.path("level").asText("OFF");
        if (!LOG_LEVELS.contains(level)) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected("Value '" + level
                    + "' at 'loggingConfiguration.level' failed to satisfy constraint: Member must satisfy enum value set: "
                    + "[ALL, ERROR, FATAL, OFF]"));
        }
        out.put("level", level);
        out.put("includeExecutionData", logging != null && logging.path("includeExecutionData").asBoolean(false));
        JsonNode destinations = logging == null ? null : logging.get("destinations");
        int count = destinations == null || !destinations.isArray() ? 0 : destinations.size();
        if (count > 1) {
            throw new AwsException(400, "InvalidLoggingConfiguration",
                    "Invalid Logging Configuration: Must specify exactly one Log Destination.");
        }
        if (!level.equals("OFF") && count == 0) {
            throw new AwsException(400, "InvalidLoggingConfiguration",
                    "Invalid Logging Configuration: Must specify exactly one Log Destination.");
        }
        if (count == 1) {
            String group = destinations.get(0).path("cloudWatchLogsLogGroup").path("logGroupArn").asText("");
            if (!group.startsWith("arn:") || !group.contains(":log-group:") || !group.endsWith(":*")) {
                throw new AwsException(400, "InvalidLoggingConfiguration",
                        "Invalid Logging Configuration: Invalid log group ARN '" + group
                                + "'; it must be a CloudWatch Logs log group ARN ending in ':*'.");
            }
            out.putArray("destinations").addObject().putObject("cloudWatchLogsLogGroup").put("logGroupArn", group);
        } else if (destinations != null && destinations.isArray()) {
            // an empty list given stays in the description, as AWS keeps it
            out.putArray("destinations");
        }
        return out;
    }

    private static ObjectNode tracing(JsonNode tracing) {
        ObjectNode out = Http.JSON.createObjectNode();
        out.put("enabled", tracing != null && tracing.path("enabled").asBoolean(false));
        return out;
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    private void save() {
        ObjectNode all = Http.JSON.createObjectNode();
        machines.forEach(all::set);
        context.store().writeJson(file, all);
    }
}
