package dev.livestack.localcloud;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.cloudformation.waiters.CloudFormationWaiter;

/** CloudFormation helpers for the ITs: the SDK's own waiters, polling every 50 ms instead of 30 s. */
final class Cfn {
    final CloudFormationClient client;
    final CloudFormationWaiter waiter;

    Cfn(CloudFormationClient client) {
        this.client = client;
        this.waiter = CloudFormationWaiter.builder().client(client)
                .overrideConfiguration(o -> o.backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(50)))
                        .maxAttempts(400))
                .build();
    }

    static Parameter param(String key, String value) {
        return Parameter.builder().parameterKey(key).parameterValue(value).build();
    }

    CreateChangeSetResponse changeSet(String stack, String name, ChangeSetType type, String body, Parameter... params) {
        return client.createChangeSet(b -> b.stackName(stack).changeSetName(name).changeSetType(type).templateBody(body)
                .capabilities(Capability.CAPABILITY_IAM, Capability.CAPABILITY_NAMED_IAM).parameters(params));
    }

    DescribeChangeSetResponse awaitChangeSet(String changeSetId) {
        waiter.waitUntilChangeSetCreateComplete(b -> b.changeSetName(changeSetId));
        return client.describeChangeSet(b -> b.changeSetName(changeSetId));
    }

    /** Creates or updates a stack through a change set and waits until CloudFormation is done with it. */
    Stack deploy(String stack, String body, Parameter... params) {
        boolean exists = client.listStacks().stackSummaries().stream()
                .anyMatch(s -> s.stackName().equals(stack) && !s.stackStatusAsString().equals("DELETE_COMPLETE")
                        && !s.stackStatusAsString().equals("REVIEW_IN_PROGRESS"));
        String name = "cs-" + Instant.now().toEpochMilli();
        CreateChangeSetResponse cs = changeSet(stack, name, exists ? ChangeSetType.UPDATE : ChangeSetType.CREATE, body, params);
        awaitChangeSet(cs.id());
        client.executeChangeSet(b -> b.changeSetName(cs.id()));
        return awaitSettled(stack);
    }

    /** Polls until the stack leaves every *_IN_PROGRESS status. */
    Stack awaitSettled(String stack) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            Stack s = client.describeStacks(b -> b.stackName(stack)).stacks().get(0);
            if (!s.stackStatusAsString().endsWith("_IN_PROGRESS")) {
                return s;
            }
            sleep(20);
        }
        throw new AssertionError("stack " + stack + " still in progress after 60 s");
    }

    List<StackEvent> events(String stack) {
        return client.describeStackEvents(b -> b.stackName(stack)).stackEvents();
    }

    Map<String, String> outputs(Stack s) {
        return s.outputs().stream().collect(Collectors.toMap(o -> o.outputKey(), o -> o.outputValue()));
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
