package dev.livestack.localcloud.cloudformation;

import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.AwsRequest;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.QueryService;
import dev.livestack.localcloud.core.ValidationErrors;
import dev.livestack.localcloud.core.ports.ApplicationRepository;
import dev.livestack.localcloud.core.ports.ParameterLookup;
import dev.livestack.localcloud.core.ports.RoleDirectory;
import java.time.Instant;
import java.util.ArrayList;
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
public final class CloudFormationService extends QueryService implements AutoCloseable {
    static final int MAX_BODY = 51_200;
    static final int MAX_URL_TEMPLATE = 1_000_000;
    private static final String NAME_PATTERN = "[a-zA-Z][-a-zA-Z0-9]*";
    private static final Set<StackStatus> UPDATABLE = Set.of(StackStatus.CREATE_COMPLETE, StackStatus.UPDATE_COMPLETE,
            StackStatus.UPDATE_ROLLBACK_COMPLETE, StackStatus.IMPORT_COMPLETE, StackStatus.IMPORT_ROLLBACK_COMPLETE);

    private final CloudContext context;
    private final StackEngine engine;
    private final StackQueries queries;
    private final SubmittedTemplates submitted;

    /**
     * @param parameters the SSM parameters that {@code AWS::SSM::Parameter::Value} parameter types resolve from
     * @param applications the Serverless Application Repository the SAM transform resolves applications in
     */
    public CloudFormationService(CloudContext context, ParameterLookup parameters, ApplicationRepository applications) {
        super("http://cloudformation.amazonaws.com/doc/2010-05-15/");
        this.context = context;
        this.engine = new StackEngine(context, parameters, applications);
        this.queries = new StackQueries(this, context, engine);
        this.submitted = new SubmittedTemplates(context, engine);
    }

    /** The IAM roles live stacks created, which STS assumes. */
    public RoleDirectory roles() {
        return engine.roles();
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
    public Map<String, Object> call(String action, Form form, AwsRequest request) {
        return engine.locked(() -> switch (action) {
            case "CreateStack" -> createStack(form);
            case "UpdateStack" -> updateStack(form);
            case "DeleteStack" -> deleteStack(form);
            case "DescribeStacks" -> queries.describeStacks(form);
            case "ListStacks" -> queries.listStacks(form);
            case "DescribeStackEvents" -> queries.describeStackEvents(form);
            case "DescribeStackResource" -> queries.describeStackResource(form);
            case "DescribeStackResources" -> queries.describeStackResources(form);
            case "ListStackResources" -> queries.listStackResources(form);
            case "GetTemplate" -> queries.getTemplate(form);
            case "GetTemplateSummary" -> queries.getTemplateSummary(form);
            case "ValidateTemplate" -> queries.validateTemplate(form);
            case "ListExports" -> queries.listExports();
            case "CreateChangeSet" -> createChangeSet(form);
            case "DescribeChangeSet" -> describeChangeSet(form);
            case "ExecuteChangeSet" -> executeChangeSet(form);
            case "DeleteChangeSet" -> deleteChangeSet(form);
            case "ListChangeSets" -> listChangeSets(form);
            case "UpdateTerminationProtection" -> updateTerminationProtection(form);
            case "ContinueUpdateRollback" -> continueUpdateRollback(form);
            default -> throw new AwsException(400, "InvalidAction",
                    "The action " + action + " is not valid for this web service (local-cloud does not implement it).");
        });
    }

    // ---------------------------------------------------------------- stacks

    private Map<String, Object> createStack(Form form) {
        String name = stackName(form.required("StackName"));
        StackRecord existing = engine.find(name);
        if (existing != null) {
            throw new AwsException(400, "AlreadyExistsException", "Stack [" + name + "] already exists");
        }
        List<String> caps = form.list("Capabilities");
        Template template = direct(template(form, null), form, caps);
        Prepared prepared = engine.prepare(template, form.structs("Parameters"), null, caps, name);
        StackRecord s = engine.newStack(name, StackStatus.CREATE_IN_PROGRESS);
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
        if (s == null || s.status == StackStatus.REVIEW_IN_PROGRESS) {
            throw AwsException.validation("Stack [" + name + "] does not exist");
        }
        requireUpdatable(s);
        List<String> caps = form.list("Capabilities");
        Template template = direct(template(form, s), form, caps);
        Prepared prepared = engine.prepare(template, form.structs("Parameters"), s, caps, s.stackName);
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

    private Template direct(Template template, Form form, List<String> caps) {
        return submitted.direct(template, form, caps);
    }

    /** A submitted template processed for a query (ValidateTemplate, GetTemplateSummary). */
    Template processed(Form form) {
        return submitted.processed(form);
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
        if (s.status != StackStatus.UPDATE_ROLLBACK_FAILED) {
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
        if (s.status == StackStatus.REVIEW_IN_PROGRESS) {
            s.status = StackStatus.DELETE_COMPLETE;
            s.deletionTime = System.currentTimeMillis();
            engine.stackEvent(s, StackStatus.DELETE_COMPLETE, null, form.get("ClientRequestToken"));
            for (ChangeSetRecord c : new ArrayList<>(engine.changeSets())) {
                if (c.stackId.equals(s.stackId)) {
                    engine.removeChangeSet(c);
                }
            }
            engine.save(s);
            return null;
        }
        if (s.status.inProgress()) {
            if (s.status == StackStatus.DELETE_IN_PROGRESS) {
                return null;
            }
            throw AwsException.validation("Stack [" + s.stackName + "] cannot be deleted while in status " + s.status);
        }
        engine.startDelete(s, form.get("ClientRequestToken"), form.list("RetainResources"));
        return null;
    }

    /** The submitted template: TemplateBody, TemplateURL (local-cloud's S3), or the previous one. */
    Template template(Form form, StackRecord previous) {
        return submitted.template(form, previous);
    }

    // ---------------------------------------------------------------- change sets

    private Map<String, Object> createChangeSet(Form form) {
        String stackName = form.required("StackName");
        String name = form.required("ChangeSetName");
        if (!name.matches(NAME_PATTERN) || name.length() > 128) {
            throw AwsException.validation(ValidationErrors.detected("Value '" + name + "' at 'changeSetName' failed to "
                    + "satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*"));
        }
        String type = form.get("ChangeSetType", "UPDATE");
        StackRecord s = engine.find(stackName);
        String token = form.get("ClientToken");
        switch (type) {
            case "CREATE" -> {
                if (s != null && s.status != StackStatus.REVIEW_IN_PROGRESS) {
                    throw AwsException.validation("Stack [" + stackName + "] already exists and cannot be created again with the changeSet ["
                            + name + "].");
                }
            }
            case "UPDATE" -> {
                if (s == null || s.status == StackStatus.REVIEW_IN_PROGRESS) {
                    throw AwsException.validation("Stack [" + stackName + "] does not exist");
                }
                requireUpdatable(s);
            }
            case "IMPORT" -> throw AwsException.validation("local-cloud does not support IMPORT change sets");
            default -> throw AwsException.validation(ValidationErrors.detected("Value '" + type
                    + "' at 'changeSetType' failed to satisfy constraint: Member must satisfy enum value set: [IMPORT, UPDATE, CREATE]"));
        }
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
        Template submitted = template(form, s);
        List<String> caps = form.list("Capabilities");
        String realName = s == null ? stackName(stackName) : s.stackName;
        Template template;
        TransformFailure transformFailure = null;
        Prepared prepared = null;
        try {
            template = engine.expand(submitted, form.structs("Parameters"));
        } catch (TransformFailure failed) {
            // CloudFormation accepts the change set and fails it with the transform's message
            transformFailure = failed;
            template = submitted;
        }
        if (transformFailure == null) {
            if (SamTransform.expandsApplications(template) && !caps.contains("CAPABILITY_AUTO_EXPAND")) {
                throw new AwsException(400, "InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_AUTO_EXPAND]");
            }
            prepared = engine.prepare(template, form.structs("Parameters"), "UPDATE".equals(type) ? s : null, caps, realName);
        }
        if (s == null) {
            s = engine.newStack(realName, StackStatus.REVIEW_IN_PROGRESS);
            s.statusReason = "User Initiated";
            engine.stackEvent(s, StackStatus.REVIEW_IN_PROGRESS, "User Initiated", null);
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
        cs.originalTemplateBody = template.original();
        cs.parameters = prepared == null ? new ArrayList<>() : prepared.parameters();
        cs.capabilities = caps;
        cs.notificationArns = form.list("NotificationARNs");
        cs.tags = form.has("Tags") ? tags(form) : new LinkedHashMap<>(s.tags);
        engine.addChangeSet(cs);
        if (transformFailure != null) {
            engine.failChangeSet(cs, transformFailure.getMessage());
        } else {
            engine.computeChangeSet(cs, prepared);
        }
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
        if (!c.parameters.isEmpty()) {
            m.put("Parameters", StackQueries.parameters(c.parameters));
        }
        m.put("CreationTime", Instant.ofEpochMilli(c.creationTime));
        m.put("ExecutionStatus", c.executionStatus);
        m.put("Status", c.status);
        m.put("StatusReason", c.statusReason);
        m.put("NotificationARNs", c.notificationArns);
        m.put("RollbackConfiguration", Map.of());
        m.put("Capabilities", c.capabilities);
        if (!c.tags.isEmpty()) {
            m.put("Tags", StackQueries.tagList(c.tags));
        }
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
            if (s.status != StackStatus.REVIEW_IN_PROGRESS) {
                throw AwsException.validation("Stack:" + s.stackId + " is in " + s.status + " state and can not be updated.");
            }
        } else {
            requireUpdatable(s);
        }
        Template template = Template.parse(c.templateBody).withOriginal(c.originalTemplateBody);
        List<Map<String, String>> given = new ArrayList<>();
        for (StackRecord.Param p : c.parameters) {
            given.add(Map.of("ParameterKey", p.key, "ParameterValue", p.value));
        }
        Prepared prepared = engine.prepare(template, given, "UPDATE".equals(c.type) ? s : null, c.capabilities,
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
            if (!c.stackId.equals(s.stackId) || "EXECUTE_COMPLETE".equals(c.executionStatus)) {
                // AWS lists a stack's active change sets: an executed one is only found by its ARN
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
            throw AwsException.validation(ValidationErrors.detected("Value '" + name + "' at 'stackName' failed to satisfy "
                    + "constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*"));
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
