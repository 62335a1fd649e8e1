package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One changed property of a resource (or resource attribute such as {@code Metadata} or {@code DependsOn}).
 *
 * @param name the top-level property name ({@code Code}, {@code Environment}, …) or the attribute name
 * @param attribute true for a resource attribute ({@code Metadata}, {@code DependsOn}, {@code Condition}, …), false for a property
 * @param oldValue the value before, or {@code null} when the property was added
 * @param newValue the value after, or {@code null} when the property was removed
 */
public record PropertyChange(String name, boolean attribute, JsonNode oldValue, JsonNode newValue) {
    public PropertyChange {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (oldValue == null && newValue == null) {
            throw new IllegalArgumentException("oldValue and newValue must not both be null (" + name + ")");
        }
        if (oldValue != null && newValue != null && oldValue.equals(newValue)) {
            throw new IllegalArgumentException("oldValue and newValue of " + name + " must differ");
        }
    }

    /** Dotted paths of the leaves that differ below this property, e.g. {@code Code.ZipFile}. */
    public java.util.List<String> paths() {
        java.util.List<String> out = new java.util.ArrayList<>();
        Json.diffPaths(name, oldValue, newValue, out);
        return out;
    }
}
