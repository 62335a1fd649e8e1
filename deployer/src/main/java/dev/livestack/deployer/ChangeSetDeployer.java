package dev.livestack.deployer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetStatus;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetSummary;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.Tag;

/**
 * The change-set flow: create (CREATE or UPDATE), wait, show, approve, execute, stream stack events, report
 * the root cause of a failure.
 */
final class ChangeSetDeployer {
    static final int MAX_TEMPLATE_BODY = 51_200;
    private static final AtomicLong SEQ = new AtomicLong();
    private static final Set<String> BROADENING_TYPES = Set.of("AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress",
            "AWS::EC2::SecurityGroupEgress", "AWS::Lambda::Permission", "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy",
            "AWS::S3::BucketPolicy", "AWS::KMS::Key");

    /** The outcome of one change-set deploy. */
    record Outcome(DeployResult.Status status, String changeSetId, String error, String rootCause, String finalStatus,
                   Map<String, String> outputs) {
    }

    private final DeployerConfig config;
    private final Cfn cfn;
    private final Retry retry;
    private final ChangeSetInputs inputs;

    ChangeSetDeployer(DeployerConfig config, Cfn cfn, Retry retry) {
        this.config = config;
        this.cfn = cfn;
        this.retry = retry;
        this.inputs = new ChangeSetInputs(config, retry);
    }

    /**
     * What a stack's cloud assembly artifact asks of its deploy, as {@code cdk deploy} applies it.
     *
     * @param executionRole the role CloudFormation deploys the stack as ({@code RoleARN}), or {@code null}: the caller's
     * @param tags stack tags, used when the configuration has none (as {@code cdk deploy --tags} replaces them)
     * @param terminationProtection set on the stack after a deploy when it differs; {@code null} leaves it alone
     */
    record StackSettings(String executionRole, Map<String, String> tags, Boolean terminationProtection) {
        static final StackSettings NONE = new StackSettings(null, Map.of(), null);

        StackSettings {
            tags = tags == null ? Map.of() : tags;
        }
    }

    Outcome deploy(String stackName, ObjectNode template, StackSettings settings, Retry.Listener l) {
        StackSettings stack = settings == null ? StackSettings.NONE : settings;
        var cf = cfn.client();
        Stack existing = settle(stackName, l).orElse(null);
        ChangeSetType type = ChangeSetType.UPDATE;
        if (existing == null || "REVIEW_IN_PROGRESS".equals(existing.stackStatusAsString())) {
            type = ChangeSetType.CREATE;
        } else {
            String status = existing.stackStatusAsString();
            if (status.equals("ROLLBACK_COMPLETE") || status.equals("ROLLBACK_FAILED") && replaceRollbackFailed(stackName)) {
                // Its creation failed, so it never had a working version: cdk deploy deletes it and creates it again.
                config.events().accept(new DeployEvent.StackRecreated(stackName, status));
                deleteAndWait(existing, l);
                type = ChangeSetType.CREATE;
                existing = null;
            } else if (status.equals("ROLLBACK_FAILED")) {
                return failed("Stack " + stackName + " is in ROLLBACK_FAILED state (its creation failed, and so did deleting"
                        + " what it had created) and cannot be updated.\n"
                        + "Deploy again with --replace-failed to delete and re-create it, or delete it yourself.", "", status);
            } else if (status.equals("UPDATE_ROLLBACK_FAILED")) {
                Outcome continued = continueRollback(stackName, existing, l);
                if (continued != null) {
                    return continued;
                }
                existing = cfn.describe(existing.stackId(), l).orElse(null);
            } else if (status.endsWith("_FAILED")) {
                return failed("Stack " + stackName + " is in " + status + " state and cannot be updated.\n"
                        + "Fix it in the CloudFormation console (for DELETE_FAILED, delete it again), then deploy again.",
                        "", status);
            }
        }
        if (existing != null) {
            deleteStaleChangeSets(stackName, l);
        }
        String body = Json.write(template);
        int size = body.getBytes(StandardCharsets.UTF_8).length;
        String templateUrl = null;
        if (size > MAX_TEMPLATE_BODY) {
            if (config.s3() == null || config.templateBucket() == null) {
                return failed("The template of stack " + stackName + " is " + size
                        + " bytes, over the 51,200 bytes CloudFormation accepts inline.\n"
                        + "Configure a template bucket (an S3 client and a bucket name in the deployer's configuration) so it can be uploaded.",
                        "", existing == null ? "" : existing.stackStatusAsString());
            }
            templateUrl = inputs.upload(stackName, body, l);
        }
        String csName = "livestack-" + System.currentTimeMillis() + "-" + SEQ.incrementAndGet();
        Map<String, String> shownParams = new LinkedHashMap<>();
        List<Parameter> params;
        try {
            params = inputs.parameters(stackName, template, existing, shownParams);
        } catch (ChangeSetInputs.MissingParameters e) {
            // refused before CloudFormation is asked, as cdk deploy does, with CloudFormation's own words
            String first = e.names().get(0);
            return failed("Stack " + stackName + " cannot be deployed: " + e.getMessage() + ".\n"
                    + "Give " + (e.names().size() == 1 ? "it a value" : "each a value") + " with --parameters " + first
                    + "=VALUE (or " + stackName + ":" + first + "=VALUE); later deploys keep the value.",
                    "", existing == null ? "" : existing.stackStatusAsString());
        }
        Set<Capability> caps = ChangeSetInputs.capabilities(template);
        Map<String, String> tagValues = config.tags().isEmpty() ? stack.tags() : config.tags();
        List<Tag> tags = tagValues.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
        ChangeSetType csType = type;
        String url = templateUrl;
        CreateChangeSetResponse created;
        try {
            created = retry.call("CreateChangeSet", l, () -> cf.createChangeSet(b -> {
                b.stackName(stackName).changeSetName(csName).changeSetType(csType).parameters(params)
                        .capabilities(caps).tags(tags).description("livestack deploy");
                if (stack.executionRole() != null) {
                    b.roleARN(stack.executionRole());
                }
                if (url != null) {
                    b.templateURL(url);
                } else {
                    b.templateBody(body);
                }
            }));
        } catch (CloudFormationException e) {
            Optional<CreateChangeSetResponse> already = alreadyCreated(e, stackName, csName, l);
            if (already.isPresent()) {
                created = already.get();
            } else {
                return failed("Creating a change set for stack " + stackName + " failed: " + HotswapExecutor.message(e)
                        + "\nFix the template (or the stack's state) and save again.", "", existing == null ? "" : existing.stackStatusAsString());
            }
        }
        String csId = created.id();
        String stackId = created.stackId() != null ? created.stackId() : stackName;
        DescribeChangeSetResponse cs = awaitChangeSet(csId, l);
        if (cs.status() == ChangeSetStatus.FAILED) {
            String reason = String.valueOf(cs.statusReason());
            deleteChangeSet(csId, l);
            if (reason.contains("didn't contain changes") || reason.contains("No updates are to be performed")) {
                Optional<Stack> live = describe(stackId, l);
                live.ifPresent(s -> cfn.protect(s, stack.terminationProtection(), l));
                return new Outcome(DeployResult.Status.NO_CHANGES, csId, null, null,
                        live.map(Stack::stackStatusAsString).orElse(""), live.map(Cfn::outputs).orElse(Map.of()));
            }
            return failed("The change set for stack " + stackName + " failed: " + reason
                    + "\nFix the template and save again.", "", stackStatus(stackId, l));
        }
        List<ChangeRow> rows = rows(cs, csId, l);
        boolean broadening = rows.stream().anyMatch(r -> !r.action().equals("Remove")
                && (r.resourceType().startsWith("AWS::IAM::") || BROADENING_TYPES.contains(r.resourceType())));
        dev.livestack.deployer.ChangeSetSummary summary = new dev.livestack.deployer.ChangeSetSummary(
                stackName, csId, csType.toString(), rows, broadening, shownParams);
        config.events().accept(new DeployEvent.ChangeSetCreated(stackName, summary));
        if (config.approval().requiresApproval(summary)
                && (config.approver() == null || !config.approver().test(summary))) {
            deleteChangeSet(csId, l);
            return new Outcome(DeployResult.Status.DECLINED, csId,
                    "The change set for stack " + stackName + " was not approved; nothing was deployed.\n"
                            + "Approve it when asked, or deploy with --require-approval never.", null, stackStatus(stackId, l), Map.of());
        }
        String lastEventBefore = newestEventId(stackId, l);
        long started = System.nanoTime();
        try {
            retry.run("ExecuteChangeSet", l, () -> cf.executeChangeSet(b -> b.changeSetName(csId)));
        } catch (CloudFormationException e) {
            // A retried execute whose first attempt reached CloudFormation finds the change set already executing.
            if (!String.valueOf(e.getMessage()).contains("EXECUTE_")) {
                return failed("Executing the change set for stack " + stackName + " failed: " + HotswapExecutor.message(e)
                        + "\nDeploy again.", "", stackStatus(stackId, l));
            }
        }
        config.events().accept(new DeployEvent.ChangeSetExecuted(stackName, csId));
        return awaitStack(stackName, stackId, csId, lastEventBefore, started, stack.terminationProtection(), l);
    }

    /**
     * A retried CreateChangeSet whose first attempt reached CloudFormation (the response was lost) finds its own
     * change set already there; that one is used.
     */
    private Optional<CreateChangeSetResponse> alreadyCreated(CloudFormationException e, String stackName, String csName,
                                                             Retry.Listener l) {
        String code = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
        if (!code.equals("AlreadyExistsException")) {
            return Optional.empty();
        }
        try {
            DescribeChangeSetResponse cs = retry.call("DescribeChangeSet", l,
                    () -> cfn.client().describeChangeSet(b -> b.stackName(stackName).changeSetName(csName)));
            return Optional.of(CreateChangeSetResponse.builder().id(cs.changeSetId()).stackId(cs.stackId()).build());
        } catch (CloudFormationException notThere) {
            return Optional.empty();
        }
    }

    /** A ROLLBACK_FAILED stack is re-created only when asked to ({@code --replace-failed}, or yes to the question). */
    private boolean replaceRollbackFailed(String stackName) {
        return config.replaceFailed() || config.confirmReplace() != null && config.confirmReplace().test(stackName);
    }

    /**
     * ContinueUpdateRollback on a stack left in UPDATE_ROLLBACK_FAILED, streaming its events; null once the
     * stack is back in UPDATE_ROLLBACK_COMPLETE (so the deploy goes on), else the failed outcome.
     */
    private Outcome continueRollback(String stackName, Stack stack, Retry.Listener l) {
        config.events().accept(new DeployEvent.RollbackContinued(stackName, stack.stackStatusReason()));
        String stackId = stack.stackId();
        String lastEventBefore = newestEventId(stackId, l);
        long started = System.nanoTime();
        try {
            retry.run("ContinueUpdateRollback", l, () -> cfn.client().continueUpdateRollback(b -> {
                b.stackName(stackId);
                if (stack.roleARN() != null) {
                    b.roleARN(stack.roleARN());
                }
            }));
        } catch (CloudFormationException e) {
            // A retried call whose first attempt reached CloudFormation finds the rollback already running.
            if (!String.valueOf(e.getMessage()).contains("UPDATE_ROLLBACK_IN_PROGRESS")) {
                return failed("Continuing the update rollback of stack " + stackName + " failed: " + HotswapExecutor.message(e)
                        + "\nFix the stack in CloudFormation, then save again.", "", stackStatus(stackId, l));
            }
        }
        Outcome o = awaitStack(stackName, stackId, null, lastEventBefore, started, null, l);
        if ("UPDATE_ROLLBACK_COMPLETE".equals(o.finalStatus())) {
            return null;
        }
        String cause = o.rootCause() == null ? "" : ": " + o.rootCause();
        return failed("Stack " + stackName + " is in " + o.finalStatus() + " and continuing its update rollback failed" + cause
                + "\nFix what keeps the resource from being restored, or skip it (aws cloudformation continue-update-rollback"
                + " --stack-name " + stackName + " --resources-to-skip <logical id>), then save again.", o.rootCause(),
                o.finalStatus());
    }

    private Outcome failed(String error, String rootCause, String finalStatus) {
        return new Outcome(DeployResult.Status.FAILED, null, error, rootCause, finalStatus, Map.of());
    }

    /** The stack, after any operation in progress has ended. */
    private Optional<Stack> settle(String stackName, Retry.Listener l) {
        long deadline = System.nanoTime() + config.timeout().toNanos();
        while (true) {
            Optional<Stack> s = cfn.describe(stackName, l);
            if (s.isEmpty()) {
                return s;
            }
            String st = s.get().stackStatusAsString();
            if (!st.endsWith("_IN_PROGRESS") || st.equals("REVIEW_IN_PROGRESS")) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("stack " + stackName + " stayed " + st + " longer than " + config.timeout());
            }
            Retry.sleep(config.stackPollInterval());
        }
    }

    private void deleteAndWait(Stack stack, Retry.Listener l) {
        String id = stack.stackId();
        retry.run("DeleteStack", l, () -> cfn.client().deleteStack(b -> b.stackName(id)));
        long deadline = System.nanoTime() + config.timeout().toNanos();
        while (true) {
            Optional<Stack> s = cfn.describe(id, l);
            if (s.isEmpty() || s.get().stackStatusAsString().equals("DELETE_COMPLETE")) {
                return;
            }
            if (s.get().stackStatusAsString().equals("DELETE_FAILED")) {
                throw new IllegalStateException("deleting the failed stack " + stack.stackName() + " failed: "
                        + s.get().stackStatusReason());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("deleting stack " + stack.stackName() + " took longer than " + config.timeout());
            }
            Retry.sleep(config.stackPollInterval());
        }
    }

    /** Deletes change sets livestack created earlier and never executed. Housekeeping: failures are ignored. */
    void deleteStaleChangeSets(String stackName, Retry.Listener l) {
        try {
            String token = null;
            do {
                String t = token;
                var page = retry.call("ListChangeSets", l, () -> cfn.client().listChangeSets(b -> b.stackName(stackName).nextToken(t)));
                for (ChangeSetSummary s : page.summaries()) {
                    String exec = String.valueOf(s.executionStatusAsString());
                    if (s.changeSetName() != null && s.changeSetName().startsWith("livestack-")
                            && !exec.equals("EXECUTE_IN_PROGRESS")) {
                        deleteChangeSet(s.changeSetId(), l);
                    }
                }
                token = page.nextToken();
            } while (token != null && !token.isEmpty());
        } catch (SdkException e) {
            // Stale change sets cost nothing but clutter; never fail a deploy over them.
        }
    }

    private void deleteChangeSet(String csId, Retry.Listener l) {
        try {
            retry.run("DeleteChangeSet", l, () -> cfn.client().deleteChangeSet(b -> b.changeSetName(csId)));
        } catch (SdkException e) {
            // Left behind, it is deleted as stale by the next deploy.
        }
    }

    private DescribeChangeSetResponse awaitChangeSet(String csId, Retry.Listener l) {
        long deadline = System.nanoTime() + config.timeout().toNanos();
        while (true) {
            DescribeChangeSetResponse cs = retry.call("DescribeChangeSet", l,
                    () -> cfn.client().describeChangeSet(b -> b.changeSetName(csId)));
            if (cs.status() == ChangeSetStatus.CREATE_COMPLETE || cs.status() == ChangeSetStatus.FAILED) {
                return cs;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("change set " + csId + " stayed " + cs.statusAsString() + " longer than " + config.timeout());
            }
            Retry.sleep(config.stackPollInterval());
        }
    }

    private List<ChangeRow> rows(DescribeChangeSetResponse first, String csId, Retry.Listener l) {
        List<ChangeRow> rows = new ArrayList<>();
        DescribeChangeSetResponse page = first;
        while (true) {
            for (Change c : page.changes()) {
                var rc = c.resourceChange();
                if (rc == null) {
                    continue;
                }
                rows.add(new ChangeRow(rc.actionAsString(), rc.logicalResourceId(), rc.resourceType(),
                        rc.replacementAsString()));
            }
            String token = page.nextToken();
            if (token == null || token.isEmpty()) {
                return rows;
            }
            page = retry.call("DescribeChangeSet", l, () -> cfn.client().describeChangeSet(b -> b.changeSetName(csId).nextToken(token)));
        }
    }

    private String newestEventId(String stackId, Retry.Listener l) {
        try {
            var events = retry.call("DescribeStackEvents", l, () -> cfn.client().describeStackEvents(b -> b.stackName(stackId)).stackEvents());
            return events.isEmpty() ? null : events.get(0).eventId();
        } catch (CloudFormationException e) {
            return null;
        }
    }

    private Outcome awaitStack(String stackName, String stackId, String csId, String lastEventBefore, long started,
                               Boolean terminationProtection, Retry.Listener l) {
        long deadline = System.nanoTime() + config.timeout().toNanos();
        StackEventFeed feed = new StackEventFeed(cfn, retry, l, config.events(), stackName, stackId, lastEventBefore, started);
        while (true) {
            feed.poll();
            Stack s = cfn.describe(stackId, l).orElseThrow(() -> new IllegalStateException("stack " + stackName + " disappeared"));
            String st = s.stackStatusAsString();
            if (!st.endsWith("_IN_PROGRESS")) {
                // Drain the events written together with the final status.
                feed.poll();
                String rootCause = feed.rootCause();
                if (st.equals("CREATE_COMPLETE") || st.equals("UPDATE_COMPLETE") || st.equals("IMPORT_COMPLETE")) {
                    cfn.protect(s, terminationProtection, l);
                    return new Outcome(DeployResult.Status.DEPLOYED, csId, null, null, st, Cfn.outputs(s));
                }
                if (rootCause == null && s.stackStatusReason() != null) {
                    rootCause = s.stackStatusReason();
                }
                return new Outcome(DeployResult.Status.FAILED, csId,
                        "Deploying stack " + stackName + " failed (" + st + ")"
                                + (rootCause == null ? "" : ": " + rootCause)
                                + "\nFix the cause above and save again (the stack was rolled back).",
                        rootCause, st, Cfn.outputs(s));
            }
            if (System.nanoTime() > deadline) {
                return failed("Stack " + stackName + " stayed " + st + " longer than " + config.timeout() + ".\n"
                        + "Check the stack in CloudFormation; deploy again when it settles.", feed.rootCause(), st);
            }
            Retry.sleep(config.stackPollInterval());
        }
    }

    private Optional<Stack> describe(String stackId, Retry.Listener l) {
        try {
            return cfn.describe(stackId, l);
        } catch (SdkException e) {
            return Optional.empty();
        }
    }

    private String stackStatus(String stackId, Retry.Listener l) {
        try {
            return cfn.describe(stackId, l).map(Stack::stackStatusAsString).orElse("");
        } catch (SdkException e) {
            return "";
        }
    }

    private Map<String, String> outputs(String stackId, Retry.Listener l) {
        try {
            return cfn.describe(stackId, l).map(Cfn::outputs).orElse(Map.of());
        } catch (SdkException e) {
            return Map.of();
        }
    }
}
