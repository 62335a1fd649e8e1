package dev.livestack.localcloud;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * CloudFormation (awsQuery, 2010-05-15): stacks, change sets, events, resources, templates, exports.
 * This class reads requests and renders answers; {@link StackEngine} holds the state and runs the
 * operations. Messages and error codes are CloudFormation's own.
 */
final class CloudFormationService extends QueryService implements AutoCloseable {
    static final int MAX_BODY = 51_200;
    static final int MAX_URL_TEMPLATE = 1_000_000;
    private static final String NAME_PATTERN = "[a-zA-Z][-a-zA-Z0-9]*";
    private static final Set<String> UPDATABLE = Set.of("CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE",
            "IMPORT_COMPLETE", "IMPORT_ROLLBACK_COMPLETE");
    private static final int EVENTS_PAGE = 100;

    private final CloudContext context;
    private final StackEngine engine;

    CloudFormationService(CloudContext context) {
        super("http://cloudformation.amazonaws.com/doc/2010-05-15/");
        this.context = context;
        this.engine = new StackEngine(context);
        context.stacks(engine);
    }

    @Override
    public String signingName() {
        return "cloudformation";
    }

    @Override
    public void reset() {
        engine.reset();
    }

    @Override
    public void close() {
        engine.close();
    }

    @Override
    Map<String, Object> call(String action, Form form, AwsRequest request) {
        synchronized (engine.lock) {
            return switch (action) {
                case "CreateStack" -> createStack(form);
                case "UpdateStack" -> updateStack(form);
                case "DeleteStack" -> deleteStack(form);
                case "DescribeStacks" -> describeStacks(form);
                case "ListStacks" -> listStacks(form);
                case "DescribeStackEvents" -> describeStackEvents(form);
                case "DescribeStackResource" -> describeStackResource(form);
                case "DescribeStackResources" -> describeStackResources(form);
                case "ListStackResources" -> listStackResources(form);
                case "GetTemplate" -> getTemplate(form);
                case "GetTemplateSummary" -> getTemplateSummary(form);
                case "ValidateTemplate" -> validateTemplate(form);
                case "ListExports" -> listExports();
                case "CreateChangeSet" -> createChangeSet(form);
                case "DescribeChangeSet" -> describeChangeSet(form);
                case "ExecuteChangeSet" -> executeChangeSet(form);
                case "DeleteChangeSet" -> deleteChangeSet(form);
                case "ListChangeSets" -> listChangeSets(form);
                case "UpdateTerminationProtection" -> updateTerminationProtection(form);
                case "ContinueUpdateRollback" -> continueUpdateRollback(form);
                default -> throw new AwsException(400, "InvalidAction",
                        "The action " + action + " is not valid for this web service (local-cloud does not implement it).");
            };
        }
    }

    // ---------------------------------------------------------------- stacks

    private Map<String, Object> createStack(Form form) {
        String name = stackName(form.required("StackName"));
        StackRecord existing = engine.find(name);
        if (existing != null) {
            throw new AwsException(400, "AlreadyExistsException", "Stack [" + name + "] already exists");
        }
        Template template = template(form, null);
        List<String> caps = form.list("Capabilities");
        StackEngine.Prepared prepared = engine.prepare(template, form.structs("Parameters"), null, caps, name);
        StackRecord s = engine.newStack(name, "CREATE_IN_PROGRESS");
        s.disableRollback = form.flag("DisableRollback") || "DO_NOTHING".equals(form.get("OnFailure"));
        s.terminationProtection = form.flag("EnableTerminationProtection");
        s.roleArn = form.get("RoleARN");
        s.notificationArns = form.list("NotificationARNs");
        if (form.get("TimeoutInMinutes") != null) {
            s.timeoutInMinutes = Integer.valueOf(form.get("TimeoutInMinutes"));
        }
        engine.startDeploy(s, prepared, template.body(), caps, tags(form), form.get("ClientRequestToken"), null);
        return Map.of("StackId", s.stackId);
    }

    private Map<String, Object> updateStack(Form form) {
        String name = form.required("StackName");
        StackRecord s = engine.find(name);
        if (s == null || "REVIEW_IN_PROGRESS".equals(s.status)) {
            throw AwsException.validation("Stack [" + name + "] does not exist");
        }
        requireUpdatable(s);
        Template template = template(form, s);
        List<String> caps = form.list("Capabilities");
        StackEngine.Prepared prepared = engine.prepare(template, form.structs("Parameters"), s, caps, s.stackName);
        Map<String, String> tags = form.has("Tags") ? tags(form) : s.tags;
        List<?> changes = engine.changes(s, prepared, false);
        if (changes.isEmpty() && !engine.otherChanges(s, prepared, tags)) {
            throw AwsException.validation("No updates are to be performed.");
        }
        if (form.get("DisableRollback") != null) {
            s.disableRollback = form.flag("DisableRollback");
        }
        engine.startDeploy(s, prepared, template.body(), caps, tags, form.get("ClientRequestToken"), null);
        return Map.of("StackId", s.stackId);
    }

    private static void requireUpdatable(StackRecord s) {
        if (!UPDATABLE.contains(s.status)) {
            throw AwsException.validation("Stack:" + s.stackId + " is in " + s.status + " state and can not be updated.");
        }
    }

    /**
     * Only a stack in UPDATE_ROLLBACK_FAILED can continue its rollback. ResourcesToSkip may name only resources
     * whose restore failed (UPDATE_FAILED); nested-stack resources ({@code Stack.Resource}) do not exist here.
     */
    private Map<String, Object> continueUpdateRollback(Form form) {
        StackRecord s = engine.require(form.required("StackName"));
        if (!"UPDATE_ROLLBACK_FAILED".equals(s.status)) {
            throw AwsException.validation("Stack:" + s.stackId + " is in " + s.status
                    + " state and can not continue update rollback.");
        }
        List<String> skip = form.list("ResourcesToSkip");
        for (String id : skip) {
            StackRecord.Resource r = s.resources.get(id);
            if (r == null) {
                throw AwsException.validation("Resource [" + id + "] does not exist in stack [" + s.stackName + "]");
            }
            if (!"UPDATE_FAILED".equals(r.status)) {
                throw AwsException.validation("Resource [" + id + "] is in " + r.status
                        + " state; only resources in UPDATE_FAILED state can be skipped");
            }
        }
        String role = form.get("RoleARN");
        if (role != null) {
            // CloudFormation keeps using the role it was given for the stack's later operations too
            s.roleArn = role;
        }
        engine.startContinueRollback(s, skip, form.get("ClientRequestToken"));
        return Map.of();
    }

    private Map<String, Object> updateTerminationProtection(Form form) {
        boolean enable = Boolean.parseBoolean(form.required("EnableTerminationProtection"));
        StackRecord s = engine.require(form.required("StackName"));
        s.terminationProtection = enable;
        engine.save(s);
        return Map.of("StackId", s.stackId);
    }

    private Map<String, Object> deleteStack(Form form) {
        String name = form.required("StackName");
        StackRecord s = engine.find(name);
        if (s == null || s.deleted()) {
            return null;
        }
        if (s.terminationProtection) {
            throw AwsException.validation("Stack [" + s.stackName + "] cannot be deleted while TerminationProtection is enabled");
        }
        if ("REVIEW_IN_PROGRESS".equals(s.status)) {
            s.status = "DELETE_COMPLETE";
            s.deletionTime = System.currentTimeMillis();
            engine.stackEvent(s, "DELETE_COMPLETE", null, form.get("ClientRequestToken"));
            for (ChangeSetRecord c : new ArrayList<>(engine.changeSets())) {
                if (c.stackId.equals(s.stackId)) {
                    engine.removeChangeSet(c);
                }
            }
            engine.save(s);
            return null;
        }
        if (s.status.endsWith("_IN_PROGRESS")) {
            if (s.status.equals("DELETE_IN_PROGRESS")) {
                return null;
            }
            throw AwsException.validation("Stack [" + s.stackName + "] cannot be deleted while in status " + s.status);
        }
        engine.startDelete(s, form.get("ClientRequestToken"), form.list("RetainResources"));
        return null;
    }

    private Map<String, Object> describeStacks(Form form) {
        String name = form.get("StackName");
        List<Object> out = new ArrayList<>();
        if (name != null) {
            out.add(stack(engine.require(name)));
        } else {
            engine.stacks().stream().filter(s -> !s.deleted())
                    .sorted(Comparator.comparingLong((StackRecord s) -> s.creationTime).reversed())
                    .forEach(s -> out.add(stack(s)));
        }
        return Map.of("Stacks", out);
    }

    private Map<String, Object> stack(StackRecord s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("StackId", s.stackId);
        m.put("StackName", s.stackName);
        m.put("ChangeSetId", s.changeSetId);
        m.put("Description", s.description);
        m.put("Parameters", parameters(s.parameters));
        m.put("CreationTime", Instant.ofEpochMilli(s.creationTime));
        if (s.deletionTime > 0) {
            m.put("DeletionTime", Instant.ofEpochMilli(s.deletionTime));
        }
        if (s.lastUpdatedTime > 0) {
            m.put("LastUpdatedTime", Instant.ofEpochMilli(s.lastUpdatedTime));
        }
        m.put("RollbackConfiguration", Map.of());
        m.put("StackStatus", s.status);
        m.put("StackStatusReason", s.statusReason);
        m.put("DisableRollback", s.disableRollback);
        m.put("NotificationARNs", s.notificationArns);
        m.put("TimeoutInMinutes", s.timeoutInMinutes);
        m.put("Capabilities", s.capabilities);
        List<Object> outputs = new ArrayList<>();
        for (StackRecord.Output o : s.outputs) {
            Map<String, Object> om = new LinkedHashMap<>();
            om.put("OutputKey", o.key);
            om.put("OutputValue", o.value);
            om.put("Description", o.description);
            om.put("ExportName", o.exportName);
            outputs.add(om);
        }
        if (!outputs.isEmpty()) {
            m.put("Outputs", outputs);
        }
        m.put("RoleARN", s.roleArn);
        m.put("Tags", tagList(s.tags));
        m.put("EnableTerminationProtection", s.terminationProtection);
        m.put("DriftInformation", Map.of("StackDriftStatus", "NOT_CHECKED"));
        return m;
    }

    private static List<Object> parameters(List<StackRecord.Param> params) {
        List<Object> out = new ArrayList<>();
        for (StackRecord.Param p : params) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ParameterKey", p.key);
            m.put("ParameterValue", p.noEcho ? "****" : p.value);
            if (p.resolvedValue != null) {
                m.put("ResolvedValue", p.noEcho ? "****" : p.resolvedValue);
            }
            out.add(m);
        }
        return out;
    }

    private static List<Object> tagList(Map<String, String> tags) {
        List<Object> out = new ArrayList<>();
        tags.forEach((k, v) -> out.add(Map.of("Key", k, "Value", v)));
        return out;
    }

    private Map<String, Object> listStacks(Form form) {
        List<String> filter = form.list("StackStatusFilter");
        List<Object> out = new ArrayList<>();
        engine.stacks().stream().sorted(Comparator.comparingLong((StackRecord s) -> s.creationTime).reversed()).forEach(s -> {
            if (!filter.isEmpty() && !filter.contains(s.status)) {
                return;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("StackId", s.stackId);
            m.put("StackName", s.stackName);
            m.put("TemplateDescription", s.description);
            m.put("CreationTime", Instant.ofEpochMilli(s.creationTime));
            if (s.lastUpdatedTime > 0) {
                m.put("LastUpdatedTime", Instant.ofEpochMilli(s.lastUpdatedTime));
            }
            if (s.deletionTime > 0) {
                m.put("DeletionTime", Instant.ofEpochMilli(s.deletionTime));
            }
            m.put("StackStatus", s.status);
            m.put("StackStatusReason", s.statusReason);
            m.put("DriftInformation", Map.of("StackDriftStatus", "NOT_CHECKED"));
            out.add(m);
        });
        return Map.of("StackSummaries", out);
    }

    private Map<String, Object> describeStackEvents(Form form) {
        String name = form.get("StackName");
        StackRecord s = engine.find(name);
        if (s == null) {
            throw AwsException.validation("Stack [" + name + "] does not exist");
        }
        int from = parseToken(form.get("NextToken"));
        List<StackRecord.Event> events = new ArrayList<>(s.events);
        java.util.Collections.reverse(events);
        List<Object> out = new ArrayList<>();
        int end = Math.min(events.size(), from + EVENTS_PAGE);
        for (int i = from; i < end; i++) {
            StackRecord.Event e = events.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("StackId", s.stackId);
            m.put("EventId", e.eventId);
            m.put("StackName", s.stackName);
            m.put("LogicalResourceId", e.logicalId);
            m.put("PhysicalResourceId", e.physicalId);
            m.put("ResourceType", e.type);
            m.put("Timestamp", Instant.ofEpochMilli(e.timestamp));
            m.put("ResourceStatus", e.status);
            m.put("ResourceStatusReason", e.reason);
            m.put("ResourceProperties", e.properties);
            m.put("ClientRequestToken", e.clientRequestToken);
            out.add(m);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("StackEvents", out);
        if (end < events.size()) {
            result.put("NextToken", Integer.toString(end));
        }
        return result;
    }

    private static int parseToken(String token) {
        if (token == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(token));
        } catch (NumberFormatException e) {
            throw AwsException.validation("Invalid NextToken");
        }
    }

    private Map<String, Object> describeStackResource(Form form) {
        String name = form.required("StackName");
        String logicalId = form.required("LogicalResourceId");
        StackRecord s = engine.find(name);
        if (s == null) {
            throw AwsException.validation("Stack '" + name + "' does not exist");
        }
        StackRecord.Resource r = s.resources.get(logicalId);
        if (r == null) {
            throw AwsException.validation("Resource " + logicalId + " does not exist for stack " + s.stackName);
        }
        Map<String, Object> m = resource(s, r, "LastUpdatedTimestamp");
        if (r.metadata != null) {
            m.put("Metadata", r.metadata.toString());
        }
        return Map.of("StackResourceDetail", m);
    }

    private Map<String, Object> resource(StackRecord s, StackRecord.Resource r, String timeField) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (s != null) {
            m.put("StackName", s.stackName);
            m.put("StackId", s.stackId);
        }
        m.put("LogicalResourceId", r.logicalId);
        m.put("PhysicalResourceId", r.physicalId);
        m.put("ResourceType", r.type);
        m.put(timeField, Instant.ofEpochMilli(r.timestamp));
        m.put("ResourceStatus", r.status);
        m.put("ResourceStatusReason", r.statusReason);
        m.put("DriftInformation", Map.of("StackResourceDriftStatus", "NOT_CHECKED"));
        return m;
    }

    private Map<String, Object> describeStackResources(Form form) {
        String name = form.get("StackName");
        String physical = form.get("PhysicalResourceId");
        String logical = form.get("LogicalResourceId");
        StackRecord s = null;
        if (name != null) {
            s = engine.require(name);
        } else if (physical != null) {
            for (StackRecord candidate : engine.stacks()) {
                if (!candidate.deleted() && candidate.resources.values().stream().anyMatch(r -> physical.equals(r.physicalId))) {
                    s = candidate;
                }
            }
            if (s == null) {
                throw AwsException.validation("Stack for " + physical + " does not exist");
            }
        } else {
            throw AwsException.validation("Either StackName or PhysicalResourceId must be specified.");
        }
        List<Object> out = new ArrayList<>();
        for (StackRecord.Resource r : s.resources.values()) {
            if (logical != null && !logical.equals(r.logicalId)) {
                continue;
            }
            out.add(resource(s, r, "Timestamp"));
        }
        return Map.of("StackResources", out);
    }

    private Map<String, Object> listStackResources(Form form) {
        StackRecord s = engine.require(form.required("StackName"));
        List<Object> out = new ArrayList<>();
        for (StackRecord.Resource r : s.resources.values()) {
            out.add(resource(null, r, "LastUpdatedTimestamp"));
        }
        return Map.of("StackResourceSummaries", out);
    }

    // ---------------------------------------------------------------- templates

    private Map<String, Object> getTemplate(Form form) {
        String stage = form.get("TemplateStage", "Original");
        String changeSetName = form.get("ChangeSetName");
        String body;
        if (changeSetName != null) {
            body = engine.changeSet(changeSetName, form.get("StackName")).templateBody;
        } else {
            StackRecord s = engine.require(form.required("StackName"));
            body = s.templateBody;
            if (body == null) {
                // A stack still in REVIEW_IN_PROGRESS has no template yet: AWS answers without a TemplateBody.
                return Map.of("StagesAvailable", List.of("Original", "Processed"));
            }
        }
        String out = "Processed".equals(stage) && !body.stripLeading().startsWith("{")
                ? Template.parse(body).processedJson() : body;
        return Map.of("TemplateBody", out, "StagesAvailable", List.of("Original", "Processed"));
    }

    private Map<String, Object> getTemplateSummary(Form form) {
        Template t;
        if (form.get("StackName") != null && form.get("TemplateBody") == null && form.get("TemplateURL") == null) {
            StackRecord s = engine.require(form.get("StackName"));
            if (s.templateBody == null) {
                throw AwsException.validation("Stack with id " + form.get("StackName") + " does not exist");
            }
            t = Template.parse(s.templateBody);
        } else {
            t = template(form, null);
        }
        t.validate();
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> params = new ArrayList<>();
        for (var e : Template.iterable(t.parameters())) {
            JsonNode d = e.getValue();
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("ParameterKey", e.getKey());
            if (d.has("Default")) {
                p.put("DefaultValue", d.get("Default").isArray() ? String.join(",", texts(d.get("Default"))) : d.get("Default").asText());
            }
            p.put("ParameterType", d.path("Type").asText());
            p.put("NoEcho", d.path("NoEcho").asBoolean(false));
            p.put("Description", d.path("Description").asText(null));
            if (d.has("AllowedValues")) {
                p.put("ParameterConstraints", Map.of("AllowedValues", texts(d.get("AllowedValues"))));
            } else {
                p.put("ParameterConstraints", Map.of());
            }
            params.add(p);
        }
        m.put("Parameters", params);
        m.put("Description", t.description());
        StringBuilder reason = new StringBuilder();
        List<String> caps = StackEngine.requiredCapabilities(t, reason);
        if (!caps.isEmpty()) {
            m.put("Capabilities", caps);
            m.put("CapabilitiesReason", reason.toString());
        }
        List<String> types = new ArrayList<>();
        for (var e : Template.iterable(t.resources())) {
            String type = e.getValue().path("Type").asText();
            if (!types.contains(type)) {
                types.add(type);
            }
        }
        m.put("ResourceTypes", types);
        m.put("Version", t.root().path("AWSTemplateFormatVersion").asText("2010-09-09"));
        if (t.root().has("Metadata")) {
            m.put("Metadata", t.root().get("Metadata").toString());
        }
        m.put("DeclaredTransforms", List.of());
        return m;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private Map<String, Object> validateTemplate(Form form) {
        Template t = template(form, null);
        t.validate();
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> params = new ArrayList<>();
        for (var e : Template.iterable(t.parameters())) {
            JsonNode d = e.getValue();
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("ParameterKey", e.getKey());
            if (d.has("Default")) {
                p.put("DefaultValue", d.get("Default").isArray() ? String.join(",", texts(d.get("Default"))) : d.get("Default").asText());
            }
            p.put("NoEcho", d.path("NoEcho").asBoolean(false));
            p.put("Description", d.path("Description").asText(null));
            params.add(p);
        }
        m.put("Parameters", params);
        m.put("Description", t.description());
        StringBuilder reason = new StringBuilder();
        List<String> caps = StackEngine.requiredCapabilities(t, reason);
        m.put("Capabilities", caps);
        if (!caps.isEmpty()) {
            m.put("CapabilitiesReason", reason.toString());
        }
        m.put("DeclaredTransforms", List.of());
        return m;
    }

    private Map<String, Object> listExports() {
        List<Object> out = new ArrayList<>();
        engine.exports().forEach((name, value) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ExportingStackId", engine.exporter(name));
            m.put("Name", name);
            m.put("Value", value);
            out.add(m);
        });
        return Map.of("Exports", out);
    }

    /** The submitted template: TemplateBody, TemplateURL (local-cloud's S3), or the previous one. */
    private Template template(Form form, StackRecord previous) {
        String body = form.get("TemplateBody");
        String url = form.get("TemplateURL");
        if (body != null) {
            if (body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY) {
                throw AwsException.validation("1 validation error detected: Value at 'templateBody' failed to satisfy "
                        + "constraint: Member must have length less than or equal to " + MAX_BODY);
            }
            return Template.parse(body);
        }
        if (url != null) {
            byte[] bytes = fetch(url);
            if (bytes.length > MAX_URL_TEMPLATE) {
                throw AwsException.validation("Template may not exceed " + MAX_URL_TEMPLATE + " bytes in size.");
            }
            return Template.parse(new String(bytes, StandardCharsets.UTF_8));
        }
        if (form.flag("UsePreviousTemplate")) {
            if (previous == null || previous.templateBody == null) {
                throw AwsException.validation("UsePreviousTemplate can only be used with an existing stack");
            }
            return Template.parse(previous.templateBody);
        }
        throw AwsException.validation("Either Template URL or Template Body must be specified.");
    }

    /** Reads a TemplateURL from local-cloud's S3: path-style on the endpoint, or s3 / virtual-host URLs. */
    private byte[] fetch(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw AwsException.validation("TemplateURL must be a supported URL.");
        }
        String host = uri.getHost() == null ? "" : uri.getHost();
        String path = uri.getPath() == null ? "" : uri.getPath();
        String bucket;
        String key;
        int virtual = host.indexOf(".s3");
        if (virtual > 0 && host.endsWith("amazonaws.com")) {
            bucket = host.substring(0, virtual);
            key = path.startsWith("/") ? path.substring(1) : path;
        } else if (host.endsWith(".localhost")) {
            bucket = host.substring(0, host.length() - ".localhost".length());
            key = path.startsWith("/") ? path.substring(1) : path;
        } else if (host.equals("127.0.0.1") || host.equals("localhost") || host.startsWith("s3.") || host.startsWith("s3-")) {
            String rest = path.startsWith("/") ? path.substring(1) : path;
            int slash = rest.indexOf('/');
            if (slash < 0) {
                throw AwsException.validation("TemplateURL must be a supported URL.");
            }
            bucket = rest.substring(0, slash);
            key = rest.substring(slash + 1);
        } else {
            throw AwsException.validation("TemplateURL must be a supported URL.");
        }
        byte[] bytes = context.s3().get(bucket, key);
        if (bytes == null) {
            throw AwsException.validation("TemplateURL must reference a valid S3 object to which you have access.");
        }
        return bytes;
    }

    // ---------------------------------------------------------------- change sets

    private Map<String, Object> createChangeSet(Form form) {
        String stackName = form.required("StackName");
        String name = form.required("ChangeSetName");
        if (!name.matches(NAME_PATTERN) || name.length() > 128) {
            throw AwsException.validation("1 validation error detected: Value '" + name + "' at 'changeSetName' failed to "
                    + "satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*");
        }
        String type = form.get("ChangeSetType", "UPDATE");
        StackRecord s = engine.find(stackName);
        String token = form.get("ClientToken");
        if (s != null) {
            for (ChangeSetRecord c : engine.changeSets()) {
                if (c.stackId.equals(s.stackId) && c.name.equals(name)) {
                    if (token != null && token.equals(c.clientToken)) {
                        return Map.of("Id", c.id, "StackId", c.stackId);
                    }
                    throw new AwsException(400, "AlreadyExistsException", "ChangeSet [" + name + "] already exists");
                }
            }
        }
        switch (type) {
            case "CREATE" -> {
                if (s != null && !"REVIEW_IN_PROGRESS".equals(s.status)) {
                    throw AwsException.validation("Stack [" + stackName + "] already exists and cannot be created again with the changeSet ["
                            + name + "].");
                }
            }
            case "UPDATE" -> {
                if (s == null || "REVIEW_IN_PROGRESS".equals(s.status)) {
                    throw AwsException.validation("Stack [" + stackName + "] does not exist");
                }
                requireUpdatable(s);
            }
            case "IMPORT" -> throw AwsException.validation("local-cloud does not support IMPORT change sets");
            default -> throw AwsException.validation("1 validation error detected: Value '" + type
                    + "' at 'changeSetType' failed to satisfy constraint: Member must satisfy enum value set: [IMPORT, UPDATE, CREATE]");
        }
        Template template = template(form, s);
        List<String> caps = form.list("Capabilities");
        String realName = s == null ? stackName(stackName) : s.stackName;
        StackEngine.Prepared prepared = engine.prepare(template, form.structs("Parameters"),
                "UPDATE".equals(type) ? s : null, caps, realName);
        if (s == null) {
            s = engine.newStack(realName, "REVIEW_IN_PROGRESS");
            s.statusReason = "User Initiated";
            engine.stackEvent(s, "REVIEW_IN_PROGRESS", "User Initiated", null);
            engine.save(s);
        }
        ChangeSetRecord cs = new ChangeSetRecord();
        cs.id = context.arn("cloudformation", "changeSet/" + name + "/" + UUID.randomUUID());
        cs.name = name;
        cs.stackId = s.stackId;
        cs.stackName = s.stackName;
        cs.type = type;
        cs.description = form.get("Description");
        cs.clientToken = token;
        cs.roleArn = form.get("RoleARN");
        cs.creationTime = System.currentTimeMillis();
        cs.templateBody = template.body();
        cs.parameters = prepared.parameters();
        cs.capabilities = caps;
        cs.notificationArns = form.list("NotificationARNs");
        cs.tags = form.has("Tags") ? tags(form) : new LinkedHashMap<>(s.tags);
        engine.addChangeSet(cs);
        engine.computeChangeSet(cs, prepared);
        return Map.of("Id", cs.id, "StackId", s.stackId);
    }

    private Map<String, Object> describeChangeSet(Form form) {
        ChangeSetRecord c = engine.changeSet(form.required("ChangeSetName"), form.get("StackName"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ChangeSetName", c.name);
        m.put("ChangeSetId", c.id);
        m.put("StackId", c.stackId);
        m.put("StackName", c.stackName);
        m.put("Description", c.description);
        m.put("Parameters", parameters(c.parameters));
        m.put("CreationTime", Instant.ofEpochMilli(c.creationTime));
        m.put("ExecutionStatus", c.executionStatus);
        m.put("Status", c.status);
        m.put("StatusReason", c.statusReason);
        m.put("NotificationARNs", c.notificationArns);
        m.put("RollbackConfiguration", Map.of());
        m.put("Capabilities", c.capabilities);
        m.put("Tags", tagList(c.tags));
        List<Object> changes = new ArrayList<>();
        boolean values = form.flag("IncludePropertyValues");
        for (var change : c.changes) {
            var copy = change.deepCopy();
            if (!values && copy.get("ResourceChange") instanceof com.fasterxml.jackson.databind.node.ObjectNode rc) {
                rc.remove("BeforeContext");
                rc.remove("AfterContext");
            }
            changes.add(Http.JSON.convertValue(copy, Map.class));
        }
        m.put("Changes", changes);
        m.put("IncludeNestedStacks", false);
        return m;
    }

    private Map<String, Object> executeChangeSet(Form form) {
        ChangeSetRecord c = engine.changeSet(form.required("ChangeSetName"), form.get("StackName"));
        if (!"AVAILABLE".equals(c.executionStatus)) {
            String what = "CREATE_COMPLETE".equals(c.status) ? "execution status of [" + c.executionStatus + "]"
                    : "status of [" + c.status + "]";
            throw new AwsException(400, "InvalidChangeSetStatus", "ChangeSet [" + c.id + "] cannot be executed in its current " + what);
        }
        StackRecord s = engine.require(c.stackId);
        if ("CREATE".equals(c.type)) {
            if (!"REVIEW_IN_PROGRESS".equals(s.status)) {
                throw AwsException.validation("Stack:" + s.stackId + " is in " + s.status + " state and can not be updated.");
            }
        } else {
            requireUpdatable(s);
        }
        Template template = Template.parse(c.templateBody);
        List<Map<String, String>> given = new ArrayList<>();
        for (StackRecord.Param p : c.parameters) {
            given.add(Map.of("ParameterKey", p.key, "ParameterValue", p.value));
        }
        StackEngine.Prepared prepared = engine.prepare(template, given, "UPDATE".equals(c.type) ? s : null, c.capabilities,
                s.stackName);
        if (form.get("DisableRollback") != null) {
            s.disableRollback = form.flag("DisableRollback");
        }
        for (ChangeSetRecord other : new ArrayList<>(engine.changeSets())) {
            if (other != c && other.stackId.equals(s.stackId)) {
                // Executing one change set makes the stack's others invalid; CloudFormation deletes them.
                engine.removeChangeSet(other);
            }
        }
        if (c.roleArn != null) {
            // the stack keeps the service role it was last deployed with; without one, it keeps the previous
            s.roleArn = c.roleArn;
        }
        c.executionStatus = "EXECUTE_IN_PROGRESS";
        engine.save(c);
        engine.startDeploy(s, prepared, c.templateBody, c.capabilities, c.tags, form.get("ClientRequestToken"), c);
        return Map.of();
    }

    private Map<String, Object> deleteChangeSet(Form form) {
        String name = form.required("ChangeSetName");
        String stack = form.get("StackName");
        ChangeSetRecord c;
        try {
            c = engine.changeSet(name, stack);
        } catch (AwsException missing) {
            // By name on a stack that exists, CloudFormation answers success even when the change set does
            // not exist: the CDK CLI deletes its fixed-name change set this way before every deployment.
            if (!name.startsWith("arn:") && stack != null && engine.find(stack) != null && "ChangeSetNotFound".equals(missing.code())) {
                return Map.of();
            }
            throw missing;
        }
        if ("EXECUTE_IN_PROGRESS".equals(c.executionStatus)) {
            throw new AwsException(400, "InvalidChangeSetStatus", "ChangeSet [" + c.id
                    + "] cannot be deleted in its current status of [EXECUTE_IN_PROGRESS]");
        }
        engine.removeChangeSet(c);
        return Map.of();
    }

    private Map<String, Object> listChangeSets(Form form) {
        StackRecord s = engine.require(form.required("StackName"));
        List<Object> out = new ArrayList<>();
        for (ChangeSetRecord c : engine.changeSets()) {
            if (!c.stackId.equals(s.stackId)) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("StackId", c.stackId);
            m.put("StackName", c.stackName);
            m.put("ChangeSetId", c.id);
            m.put("ChangeSetName", c.name);
            m.put("ExecutionStatus", c.executionStatus);
            m.put("Status", c.status);
            m.put("StatusReason", c.statusReason);
            m.put("CreationTime", Instant.ofEpochMilli(c.creationTime));
            m.put("Description", c.description);
            m.put("IncludeNestedStacks", false);
            out.add(m);
        }
        return Map.of("Summaries", out);
    }

    // ---------------------------------------------------------------- helpers

    private static String stackName(String name) {
        if (!name.matches(NAME_PATTERN) || name.length() > 128) {
            throw AwsException.validation("1 validation error detected: Value '" + name + "' at 'stackName' failed to satisfy "
                    + "constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*");
        }
        return name;
    }

    private static Map<String, String> tags(Form form) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Map<String, String> t : form.structs("Tags")) {
            tags.put(t.get("Key"), t.getOrDefault("Value", ""));
        }
        return tags;
    }
}
