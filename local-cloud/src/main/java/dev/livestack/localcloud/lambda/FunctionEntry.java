package dev.livestack.localcloud.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.Http;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One Lambda function as stored: the {@code $LATEST} configuration (exactly the FunctionConfiguration
 * document the API returns), its published versions, aliases and tags. Guarded by the owning
 * {@link LambdaFunctions}' lock.
 */
final class FunctionEntry {
    final String name;
    ObjectNode latest;
    final TreeMap<Integer, ObjectNode> versions = new TreeMap<>();
    final Map<String, ObjectNode> aliases = new LinkedHashMap<>();
    final Map<String, String> tags = new LinkedHashMap<>();
    int nextVersion = 1;
    /** PutFunctionConcurrency's reservation, or null when none. */
    Integer reservedConcurrency;
    /** Bumped on every code or configuration change of $LATEST; warm processes of an older one are retired. */
    long generation;
    /** The generation of the configuration invocations of $LATEST run (older than {@link #generation} during an update). */
    long runningGeneration;
    /** The generation the function was created (or loaded) with; published versions run under it. */
    long baseGeneration;

    FunctionEntry(String name, ObjectNode latest) {
        this.name = name;
        this.latest = latest;
    }

    ObjectNode toJson() {
        ObjectNode n = Http.JSON.createObjectNode();
        n.put("name", name);
        n.set("latest", latest);
        ObjectNode v = n.putObject("versions");
        versions.forEach((k, c) -> v.set(Integer.toString(k), c));
        ObjectNode a = n.putObject("aliases");
        aliases.forEach(a::set);
        ObjectNode t = n.putObject("tags");
        tags.forEach(t::put);
        n.put("nextVersion", nextVersion);
        if (reservedConcurrency != null) {
            n.put("reservedConcurrency", reservedConcurrency);
        }
        return n;
    }

    static FunctionEntry fromJson(JsonNode n) {
        if (!n.path("name").isTextual() || !(n.get("latest") instanceof ObjectNode latest)) {
            throw new IllegalArgumentException("not a function record: it needs a name and a latest configuration");
        }
        FunctionEntry e = new FunctionEntry(n.get("name").asText(), latest);
        for (Iterator<Map.Entry<String, JsonNode>> it = n.path("versions").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> v = it.next();
            e.versions.put(Integer.parseInt(v.getKey()), (ObjectNode) v.getValue());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.path("aliases").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> a = it.next();
            e.aliases.put(a.getKey(), (ObjectNode) a.getValue());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.path("tags").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> t = it.next();
            e.tags.put(t.getKey(), t.getValue().asText());
        }
        e.nextVersion = n.path("nextVersion").asInt(1);
        if (n.hasNonNull("reservedConcurrency")) {
            e.reservedConcurrency = n.get("reservedConcurrency").asInt();
        }
        return e;
    }
}
