package dev.livestack.deployer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the deployer reports while it works. The cli renders these for a terminal or prints them as JSON
 * Lines ({@link #type()} is the JSON {@code type}). Values that may be secret are masked before they get here.
 */
public sealed interface DeployEvent {

    /** The event's JSON type, e.g. {@code hotswap.applied}. */
    String type();

    /** The stack it concerns. */
    String stackName();

    /**
     * A resource's changes were hot-swapped.
     *
     * @param logicalId the resource
     * @param resourceType its CloudFormation type
     * @param physicalId the function name / state machine ARN it was applied to
     * @param properties the properties swapped (e.g. {@code Code}, {@code Environment})
     * @param detail a one-line description with secret values masked
     * @param duration how long the swap took, waits included
     */
    record HotswapApplied(String stackName, String logicalId, String resourceType, String physicalId,
                          List<String> properties, String detail, Duration duration) implements DeployEvent {
        public HotswapApplied {
            requireText(stackName, "stackName");
            requireText(logicalId, "logicalId");
            properties = properties == null ? List.of() : List.copyOf(properties);
            detail = detail == null ? "" : detail;
            Objects.requireNonNull(duration, "duration");
        }

        @Override
        public String type() {
            return "hotswap.applied";
        }
    }

    /**
     * A change was not hot-swapped.
     *
     * @param logicalId the resource ({@code Outputs}, {@code Parameters}, … for template sections)
     * @param resourceType its type, or empty for template sections
     * @param property the property that could not be swapped, or empty when the whole resource could not
     * @param code why, as a code (JSON field {@code code})
     * @param reason why, in words the user can act on
     */
    record HotswapSkipped(String stackName, String logicalId, String resourceType, String property, RejectReason code,
                          String reason) implements DeployEvent {
        public HotswapSkipped {
            requireText(stackName, "stackName");
            requireText(logicalId, "logicalId");
            resourceType = resourceType == null ? "" : resourceType;
            property = property == null ? "" : property;
            Objects.requireNonNull(code, "code");
            requireText(reason, "reason");
        }

        @Override
        public String type() {
            return "hotswap.skipped";
        }
    }

    /** A hot-swap of a resource failed (the loop goes on; the change stays pending). */
    record HotswapFailed(String stackName, String logicalId, String resourceType, String error) implements DeployEvent {
        public HotswapFailed {
            requireText(stackName, "stackName");
            requireText(logicalId, "logicalId");
            resourceType = resourceType == null ? "" : resourceType;
            requireText(error, "error");
        }

        @Override
        public String type() {
            return "hotswap.failed";
        }
    }

    /** The first hot-swap of a run: CloudFormation's view of the stack no longer matches what runs. */
    record DriftWarning(String stackName, String message) implements DeployEvent {
        public DriftWarning {
            requireText(stackName, "stackName");
            requireText(message, "message");
        }

        @Override
        public String type() {
            return "drift.warning";
        }
    }

    /**
     * A resource that ran hot-swapped values was put back to what CloudFormation's template says, after a deploy that
     * left those properties alone (so what runs is the template again).
     *
     * @param properties the properties put back
     * @param detail a one-line description with secret values masked
     */
    record DriftReverted(String stackName, String logicalId, String resourceType, String physicalId,
                         List<String> properties, String detail, Duration duration) implements DeployEvent {
        public DriftReverted {
            requireText(stackName, "stackName");
            requireText(logicalId, "logicalId");
            properties = properties == null ? List.of() : List.copyOf(properties);
            detail = detail == null ? "" : detail;
            Objects.requireNonNull(duration, "duration");
        }

        @Override
        public String type() {
            return "drift.reverted";
        }
    }

    /**
     * A stack whose creation had failed ({@code ROLLBACK_COMPLETE}, or {@code ROLLBACK_FAILED} when asked to) is being
     * deleted so that it can be created again, as {@code cdk deploy} does: it never had a working version.
     *
     * @param previousStatus the status it was found in
     */
    record StackRecreated(String stackName, String previousStatus) implements DeployEvent {
        public StackRecreated {
            requireText(stackName, "stackName");
            requireText(previousStatus, "previousStatus");
        }

        @Override
        public String type() {
            return "stack.recreated";
        }
    }

    /**
     * A stack left in {@code UPDATE_ROLLBACK_FAILED} gets ContinueUpdateRollback before the deploy goes on.
     *
     * @param reason why its rollback had failed (CloudFormation's status reason), or empty
     */
    record RollbackContinued(String stackName, String reason) implements DeployEvent {
        public RollbackContinued {
            requireText(stackName, "stackName");
            reason = reason == null ? "" : reason;
        }

        @Override
        public String type() {
            return "stack.rollback-continued";
        }
    }

    /** A change set was created; {@code summary} holds the change table. */
    record ChangeSetCreated(String stackName, ChangeSetSummary summary) implements DeployEvent {
        public ChangeSetCreated {
            requireText(stackName, "stackName");
            Objects.requireNonNull(summary, "summary");
        }

        @Override
        public String type() {
            return "changeset.created";
        }
    }

    /** A change set's execution started. */
    record ChangeSetExecuted(String stackName, String changeSetId) implements DeployEvent {
        public ChangeSetExecuted {
            requireText(stackName, "stackName");
            requireText(changeSetId, "changeSetId");
        }

        @Override
        public String type() {
            return "changeset.executed";
        }
    }

    /**
     * One CloudFormation stack event, streamed while a change set executes.
     *
     * @param logicalId the resource (the stack name for the stack itself)
     * @param resourceType its type
     * @param status e.g. {@code CREATE_IN_PROGRESS}
     * @param reason the status reason, or empty
     * @param timestamp when CloudFormation recorded it
     * @param elapsed time since the execution started
     */
    record StackEvent(String stackName, String logicalId, String resourceType, String status, String reason,
                      Instant timestamp, Duration elapsed) implements DeployEvent {
        public StackEvent {
            requireText(stackName, "stackName");
            logicalId = logicalId == null ? "" : logicalId;
            resourceType = resourceType == null ? "" : resourceType;
            requireText(status, "status");
            reason = reason == null ? "" : reason;
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(elapsed, "elapsed");
        }

        @Override
        public String type() {
            return "stack.event";
        }
    }

    /**
     * A file asset is in its S3 destination, before the change set that needs it.
     *
     * @param asset the asset's display name (a construct path) or id
     * @param bucket the destination bucket
     * @param key the destination key
     * @param bytes the uploaded size, or 0 when the object was already there
     * @param uploaded false when the object already existed (HeadObject) and nothing was uploaded
     * @param duration packaging and upload time
     */
    record AssetPublished(String stackName, String asset, String bucket, String key, long bytes, boolean uploaded,
                          Duration duration) implements DeployEvent {
        public AssetPublished {
            requireText(stackName, "stackName");
            requireText(asset, "asset");
            requireText(bucket, "bucket");
            requireText(key, "key");
            Objects.requireNonNull(duration, "duration");
        }

        @Override
        public String type() {
            return "asset.published";
        }
    }

    /**
     * A container image asset was built (or found built) with docker and pushed to its ECR repository.
     *
     * @param asset the asset's display name (a construct path) or id
     * @param imageUri the pushed image, {@code <repository uri>:<tag>}
     * @param built false when docker had the image already ({@code docker inspect}) and it was not built again
     * @param duration build, tag and push time
     */
    record ImagePublished(String stackName, String asset, String imageUri, boolean built, Duration duration)
            implements DeployEvent {
        public ImagePublished {
            requireText(stackName, "stackName");
            requireText(asset, "asset");
            requireText(imageUri, "imageUri");
            Objects.requireNonNull(duration, "duration");
        }

        @Override
        public String type() {
            return "asset.image.published";
        }
    }

    /** A missing CDK bootstrap resource (staging bucket, version parameter) was created on local-cloud. */
    record Bootstrapped(String stackName, String resource) implements DeployEvent {
        public Bootstrapped {
            requireText(stackName, "stackName");
            requireText(resource, "resource");
        }

        @Override
        public String type() {
            return "bootstrap.created";
        }
    }

    /**
     * A CDK bootstrap role the assembly names was assumed: the stack's CloudFormation calls ({@code deploy}) or its
     * asset uploads ({@code file-publishing}) act as it.
     */
    record RoleAssumed(String stackName, String purpose, String roleArn) implements DeployEvent {
        public RoleAssumed {
            requireText(stackName, "stackName");
            requireText(purpose, "purpose");
            requireText(roleArn, "roleArn");
        }

        @Override
        public String type() {
            return "role.assumed";
        }
    }

    /**
     * A CDK bootstrap role could not be assumed, but the caller's own credentials are for its account (or the target
     * is local-cloud, which has one account), so they are used instead, as the CDK CLI does; {@code reason} is STS's
     * message.
     */
    record RoleNotAssumed(String stackName, String purpose, String roleArn, String reason) implements DeployEvent {
        public RoleNotAssumed {
            requireText(stackName, "stackName");
            requireText(purpose, "purpose");
            requireText(roleArn, "roleArn");
            reason = reason == null ? "" : reason;
        }

        @Override
        public String type() {
            return "role.not-assumed";
        }
    }

    /** A call failed transiently (throttling, 5xx, connection reset, 409 conflict) and is retried. */
    record Retrying(String stackName, String operation, int attempt, String reason, Duration delay) implements DeployEvent {
        public Retrying {
            requireText(stackName, "stackName");
            requireText(operation, "operation");
            if (attempt < 1) {
                throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
            }
            reason = reason == null ? "" : reason;
            Objects.requireNonNull(delay, "delay");
        }

        @Override
        public String type() {
            return "deploy.retry";
        }
    }

    /** A deploy of the stack ended well ({@code NO_CHANGES}, {@code HOTSWAPPED}, {@code DEPLOYED} or {@code PARTIAL}). */
    record DeploySucceeded(String stackName, DeployResult.Status status, Map<String, String> outputs, Duration duration)
            implements DeployEvent {
        public DeploySucceeded {
            requireText(stackName, "stackName");
            Objects.requireNonNull(status, "status");
            outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
            Objects.requireNonNull(duration, "duration");
        }

        @Override
        public String type() {
            return "deploy.succeeded";
        }
    }

    /**
     * A deploy of the stack failed.
     *
     * @param error line one what failed, line two what to do
     * @param rootCause the first failed resource and its reason, or empty
     * @param finalStatus the stack's status afterwards (e.g. {@code UPDATE_ROLLBACK_COMPLETE}), or empty
     */
    record DeployFailed(String stackName, String error, String rootCause, String finalStatus, Duration duration)
            implements DeployEvent {
        public DeployFailed {
            requireText(stackName, "stackName");
            requireText(error, "error");
            rootCause = rootCause == null ? "" : rootCause;
            finalStatus = finalStatus == null ? "" : finalStatus;
            Objects.requireNonNull(duration, "duration");
        }

        @Override
        public String type() {
            return "deploy.failed";
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
