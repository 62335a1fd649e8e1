package dev.livestack.localcloud.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.AwsRequest;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.JsonService;
import dev.livestack.localcloud.core.StateStore;
import dev.livestack.localcloud.core.ValidationErrors;
import dev.livestack.localcloud.core.ports.FunctionInvoker;
import dev.livestack.localcloud.core.ports.MessageQueues;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * EventBridge (awsJson1_1, {@code AWSEvents.*}): rules with an event pattern or a schedule on an event bus, their
 * targets, and PutEvents. Matching events and due schedules go to Lambda targets through {@link FunctionInvoker},
 * asynchronously as EventBridge delivers. Schedules run on a clock the test controls can move forward
 * ({@code /_localcloud/events/clock}), so a test of a {@code rate(5 minutes)} rule need not wait five minutes.
 * Rules and targets persist in the state folder.
 */
public final class EventsService extends JsonService implements AutoCloseable {
    static final String NAME_PATTERN = "[\\.\\-_A-Za-z0-9]+";
    private static final int MAX_TARGETS = 5;

    private final CloudContext context;
    private final FunctionInvoker functions;
    private final Path file;
    /** Rules by {@code bus/name}; each holds its targets under {@code Targets}. */
    private final Map<String, ObjectNode> rules = new TreeMap<>();
    /** When each scheduled rule falls due next, by {@code bus/name}. */
    private final Map<String, Instant> due = new HashMap<>();
    private final Map<String, Schedule> schedules = new HashMap<>();
    private volatile Duration clockOffset = Duration.ZERO;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "events-schedule"));
    private final TargetDelivery targets;

    public EventsService(CloudContext context, FunctionInvoker functions) {
        this(context, functions, null);
    }

    /** With {@code queues}, SQS queue targets are delivered too (null: Lambda targets only). */
    public EventsService(CloudContext context, FunctionInvoker functions, MessageQueues queues) {
        this.context = context;
        this.functions = functions;
        this.targets = new TargetDelivery(functions, queues);
        this.file = context.store().folder("events").resolve("rules.json");
        Map<String, ObjectNode> saved = context.store().load(file, StateStore::objectsByKey);
        if (saved != null) {
            rules.putAll(saved);
        }
        context.register(new EventsRuleProvider(this));
        ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public String signingName() {
        return "events";
    }

    @Override
    protected String targetPrefix() {
        return "AWSEvents.";
    }

    @Override
    public synchronized void reset() {
        rules.clear();
        due.clear();
        schedules.clear();
        clockOffset = Duration.ZERO;
        save();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        targets.close();
    }

    @Override
    public synchronized ObjectNode call(String operation, JsonNode input, AwsRequest request) {
        ObjectNode out = Http.JSON.createObjectNode();
        switch (operation) {
            case "PutRule" -> out.put("RuleArn", putRule(input).get("Arn").asText());
            case "DescribeRule" -> out.setAll(view(rule(bus(input), required(input, "Name"))));
            case "DeleteRule" -> deleteRule(bus(input), required(input, "Name"));
            case "EnableRule", "DisableRule" -> setState(bus(input), required(input, "Name"),
                    operation.equals("EnableRule") ? "ENABLED" : "DISABLED");
            case "ListRules" -> listRules(input, out);
            case "PutTargets" -> putTargets(bus(input), required(input, "Rule"), input.path("Targets"), out);
            case "RemoveTargets" -> removeTargets(bus(input), required(input, "Rule"), input.path("Ids"), out);
            case "ListTargetsByRule" -> EventEntries.targetsPage(rule(bus(input), required(input, "Rule")).path("Targets"), input, out);
            case "PutEvents" -> putEvents(input.path("Entries"), out);
            case "ListEventBuses" -> out.putArray("EventBuses").addObject().put("Name", "default")
                    .put("Arn", context.arn("events", "event-bus/default"));
            default -> throw new AwsException(400, "UnknownOperationException", null);
        }
        return out;
    }

    // ---- rules --------------------------------------------------------------------------------

    /** Creates or updates a rule (PutRule and the CloudFormation provider); returns the stored rule. */
    synchronized ObjectNode putRule(JsonNode input) {
        String name = required(input, "Name");
        if (!name.matches(NAME_PATTERN) || name.length() > 64) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected(ValidationErrors.failure(name, "name",
                    name.length() > 64 ? "Member must have length less than or equal to 64"
                            : "Member must satisfy regular expression pattern: " + NAME_PATTERN)));
        }
        String bus = bus(input);
        String schedule = text(input, "ScheduleExpression");
        String pattern = text(input, "EventPattern");
        if (schedule == null && pattern == null) {
            throw new AwsException(400, "ValidationException", "Parameter(s) EventPattern or ScheduleExpression must be specified.");
        }
        if (schedule != null) {
            if (!bus.equals("default")) {
                throw new AwsException(400, "ValidationException", "ScheduleExpression is supported only on the default event bus.");
            }
            if (Schedule.parse(schedule) == null) {
                throw new AwsException(400, "ValidationException", Schedule.INVALID);
            }
        }
        if (pattern != null) {
            String why;
            try {
                why = EventPatterns.invalid(Http.JSON.readTree(pattern));
            } catch (IOException e) {
                why = e.getMessage();
            }
            if (why != null) {
                throw new AwsException(400, "InvalidEventPatternException", "Event pattern is not valid. Reason: " + why);
            }
        }
        String state = input.path("State").asText("ENABLED");
        if (!state.equals("ENABLED") && !state.equals("DISABLED")) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected(ValidationErrors.failure(state, "state",
                    "Member must satisfy enum value set: [ENABLED, DISABLED]")));
        }
        String key = bus + "/" + name;
        ObjectNode old = rules.get(key);
        ObjectNode r = Http.JSON.createObjectNode();
        r.put("Name", name);
        r.put("Arn", context.arn("events", "rule/" + (bus.equals("default") ? "" : bus + "/") + name));
        if (pattern != null) {
            r.put("EventPattern", pattern);
        }
        if (schedule != null) {
            r.put("ScheduleExpression", schedule);
        }
        r.put("State", state);
        if (text(input, "Description") != null) {
            r.put("Description", text(input, "Description"));
        }
        if (text(input, "RoleArn") != null) {
            r.put("RoleArn", text(input, "RoleArn"));
        }
        r.put("EventBusName", bus);
        r.put("CreatedBy", context.account());
        r.set("Targets", old == null ? Http.JSON.createArrayNode() : old.path("Targets").deepCopy());
        // a rate schedule counts from when its rule was made (or its expression last changed)
        boolean sameSchedule = old != null && schedule != null && schedule.equals(old.path("ScheduleExpression").asText(null));
        r.put("_since", sameSchedule ? old.path("_since").asLong() : now().toEpochMilli());
        rules.put(key, r);
        due.remove(key);
        schedules.remove(key);
        arm(key, r);
        save();
        return r;
    }

    private ObjectNode rule(String bus, String name) {
        ObjectNode r = rules.get(bus + "/" + name);
        if (r == null) {
            throw new AwsException(400, "ResourceNotFoundException", "Rule " + name + " does not exist on EventBus " + bus + ".");
        }
        return r;
    }

    /** DescribeRule's view: the stored rule without its targets and bookkeeping. */
    private static ObjectNode view(ObjectNode r) {
        ObjectNode v = r.deepCopy();
        v.remove("Targets");
        v.remove("_since");
        return v;
    }

    synchronized void deleteRule(String bus, String name) {
        ObjectNode r = rules.get(bus + "/" + name);
        if (r == null) {
            return;
        }
        if (!r.path("Targets").isEmpty()) {
            throw new AwsException(400, "ValidationException", "Rule can't be deleted since it has targets.");
        }
        rules.remove(bus + "/" + name);
        save();
    }

    private void setState(String bus, String name, String state) {
        ObjectNode r = rule(bus, name);
        r.put("State", state);
        due.remove(bus + "/" + name);
        arm(bus + "/" + name, r);
        save();
    }

    private void listRules(JsonNode input, ObjectNode out) {
        String bus = bus(input);
        String prefix = input.path("NamePrefix").asText("");
        int limit = input.path("Limit").asInt(100);
        int start = input.hasNonNull("NextToken") ? Integer.parseInt(input.get("NextToken").asText()) : 0;
        List<ObjectNode> all = new ArrayList<>();
        rules.forEach((k, r) -> {
            if (k.startsWith(bus + "/") && r.get("Name").asText().startsWith(prefix)) {
                all.add(view(r));
            }
        });
        ArrayNode page = out.putArray("Rules");
        int end = Math.min(all.size(), start + Math.max(1, limit));
        for (int i = start; i < end; i++) {
            page.add(all.get(i));
        }
        if (end < all.size()) {
            out.put("NextToken", Integer.toString(end));
        }
    }

    // ---- targets ------------------------------------------------------------------------------

    synchronized void putTargets(String bus, String ruleName, JsonNode targets, ObjectNode out) {
        ObjectNode r = rule(bus, ruleName);
        if (!targets.isArray() || targets.isEmpty()) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected(
                    "Value null at 'targets' failed to satisfy constraint: Member must not be null"));
        }
        ArrayNode current = (ArrayNode) r.get("Targets");
        List<String> idFailures = EventEntries.targetIdFailures(targets);
        if (!idFailures.isEmpty()) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected(idFailures));
        }
        for (JsonNode t : targets) {
            String why = TargetInput.invalid(t);
            if (why != null) {
                throw new AwsException(400, "ValidationException", why);
            }
        }
        for (JsonNode t : targets) {
            String id = t.path("Id").asText();
            for (int i = 0; i < current.size(); i++) {
                if (current.get(i).path("Id").asText().equals(id)) {
                    current.remove(i);
                    break;
                }
            }
            if (current.size() >= MAX_TARGETS) {
                throw new AwsException(400, "LimitExceededException", "The requested resource exceeds the maximum number allowed.");
            }
            current.add(t.deepCopy());
        }
        out.put("FailedEntryCount", 0);
        out.putArray("FailedEntries");
        save();
    }

    synchronized void removeTargets(String bus, String ruleName, JsonNode ids, ObjectNode out) {
        ArrayNode current = (ArrayNode) rule(bus, ruleName).get("Targets");
        for (JsonNode id : ids) {
            for (int i = current.size() - 1; i >= 0; i--) {
                if (current.get(i).path("Id").asText().equals(id.asText())) {
                    current.remove(i);
                }
            }
        }
        out.put("FailedEntryCount", 0);
        out.putArray("FailedEntries");
        save();
    }

    // ---- events -------------------------------------------------------------------------------

    private void putEvents(JsonNode entries, ObjectNode out) {
        if (!entries.isArray() || entries.isEmpty() || entries.size() > 10) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected(ValidationErrors.failure(
                    EventEntries.text(entries), "entries", "Member must have length less than or equal to 10")));
        }
        ArrayNode results = out.putArray("Entries");
        int failed = 0;
        for (JsonNode e : entries) {
            String problem = EventEntries.problem(e);
            JsonNode detail = null;
            if (problem == null) {
                try {
                    detail = Http.JSON.readTree(e.get("Detail").asText());
                } catch (IOException ex) {
                    detail = null;
                }
                if (detail == null || !detail.isObject()) {
                    problem = "Detail is malformed.";
                }
            }
            if (problem != null) {
                failed++;
                results.addObject().put("ErrorCode", problem.startsWith("Detail") ? "MalformedDetail" : "InvalidArgument")
                        .put("ErrorMessage", problem);
                continue;
            }
            String id = UUID.randomUUID().toString();
            ObjectNode event = Http.JSON.createObjectNode();
            event.put("version", "0");
            event.put("id", id);
            event.put("detail-type", e.get("DetailType").asText());
            event.put("source", e.get("Source").asText());
            event.put("account", context.account());
            event.put("time", e.hasNonNull("Time") ? time(e.get("Time")) : now().truncatedTo(ChronoUnit.SECONDS).toString());
            event.put("region", context.region());
            ArrayNode resources = event.putArray("resources");
            e.path("Resources").forEach(resources::add);
            event.set("detail", detail);
            route(bus(e), event);
            results.addObject().put("EventId", id);
        }
        out.put("FailedEntryCount", failed);
    }

    private static String time(JsonNode t) {
        Instant at = t.isNumber() ? Instant.ofEpochMilli((long) (t.asDouble() * 1000)) : Instant.parse(t.asText());
        return at.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Sends an event to the targets of every enabled pattern rule on its bus that it matches. */
    private void route(String bus, ObjectNode event) {
        for (Map.Entry<String, ObjectNode> e : rules.entrySet()) {
            ObjectNode r = e.getValue();
            if (!e.getKey().startsWith(bus + "/") || !r.path("State").asText().equals("ENABLED") || !r.hasNonNull("EventPattern")) {
                continue;
            }
            try {
                if (EventPatterns.matches(Http.JSON.readTree(r.get("EventPattern").asText()), event)) {
                    targets.deliver(r, event);
                }
            } catch (IOException ex) {
                // stored patterns were checked when the rule was put
            }
        }
    }

    // ---- schedules ----------------------------------------------------------------------------

    Instant now() {
        return Instant.now().plus(clockOffset);
    }

    /** Moves the schedule clock forward and fires what fell due meanwhile (each rule at most once). */
    synchronized Instant advance(Duration by) {
        clockOffset = clockOffset.plus(by);
        tick();
        return now();
    }

    /**
     * Works out when an enabled scheduled rule falls due next, from now: at once when it is put or enabled, so that a
     * clock moved forward right after (before the ticker's next round) still finds it due.
     */
    private Schedule arm(String key, ObjectNode r) {
        if (!r.hasNonNull("ScheduleExpression") || !r.path("State").asText().equals("ENABLED")) {
            return null;
        }
        Schedule s = schedules.computeIfAbsent(key, k -> {
            Schedule parsed = Schedule.parse(r.get("ScheduleExpression").asText());
            if (parsed instanceof Schedule.Rate rate) {
                rate.origin = Instant.ofEpochMilli(r.path("_since").asLong());
            }
            return parsed;
        });
        if (s != null && !due.containsKey(key)) {
            Instant next = s.next(now());
            if (next != null) {
                due.put(key, next);
            }
        }
        return s;
    }

    private synchronized void tick() {
        Instant now = now();
        for (Map.Entry<String, ObjectNode> e : rules.entrySet()) {
            ObjectNode r = e.getValue();
            Schedule s = arm(e.getKey(), r);
            if (s == null) {
                continue;
            }
            Instant next = due.get(e.getKey());
            if (next != null && !now.isBefore(next)) {
                targets.deliver(r, scheduledEvent(r, next));
                Instant after = s.next(now);
                if (after == null) {
                    due.remove(e.getKey());
                } else {
                    due.put(e.getKey(), after);
                }
            }
        }
    }

    private ObjectNode scheduledEvent(ObjectNode rule, Instant at) {
        ObjectNode event = Http.JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", context.account());
        event.put("time", at.truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", context.region());
        event.putArray("resources").add(rule.get("Arn").asText());
        event.putObject("detail");
        return event;
    }

    // ---- admin --------------------------------------------------------------------------------

    /** {@code POST /_localcloud/events/clock} {@code {"advanceSeconds": n}}: moves the schedule clock (token-guarded). */
    @Override
    public boolean admin(AwsRequest request, String route) throws IOException {
        if (!route.equals("POST /_localcloud/events/clock") && !route.equals("GET /_localcloud/events/clock")) {
            return false;
        }
        Instant now = now();
        if (request.method().equals("POST")) {
            JsonNode in = request.body().length == 0 ? Http.JSON.createObjectNode() : Http.JSON.readTree(request.body());
            long seconds = in.path("advanceSeconds").asLong(0);
            if (seconds < 0) {
                throw new AwsException(400, "ValidationException", "advanceSeconds must not be negative, was " + seconds);
            }
            now = advance(Duration.ofSeconds(seconds));
        }
        ObjectNode out = Http.JSON.createObjectNode();
        out.put("now", now.toString());
        Http.json(request.exchange(), 200, out, "application/json");
        return true;
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** The bus a request names (its name, or its ARN), {@code default} when it names none. */
    static String bus(JsonNode input) {
        String b = text(input, "EventBusName");
        if (b == null || b.isEmpty()) {
            return "default";
        }
        return b.startsWith("arn:") ? b.substring(b.lastIndexOf('/') + 1) : b;
    }

    private void save() {
        context.store().writeJson(file, rules);
    }
}
