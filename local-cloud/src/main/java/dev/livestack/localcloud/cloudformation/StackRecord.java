package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One CloudFormation stack as local-cloud keeps it (and persists it, field by field, as JSON). Only
 * {@link CloudFormationService} touches it, always under its lock.
 */
final class StackRecord {
    String stackId;
    String stackName;
    StackStatus status;
    String statusReason;
    String description;
    String roleArn;
    String changeSetId;
    /** For a nested stack: the stack id of the stack whose {@code AWS::CloudFormation::Stack} made it; else null. */
    String parentId;
    /** For a nested stack: the stack id of the top-level stack above it; else null. */
    String rootId;
    long creationTime;
    long lastUpdatedTime;
    long deletionTime;
    boolean disableRollback;
    boolean terminationProtection;
    Integer timeoutInMinutes;
    List<String> capabilities = new ArrayList<>();
    List<String> notificationArns = new ArrayList<>();
    Map<String, String> tags = new LinkedHashMap<>();
    /** The applied template as submitted (JSON or YAML); null while the stack is only under review. */
    String templateBody;
    /** The template as submitted when a transform processed it into {@link #templateBody}; null otherwise. */
    String originalTemplateBody;
    List<Param> parameters = new ArrayList<>();
    /** The NoEcho values of a deploy under way (its new parameters); never stored. */
    transient java.util.Set<String> deployingSecrets = java.util.Set.of();
    Map<String, Resource> resources = new LinkedHashMap<>();
    List<Output> outputs = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    List<String> imports = new ArrayList<>();
    /** What an update rollback left undone when it failed (status UPDATE_ROLLBACK_FAILED); null otherwise. */
    PendingRollback rollback;

    /**
     * The rest of a failed update rollback, for ContinueUpdateRollback: the resources whose previous
     * configuration could not be restored, and the cleanup that never ran.
     */
    static final class PendingRollback {
        /** The template of the failed update; it orders the deletes of the resources that update created. */
        String templateBody;
        /** The logical ids the stack had before the update; the others go when the rollback completes. */
        List<String> previousIds = new ArrayList<>();
        /** Resources still to restore, as they were before the update. */
        Map<String, Resource> unrestored = new LinkedHashMap<>();
        /** Resources the update created, deleted in the cleanup. */
        List<String> created = new ArrayList<>();
        /** Physical resources that replacements created, deleted in the cleanup. */
        List<Resource> replacements = new ArrayList<>();
    }

    /** A parameter value: as given (or defaulted), and as resolved for SSM parameter types. */
    static final class Param {
        String key;
        String value;
        String resolvedValue;
        boolean noEcho;
        String type;

        Param() {
        }

        Param(String key, String value, String resolvedValue, boolean noEcho, String type) {
            this.key = key;
            this.value = value;
            this.resolvedValue = resolvedValue;
            this.noEcho = noEcho;
            this.type = type;
        }
    }

    static final class Resource {
        String logicalId;
        String physicalId;
        String type;
        String status;
        String statusReason;
        long timestamp;
        ObjectNode properties;
        Map<String, Object> attributes = new LinkedHashMap<>();
        JsonNode metadata;
        String deletionPolicy;

        Resource copy() {
            Resource r = new Resource();
            r.logicalId = logicalId;
            r.physicalId = physicalId;
            r.type = type;
            r.status = status;
            r.statusReason = statusReason;
            r.timestamp = timestamp;
            r.properties = properties == null ? null : properties.deepCopy();
            r.attributes = new LinkedHashMap<>(attributes);
            r.metadata = metadata == null ? null : metadata.deepCopy();
            r.deletionPolicy = deletionPolicy;
            return r;
        }
    }

    static final class Output {
        String key;
        String value;
        String description;
        String exportName;

        Output() {
        }

        Output(String key, String value, String description, String exportName) {
            this.key = key;
            this.value = value;
            this.description = description;
            this.exportName = exportName;
        }
    }

    static final class Event {
        String eventId;
        String logicalId;
        String physicalId;
        String type;
        String status;
        String reason;
        String properties;
        String clientRequestToken;
        long timestamp;
    }

    boolean deleted() {
        return status == StackStatus.DELETE_COMPLETE;
    }
}
