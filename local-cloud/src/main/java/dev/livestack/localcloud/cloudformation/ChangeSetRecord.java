package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One change set: what was submitted, its computed changes, and its two statuses. */
final class ChangeSetRecord {
    String id;
    String name;
    String stackId;
    String stackName;
    String type;
    String status;
    String statusReason;
    String executionStatus;
    String description;
    String clientToken;
    String roleArn;
    long creationTime;
    String templateBody;
    /** The template as submitted when a transform processed it into {@link #templateBody}; null otherwise. */
    String originalTemplateBody;
    List<StackRecord.Param> parameters = new ArrayList<>();
    List<String> capabilities = new ArrayList<>();
    List<String> notificationArns = new ArrayList<>();
    Map<String, String> tags = new LinkedHashMap<>();
    /** Each change as DescribeChangeSet renders it (Type, ResourceChange{…}). */
    List<ObjectNode> changes = new ArrayList<>();
}
