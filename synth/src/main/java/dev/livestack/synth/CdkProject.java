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
 *     {@code context}, {@code cdk.context.json}, {@code cdk.json}'s {@code context}, objects merged deeply
 * @param settings {@code cdk.json} itself: its {@code pathMetadata}, {@code assetMetadata},
 *     {@code versionReporting}, {@code staging} and {@code bundlingStacks} shape the CLI's context keys
 */
record CdkProject(Path dir, String app, Path output, ObjectNode context, ObjectNode settings) {

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
                deepMerge(context, (ObjectNode) user.path("context"));
            }
        }
        JsonNode fromFile = readObject(dir.resolve("cdk.context.json"), false);
        if (fromFile.isObject()) {
            deepMerge(context, (ObjectNode) fromFile);
        }
        if (cfg.path("context").isObject()) {
            deepMerge(context, (ObjectNode) cfg.path("context"));
        }
        return new CdkProject(dir, appNode.asText(), dir.resolve(out).normalize(), context, (ObjectNode) cfg);
    }

    /**
     * The {@code CDK_CONTEXT_JSON} value, as the CDK CLI builds it: the merged context, then the keys
     * the CLI derives from its settings ({@code cdk.json}'s top-level keys, defaults on), which win over
     * the same keys in the context: path and asset metadata, version reporting (or
     * {@code aws:cdk:disable-version-reporting}), {@code aws:cdk:disable-asset-staging} when staging is
     * off, the bundling stacks ({@code ["**"]}) and {@code @aws-cdk/core:failSynthOnValidationErrors}
     * false (the CLI reports validation findings itself instead of letting them fail the app).
     */
    String contextJson() {
        ObjectNode all = context.deepCopy();
        if (settings.path("pathMetadata").asBoolean(true)) {
            all.put("aws:cdk:enable-path-metadata", true);
        }
        if (settings.path("assetMetadata").asBoolean(true)) {
            all.put("aws:cdk:enable-asset-metadata", true);
        }
        if (settings.path("versionReporting").asBoolean(true)) {
            all.put("aws:cdk:version-reporting", true);
        } else {
            all.put("aws:cdk:disable-version-reporting", true);
        }
        if (!settings.path("staging").asBoolean(true)) {
            all.put("aws:cdk:disable-asset-staging", true);
        }
        JsonNode bundling = settings.get("bundlingStacks");
        if (bundling != null && !bundling.isNull()) {
            all.set("aws:cdk:bundling-stacks", bundling.deepCopy());
        } else {
            all.putArray("aws:cdk:bundling-stacks").add("**");
        }
        all.put("@aws-cdk/core:failSynthOnValidationErrors", false);
        return all.toString();
    }

    /** The CLI's merge of settings: objects merge key by key, anything else is replaced. */
    private static void deepMerge(ObjectNode into, ObjectNode from) {
        from.fields().forEachRemaining(e -> {
            JsonNode mine = into.get(e.getKey());
            if (mine instanceof ObjectNode m && e.getValue() instanceof ObjectNode o) {
                deepMerge(m, o);
            } else {
                into.set(e.getKey(), e.getValue().deepCopy());
            }
        });
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
