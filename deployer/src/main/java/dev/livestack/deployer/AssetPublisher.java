package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.inlinepackager.LambdaZip;
import dev.livestack.inlinepackager.PackagingException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Publishes a stack's file assets to their S3 destinations before a change set (what {@code cdk deploy} does with
 * cdk-assets), and makes the CDK bootstrap resources exist on local-cloud. A folder asset is zipped with
 * {@link LambdaZip#writeFolderZip}, the same bytes a hot-swap of an asset-based function sends, so both give one
 * {@code CodeSha256}. An object that already exists (HeadObject) is not uploaded again: its key is the asset's
 * content hash.
 */
final class AssetPublisher {
    /** The bootstrap version livestack writes on local-cloud (what a current {@code cdk bootstrap} writes). */
    static final String BOOTSTRAP_VERSION = "30";

    private final S3Client s3;
    private final DeployerConfig.Assets settings;
    private final Retry retry;
    private final Consumer<DeployEvent> events;
    private final Set<String> knownBuckets = ConcurrentHashMap.newKeySet();
    /** Bootstrap version parameters seen to exist: checked once per deployer, as the buckets are. */
    private final Set<String> knownParameters = ConcurrentHashMap.newKeySet();
    private final BootstrapRoles roles;
    private final DockerImages images;

    AssetPublisher(S3Client s3, DeployerConfig.Assets settings, Retry retry, Consumer<DeployEvent> events, BootstrapRoles roles) {
        this.s3 = s3;
        this.settings = settings;
        this.retry = retry;
        this.events = events;
        this.roles = roles;
        this.images = new DockerImages(settings.docker(), settings.ecr(), settings.bootstrapLocal(), retry, events,
                Duration.ofMinutes(30));
    }

    /** Why this stack's assets cannot be published here (two lines), or empty; reads manifests, asks docker. */
    Optional<String> cannotPublish(java.nio.file.Path assemblyDir, String stackName) {
        try {
            AssetManifest manifest = AssetManifest.forStack(assemblyDir, stackName);
            Optional<String> unsupported = manifest.unsupported();
            return unsupported.isPresent() ? unsupported : images.unavailable(manifest);
        } catch (AssetException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** A publishing or bootstrap failure; the message has two lines: what failed, what to do. */
    static final class AssetException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AssetException(String message) {
            super(message);
        }

        AssetException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A deployment package on disk: a zipped folder (temporary) or an asset file as it is. */
    record Package(Path file, boolean temporary) implements AutoCloseable {
        long size() {
            try {
                return Files.size(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        byte[] bytes() {
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            if (temporary) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    /** The package of an asset: a folder zipped deterministically, a file as it is. */
    static Package packageOf(Path source) {
        if (Files.isRegularFile(source)) {
            return new Package(source, false);
        }
        try {
            Path tmp = Files.createTempFile("livestack-asset", ".zip");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                LambdaZip.writeFolderZip(source, out);
            } catch (PackagingException | IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                if (e instanceof PackagingException p) {
                    throw new AssetException(p.getMessage() + "\n" + p.hint(), e);
                }
                throw new AssetException("cannot zip asset folder " + source + ": " + e.getMessage()
                        + "\nCheck that the folder's files are readable.", e);
            }
            return new Package(tmp, true);
        } catch (IOException e) {
            throw new AssetException("cannot create a temporary file to zip " + source + ": " + e.getMessage()
                    + "\nCheck the free space and permissions of the temporary folder.", e);
        }
    }

    String region() {
        if (settings.region() != null) {
            return settings.region();
        }
        var r = s3 == null ? null : s3.serviceClientConfiguration().region();
        return r == null ? "us-east-1" : r.id();
    }

    private static String partition(String region) {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    }

    /** Replaces the cloud-assembly placeholders {@code ${AWS::AccountId}}, {@code ${AWS::Region}}, {@code ${AWS::Partition}}. */
    String substitute(String value, String stackName) {
        String out = value.replace("${AWS::Region}", region()).replace("${AWS::Partition}", partition(region()));
        if (out.contains("${AWS::AccountId}")) {
            if (settings.accountId() == null) {
                throw new AssetException("the asset destination " + value + " of stack " + stackName + " names the account, "
                        + "which livestack does not know\nGive the deployer the target's account id (the cli reads it with STS).");
            }
            out = out.replace("${AWS::AccountId}", settings.accountId());
        }
        return out;
    }

    /**
     * Before a change set: refuses assets livestack cannot publish, makes the bootstrap version parameter exist when
     * the template checks it (local-cloud) or says to run {@code cdk bootstrap}, and uploads every file asset that is
     * not in its bucket yet.
     */
    void publish(AssetManifest manifest, ObjectNode template, Retry.Listener l) {
        String stack = manifest.stackName().isEmpty() ? "(unknown)" : manifest.stackName();
        manifest.unsupported().ifPresent(m -> {
            throw new AssetException(m);
        });
        // docker must be able to build the images before anything is uploaded, so a stack is published whole or not at all
        images.unavailable(manifest).ifPresent(m -> {
            throw new AssetException(m);
        });
        checkBootstrap(stack, template, l);
        publishFiles(manifest, stack, l);
        images.publish(manifest, v -> substitute(v, stack), l);
    }

    private void publishFiles(AssetManifest manifest, String stack, Retry.Listener l) {
        if (manifest.files().isEmpty()) {
            return;
        }
        if (s3 == null) {
            throw new AssetException("stack " + stack + " has file assets, but the deployer has no S3 client to publish them\n"
                    + "Configure the deployer with an S3 client (DeployerConfig.withS3).");
        }
        for (AssetManifest.FileAsset a : manifest.files()) {
            for (AssetManifest.Destination d : a.destinations()) {
                String bucket = substitute(d.bucketName(), stack);
                String key = substitute(d.objectKey(), stack);
                long t0 = System.nanoTime();
                ensureBucket(stack, bucket, l);
                // uploads act as the file-publishing role the manifest names, as cdk-assets does
                S3Client client = roles.act(stack, "file-publishing", d.assumeRoleArn(), d.assumeRoleExternalId(),
                        v -> substitute(v, stack)).map(RoleAssumer.RoleClients::s3).orElse(s3);
                if (exists(client, bucket, key, l)) {
                    events.accept(new DeployEvent.AssetPublished(stack, a.displayName(), bucket, key, 0, false,
                            Duration.ofNanos(System.nanoTime() - t0)));
                    continue;
                }
                if (!Files.exists(a.source())) {
                    throw new AssetException("asset " + a.displayName() + " of stack " + stack + " is missing from the cloud assembly ("
                            + a.source() + ")\nSynthesise the app again, then deploy.");
                }
                try (Package p = packageOf(a.source())) {
                    put(client, bucket, key, p, l);
                    events.accept(new DeployEvent.AssetPublished(stack, a.displayName(), bucket, key, p.size(), true,
                            Duration.ofNanos(System.nanoTime() - t0)));
                }
            }
        }
    }

    /** For a hot-swap above Lambda's direct-upload limit: the package in {@code bucket/key}, uploaded unless there. */
    void ensureUploaded(String stack, Path source, Package p, String bucket, String key, Retry.Listener l) {
        long t0 = System.nanoTime();
        if (s3 == null) {
            throw new AssetException("the code of " + source + " is above Lambda's 50 MB direct-upload limit and the deployer has no S3 client\n"
                    + "Configure the deployer with an S3 client, or deploy through a change set.");
        }
        ensureBucket(stack, bucket, l);
        if (!exists(s3, bucket, key, l)) {
            put(s3, bucket, key, p, l);
            events.accept(new DeployEvent.AssetPublished(stack, source.getFileName().toString(), bucket, key, p.size(), true,
                    Duration.ofNanos(System.nanoTime() - t0)));
        }
    }

    private void put(S3Client s3, String bucket, String key, Package p, Retry.Listener l) {
        retry.run("PutObject", l, () -> s3.putObject(b -> b.bucket(bucket).key(key)
                .contentType(key.endsWith(".zip") ? "application/zip" : "application/octet-stream"), RequestBody.fromFile(p.file())));
    }

    private boolean exists(S3Client s3, String bucket, String key, Retry.Listener l) {
        try {
            retry.run("HeadObject", l, () -> s3.headObject(b -> b.bucket(bucket).key(key)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** The staging bucket exists, or is created on local-cloud; elsewhere its absence fails with "run cdk bootstrap". */
    private void ensureBucket(String stack, String bucket, Retry.Listener l) {
        if (knownBuckets.contains(bucket)) {
            return;
        }
        boolean missing;
        try {
            retry.run("HeadBucket", l, () -> s3.headBucket(b -> b.bucket(bucket)));
            missing = false;
        } catch (NoSuchBucketException e) {
            missing = true;
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            missing = true;
        }
        if (missing) {
            if (!settings.bootstrapLocal()) {
                throw new AssetException("the CDK staging bucket " + bucket + " does not exist, so the assets of stack " + stack
                        + " cannot be published\n" + runBootstrap());
            }
            String region = region();
            try {
                retry.run("CreateBucket", l, () -> s3.createBucket(b -> {
                    b.bucket(bucket);
                    if (!region.equals("us-east-1")) {
                        b.createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.fromValue(region)));
                    }
                }));
            } catch (IllegalArgumentException e) {
                // The SDK checks a new bucket's name before sending. The synthesizer builds this name from the stack's env
                // account and region, so a made-up account (not 12 digits) gives a name no S3 accepts; cdk deploy fails
                // on such an account too (no credentials or role of that account).
                throw new AssetException("the CDK staging bucket name " + bucket + " of stack " + stack
                        + " is not a valid S3 bucket name: " + e.getMessage() + "\nGive the stack a 12-digit account id "
                        + "in its env, or no account so that the target's is used, then synthesise again.", e);
            }
            events.accept(new DeployEvent.Bootstrapped(stack, "s3://" + bucket));
        }
        knownBuckets.add(bucket);
    }

    /** The second line of a missing-bootstrap error: the command that makes it exist. */
    private String runBootstrap() {
        return "Run `cdk bootstrap aws://" + (settings.accountId() == null ? "<account>" : settings.accountId()) + "/" + region()
                + "` once for this account and region, then deploy again.";
    }

    /**
     * The SSM parameter CDK's {@code BootstrapVersion} parameter defaults to (and its {@code CheckBootstrapVersion}
     * rule checks) exists: created on local-cloud, else a clear "run cdk bootstrap" (CloudFormation's own error only
     * says it cannot fetch the parameter). Without an SSM client nothing is checked.
     */
    void checkBootstrap(String stack, ObjectNode template, Retry.Listener l) {
        SsmClient ssm = settings.ssm();
        JsonNode def = template.path("Parameters").path("BootstrapVersion").path("Default");
        if (ssm == null || !def.isTextual() || !def.asText().startsWith("/cdk-bootstrap/")) {
            return;
        }
        String name = def.asText();
        if (knownParameters.contains(name)) {
            return;
        }
        try {
            retry.run("GetParameter", l, () -> ssm.getParameter(b -> b.name(name)));
        } catch (ParameterNotFoundException e) {
            if (!settings.bootstrapLocal()) {
                throw new AssetException("stack " + stack + " needs the CDK bootstrap stack, but the SSM parameter " + name
                        + " does not exist in " + region() + "\n" + runBootstrap());
            }
            retry.run("PutParameter", l, () -> ssm.putParameter(b -> b.name(name).value(BOOTSTRAP_VERSION)
                    .type(ParameterType.STRING).overwrite(true)));
            events.accept(new DeployEvent.Bootstrapped(stack, "ssm:" + name));
        }
        knownParameters.add(name);
    }
}
