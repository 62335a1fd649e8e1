package dev.livestack.localcloud.parity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A short, path-by-path description of how an actual response differs from the recorded one. */
final class JsonDiff {
    private static final int MAX = 6;
    private static final int CLIP = 160;

    private JsonDiff() {
    }

    /** Differences as lines like {@code $.Configuration.State: expected "Active", got "Pending"}; empty if equal. */
    static List<String> diff(JsonNode expected, JsonNode actual) {
        List<String> out = new ArrayList<>();
        // an error where a result was recorded (or the reverse) is said first, in one line
        boolean expectedError = expected != null && expected.has("Error");
        boolean actualError = actual != null && actual.has("Error");
        if (expectedError != actualError) {
            out.add(actualError ? "expected a result, got " + clip(actual.get("Error"))
                    : "expected error " + clip(expected.get("Error")) + ", got a result");
        }
        walk("$", expected, actual, out);
        return out.size() > MAX ? List.copyOf(out.subList(0, MAX)) : out;
    }

    private static void walk(String path, JsonNode e, JsonNode a, List<String> out) {
        if (out.size() > MAX) {
            return;
        }
        if (e == null || a == null) {
            out.add(path + (e == null ? ": unexpected " + clip(a) : ": missing, expected " + clip(e)));
        } else if (e.isObject() && a.isObject()) {
            Set<String> keys = new LinkedHashSet<>();
            e.fieldNames().forEachRemaining(keys::add);
            a.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                if (!same(e.get(k), a.get(k))) {
                    walk(path + "." + k, e.get(k), a.get(k), out);
                }
            }
        } else if (e.isArray() && a.isArray() && e.size() == a.size()) {
            for (int i = 0; i < e.size(); i++) {
                if (!same(e.get(i), a.get(i))) {
                    walk(path + "[" + i + "]", e.get(i), a.get(i), out);
                }
            }
        } else if (!same(e, a)) {
            out.add(path + ": expected " + clip(e) + ", got " + clip(a));
        }
    }

    /** Equality as the recordings' comparison sees it: key order never matters, 1 equals 1.0. */
    static boolean same(JsonNode e, JsonNode a) {
        if (e == null || a == null) {
            return e == a;
        }
        if (e.isNumber() && a.isNumber()) {
            return e.decimalValue().compareTo(a.decimalValue()) == 0;
        }
        if (e.isObject() && a.isObject()) {
            if (e.size() != a.size()) {
                return false;
            }
            var it = e.fields();
            while (it.hasNext()) {
                var f = it.next();
                if (!same(f.getValue(), a.get(f.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (e.isArray() && a.isArray()) {
            if (e.size() != a.size()) {
                return false;
            }
            for (int i = 0; i < e.size(); i++) {
                if (!same(e.get(i), a.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return e.equals(a);
    }

    private static String clip(JsonNode n) {
        String s = n == null ? "nothing" : n.toString();
        return s.length() > CLIP ? s.substring(0, CLIP) + "…" : s;
    }
}
