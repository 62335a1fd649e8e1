package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The checks every handler shares: additions and removals, attribute changes and properties outside
 * {@link #swappableProperties()} are rejected with a reason; metadata-only changes are ignored.
 */
abstract class BaseHandler implements HotswapHandler {

    @Override
    public final HotswapPlan plan(ResourceChange change, Resolver deployed) {
        String id = change.logicalId();
        String type = change.resourceType();
        if (!type.equals(resourceType())) {
            throw new IllegalArgumentException("change of " + id + " is a " + type + ", not a " + resourceType());
        }
        switch (change.kind()) {
            case ADDED:
                return added(change, deployed);
            case REMOVED:
                return removed(change);
            case TYPE_CHANGED:
                return typeChanged(change);
            default:
                break;
        }
        if (change.metadataOnly()) {
            return metadataOnly(change);
        }
        for (PropertyChange p : change.properties()) {
            if (p.attribute()) {
                if (!p.name().equals("Metadata")) {
                    return attributeChanged(change, p.name());
                }
            } else if (!swappableProperties().contains(p.name())) {
                return notSwappable(id, type, p.name(), swappableProperties());
            }
        }
        try {
            return modified(change, deployed);
        } catch (UnresolvableException e) {
            return unresolvable(change, "", e);
        }
    }

    /** The rejection of a resource whose type changed. */
    static HotswapPlan.Reject typeChanged(ResourceChange change) {
        return new HotswapPlan.Reject(change.logicalId(), change.resourceType(), "Type", RejectReason.TYPE_CHANGED,
                "its type changed from " + change.oldResource().path("Type").asText() + " to " + change.resourceType()
                        + "; the resource must be replaced by a change set");
    }

    static HotswapPlan.Ignore metadataOnly(ResourceChange change) {
        return new HotswapPlan.Ignore(change.logicalId(), "only Metadata changed");
    }

    /** The rejection of a changed resource attribute other than {@code Metadata}. */
    static HotswapPlan.Reject attributeChanged(ResourceChange change, String attribute) {
        return new HotswapPlan.Reject(change.logicalId(), change.resourceType(), attribute, RejectReason.ATTRIBUTE_CHANGED,
                "resource attribute " + attribute + " changed; only a change set applies it");
    }

    /** The rejection of a property the handler of {@code type} cannot apply. */
    static HotswapPlan.Reject notSwappable(String id, String type, String property, Set<String> swappable) {
        return new HotswapPlan.Reject(id, type, property, RejectReason.PROPERTY_NOT_SWAPPABLE, "property " + property + " of "
                + type + " cannot be hot-swapped (hot-swappable: " + String.join(", ", swappable.stream().sorted().toList())
                + "); deploy it with a change set");
    }

    static HotswapPlan.Reject unresolvable(ResourceChange change, String property, UnresolvableException e) {
        return new HotswapPlan.Reject(change.logicalId(), change.resourceType(), property, RejectReason.UNRESOLVABLE,
                "expression not resolvable: " + e.getMessage());
    }

    static HotswapPlan.Reject added(ResourceChange change) {
        return new HotswapPlan.Reject(change.logicalId(), change.resourceType(), "", RejectReason.RESOURCE_ADDED,
                "resource added; only a change set creates it");
    }

    static HotswapPlan.Reject removedResource(ResourceChange change) {
        return new HotswapPlan.Reject(change.logicalId(), change.resourceType(), "", RejectReason.RESOURCE_REMOVED,
                "resource removed; only a change set deletes it");
    }

    /** Plans a modification whose changed properties are all swappable. */
    abstract HotswapPlan modified(ResourceChange change, Resolver deployed);

    HotswapPlan added(ResourceChange change, Resolver deployed) {
        return added(change);
    }

    HotswapPlan removed(ResourceChange change) {
        return removedResource(change);
    }

    /** The deployed physical id, or a rejection saying the resource is not deployed. */
    static String physicalId(ResourceChange change, Resolver deployed) {
        Optional<String> id = deployed.physicalId(change.logicalId());
        if (id.isEmpty()) {
            throw new UnresolvableException(change.logicalId() + " is not deployed in the stack");
        }
        return id.get();
    }

    static String resolveText(Resolver deployed, JsonNode value, String what) {
        JsonNode r = deployed.resolve(value);
        if (r == null || r.isContainerNode() || r.isNull()) {
            throw new UnresolvableException(what + " does not resolve to a single value");
        }
        return r.asText();
    }

    /**
     * Applies a swap action by action, each one of this handler's {@code type}, and joins what each did.
     *
     * @param apply one action's calls; returns a one-line description
     */
    static <A extends SwapAction> Applied applyEach(HotswapPlan.Swap swap, Class<A> type, Function<A, String> apply) {
        List<String> details = new ArrayList<>();
        for (SwapAction a : swap.actions()) {
            if (!type.isInstance(a)) {
                throw new IllegalArgumentException("not an action of " + swap.resourceType() + ": " + a);
            }
            details.add(apply.apply(type.cast(a)));
        }
        return Applied.written(String.join("; ", details));
    }

    static List<String> names(List<PropertyChange> changes) {
        return changes.stream().filter(p -> !p.attribute()).map(PropertyChange::name).toList();
    }
}
