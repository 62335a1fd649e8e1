package dev.livestack.deployer;

import java.util.Map;
import java.util.Objects;

/**
 * One AWS call (with its wait) a hot-swap makes. Planned purely by a {@link HotswapHandler}; applied by the
 * deployer, code and configuration first, then versions, then aliases.
 */
public sealed interface HotswapAction {

    /** The physical resource the action changes (function name, state machine ARN). */
    String target();

    /** Replace a function's code with the zip CloudFormation builds from inline source ({@code Code.ZipFile}). */
    record InlineCode(String target, String runtime, String source) implements HotswapAction {
        public InlineCode {
            requireText(target, "target");
            requireText(runtime, "runtime");
            Objects.requireNonNull(source, "source");
        }
    }

    /** Replace a function's code with an object in S3 ({@code Code.S3Bucket/S3Key/S3ObjectVersion}). */
    record S3Code(String target, String bucket, String key, String objectVersion) implements HotswapAction {
        public S3Code {
            requireText(target, "target");
            requireText(bucket, "bucket");
            requireText(key, "key");
        }
    }

    /**
     * Replace an asset-based function's code ({@code aws:asset:path} metadata) with its staged asset: the folder zipped
     * as publishing zips it (or the file as it is), sent directly when at most 50 MB, else through {@code bucket/key}
     * (the template's {@code Code.S3Bucket/S3Key}, uploaded when missing).
     */
    record AssetCode(String target, java.nio.file.Path asset, String bucket, String key) implements HotswapAction {
        public AssetCode {
            requireText(target, "target");
            Objects.requireNonNull(asset, "asset");
            requireText(bucket, "bucket");
            requireText(key, "key");
        }
    }

    /** Replace a function's container image ({@code Code.ImageUri}). */
    record ImageCode(String target, String imageUri) implements HotswapAction {
        public ImageCode {
            requireText(target, "target");
            requireText(imageUri, "imageUri");
        }
    }

    /**
     * Update a function's configuration.
     *
     * @param environment the complete new environment, or {@code null} to leave it
     * @param description the new description, or {@code null} to leave it
     */
    record FunctionConfiguration(String target, Map<String, String> environment, String description) implements HotswapAction {
        public FunctionConfiguration {
            requireText(target, "target");
            environment = environment == null ? null : Map.copyOf(environment);
            if (environment == null && description == null) {
                throw new IllegalArgumentException("environment and description must not both be null");
            }
        }
    }

    /** Publish a new version of a function for a changed {@code AWS::Lambda::Version} resource. */
    record PublishVersion(String target, String versionLogicalId, String description) implements HotswapAction {
        public PublishVersion {
            requireText(target, "target");
            requireText(versionLogicalId, "versionLogicalId");
        }
    }

    /**
     * Point an alias at a version: the one published in this run for {@code versionLogicalId}, else {@code version}.
     */
    record UpdateAlias(String target, String aliasName, String versionLogicalId, String version) implements HotswapAction {
        public UpdateAlias {
            requireText(target, "target");
            requireText(aliasName, "aliasName");
            if ((versionLogicalId == null || versionLogicalId.isBlank()) && (version == null || version.isBlank())) {
                throw new IllegalArgumentException("versionLogicalId or version must be set");
            }
        }
    }

    /** Replace a Step Functions state machine's definition. */
    record StateMachineDefinition(String target, String definition) implements HotswapAction {
        public StateMachineDefinition {
            requireText(target, "target");
            requireText(definition, "definition");
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
