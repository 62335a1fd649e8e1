package dev.livestack.localcloud.ec2;

import dev.livestack.localcloud.core.AwsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * EC2's {@code Filter.N.Name} / {@code Filter.N.Value.M} filters: values of one filter are ORed, filters are ANDed,
 * {@code *} and {@code ?} are wildcards, {@code tag:Key} matches a tag's value and {@code tag-key} a tag's key.
 */
final class Ec2Filters {
    private Ec2Filters() {
    }

    /** The filters of a request, by name, in the order sent. */
    static Map<String, List<String>> read(Map<String, String> form) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 1; form.containsKey("Filter." + i + ".Name"); i++) {
            List<String> values = new ArrayList<>();
            for (int j = 1; form.containsKey("Filter." + i + ".Value." + j); j++) {
                values.add(form.get("Filter." + i + ".Value." + j));
            }
            out.computeIfAbsent(form.get("Filter." + i + ".Name"), k -> new ArrayList<>()).addAll(values);
        }
        return out;
    }

    /** {@code Prefix.1}, {@code Prefix.2}, … (EC2's flattened lists, e.g. {@code VpcId.1}). */
    static List<String> list(Map<String, String> form, String prefix) {
        List<String> out = new ArrayList<>();
        for (int i = 1; form.containsKey(prefix + "." + i); i++) {
            out.add(form.get(prefix + "." + i));
        }
        return out;
    }

    /** The items every filter matches; a filter name the resource does not know is EC2's InvalidParameterValue. */
    static List<Ec2Item> apply(List<Ec2Item> items, Map<String, List<String>> filters, Set<String> known) {
        for (String name : filters.keySet()) {
            if (!known.contains(name) && !name.startsWith("tag:") && !name.equals("tag-key")) {
                throw new AwsException(400, "InvalidParameterValue", "The filter '" + name + "' is invalid");
            }
        }
        List<Ec2Item> out = new ArrayList<>();
        for (Ec2Item item : items) {
            if (filters.entrySet().stream().allMatch(f -> matches(item, f.getKey(), f.getValue()))) {
                out.add(item);
            }
        }
        return out;
    }

    private static boolean matches(Ec2Item item, String name, List<String> wanted) {
        List<String> have = item.filterValues().getOrDefault(name, List.of());
        for (String w : wanted) {
            Pattern p = glob(w);
            for (String h : have) {
                if (p.matcher(h).matches()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** EC2's wildcards: {@code *} any run of characters, {@code ?} one; a backslash escapes them. */
    static Pattern glob(String value) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                re.append(Pattern.quote(String.valueOf(value.charAt(++i))));
            } else if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
