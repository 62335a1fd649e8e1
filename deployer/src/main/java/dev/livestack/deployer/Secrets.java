package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masking of values that may be secret, applied to everything that leaves the deployer as text. A value is
 * masked by where it comes from (a {@code NoEcho} parameter, a {@code {{resolve:secretsmanager:…}}} or
 * {@code {{resolve:ssm-secure:…}}} dynamic reference), by what it is (the password of a URL's user info) and by
 * the name it is given (the pattern set below, documented in docs/deploy.md "What is masked").
 */
final class Secrets {
    static final String MASK = "****";

    /** Anywhere in a name, case-insensitively. */
    private static final List<String> SECRET_PARTS = List.of("SECRET", "PASSW", "PASSPHRASE", "PWD", "TOKEN", "KEY",
            "CREDENTIAL", "PRIVATE", "AUTH", "COOKIE", "SIGNATURE");
    /** Whole words of a name (split at {@code _ - . /}, spaces and lower-to-upper case changes). */
    private static final Set<String> SECRET_WORDS = Set.of("PASS", "PW", "PIN", "DSN", "SALT", "CREDS", "OTP");
    private static final Pattern WORD_BREAK = Pattern.compile("[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])");
    /** {@code scheme://user:password@host}: the password part. */
    private static final Pattern URL_PASSWORD = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^/\\s:@]*:)([^@\\s/]+)(@)");
    private static final List<String> SECURE_REFERENCES = List.of("{{resolve:secretsmanager:", "{{resolve:ssm-secure:");

    private Secrets() {
    }

    /** Whether a variable or parameter name looks like it holds a secret (see the pattern set above). */
    static boolean secretName(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        for (String part : SECRET_PARTS) {
            if (n.contains(part)) {
                return true;
            }
        }
        for (String word : WORD_BREAK.split(name)) {
            if (SECRET_WORDS.contains(word.toUpperCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a text holds a dynamic reference to a secure value, which only CloudFormation resolves. */
    static boolean secureReference(String text) {
        for (String r : SECURE_REFERENCES) {
            if (text.contains(r)) {
                return true;
            }
        }
        return false;
    }

    /** A literal value for display: {@code ****} when it is or holds a secure reference; a URL's password masked. */
    static String maskValue(String value) {
        if (value == null) {
            return null;
        }
        if (secureReference(value)) {
            return MASK;
        }
        Matcher m = URL_PASSWORD.matcher(value);
        return m.find() ? m.replaceAll("$1" + Matcher.quoteReplacement(MASK) + "$3") : value;
    }

    static Set<String> noEchoParameters(ObjectNode template) {
        Set<String> out = new HashSet<>();
        if (template == null) {
            return out;
        }
        Json.objectOrEmpty(template.get("Parameters")).fields().forEachRemaining(e -> {
            JsonNode ne = e.getValue().get("NoEcho");
            if (ne != null && (ne.asBoolean(false) || ne.asText("").equalsIgnoreCase("true"))) {
                out.add(e.getKey());
            }
        });
        return out;
    }

    /**
     * Masks a template property value for display: a value that refers to a NoEcho parameter ({@code Ref},
     * {@code Fn::Sub}) or holds a secure dynamic reference becomes {@code ****}; environment variables also by
     * name; URL passwords are masked in place.
     */
    static JsonNode mask(String property, JsonNode value, Set<String> noEcho) {
        if (value == null) {
            return null;
        }
        if (property.equals("Environment") && value.isObject()) {
            ObjectNode copy = value.deepCopy();
            JsonNode vars = copy.get("Variables");
            if (vars != null && vars.isObject()) {
                ObjectNode v = (ObjectNode) vars;
                for (String k : iterable(v)) {
                    v.set(k, secretName(k) ? TextNode.valueOf(MASK) : maskNode(v.get(k), noEcho));
                }
            }
            return copy;
        }
        return maskNode(value, noEcho);
    }

    private static JsonNode maskNode(JsonNode value, Set<String> noEcho) {
        if (refersTo(value, noEcho) || holdsSecureReference(value)) {
            return TextNode.valueOf(MASK);
        }
        if (value.isTextual()) {
            String masked = maskValue(value.asText());
            return masked.equals(value.asText()) ? value : TextNode.valueOf(masked);
        }
        return value;
    }

    /** An environment to display: secret names and secret values masked. */
    static Map<String, String> maskEnvironment(Map<String, String> vars) {
        Map<String, String> out = new java.util.TreeMap<>();
        vars.forEach((k, v) -> out.put(k, secretName(k) ? MASK : maskValue(v)));
        return out;
    }

    /** A parameter value passed to a change set, to display. */
    static String maskParameterValue(String name, String value, Set<String> noEcho) {
        return noEcho.contains(name) || secretName(name) ? MASK : maskValue(value);
    }

    static JsonNode maskParameter(JsonNode definition) {
        if (definition == null || !definition.isObject() || !definition.has("Default")) {
            return definition;
        }
        ObjectNode copy = definition.deepCopy();
        copy.put("Default", MASK);
        return copy;
    }

    private static boolean holdsSecureReference(JsonNode value) {
        if (value == null) {
            return false;
        }
        if (value.isTextual()) {
            return secureReference(value.asText());
        }
        for (JsonNode child : value) {
            if (holdsSecureReference(child)) {
                return true;
            }
        }
        return false;
    }

    private static boolean refersTo(JsonNode value, Set<String> noEcho) {
        if (value == null || noEcho.isEmpty()) {
            return false;
        }
        if (value.isObject() && value.has("Ref") && value.get("Ref").isTextual()) {
            return noEcho.contains(value.get("Ref").asText());
        }
        if (value.isObject() && value.has("Fn::Sub")) {
            JsonNode sub = value.get("Fn::Sub");
            String text = sub.isArray() ? sub.path(0).asText("") : sub.asText("");
            for (String p : noEcho) {
                if (text.contains("${" + p + "}")) {
                    return true;
                }
            }
        }
        for (JsonNode child : value) {
            if (refersTo(child, noEcho)) {
                return true;
            }
        }
        return false;
    }

    private static Iterable<String> iterable(ObjectNode node) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
