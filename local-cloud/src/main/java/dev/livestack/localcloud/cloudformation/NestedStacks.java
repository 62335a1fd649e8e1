package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.S3Urls;
import dev.livestack.localcloud.core.ports.ResourceProvider;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code AWS::CloudFormation::Stack}: a child stack whose template is read from local-cloud's S3, created,
 * updated and deleted by the same engine as any stack, with {@code ParentId}/{@code RootId} set. Ref is the child's
 * stack id; {@code Fn::GetAtt [X, Outputs.Name]} is the child's output. The provider call waits for the child's
 * operation, so the parent's resource event follows the child's outcome, as in CloudFormation: the parent shows the
 * nested resource, the child's resources' events stay under the child stack.
 */
final class NestedStacks implements ResourceProvider {
    static final String TYPE = "AWS::CloudFormation::Stack";
    static final String NO_SUCH_KEY = "S3 error: The specified key does not exist.\n"
            + "For more information check http://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html";
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final long POLL_MILLIS = 10;

    private final CloudContext context;
    private final StackStore store;
    private final SubmissionChecks checks;
    private final ChangeCalculation calc;
    private final StackOperation operation;
    private final StackRollback rollback;
    private final SecureRandom random = new SecureRandom();
    private final SamTransform transforms;

    NestedStacks(CloudContext context, StackStore store, SubmissionChecks checks, ChangeCalculation calc,
                 StackOperation operation, StackRollback rollback, SamTransform transforms) {
        this.transforms = transforms;
        this.context = context;
        this.store = store;
        this.checks = checks;
        this.calc = calc;
        this.operation = operation;
        this.rollback = rollback;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<String> replacementProperties() {
        // every property of a nested stack updates it in place ("No interruption")
        return Set.of();
    }

    @Override
    public Provisioned create(String stackName, String logicalId, ObjectNode properties) {
        Template template = template(properties);
        StackRecord child;
        synchronized (store.lock) {
            StackRecord parent = store.find(stackName);
            if (parent == null) {
                throw new ResourceFailure("Stack [" + stackName + "] does not exist");
            }
            template = processed(template, properties, parent.capabilities);
            Prepared prepared = prepare(template, properties, null, parent.capabilities, null);
            child = store.newStack(childName(parent.stackName, logicalId), StackStatus.CREATE_IN_PROGRESS);
            child.parentId = parent.stackId;
            child.rootId = parent.rootId != null ? parent.rootId : parent.stackId;
            // a failed child is left CREATE_FAILED: the parent's rollback deletes it
            child.disableRollback = true;
            child.roleArn = parent.roleArn;
            child.notificationArns = texts(properties.get("NotificationARNs"));
            if (properties.hasNonNull("TimeoutInMinutes")) {
                child.timeoutInMinutes = properties.get("TimeoutInMinutes").asInt();
            }
            Map<String, String> tags = new LinkedHashMap<>(parent.tags);
            tags.putAll(tags(properties.get("Tags")));
            operation.startDeploy(child, prepared, template.body(), parent.capabilities, tags, null, null);
        }
        StackStatus end = await(child);
        if (end != StackStatus.CREATE_COMPLETE) {
            throw new Failure(child.stackId, "Embedded stack " + child.stackId + " was not successfully created: "
                    + reason(child, end));
        }
        return provisioned(child);
    }

    @Override
    public Provisioned update(String stackName, String logicalId, String physicalId, ObjectNode oldProperties,
                              ObjectNode newProperties) {
        Template template = template(newProperties);
        StackRecord child;
        long since;
        synchronized (store.lock) {
            child = store.stacks.get(physicalId);
            StackRecord parent = store.find(stackName);
            if (child == null || child.deleted()) {
                throw new ResourceFailure("Stack with id " + physicalId + " does not exist");
            }
            List<String> caps = parent == null ? child.capabilities : parent.capabilities;
            template = processed(template, newProperties, caps);
            Prepared prepared = prepare(template, newProperties, child, caps, child.stackName);
            Map<String, String> tags = new LinkedHashMap<>(parent == null ? Map.of() : parent.tags);
            tags.putAll(tags(newProperties.get("Tags")));
            child.notificationArns = texts(newProperties.get("NotificationARNs"));
            child.timeoutInMinutes = newProperties.hasNonNull("TimeoutInMinutes")
                    ? Integer.valueOf(newProperties.get("TimeoutInMinutes").asInt()) : null;
            boolean unchanged;
            try {
                unchanged = calc.changes(child, prepared, false).isEmpty() && !calc.otherChanges(child, prepared, tags);
            } catch (AwsException | Intrinsics.TemplateError e) {
                throw new ResourceFailure(e.getMessage());
            }
            if (unchanged) {
                // nothing in the child changes: CloudFormation leaves an unmodified nested stack alone
                return provisioned(child);
            }
            since = child.events.isEmpty() ? 0 : child.events.get(child.events.size() - 1).timestamp;
            operation.startDeploy(child, prepared, template.body(), caps, tags, null, null);
        }
        StackStatus end = await(child);
        if (end != StackStatus.UPDATE_COMPLETE) {
            throw new ResourceFailure("Embedded stack " + child.stackId + " was not successfully updated. Currently in "
                    + end + " with reason: " + updateFailure(child, since));
        }
        return provisioned(child);
    }

    @Override
    public void delete(String physicalId, ObjectNode properties) {
        StackRecord child;
        synchronized (store.lock) {
            child = store.stacks.get(physicalId);
            if (child == null || child.deleted()) {
                return;
            }
        }
        await(child);
        synchronized (store.lock) {
            if (child.deleted()) {
                return;
            }
            rollback.startDelete(child, null, List.of());
        }
        StackStatus end = await(child);
        if (end != StackStatus.DELETE_COMPLETE) {
            throw new ResourceFailure("Embedded stack " + child.stackId + " was not successfully deleted: " + reason(child, end));
        }
    }

    /** The child's template from S3, failing the resource as CloudFormation does when it cannot be read. */
    private Template template(ObjectNode properties) {
        JsonNode url = properties.get("TemplateURL");
        if (url == null || !url.isTextual()) {
            throw new ResourceFailure("Properties validation failed for resource with message: #: required key [TemplateURL] not found");
        }
        S3Urls.Location at = S3Urls.locate(url.asText());
        if (at == null) {
            throw new ResourceFailure("TemplateURL must be a supported URL.");
        }
        byte[] bytes = context.objects().get(at.bucket(), at.key());
        if (bytes == null) {
            throw new ResourceFailure(NO_SUCH_KEY);
        }
        if (bytes.length > CloudFormationService.MAX_URL_TEMPLATE) {
            throw new ResourceFailure("Template may not exceed " + CloudFormationService.MAX_URL_TEMPLATE + " bytes in size.");
        }
        try {
            return Template.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (AwsException e) {
            throw new ResourceFailure(e.getMessage());
        }
    }

    /**
     * A child template's transforms, run: a nested template with a transform (a SAM application's, say) needs the
     * parent's CAPABILITY_AUTO_EXPAND.
     */
    private Template processed(Template template, ObjectNode properties, List<String> caps) {
        if (SamTransform.declared(template.root()).isEmpty()) {
            return template;
        }
        if (!caps.contains("CAPABILITY_AUTO_EXPAND")) {
            throw new ResourceFailure("Requires capabilities : [CAPABILITY_AUTO_EXPAND]");
        }
        Map<String, String> values = new LinkedHashMap<>();
        JsonNode params = properties.get("Parameters");
        if (params != null && params.isObject()) {
            for (var e : Template.iterable(params)) {
                values.put(e.getKey(), text(e.getValue()));
            }
        }
        try {
            return transforms.expand(template, values);
        } catch (AwsException e) {
            throw new ResourceFailure(e.getMessage());
        }
    }

    private Prepared prepare(Template template, ObjectNode properties, StackRecord previous, List<String> caps, String name) {
        List<Map<String, String>> given = new ArrayList<>();
        JsonNode params = properties.get("Parameters");
        if (params != null && params.isObject()) {
            for (var e : Template.iterable(params)) {
                given.add(Map.of("ParameterKey", e.getKey(), "ParameterValue", text(e.getValue())));
            }
        }
        try {
            return checks.prepare(template, given, previous, caps, name);
        } catch (AwsException e) {
            throw new ResourceFailure(e.getMessage());
        }
    }

    /** A parameter value as the child receives it: lists are comma-delimited, as CloudFormation passes them. */
    private static String text(JsonNode v) {
        if (v == null || v.isNull()) {
            return "";
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(p -> parts.add(p.asText()));
            return String.join(",", parts);
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    private static List<String> texts(JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v != null && v.isArray()) {
            v.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    private static Map<String, String> tags(JsonNode v) {
        Map<String, String> out = new LinkedHashMap<>();
        if (v != null && v.isArray()) {
            v.forEach(t -> out.put(t.path("Key").asText(), t.path("Value").asText()));
        }
        return out;
    }

    /** {@code <Parent>-<LogicalId>-<12 upper alnum>}, shortened to CloudFormation's 128 characters. */
    private String childName(String parent, String logicalId) {
        StringBuilder suffix = new StringBuilder("-");
        for (int i = 0; i < 12; i++) {
            suffix.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
        }
        String prefix = parent + "-" + logicalId;
        int room = 128 - suffix.length();
        return (prefix.length() > room ? prefix.substring(0, room) : prefix) + suffix;
    }

    private StackStatus await(StackRecord child) {
        while (true) {
            synchronized (store.lock) {
                if (!child.status.inProgress()) {
                    return child.status;
                }
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ResourceFailure("Embedded stack " + child.stackId + " was interrupted: local-cloud is stopping");
            }
        }
    }

    private String reason(StackRecord child, StackStatus end) {
        synchronized (store.lock) {
            return child.statusReason != null ? child.statusReason : end.name();
        }
    }

    /** Why the child's update failed: the reason its rollback started with (the status reason is cleared after). */
    private String updateFailure(StackRecord child, long since) {
        synchronized (store.lock) {
            for (int i = child.events.size() - 1; i >= 0; i--) {
                StackRecord.Event e = child.events.get(i);
                if (e.timestamp <= since) {
                    break;
                }
                if (TYPE.equals(e.type) && child.stackId.equals(e.physicalId) && e.reason != null
                        && e.status.equals(StackStatus.UPDATE_ROLLBACK_IN_PROGRESS.name())) {
                    return e.reason;
                }
            }
            return child.statusReason == null ? child.status.name() : child.statusReason;
        }
    }

    /**
     * A child stack that exists but failed: the parent's resource keeps its physical id, so the parent's rollback
     * deletes the child.
     */
    static final class Failure extends ResourceFailure {
        private static final long serialVersionUID = 1L;
        final String physicalId;

        Failure(String physicalId, String reason) {
            super(reason);
            this.physicalId = physicalId;
        }
    }

    private Provisioned provisioned(StackRecord child) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        synchronized (store.lock) {
            for (StackRecord.Output o : child.outputs) {
                attributes.put("Outputs." + o.key, o.value);
            }
        }
        return new Provisioned(child.stackId, attributes);
    }
}
