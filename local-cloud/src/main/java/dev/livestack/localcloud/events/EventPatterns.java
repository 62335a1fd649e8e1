package dev.livestack.localcloud.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * EventBridge event patterns: a pattern is an object whose leaves are arrays of matchers (values, or one of
 * {@code prefix}, {@code suffix}, {@code anything-but}, {@code numeric}, {@code exists}, {@code equals-ignore-case},
 * {@code wildcard}), plus {@code $or}. A field that holds an array matches when any of its elements does.
 */
final class EventPatterns {
    private EventPatterns() {
    }

    /** Why a pattern is not valid, in EventBridge's words after {@code Reason: }, or null when it is. */
    static String invalid(JsonNode pattern) {
        if (pattern == null || !pattern.isObject()) {
            return "Filter is not an object";
        }
        try {
            check(pattern);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static void check(JsonNode pattern) {
        for (Iterator<Map.Entry<String, JsonNode>> it = pattern.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            if (f.getKey().equals("$or")) {
                if (!v.isArray() || v.size() < 2) {
                    throw new IllegalArgumentException("Value of $or must be an array of at least 2 objects");
                }
                v.forEach(EventPatterns::check);
            } else if (v.isObject()) {
                check(v);
            } else if (v.isArray()) {
                v.forEach(EventPatterns::checkMatcher);
            } else {
                throw new IllegalArgumentException("Match value must be String, number, true, false, or null");
            }
        }
    }

    private static void checkMatcher(JsonNode m) {
        if (!m.isObject()) {
            return;
        }
        if (m.size() != 1) {
            throw new IllegalArgumentException("Only one key allowed in match expression");
        }
        Map.Entry<String, JsonNode> e = m.fields().next();
        JsonNode v = e.getValue();
        switch (e.getKey()) {
            case "prefix", "suffix", "equals-ignore-case", "wildcard" -> {
                if (v.isObject() && e.getKey().equals("prefix") && v.has("equals-ignore-case")) {
                    return;
                }
                if (!v.isTextual()) {
                    throw new IllegalArgumentException(e.getKey() + " match pattern must be a string");
                }
            }
            case "anything-but" -> {
                if (v.isObject()) {
                    if (v.size() != 1 || !(v.has("prefix") || v.has("suffix") || v.has("equals-ignore-case") || v.has("wildcard"))) {
                        throw new IllegalArgumentException("Unsupported anything-but pattern: " + v.fieldNames().next());
                    }
                } else if (!(v.isTextual() || v.isNumber() || v.isArray())) {
                    throw new IllegalArgumentException("Value of anything-but must be an array or single string/number value.");
                }
            }
            case "numeric" -> {
                if (!v.isArray()) {
                    throw new IllegalArgumentException("Value of numeric must be an array.");
                }
                for (int i = 0; i < v.size(); i += 2) {
                    String op = v.get(i).asText();
                    if (!op.matches("=|<|<=|>|>=")) {
                        throw new IllegalArgumentException("Unrecognized numeric range operator: " + op);
                    }
                    if (i + 1 >= v.size() || !v.get(i + 1).isNumber()) {
                        throw new IllegalArgumentException("Value of " + op + " must be numeric");
                    }
                }
            }
            case "exists" -> {
                if (!v.isBoolean()) {
                    throw new IllegalArgumentException("exists match pattern must be either true or false.");
                }
            }
            case "cidr" -> {
                if (!v.isTextual()) {
                    throw new IllegalArgumentException("prefix match pattern must be a string");
                }
            }
            default -> throw new IllegalArgumentException("Unrecognized match type " + e.getKey());
        }
    }

    /** Whether an event (the whole envelope) matches a pattern. */
    static boolean matches(JsonNode pattern, JsonNode event) {
        for (Iterator<Map.Entry<String, JsonNode>> it = pattern.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode p = f.getValue();
            if (f.getKey().equals("$or")) {
                boolean any = false;
                for (JsonNode alt : p) {
                    any |= matches(alt, event);
                }
                if (!any) {
                    return false;
                }
                continue;
            }
            JsonNode value = event == null ? null : event.get(f.getKey());
            if (p.isObject()) {
                if (value == null || !value.isObject() || !matches(p, value)) {
                    return false;
                }
            } else if (!leaf(p, value)) {
                return false;
            }
        }
        return true;
    }

    private static boolean leaf(JsonNode matchers, JsonNode value) {
        for (JsonNode m : matchers) {
            if (m.isObject() && m.has("exists")) {
                boolean present = value != null && !(value.isArray() && value.isEmpty());
                if (present == m.get("exists").asBoolean()) {
                    return true;
                }
                continue;
            }
            if (value == null) {
                if (m.isObject() && m.has("anything-but")) {
                    continue; // anything-but needs the field
                }
                continue;
            }
            if (value.isArray()) {
                for (JsonNode v : value) {
                    if (one(m, v)) {
                        return true;
                    }
                }
            } else if (one(m, value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean one(JsonNode m, JsonNode v) {
        if (!m.isObject()) {
            return equal(m, v);
        }
        Map.Entry<String, JsonNode> e = m.fields().next();
        JsonNode arg = e.getValue();
        String s = v.isTextual() ? v.asText() : null;
        return switch (e.getKey()) {
            case "prefix" -> arg.isObject() ? s != null && s.toLowerCase(Locale.ROOT)
                    .startsWith(arg.get("equals-ignore-case").asText().toLowerCase(Locale.ROOT))
                    : s != null && s.startsWith(arg.asText());
            case "suffix" -> s != null && s.endsWith(arg.asText());
            case "equals-ignore-case" -> s != null && s.equalsIgnoreCase(arg.asText());
            case "wildcard" -> s != null && wildcard(arg.asText(), s);
            case "numeric" -> v.isNumber() && numeric(arg, v.decimalValue());
            case "anything-but" -> anythingBut(arg, v);
            default -> false;
        };
    }

    private static boolean anythingBut(JsonNode arg, JsonNode v) {
        if (arg.isArray()) {
            for (JsonNode a : arg) {
                if (equal(a, v)) {
                    return false;
                }
            }
            return true;
        }
        if (arg.isObject()) {
            return !one(arg, v);
        }
        return !equal(arg, v);
    }

    private static boolean equal(JsonNode p, JsonNode v) {
        if (p.isNumber() && v.isNumber()) {
            return p.decimalValue().compareTo(v.decimalValue()) == 0;
        }
        return p.equals(v);
    }

    private static boolean numeric(JsonNode ops, BigDecimal v) {
        for (int i = 0; i + 1 < ops.size(); i += 2) {
            int c = v.compareTo(ops.get(i + 1).decimalValue());
            boolean ok = switch (ops.get(i).asText()) {
                case "=" -> c == 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean wildcard(String pattern, String s) {
        StringBuilder re = new StringBuilder();
        String[] parts = pattern.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                re.append(".*");
            }
            re.append(java.util.regex.Pattern.quote(parts[i]));
        }
        return s.matches(re.toString());
    }
}
