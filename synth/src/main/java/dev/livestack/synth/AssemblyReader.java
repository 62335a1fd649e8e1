package dev.livestack.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a cloud assembly as the CDK CLI does: {@code manifest.json}'s artifacts of type
 * {@code aws:cloudformation:stack} (also inside nested assemblies, which stages produce), each
 * with its template file, stack name, dependencies, bootstrap roles, tags, termination protection and region,
 * returned dependencies first, and the context the app missed ({@code missing}, stages' included).
 */
final class AssemblyReader {
    private static final String STACK = "aws:cloudformation:stack";
    private static final String NESTED = "cdk:cloud-assembly";

    private record Artifact(String id, String stackName, Path template, List<String> dependsOn, StackTemplate.Roles roles,
                            Map<String, String> tags, Boolean terminationProtection, String region) {
    }

    private AssemblyReader() {
    }

    static CloudAssembly read(Path dir) throws SynthException {
        Map<String, Artifact> stacks = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        Map<String, MissingContext> missing = new LinkedHashMap<>();
        collect(dir, "", stacks, errors, missing, 0);
        if (!errors.isEmpty()) {
            throw new SynthException("the app reported errors during synthesis", errors, null, List.copyOf(missing.values()));
        }
        failedValidation(dir);
        if (stacks.isEmpty()) {
            throw new SynthException("the app produced no stacks", List.of(
                    "the assembly in " + dir + " holds no aws:cloudformation:stack artifact; does the app call app.synth()?"));
        }
        List<StackTemplate> ordered = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String id : stacks.keySet()) {
            visit(id, stacks, done, new HashSet<>(), ordered);
        }
        return new CloudAssembly(dir, ordered, List.copyOf(missing.values()));
    }

    /**
     * The CDK CLI tells the app not to fail on its own validation findings
     * ({@code @aws-cdk/core:failSynthOnValidationErrors} false) and fails the synth itself when the
     * app's {@code validation-report.json} holds a plugin report concluded "failure"; so does livestack,
     * which gives the app the same context.
     */
    private static void failedValidation(Path dir) throws SynthException {
        Path report = dir.resolve("validation-report.json");
        if (!Files.isRegularFile(report)) {
            return;
        }
        JsonNode json;
        try {
            json = Templates.JSON.readTree(report.toFile());
        } catch (IOException e) {
            throw new SynthException("cannot read the app's validation report " + report + ": " + e.getMessage(), List.of(), e);
        }
        List<String> lines = new ArrayList<>();
        for (JsonNode plugin : json.path("pluginReports")) {
            if (!"failure".equals(plugin.path("conclusion").asText())) {
                continue;
            }
            for (JsonNode v : plugin.path("violations")) {
                StringBuilder line = new StringBuilder(plugin.path("pluginName").asText("validation"));
                line.append(": ").append(v.path("ruleName").asText("rule")).append(": ").append(v.path("description").asText());
                List<String> paths = new ArrayList<>();
                v.path("violatingConstructs").forEach(c -> paths.add(c.path("constructPath").asText()));
                if (!paths.isEmpty()) {
                    line.append(" (").append(String.join(", ", paths.subList(0, Math.min(3, paths.size()))))
                            .append(paths.size() > 3 ? ", …" : "").append(')');
                }
                if (lines.size() < 20) {
                    lines.add(line.toString());
                }
            }
            if (plugin.path("violations").isEmpty()) {
                lines.add(plugin.path("pluginName").asText("validation") + ": failed");
            }
        }
        if (!lines.isEmpty()) {
            throw new SynthException("the app's templates failed validation (" + report + ")", lines);
        }
    }

    private static void visit(String id, Map<String, Artifact> stacks, Set<String> done, Set<String> path,
            List<StackTemplate> out) throws SynthException {
        if (done.contains(id)) {
            return;
        }
        if (!path.add(id)) {
            throw new SynthException("stack dependencies form a cycle through " + id, List.of());
        }
        Artifact a = stacks.get(id);
        List<String> deps = new ArrayList<>();
        for (String d : a.dependsOn()) {
            Artifact dep = stacks.get(d);
            if (dep != null) {
                visit(d, stacks, done, path, out);
                deps.add(dep.stackName());
            }
        }
        path.remove(id);
        done.add(id);
        ObjectNode template = Templates.read(a.template());
        out.add(new StackTemplate(a.stackName(), template, deps, a.roles(), a.tags(), a.terminationProtection(), a.region()));
    }

    /** The region of an artifact environment {@code aws://account/region}, or null when it names none. */
    static String region(String environment) {
        if (!environment.startsWith("aws://")) {
            return null;
        }
        String[] parts = environment.substring("aws://".length()).split("/", 2);
        return parts.length == 2 && !parts[1].isBlank() && !parts[1].startsWith("unknown-") ? parts[1] : null;
    }

    private static void collect(Path dir, String prefix, Map<String, Artifact> stacks, List<String> errors,
            Map<String, MissingContext> missing, int depth) throws SynthException {
        Path manifestFile = dir.resolve("manifest.json");
        if (!Files.isRegularFile(manifestFile)) {
            throw new SynthException("the app wrote no cloud assembly", List.of(
                    manifestFile + " is missing; the app must call app.synth() (CDK apps do when CDK_OUTDIR is set)"));
        }
        ObjectNode manifest = Templates.read(manifestFile);
        for (JsonNode m : manifest.path("missing")) {
            String key = m.path("key").asText("");
            String provider = m.path("provider").asText("");
            if (!key.isBlank() && !provider.isBlank() && m.path("props").isObject()) {
                // nested assemblies (stages) report their own; one lookup serves every copy of a key
                missing.putIfAbsent(key, new MissingContext(key, provider, (ObjectNode) m.path("props")));
            }
        }
        JsonNode artifacts = manifest.path("artifacts");
        var it = artifacts.fields();
        while (it.hasNext()) {
            var e = it.next();
            String id = e.getKey();
            JsonNode art = e.getValue();
            String type = art.path("type").asText();
            JsonNode props = art.path("properties");
            if (STACK.equals(type)) {
                String file = props.path("templateFile").asText(null);
                if (file == null) {
                    throw new SynthException("stack artifact " + id + " has no templateFile", List.of(manifestFile.toString()));
                }
                String name = props.path("stackName").asText(id);
                List<String> deps = new ArrayList<>();
                art.path("dependencies").forEach(d -> deps.add(prefix + d.asText()));
                StackTemplate.Roles roles = new StackTemplate.Roles(props.path("assumeRoleArn").asText(null),
                        props.path("assumeRoleExternalId").asText(null), props.path("cloudFormationExecutionRoleArn").asText(null));
                Map<String, String> tags = new LinkedHashMap<>();
                props.path("tags").fields().forEachRemaining(t -> tags.put(t.getKey(), t.getValue().asText()));
                stacks.put(prefix + id, new Artifact(prefix + id, name, dir.resolve(file), deps, roles, tags,
                        props.has("terminationProtection") ? props.path("terminationProtection").asBoolean() : null,
                        region(art.path("environment").asText(""))));
                art.path("metadata").fields().forEachRemaining(m -> m.getValue().forEach(entry -> {
                    if ("aws:cdk:error".equals(entry.path("type").asText())) {
                        errors.add(m.getKey() + ": " + entry.path("data").asText());
                    }
                }));
            } else if (NESTED.equals(type) && depth < 8) {
                String sub = props.path("directoryName").asText(null);
                if (sub != null) {
                    collect(dir.resolve(sub), prefix + id + "/", stacks, errors, missing, depth + 1);
                }
            }
        }
    }
}
