package dev.livestack.localcloud.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.Http;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Log group tags (TagLogGroup / UntagLogGroup / ListTagsLogGroup, and the newer TagResource / UntagResource /
 * ListTagsForResource by ARN) and ListLogGroups: kept beside the store, in {@code logs/tags.json}.
 */
final class LogGroupTags {
    private final CloudContext context;
    private final LogsStore store;
    private final Path file;
    private final Map<String, Map<String, String>> tags = new TreeMap<>();

    LogGroupTags(CloudContext context, LogsStore store) {
        this.context = context;
        this.store = store;
        this.file = context.store().folder("logs-tags").resolve("tags.json");
        JsonNode saved = context.store().readJson(file);
        if (saved != null) {
            saved.fields().forEachRemaining(g -> {
                Map<String, String> t = new TreeMap<>();
                g.getValue().fields().forEachRemaining(e -> t.put(e.getKey(), e.getValue().asText()));
                tags.put(g.getKey(), t);
            });
        }
    }

    /** Whether this class answers {@code op}. */
    static boolean handles(String op) {
        return List.of("TagLogGroup", "UntagLogGroup", "ListTagsLogGroup", "TagResource", "UntagResource",
                "ListTagsForResource", "ListLogGroups").contains(op);
    }

    synchronized ObjectNode call(String op, JsonNode in) {
        ObjectNode out = Http.JSON.createObjectNode();
        switch (op) {
            case "TagLogGroup" -> tag(existing(text(in, "logGroupName")), in.path("tags"));
            case "TagResource" -> tag(existing(fromArn(in)), in.path("tags"));
            case "UntagLogGroup" -> untag(existing(text(in, "logGroupName")), in.path("tags"));
            case "UntagResource" -> untag(existing(fromArn(in)), in.path("tagKeys"));
            case "ListTagsLogGroup" -> out.set("tags", list(existing(text(in, "logGroupName"))));
            case "ListTagsForResource" -> out.set("tags", list(existing(fromArn(in))));
            case "ListLogGroups" -> listGroups(in, out);
            default -> throw new IllegalArgumentException("op " + op + " is not a tag operation");
        }
        return out;
    }

    /** Tags a group gets when it is created. */
    synchronized void created(String group, JsonNode initial) {
        tags.remove(group);
        if (initial != null && initial.isObject() && !initial.isEmpty()) {
            tag(group, initial);
        } else {
            save();
        }
    }

    synchronized void deleted(String group) {
        if (tags.remove(group) != null) {
            save();
        }
    }

    private void listGroups(JsonNode in, ObjectNode out) {
        String pattern = in.path("logGroupNamePattern").asText(null);
        var list = out.putArray("logGroups");
        for (ObjectNode g : store.describeGroups()) {
            String name = g.get("logGroupName").asText();
            if (pattern == null || name.toLowerCase().contains(pattern.toLowerCase())) {
                ObjectNode n = list.addObject();
                n.put("logGroupName", name);
                n.set("logGroupClass", g.get("logGroupClass"));
                n.set("logGroupArn", g.get("logGroupArn"));
            }
        }
    }

    private void tag(String group, JsonNode given) {
        Map<String, String> t = tags.computeIfAbsent(group, k -> new TreeMap<>());
        given.fields().forEachRemaining(e -> t.put(e.getKey(), e.getValue().asText()));
        save();
    }

    private void untag(String group, JsonNode keys) {
        Map<String, String> t = tags.getOrDefault(group, new TreeMap<>());
        keys.forEach(k -> t.remove(k.asText()));
        save();
    }

    private ObjectNode list(String group) {
        ObjectNode out = Http.JSON.createObjectNode();
        tags.getOrDefault(group, Map.of()).forEach(out::put);
        return out;
    }

    private String existing(String group) {
        if (group == null || !store.hasGroup(group)) {
            throw LogsService.groupNotFound();
        }
        return group;
    }

    private String fromArn(JsonNode in) {
        String arn = text(in, "resourceArn");
        String prefix = "arn:aws:logs:" + context.region() + ":" + context.account() + ":log-group:";
        if (arn == null || !arn.startsWith(prefix)) {
            throw new AwsException(400, "ResourceNotFoundException", "The specified log group does not exist.");
        }
        return LogsService.groupFromIdentifier(arn);
    }

    private static String text(JsonNode in, String field) {
        JsonNode v = in.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private void save() {
        // tags of groups deleted behind this class's back (the store's own deletions) go with them
        new ArrayList<>(tags.keySet()).stream().filter(g -> !store.hasGroup(g)).forEach(tags::remove);
        ObjectNode all = Http.JSON.createObjectNode();
        tags.forEach((g, t) -> {
            ObjectNode n = all.putObject(g);
            t.forEach(n::put);
        });
        context.store().writeJson(file, all);
    }
}
