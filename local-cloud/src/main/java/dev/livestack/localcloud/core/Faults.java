package dev.livestack.localcloud.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Faults injected through the test controls: extra latency per operation, the next N calls of an
 * operation failing (throttling, HTTP 500/503, a dropped connection), resources failing on their
 * next create or update, and resources whose next rollback (an update rollback restoring their previous
 * configuration) fails, which leaves the stack in UPDATE_ROLLBACK_FAILED as on AWS.
 * {@code *} matches any service or operation.
 */
public final class Faults {
    public enum Kind { THROTTLING, HTTP_500, HTTP_503, CONNECTION_RESET }

    private record Latency(String service, String operation, long millis) {
    }

    private static final class CallFailure {
        final String service;
        final String operation;
        final Kind kind;
        int remaining;

        CallFailure(String service, String operation, Kind kind, int remaining) {
            this.service = service;
            this.operation = operation;
            this.kind = kind;
            this.remaining = remaining;
        }
    }

    private static final class ResourceFault {
        final String match;
        final String reason;
        int remaining;

        ResourceFault(String match, String reason, int remaining) {
            this.match = match;
            this.reason = reason;
            this.remaining = remaining;
        }
    }

    private final List<Latency> latencies = new ArrayList<>();
    private final List<CallFailure> failures = new ArrayList<>();
    private final List<ResourceFault> resourceFaults = new ArrayList<>();
    private final List<ResourceFault> rollbackFaults = new ArrayList<>();

    public synchronized void addLatency(String service, String operation, long millis) {
        latencies.removeIf(l -> l.service.equals(service) && l.operation.equals(operation));
        if (millis > 0) {
            latencies.add(new Latency(service, operation, millis));
        }
    }

    public synchronized void failCalls(String service, String operation, Kind kind, int count) {
        failures.add(new CallFailure(service, operation, kind, count));
    }

    public synchronized void failResource(String logicalIdOrType, String reason, int count) {
        resourceFaults.add(new ResourceFault(logicalIdOrType, reason, count));
    }

    public synchronized void failRollback(String logicalIdOrType, String reason, int count) {
        rollbackFaults.add(new ResourceFault(logicalIdOrType, reason, count));
    }

    public synchronized long latency(String service, String operation) {
        long total = 0;
        for (Latency l : latencies) {
            if (matches(l.service, service) && matches(l.operation, operation)) {
                total += l.millis;
            }
        }
        return total;
    }

    /** The fault the next call of this operation suffers, or null; each call uses up one. */
    public synchronized Kind nextFailure(String service, String operation) {
        for (Iterator<CallFailure> it = failures.iterator(); it.hasNext(); ) {
            CallFailure f = it.next();
            if (matches(f.service, service) && matches(f.operation, operation)) {
                if (--f.remaining <= 0) {
                    it.remove();
                }
                return f.kind;
            }
        }
        return null;
    }

    /** The reason a resource's create or update fails with, or null; each failure is used once. */
    public synchronized String resourceFailure(String logicalId, String type) {
        return take(resourceFaults, logicalId, type);
    }

    /** The reason restoring a resource's previous configuration in a rollback fails with, or null; used once each. */
    public synchronized String rollbackFailure(String logicalId, String type) {
        return take(rollbackFaults, logicalId, type);
    }

    private static String take(List<ResourceFault> faults, String logicalId, String type) {
        for (Iterator<ResourceFault> it = faults.iterator(); it.hasNext(); ) {
            ResourceFault f = it.next();
            if (f.match.equals(logicalId) || f.match.equals(type)) {
                if (--f.remaining <= 0) {
                    it.remove();
                }
                return f.reason;
            }
        }
        return null;
    }

    public synchronized void clear() {
        latencies.clear();
        failures.clear();
        resourceFaults.clear();
        rollbackFaults.clear();
    }

    public synchronized ObjectNode describe() {
        ObjectNode out = Http.JSON.createObjectNode();
        var lat = out.putArray("latencies");
        latencies.forEach(l -> lat.addObject().put("service", l.service).put("operation", l.operation).put("millis", l.millis));
        var fail = out.putArray("failures");
        failures.forEach(f -> fail.addObject().put("service", f.service).put("operation", f.operation)
                .put("kind", f.kind.name().toLowerCase(Locale.ROOT)).put("count", f.remaining));
        var res = out.putArray("resourceFailures");
        resourceFaults.forEach(f -> res.addObject().put("match", f.match).put("reason", f.reason).put("count", f.remaining));
        var rb = out.putArray("rollbackFailures");
        rollbackFaults.forEach(f -> rb.addObject().put("match", f.match).put("reason", f.reason).put("count", f.remaining));
        return out;
    }

    private static boolean matches(String pattern, String value) {
        return "*".equals(pattern) || pattern.equalsIgnoreCase(value == null ? "" : value);
    }
}
