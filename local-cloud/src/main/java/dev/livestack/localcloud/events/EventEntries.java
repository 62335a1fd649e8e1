package dev.livestack.localcloud.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.ValidationErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** PutEvents entries (the per-entry check, the request as EventBridge's messages print it) and targets' checks and pages. */
final class EventEntries {
    private static final Pattern TARGET_ID = Pattern.compile(EventsService.NAME_PATTERN);

    private static final String TOKEN = "livestack-targets-offset:";

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

    /**
     * One page of a rule's targets: {@code Limit} of them (100 by default) from {@code NextToken}, an opaque token (as
     * AWS's are) holding the offset.
     */
    static void targetsPage(JsonNode targets, JsonNode input, ObjectNode out) {
        int limit = Math.max(1, input.path("Limit").asInt(100));
        int start;
        try {
            start = input.hasNonNull("NextToken") ? Integer.parseInt(new String(java.util.Base64.getDecoder()
                    .decode(input.get("NextToken").asText()), java.nio.charset.StandardCharsets.UTF_8).substring(TOKEN.length())) : 0;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new dev.livestack.localcloud.core.AwsException(400, "ValidationException", "The NextToken provided is invalid.");
        }
        ArrayNode page = out.putArray("Targets");
        int end = Math.min(targets.size(), start + limit);
        for (int i = Math.max(0, start); i < end; i++) {
            page.add(targets.get(i).deepCopy());
        }
        if (end < targets.size()) {
            out.put("NextToken", java.util.Base64.getEncoder().encodeToString((TOKEN + end).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
    }
}
