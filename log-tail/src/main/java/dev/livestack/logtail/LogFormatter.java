package dev.livestack.logtail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns log lines into text for a terminal or a pipe; the caller prints.
 *
 * <p>Each line is {@code <function> <local time> <message>}, the function name in its own colour. Lambda's
 * own lines are condensed: START and END are not shown on their own; the REPORT line becomes one request
 * line with the request id, version, duration, billed duration, memory used / size and, on a cold start, the
 * init duration. The runtimes' prefixes (timestamp, request id, INFO) are dropped, other levels kept. ERROR
 * lines, stack traces and {@code Task timed out} stand out. JSON messages are printed compact, or pretty.
 * Nothing is cut: a message of many lines gives many lines.
 *
 * <p>Keeps a little state per log stream (the request in flight), so one formatter serves one output.
 * Thread-safe.
 */
public final class LogFormatter {
    private static final String RESET = "\u001b[0m";
    private static final String DIM = "\u001b[2m";
    private static final String RED = "\u001b[31m";
    private static final String BOLD_RED = "\u001b[1;31m";
    private static final String YELLOW = "\u001b[33m";
    private static final String BOLD = "\u001b[1m";
    private static final String[] PALETTE = {"\u001b[36m", "\u001b[35m", "\u001b[32m", "\u001b[34m", "\u001b[33m",
        "\u001b[96m", "\u001b[95m", "\u001b[92m", "\u001b[94m", "\u001b[93m"};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Pattern START = Pattern.compile("^START RequestId: (\\S+)(?: Version: (\\S+))?.*", Pattern.DOTALL);
    private static final Pattern END = Pattern.compile("^END RequestId: (\\S+).*", Pattern.DOTALL);
    private static final Pattern REPORT = Pattern.compile("^REPORT RequestId: (\\S+)(.*)", Pattern.DOTALL);
    private static final Pattern FIELD = Pattern.compile("(Duration|Billed Duration|Memory Size|Max Memory Used|Init Duration|Restore Duration|Status|Error Type): ([^\\t\\n]+)");
    /** Node.js: {@code <ISO time>\t<request id>\t<LEVEL>\t<message>}. */
    private static final Pattern NODE = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t(\\S+)\\t([A-Z]+)\\t(.*)", Pattern.DOTALL);
    /** Python's logging in Lambda: {@code [LEVEL]\t<ISO time>\t<request id>\t<message>}. */
    private static final Pattern PYTHON = Pattern.compile("^\\[([A-Z]+)]\\t\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t(\\S+)\\t(.*)", Pattern.DOTALL);
    /** Lambda's own timeout line: {@code <ISO time> <request id> Task timed out after N seconds}. */
    private static final Pattern TIMED_OUT = Pattern.compile("^(?:\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\s+\\S+\\s+)?(Task timed out after .*)", Pattern.DOTALL);
    /** Lambda's other platform lines: shown, but dim, so the function's own output stands out. */
    private static final Pattern PLATFORM = Pattern.compile("^(INIT_START|INIT_REPORT|EXTENSION|TELEMETRY|RESTORE_START|RESTORE_REPORT|LAMBDA_WARNING)\\b.*", Pattern.DOTALL);
    private static final Pattern TRACE = Pattern.compile("^(\\s+at .*|\\s+File \".*|Traceback \\(most recent call last\\):.*|"
            + "[A-Za-z_.$]*(Error|Exception)(: .*)?|\\s+\\^+\\s*|\\[ERROR].*)$");

    private final Map<String, String> labels;
    private final boolean ansi;
    private final boolean jsonPretty;
    private final ZoneId zone;
    private final int labelWidth;
    private final Map<String, String> colours = new HashMap<>();
    /** Per log stream: the version of the request that started there, by request id. */
    private final Map<String, Map<String, String>> versions = new HashMap<>();

    /**
     * @param labels the name to show for each log group (e.g. the function's construct name); groups not
     *               listed show their name without {@code /aws/lambda/}
     * @param ansi whether to colour (off for pipes, CI and {@code NO_COLOR})
     * @param jsonPretty whether JSON messages are printed indented over several lines
     * @param zone the zone times are shown in
     */
    public LogFormatter(Map<String, String> labels, boolean ansi, boolean jsonPretty, ZoneId zone) {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(zone, "zone");
        this.labels = new LinkedHashMap<>(labels);
        this.ansi = ansi;
        this.jsonPretty = jsonPretty;
        this.zone = zone;
        int width = 0;
        int i = 0;
        for (String label : this.labels.values()) {
            width = Math.max(width, label.length());
            if (!colours.containsKey(label)) {
                colours.put(label, PALETTE[i++ % PALETTE.length]);
            }
        }
        this.labelWidth = width;
    }

    /** A formatter labelling each action's log group with {@link Action#label()}, in the system zone. */
    public static LogFormatter forActions(List<Action> actions, boolean ansi, boolean jsonPretty) {
        Map<String, String> labels = new LinkedHashMap<>();
        // A log group resource that a function writes to is shown under the function's name.
        for (Action a : actions) {
            if (!a.logGroup().equals(a.physicalName())) {
                labels.putIfAbsent(a.logGroup(), a.label());
            }
        }
        for (Action a : actions) {
            labels.putIfAbsent(a.logGroup(), a.label());
        }
        return new LogFormatter(labels, ansi, jsonPretty, ZoneId.systemDefault());
    }

    /**
     * The text lines for one log line: none for START and END, one or more otherwise.
     */
    public synchronized List<String> format(LogLine line) {
        Objects.requireNonNull(line, "line");
        String message = stripNewline(line.message());
        String streamKey = line.logGroup() + '\u0000' + line.logStream();
        Matcher m = START.matcher(message);
        if (m.matches()) {
            versions.computeIfAbsent(streamKey, k -> new HashMap<>()).put(m.group(1), m.group(2));
            return List.of();
        }
        if (END.matcher(message).matches()) {
            return List.of();
        }
        m = REPORT.matcher(message);
        if (m.matches()) {
            Map<String, String> v = versions.get(streamKey);
            String version = v == null ? null : v.remove(m.group(1));
            return List.of(prefix(line) + report(m.group(1), version, m.group(2)));
        }
        if (PLATFORM.matcher(message).matches()) {
            return body(line, paintLines(DIM, message), false);
        }
        List<String> structured = structured(line, streamKey, message);
        if (structured != null) {
            return structured;
        }
        m = TIMED_OUT.matcher(message);
        if (m.matches()) {
            return body(line, paint(BOLD_RED, m.group(1)), false);
        }
        String level = null;
        m = NODE.matcher(message);
        if (m.matches()) {
            level = m.group(2);
            message = m.group(3);
        } else {
            m = PYTHON.matcher(message);
            if (m.matches()) {
                level = m.group(1);
                message = m.group(3);
            }
        }
        boolean error = level != null && (level.equals("ERROR") || level.equals("FATAL") || level.equals("CRITICAL"));
        String text = json(message);
        if (level != null && !level.equals("INFO")) {
            text = level + " " + text;
        }
        if (error) {
            return body(line, paintLines(RED, text), false);
        }
        if ("WARN".equals(level) || "WARNING".equals(level)) {
            return body(line, paintLines(YELLOW, text), false);
        }
        return body(line, text, true);
    }

    /**
     * Lambda's JSON log format ({@code LoggingConfig.LogFormat: JSON}): platform records are condensed like
     * their text forms, application records show level and message. {@code null} when the message is not one.
     */
    private List<String> structured(LogLine line, String streamKey, String message) {
        String t = message.strip();
        if (!t.startsWith("{") || !t.endsWith("}") || !(t.contains("\"type\"") || t.contains("\"level\""))) {
            return null;
        }
        JsonNode node;
        try {
            node = JSON.readTree(t);
        } catch (JsonProcessingException e) {
            return null;
        }
        String type = node.path("type").asText("");
        JsonNode record = node.path("record");
        if (type.startsWith("platform.")) {
            String requestId = record.path("requestId").asText("");
            switch (type) {
                case "platform.start" -> {
                    versions.computeIfAbsent(streamKey, k -> new HashMap<>())
                            .put(requestId, record.path("version").asText(null));
                    return List.of();
                }
                case "platform.report" -> {
                    JsonNode metrics = record.path("metrics");
                    Map<String, String> f = new HashMap<>();
                    putMetric(f, "Duration", metrics, "durationMs", " ms");
                    putMetric(f, "Billed Duration", metrics, "billedDurationMs", " ms");
                    putMetric(f, "Memory Size", metrics, "memorySizeMB", " MB");
                    putMetric(f, "Max Memory Used", metrics, "maxMemoryUsedMB", " MB");
                    putMetric(f, "Init Duration", metrics, "initDurationMs", " ms");
                    String status = record.path("status").asText("success");
                    if (!status.equals("success")) {
                        f.put("Status", status);
                        if (record.hasNonNull("errorType")) {
                            f.put("Error Type", record.get("errorType").asText());
                        }
                    }
                    Map<String, String> v = versions.get(streamKey);
                    return List.of(prefix(line) + report(requestId, v == null ? null : v.remove(requestId), f));
                }
                case "platform.runtimeDone", "platform.initRuntimeDone", "platform.initReport", "platform.end" -> {
                    return List.of();
                }
                default -> {
                    return body(line, paint(DIM, type + " " + (record.isMissingNode() ? "" : compact(record))), false);
                }
            }
        }
        if (node.has("level") && node.has("message")) {
            String level = node.path("level").asText("INFO").toUpperCase(Locale.ROOT);
            JsonNode msg = node.get("message");
            String text = msg.isTextual() ? json(msg.asText()) : render(msg);
            if (!level.equals("INFO")) {
                text = level + " " + text;
            }
            if (level.equals("ERROR") || level.equals("FATAL") || level.equals("CRITICAL")) {
                return body(line, paintLines(RED, text), false);
            }
            if (level.equals("WARN") || level.equals("WARNING")) {
                return body(line, paintLines(YELLOW, text), false);
            }
            return body(line, text, true);
        }
        return null;
    }

    private static void putMetric(Map<String, String> f, String name, JsonNode metrics, String field, String unit) {
        JsonNode v = metrics.get(field);
        if (v != null && v.isNumber()) {
            String n = v.isIntegralNumber() ? v.asText() : String.format(Locale.ROOT, "%.2f", v.asDouble());
            f.put(name, n + unit);
        }
    }

    private String render(JsonNode node) {
        try {
            return jsonPretty ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) : JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return node.toString();
        }
    }

    private static String compact(JsonNode node) {
        return node.toString();
    }

    private String report(String requestId, String version, String rest) {
        Map<String, String> f = new HashMap<>();
        Matcher m = FIELD.matcher(rest);
        while (m.find()) {
            f.put(m.group(1), m.group(2).strip());
        }
        return report(requestId, version, f);
    }

    private String report(String requestId, String version, Map<String, String> f) {
        StringBuilder sb = new StringBuilder();
        sb.append(paint(BOLD, "\u25a0 " + shortId(requestId)));
        if (version != null) {
            sb.append(' ').append(version);
        }
        if (f.containsKey("Duration")) {
            sb.append("  ").append(f.get("Duration"));
            if (f.containsKey("Billed Duration")) {
                sb.append(" (billed ").append(f.get("Billed Duration")).append(')');
            }
        }
        if (f.containsKey("Max Memory Used") || f.containsKey("Memory Size")) {
            sb.append(" \u00b7 ").append(number(f.get("Max Memory Used"))).append('/')
                    .append(f.getOrDefault("Memory Size", "?"));
        }
        if (f.containsKey("Init Duration")) {
            sb.append(" \u00b7 ").append(paint(YELLOW, "cold start (init " + f.get("Init Duration") + ")"));
        }
        if (f.containsKey("Status")) {
            String status = f.get("Status") + (f.containsKey("Error Type") ? " (" + f.get("Error Type") + ")" : "");
            sb.append(" \u00b7 ").append(paint(BOLD_RED, status));
        }
        return sb.toString();
    }

    private static String number(String memory) {
        if (memory == null) {
            return "?";
        }
        return memory.endsWith(" MB") ? memory.substring(0, memory.length() - 3) : memory;
    }

    private static String shortId(String requestId) {
        return requestId.length() > 8 ? requestId.substring(0, 8) : requestId;
    }

    /** Prefix on the first line, an indent as wide on the others; trace lines in red. */
    private List<String> body(LogLine line, String text, boolean highlightTraces) {
        String prefix = prefix(line);
        String indent = " ".repeat(visibleLength(prefix));
        List<String> out = new ArrayList<>();
        String[] parts = text.split("\r?\n", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (highlightTraces && TRACE.matcher(part).matches()) {
                part = paint(RED, part);
            }
            out.add((i == 0 ? prefix : indent) + part);
        }
        return out;
    }

    private String prefix(LogLine line) {
        String label = labelOf(line.logGroup());
        String padded = label + " ".repeat(Math.max(0, labelWidth - label.length()));
        String time = TIME.format(line.timestamp().atZone(zone));
        return paint(colourOf(label), padded) + " " + paint(DIM, time) + " ";
    }

    private String labelOf(String group) {
        String label = labels.get(group);
        if (label != null) {
            return label;
        }
        return group.startsWith("/aws/lambda/") ? group.substring("/aws/lambda/".length()) : group;
    }

    private String colourOf(String label) {
        return colours.computeIfAbsent(label, l -> PALETTE[Math.floorMod(l.hashCode(), PALETTE.length)]);
    }

    private String json(String message) {
        String trimmed = message.strip();
        if (trimmed.isEmpty()) {
            return message;
        }
        int tab = trimmed.lastIndexOf('\t');
        String head = "";
        String candidate = trimmed;
        if (!(trimmed.startsWith("{") || trimmed.startsWith("[")) && tab >= 0) {
            // "Invoke Error \t{...}": Node's runtime writes a label, a tab, then the JSON.
            head = trimmed.substring(0, tab).strip() + " ";
            candidate = trimmed.substring(tab + 1).strip();
        }
        if (!(candidate.startsWith("{") && candidate.endsWith("}")) && !(candidate.startsWith("[") && candidate.endsWith("]"))) {
            return message;
        }
        try {
            JsonNode node = JSON.readTree(candidate);
            if (!jsonPretty) {
                String error = errorPayload(node);
                if (error != null) {
                    return head + error;
                }
            }
            String rendered = jsonPretty ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node)
                    : JSON.writeValueAsString(node);
            return head + rendered;
        } catch (JsonProcessingException e) {
            return message;
        }
    }

    /**
     * A runtime's error object ({@code errorType}, {@code errorMessage} and a {@code stack} / {@code stackTrace} /
     * {@code trace} array) as a trace reads: the error, then one frame per line. Every field is still shown.
     * {@code null} when the object is not one.
     */
    private static String errorPayload(JsonNode node) {
        if (!node.isObject() || !node.hasNonNull("errorMessage")) {
            return null;
        }
        JsonNode frames = null;
        String framesField = null;
        for (String f : new String[] {"stack", "stackTrace", "trace"}) {
            if (node.path(f).isArray()) {
                frames = node.get(f);
                framesField = f;
                break;
            }
        }
        if (frames == null) {
            return null;
        }
        String type = node.path("errorType").asText("Error");
        String msg = node.get("errorMessage").asText();
        StringBuilder sb = new StringBuilder(type).append(": ").append(msg);
        java.util.Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String k = e.getKey();
            if (!k.equals("errorType") && !k.equals("errorMessage") && !k.equals(framesField)) {
                sb.append(' ').append(k).append('=').append(e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
            }
        }
        boolean first = true;
        for (JsonNode frame : frames) {
            String text = frame.isTextual() ? frame.asText() : frame.toString();
            // Node repeats "Error: message" as the first frame; it is already on the first line.
            if (first && text.equals(type + ": " + msg)) {
                first = false;
                continue;
            }
            first = false;
            for (String part : text.split("\r?\n")) {
                sb.append('\n').append(part.startsWith(" ") ? part : "    " + part);
            }
        }
        return sb.toString();
    }

    private String paint(String colour, String text) {
        return ansi ? colour + text + RESET : text;
    }

    private String paintLines(String colour, String text) {
        if (!ansi) {
            return text;
        }
        StringBuilder sb = new StringBuilder();
        String[] parts = text.split("\r?\n", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                sb.append('\n');
            }
            sb.append(colour).append(parts[i]).append(RESET);
        }
        return sb.toString();
    }

    private static String stripNewline(String message) {
        int end = message.length();
        while (end > 0 && (message.charAt(end - 1) == '\n' || message.charAt(end - 1) == '\r')) {
            end--;
        }
        return message.substring(0, end);
    }

    static int visibleLength(String s) {
        return s.replaceAll("\u001b\\[[0-9;]*m", "").length();
    }
}
