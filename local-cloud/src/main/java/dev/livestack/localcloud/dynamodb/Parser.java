package dev.livestack.localcloud.dynamodb;

import dev.livestack.localcloud.dynamodb.Expr.Action;
import dev.livestack.localcloud.dynamodb.Expr.Operand;
import dev.livestack.localcloud.dynamodb.Expr.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A recursive-descent parser for DynamoDB's expression languages (condition, filter, key condition, update,
 * projection). Placeholders are substituted while parsing, so errors about them name the expression they were in.
 */
final class Parser {
    static final String CONDITION = "ConditionExpression";
    static final String FILTER = "FilterExpression";
    static final String KEY_CONDITION = "KeyConditionExpression";
    static final String UPDATE = "UpdateExpression";
    static final String PROJECTION = "ProjectionExpression";

    private static final Set<String> CONDITION_FUNCTIONS = Set.of("attribute_exists", "attribute_not_exists",
            "attribute_type", "begins_with", "contains");
    private static final Set<String> OPERAND_FUNCTIONS = Set.of("size", "if_not_exists", "list_append");
    private static final Set<String> COMPARATORS = Set.of("=", "<>", "<", "<=", ">", ">=");

    private enum Kind { NAME, HASH, COLON, NUMBER, SYMBOL, END }

    private record Token(Kind kind, String text) {
    }

    private final String kind;
    private final Placeholders placeholders;
    private final List<Token> tokens;
    private int at;

    private Parser(String kind, String text, Placeholders placeholders) {
        this.kind = kind;
        this.placeholders = placeholders;
        if (text.isBlank()) {
            throw Errors.invalid(kind, "The expression can not be empty;");
        }
        this.tokens = tokenize(text);
    }

    static Expr.Condition condition(String kind, String text, Placeholders p) {
        Parser parser = new Parser(kind, text, p);
        Expr.Condition c = parser.or();
        parser.expectEnd();
        parser.checkFunctions(c);
        return c;
    }

    static List<Action> update(String text, Placeholders p) {
        Parser parser = new Parser(UPDATE, text, p);
        return parser.updateActions();
    }

    static List<Path> projection(String text, Placeholders p) {
        Parser parser = new Parser(PROJECTION, text, p);
        List<Path> paths = new ArrayList<>();
        do {
            paths.add(parser.path());
        } while (parser.symbol(","));
        parser.expectEnd();
        parser.checkOverlaps(paths.stream().<Action>map(Expr.Remove::new).toList());
        return paths;
    }

    private List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#' || c == ':') {
                int j = i + 1;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                if (j == i + 1) {
                    throw syntax(String.valueOf(c), s.substring(i, Math.min(s.length(), i + 2)));
                }
                out.add(new Token(c == '#' ? Kind.HASH : Kind.COLON, s.substring(i, j)));
                i = j;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i + 1;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                out.add(new Token(Kind.NAME, s.substring(i, j)));
                i = j;
            } else if (Character.isDigit(c)) {
                int j = i + 1;
                while (j < s.length() && Character.isDigit(s.charAt(j))) {
                    j++;
                }
                out.add(new Token(Kind.NUMBER, s.substring(i, j)));
                i = j;
            } else if (s.startsWith("<>", i) || s.startsWith("<=", i) || s.startsWith(">=", i)) {
                out.add(new Token(Kind.SYMBOL, s.substring(i, i + 2)));
                i += 2;
            } else if ("=<>(),.[]+-".indexOf(c) >= 0) {
                out.add(new Token(Kind.SYMBOL, String.valueOf(c)));
                i++;
            } else {
                throw Errors.invalid(kind, "Invalid character encountered; character: " + c);
            }
        }
        out.add(new Token(Kind.END, "<EOF>"));
        return out;
    }

    private Token peek() {
        return tokens.get(at);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(at + ahead, tokens.size() - 1));
    }

    private boolean symbol(String s) {
        Token t = peek();
        if (t.kind == Kind.SYMBOL && t.text.equals(s)) {
            at++;
            return true;
        }
        return false;
    }

    private boolean keyword(String k) {
        Token t = peek();
        if (t.kind == Kind.NAME && t.text.equalsIgnoreCase(k)) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(String s) {
        if (!symbol(s)) {
            throw syntaxHere();
        }
    }

    private void expectEnd() {
        if (peek().kind != Kind.END) {
            throw syntaxHere();
        }
    }

    private RuntimeException syntaxHere() {
        Token t = peek();
        String near = (at > 0 ? tokens.get(at - 1).text + " " : "") + (t.kind == Kind.END ? "" : t.text);
        return syntax(t.kind == Kind.END ? "<EOF>" : "\"" + t.text + "\"", near.strip());
    }

    private RuntimeException syntax(String token, String near) {
        return Errors.invalid(kind, "Syntax error; token: " + (token.startsWith("\"") || token.equals("<EOF>") ? token
                : "\"" + token + "\"") + ", near: \"" + near + "\"");
    }

    private static boolean isKeyword(Token t) {
        return t.kind == Kind.NAME && Set.of("AND", "OR", "NOT", "BETWEEN", "IN").contains(t.text.toUpperCase(Locale.ROOT));
    }

    // ---- conditions

    private Expr.Condition or() {
        Expr.Condition left = and();
        while (keyword("OR")) {
            left = new Expr.Or(left, and());
        }
        return left;
    }

    private Expr.Condition and() {
        Expr.Condition left = not();
        while (keyword("AND")) {
            left = new Expr.And(left, not());
        }
        return left;
    }

    private Expr.Condition not() {
        if (keyword("NOT")) {
            return new Expr.Not(not());
        }
        return primary();
    }

    private Expr.Condition primary() {
        if (symbol("(")) {
            Expr.Condition c = or();
            expect(")");
            return c;
        }
        Token t = peek();
        if (t.kind == Kind.NAME && peek(1).kind == Kind.SYMBOL && peek(1).text.equals("(") && !t.text.equals("size")) {
            if (!CONDITION_FUNCTIONS.contains(t.text)) {
                if (OPERAND_FUNCTIONS.contains(t.text)) {
                    throw Errors.invalid(kind, "The function is not allowed to be used this way in an expression; function: " + t.text);
                }
                throw Errors.invalid(kind, "Invalid function name; function: " + t.text);
            }
            at += 2;
            return new Expr.Function(t.text, arguments());
        }
        Operand left = operand();
        Token op = peek();
        if (op.kind == Kind.SYMBOL && COMPARATORS.contains(op.text)) {
            at++;
            return new Expr.Compare(op.text, left, operand());
        }
        if (keyword("BETWEEN")) {
            Operand low = operand();
            if (!keyword("AND")) {
                throw syntaxHere();
            }
            return new Expr.Between(left, low, operand());
        }
        if (keyword("IN")) {
            expect("(");
            return new Expr.In(left, arguments());
        }
        throw syntaxHere();
    }

    /** Comma-separated operands up to the closing parenthesis (the opening one already read). */
    private List<Operand> arguments() {
        List<Operand> args = new ArrayList<>();
        if (!symbol(")")) {
            do {
                args.add(operand());
            } while (symbol(","));
            expect(")");
        }
        return args;
    }

    private Operand operand() {
        Token t = peek();
        if (t.kind == Kind.COLON) {
            at++;
            return new Expr.Constant(placeholders.value(t.text, kind));
        }
        if (t.kind == Kind.NAME && peek(1).kind == Kind.SYMBOL && peek(1).text.equals("(")) {
            if (CONDITION_FUNCTIONS.contains(t.text)) {
                throw Errors.invalid(kind, "The function is not allowed to be used this way in an expression; function: " + t.text);
            }
            if (!OPERAND_FUNCTIONS.contains(t.text)) {
                throw Errors.invalid(kind, "Invalid function name; function: " + t.text);
            }
            boolean update = kind.equals(UPDATE);
            if (update == t.text.equals("size")) {
                throw Errors.invalid(kind, "The function is not allowed " + (update ? "in an update expression" : "to be used this way in an expression")
                        + "; function: " + t.text);
            }
            at += 2;
            return new Expr.Call(t.text, arguments());
        }
        return new Expr.Path0(path());
    }

    Path path() {
        List<Object> elements = new ArrayList<>();
        elements.add(pathName());
        while (true) {
            if (symbol(".")) {
                elements.add(pathName());
            } else if (symbol("[")) {
                Token n = peek();
                if (n.kind != Kind.NUMBER) {
                    throw syntaxHere();
                }
                at++;
                try {
                    elements.add(Integer.parseInt(n.text));
                } catch (NumberFormatException e) {
                    throw Errors.invalid(kind, "List index is not within the allowable range; index: " + n.text);
                }
                expect("]");
            } else {
                return new Path(elements);
            }
        }
    }

    private String pathName() {
        Token t = peek();
        if (t.kind == Kind.HASH) {
            at++;
            return placeholders.name(t.text, kind);
        }
        if (t.kind == Kind.NAME && !isKeyword(t)) {
            at++;
            if (ReservedWords.is(t.text)) {
                throw Errors.invalid(kind, "Attribute name is a reserved keyword; reserved keyword: " + t.text);
            }
            return t.text;
        }
        throw syntaxHere();
    }

    /** Argument counts and kinds, checked once the whole expression parsed, as DynamoDB reports them. */
    private void checkFunctions(Expr.Condition c) {
        if (c instanceof Expr.And a) {
            checkFunctions(a.left());
            checkFunctions(a.right());
        } else if (c instanceof Expr.Or o) {
            checkFunctions(o.left());
            checkFunctions(o.right());
        } else if (c instanceof Expr.Not n) {
            checkFunctions(n.inner());
        } else if (c instanceof Expr.Function f) {
            int want = f.name().startsWith("attribute_") && !f.name().equals("attribute_type") ? 1 : 2;
            if (f.args().size() != want) {
                throw Errors.invalid(kind, "Incorrect number of operands for operator or function; operator or function: "
                        + f.name() + ", number of operands: " + f.args().size());
            }
            if (!(f.args().get(0) instanceof Expr.Path0)) {
                throw Errors.invalid(kind, "Operator or function requires a document path; operator or function: " + f.name());
            }
            if (f.name().equals("attribute_type") && f.args().get(1) instanceof Expr.Constant k) {
                String type = k.value().has("S") ? k.value().get("S").asText() : "";
                if (!Values.TYPES.contains(type)) {
                    throw Errors.invalid(kind, "Invalid attribute type name found; type: " + type
                            + ", valid types: { B,BOOL,BS,L,M,N,NS,NULL,S,SS }");
                }
            }
        }
    }

    // ---- update expressions

    private List<Action> updateActions() {
        List<Action> actions = new ArrayList<>();
        Set<String> sections = new HashSet<>();
        do {
            Token t = peek();
            String section = t.kind == Kind.NAME ? t.text.toUpperCase(Locale.ROOT) : "";
            if (!Set.of("SET", "REMOVE", "ADD", "DELETE").contains(section)) {
                throw syntaxHere();
            }
            at++;
            if (!sections.add(section)) {
                throw Errors.invalid(kind, "The \"" + section + "\" section can only be used once in an update expression;");
            }
            do {
                Path path = path();
                switch (section) {
                    case "SET" -> {
                        expect("=");
                        Operand value = setOperand();
                        if (symbol("+")) {
                            value = new Expr.Arithmetic('+', value, setOperand());
                        } else if (symbol("-")) {
                            value = new Expr.Arithmetic('-', value, setOperand());
                        }
                        actions.add(new Expr.Set(path, value));
                    }
                    case "REMOVE" -> actions.add(new Expr.Remove(path));
                    default -> {
                        Token v = peek();
                        if (v.kind != Kind.COLON) {
                            throw syntaxHere();
                        }
                        at++;
                        var value = placeholders.value(v.text, kind);
                        String type = Values.type(value);
                        if (section.equals("ADD") ? !Set.of("N", "SS", "NS", "BS").contains(type) : !Set.of("SS", "NS", "BS").contains(type)) {
                            throw Errors.invalid(kind, "Incorrect operand type for operator or function; operator: " + section
                                    + ", operand type: " + typeName(type));
                        }
                        actions.add(section.equals("ADD") ? new Expr.Add(path, value) : new Expr.Delete(path, value));
                    }
                }
            } while (symbol(","));
        } while (peek().kind != Kind.END);
        checkOverlaps(actions);
        return actions;
    }

    private Operand setOperand() {
        Operand o = operand();
        if (o instanceof Expr.Call call) {
            int want = 2;
            if (call.args().size() != want) {
                throw Errors.invalid(kind, "Incorrect number of operands for operator or function; operator or function: "
                        + call.name() + ", number of operands: " + call.args().size());
            }
            if (call.name().equals("if_not_exists") && !(call.args().get(0) instanceof Expr.Path0)) {
                throw Errors.invalid(kind, "Operator or function requires a document path; operator or function: if_not_exists");
            }
        }
        return o;
    }

    static String typeName(String type) {
        return switch (type) {
            case "S" -> "STRING";
            case "N" -> "NUMBER";
            case "B" -> "BINARY";
            case "SS" -> "STRING SET";
            case "NS" -> "NUMBER SET";
            case "BS" -> "BINARY SET";
            case "M" -> "MAP";
            case "L" -> "LIST";
            case "BOOL" -> "BOOLEAN";
            default -> type;
        };
    }

    private void checkOverlaps(List<Action> actions) {
        for (int i = 0; i < actions.size(); i++) {
            for (int j = i + 1; j < actions.size(); j++) {
                Path a = actions.get(i).path();
                Path b = actions.get(j).path();
                if (a.equals(b)) {
                    throw Errors.invalid(kind, "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: "
                            + a + ", path two: " + b);
                }
                if (a.prefixOf(b) || b.prefixOf(a)) {
                    throw Errors.invalid(kind, "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: "
                            + a + ", path two: " + b);
                }
            }
        }
    }
}
