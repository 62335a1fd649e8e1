package dev.livestack.localcloud.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DynamoDB attribute values as they travel on the wire ({@code {"S": "x"}}, {@code {"N": "1"}}, …): validation with
 * DynamoDB's messages, the canonical number form, ordering, equality and the item size DynamoDB bills and limits.
 */
final class Values {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final Set<String> TYPES = Set.of("S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL");
    static final int MAX_ITEM_BYTES = 400 * 1024;
    private static final BigDecimal MAX = new BigDecimal("9.9999999999999999999999999999999999999E+125");
    private static final BigDecimal MIN = new BigDecimal("1E-130");

    private Values() {
    }

    static String type(JsonNode value) {
        return value.fieldNames().next();
    }

    static ObjectNode of(String type, JsonNode payload) {
        ObjectNode o = NODES.objectNode();
        o.set(type, payload);
        return o;
    }

    static ObjectNode s(String text) {
        return of("S", NODES.textNode(text));
    }

    static ObjectNode n(BigDecimal number) {
        return of("N", NODES.textNode(canonical(number)));
    }

    /** Checks one item's attribute values and rewrites every number into its canonical form; returns a copy. */
    static ObjectNode item(JsonNode item) {
        if (item == null || !item.isObject()) {
            throw Errors.validation("One or more parameter values were invalid: Missing the item");
        }
        ObjectNode out = NODES.objectNode();
        item.fields().forEachRemaining(e -> out.set(e.getKey(), value(e.getValue())));
        return out;
    }

    /** One attribute value, checked and canonical. */
    static ObjectNode value(JsonNode v) {
        if (v == null || !v.isObject() || v.size() == 0) {
            throw Errors.validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }
        if (v.size() > 1) {
            throw Errors.validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        }
        String type = type(v);
        JsonNode p = v.get(type);
        switch (type) {
            case "S" -> {
                requireText(p, type);
                return s(p.asText());
            }
            case "N" -> {
                requireText(p, type);
                return of("N", NODES.textNode(canonicalNumber(p.asText())));
            }
            case "B" -> {
                requireText(p, type);
                return of("B", NODES.textNode(Base64.getEncoder().encodeToString(bytes(p.asText()))));
            }
            case "BOOL" -> {
                if (!p.isBoolean()) {
                    throw Errors.serialization("BOOL");
                }
                return of("BOOL", p);
            }
            case "NULL" -> {
                if (!p.isBoolean()) {
                    throw Errors.serialization("NULL");
                }
                if (!p.asBoolean()) {
                    throw Errors.validation("One or more parameter values were invalid: Null attribute value types must have the value of true");
                }
                return of("NULL", p);
            }
            case "SS", "NS", "BS" -> {
                if (!p.isArray()) {
                    throw Errors.serialization(type);
                }
                if (p.isEmpty()) {
                    throw Errors.validation("One or more parameter values were invalid: " + switch (type) {
                        case "SS" -> "An string set  may not be empty";
                        case "NS" -> "An number set  may not be empty";
                        default -> "Binary sets should not be empty";
                    });
                }
                ArrayNode set = NODES.arrayNode();
                Set<String> seen = new HashSet<>();
                for (JsonNode e : p) {
                    requireText(e, type);
                    String c = switch (type) {
                        case "NS" -> canonicalNumber(e.asText());
                        case "BS" -> Base64.getEncoder().encodeToString(bytes(e.asText()));
                        default -> e.asText();
                    };
                    if (!seen.add(type.equals("NS") ? new BigDecimal(c).stripTrailingZeros().toString() : c)) {
                        throw Errors.validation("One or more parameter values were invalid: Input collection " + p
                                .toString().replace("\"", "").replace(",", ", ") + " contains duplicates.");
                    }
                    set.add(c);
                }
                return of(type, set);
            }
            case "M" -> {
                if (!p.isObject()) {
                    throw Errors.serialization("M");
                }
                ObjectNode m = NODES.objectNode();
                p.fields().forEachRemaining(e -> m.set(e.getKey(), value(e.getValue())));
                return of("M", m);
            }
            case "L" -> {
                if (!p.isArray()) {
                    throw Errors.serialization("L");
                }
                ArrayNode l = NODES.arrayNode();
                p.forEach(e -> l.add(value(e)));
                return of("L", l);
            }
            default -> throw Errors.serialization(type);
        }
    }

    private static void requireText(JsonNode p, String type) {
        if (p == null || !p.isTextual()) {
            throw Errors.serialization(type);
        }
    }

    private static byte[] bytes(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw Errors.serialization("B");
        }
    }

    /** DynamoDB's number rules: at most 38 significant digits, magnitude between 1E-130 and 1E126, canonical text. */
    static String canonicalNumber(String text) {
        BigDecimal d;
        try {
            d = new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw Errors.validation("The parameter cannot be converted to a numeric value: " + text);
        }
        return canonical(d);
    }

    static String canonical(BigDecimal d) {
        if (d.signum() == 0) {
            return "0";
        }
        BigDecimal s = d.stripTrailingZeros();
        if (s.precision() > 38) {
            throw Errors.validation("Attempting to store more than 38 significant digits in a Number");
        }
        if (s.abs().compareTo(MAX) > 0) {
            throw Errors.validation("Number overflow. Attempting to store a number with magnitude larger than supported range");
        }
        if (s.abs().compareTo(MIN) < 0) {
            throw Errors.validation("Number underflow. Attempting to store a number with magnitude smaller than supported range");
        }
        return s.toPlainString();
    }

    static BigDecimal number(JsonNode v) {
        return new BigDecimal(v.get("N").asText());
    }

    /** Orders two scalars of one type (N, S, B) as DynamoDB sorts them: numbers by value, strings and binaries by UTF-8 bytes. */
    static int compare(JsonNode a, JsonNode b) {
        String type = type(a);
        return switch (type) {
            case "N" -> number(a).compareTo(number(b));
            case "S" -> compareCodePoints(a.get("S").asText(), b.get("S").asText());
            case "B" -> compareBytes(Base64.getDecoder().decode(a.get("B").asText()), Base64.getDecoder().decode(b.get("B").asText()));
            default -> throw new IllegalArgumentException("not a scalar: " + type);
        };
    }

    /** Code point order is UTF-8 byte order (UTF-16 unit order is not, above the BMP). */
    static int compareCodePoints(String a, String b) {
        Iterator<Integer> x = a.codePoints().iterator();
        Iterator<Integer> y = b.codePoints().iterator();
        while (x.hasNext() && y.hasNext()) {
            int c = Integer.compare(x.next(), y.next());
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(x.hasNext(), y.hasNext());
    }

    static int compareBytes(byte[] a, byte[] b) {
        return java.util.Arrays.compareUnsigned(a, b);
    }

    static boolean comparable(JsonNode a, JsonNode b) {
        String t = type(a);
        return t.equals(type(b)) && (t.equals("N") || t.equals("S") || t.equals("B"));
    }

    /** Equality as DynamoDB's {@code =}: same type, numbers by value, sets regardless of order. */
    static boolean equal(JsonNode a, JsonNode b) {
        String t = type(a);
        if (!t.equals(type(b))) {
            return false;
        }
        JsonNode x = a.get(t);
        JsonNode y = b.get(t);
        switch (t) {
            case "N":
                return number(a).compareTo(number(b)) == 0;
            case "SS", "BS", "NS": {
                if (x.size() != y.size()) {
                    return false;
                }
                for (JsonNode e : x) {
                    if (!setContains(t, y, e.asText())) {
                        return false;
                    }
                }
                return true;
            }
            case "M": {
                if (x.size() != y.size()) {
                    return false;
                }
                Iterator<Map.Entry<String, JsonNode>> it = x.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!y.has(e.getKey()) || !equal(e.getValue(), y.get(e.getKey()))) {
                        return false;
                    }
                }
                return true;
            }
            case "L": {
                if (x.size() != y.size()) {
                    return false;
                }
                for (int i = 0; i < x.size(); i++) {
                    if (!equal(x.get(i), y.get(i))) {
                        return false;
                    }
                }
                return true;
            }
            default:
                return x.equals(y);
        }
    }

    static boolean setContains(String setType, JsonNode elements, String element) {
        for (JsonNode e : elements) {
            if (setType.equals("NS") ? new BigDecimal(e.asText()).compareTo(new BigDecimal(element)) == 0 : e.asText().equals(element)) {
                return true;
            }
        }
        return false;
    }

    /** The size DynamoDB counts for an item: names plus values, as its 400 KB limit and capacity units use. */
    static int itemSize(JsonNode item) {
        int size = 0;
        Iterator<Map.Entry<String, JsonNode>> it = item.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            size += utf8(e.getKey()) + valueSize(e.getValue());
        }
        return size;
    }

    static int valueSize(JsonNode v) {
        String t = type(v);
        JsonNode p = v.get(t);
        return switch (t) {
            case "S" -> utf8(p.asText());
            case "N" -> numberSize(p.asText());
            case "B" -> Base64.getDecoder().decode(p.asText()).length;
            case "BOOL", "NULL" -> 1;
            case "SS" -> sum(p, e -> utf8(e.asText()));
            case "NS" -> sum(p, e -> numberSize(e.asText()));
            case "BS" -> sum(p, e -> Base64.getDecoder().decode(e.asText()).length);
            case "M" -> 3 + itemSizeWithOverhead(p);
            case "L" -> 3 + sum(p, e -> 1 + valueSize(e));
            default -> 0;
        };
    }

    private static int itemSizeWithOverhead(JsonNode map) {
        int size = 0;
        Iterator<Map.Entry<String, JsonNode>> it = map.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            size += 1 + utf8(e.getKey()) + valueSize(e.getValue());
        }
        return size;
    }

    private static int sum(JsonNode array, java.util.function.ToIntFunction<JsonNode> f) {
        int s = 0;
        for (JsonNode e : array) {
            s += f.applyAsInt(e);
        }
        return s;
    }

    private static int numberSize(String n) {
        String digits = new BigDecimal(n).unscaledValue().abs().toString();
        return (digits.length() + 1) / 2 + 1;
    }

    static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A copy of {@code item} holding only {@code names} (which may be absent). */
    static ObjectNode only(JsonNode item, List<String> names) {
        ObjectNode out = NODES.objectNode();
        for (String n : names) {
            if (item.has(n)) {
                out.set(n, item.get(n).deepCopy());
            }
        }
        return out;
    }
}
