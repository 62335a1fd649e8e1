package dev.livestack.logtail;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Thrown when action names match nothing deployed; carries the closest names for each. */
public final class UnknownActionException extends Exception {
    private final transient Map<String, List<String>> closest;
    private final List<String> order;

    /**
     * @param closest for each unknown name (in the order given), the closest known names, best first
     */
    public UnknownActionException(Map<String, List<String>> closest) {
        super(message(closest));
        if (closest == null || closest.isEmpty()) {
            throw new IllegalArgumentException("closest must name at least one unknown action");
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        closest.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.closest = Map.copyOf(copy);
        this.order = List.copyOf(closest.keySet());
    }

    /** The names that matched nothing, in the order given. */
    public List<String> unknownNames() {
        return order;
    }

    /** The closest known names for an unknown name, best first (may be empty when nothing is deployed). */
    public List<String> closestTo(String unknownName) {
        return closest.getOrDefault(unknownName, List.of());
    }

    private static String message(Map<String, List<String>> closest) {
        if (closest == null || closest.isEmpty()) {
            return "unknown action";
        }
        String names = closest.keySet().stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
        StringBuilder sb = new StringBuilder(closest.size() == 1 ? "Unknown action " : "Unknown actions ").append(names);
        StringBuilder hints = new StringBuilder();
        closest.forEach((name, near) -> {
            if (!near.isEmpty()) {
                if (hints.length() > 0) {
                    hints.append("; ");
                }
                hints.append(closest.size() == 1 ? "" : name + ": ").append(String.join(", ", near));
            }
        });
        sb.append('\n');
        if (hints.length() > 0) {
            sb.append("Closest matches: ").append(hints);
        } else {
            sb.append("No functions or log groups are deployed in the selected stacks.");
        }
        return sb.toString();
    }
}
