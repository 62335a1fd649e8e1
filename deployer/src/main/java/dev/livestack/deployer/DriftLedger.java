package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which resources of a stack run something other than CloudFormation's template because livestack hot-swapped
 * them, and what CloudFormation's template said for each swapped property (its baseline). Kept beside the last
 * applied template ({@code <stateDir>/state/<stack>.drift.json}) so it survives a restart of livestack.
 *
 * <p>A property enters the ledger when it is hot-swapped away from its baseline and leaves it when a later swap puts
 * the baseline back, or when a deploy makes CloudFormation's template and what runs agree again
 * ({@link DefaultDeployer} converges every ledger entry after a change set or a full deploy).
 *
 * <p>File shape: {@code {"Resources": {"<logicalId>": {"Type": "...", "Baseline": {"<property>": <value or null>}}}}};
 * {@code null} means the property was absent from CloudFormation's template.
 */
final class DriftLedger {

    /** One drifted resource: its type and, per swapped property, CloudFormation's value ({@code null}: absent). */
    record Entry(String logicalId, String resourceType, Map<String, JsonNode> baseline) {
        Entry {
            if (logicalId == null || logicalId.isBlank()) {
                throw new IllegalArgumentException("logicalId must not be blank");
            }
            resourceType = resourceType == null ? "" : resourceType;
            baseline = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(baseline));
        }
    }

    private final Map<String, Entry> entries;

    private DriftLedger(Map<String, Entry> entries) {
        this.entries = entries;
    }

    static DriftLedger empty() {
        return new DriftLedger(new LinkedHashMap<>());
    }

    static DriftLedger parse(ObjectNode file) {
        Map<String, Entry> m = new LinkedHashMap<>();
        Json.objectOrEmpty(file.get("Resources")).fields().forEachRemaining(e -> {
            Map<String, JsonNode> baseline = new LinkedHashMap<>();
            Json.objectOrEmpty(e.getValue().get("Baseline")).fields().forEachRemaining(p ->
                    baseline.put(p.getKey(), p.getValue().isNull() ? null : p.getValue()));
            if (!baseline.isEmpty()) {
                m.put(e.getKey(), new Entry(e.getKey(), e.getValue().path("Type").asText(""), baseline));
            }
        });
        return new DriftLedger(m);
    }

    ObjectNode toJson() {
        ObjectNode out = Json.MAPPER.createObjectNode();
        ObjectNode res = out.putObject("Resources");
        entries.values().forEach(e -> {
            ObjectNode r = res.putObject(e.logicalId());
            r.put("Type", e.resourceType());
            ObjectNode b = r.putObject("Baseline");
            e.baseline().forEach((k, v) -> b.set(k, v == null ? Json.MAPPER.nullNode() : v.deepCopy()));
        });
        return out;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    Map<String, Entry> entries() {
        return java.util.Collections.unmodifiableMap(entries);
    }

    Optional<Entry> entry(String logicalId) {
        return Optional.ofNullable(entries.get(logicalId));
    }

    /**
     * Records that {@code property} of a resource now runs {@code running}; {@code before} is what ran until now.
     * A property not yet drifted takes {@code before} as its baseline (it agreed with CloudFormation's template);
     * one that is swapped back to its baseline leaves the ledger.
     */
    void swapped(String logicalId, String resourceType, String property, JsonNode before, JsonNode running) {
        Entry e = entries.get(logicalId);
        Map<String, JsonNode> baseline = e == null ? new LinkedHashMap<>() : new LinkedHashMap<>(e.baseline());
        if (!baseline.containsKey(property)) {
            if (Json.sameValue(before, running)) {
                return;
            }
            baseline.put(property, before == null ? null : before.deepCopy());
        } else if (Json.sameValue(baseline.get(property), running)) {
            baseline.remove(property);
        }
        if (baseline.isEmpty()) {
            entries.remove(logicalId);
        } else {
            entries.put(logicalId, new Entry(logicalId, resourceType, baseline));
        }
    }

    /** Forgets a resource's drift (it was converged, replaced or deleted). */
    void forget(String logicalId, String property) {
        Entry e = entries.get(logicalId);
        if (e == null) {
            return;
        }
        Map<String, JsonNode> baseline = new LinkedHashMap<>(e.baseline());
        baseline.remove(property);
        if (baseline.isEmpty()) {
            entries.remove(logicalId);
        } else {
            entries.put(logicalId, new Entry(logicalId, e.resourceType(), baseline));
        }
    }

    /** Replaces a property's baseline (CloudFormation's template now says {@code value}). */
    void rebase(String logicalId, String property, JsonNode value) {
        Entry e = entries.get(logicalId);
        if (e == null || !e.baseline().containsKey(property)) {
            return;
        }
        Map<String, JsonNode> baseline = new LinkedHashMap<>(e.baseline());
        baseline.put(property, value == null ? null : value.deepCopy());
        entries.put(logicalId, new Entry(logicalId, e.resourceType(), baseline));
    }
}
