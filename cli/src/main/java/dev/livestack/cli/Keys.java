package dev.livestack.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The console's keys: each bound once (a second binding of a key is a programming error), with generated help. */
final class Keys {
    private record Binding(String description, Runnable action) {
    }

    private final Map<Character, Binding> bindings = new LinkedHashMap<>();

    Keys bind(char key, String description, Runnable action) {
        if (bindings.containsKey(key)) {
            throw new IllegalStateException("key '" + key + "' is already bound to: " + bindings.get(key).description());
        }
        bindings.put(key, new Binding(description, action));
        return this;
    }

    /** Runs the key's action; false for an unbound key. */
    boolean press(char key) {
        Binding b = bindings.get(Character.toLowerCase(key));
        if (b == null) {
            return false;
        }
        b.action().run();
        return true;
    }

    String help() {
        return bindings.entrySet().stream().map(e -> "  " + e.getKey() + "  " + e.getValue().description())
                .collect(Collectors.joining("\n"));
    }
}
