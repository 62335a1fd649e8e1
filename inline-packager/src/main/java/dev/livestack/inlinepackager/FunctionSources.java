package dev.livestack.inlinepackager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads which source each function of a synthesised template comes from, so the watcher can map a saved file to
 * its function and the deployer can re-package it without waiting for synth. The one place that knows the
 * metadata keys {@link #SOURCE_METADATA} and {@link #RUNTIME_METADATA} written by {@code InlineFunction}.
 */
public final class FunctionSources {
    /** Resource metadata key: the function's source folder or file, relative to the app folder ({@code /}-separated). */
    public static final String SOURCE_METADATA = "livestack:source";
    /** Resource metadata key: the runtime the source was packaged for. */
    public static final String RUNTIME_METADATA = "livestack:runtime";
    /** Resource metadata key the CDK writes for asset-based code: the staged asset, relative to the assembly. */
    public static final String ASSET_PATH_METADATA = "aws:asset:path";

    /** The CloudFormation type of a nested stack. */
    public static final String NESTED_STACK_TYPE = "AWS::CloudFormation::Stack";

    private static final String FUNCTION_TYPE = "AWS::Lambda::Function";
    /** Guards against a cycle of nested templates; CloudFormation's own nesting limit is lower. */
    private static final int MAX_NESTING = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private FunctionSources() {
    }

    /**
     * Inline functions of a template: those whose resource carries {@value #SOURCE_METADATA}.
     *
     * @param template a CloudFormation template
     * @param appDir the app folder the metadata paths are relative to
     * @return logical id → source, in template order
     */
    public static Map<String, FunctionSource> fromTemplate(ObjectNode template, Path appDir) {
        return read(template, appDir, null);
    }

    /**
     * Inline functions as {@link #fromTemplate(ObjectNode, Path)}, plus asset-based functions (resources with
     * {@value #ASSET_PATH_METADATA}) resolved against the cloud assembly folder.
     *
     * @param template a CloudFormation template
     * @param appDir the app folder the inline metadata paths are relative to
     * @param assemblyDir the cloud assembly folder (e.g. {@code cdk.out}) asset paths are relative to
     * @return logical id → source, in template order
     */
    public static Map<String, FunctionSource> fromTemplate(ObjectNode template, Path appDir, Path assemblyDir) {
        if (assemblyDir == null) {
            throw new IllegalArgumentException("assemblyDir must not be null");
        }
        return read(template, appDir, assemblyDir);
    }

    /**
     * The functions of a stack as {@link #fromTemplate(ObjectNode, Path, Path)} reads them, and those of its CDK nested
     * stacks, recursively: an {@value #NESTED_STACK_TYPE} resource whose {@value #ASSET_PATH_METADATA} metadata names
     * its template in the cloud assembly ({@code NestedStack} writes {@code <Parent><Id>….nested.template.json}).
     * A nested template that is missing, unreadable or outside the assembly folder is left out (its functions then
     * go through synth and deploy).
     *
     * @return path → source, the stack's own functions first: a function's logical id, or
     *     {@code <nested stack logical id>/<logical id>} for one in a nested stack (more ids deeper down)
     */
    public static Map<String, FunctionSource> fromStack(ObjectNode template, Path appDir, Path assemblyDir) {
        Map<String, FunctionSource> result = new LinkedHashMap<>();
        addStack(result, "", template, appDir, assemblyDir, 0);
        return result;
    }

    private static void addStack(Map<String, FunctionSource> out, String prefix, ObjectNode template, Path appDir,
                                 Path assemblyDir, int depth) {
        fromTemplate(template, appDir, assemblyDir).forEach((id, source) -> out.put(prefix + id, source));
        if (depth >= MAX_NESTING) {
            return;
        }
        Path assembly = assemblyDir.toAbsolutePath().normalize();
        for (Iterator<Map.Entry<String, JsonNode>> it = template.path("Resources").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode resource = entry.getValue();
            JsonNode asset = resource.path("Metadata").path(ASSET_PATH_METADATA);
            if (!NESTED_STACK_TYPE.equals(resource.path("Type").asText()) || !asset.isTextual()) {
                continue;
            }
            Path file = assembly.resolve(asset.asText()).normalize();
            if (!file.startsWith(assembly) || !Files.isRegularFile(file)) {
                continue;
            }
            try {
                if (JSON.readTree(file.toFile()) instanceof ObjectNode nested) {
                    addStack(out, prefix + entry.getKey() + "/", nested, appDir, assemblyDir, depth + 1);
                }
            } catch (IOException unreadable) {
                // left to synth and deploy, which report it
            }
        }
    }

    /**
     * Logical ids of the functions whose source contains any of these files.
     *
     * @param sources as returned by {@code fromTemplate}
     * @param changedFiles absolute paths of saved files
     * @return the touched functions' logical ids, sorted
     */
    public static Set<String> touchedBy(Map<String, FunctionSource> sources, Collection<Path> changedFiles) {
        if (sources == null) {
            throw new IllegalArgumentException("sources must not be null");
        }
        if (changedFiles == null) {
            throw new IllegalArgumentException("changedFiles must not be null");
        }
        Set<String> touched = new TreeSet<>();
        for (FunctionSource source : sources.values()) {
            for (Path file : changedFiles) {
                if (source.contains(file)) {
                    touched.add(source.logicalId());
                    break;
                }
            }
        }
        return touched;
    }

    private static Map<String, FunctionSource> read(ObjectNode template, Path appDir, Path assemblyDir) {
        if (template == null) {
            throw new IllegalArgumentException("template must not be null");
        }
        if (appDir == null) {
            throw new IllegalArgumentException("appDir must not be null");
        }
        Path app = appDir.toAbsolutePath().normalize();
        Map<String, FunctionSource> result = new LinkedHashMap<>();
        JsonNode resources = template.path("Resources");
        for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode resource = entry.getValue();
            if (!FUNCTION_TYPE.equals(resource.path("Type").asText())) {
                continue;
            }
            JsonNode metadata = resource.path("Metadata");
            JsonNode properties = resource.path("Properties");
            String handler = textOr(properties.path("Handler"), "index.handler");
            JsonNode source = metadata.path(SOURCE_METADATA);
            if (source.isTextual() && !source.asText().isBlank()) {
                String runtime = textOr(metadata.path(RUNTIME_METADATA), textOr(properties.path("Runtime"), null));
                if (runtime != null) {
                    result.put(entry.getKey(), new FunctionSource(entry.getKey(), FunctionSource.Kind.INLINE,
                            app.resolve(source.asText()), runtime, handler));
                }
                continue;
            }
            JsonNode asset = metadata.path(ASSET_PATH_METADATA);
            String runtime = textOr(properties.path("Runtime"), null);
            // A runtime given as an expression cannot be known here; such functions are left to synth + deploy.
            if (assemblyDir != null && asset.isTextual() && runtime != null) {
                result.put(entry.getKey(), new FunctionSource(entry.getKey(), FunctionSource.Kind.ASSET,
                        assemblyDir.toAbsolutePath().resolve(asset.asText()), runtime, handler));
            }
        }
        return result;
    }

    private static String textOr(JsonNode node, String fallback) {
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : fallback;
    }
}
