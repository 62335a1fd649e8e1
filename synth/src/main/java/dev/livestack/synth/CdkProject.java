package dev.livestack.synth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An app folder's {@code cdk.json} (and {@code cdk.context.json}), read as the CDK CLI reads them.
 *
 * @param dir the app folder
 * @param app the {@code app} command
 * @param output the {@code output} folder (absolute), {@code cdk.out} by default
 * @param context the merged context, as the CDK CLI merges it (later wins): {@code ~/.cdk.json}'s
 *     {@code context}, {@code cdk.context.json}, {@code cdk.json}'s {@code context}
 */
record CdkProject(Path dir, String app, Path output, ObjectNode context) {

    static CdkProject read(Path dir) throws SynthException {
        return read(dir, null);
    }

    /** Reads the project; {@code home} (from the caller's environment, may be null) locates {@code ~/.cdk.json}. */
    static CdkProject read(Path dir, String home) throws SynthException {
        Path cdkJson = dir.resolve("cdk.json");
        JsonNode cfg = readObject(cdkJson, true);
        JsonNode appNode = cfg.path("app");
        if (!appNode.isTextual() || appNode.asText().isBlank()) {
            throw new SynthException(cdkJson + " has no \"app\" command",
                    List.of("add \"app\": \"<command that runs your CDK app>\" to cdk.json, or pass a template file with --app"));
        }
        String out = cfg.path("output").isTextual() ? cfg.path("output").asText() : "cdk.out";
        ObjectNode context = Templates.JSON.createObjectNode();
        if (home != null && !home.isBlank()) {
            JsonNode user = readObject(Path.of(home, ".cdk.json"), false);
            if (user.path("context").isObject()) {
                context.setAll((ObjectNode) user.path("context"));
            }
        }
        JsonNode fromFile = readObject(dir.resolve("cdk.context.json"), false);
        if (fromFile.isObject()) {
            context.setAll((ObjectNode) fromFile);
        }
        if (cfg.path("context").isObject()) {
            context.setAll((ObjectNode) cfg.path("context"));
        }
        return new CdkProject(dir, appNode.asText(), dir.resolve(out).normalize(), context);
    }

    /**
     * The {@code CDK_CONTEXT_JSON} value: the merged context plus the keys the CDK CLI adds by
     * default (path and asset metadata, version reporting, bundling of every stack), unless the
     * project sets them itself.
     */
    String contextJson() {
        ObjectNode all = context.deepCopy();
        all.putIfAbsent("aws:cdk:enable-path-metadata", all.booleanNode(true));
        all.putIfAbsent("aws:cdk:enable-asset-metadata", all.booleanNode(true));
        all.putIfAbsent("aws:cdk:version-reporting", all.booleanNode(true));
        if (!all.has("aws:cdk:bundling-stacks")) {
            all.putArray("aws:cdk:bundling-stacks").add("**");
        }
        return all.toString();
    }

    private static JsonNode readObject(Path file, boolean required) throws SynthException {
        if (!Files.isRegularFile(file)) {
            if (required) {
                throw new SynthException(file + " not found", List.of("--app takes a folder with cdk.json or a template file"));
            }
            return Templates.JSON.createObjectNode();
        }
        try {
            JsonNode n = Templates.JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            if (n == null || !n.isObject()) {
                throw new SynthException(file + " must hold a JSON object", List.of(file + ":1: expected {...}"));
            }
            return n;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
            throw new SynthException(file + " is not valid JSON", List.of(file + ":" + line + ": " + e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new SynthException("cannot read " + file + ": " + e.getMessage(), List.of(), e);
        }
    }
}
