package dev.livestack.deployer;

import java.util.List;

/** What a {@link HotswapHandler} decided for one resource change. */
public sealed interface HotswapPlan {

    /** The resource it is about. */
    String logicalId();

    /**
     * The change can be hot-swapped with these actions.
     *
     * @param properties the properties the actions apply (shown to the user, recorded as applied)
     */
    record Swap(String logicalId, String resourceType, List<String> properties, List<SwapAction> actions)
            implements HotswapPlan {
        public Swap {
            requireText(logicalId, "logicalId");
            requireText(resourceType, "resourceType");
            properties = properties == null ? List.of() : List.copyOf(properties);
            if (actions == null || actions.isEmpty()) {
                throw new IllegalArgumentException("actions must not be empty (" + logicalId + ")");
            }
            actions = List.copyOf(actions);
        }
    }

    /**
     * The change cannot be hot-swapped.
     *
     * @param property the property at fault, or empty when it is the whole resource
     * @param code why, as a code
     * @param reason why, in words the user can act on
     */
    record Reject(String logicalId, String resourceType, String property, RejectReason code, String reason)
            implements HotswapPlan {
        public Reject {
            requireText(logicalId, "logicalId");
            resourceType = resourceType == null ? "" : resourceType;
            property = property == null ? "" : property;
            java.util.Objects.requireNonNull(code, "code");
            requireText(reason, "reason");
        }
    }

    /** The change needs no AWS call (metadata only, CDK metadata, a removed version kept by the hot-swap). */
    record Ignore(String logicalId, String reason) implements HotswapPlan {
        public Ignore {
            requireText(logicalId, "logicalId");
            requireText(reason, "reason");
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
