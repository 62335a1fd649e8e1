package dev.livestack.localcloud.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** What a KeyConditionExpression may say: the partition key equal to one value, and at most one condition on the sort key. */
final class KeyConditions {
    private KeyConditions() {
    }

    /** Checks the expression's shape against the key schema and returns the partition key's value. */
    static JsonNode hashValue(Expr.Condition c, Table.Schema schema) {
        List<Expr.Condition> parts = new ArrayList<>();
        if (c instanceof Expr.And and) {
            if (and.left() instanceof Expr.And || and.right() instanceof Expr.And) {
                throw Errors.validation("Conditions can be of length 1 or 2 only");
            }
            parts.add(and.left());
            parts.add(and.right());
        } else {
            parts.add(c);
        }
        JsonNode hash = null;
        boolean range = false;
        for (Expr.Condition part : parts) {
            String attribute = attribute(part);
            if (attribute.equals(schema.hash())) {
                if (!(part instanceof Expr.Compare cmp) || !cmp.op().equals("=") || hash != null) {
                    throw Errors.validation("Query key condition not supported");
                }
                hash = constant(cmp.right() instanceof Expr.Constant ? cmp.right() : cmp.left(), schema.hashType());
            } else if (attribute.equals(schema.range())) {
                if (range) {
                    throw Errors.validation("Query key condition not supported");
                }
                range = true;
                checkRange(part, schema.rangeType());
            } else {
                throw Errors.validation("Query condition missed key schema element: " + (hash == null && !range ? schema.hash()
                        : schema.range() == null ? schema.hash() : schema.range()));
            }
        }
        if (hash == null) {
            throw Errors.validation("Query condition missed key schema element: " + schema.hash());
        }
        return hash;
    }

    private static String attribute(Expr.Condition part) {
        Expr.Operand first;
        if (part instanceof Expr.Compare cmp) {
            if (!Set.of("=", "<", "<=", ">", ">=").contains(cmp.op())) {
                throw Errors.validation("Unsupported operator in KeyConditionExpression: " + cmp.op());
            }
            first = cmp.left() instanceof Expr.Path0 ? cmp.left() : cmp.right();
        } else if (part instanceof Expr.Between b) {
            first = b.value();
        } else if (part instanceof Expr.Function f && f.name().equals("begins_with")) {
            first = f.args().get(0);
        } else if (part instanceof Expr.Or) {
            throw Errors.invalid(Parser.KEY_CONDITION, "Invalid operator used in KeyConditionExpression: OR");
        } else if (part instanceof Expr.Not) {
            throw Errors.invalid(Parser.KEY_CONDITION, "Invalid operator used in KeyConditionExpression: NOT");
        } else if (part instanceof Expr.In) {
            throw Errors.invalid(Parser.KEY_CONDITION, "Invalid operator used in KeyConditionExpression: IN");
        } else if (part instanceof Expr.Function f) {
            throw Errors.invalid(Parser.KEY_CONDITION, "Invalid operator used in KeyConditionExpression: " + f.name());
        } else {
            throw Errors.validation("Query key condition not supported");
        }
        if (!(first instanceof Expr.Path0 p) || p.path().elements().size() != 1) {
            throw Errors.validation("Query key condition not supported");
        }
        return p.path().top();
    }

    private static void checkRange(Expr.Condition part, String type) {
        List<Expr.Operand> values = new ArrayList<>();
        if (part instanceof Expr.Compare cmp) {
            values.add(cmp.right() instanceof Expr.Constant ? cmp.right() : cmp.left());
        } else if (part instanceof Expr.Between b) {
            values.add(b.low());
            values.add(b.high());
        } else if (part instanceof Expr.Function f) {
            values.add(f.args().get(1));
            if (type.equals("N")) {
                throw Errors.invalid(Parser.KEY_CONDITION, "Incorrect operand type for operator or function; operator or function: begins_with, operand type: NUMBER");
            }
        }
        for (Expr.Operand v : values) {
            constant(v, type);
        }
    }

    private static JsonNode constant(Expr.Operand o, String type) {
        if (!(o instanceof Expr.Constant c)) {
            throw Errors.validation("Query key condition not supported");
        }
        if (!Values.type(c.value()).equals(type)) {
            throw Errors.validation("One or more parameter values were invalid: Condition parameter type does not match schema type");
        }
        return c.value();
    }

    /** The top-level attribute names a condition reads. */
    static Set<String> topNames(Expr.Condition c) {
        Set<String> out = new java.util.HashSet<>();
        collect(c, out);
        return out;
    }

    private static void collect(Expr.Condition c, Set<String> out) {
        if (c instanceof Expr.And a) {
            collect(a.left(), out);
            collect(a.right(), out);
        } else if (c instanceof Expr.Or o) {
            collect(o.left(), out);
            collect(o.right(), out);
        } else if (c instanceof Expr.Not n) {
            collect(n.inner(), out);
        } else if (c instanceof Expr.Compare cmp) {
            operand(cmp.left(), out);
            operand(cmp.right(), out);
        } else if (c instanceof Expr.Between b) {
            operand(b.value(), out);
            operand(b.low(), out);
            operand(b.high(), out);
        } else if (c instanceof Expr.In in) {
            operand(in.value(), out);
            in.candidates().forEach(x -> operand(x, out));
        } else if (c instanceof Expr.Function f) {
            f.args().forEach(x -> operand(x, out));
        }
    }

    private static void operand(Expr.Operand o, Set<String> out) {
        if (o instanceof Expr.Path0 p) {
            out.add(p.path().top());
        } else if (o instanceof Expr.Call call) {
            call.args().forEach(x -> operand(x, out));
        }
    }
}
