package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A change outside {@code Resources}: an output, parameter, condition, mapping, rule, or a top-level key.
 *
 * @param section {@code Outputs}, {@code Parameters}, {@code Conditions}, {@code Mappings}, {@code Rules}, or the top-level key itself ({@code Description}, {@code Transform}, {@code Metadata}, …)
 * @param key the entry's name inside the section, or empty for a top-level key
 * @param oldValue before, or {@code null} when added
 * @param newValue after, or {@code null} when removed
 */
public record SectionChange(String section, String key, JsonNode oldValue, JsonNode newValue) {
    public SectionChange {
        if (section == null || section.isBlank()) {
            throw new IllegalArgumentException("section must not be blank");
        }
        key = key == null ? "" : key;
        if (oldValue == null && newValue == null) {
            throw new IllegalArgumentException("oldValue and newValue must not both be null (" + section + " " + key + ")");
        }
    }

    /** {@code Outputs.ApiUrl}, or just the section for a top-level key. */
    public String name() {
        return key.isEmpty() ? section : section + "." + key;
    }
}
