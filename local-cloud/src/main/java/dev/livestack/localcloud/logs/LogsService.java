package dev.livestack.localcloud.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.AwsRequest;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.JsonService;
import dev.livestack.localcloud.core.ValidationErrors;
import dev.livestack.localcloud.core.ports.LogSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * CloudWatch Logs over awsJson1_1 ({@code X-Amz-Target: Logs_20140328.<Op>}): log groups, streams,
 * PutLogEvents, GetLogEvents, FilterLogEvents and StartLiveTail (an event stream), plus the
 * {@code AWS::Logs::LogGroup} resource for CloudFormation.
 */
public final class LogsService extends JsonService implements AutoCloseable {
    static final Pattern GROUP_NAME = Pattern.compile("[.\\-_/#A-Za-z0-9]{1,512}");

    private final CloudContext context;
    private final LogsStore store;
    private final LiveTail liveTail;
    private final LogGroupTags tags;

    public LogsService(CloudContext context, LogsStore store) {
        this.context = context;
        this.store = store;
        this.liveTail = new LiveTail(store, context.account());
        this.tags = new LogGroupTags(context, store);
        context.register(new LogGroupResource(store));
    }

    @Override
    public String signingName() {
        return "logs";
    }

    @Override
    public void reset() {
        store.reset();
    }

    @Override
    public void close() {
        liveTail.close();
    }

    @Override
    protected String targetPrefix() {
        return "Logs_20140328.";
    }

    @Override
    protected boolean errorTypeHeader() {
        return false;
    }

    @Override
    public ObjectNode call(String op, JsonNode in, AwsRequest request) throws IOException {
        return switch (op) {
            case "StartLiveTail" -> {
                liveTail.start(request, in);
                yield null;
            }
            case "CreateLogGroup" -> createLogGroup(in);
            case "DeleteLogGroup" -> deleteLogGroup(in);
            case "DescribeLogGroups" -> describeLogGroups(in);
            case "PutRetentionPolicy" -> putRetention(in);
            case "DeleteRetentionPolicy" -> deleteRetention(in);
            case "CreateLogStream" -> createLogStream(in);
            case "DescribeLogStreams" -> describeLogStreams(in);
            case "DeleteLogStream" -> deleteLogStream(in);
            case "PutLogEvents" -> putLogEvents(in);
            case "GetLogEvents" -> getLogEvents(in);
            case "FilterLogEvents" -> filterLogEvents(in);
            default -> LogGroupTags.handles(op) ? tags.call(op, in) : unknown();
        };
    }

    // ---- groups and streams -------------------------------------------------------------------

    private static ObjectNode unknown() {
        throw new AwsException(400, "UnknownOperationException", null);
    }

    static AwsException groupNotFound() {
        return new AwsException(400, "ResourceNotFoundException", "The specified log group does not exist.");
    }

    static AwsException invalidParameter(String message) {
        return new AwsException(400, "InvalidParameterException", message);
    }

    private static String requiredText(JsonNode in, String field) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull() || v.asText().isEmpty()) {
            throw new AwsException(400, "ValidationException",
                    ValidationErrors.missing(field));
        }
        return v.asText();
    }

    private static String validGroupName(String name) {
        if (name.length() > 512) {
            throw invalidParameter("Invalid LogGroup or LogStream, both must have length less than or equal to 512.");
        }
        if (!GROUP_NAME.matcher(name).matches()) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected("Value '" + name
                    + "' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+"));
        }
        return name;
    }

    /** The group named by {@code logGroupName} or {@code logGroupIdentifier} (a name or an ARN). */
    private String group(JsonNode in, boolean mustExist) {
        String name = text(in, "logGroupName");
        String identifier = text(in, "logGroupIdentifier");
        if (name != null && identifier != null) {
            throw new AwsException(400, "ValidationException", "LogGroup name and LogGroup ARN are mutually exclusive parameters.");
        }
        if (name == null && identifier == null) {
            throw invalidParameter("Either LogGroup name or LogGroup ARN must be specified.");
        }
        String group = name != null ? name : groupFromIdentifier(identifier);
        if (mustExist && !store.hasGroup(group)) {
            throw groupNotFound();
        }
        return group;
    }

    static String groupFromIdentifier(String identifier) {
        String id = identifier;
        int marker = id.indexOf(":log-group:");
        if (id.startsWith("arn:") && marker > 0) {
            id = id.substring(marker + ":log-group:".length());
            if (id.endsWith(":*")) {
                id = id.substring(0, id.length() - 2);
            }
        }
        return id;
    }

    private ObjectNode createLogGroup(JsonNode in) {
        String name = validGroupName(requiredText(in, "logGroupName"));
        if (!store.createGroup(name, null)) {
            throw new AwsException(400, "ResourceAlreadyExistsException", "The specified log group already exists");
        }
        tags.created(name, in.get("tags"));
        return Http.JSON.createObjectNode();
    }

    private ObjectNode deleteLogGroup(JsonNode in) {
        String name = requiredText(in, "logGroupName");
        if (!store.deleteGroup(name)) {
            throw groupNotFound();
        }
        tags.deleted(name);
        return Http.JSON.createObjectNode();
    }

    private ObjectNode putRetention(JsonNode in) {
        String name = requiredText(in, "logGroupName");
        if (!store.hasGroup(name)) {
            throw groupNotFound();
        }
        int days = in.path("retentionInDays").asInt(0);
        if (!Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653).contains(days)) {
            throw invalidParameter(ValidationErrors.detected("Value '" + days
                    + "' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set"));
        }
        store.retention(name, days);
        return Http.JSON.createObjectNode();
    }

    private ObjectNode deleteRetention(JsonNode in) {
        String name = requiredText(in, "logGroupName");
        if (!store.hasGroup(name)) {
            throw groupNotFound();
        }
        store.retention(name, null);
        return Http.JSON.createObjectNode();
    }

    private ObjectNode describeLogGroups(JsonNode in) {
        String prefix = text(in, "logGroupNamePrefix");
        String pattern = text(in, "logGroupNamePattern");
        if (prefix != null && pattern != null) {
            throw invalidParameter("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
        }
        int limit = limit(in, 50, 50);
        List<ObjectNode> all = new ArrayList<>();
        for (ObjectNode g : store.describeGroups()) {
            String name = g.get("logGroupName").asText();
            if ((prefix == null || name.startsWith(prefix))
                    && (pattern == null || name.toLowerCase().contains(pattern.toLowerCase()))) {
                all.add(g);
            }
        }
        return page(all, in, limit, "logGroups", n -> n.get("logGroupName").asText());
    }

    private ObjectNode createLogStream(JsonNode in) {
        String group = requiredText(in, "logGroupName");
        String stream = requiredText(in, "logStreamName");
        if (stream.contains(":") || stream.contains("*")) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected("Value '" + stream
                    + "' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*"));
        }
        if (!store.hasGroup(group)) {
            throw groupNotFound();
        }
        if (!store.createStream(group, stream)) {
            throw new AwsException(400, "ResourceAlreadyExistsException", "The specified log stream already exists");
        }
        return Http.JSON.createObjectNode();
    }

    private ObjectNode deleteLogStream(JsonNode in) {
        String group = requiredText(in, "logGroupName");
        String stream = requiredText(in, "logStreamName");
        if (!store.hasGroup(group)) {
            throw groupNotFound();
        }
        if (!store.deleteStream(group, stream)) {
            throw new AwsException(400, "ResourceNotFoundException", "The specified log stream does not exist.");
        }
        return Http.JSON.createObjectNode();
    }

    private ObjectNode describeLogStreams(JsonNode in) {
        String group = group(in, true);
        String prefix = text(in, "logStreamNamePrefix");
        String orderBy = in.path("orderBy").asText("LogStreamName");
        boolean descending = in.path("descending").asBoolean(false);
        if (!orderBy.equals("LogStreamName") && !orderBy.equals("LastEventTime")) {
            throw invalidParameter(ValidationErrors.detected("Value '" + orderBy
                    + "' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]"));
        }
        if (prefix != null && orderBy.equals("LastEventTime")) {
            throw invalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
        }
        List<ObjectNode> all = new ArrayList<>();
        for (ObjectNode s : store.describeStreams(group)) {
            if (prefix == null || s.get("logStreamName").asText().startsWith(prefix)) {
                all.add(s);
            }
        }
        Comparator<ObjectNode> order = orderBy.equals("LastEventTime")
                ? Comparator.comparingLong((ObjectNode n) -> n.path("lastEventTimestamp").asLong(n.get("creationTime").asLong()))
                : Comparator.comparing((ObjectNode n) -> n.get("logStreamName").asText());
        all.sort(descending ? order.reversed() : order);
        return page(all, in, limit(in, 50, 50), "logStreams", n -> n.get("logStreamName").asText());
    }

    /** Index-based paging for the describe calls; the token is the index of the next item. */
    private static ObjectNode page(List<ObjectNode> all, JsonNode in, int limit, String field,
                                   java.util.function.Function<ObjectNode, String> key) {
        int start = 0;
        String token = text(in, "nextToken");
        if (token != null) {
            try {
                start = Integer.parseInt(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw invalidParameter("The specified nextToken is invalid.");
            }
        }
        ObjectNode out = Http.JSON.createObjectNode();
        ArrayNode items = out.putArray(field);
        int end = Math.min(all.size(), start + limit);
        for (int i = start; i < end; i++) {
            items.add(all.get(i));
        }
        if (end < all.size()) {
            out.put("nextToken", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(Integer.toString(end).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static int limit(JsonNode in, int dflt, int max) {
        int limit = in.has("limit") && !in.get("limit").isNull() ? in.get("limit").asInt() : dflt;
        if (limit < 1 || limit > max) {
            // AWS words both as validation errors; over the maximum it answers InvalidParameterException
            throw new AwsException(400, limit > max ? "InvalidParameterException" : "ValidationException",
                    ValidationErrors.detected("Value '" + limit + "' at 'limit' failed to satisfy constraint: Member must have value "
                    + (limit > max ? "less than or equal to " + max : "greater than or equal to 1")));
        }
        return limit;
    }

    // ---- events -------------------------------------------------------------------------------

    private ObjectNode putLogEvents(JsonNode in) {
        String group = requiredText(in, "logGroupName");
        String stream = requiredText(in, "logStreamName");
        JsonNode events = in.get("logEvents");
        if (events == null || !events.isArray() || events.isEmpty()) {
            throw new AwsException(400, "ValidationException",
                    ValidationErrors.detected("Value '[]' at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1"));
        }
        if (!store.hasGroup(group)) {
            throw groupNotFound();
        }
        if (!store.hasStream(group, stream)) {
            throw new AwsException(400, "ResourceNotFoundException", "The specified log stream does not exist.");
        }
        List<LogSink.Line> lines = new ArrayList<>();
        long previous = Long.MIN_VALUE;
        long now = System.currentTimeMillis();
        int tooOld = -1;
        int tooNew = -1;
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = events.get(i);
            long ts = e.path("timestamp").asLong();
            if (ts < previous) {
                throw invalidParameter("Log events in a single PutLogEvents request must be in chronological order.");
            }
            previous = ts;
            // AWS rejects events older than 14 days or more than 2 hours in the future, and says which
            if (ts < now - 14L * 24 * 3600 * 1000) {
                tooOld = i;
                continue;
            }
            if (ts > now + 2L * 3600 * 1000) {
                if (tooNew < 0) {
                    tooNew = i;
                }
                continue;
            }
            lines.add(new LogSink.Line(ts, e.path("message").asText()));
        }
        if (!lines.isEmpty()) {
            store.append(group, stream, lines, false);
        }
        ObjectNode out = Http.JSON.createObjectNode();
        out.put("nextSequenceToken", Long.toString(System.nanoTime()));
        if (tooOld >= 0 || tooNew >= 0) {
            ObjectNode rejected = out.putObject("rejectedLogEventsInfo");
            if (tooOld >= 0) {
                rejected.put("tooOldLogEventEndIndex", tooOld + 1);
            }
            if (tooNew >= 0) {
                rejected.put("tooNewLogEventStartIndex", tooNew);
            }
        }
        return out;
    }

    private ObjectNode getLogEvents(JsonNode in) {
        String group = group(in, true);
        String stream = requiredText(in, "logStreamName");
        if (!store.hasStream(group, stream)) {
            throw new AwsException(400, "ResourceNotFoundException", "The specified log stream does not exist.");
        }
        Long start = in.hasNonNull("startTime") ? in.get("startTime").asLong() : null;
        Long end = in.hasNonNull("endTime") ? in.get("endTime").asLong() : null;
        int limit = limit(in, 10000, 10000);
        List<LogsStore.Event> all = new ArrayList<>();
        for (LogsStore.Event e : store.streamEvents(group, stream)) {
            // GetLogEvents: startTime inclusive, endTime exclusive
            if ((start == null || e.timestamp() >= start) && (end == null || e.timestamp() < end)) {
                all.add(e);
            }
        }
        all.sort(Comparator.comparingLong(LogsStore.Event::timestamp).thenComparingLong(LogsStore.Event::seq));
        String token = text(in, "nextToken");
        boolean fromHead = in.path("startFromHead").asBoolean(false);
        int from;
        int to;
        if (token != null) {
            int pos = parseStreamToken(token);
            if (token.startsWith("f/")) {
                from = Math.min(pos, all.size());
                to = Math.min(all.size(), from + limit);
            } else {
                to = Math.min(pos, all.size());
                from = Math.max(0, to - limit);
            }
        } else if (fromHead) {
            from = 0;
            to = Math.min(all.size(), limit);
        } else {
            to = all.size();
            from = Math.max(0, to - limit);
        }
        ObjectNode out = Http.JSON.createObjectNode();
        ArrayNode events = out.putArray("events");
        for (LogsStore.Event e : all.subList(from, to)) {
            ObjectNode n = events.addObject();
            n.put("timestamp", e.timestamp());
            n.put("message", e.message());
            n.put("ingestionTime", e.ingestionTime());
        }
        out.put("nextForwardToken", String.format("f/%056d", to));
        out.put("nextBackwardToken", String.format("b/%056d", from));
        return out;
    }

    private static int parseStreamToken(String token) {
        if (token.length() < 3 || !(token.startsWith("f/") || token.startsWith("b/"))) {
            throw invalidParameter("The specified nextToken is invalid.");
        }
        try {
            return Integer.parseInt(token.substring(2).replaceFirst("^0+(?=.)", ""));
        } catch (NumberFormatException e) {
            throw invalidParameter("The specified nextToken is invalid.");
        }
    }

    /** The 56-digit event id: timestamp then the group's arrival sequence, so it is unique and stable. */
    static String eventId(LogsStore.Event e) {
        return String.format("%020d%036d", e.timestamp(), e.seq());
    }

    private ObjectNode filterLogEvents(JsonNode in) {
        String group = group(in, true);
        Set<String> names = null;
        if (in.has("logStreamNames") && in.get("logStreamNames").isArray()) {
            names = new HashSet<>();
            for (JsonNode n : in.get("logStreamNames")) {
                names.add(n.asText());
            }
        }
        String prefix = text(in, "logStreamNamePrefix");
        if (names != null && prefix != null) {
            throw invalidParameter("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
        }
        Long start = in.hasNonNull("startTime") ? in.get("startTime").asLong() : null;
        Long end = in.hasNonNull("endTime") ? in.get("endTime").asLong() : null;
        int limit = limit(in, 10000, 10000);
        LogsFilterPattern pattern = LogsFilterPattern.compile(text(in, "filterPattern"));
        long afterTs = Long.MIN_VALUE;
        long afterSeq = Long.MIN_VALUE;
        String token = text(in, "nextToken");
        if (token != null) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":");
                afterTs = Long.parseLong(parts[0]);
                afterSeq = Long.parseLong(parts[1]);
            } catch (RuntimeException e) {
                throw invalidParameter("The specified nextToken is invalid.");
            }
        }
        Set<String> streamNames = names;
        Predicate<String> streams = s -> (streamNames == null || streamNames.contains(s)) && (prefix == null || s.startsWith(prefix));
        List<LogsStore.Located> all = store.events(group, streams);
        ObjectNode out = Http.JSON.createObjectNode();
        ArrayNode events = out.putArray("events");
        LogsStore.Located last = null;
        boolean more = false;
        for (LogsStore.Located l : all) {
            LogsStore.Event e = l.event();
            if ((start != null && e.timestamp() < start) || (end != null && e.timestamp() > end)) {
                continue;
            }
            if (e.timestamp() < afterTs || (e.timestamp() == afterTs && e.seq() <= afterSeq)) {
                continue;
            }
            if (!pattern.matches(e.message())) {
                continue;
            }
            if (events.size() == limit) {
                more = true;
                break;
            }
            ObjectNode n = events.addObject();
            n.put("logStreamName", l.stream());
            n.put("timestamp", e.timestamp());
            n.put("message", e.message());
            n.put("ingestionTime", e.ingestionTime());
            n.put("eventId", eventId(e));
            last = l;
        }
        ArrayNode searched = out.putArray("searchedLogStreams");
        for (String s : store.streamNames(group)) {
            if (streams.test(s)) {
                searched.addObject().put("logStreamName", s).put("searchedCompletely", !more);
            }
        }
        if (more) {
            out.put("nextToken", Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (last.event().timestamp() + ":" + last.event().seq()).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }
}
