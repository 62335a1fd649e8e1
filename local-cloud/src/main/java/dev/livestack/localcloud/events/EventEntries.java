package dev.livestack.localcloud.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestack.localcloud.core.ValidationErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** PutEvents entries: the per-entry argument check, and the request as EventBridge's validation message prints it. */
final class EventEntries {
    private static final Pattern TARGET_ID = Pattern.compile(EventsService.NAME_PATTERN);

    private EventEntries() {
    }

    /** Why an entry is refused before its detail is read (a missing or empty Source, DetailType or Detail), or null. */
    static String problem(JsonNode e) {
        return given(e, "Source") ? given(e, "DetailType") ? given(e, "Detail") ? null
                : required("Detail") : required("DetailType") : required("Source");
    }

    private static boolean given(JsonNode entry, String field) {
        return entry.hasNonNull(field) && !entry.get(field).asText().isEmpty();
    }

    private static String required(String field) {
        return "Parameter " + field + " is not valid. Reason: " + field + " is a required argument.";
    }

    /** The request's entries as EventBridge's own (Java) model prints them in its validation message. */
    static String text(JsonNode entries) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : entries) {
            out.add("PutEventsRequestEntry(time=" + field(e, "Time") + ", source=" + field(e, "Source") + ", resources="
                    + (e.path("Resources").isArray() ? textList(e.get("Resources")) : "null") + ", detailType=" + field(e, "DetailType")
                    + ", detail=" + field(e, "Detail") + ", eventBusName=" + field(e, "EventBusName") + ", traceHeader="
                    + field(e, "TraceHeader") + ", kmsKeyIdentifier=null, internalMetadata=null)");
        }
        return "[" + String.join(", ", out) + "]";
    }

    private static String field(JsonNode e, String name) {
        return e.hasNonNull(name) ? e.get(name).asText() : "null";
    }

    private static String textList(JsonNode list) {
        List<String> items = new ArrayList<>();
        list.forEach(i -> items.add(i.asText()));
        return "[" + String.join(", ", items) + "]";
    }

    /** PutTargets' checks of each target's Id, in the order AWS lists them. */
    static List<String> targetIdFailures(JsonNode targets) {
        List<String> failures = new ArrayList<>();
        int index = 0;
        for (JsonNode t : targets) {
            index++;
            String id = t.path("Id").asText("");
            String member = "targets." + index + ".member.id";
            if (!TARGET_ID.matcher(id).matches()) {
                failures.add(ValidationErrors.failure(id, member, "Member must satisfy regular expression pattern: "
                        + EventsService.NAME_PATTERN));
            }
            if (id.length() > 64) {
                failures.add(ValidationErrors.failure(id, member, "Member must have length less than or equal to 64"));
            }
        }
        return failures;
    }
}
