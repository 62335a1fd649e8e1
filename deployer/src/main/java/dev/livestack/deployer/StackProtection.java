package dev.livestack.deployer;

import dev.livestack.synth.StackTemplate;
import java.util.Optional;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/** The production guards that keep a stack's changes to change sets. */
final class StackProtection {
    private StackProtection() {
    }

    /**
     * Why a stack is never hot-swapped, if it is: a production guard that needs no cdk.json key. A stack with
     * termination protection, or tagged {@code livestack:protected=true} (deployed, or in the app), is changed
     * through change sets only, as are stacks matching the configured globs.
     */
    static Optional<String> reason(DeployerConfig config, String name, Stack live, StackTemplate app) {
        String why = null;
        if (config.isProtected(name)) {
            why = "is protected (livestack:protectedStacks)";
        } else if (live != null && Boolean.TRUE.equals(live.enableTerminationProtection())) {
            why = "has termination protection";
        } else if (app != null && Boolean.TRUE.equals(app.terminationProtection())) {
            why = "asks for termination protection";
        } else if (live != null && live.tags().stream().anyMatch(t -> PROTECTED_TAG.equals(t.key()) && "true".equalsIgnoreCase(t.value()))
                || app != null && "true".equalsIgnoreCase(app.tags().get(PROTECTED_TAG))) {
            why = "is tagged " + PROTECTED_TAG + "=true";
        }
        return why == null ? Optional.empty()
                : Optional.of("stack " + name + " " + why + ", so it is never hot-swapped; deploy it with `livestack deploy`");
    }

    /** The stack tag that marks a stack as never hot-swapped. */
    static final String PROTECTED_TAG = "livestack:protected";
}
