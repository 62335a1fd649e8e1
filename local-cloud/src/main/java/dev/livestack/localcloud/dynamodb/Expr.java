package dev.livestack.localcloud.dynamodb;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The parsed forms of DynamoDB's expressions, with every {@code #name} and {@code :value} already substituted. */
final class Expr {
    private Expr() {
    }

    /** A document path: top-level name, then map keys (String) and list indexes (Integer). */
    record Path(List<Object> elements) {
        Path {
            if (elements == null || elements.isEmpty() || !(elements.get(0) instanceof String)) {
                throw new IllegalArgumentException("elements must start with an attribute name");
            }
            elements = List.copyOf(elements);
        }

        String top() {
            return (String) elements.get(0);
        }

        boolean prefixOf(Path other) {
            return other.elements.size() >= elements.size() && other.elements.subList(0, elements.size()).equals(elements);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < elements.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(elements.get(i) instanceof Integer n ? "[" + n + "]" : elements.get(i));
            }
            return b.append(']').toString();
        }
    }

    /** Something that yields an attribute value. */
    sealed interface Operand permits Path0, Constant, Call, Arithmetic {
    }

    record Path0(Path path) implements Operand {
    }

    record Constant(ObjectNode value) implements Operand {
    }

    /** A function used as an operand: size, if_not_exists, list_append. */
    record Call(String name, List<Operand> args) implements Operand {
        Call {
            args = List.copyOf(args);
        }
    }

    /** {@code a + b} or {@code a - b} in a SET action. */
    record Arithmetic(char op, Operand left, Operand right) implements Operand {
    }

    /** A condition (Condition, Filter and KeyCondition expressions). */
    sealed interface Condition permits And, Or, Not, Compare, Between, In, Function {
    }

    record And(Condition left, Condition right) implements Condition {
    }

    record Or(Condition left, Condition right) implements Condition {
    }

    record Not(Condition inner) implements Condition {
    }

    record Compare(String op, Operand left, Operand right) implements Condition {
    }

    record Between(Operand value, Operand low, Operand high) implements Condition {
    }

    record In(Operand value, List<Operand> candidates) implements Condition {
        In {
            candidates = List.copyOf(candidates);
        }
    }

    /** A boolean function: attribute_exists, attribute_not_exists, attribute_type, begins_with, contains. */
    record Function(String name, List<Operand> args) implements Condition {
        Function {
            args = List.copyOf(args);
        }
    }

    /** One action of an update expression. */
    sealed interface Action permits Set, Remove, Add, Delete {
        Path path();
    }

    record Set(Path path, Operand value) implements Action {
    }

    record Remove(Path path) implements Action {
    }

    record Add(Path path, ObjectNode value) implements Action {
    }

    record Delete(Path path, ObjectNode value) implements Action {
    }
}
