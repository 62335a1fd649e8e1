package dev.livestack.localcloud.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.dynamodb.Expr.Operand;
import dev.livestack.localcloud.dynamodb.Expr.Path;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/** Evaluates parsed expressions against an item, with DynamoDB's semantics (a missing attribute compares false). */
final class Evaluator {
    private Evaluator() {
    }

    /** The value at {@code path} in {@code item}, or null when any step is missing or of the wrong type. */
    static JsonNode resolve(JsonNode item, Path path) {
        JsonNode current = item == null ? null : item.get(path.top());
        for (int i = 1; i < path.elements().size() && current != null; i++) {
            Object e = path.elements().get(i);
            if (e instanceof Integer index) {
                JsonNode list = current.get("L");
                current = list == null || index >= list.size() ? null : list.get(index);
            } else {
                JsonNode map = current.get("M");
                current = map == null ? null : map.get((String) e);
            }
        }
        return current;
    }

    static boolean test(Expr.Condition c, JsonNode item) {
        if (c instanceof Expr.And a) {
            return test(a.left(), item) && test(a.right(), item);
        }
        if (c instanceof Expr.Or o) {
            return test(o.left(), item) || test(o.right(), item);
        }
        if (c instanceof Expr.Not n) {
            return !test(n.inner(), item);
        }
        if (c instanceof Expr.Compare cmp) {
            return compare(cmp.op(), operand(cmp.left(), item), operand(cmp.right(), item));
        }
        if (c instanceof Expr.Between b) {
            JsonNode v = operand(b.value(), item);
            JsonNode lo = operand(b.low(), item);
            JsonNode hi = operand(b.high(), item);
            if (lo != null && hi != null && Values.comparable(lo, hi) && Values.compare(lo, hi) > 0
                    && b.low() instanceof Expr.Constant && b.high() instanceof Expr.Constant) {
                throw Errors.invalid("ConditionExpression", "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
                        + "lower bound operand: AttributeValue: {" + show(lo) + "}, upper bound operand: AttributeValue: {" + show(hi) + "}");
            }
            return compare(">=", v, lo) && compare("<=", v, hi);
        }
        if (c instanceof Expr.In in) {
            JsonNode v = operand(in.value(), item);
            for (Operand o : in.candidates()) {
                JsonNode x = operand(o, item);
                if (v != null && x != null && Values.equal(v, x)) {
                    return true;
                }
            }
            return false;
        }
        return function((Expr.Function) c, item);
    }

    private static String show(JsonNode v) {
        String t = Values.type(v);
        return t + ":" + v.get(t).asText();
    }

    private static boolean compare(String op, JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return false;
        }
        return switch (op) {
            case "=" -> Values.equal(a, b);
            case "<>" -> !Values.equal(a, b);
            default -> {
                if (!Values.comparable(a, b)) {
                    yield false;
                }
                int c = Values.compare(a, b);
                yield switch (op) {
                    case "<" -> c < 0;
                    case "<=" -> c <= 0;
                    case ">" -> c > 0;
                    default -> c >= 0;
                };
            }
        };
    }

    private static boolean function(Expr.Function f, JsonNode item) {
        Path path = ((Expr.Path0) f.args().get(0)).path();
        JsonNode v = resolve(item, path);
        switch (f.name()) {
            case "attribute_exists":
                return v != null;
            case "attribute_not_exists":
                return v == null;
            case "attribute_type": {
                JsonNode t = operand(f.args().get(1), item);
                return v != null && t != null && t.has("S") && Values.type(v).equals(t.get("S").asText());
            }
            case "begins_with": {
                JsonNode prefix = operand(f.args().get(1), item);
                if (v == null || prefix == null || !Values.type(v).equals(Values.type(prefix))) {
                    return false;
                }
                if (v.has("S")) {
                    return v.get("S").asText().startsWith(prefix.get("S").asText());
                }
                if (v.has("B")) {
                    byte[] whole = Base64.getDecoder().decode(v.get("B").asText());
                    byte[] start = Base64.getDecoder().decode(prefix.get("B").asText());
                    return whole.length >= start.length && java.util.Arrays.equals(whole, 0, start.length, start, 0, start.length);
                }
                return false;
            }
            default: {
                JsonNode needle = operand(f.args().get(1), item);
                if (v == null || needle == null) {
                    return false;
                }
                String t = Values.type(v);
                String nt = Values.type(needle);
                return switch (t) {
                    case "S" -> nt.equals("S") && v.get("S").asText().contains(needle.get("S").asText());
                    case "SS", "NS", "BS" -> nt.equals(t.substring(0, 1)) && Values.setContains(t, v.get(t), needle.get(nt).asText());
                    case "L" -> {
                        boolean found = false;
                        for (JsonNode e : v.get("L")) {
                            found |= Values.equal(e, needle);
                        }
                        yield found;
                    }
                    default -> false;
                };
            }
        }
    }

    /** An operand's value, or null when it names a missing attribute. */
    static JsonNode operand(Operand o, JsonNode item) {
        if (o instanceof Expr.Constant c) {
            return c.value();
        }
        if (o instanceof Expr.Path0 p) {
            return resolve(item, p.path());
        }
        if (o instanceof Expr.Call call) {
            return call(call, item);
        }
        return arithmetic((Expr.Arithmetic) o, item);
    }

    private static JsonNode call(Expr.Call call, JsonNode item) {
        switch (call.name()) {
            case "size": {
                JsonNode v = operand(call.args().get(0), item);
                if (v == null) {
                    return null;
                }
                String t = Values.type(v);
                JsonNode p = v.get(t);
                return switch (t) {
                    case "S" -> Values.n(BigDecimal.valueOf(p.asText().codePointCount(0, p.asText().length())));
                    case "B" -> Values.n(BigDecimal.valueOf(Base64.getDecoder().decode(p.asText()).length));
                    case "SS", "NS", "BS", "L", "M" -> Values.n(BigDecimal.valueOf(p.size()));
                    default -> null;
                };
            }
            case "if_not_exists": {
                JsonNode v = operand(call.args().get(0), item);
                return v != null ? v : required(call.args().get(1), item);
            }
            default: {
                JsonNode a = required(call.args().get(0), item);
                JsonNode b = required(call.args().get(1), item);
                if (!a.has("L") || !b.has("L")) {
                    throw Errors.invalid(Parser.UPDATE, "Incorrect operand type for operator or function; operator or function: list_append, operand type: "
                            + Parser.typeName(Values.type(a.has("L") ? b : a)));
                }
                ArrayNode joined = Values.NODES.arrayNode();
                joined.addAll((ArrayNode) a.get("L").deepCopy());
                joined.addAll((ArrayNode) b.get("L").deepCopy());
                return Values.of("L", joined);
            }
        }
    }

    private static JsonNode arithmetic(Expr.Arithmetic a, JsonNode item) {
        JsonNode l = required(a.left(), item);
        JsonNode r = required(a.right(), item);
        if (!l.has("N") || !r.has("N")) {
            throw Errors.validation("An operand in the update expression has an incorrect data type");
        }
        BigDecimal x = Values.number(l);
        BigDecimal y = Values.number(r);
        return Values.n(a.op() == '+' ? x.add(y) : x.subtract(y));
    }

    private static JsonNode required(Operand o, JsonNode item) {
        JsonNode v = operand(o, item);
        if (v == null) {
            throw Errors.validation("The provided expression refers to an attribute that does not exist in the item");
        }
        return v;
    }

    /**
     * Applies an update's actions to a copy of {@code old} (an empty item when there is none). Every value is computed
     * from the item as it was before the update, as DynamoDB does.
     */
    static ObjectNode update(List<Expr.Action> actions, ObjectNode old) {
        ObjectNode before = old == null ? Values.NODES.objectNode() : old;
        List<JsonNode> computed = new ArrayList<>();
        for (Expr.Action a : actions) {
            computed.add(a instanceof Expr.Set s ? required(s.value(), before) : null);
        }
        ObjectNode item = before.deepCopy();
        List<Expr.Remove> removes = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            Expr.Action a = actions.get(i);
            if (a instanceof Expr.Set) {
                put(item, a.path(), computed.get(i).deepCopy());
            } else if (a instanceof Expr.Remove r) {
                removes.add(r);
            } else if (a instanceof Expr.Add add) {
                add(item, add);
            } else {
                delete(item, (Expr.Delete) a);
            }
        }
        // list indexes refer to the list before the update: remove the highest first
        removes.sort(Comparator.comparing((Expr.Remove r) -> r.path().elements().get(r.path().elements().size() - 1) instanceof Integer n ? -n : 0));
        for (Expr.Remove r : removes) {
            remove(item, r.path());
        }
        return item;
    }

    private static void put(ObjectNode item, Path path, JsonNode value) {
        if (path.elements().size() == 1) {
            item.set(path.top(), value);
            return;
        }
        JsonNode parent = resolve(item, new Path(path.elements().subList(0, path.elements().size() - 1)));
        Object last = path.elements().get(path.elements().size() - 1);
        if (parent != null && last instanceof String name && parent.has("M")) {
            ((ObjectNode) parent.get("M")).set(name, value);
        } else if (parent != null && last instanceof Integer index && parent.has("L")) {
            ArrayNode list = (ArrayNode) parent.get("L");
            if (index < list.size()) {
                list.set(index, value);
            } else {
                list.add(value);
            }
        } else {
            throw Errors.validation("The document path provided in the update expression is invalid for update");
        }
    }

    private static void remove(ObjectNode item, Path path) {
        if (path.elements().size() == 1) {
            item.remove(path.top());
            return;
        }
        JsonNode parent = resolve(item, new Path(path.elements().subList(0, path.elements().size() - 1)));
        Object last = path.elements().get(path.elements().size() - 1);
        if (parent != null && last instanceof String name && parent.has("M")) {
            ((ObjectNode) parent.get("M")).remove(name);
        } else if (parent != null && last instanceof Integer index && parent.has("L")) {
            ArrayNode list = (ArrayNode) parent.get("L");
            if (index < list.size()) {
                list.remove(index);
            }
        } else if (parent != null) {
            throw Errors.validation("The document path provided in the update expression is invalid for update");
        }
    }

    private static void add(ObjectNode item, Expr.Add add) {
        JsonNode current = resolve(item, add.path());
        String type = Values.type(add.value());
        if (current == null) {
            put(item, add.path(), add.value().deepCopy());
            return;
        }
        if (!Values.type(current).equals(type)) {
            throw Errors.validation("An operand in the update expression has an incorrect data type");
        }
        if (type.equals("N")) {
            put(item, add.path(), Values.n(Values.number(current).add(Values.number(add.value()))));
            return;
        }
        ArrayNode union = ((ArrayNode) current.get(type)).deepCopy();
        for (JsonNode e : add.value().get(type)) {
            if (!Values.setContains(type, union, e.asText())) {
                union.add(e);
            }
        }
        put(item, add.path(), Values.of(type, union));
    }

    private static void delete(ObjectNode item, Expr.Delete d) {
        JsonNode current = resolve(item, d.path());
        if (current == null) {
            return;
        }
        String type = Values.type(d.value());
        if (!Values.type(current).equals(type)) {
            throw Errors.validation("An operand in the update expression has an incorrect data type");
        }
        ArrayNode rest = Values.NODES.arrayNode();
        for (JsonNode e : current.get(type)) {
            if (!Values.setContains(type, d.value().get(type), e.asText())) {
                rest.add(e);
            }
        }
        if (rest.isEmpty()) {
            remove(item, d.path());
        } else {
            put(item, d.path(), Values.of(type, rest));
        }
    }

    /** The parts of {@code item} the paths name, nested as in the item; list elements keep their order, compacted. */
    static ObjectNode project(JsonNode item, List<Path> paths) {
        ObjectNode out = Values.NODES.objectNode();
        for (Path p : paths) {
            if (resolve(item, p) != null) {
                merge(out, item, p);
            }
        }
        List<String> names = new ArrayList<>();
        out.fieldNames().forEachRemaining(names::add);
        for (String n : names) {
            out.set(n, compact(out.get(n)));
        }
        return out;
    }

    /** Copies one path's value into {@code out}; lists are built as {@code L#} objects keyed by padded index first. */
    private static void merge(ObjectNode out, JsonNode item, Path p) {
        List<Object> els = p.elements();
        JsonNode src = item.get(p.top());
        ObjectNode container = out;
        String key = p.top();
        for (int i = 1; i < els.size(); i++) {
            String building = src.has("M") ? "M" : "L#";
            ObjectNode dv = (ObjectNode) container.get(key);
            if (dv == null) {
                dv = Values.NODES.objectNode();
                dv.putObject(building);
                container.set(key, dv);
            }
            container = (ObjectNode) dv.get(building);
            Object e = els.get(i);
            key = e instanceof Integer n ? String.format("%010d", n) : (String) e;
            src = src.has("M") ? src.get("M").get((String) e) : src.get("L").get((Integer) e);
        }
        container.set(key, src.deepCopy());
    }

    private static JsonNode compact(JsonNode value) {
        if (value.has("L#")) {
            ObjectNode indexed = (ObjectNode) value.get("L#");
            List<String> keys = new ArrayList<>();
            indexed.fieldNames().forEachRemaining(keys::add);
            keys.sort(null);
            ArrayNode list = Values.NODES.arrayNode();
            for (String k : keys) {
                list.add(compact(indexed.get(k)));
            }
            return Values.of("L", list);
        }
        if (value.has("M")) {
            ObjectNode m = (ObjectNode) value.get("M");
            List<String> names = new ArrayList<>();
            m.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                m.set(n, compact(m.get(n)));
            }
        }
        return value;
    }
}
