package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The assets one stack of a cloud assembly needs published before its template deploys, as the CDK CLI reads
 * them: the {@code cdk:asset-manifest} artifact the stack depends on ({@code <stack>.assets.json}, written by the
 * DefaultStackSynthesizer) with its {@code files} and {@code dockerImages}; and, from the legacy synthesizer,
 * the stack's {@code aws:cdk:asset} metadata entries (which livestack does not publish).
 *
 * @param stackName the stack
 * @param files file assets: folders zipped or files uploaded as they are
 * @param images container image assets: built with {@code docker} and pushed to ECR, as cdk-assets does
 * @param legacy display names of the legacy synthesizer's assets (livestack refuses them)
 */
record AssetManifest(String stackName, List<FileAsset> files, List<ImageAsset> images, List<String> legacy) {

    AssetManifest {
        files = List.copyOf(files);
        images = List.copyOf(images);
        legacy = List.copyOf(legacy);
    }

    /**
     * One file asset.
     *
     * @param id the asset's id (its source hash)
     * @param displayName what the CDK calls it (a construct path), or the id
     * @param source the absolute path of the staged folder or file
     * @param zip whether the folder is zipped ({@code zip}) or the file uploaded as is ({@code file})
     * @param destinations where it goes; bucket and key may hold {@code ${AWS::AccountId}}-style placeholders
     */
    record FileAsset(String id, String displayName, Path source, boolean zip, List<Destination> destinations) {
        FileAsset {
            destinations = List.copyOf(destinations);
        }
    }

    /**
     * One container image asset ({@code dockerImages} entry), with what {@code docker build} is given.
     *
     * @param id the asset's id (its source hash)
     * @param displayName what the CDK calls it (a construct path), or the id
     * @param directory the absolute path of the build context ({@code source.directory}); {@code null} for an image
     *        built by a command ({@code source.executable}), which livestack does not run
     * @param source the manifest's {@code source} object as written (Dockerfile, build args, target, platform, …)
     * @param destinations the ECR repositories and tags it goes to
     */
    record ImageAsset(String id, String displayName, Path directory, JsonNode source, List<ImageDestination> destinations) {
        ImageAsset {
            destinations = List.copyOf(destinations);
        }
    }

    /** One ECR destination of an image asset; names may hold {@code ${AWS::AccountId}}-style placeholders. */
    record ImageDestination(String repositoryName, String imageTag, String region, String assumeRoleArn,
                            String assumeRoleExternalId) {
    }

    /** One S3 destination of a file asset, and the role that publishes to it (the file-publishing role; {@code null}: none). */
    record Destination(String bucketName, String objectKey, String region, String assumeRoleArn, String assumeRoleExternalId) {
    }

    static final AssetManifest NONE = new AssetManifest("", List.of(), List.of(), List.of());

    /** Whether nothing needs publishing. */
    boolean isEmpty() {
        return files.isEmpty() && images.isEmpty() && legacy.isEmpty();
    }

    /**
     * Reads the assets of {@code stackName} from an assembly folder ({@code manifest.json}, nested assemblies
     * included). No manifest, or no such stack (a template file app): no assets.
     *
     * @throws AssetPublisher.AssetException (two lines: what failed, what to do) when a manifest cannot be read
     */
    static AssetManifest forStack(Path assemblyDir, String stackName) {
        if (assemblyDir == null) {
            return NONE;
        }
        Optional<AssetManifest> m = find(assemblyDir, stackName, 0);
        return m.orElse(NONE);
    }

    private static Optional<AssetManifest> find(Path dir, String stackName, int depth) {
        Path manifestFile = dir.resolve("manifest.json");
        if (!Files.isRegularFile(manifestFile) || depth > 8) {
            return Optional.empty();
        }
        JsonNode artifacts = read(manifestFile).path("artifacts");
        for (Iterator<Map.Entry<String, JsonNode>> it = artifacts.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode art = e.getValue();
            String type = art.path("type").asText();
            if ("aws:cloudformation:stack".equals(type)
                    && stackName.equals(art.path("properties").path("stackName").asText(e.getKey()))) {
                return Optional.of(of(dir, stackName, art, artifacts));
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = artifacts.fields(); it.hasNext(); ) {
            JsonNode art = it.next().getValue();
            if ("cdk:cloud-assembly".equals(art.path("type").asText())) {
                String sub = art.path("properties").path("directoryName").asText(null);
                if (sub != null) {
                    Optional<AssetManifest> nested = find(dir.resolve(sub), stackName, depth + 1);
                    if (nested.isPresent()) {
                        return nested;
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static AssetManifest of(Path dir, String stackName, JsonNode stack, JsonNode artifacts) {
        List<FileAsset> files = new ArrayList<>();
        List<ImageAsset> images = new ArrayList<>();
        List<String> legacy = new ArrayList<>();
        for (JsonNode dep : stack.path("dependencies")) {
            JsonNode art = artifacts.path(dep.asText());
            if (!"cdk:asset-manifest".equals(art.path("type").asText())) {
                continue;
            }
            String file = art.path("properties").path("file").asText(null);
            if (file == null) {
                continue;
            }
            Path manifestFile = dir.resolve(file);
            Path base = manifestFile.toAbsolutePath().getParent();
            ObjectNode m = read(manifestFile);
            m.path("files").fields().forEachRemaining(f -> {
                JsonNode a = f.getValue();
                String path = a.path("source").path("path").asText(null);
                if (path == null) {
                    // An executable-generated asset (source.executable): the CDK CLI runs a command; livestack does not.
                    throw new AssetPublisher.AssetException("stack " + stackName + " has a file asset built by a command ("
                            + display(f.getKey(), a) + "), which livestack cannot publish\n"
                            + "Deploy this stack with `cdk deploy`, or use Code.fromAsset on a folder or file.");
                }
                List<Destination> dests = new ArrayList<>();
                a.path("destinations").forEach(d -> dests.add(new Destination(d.path("bucketName").asText(),
                        d.path("objectKey").asText(), d.path("region").asText(null), d.path("assumeRoleArn").asText(null),
                        d.path("assumeRoleExternalId").asText(null))));
                boolean zip = a.path("source").path("packaging").asText("file").startsWith("zip");
                files.add(new FileAsset(f.getKey(), display(f.getKey(), a), base.resolve(path).normalize(), zip, dests));
            });
            m.path("dockerImages").fields().forEachRemaining(i -> {
                JsonNode a = i.getValue();
                String directory = a.path("source").path("directory").asText(null);
                List<ImageDestination> dests = new ArrayList<>();
                a.path("destinations").forEach(d -> dests.add(new ImageDestination(d.path("repositoryName").asText(),
                        d.path("imageTag").asText(), d.path("region").asText(null), d.path("assumeRoleArn").asText(null),
                        d.path("assumeRoleExternalId").asText(null))));
                images.add(new ImageAsset(i.getKey(), display(i.getKey(), a),
                        directory == null ? null : base.resolve(directory).normalize(), a.path("source"), dests));
            });
        }
        legacyAssets(stack.path("metadata"), legacy);
        // Newer assemblies (schema 4x and later) keep the metadata in a file of its own.
        String extra = stack.path("additionalMetadataFile").asText(null);
        if (extra != null && Files.isRegularFile(dir.resolve(extra))) {
            legacyAssets(read(dir.resolve(extra)), legacy);
        }
        return new AssetManifest(stackName, files, images, legacy);
    }

    private static void legacyAssets(JsonNode metadata, List<String> out) {
        metadata.fields().forEachRemaining(md -> md.getValue().forEach(entry -> {
            if ("aws:cdk:asset".equals(entry.path("type").asText())) {
                out.add(entry.path("data").path("path").asText(md.getKey()));
            }
        }));
    }

    private static String display(String id, JsonNode asset) {
        return asset.path("displayName").asText(id);
    }

    /**
     * The two-line refusal for assets livestack cannot publish (images built by a command, legacy synthesizer
     * assets), or empty when it can publish them all.
     */
    Optional<String> unsupported() {
        for (ImageAsset i : images) {
            if (i.directory() == null) {
                return Optional.of("stack " + stackName + " has a Docker image asset built by a command (" + i.displayName()
                        + ", id " + i.id() + "), which livestack cannot publish\n"
                        + "Deploy this stack with `cdk deploy`, or build the image from a folder (DockerImageAsset with a directory).");
            }
        }
        if (!legacy.isEmpty()) {
            return Optional.of("stack " + stackName + " has assets of the legacy stack synthesizer (" + String.join(", ", legacy)
                    + "), which livestack does not publish\n"
                    + "Use the DefaultStackSynthesizer (CDK v2's default), or deploy this stack with `cdk deploy`.");
        }
        return Optional.empty();
    }

    private static ObjectNode read(Path file) {
        try {
            return Json.parseObject(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            throw new AssetPublisher.AssetException("cannot read the cloud assembly's " + file + ": " + e.getMessage() + "\n"
                    + "Synthesise the app again (the assembly may be half-written or from another CDK version).");
        }
    }
}
