package dev.livestack.deployer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How one resource differs between two templates.
 *
 * @param logicalId the resource's logical id
 * @param kind added, removed, modified, or type changed
 * @param oldResource the resource's definition before ({@code Type}, {@code Properties}, …), or {@code null} when added
 * @param newResource the definition after, or {@code null} when removed
 * @param properties the changed properties and attributes (empty for additions and removals)
 */
public record ResourceChange(String logicalId, Kind kind, ObjectNode oldResource, ObjectNode newResource,
                             List<PropertyChange> properties) {

    /** The kind of change. */
    public enum Kind { ADDED, REMOVED, MODIFIED, TYPE_CHANGED }

    public ResourceChange {
        if (logicalId == null || logicalId.isBlank()) {
            throw new IllegalArgumentException("logicalId must not be blank");
        }
        Objects.requireNonNull(kind, "kind");
        if (kind != Kind.ADDED && oldResource == null) {
            throw new IllegalArgumentException("oldResource must be set for a " + kind + " change of " + logicalId);
        }
        if (kind != Kind.REMOVED && newResource == null) {
            throw new IllegalArgumentException("newResource must be set for a " + kind + " change of " + logicalId);
        }
        properties = properties == null ? List.of() : List.copyOf(properties);
    }

    /** The resource type after the change (before, for a removal). */
    public String resourceType() {
        ObjectNode r = newResource != null ? newResource : oldResource;
        return r.path("Type").asText("");
    }

    /** The changed property or attribute with this name. */
    public Optional<PropertyChange> property(String name) {
        return properties.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The new {@code Properties} object (empty when absent). */
    public ObjectNode newProperties() {
        return Json.objectOrEmpty(newResource == null ? null : newResource.get("Properties"));
    }

    /** The old {@code Properties} object (empty when absent). */
    public ObjectNode oldProperties() {
        return Json.objectOrEmpty(oldResource == null ? null : oldResource.get("Properties"));
    }

    /** Whether only the {@code Metadata} attribute changed, which never needs a deploy. */
    public boolean metadataOnly() {
        return kind == Kind.MODIFIED && !properties.isEmpty()
                && properties.stream().allMatch(p -> p.attribute() && p.name().equals("Metadata"));
    }

    /**
     * A change that treats {@code properties} of {@code resource} as changed whatever runs (what runs is not read):
     * how {@code livestack hotswap} pushes a resource through its handler. An absent property counts as changed to
     * absent, so the handler puts it back to its default.
     */
    public static ResourceChange forced(String logicalId, ObjectNode resource, java.util.Collection<String> properties) {
        ObjectNode props = Json.objectOrEmpty(resource.get("Properties"));
        List<PropertyChange> changes = properties.stream()
                .map(p -> new PropertyChange(p, false, com.fasterxml.jackson.databind.node.MissingNode.getInstance(), props.get(p)))
                .toList();
        return new ResourceChange(logicalId, Kind.MODIFIED, resource, resource, changes);
    }
}
