package dev.livestack.deployer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one deploy of one stack.
 *
 * @param stackName the stack
 * @param status what happened
 * @param hotswapped logical ids whose changes were hot-swapped
 * @param skipped what was not applied, one line each: {@code <logicalId>: <reason>} (hotswap mode, protected stacks)
 * @param changeSetId the change set's ARN when one was created, else {@code null}
 * @param outputs the stack's outputs after the deploy (empty when unknown)
 * @param error line one what failed, line two what to do; {@code null} unless {@link Status#FAILED} or {@link Status#DECLINED}
 * @param rootCause the first failed resource and its reason ({@code <logicalId> (<type>): <reason>}), or {@code null}
 * @param duration how long it took
 */
public record DeployResult(String stackName, Status status, List<String> hotswapped, List<String> skipped,
                           String changeSetId, Map<String, String> outputs, String error, String rootCause,
                           Duration duration) {

    /** What a deploy did. */
    public enum Status {
        /** Nothing differed from the last applied template. */
        NO_CHANGES,
        /** Every change was hot-swapped. */
        HOTSWAPPED,
        /** A change set was executed and the stack is complete. */
        DEPLOYED,
        /** Some changes were not applied (reported in {@code skipped}); nothing failed. */
        PARTIAL,
        /** The change set was not approved; nothing was applied. */
        DECLINED,
        /** A hot-swap or the change set failed; see {@code error} and {@code rootCause}. */
        FAILED
    }

    public DeployResult {
        if (stackName == null || stackName.isBlank()) {
            throw new IllegalArgumentException("stackName must not be blank");
        }
        Objects.requireNonNull(status, "status");
        hotswapped = hotswapped == null ? List.of() : List.copyOf(hotswapped);
        skipped = skipped == null ? List.of() : List.copyOf(skipped);
        outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
        Objects.requireNonNull(duration, "duration");
        if ((status == Status.FAILED || status == Status.DECLINED) && (error == null || error.isBlank())) {
            throw new IllegalArgumentException("error must be set when status is " + status);
        }
    }

    /** Whether the stack now runs everything that was asked for. */
    public boolean ok() {
        return status == Status.NO_CHANGES || status == Status.HOTSWAPPED || status == Status.DEPLOYED;
    }
}
