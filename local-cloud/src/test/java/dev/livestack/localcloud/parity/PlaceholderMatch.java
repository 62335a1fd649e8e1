package dev.livestack.localcloud.parity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares one live answer with one recorded answer after transformation. The recording's transformers replaced
 * ids, names, ARNs' partition/region/account and dates with placeholders; rather than guess each transformer, the
 * recorded text is read as a pattern: {@code <name:n>} binds to the live text once and must mean the same text
 * everywhere else in the same recorded test (and a different {@code <name:m>} must be different text),
 * {@code <partition>} and {@code <region>} are aws and us-east-1, the recording account 111111111111 is
 * local-cloud's 000000000000, and {@code datetime} stands for any timestamp. Everything else must be identical:
 * the same keys (none missing, none extra), the same values, list lengths and order.
 */
final class PlaceholderMatch {
    private static final Pattern PLACEHOLDER = Pattern.compile("<([a-zA-Z0-9_.\\-]+)(?::(\\d+))?>");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}.*|\\d{10,13}(\\.\\d+)?");
    private static final Pattern GENERATED = Pattern.compile("(.*[-_])([A-Za-z0-9]{12,13}|[a-f0-9]{8})");
    private static final Pattern ISO = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
    private static final Pattern GENERATED_TAIL = Pattern.compile("-([a-z0-9]{12,13})$");
    private static final String RECORDED_ACCOUNT = "111111111111";
    private static final String ACCOUNT = "000000000000";

    private final Map<String, String> bound = new HashMap<>();
    private final List<String> differences = new ArrayList<>();

    /** Differences found so far, as JSON paths with what was expected. */
    List<String> differences() {
        return differences;
    }

    /** Compares, recording differences under {@code path}; true when identical. */
    boolean match(String path, JsonNode expected, JsonNode actual) {
        int before = differences.size();
        compare(path, expected, actual);
        return differences.size() == before;
    }

    private void compare(String path, JsonNode expected, JsonNode actual) {
        if (actual == null || actual.isMissingNode()) {
            differences.add(path + ": missing (expected " + brief(expected) + ")");
            return;
        }
        if ((expected.isObject() || expected.isArray()) && actual.isTextual()) {
            // the snapshot library records a string holding a JSON document as the document
            try {
                JsonNode parsed = BotoShape.JSON.readTree(actual.asText());
                if (parsed != null && (parsed.isObject() || parsed.isArray())) {
                    actual = parsed;
                }
            } catch (java.io.IOException notJson) {
                // compared as text below, and reported
            }
        }
        if (expected.isObject()) {
            if (!actual.isObject()) {
                differences.add(path + ": expected an object, got " + brief(actual));
                return;
            }
            Set<String> keys = new LinkedHashSet<>();
            expected.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                compare(path + "." + k, expected.get(k), actual.get(k));
            }
            for (Iterator<String> it = actual.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!keys.contains(k)) {
                    differences.add(path + "." + k + ": not in the recording (got " + brief(actual.get(k)) + ")");
                }
            }
            return;
        }
        if (expected.isArray()) {
            if (!actual.isArray()) {
                differences.add(path + ": expected a list, got " + brief(actual));
                return;
            }
            if (expected.size() != actual.size()) {
                differences.add(path + ": expected " + expected.size() + " items, got " + actual.size() + " " + brief(actual));
                return;
            }
            for (int i = 0; i < expected.size(); i++) {
                compare(path + "[" + i + "]", expected.get(i), actual.get(i));
            }
            return;
        }
        if (expected.isTextual()) {
            String text = actual.isValueNode() ? actual.asText() : null;
            if (text == null || !matchText(expected.asText(), text)) {
                differences.add(path + ": expected " + brief(expected) + ", got " + brief(actual));
            }
            return;
        }
        if (expected.isNumber() && actual.isNumber()) {
            if (expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
                differences.add(path + ": expected " + expected + ", got " + actual);
            }
            return;
        }
        if (!expected.equals(actual)) {
            differences.add(path + ": expected " + brief(expected) + ", got " + brief(actual));
        }
    }

    private boolean matchText(String expected, String actual) {
        if (expected.equals("datetime") || expected.equals("timestamp")) {
            return TIMESTAMP.matcher(actual).matches();
        }
        if (expected.contains("date") && !actual.contains("date")) {
            // the recording's transformer wrote "date" where a timestamp was inside a value (event ids)
            actual = ISO.matcher(actual).replaceAll("date");
        }
        Matcher generated = GENERATED.matcher(expected);
        if (generated.matches() && !expected.equals(actual) && !PLACEHOLDER.matcher(expected).find()) {
            // a name CloudFormation generated (prefix + random suffix) that the recording kept: the same prefix and
            // a suffix of the same length, standing for the same live name wherever the recording repeats it
            String key = "<generated:" + expected + ">";
            if (bound.containsKey(key)) {
                return bound.get(key).equals(actual);
            }
            String suffix = generated.group(2);
            if (actual.startsWith(generated.group(1)) && actual.length() == expected.length()
                    && actual.substring(generated.group(1).length()).matches("[A-Za-z0-9]{" + suffix.length() + "}")) {
                bound.put(key, actual);
                return true;
            }
            return false;
        }
        Matcher m = PLACEHOLDER.matcher(expected);
        StringBuilder regex = new StringBuilder();
        List<String> groups = new ArrayList<>();
        int last = 0;
        while (m.find()) {
            regex.append(literal(expected.substring(last, m.start())));
            String name = m.group(1);
            String key = m.group(0);
            if (name.equals("partition")) {
                regex.append("aws");
            } else if (name.equals("region")) {
                regex.append("us-east-1");
            } else if (name.equals("account-id") || name.equals("account")) {
                regex.append(ACCOUNT);
            } else if (bound.containsKey(key)) {
                regex.append(Pattern.quote(bound.get(key)));
            } else {
                int reused = groups.indexOf(key);
                if (reused >= 0) {
                    regex.append("\\").append(reused + 1);
                } else {
                    groups.add(key);
                    regex.append("(.+?)");
                }
            }
            last = m.end();
        }
        String tail = expected.substring(last);
        Matcher generatedTail = GENERATED_TAIL.matcher(tail);
        if (last > 0 && generatedTail.find()) {
            // a generated physical name after a placeholder (<stack-name:1>-bucket-10xf2vf1pqap8): same shape
            regex.append(literal(tail.substring(0, generatedTail.start()))).append("-[a-z0-9]{")
                    .append(generatedTail.group(1).length()).append("}");
        } else {
            regex.append(literal(tail));
        }
        Matcher live = Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(actual);
        if (!live.matches()) {
            return false;
        }
        for (int i = 0; i < groups.size(); i++) {
            String key = groups.get(i);
            String value = live.group(i + 1);
            String family = key.contains(":") ? key.substring(0, key.lastIndexOf(':')) : key;
            for (var e : bound.entrySet()) {
                if (e.getValue().equals(value) && !e.getKey().equals(key) && e.getKey().startsWith(family + ":")) {
                    // two recorded placeholders are two different values in AWS: one live value may not fill both
                    return false;
                }
            }
            bound.put(key, value);
        }
        return true;
    }

    private static String literal(String s) {
        return s.isEmpty() ? "" : Pattern.quote(s.replace(RECORDED_ACCOUNT, ACCOUNT));
    }

    static String brief(JsonNode n) {
        String s = n == null ? "nothing" : n.toString();
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }
}
