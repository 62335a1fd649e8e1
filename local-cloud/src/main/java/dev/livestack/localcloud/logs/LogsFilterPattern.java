package dev.livestack.localcloud.logs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.Http;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * CloudWatch Logs filter patterns, the subset developers type: terms (all must occur, case-sensitive),
 * quoted phrases, {@code ?term} (any of them), {@code -term} (none of them), {@code %regex%}, and JSON
 * patterns ({@code { $.a.b[0] = "x*" && ($.n > 3 || $.ok IS TRUE) }}). Space-delimited {@code [..]}
 * patterns are not supported and rejected as invalid.
 */
final class LogsFilterPattern {
    private final List<String> all = new ArrayList<>();
    private final List<String> any = new ArrayList<>();
    private final List<String> none = new ArrayList<>();
    private Pattern regex;
    private Node json;

    private LogsFilterPattern() {
    }

    /** A pattern that matches everything (the empty pattern). */
    static LogsFilterPattern compile(String pattern) {
        LogsFilterPattern p = new LogsFilterPattern();
        String s = pattern == null ? "" : pattern.trim();
        if (s.isEmpty()) {
            return p;
        }
        if (s.startsWith("{")) {
            if (!s.endsWith("}")) {
                throw invalid();
            }
            Parser parser = new Parser(s.substring(1, s.length() - 1));
            p.json = parser.parseOr();
            parser.skipSpace();
            if (!parser.atEnd()) {
                throw invalid();
            }
            return p;
        }
        if (s.startsWith("[")) {
            throw invalid();
        }
        if (s.length() >= 2 && s.startsWith("%") && s.endsWith("%")) {
            p.regex = regex(s.substring(1, s.length() - 1));
            return p;
        }
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            List<String> target = p.all;
            if (c == '?' || c == '-') {
                target = c == '?' ? p.any : p.none;
                i++;
                if (i >= s.length()) {
                    throw invalid();
                }
                c = s.charAt(i);
            }
            String term;
            if (c == '"') {
                int end = s.indexOf('"', i + 1);
                if (end < 0) {
                    throw invalid();
                }
                term = s.substring(i + 1, end);
                i = end + 1;
            } else {
                int end = i;
                while (end < s.length() && !Character.isWhitespace(s.charAt(end))) {
                    end++;
                }
                term = s.substring(i, end);
                i = end;
            }
            target.add(term);
        }
        return p;
    }

    boolean matches(String message) {
        if (json != null) {
            JsonNode doc = parseJson(message);
            return doc != null && json.test(doc);
        }
        if (regex != null) {
            return regex.matcher(message).find();
        }
        for (String t : all) {
            if (!message.contains(t)) {
                return false;
            }
        }
        for (String t : none) {
            if (message.contains(t)) {
                return false;
            }
        }
        if (!any.isEmpty()) {
            for (String t : any) {
                if (message.contains(t)) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    static AwsException invalid() {
        return new AwsException(400, "InvalidParameterException", "Invalid filter pattern");
    }

    private static Pattern regex(String body) {
        try {
            return Pattern.compile(body);
        } catch (PatternSyntaxException e) {
            throw invalid();
        }
    }

    private static JsonNode parseJson(String message) {
        String m = message.trim();
        if (!m.startsWith("{") && !m.startsWith("[")) {
            // Lambda's Node.js lines carry JSON after the timestamp, request id and level
            int brace = m.indexOf('{');
            if (brace < 0) {
                return null;
            }
            m = m.substring(brace);
        }
        try {
            return Http.JSON.readTree(m);
        } catch (IOException e) {
            return null;
        }
    }

    // ---- JSON patterns ------------------------------------------------------------------------

    private interface Node {
        boolean test(JsonNode doc);
    }

    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return i >= s.length();
        }

        void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        boolean eat(String token) {
            skipSpace();
            if (s.startsWith(token, i)) {
                i += token.length();
                return true;
            }
            return false;
        }

        Node parseOr() {
            Node left = parseAnd();
            while (eat("||")) {
                Node a = left;
                Node b = parseAnd();
                left = d -> a.test(d) || b.test(d);
            }
            return left;
        }

        Node parseAnd() {
            Node left = parseUnary();
            while (eat("&&")) {
                Node a = left;
                Node b = parseUnary();
                left = d -> a.test(d) && b.test(d);
            }
            return left;
        }

        Node parseUnary() {
            if (eat("(")) {
                Node inner = parseOr();
                if (!eat(")")) {
                    throw invalid();
                }
                return inner;
            }
            return parseComparison();
        }

        Node parseComparison() {
            skipSpace();
            List<Object> path = parseSelector();
            skipSpace();
            String upper = s.substring(i).toUpperCase(Locale.ROOT);
            if (upper.startsWith("IS ")) {
                i += 3;
                skipSpace();
                String word = word().toUpperCase(Locale.ROOT);
                return switch (word) {
                    case "TRUE" -> d -> { JsonNode v = select(d, path); return v != null && v.isBoolean() && v.asBoolean(); };
                    case "FALSE" -> d -> { JsonNode v = select(d, path); return v != null && v.isBoolean() && !v.asBoolean(); };
                    case "NULL" -> d -> { JsonNode v = select(d, path); return v != null && v.isNull(); };
                    default -> throw invalid();
                };
            }
            if (upper.startsWith("NOT EXISTS")) {
                i += "NOT EXISTS".length();
                return d -> select(d, path) == null;
            }
            String op;
            if (eat("!=")) {
                op = "!=";
            } else if (eat(">=")) {
                op = ">=";
            } else if (eat("<=")) {
                op = "<=";
            } else if (eat("=")) {
                op = "=";
            } else if (eat(">")) {
                op = ">";
            } else if (eat("<")) {
                op = "<";
            } else {
                throw invalid();
            }
            skipSpace();
            Value value = parseValue();
            String operator = op;
            return d -> compare(select(d, path), operator, value);
        }

        List<Object> parseSelector() {
            if (!eat("$")) {
                throw invalid();
            }
            List<Object> path = new ArrayList<>();
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '.') {
                    i++;
                    int start = i;
                    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || "_-@*".indexOf(s.charAt(i)) >= 0)) {
                        i++;
                    }
                    if (start == i) {
                        throw invalid();
                    }
                    path.add(s.substring(start, i));
                } else if (c == '[') {
                    int end = s.indexOf(']', i);
                    if (end < 0) {
                        throw invalid();
                    }
                    try {
                        path.add(Integer.parseInt(s.substring(i + 1, end).trim()));
                    } catch (NumberFormatException e) {
                        throw invalid();
                    }
                    i = end + 1;
                } else {
                    break;
                }
            }
            return path;
        }

        String word() {
            int start = i;
            while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != ')' && s.charAt(i) != '&'
                    && s.charAt(i) != '|') {
                i++;
            }
            return s.substring(start, i);
        }

        Value parseValue() {
            if (i < s.length() && s.charAt(i) == '"') {
                int end = s.indexOf('"', i + 1);
                if (end < 0) {
                    throw invalid();
                }
                String text = s.substring(i + 1, end);
                i = end + 1;
                return new Value(text, null, null);
            }
            if (i < s.length() && s.charAt(i) == '%') {
                int end = s.indexOf('%', i + 1);
                if (end < 0) {
                    throw invalid();
                }
                Pattern p = regex(s.substring(i + 1, end));
                i = end + 1;
                return new Value(null, null, p);
            }
            String w = word();
            if (w.isEmpty()) {
                throw invalid();
            }
            BigDecimal number = null;
            try {
                number = new BigDecimal(w);
            } catch (NumberFormatException notANumber) {
                // a bare word compares as a string
            }
            return new Value(w, number, null);
        }
    }

    private record Value(String text, BigDecimal number, Pattern regex) {
    }

    private static JsonNode select(JsonNode doc, List<Object> path) {
        JsonNode cur = doc;
        for (Object step : path) {
            if (cur == null) {
                return null;
            }
            if (step instanceof Integer idx) {
                cur = cur.isArray() ? cur.get(idx) : null;
            } else {
                cur = cur.isObject() ? cur.get((String) step) : null;
            }
        }
        return cur;
    }

    private static boolean compare(JsonNode actual, String op, Value value) {
        if (actual == null || actual.isContainerNode()) {
            return false;
        }
        if (value.number != null && actual.isNumber()) {
            int c = actual.decimalValue().compareTo(value.number);
            return switch (op) {
                case "=" -> c == 0;
                case "!=" -> c != 0;
                case ">" -> c > 0;
                case "<" -> c < 0;
                case ">=" -> c >= 0;
                default -> c <= 0;
            };
        }
        if (!op.equals("=") && !op.equals("!=")) {
            return false;
        }
        String text = actual.isNull() ? "null" : actual.asText();
        boolean eq;
        if (value.regex != null) {
            eq = value.regex.matcher(text).find();
        } else {
            eq = wildcard(value.text).matcher(text).matches();
        }
        return op.equals("=") == eq;
    }

    private static Pattern wildcard(String text) {
        List<String> quoted = new ArrayList<>();
        for (String part : text.split("\\*", -1)) {
            quoted.add(Pattern.quote(part));
        }
        return Pattern.compile(String.join(".*", quoted), Pattern.DOTALL);
    }
}
