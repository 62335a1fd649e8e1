package dev.livestack.deployer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;

/**
 * The events of one stack operation as {@code cdk deploy} shows them: the stack's new events, oldest first, and those
 * of its nested stacks, followed from the {@code AWS::CloudFormation::Stack} resources' physical ids and reported under
 * the deployed stack with the nested stack's logical id path before the logical id ({@code Inner/Queue}; the nested
 * stack's own status events as {@code Inner}). It also finds the root cause: the first failed resource that was not cancelled,
 * preferring a nested stack's own resource over the "Embedded stack … was not successfully …" of its parent.
 */
final class StackEventFeed {
    private final Cfn cfn;
    private final Retry retry;
    private final Retry.Listener listener;
    private final Consumer<DeployEvent> events;
    private final String stackName;
    private final String stackId;
    private final long started;
    /** Last event seen per stack id: the stack itself first, then each nested stack found. */
    private final Map<String, String> after = new LinkedHashMap<>();
    /** The logical id path of each nested stack found, by stack id. */
    private final Map<String, String> paths = new LinkedHashMap<>();
    private Instant operationStart;
    private String rootCause;
    private boolean causeIsNestedStack;

    StackEventFeed(Cfn cfn, Retry retry, Retry.Listener listener, Consumer<DeployEvent> events, String stackName,
                   String stackId, String lastEventBefore, long started) {
        this.cfn = cfn;
        this.retry = retry;
        this.listener = listener;
        this.events = events;
        this.stackName = stackName;
        this.stackId = stackId;
        this.started = started;
        after.put(stackId, lastEventBefore);
    }

    /** Reports the events recorded since the last call. */
    void poll() {
        for (String id : new ArrayList<>(after.keySet())) {
            List<StackEvent> fresh;
            try {
                fresh = newEvents(id, after.get(id));
            } catch (CloudFormationException e) {
                if (id.equals(stackId)) {
                    throw e;
                }
                // a nested stack that cannot be read (yet) is read again next time
                continue;
            }
            for (StackEvent e : fresh) {
                if (!id.equals(stackId) && operationStart != null && e.timestamp() != null
                        && e.timestamp().isBefore(operationStart)) {
                    // a nested stack found during an update: its events of earlier operations are not this one's
                    after.put(id, e.eventId());
                    continue;
                }
                if (id.equals(stackId) && operationStart == null) {
                    operationStart = e.timestamp();
                }
                report(id, e);
                after.put(id, e.eventId());
            }
        }
    }

    String rootCause() {
        return rootCause;
    }

    private void report(String id, StackEvent e) {
        boolean root = id.equals(stackId);
        boolean nestedStack = NestedStackSwaps.TYPE.equals(e.resourceType()) && !id.equals(e.physicalResourceId())
                && !(root && stackName.equals(e.logicalResourceId()));
        boolean stackItself = NestedStackSwaps.TYPE.equals(e.resourceType()) && !nestedStack;
        String logicalId = root ? e.logicalResourceId() : stackItself ? paths.get(id) : paths.get(id) + "/" + e.logicalResourceId();
        events.accept(new DeployEvent.StackEvent(stackName, logicalId, e.resourceType(), e.resourceStatusAsString(),
                e.resourceStatusReason(), e.timestamp() == null ? Instant.now() : e.timestamp(),
                Duration.ofNanos(System.nanoTime() - started)));
        String physical = e.physicalResourceId();
        if (nestedStack && physical != null && physical.startsWith("arn:") && !after.containsKey(physical)) {
            after.put(physical, null);
            paths.put(physical, logicalId);
        }
        String status = String.valueOf(e.resourceStatusAsString());
        String reason = String.valueOf(e.resourceStatusReason());
        if ((rootCause == null || causeIsNestedStack && !nestedStack) && status.endsWith("_FAILED") && !stackItself
                && !reason.toLowerCase().contains("cancelled")) {
            rootCause = logicalId + " (" + e.resourceType() + "): " + reason;
            causeIsNestedStack = nestedStack;
        }
    }

    /** Events newer than {@code last}, oldest first. */
    private List<StackEvent> newEvents(String id, String last) {
        List<StackEvent> newestFirst = new ArrayList<>();
        String token = null;
        outer:
        do {
            String t = token;
            var page = retry.call("DescribeStackEvents", listener,
                    () -> cfn.client().describeStackEvents(b -> b.stackName(id).nextToken(t)));
            for (var e : page.stackEvents()) {
                if (e.eventId().equals(last)) {
                    break outer;
                }
                newestFirst.add(e);
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        Collections.reverse(newestFirst);
        return newestFirst;
    }
}
