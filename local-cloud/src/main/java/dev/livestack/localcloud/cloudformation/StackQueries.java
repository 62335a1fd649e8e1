package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.QueryService.Form;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** CloudFormation's read-only calls: the Describe*, List* and template calls, rendered as the awsQuery answers. */
final class StackQueries {
    private static final int EVENTS_PAGE = 100;
    private final CloudFormationService service;
    private final CloudContext context;
    private final StackEngine engine;

    StackQueries(CloudFormationService service, CloudContext context, StackEngine engine) {
        this.service = service;
        this.context = context;
        this.engine = engine;
    }

    Map<String, Object> describeStacks(Form form) {
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
        if (!s.deleted()) {
            m.put("ChangeSetId", s.changeSetId);
        }
        m.put("ParentId", s.parentId);
        m.put("RootId", s.rootId);
        m.put("Description", s.description);
        if (!s.parameters.isEmpty()) {
            m.put("Parameters", parameters(s.parameters));
        }
        m.put("CreationTime", Instant.ofEpochMilli(s.creationTime));
        if (s.deletionTime > 0) {
            m.put("DeletionTime", Instant.ofEpochMilli(s.deletionTime));
        }
        if (s.lastUpdatedTime > 0) {
            m.put("LastUpdatedTime", Instant.ofEpochMilli(s.lastUpdatedTime));
        }
        m.put("RollbackConfiguration", Map.of());
        m.put("StackStatus", s.status.name());
        m.put("StackStatusReason", s.statusReason);
        m.put("DisableRollback", s.disableRollback);
        m.put("NotificationARNs", s.notificationArns);
        m.put("TimeoutInMinutes", s.timeoutInMinutes);
        if (!s.capabilities.isEmpty()) {
            m.put("Capabilities", s.capabilities);
        }
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
        if (!s.deleted()) {
            m.put("EnableTerminationProtection", s.terminationProtection);
        }
        m.put("DriftInformation", Map.of("StackDriftStatus", "NOT_CHECKED"));
        return m;
    }

    static List<Object> parameters(List<StackRecord.Param> params) {
        List<Object> out = new ArrayList<>();
        // AWS does not answer in template order; its recorded answers list the parameters by key
        for (StackRecord.Param p : params.stream().sorted(Comparator.comparing((StackRecord.Param x) -> x.key)).toList()) {
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

    static List<Object> tagList(Map<String, String> tags) {
        List<Object> out = new ArrayList<>();
        tags.forEach((k, v) -> out.add(Map.of("Key", k, "Value", v)));
        return out;
    }

    Map<String, Object> listStacks(Form form) {
        List<String> filter = form.list("StackStatusFilter");
        List<Object> out = new ArrayList<>();
        engine.stacks().stream().sorted(Comparator.comparingLong((StackRecord s) -> s.creationTime).reversed()).forEach(s -> {
            if (!filter.isEmpty() && !filter.contains(s.status.name())) {
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
            m.put("StackStatus", s.status.name());
            m.put("StackStatusReason", s.statusReason);
            m.put("ParentId", s.parentId);
            m.put("RootId", s.rootId);
            m.put("DriftInformation", Map.of("StackDriftStatus", "NOT_CHECKED"));
            out.add(m);
        });
        return Map.of("StackSummaries", out);
    }

    Map<String, Object> describeStackEvents(Form form) {
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

    Map<String, Object> describeStackResource(Form form) {
        String name = form.required("StackName");
        String logicalId = form.required("LogicalResourceId");
        StackRecord s = engine.find(name);
        if (s == null) {
            throw AwsException.validation("Stack '" + name + "' does not exist");
        }
        StackRecord.Resource r = s.resources.get(logicalId);
        if (r == null || "DELETE_COMPLETE".equals(r.status)) {
            // a resource a rollback deleted is gone for this call, as in AWS
            throw AwsException.validation("Resource " + logicalId + " does not exist for stack " + s.stackName);
        }
        Map<String, Object> m = resource(s, r, "LastUpdatedTimestamp");
        // AWS answers an empty document for a resource without metadata
        m.put("Metadata", r.metadata != null ? r.metadata.toString() : "{}");
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

    Map<String, Object> describeStackResources(Form form) {
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

    Map<String, Object> listStackResources(Form form) {
        StackRecord s = engine.require(form.required("StackName"));
        List<Object> out = new ArrayList<>();
        for (StackRecord.Resource r : s.resources.values()) {
            out.add(resource(null, r, "LastUpdatedTimestamp"));
        }
        return Map.of("StackResourceSummaries", out);
    }

    // ---------------------------------------------------------------- templates

    Map<String, Object> getTemplate(Form form) {
        String stage = form.get("TemplateStage", "Original");
        String changeSetName = form.get("ChangeSetName");
        if (changeSetName == null && form.get("StackName") == null) {
            throw AwsException.validation("StackName is required if ChangeSetName is not specified.");
        }
        if (changeSetName != null && !changeSetName.startsWith("arn:") && form.get("StackName") == null) {
            throw AwsException.validation("StackName is a required parameter.");
        }
        String body;
        String original;
        if (changeSetName != null) {
            ChangeSetRecord c = engine.changeSet(changeSetName, form.get("StackName"));
            body = c.templateBody;
            original = c.originalTemplateBody;
        } else {
            StackRecord s = engine.require(form.required("StackName"));
            body = s.templateBody;
            original = s.originalTemplateBody;
            if (body == null) {
                // A stack still in REVIEW_IN_PROGRESS has no template yet: AWS answers without a TemplateBody.
                return Map.of("StagesAvailable", List.of("Original", "Processed"));
            }
        }
        // Processed is the template after its transforms; without any, AWS hands back the text as submitted
        String out = original == null || "Processed".equals(stage) ? body : original;
        return Map.of("TemplateBody", out, "StagesAvailable", List.of("Original", "Processed"));
    }

    Map<String, Object> getTemplateSummary(Form form) {
        Template t;
        if (form.get("StackName") != null && form.get("TemplateBody") == null && form.get("TemplateURL") == null) {
            StackRecord s = engine.require(form.get("StackName"));
            if (s.templateBody == null) {
                throw AwsException.validation("GetTemplateSummary cannot be called on REVIEW_IN_PROGRESS stacks.");
            }
            t = Template.parse(s.templateBody).withOriginal(s.originalTemplateBody);
        } else {
            t = service.processed(form);
        }
        t.validate();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Parameters", parameterDeclarations(t, true));
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
        m.put("ResourceIdentifierSummaries", identifierSummaries(t));
        if (t.original() != null) {
            m.put("DeclaredTransforms", SamTransform.declared(Template.parse(t.original()).root()));
        }
        return m;
    }

    /**
     * A template's parameter declarations as GetTemplateSummary ({@code summary}: with ParameterType and
     * ParameterConstraints) or ValidateTemplate (without them) answer them.
     */
    private static List<Object> parameterDeclarations(Template t, boolean summary) {
        List<Object> params = new ArrayList<>();
        for (var e : Template.iterable(t.parameters())) {
            JsonNode d = e.getValue();
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("ParameterKey", e.getKey());
            if (d.has("Default")) {
                p.put("DefaultValue", d.get("Default").isArray() ? String.join(",", texts(d.get("Default"))) : d.get("Default").asText());
            }
            if (summary) {
                p.put("ParameterType", d.path("Type").asText());
            }
            p.put("NoEcho", d.path("NoEcho").asBoolean(false));
            p.put("Description", d.path("Description").asText(null));
            if (summary) {
                p.put("ParameterConstraints", d.has("AllowedValues")
                        ? Map.of("AllowedValues", texts(d.get("AllowedValues"))) : Map.of());
            }
            params.add(p);
        }
        return params;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Per resource type, the logical ids of that type and the identifier properties an import would name. */
    private static List<Object> identifierSummaries(Template t) {
        Map<String, List<String>> byType = new LinkedHashMap<>();
        for (var e : Template.iterable(t.resources())) {
            byType.computeIfAbsent(e.getValue().path("Type").asText(), k -> new ArrayList<>()).add(e.getKey());
        }
        List<Object> out = new ArrayList<>();
        byType.forEach((type, ids) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ResourceType", type);
            m.put("LogicalResourceIds", ids);
            ResourceTypes.Spec spec = ResourceTypes.get().spec(type);
            if (spec != null && !spec.identifier().isEmpty()) {
                m.put("ResourceIdentifiers", spec.identifier());
            }
            out.add(m);
        });
        return out;
    }

    Map<String, Object> validateTemplate(Form form) {
        Template t = service.processed(form);
        t.validate();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Parameters", parameterDeclarations(t, false));
        if (t.original() != null) {
            m.put("DeclaredTransforms", SamTransform.declared(Template.parse(t.original()).root()));
        }
        m.put("Description", t.description());
        StringBuilder reason = new StringBuilder();
        List<String> caps = StackEngine.requiredCapabilities(t, reason);
        if (!caps.isEmpty()) {
            // AWS leaves out what is empty: no capabilities, no transforms
            m.put("Capabilities", caps);
            m.put("CapabilitiesReason", reason.toString());
        }
        return m;
    }

    Map<String, Object> listExports() {
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
}
