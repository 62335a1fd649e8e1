package dev.livestack.localcloud;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * CloudFormation's state and its state machine: stacks, change sets, events, exports, and the
 * background operations (create, update, rollback, delete) that move stacks between statuses.
 * Every read and write of state holds {@link #lock}; provider calls run outside it so that callers
 * can poll while a resource is being provisioned.
 *
 * <pre>
 *  create:  CREATE_IN_PROGRESS ─► CREATE_COMPLETE
 *                 └─(resource fails)─► ROLLBACK_IN_PROGRESS ─► ROLLBACK_COMPLETE   (or CREATE_FAILED without rollback)
 *  update:  UPDATE_IN_PROGRESS ─► UPDATE_COMPLETE_CLEANUP_IN_PROGRESS ─► UPDATE_COMPLETE
 *                 └─(resource fails)─► UPDATE_ROLLBACK_IN_PROGRESS ─► UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS ─► UPDATE_ROLLBACK_COMPLETE
 *                                               └─(a restore fails)─► UPDATE_ROLLBACK_FAILED
 *  continue rollback: UPDATE_ROLLBACK_FAILED ─► UPDATE_ROLLBACK_IN_PROGRESS ─► (as above, the restores that failed retried
 *                     or skipped) ─► UPDATE_ROLLBACK_COMPLETE  (or UPDATE_ROLLBACK_FAILED again)
 *  delete:  DELETE_IN_PROGRESS ─► DELETE_COMPLETE  (or DELETE_FAILED)
 *  change set: CREATE_PENDING ─► CREATE_IN_PROGRESS ─► CREATE_COMPLETE | FAILED;
 *              execution AVAILABLE ─► EXECUTE_IN_PROGRESS ─► EXECUTE_COMPLETE | EXECUTE_FAILED (others OBSOLETE)
 * </pre>
 */
final class StackEngine implements AutoCloseable {
    static final String NO_CHANGES = "The submitted information didn't contain changes. Submit different information to create a change set.";
    private static final Set<String> IAM_TYPES = Set.of("AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy",
            "AWS::IAM::User", "AWS::IAM::Group", "AWS::IAM::AccessKey", "AWS::IAM::InstanceProfile",
            "AWS::IAM::UserToGroupAddition");
    private static final Map<String, String> IAM_NAMES = Map.of("AWS::IAM::Role", "RoleName", "AWS::IAM::ManagedPolicy",
            "ManagedPolicyName", "AWS::IAM::User", "UserName", "AWS::IAM::Group", "GroupName",
            "AWS::IAM::InstanceProfile", "InstanceProfileName");

    final Object lock = new Object();
    private final CloudContext context;
    private final RecordedTypes recorded;
    private final ObjectMapper mapper;
    private final Path stacksDir;
    private final Path changeSetsDir;
    /** Every stack ever created, by stack id (deleted ones stay, as in AWS, visible by id). */
    private final Map<String, StackRecord> stacks = new LinkedHashMap<>();
    private final Map<String, ChangeSetRecord> changeSets = new LinkedHashMap<>();
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "local-cloud-cloudformation");
        t.setDaemon(true);
        return t;
    });

    /** What a submission resolved to: template, parameter values, capabilities it needs. */
    record Prepared(Template template, List<StackRecord.Param> parameters, Map<String, JsonNode> values) {
    }

    StackEngine(CloudContext context) {
        this.context = context;
        this.recorded = new RecordedTypes(context);
        this.mapper = new ObjectMapper()
                .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        this.stacksDir = context.store().folder("cloudformation/stacks");
        this.changeSetsDir = context.store().folder("cloudformation/changesets");
        load();
    }

    // ---------------------------------------------------------------- persistence

    private void load() {
        for (Path file : list(stacksDir)) {
            StackRecord s = read(file, StackRecord.class);
            if (s == null) {
                continue;
            }
            if (s.status != null && s.status.endsWith("_IN_PROGRESS") && !s.status.equals("REVIEW_IN_PROGRESS")) {
                // The operation died with the previous process; say so instead of pretending it runs.
                String failed = s.status.startsWith("DELETE") ? "DELETE_FAILED"
                        : s.status.startsWith("CREATE") || s.status.startsWith("ROLLBACK") ? "ROLLBACK_FAILED"
                        : "UPDATE_ROLLBACK_FAILED";
                s.status = failed;
                s.statusReason = "local-cloud stopped while the operation was in progress";
            }
            stacks.put(s.stackId, s);
        }
        for (Path file : list(changeSetsDir)) {
            ChangeSetRecord c = read(file, ChangeSetRecord.class);
            if (c == null) {
                continue;
            }
            if ("CREATE_PENDING".equals(c.status) || "CREATE_IN_PROGRESS".equals(c.status)) {
                c.status = "FAILED";
                c.statusReason = "local-cloud stopped while the change set was being created";
                c.executionStatus = "UNAVAILABLE";
            } else if ("EXECUTE_IN_PROGRESS".equals(c.executionStatus)) {
                c.executionStatus = "EXECUTE_FAILED";
            }
            changeSets.put(c.id, c);
        }
    }

    private List<Path> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A record, or null when it cannot be read (it is then quarantined, and the others still load). */
    private <T> T read(Path file, Class<T> type) {
        try {
            T value = mapper.readValue(file.toFile(), type);
            if (value == null) {
                throw new IOException("the file holds no record");
            }
            return value;
        } catch (IOException e) {
            context.store().quarantine(file, e);
            return null;
        }
    }

    void save(StackRecord s) {
        context.store().writeJson(stacksDir.resolve(tail(s.stackId) + ".json"), mapper.valueToTree(s));
    }

    void save(ChangeSetRecord c) {
        context.store().writeJson(changeSetsDir.resolve(tail(c.id) + ".json"), mapper.valueToTree(c));
    }

    private void forget(ChangeSetRecord c) {
        changeSets.remove(c.id);
        try {
            Files.deleteIfExists(changeSetsDir.resolve(tail(c.id) + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    void reset() {
        synchronized (lock) {
            stacks.clear();
            changeSets.clear();
            for (Path dir : List.of(stacksDir, changeSetsDir)) {
                for (Path f : list(dir)) {
                    try {
                        Files.deleteIfExists(f);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    // ---------------------------------------------------------------- lookups

    Collection<StackRecord> stacks() {
        return stacks.values();
    }

    Collection<ChangeSetRecord> changeSets() {
        return changeSets.values();
    }

    /** A live stack by name or id, or a deleted one by id; null when none. */
    StackRecord find(String nameOrId) {
        if (nameOrId == null) {
            return null;
        }
        if (nameOrId.startsWith("arn:")) {
            return stacks.get(nameOrId);
        }
        for (StackRecord s : stacks.values()) {
            if (s.stackName.equals(nameOrId) && !s.deleted()) {
                return s;
            }
        }
        return null;
    }

    StackRecord require(String nameOrId) {
        StackRecord s = find(nameOrId);
        if (s == null) {
            throw AwsException.validation("Stack with id " + nameOrId + " does not exist");
        }
        return s;
    }

    ChangeSetRecord changeSet(String nameOrArn, String stackNameOrId) {
        if (nameOrArn.startsWith("arn:")) {
            ChangeSetRecord c = changeSets.get(nameOrArn);
            if (c != null) {
                return c;
            }
        } else {
            if (stackNameOrId == null) {
                throw AwsException.validation("StackName must be specified if ChangeSetName is not specified as an ARN.");
            }
            StackRecord s = find(stackNameOrId);
            if (s != null) {
                for (ChangeSetRecord c : changeSets.values()) {
                    if (c.name.equals(nameOrArn) && c.stackId.equals(s.stackId)) {
                        return c;
                    }
                }
            }
        }
        throw new AwsException(404, "ChangeSetNotFound", "ChangeSet [" + nameOrArn + "] does not exist");
    }

    Map<String, String> exports() {
        Map<String, String> out = new LinkedHashMap<>();
        for (StackRecord s : stacks.values()) {
            if (s.deleted()) {
                continue;
            }
            for (StackRecord.Output o : s.outputs) {
                if (o.exportName != null) {
                    out.put(o.exportName, o.value);
                }
            }
        }
        return out;
    }

    String exporter(String exportName) {
        for (StackRecord s : stacks.values()) {
            if (!s.deleted() && s.outputs.stream().anyMatch(o -> exportName.equals(o.exportName))) {
                return s.stackId;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- submission checks

    /**
     * Everything CloudFormation checks synchronously when a template is submitted: the template, the
     * parameters (defaults, allowed values, SSM-typed values, previous values), the rules, the
     * capabilities, and the exports it imports.
     */
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
                resolved = context.ssm() == null ? null : context.ssm().value(value);
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
        Intrinsics in = new Intrinsics(template, values, pseudo(stackName, previous == null ? "arn:pending" : previous.stackId),
                id -> template.resources().has(id) ? new Intrinsics.ResourceView(template.resources().get(id).path("Type").asText(), null, Map.of()) : null,
                name -> exports().get(name), true);
        try {
            for (String c : Template.names(template.section("Conditions"))) {
                in.condition(c);
            }
            checkRules(template, in);
            checkImports(template, in);
        } catch (Intrinsics.TemplateError e) {
            throw AwsException.validation(e.getMessage());
        }
        checkCapabilities(template, capabilities);
        return new Prepared(template, params, values);
    }

    private static String join(JsonNode array) {
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
            if (name != null && name.isTextual() && !Intrinsics.unresolved(name) && !exports().containsKey(name.asText())) {
                throw AwsException.validation("No export named " + name.asText() + " found. Rollback requested by user.");
            }
        }
    }

    private static void collect(JsonNode node, String function, List<JsonNode> out) {
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

    // ---------------------------------------------------------------- stacks and change sets

    StackRecord newStack(String name, String status) {
        StackRecord s = new StackRecord();
        s.stackName = name;
        s.stackId = context.arn("cloudformation", "stack/" + name + "/" + UUID.randomUUID());
        s.status = status;
        s.creationTime = System.currentTimeMillis();
        stacks.put(s.stackId, s);
        return s;
    }

    /** Computes a change set's changes in the background, as CloudFormation does. */
    void computeChangeSet(ChangeSetRecord cs, Prepared prepared) {
        cs.status = "CREATE_PENDING";
        cs.executionStatus = "UNAVAILABLE";
        save(cs);
        workers.submit(() -> {
            synchronized (lock) {
                cs.status = "CREATE_IN_PROGRESS";
                try {
                    StackRecord s = stacks.get(cs.stackId);
                    List<ObjectNode> changes = changes(s, prepared, s.templateBody == null);
                    if (changes.isEmpty() && !otherChanges(s, prepared, cs.tags)) {
                        cs.status = "FAILED";
                        cs.statusReason = NO_CHANGES;
                        cs.executionStatus = "UNAVAILABLE";
                    } else {
                        cs.changes = changes;
                        cs.status = "CREATE_COMPLETE";
                        cs.executionStatus = "AVAILABLE";
                    }
                } catch (AwsException | Intrinsics.TemplateError e) {
                    cs.status = "FAILED";
                    cs.statusReason = e.getMessage();
                    cs.executionStatus = "UNAVAILABLE";
                }
                if (changeSets.containsKey(cs.id)) {
                    save(cs);
                }
            }
        });
    }

    /** Whether anything besides resources changed: outputs, parameters, tags, the template's other sections. */
    boolean otherChanges(StackRecord s, Prepared prepared, Map<String, String> tags) {
        if (s.templateBody == null) {
            return true;
        }
        ObjectNode oldRoot = Template.parse(s.templateBody).root().deepCopy();
        ObjectNode newRoot = prepared.template().root().deepCopy();
        for (ObjectNode r : List.of(oldRoot, newRoot)) {
            r.remove("Resources");
            r.remove("Description");
            r.remove("Metadata");
        }
        if (!oldRoot.equals(newRoot)) {
            return true;
        }
        Map<String, String> oldValues = new HashMap<>();
        s.parameters.forEach(p -> oldValues.put(p.key, p.resolvedValue != null ? p.resolvedValue : p.value));
        Map<String, String> newValues = new HashMap<>();
        prepared.parameters().forEach(p -> newValues.put(p.key, p.resolvedValue != null ? p.resolvedValue : p.value));
        return !oldValues.equals(newValues) || (tags != null && !tags.equals(s.tags));
    }

    /**
     * The resource changes between a stack's current resources and a submitted template, as
     * DescribeChangeSet shows them. Resources replaced by this change make their dependents'
     * references unknown (Dynamic), as in CloudFormation.
     */
    List<ObjectNode> changes(StackRecord s, Prepared prepared, boolean create) {
        Template t = prepared.template();
        Map<String, StackRecord.Resource> current = new LinkedHashMap<>();
        if (!create) {
            s.resources.forEach((id, r) -> {
                if (!"DELETE_COMPLETE".equals(r.status) && r.physicalId != null) {
                    current.put(id, r);
                }
            });
        }
        Set<String> unknown = new LinkedHashSet<>();
        Intrinsics probe = intrinsics(s, prepared, current, unknown, true);
        List<String> included = new ArrayList<>();
        for (var e : Template.iterable(t.resources())) {
            if (probe.included(e.getValue())) {
                included.add(e.getKey());
            }
        }
        included.stream().filter(id -> !current.containsKey(id)).forEach(unknown::add);
        Template oldTemplate = create || s.templateBody == null ? null : Template.parse(s.templateBody);
        List<ObjectNode> out = new ArrayList<>();
        Map<String, ObjectNode> modifications = new LinkedHashMap<>();
        for (int pass = 0; pass < 10; pass++) {
            Intrinsics in = intrinsics(s, prepared, current, unknown, true);
            modifications.clear();
            boolean grew = false;
            for (String id : included) {
                StackRecord.Resource old = current.get(id);
                if (old == null) {
                    continue;
                }
                JsonNode def = t.resources().get(id);
                String type = def.path("Type").asText();
                if (!type.equals(old.type)) {
                    throw AwsException.validation("Update of resource type is not permitted. The new template modifies resource type of the following resources: [" + id + "]");
                }
                ObjectNode props = properties(in, def);
                JsonNode oldDef = oldTemplate == null ? null : oldTemplate.resources().get(id);
                ObjectNode change = modification(id, old, def, oldDef, props, t.parameters());
                if (change != null) {
                    modifications.put(id, change);
                    if ("True".equals(change.path("ResourceChange").path("Replacement").asText()) && unknown.add(id)) {
                        grew = true;
                    }
                }
            }
            if (!grew) {
                break;
            }
        }
        for (String id : included) {
            if (!current.containsKey(id)) {
                ObjectNode rc = Template.NODES.objectNode();
                rc.put("Action", "Add");
                rc.put("LogicalResourceId", id);
                rc.put("ResourceType", t.resources().get(id).path("Type").asText());
                rc.putArray("Scope");
                rc.putArray("Details");
                try {
                    rc.put("AfterContext", context(properties(intrinsics(s, prepared, current, unknown, true), t.resources().get(id))));
                } catch (Intrinsics.TemplateError e) {
                    // the property values are only a preview; the deployment reports the error
                }
                out.add(wrap(rc));
            } else if (modifications.containsKey(id)) {
                out.add(modifications.get(id));
            }
        }
        for (StackRecord.Resource old : current.values()) {
            if (!included.contains(old.logicalId)) {
                ObjectNode rc = Template.NODES.objectNode();
                rc.put("PolicyAction", "Delete");
                rc.put("Action", "Remove");
                rc.put("LogicalResourceId", old.logicalId);
                rc.put("PhysicalResourceId", old.physicalId);
                rc.put("ResourceType", old.type);
                rc.putArray("Scope");
                rc.putArray("Details");
                rc.put("BeforeContext", context(old.properties));
                out.add(wrap(rc));
            }
        }
        return out;
    }

    private static ObjectNode wrap(ObjectNode resourceChange) {
        ObjectNode c = Template.NODES.objectNode();
        c.put("Type", "Resource");
        c.set("ResourceChange", resourceChange);
        return c;
    }

    private ObjectNode modification(String id, StackRecord.Resource old, JsonNode def, JsonNode oldDef, ObjectNode props,
                                    JsonNode parameters) {
        ObjectNode oldProps = old.properties == null ? Template.NODES.objectNode() : old.properties;
        Set<String> names = new LinkedHashSet<>(Template.names(oldProps));
        names.addAll(Template.names(props));
        Set<String> replacing = replacementProperties(old.type);
        ArrayNode details = Template.NODES.arrayNode();
        ArrayNode scope = Template.NODES.arrayNode();
        String replacement = "False";
        for (String name : names) {
            JsonNode a = oldProps.get(name);
            JsonNode b = props.get(name);
            if (Objects.equals(a, b)) {
                continue;
            }
            boolean dynamic = Intrinsics.unresolved(b);
            boolean recreate = replacing.contains(name);
            JsonNode oldRaw = oldDef == null ? null : oldDef.path("Properties").get(name);
            JsonNode newRaw = def.path("Properties").get(name);
            String source = !Objects.equals(oldRaw, newRaw) ? "DirectModification"
                    : refersToParameter(newRaw, parameters) ? "ParameterReference" : "ResourceReference";
            ObjectNode d = details.addObject();
            ObjectNode target = d.putObject("Target");
            target.put("Attribute", "Properties");
            target.put("Name", name);
            target.put("RequiresRecreation", recreate ? (dynamic ? "Conditionally" : "Always") : "Never");
            d.put("Evaluation", dynamic ? "Dynamic" : "Static");
            d.put("ChangeSource", source);
            if (recreate) {
                replacement = dynamic && !"True".equals(replacement) ? "Conditional" : "True";
            }
            if (name.equals("Tags") && !contains(scope, "Tags")) {
                scope.add("Tags");
            }
        }
        boolean propsChanged = !details.isEmpty();
        JsonNode newMeta = def.get("Metadata");
        boolean metaChanged = !Objects.equals(old.metadata, newMeta);
        if (!propsChanged && !metaChanged) {
            return null;
        }
        ArrayNode fullScope = Template.NODES.arrayNode();
        if (propsChanged) {
            fullScope.add("Properties");
        }
        if (metaChanged) {
            fullScope.add("Metadata");
        }
        fullScope.addAll(scope);
        ObjectNode rc = Template.NODES.objectNode();
        rc.put("Action", "Modify");
        rc.put("LogicalResourceId", id);
        rc.put("PhysicalResourceId", old.physicalId);
        rc.put("ResourceType", old.type);
        rc.put("Replacement", replacement);
        rc.set("Scope", fullScope);
        rc.set("Details", details);
        rc.put("BeforeContext", context(oldProps));
        rc.put("AfterContext", context(props));
        return wrap(rc);
    }

    /**
     * A resource's property values as DescribeChangeSet shows them with IncludePropertyValues: a JSON
     * document, values not known before the deployment as {@code {{changeSet:KNOWN_AFTER_APPLY}}}.
     */
    private static String context(ObjectNode properties) {
        ObjectNode c = Template.NODES.objectNode();
        c.set("Properties", properties == null ? Template.NODES.objectNode() : properties);
        return c.toString().replaceAll("\\{\\{local-cloud:unresolved:[^}]*}}", "{{changeSet:KNOWN_AFTER_APPLY}}");
    }

    private static boolean contains(ArrayNode a, String v) {
        for (JsonNode n : a) {
            if (n.asText().equals(v)) {
                return true;
            }
        }
        return false;
    }

    private static boolean refersToParameter(JsonNode raw, JsonNode parameters) {
        boolean[] found = {false};
        Template.collectRefs(raw, (target, getAtt) -> found[0] |= !getAtt && parameters.has(target));
        return found[0];
    }

    Set<String> replacementProperties(String type) {
        ResourceProvider p = context.provider(type);
        return p != null ? p.replacementProperties() : RecordedTypes.replacementProperties(type);
    }

    private Intrinsics intrinsics(StackRecord s, Prepared prepared, Map<String, StackRecord.Resource> view, Set<String> unknown,
                                  boolean preview) {
        Template t = prepared.template();
        return new Intrinsics(t, prepared.values(), pseudo(s.stackName, s.stackId), id -> {
            JsonNode def = t.resources().get(id);
            if (def == null) {
                return null;
            }
            StackRecord.Resource r = view.get(id);
            if (r == null || r.physicalId == null || unknown.contains(id)) {
                return new Intrinsics.ResourceView(def.path("Type").asText(), null, Map.of());
            }
            return new Intrinsics.ResourceView(r.type, r.physicalId, r.attributes);
        }, name -> exports().get(name), preview);
    }

    private static ObjectNode properties(Intrinsics in, JsonNode def) {
        JsonNode p = in.resolve(def.get("Properties"));
        return p instanceof ObjectNode o ? o : Template.NODES.objectNode();
    }

    // ---------------------------------------------------------------- operations

    /** Starts creating or updating a stack to a prepared template; the caller has set nothing yet. */
    void startDeploy(StackRecord s, Prepared prepared, String body, List<String> capabilities, Map<String, String> tags,
                     String token, ChangeSetRecord executed) {
        boolean create = s.templateBody == null;
        Snapshot before = create ? null : new Snapshot(s);
        s.status = create ? "CREATE_IN_PROGRESS" : "UPDATE_IN_PROGRESS";
        s.statusReason = "User Initiated";
        if (!create) {
            s.lastUpdatedTime = System.currentTimeMillis();
        }
        s.capabilities = new ArrayList<>(capabilities);
        if (tags != null) {
            s.tags = new LinkedHashMap<>(tags);
        }
        s.changeSetId = executed == null ? null : executed.id;
        stackEvent(s, s.status, "User Initiated", token);
        s.statusReason = null;
        save(s);
        workers.submit(() -> {
            try {
                deploy(s, prepared, body, create, before, token, executed);
            } catch (RuntimeException | LinkageError e) {
                // A worker must never die silently: the stack would stay *_IN_PROGRESS for ever.
                synchronized (lock) {
                    s.status = create ? "CREATE_FAILED" : "UPDATE_ROLLBACK_FAILED";
                    s.statusReason = "Internal failure: " + e;
                    stackEvent(s, s.status, s.statusReason, token);
                    save(s);
                }
            }
        });
    }

    /**
     * The stack's resources and template before an update. A failed update never replaces the stack's template,
     * parameters, outputs or imports, so a rollback only has resources to put back.
     */
    private static final class Snapshot {
        final String templateBody;
        final Map<String, StackRecord.Resource> resources = new LinkedHashMap<>();

        Snapshot(StackRecord s) {
            templateBody = s.templateBody;
            s.resources.forEach((k, v) -> resources.put(k, v.copy()));
        }
    }

    private enum Action { CREATE, UPDATE, REPLACE }

    private void deploy(StackRecord s, Prepared prepared, String body, boolean create, Snapshot before, String token,
                        ChangeSetRecord executed) {
        Template t = prepared.template();
        List<String> included = new ArrayList<>();
        List<List<String>> waves;
        Intrinsics in;
        synchronized (lock) {
            s.deployingSecrets = noEchoValues(prepared.parameters());
            in = intrinsics(s, prepared, s.resources, Set.of(), false);
            for (var e : Template.iterable(t.resources())) {
                if (in.included(e.getValue())) {
                    included.add(e.getKey());
                }
            }
            waves = t.creationOrder(included);
        }
        List<String> done = new ArrayList<>();
        Map<String, StackRecord.Resource> replacedOld = new LinkedHashMap<>();
        Map<String, StackRecord.Resource> updatedOld = new LinkedHashMap<>();
        List<String> createdNew = new ArrayList<>();
        String failedId = null;
        String failedVerb = null;
        for (List<String> wave : waves) {
            Map<String, Action> actions = new LinkedHashMap<>();
            Map<String, ObjectNode> props = new LinkedHashMap<>();
            synchronized (lock) {
                for (String id : wave) {
                    JsonNode def = t.resources().get(id);
                    String type = def.path("Type").asText();
                    StackRecord.Resource old = s.resources.get(id);
                    boolean exists = old != null && old.physicalId != null && !"DELETE_COMPLETE".equals(old.status);
                    ObjectNode p;
                    try {
                        p = properties(in, def);
                    } catch (Intrinsics.TemplateError e) {
                        failedId = id;
                        failedVerb = exists ? "update" : "create";
                        resourceEvent(s, id, exists ? old.physicalId : "", type, exists ? "UPDATE_FAILED" : "CREATE_FAILED",
                                e.getMessage(), null, token);
                        break;
                    }
                    props.put(id, p);
                    if (!exists) {
                        actions.put(id, Action.CREATE);
                        StackRecord.Resource r = new StackRecord.Resource();
                        r.logicalId = id;
                        r.type = type;
                        r.status = "CREATE_IN_PROGRESS";
                        r.timestamp = System.currentTimeMillis();
                        r.metadata = def.get("Metadata");
                        r.deletionPolicy = def.path("DeletionPolicy").asText(null);
                        s.resources.put(id, r);
                        resourceEvent(s, id, "", type, "CREATE_IN_PROGRESS", null, p, token);
                    } else if (!p.equals(old.properties) || !Objects.equals(old.metadata, def.get("Metadata"))) {
                        boolean replace = false;
                        for (String name : replacementProperties(type)) {
                            replace |= !Objects.equals(p.get(name), old.properties == null ? null : old.properties.get(name));
                        }
                        if (replace) {
                            actions.put(id, Action.REPLACE);
                            replacedOld.put(id, old.copy());
                            resourceEvent(s, id, old.physicalId, type, "UPDATE_IN_PROGRESS",
                                    "Requested update requires the creation of a new physical resource; hence creating one.", p, token);
                        } else {
                            actions.put(id, Action.UPDATE);
                            updatedOld.put(id, old.copy());
                            resourceEvent(s, id, old.physicalId, type, "UPDATE_IN_PROGRESS", null, p, token);
                        }
                        old.status = "UPDATE_IN_PROGRESS";
                        old.metadata = def.get("Metadata");
                    }
                }
                save(s);
            }
            if (failedId != null) {
                break;
            }
            List<String> pending = new ArrayList<>(actions.keySet());
            for (String id : actions.keySet()) {
                pending.remove(id);
                Action action = actions.get(id);
                StackRecord.Resource r;
                synchronized (lock) {
                    r = s.resources.get(id);
                }
                String fault = context.faults().resourceFailure(id, r.type);
                try {
                    if (fault != null) {
                        throw new ResourceProvider.ResourceFailure(fault);
                    }
                    ResourceProvider.Provisioned result = switch (action) {
                        case CREATE, REPLACE -> provisionCreate(r.type, s.stackName, id, props.get(id));
                        case UPDATE -> provisionUpdate(r, s.stackName, props.get(id));
                    };
                    synchronized (lock) {
                        String prefix = action == Action.CREATE ? "CREATE" : "UPDATE";
                        if (action != Action.UPDATE) {
                            resourceEvent(s, id, result.physicalId(), r.type, prefix + "_IN_PROGRESS",
                                    "Resource creation Initiated", props.get(id), token);
                        }
                        r.physicalId = result.physicalId();
                        r.attributes = new LinkedHashMap<>(result.attributes());
                        r.properties = props.get(id);
                        r.status = prefix + "_COMPLETE";
                        r.statusReason = null;
                        r.timestamp = System.currentTimeMillis();
                        resourceEvent(s, id, r.physicalId, r.type, r.status, null, null, token);
                        if (action == Action.CREATE) {
                            createdNew.add(id);
                        }
                        done.add(id);
                    }
                } catch (RuntimeException e) {
                    String reason = e instanceof ResourceProvider.ResourceFailure || e instanceof Intrinsics.TemplateError
                            ? e.getMessage() : "Internal Failure: " + e;
                    synchronized (lock) {
                        boolean creating = action == Action.CREATE;
                        String prefix = creating ? "CREATE" : "UPDATE";
                        r.status = prefix + "_FAILED";
                        r.statusReason = reason;
                        resourceEvent(s, id, r.physicalId == null ? "" : r.physicalId, r.type, r.status, reason, null, token);
                        if (action == Action.REPLACE || action == Action.UPDATE) {
                            // The failed resource keeps its previous physical resource; rollback restores it.
                            done.add(id);
                        } else {
                            createdNew.add(id);
                        }
                        for (String other : pending) {
                            StackRecord.Resource o = s.resources.get(other);
                            boolean otherCreate = actions.get(other) == Action.CREATE;
                            o.status = otherCreate ? "CREATE_FAILED" : "UPDATE_FAILED";
                            o.statusReason = otherCreate ? "Resource creation cancelled" : "Resource update cancelled";
                            resourceEvent(s, other, o.physicalId == null ? "" : o.physicalId, o.type, o.status, o.statusReason, null, token);
                            if (otherCreate) {
                                createdNew.add(other);
                            } else {
                                done.add(other);
                            }
                        }
                        failedId = id;
                        failedVerb = creating ? "create" : "update";
                        save(s);
                    }
                    break;
                }
            }
            synchronized (lock) {
                // One write per wave: a crash mid-wave is reported as a failed operation on restart anyway.
                save(s);
            }
            if (failedId != null) {
                break;
            }
        }
        List<StackRecord.Output> outputs = new ArrayList<>();
        String outputFailure = null;
        if (failedId == null) {
            synchronized (lock) {
                try {
                    outputs = outputs(in, t, s);
                } catch (Intrinsics.TemplateError | AwsException e) {
                    outputFailure = e.getMessage();
                }
            }
        }
        synchronized (lock) {
            if (failedId == null && outputFailure == null) {
                s.templateBody = body;
                s.parameters = prepared.parameters();
                s.outputs = outputs;
                s.description = t.description();
                s.imports = importsOf(t, in);
                if (executed != null) {
                    executed.executionStatus = "EXECUTE_COMPLETE";
                    save(executed);
                }
            } else if (executed != null) {
                executed.executionStatus = "EXECUTE_FAILED";
                save(executed);
            }
        }
        if (create) {
            finishCreate(s, t, failedId, outputFailure, token);
        } else {
            finishUpdate(s, t, body, before, included, failedId, failedVerb, outputFailure, replacedOld, updatedOld, createdNew,
                    token);
        }
    }

    private List<StackRecord.Output> outputs(Intrinsics in, Template t, StackRecord s) {
        List<StackRecord.Output> out = new ArrayList<>();
        Map<String, String> taken = exports();
        for (var e : Template.iterable(t.section("Outputs"))) {
            JsonNode def = e.getValue();
            if (!in.included(def)) {
                continue;
            }
            JsonNode v = in.resolve(def.get("Value"));
            String value = v == null ? "" : v.isValueNode() ? v.asText() : join(v);
            String exportName = null;
            if (def.has("Export")) {
                JsonNode n = in.resolve(def.get("Export").get("Name"));
                exportName = n == null ? null : n.asText();
                String owner = exporter(exportName);
                if (owner != null && !owner.equals(s.stackId) && taken.containsKey(exportName)) {
                    throw AwsException.validation("Export with name " + exportName + " is already exported by stack "
                            + stacks.get(owner).stackName + ". Rollback requested by user.");
                }
            }
            out.add(new StackRecord.Output(e.getKey(), value, def.path("Description").asText(null), exportName));
        }
        for (StackRecord.Output old : s.outputs) {
            if (old.exportName == null) {
                continue;
            }
            StackRecord.Output now = out.stream().filter(o -> old.exportName.equals(o.exportName)).findFirst().orElse(null);
            if (now == null || !now.value.equals(old.value)) {
                String importer = importer(old.exportName, s.stackId);
                if (importer != null) {
                    throw AwsException.validation("Cannot " + (now == null ? "delete" : "update") + " export " + old.exportName
                            + " as it is in use by " + importer);
                }
            }
        }
        return out;
    }

    private String importer(String exportName, String exceptStackId) {
        for (StackRecord other : stacks.values()) {
            if (!other.deleted() && !other.stackId.equals(exceptStackId) && other.imports.contains(exportName)) {
                return other.stackName;
            }
        }
        return null;
    }

    private List<String> importsOf(Template t, Intrinsics in) {
        List<JsonNode> args = new ArrayList<>();
        collect(t.resources(), "Fn::ImportValue", args);
        collect(t.section("Outputs"), "Fn::ImportValue", args);
        List<String> out = new ArrayList<>();
        for (JsonNode a : args) {
            try {
                JsonNode n = in.resolve(a);
                if (n != null && n.isTextual()) {
                    out.add(n.asText());
                }
            } catch (Intrinsics.TemplateError e) {
                // an import inside an unused branch may not resolve; it does not bind the export
            }
        }
        return out;
    }

    private void finishCreate(StackRecord s, Template t, String failedId, String outputFailure,
                              String token) {
        synchronized (lock) {
            if (failedId == null && outputFailure == null) {
                s.status = "CREATE_COMPLETE";
                stackEvent(s, s.status, null, token);
                save(s);
                return;
            }
            String reason = outputFailure != null ? outputFailure
                    : "The following resource(s) failed to create: [" + failedResources(s) + "]. ";
            if (s.disableRollback) {
                s.status = "CREATE_FAILED";
                s.statusReason = reason;
                stackEvent(s, s.status, reason, token);
                save(s);
                return;
            }
            s.status = "ROLLBACK_IN_PROGRESS";
            s.statusReason = reason + (outputFailure != null ? "" : "Rollback requested by user.");
            stackEvent(s, s.status, s.statusReason, token);
            save(s);
        }
        boolean ok = deleteResources(s, new ArrayList<>(s.resources.keySet()), t, token);
        synchronized (lock) {
            s.status = ok ? "ROLLBACK_COMPLETE" : "ROLLBACK_FAILED";
            stackEvent(s, s.status, ok ? null : s.statusReason, token);
            save(s);
        }
    }

    private String failedResources(StackRecord s) {
        List<String> failed = new ArrayList<>();
        for (StackRecord.Resource r : s.resources.values()) {
            if (r.status != null && r.status.endsWith("_FAILED")) {
                failed.add(r.logicalId);
            }
        }
        return String.join(", ", failed);
    }

    private void finishUpdate(StackRecord s, Template t, String body, Snapshot before, List<String> included, String failedId,
                              String failedVerb, String outputFailure, Map<String, StackRecord.Resource> replacedOld,
                              Map<String, StackRecord.Resource> updatedOld, List<String> createdNew, String token) {
        if (failedId == null && outputFailure == null) {
            List<String> removed = new ArrayList<>();
            synchronized (lock) {
                s.status = "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS";
                stackEvent(s, s.status, null, token);
                for (String id : before.resources.keySet()) {
                    if (!included.contains(id)) {
                        removed.add(id);
                    }
                }
                save(s);
            }
            Template oldTemplate = Template.parse(before.templateBody);
            deleteRemoved(s, removed, oldTemplate, token);
            for (StackRecord.Resource old : replacedOld.values()) {
                deletePhysical(s, old, token);
            }
            synchronized (lock) {
                for (String id : removed) {
                    s.resources.remove(id);
                }
                s.status = "UPDATE_COMPLETE";
                stackEvent(s, s.status, null, token);
                save(s);
            }
            return;
        }
        synchronized (lock) {
            s.status = "UPDATE_ROLLBACK_IN_PROGRESS";
            s.statusReason = outputFailure != null ? outputFailure
                    : "The following resource(s) failed to " + failedVerb + ": [" + failedResources(s) + "]. ";
            stackEvent(s, s.status, s.statusReason, token);
            save(s);
        }
        StackRecord.PendingRollback pending = new StackRecord.PendingRollback();
        pending.templateBody = body;
        pending.previousIds = new ArrayList<>(before.resources.keySet());
        pending.created = new ArrayList<>(createdNew);
        // Roll back updated resources to their previous properties (reverse order), and restore replaced ones.
        List<String> reverted = new ArrayList<>(updatedOld.keySet());
        Collections.reverse(reverted);
        for (String id : reverted) {
            StackRecord.Resource old = updatedOld.get(id);
            boolean applied;
            synchronized (lock) {
                // Only an update that was applied needs undoing; a failed or cancelled one changed nothing.
                applied = "UPDATE_COMPLETE".equals(s.resources.get(id).status);
            }
            if (!restore(s, id, old, applied, token)) {
                pending.unrestored.put(id, old);
            }
        }
        synchronized (lock) {
            for (var e : replacedOld.entrySet()) {
                StackRecord.Resource cur = s.resources.get(e.getKey());
                if (cur != null && cur.physicalId != null && !cur.physicalId.equals(e.getValue().physicalId)) {
                    pending.replacements.add(cur.copy());
                }
                StackRecord.Resource old = e.getValue();
                old.status = "UPDATE_COMPLETE";
                old.timestamp = System.currentTimeMillis();
                s.resources.put(e.getKey(), old);
                resourceEvent(s, old.logicalId, old.physicalId, old.type, "UPDATE_COMPLETE", null, null, token);
            }
            if (!pending.unrestored.isEmpty()) {
                rollbackFailed(s, pending, token);
                return;
            }
        }
        rollbackCleanup(s, pending, t, token);
    }

    /**
     * Restores one resource's configuration from before an update. A failure (an injected rollback fault,
     * or the provider refusing the old configuration) leaves the resource UPDATE_FAILED; false then.
     */
    private boolean restore(StackRecord s, String id, StackRecord.Resource old, boolean applied, String token) {
        StackRecord.Resource cur;
        synchronized (lock) {
            cur = s.resources.get(id);
            resourceEvent(s, id, cur.physicalId, cur.type, "UPDATE_IN_PROGRESS", null, old.properties, token);
        }
        try {
            if (applied) {
                String fault = context.faults().rollbackFailure(id, cur.type);
                if (fault != null) {
                    throw new ResourceProvider.ResourceFailure(fault);
                }
                ResourceProvider p = context.provider(cur.type);
                if (p != null && !Objects.equals(cur.properties, old.properties)) {
                    p.update(s.stackName, id, cur.physicalId, cur.properties, old.properties);
                }
            }
        } catch (RuntimeException e) {
            String reason = e instanceof ResourceProvider.ResourceFailure ? e.getMessage() : "Internal Failure: " + e;
            synchronized (lock) {
                cur.status = "UPDATE_FAILED";
                cur.statusReason = reason;
                cur.timestamp = System.currentTimeMillis();
                resourceEvent(s, id, cur.physicalId, cur.type, "UPDATE_FAILED", reason, null, token);
                save(s);
            }
            return false;
        }
        synchronized (lock) {
            s.resources.put(id, old);
            old.status = "UPDATE_COMPLETE";
            old.statusReason = null;
            old.timestamp = System.currentTimeMillis();
            resourceEvent(s, id, old.physicalId, old.type, "UPDATE_COMPLETE", null, null, token);
            save(s);
        }
        return true;
    }

    /** Holding the lock: the rollback stops where it is; ContinueUpdateRollback picks it up from the record. */
    private void rollbackFailed(StackRecord s, StackRecord.PendingRollback pending, String token) {
        s.rollback = pending;
        s.status = "UPDATE_ROLLBACK_FAILED";
        s.statusReason = "The following resource(s) failed to update: [" + String.join(", ", pending.unrestored.keySet()) + "]. ";
        stackEvent(s, s.status, s.statusReason, token);
        save(s);
    }

    /** Deletes what the failed update created and completes the rollback. */
    private void rollbackCleanup(StackRecord s, StackRecord.PendingRollback pending, Template t, String token) {
        synchronized (lock) {
            s.status = "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS";
            s.statusReason = null;
            stackEvent(s, s.status, null, token);
            save(s);
        }
        List<String> toDelete = new ArrayList<>(pending.created);
        Collections.reverse(toDelete);
        deleteResources(s, toDelete, t, token);
        for (StackRecord.Resource r : pending.replacements) {
            deletePhysical(s, r, token);
        }
        synchronized (lock) {
            // The stack's template, parameters and outputs were never replaced: a failed update keeps the old ones.
            s.resources.keySet().removeIf(id -> !pending.previousIds.contains(id));
            s.rollback = null;
            s.status = "UPDATE_ROLLBACK_COMPLETE";
            stackEvent(s, s.status, null, token);
            save(s);
        }
    }

    /**
     * ContinueUpdateRollback on a stack in UPDATE_ROLLBACK_FAILED (checked by the caller): retries restoring
     * the resources the rollback could not restore, except {@code skip}, which CloudFormation then assumes are
     * restored, and completes the rollback, or fails it again.
     */
    void startContinueRollback(StackRecord s, List<String> skip, String token) {
        StackRecord.PendingRollback pending = s.rollback != null ? s.rollback : new StackRecord.PendingRollback();
        if (s.rollback == null) {
            // e.g. local-cloud stopped mid-rollback: nothing is known to be left but the cleanup of what exists
            pending.previousIds = new ArrayList<>(s.resources.keySet());
        }
        s.status = "UPDATE_ROLLBACK_IN_PROGRESS";
        s.statusReason = "User Initiated";
        stackEvent(s, s.status, s.statusReason, token);
        save(s);
        workers.submit(() -> {
            try {
                continueRollback(s, pending, skip, token);
            } catch (RuntimeException | LinkageError e) {
                synchronized (lock) {
                    s.status = "UPDATE_ROLLBACK_FAILED";
                    s.statusReason = "Internal failure: " + e;
                    stackEvent(s, s.status, s.statusReason, token);
                    save(s);
                }
            }
        });
    }

    private void continueRollback(StackRecord s, StackRecord.PendingRollback pending, List<String> skip, String token) {
        StackRecord.PendingRollback left = new StackRecord.PendingRollback();
        left.templateBody = pending.templateBody;
        left.previousIds = pending.previousIds;
        left.created = pending.created;
        left.replacements = pending.replacements;
        for (var e : pending.unrestored.entrySet()) {
            String id = e.getKey();
            StackRecord.Resource old = e.getValue();
            if (skip.contains(id)) {
                synchronized (lock) {
                    // CloudFormation takes a skipped resource as restored; its real configuration may differ.
                    s.resources.put(id, old);
                    old.status = "UPDATE_COMPLETE";
                    old.statusReason = "Resource skipped during rollback (ResourcesToSkip)";
                    old.timestamp = System.currentTimeMillis();
                    resourceEvent(s, id, old.physicalId, old.type, "UPDATE_COMPLETE", old.statusReason, null, token);
                    save(s);
                }
            } else if (!restore(s, id, old, true, token)) {
                left.unrestored.put(id, old);
            }
        }
        if (!left.unrestored.isEmpty()) {
            synchronized (lock) {
                rollbackFailed(s, left, token);
            }
            return;
        }
        Template t = left.templateBody == null ? Template.parse(s.templateBody) : Template.parse(left.templateBody);
        rollbackCleanup(s, left, t, token);
    }

    private void deleteRemoved(StackRecord s, List<String> removed, Template oldTemplate, String token) {
        List<String> known = removed.stream().filter(id -> oldTemplate.resources().has(id)).toList();
        List<List<String>> waves = oldTemplate.creationOrder(known);
        Collections.reverse(waves);
        for (List<String> wave : waves) {
            for (String id : wave) {
                StackRecord.Resource r;
                synchronized (lock) {
                    r = s.resources.get(id);
                }
                if (r != null) {
                    deleteOne(s, r, token);
                }
            }
        }
    }

    /** Deletes a replaced resource's previous physical resource during cleanup. */
    private void deletePhysical(StackRecord s, StackRecord.Resource old, String token) {
        synchronized (lock) {
            resourceEvent(s, old.logicalId, old.physicalId, old.type, "DELETE_IN_PROGRESS", null, null, token);
        }
        try {
            ResourceProvider p = context.provider(old.type);
            if (p != null && !"Retain".equals(old.deletionPolicy)) {
                p.delete(old.physicalId, old.properties == null ? Template.NODES.objectNode() : old.properties);
            }
            synchronized (lock) {
                resourceEvent(s, old.logicalId, old.physicalId, old.type,
                        "Retain".equals(old.deletionPolicy) ? "DELETE_SKIPPED" : "DELETE_COMPLETE", null, null, token);
                save(s);
            }
        } catch (RuntimeException e) {
            synchronized (lock) {
                resourceEvent(s, old.logicalId, old.physicalId, old.type, "DELETE_FAILED", e.getMessage(), null, token);
                save(s);
            }
        }
    }

    /** Deletes resources in reverse dependency order; false when one failed. */
    private boolean deleteResources(StackRecord s, List<String> ids, Template t, String token) {
        List<String> known;
        List<String> others = new ArrayList<>();
        synchronized (lock) {
            known = ids.stream().filter(id -> t.resources().has(id) && s.resources.containsKey(id)).toList();
            ids.stream().filter(id -> !t.resources().has(id) && s.resources.containsKey(id)).forEach(others::add);
        }
        List<List<String>> waves;
        try {
            waves = t.creationOrder(known);
        } catch (AwsException e) {
            waves = List.of(known);
        }
        waves = new ArrayList<>(waves);
        Collections.reverse(waves);
        waves.add(0, others);
        boolean ok = true;
        for (List<String> wave : waves) {
            for (String id : wave) {
                StackRecord.Resource r;
                synchronized (lock) {
                    r = s.resources.get(id);
                }
                if (r == null || "DELETE_COMPLETE".equals(r.status)) {
                    continue;
                }
                ok &= deleteOne(s, r, token);
            }
            synchronized (lock) {
                save(s);
            }
        }
        return ok;
    }

    private boolean deleteOne(StackRecord s, StackRecord.Resource r, String token) {
        boolean retain = "Retain".equals(r.deletionPolicy) || "RetainExceptOnCreate".equals(r.deletionPolicy)
                && !s.status.startsWith("ROLLBACK");
        boolean neverCreated = r.physicalId == null;
        synchronized (lock) {
            if (!neverCreated) {
                r.status = "DELETE_IN_PROGRESS";
                resourceEvent(s, r.logicalId, r.physicalId, r.type, "DELETE_IN_PROGRESS", null, null, token);
            }
        }
        try {
            if (!neverCreated && !retain && s.status.startsWith("ROLLBACK")) {
                // a create's rollback deletes what it created; an injected rollback fault fails that delete
                String fault = context.faults().rollbackFailure(r.logicalId, r.type);
                if (fault != null) {
                    throw new ResourceProvider.ResourceFailure(fault);
                }
            }
            if (!neverCreated && !retain) {
                ResourceProvider p = context.provider(r.type);
                if (p != null) {
                    p.delete(r.physicalId, r.properties == null ? Template.NODES.objectNode() : r.properties);
                }
            }
            synchronized (lock) {
                r.status = retain && !neverCreated ? "DELETE_SKIPPED" : "DELETE_COMPLETE";
                r.statusReason = null;
                r.timestamp = System.currentTimeMillis();
                resourceEvent(s, r.logicalId, r.physicalId == null ? "" : r.physicalId, r.type, r.status, null, null, token);
            }
            return true;
        } catch (RuntimeException e) {
            synchronized (lock) {
                r.status = "DELETE_FAILED";
                r.statusReason = e.getMessage();
                resourceEvent(s, r.logicalId, r.physicalId, r.type, r.status, r.statusReason, null, token);
                save(s);
            }
            return false;
        }
    }

    private ResourceProvider.Provisioned provisionCreate(String type, String stackName, String logicalId, ObjectNode props) {
        ResourceProvider p = context.provider(type);
        return p != null ? p.create(stackName, logicalId, props) : recorded.create(type, stackName, logicalId, props);
    }

    private ResourceProvider.Provisioned provisionUpdate(StackRecord.Resource r, String stackName, ObjectNode props) {
        ResourceProvider p = context.provider(r.type);
        ObjectNode oldProps = r.properties == null ? Template.NODES.objectNode() : r.properties;
        return p != null ? p.update(stackName, r.logicalId, r.physicalId, oldProps, props)
                : recorded.update(r.type, r.physicalId, r.attributes, props);
    }

    /** Starts deleting a stack. */
    void startDelete(StackRecord s, String token, List<String> retain) {
        s.status = "DELETE_IN_PROGRESS";
        s.statusReason = "User Initiated";
        stackEvent(s, s.status, "User Initiated", token);
        save(s);
        workers.submit(() -> {
            try {
                delete(s, token, retain);
            } catch (RuntimeException | LinkageError e) {
                synchronized (lock) {
                    s.status = "DELETE_FAILED";
                    s.statusReason = "Internal failure: " + e;
                    stackEvent(s, s.status, s.statusReason, token);
                    save(s);
                }
            }
        });
    }

    private void delete(StackRecord s, String token, List<String> retain) {
        String blocked = null;
        synchronized (lock) {
            for (StackRecord.Output o : s.outputs) {
                if (o.exportName != null) {
                    String importer = importer(o.exportName, s.stackId);
                    if (importer != null) {
                        blocked = "Export " + o.exportName + " cannot be deleted as it is in use by " + importer;
                    }
                }
            }
            if (blocked != null) {
                s.status = "DELETE_FAILED";
                s.statusReason = blocked;
                stackEvent(s, s.status, blocked, token);
                save(s);
                return;
            }
            for (String id : retain) {
                StackRecord.Resource r = s.resources.get(id);
                if (r != null) {
                    r.deletionPolicy = "Retain";
                }
            }
        }
        Template t = s.templateBody == null ? null : Template.parse(s.templateBody);
        boolean ok = t == null || deleteResources(s, new ArrayList<>(s.resources.keySet()), t, token);
        synchronized (lock) {
            if (ok) {
                s.status = "DELETE_COMPLETE";
                s.statusReason = null;
                s.deletionTime = System.currentTimeMillis();
                for (ChangeSetRecord c : new ArrayList<>(changeSets.values())) {
                    if (c.stackId.equals(s.stackId)) {
                        forget(c);
                    }
                }
            } else {
                s.status = "DELETE_FAILED";
                s.statusReason = "The following resource(s) failed to delete: [" + failedResources(s) + "]. ";
            }
            stackEvent(s, s.status, s.statusReason, token);
            save(s);
        }
    }

    void removeChangeSet(ChangeSetRecord c) {
        forget(c);
    }

    void addChangeSet(ChangeSetRecord c) {
        changeSets.put(c.id, c);
    }

    // ---------------------------------------------------------------- events

    void stackEvent(StackRecord s, String status, String reason, String token) {
        StackRecord.Event e = new StackRecord.Event();
        e.eventId = UUID.randomUUID().toString();
        e.logicalId = s.stackName;
        e.physicalId = s.stackId;
        e.type = "AWS::CloudFormation::Stack";
        e.status = status;
        e.reason = reason;
        e.clientRequestToken = token;
        e.timestamp = nextTimestamp(s);
        s.events.add(e);
    }

    private void resourceEvent(StackRecord s, String logicalId, String physicalId, String type, String status, String reason,
                               JsonNode properties, String token) {
        StackRecord.Event e = new StackRecord.Event();
        e.timestamp = nextTimestamp(s);
        // CloudFormation's shape, <logicalId>-<status>-<time>; the time is unique within the stack, and
        // clients (the CDK CLI's activity monitor) de-duplicate events by this id.
        e.eventId = logicalId + "-" + status + "-" + java.time.Instant.ofEpochMilli(e.timestamp);
        e.logicalId = logicalId;
        e.physicalId = physicalId;
        e.type = type;
        e.status = status;
        e.reason = reason;
        if (properties != null) {
            Set<String> secrets = new HashSet<>(noEchoValues(s.parameters));
            secrets.addAll(s.deployingSecrets);
            e.properties = mask(properties, secrets).toString();
        }
        e.clientRequestToken = token;
        s.events.add(e);
    }

    private static Set<String> noEchoValues(List<StackRecord.Param> params) {
        Set<String> out = new HashSet<>();
        if (params != null) {
            for (StackRecord.Param p : params) {
                if (p.noEcho) {
                    for (String v : new String[] {p.value, p.resolvedValue}) {
                        if (v != null && !v.isEmpty()) {
                            out.add(v);
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Properties as CloudFormation shows them in events: a NoEcho parameter's value is {@code ****},
     * also where a value embeds it ({@code Fn::Sub}, {@code Fn::Join}; values of 4 characters or more,
     * so that a short one does not blank out every string it happens to occur in).
     */
    static JsonNode mask(JsonNode node, Set<String> secrets) {
        if (secrets.isEmpty()) {
            return node;
        }
        if (node.isTextual()) {
            String text = node.asText();
            if (secrets.contains(text)) {
                return Template.NODES.textNode("****");
            }
            String masked = text;
            for (String secret : secrets) {
                if (secret.length() >= 4) {
                    masked = masked.replace(secret, "****");
                }
            }
            return masked.equals(text) ? node : Template.NODES.textNode(masked);
        }
        if (node.isObject()) {
            ObjectNode out = Template.NODES.objectNode();
            node.fields().forEachRemaining(f -> out.set(f.getKey(), mask(f.getValue(), secrets)));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = Template.NODES.arrayNode();
            node.forEach(v -> out.add(mask(v, secrets)));
            return out;
        }
        return node;
    }

    /** Event times strictly increase within a stack, so "newest first" is an unambiguous order. */
    private static long nextTimestamp(StackRecord s) {
        long now = System.currentTimeMillis();
        if (!s.events.isEmpty()) {
            now = Math.max(now, s.events.get(s.events.size() - 1).timestamp + 1);
        }
        return now;
    }
}
