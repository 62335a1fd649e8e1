package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/**
 * Container image assets, published as cdk-assets publishes them: the ECR repository looked up (created on
 * local-cloud, as a missing bootstrap is), {@code docker login} with an ECR authorization token, {@code docker build}
 * of the asset's folder under the local tag {@code cdkasset-<id>} (skipped when {@code docker inspect} finds it),
 * {@code docker tag} and {@code docker push}. Whether docker can do it at all is asked before any stack is touched.
 */
final class DockerImages {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

    private final Path docker;
    private final EcrClient ecr;
    private final boolean bootstrapLocal;
    private final Retry retry;
    private final Consumer<DeployEvent> events;
    private final Duration timeout;
    private final Set<String> loggedIn = ConcurrentHashMap.newKeySet();
    /**
     * The probe costs half a second (docker's client start-up), on every watch cycle: once the engine has answered it
     * is not asked again (a build then fails with docker's own error if it stopped); until then it is asked each time.
     */
    private volatile boolean engineAnswered;

    /** @param docker the docker executable (found on PATH by the caller), or {@code null} when there is none */
    DockerImages(Path docker, EcrClient ecr, boolean bootstrapLocal, Retry retry, Consumer<DeployEvent> events,
                 Duration timeout) {
        this.docker = docker;
        this.ecr = ecr;
        this.bootstrapLocal = bootstrapLocal;
        this.retry = retry;
        this.events = events;
        this.timeout = timeout;
    }

    /** One finished docker command. */
    record Run(int exit, String out, String err) {
        /** The last line docker wrote to stderr (or stdout), for an error message. */
        String lastLine() {
            String text = err.isBlank() ? out : err;
            List<String> lines = text.strip().lines().filter(x -> !x.isBlank()).toList();
            return lines.isEmpty() ? "exit code " + exit : lines.get(lines.size() - 1).strip();
        }
    }

    /**
     * Why the stack's image assets cannot be built here (two lines: what, what to do), or empty: docker is on PATH
     * and its engine answers {@code docker version}. Asked until it has answered once, so starting Docker mid-watch is enough.
     */
    Optional<String> unavailable(AssetManifest manifest) {
        if (manifest.images().isEmpty()) {
            return Optional.empty();
        }
        AssetManifest.ImageAsset first = manifest.images().get(0);
        String asset = "stack " + manifest.stackName() + " has a Docker image asset, " + first.displayName() + " (id "
                + first.id() + ", source " + first.directory() + ")";
        if (ecr == null) {
            return Optional.of(asset + ", but the deployer has no ECR client to push it with\n"
                    + "Configure the deployer with an ECR client (DeployerConfig.Assets.withDocker).");
        }
        if (docker == null) {
            return Optional.of(asset + ", and docker is not on PATH to build it\n"
                    + "Install Docker and start it (or put docker on PATH), then deploy again; livestack builds and pushes "
                    + "image assets with docker as `cdk deploy` does.");
        }
        if (engineAnswered) {
            return Optional.empty();
        }
        Run v;
        try {
            v = run(List.of("version", "--format", "{{.Server.Version}}"), null, null, PROBE_TIMEOUT);
        } catch (IOException e) {
            v = new Run(-1, "", String.valueOf(e.getMessage()));
        }
        if (v.exit() != 0 || v.out().isBlank()) {
            return Optional.of(asset + ", and Docker's engine does not answer (docker version: " + v.lastLine() + ")\n"
                    + "Start Docker (Docker Desktop, or the docker service), then deploy again.");
        }
        engineAnswered = true;
        return Optional.empty();
    }

    /** Builds and pushes every image asset of the stack; {@code substitute} fills in account and region placeholders. */
    void publish(AssetManifest manifest, UnaryOperator<String> substitute, Retry.Listener l) {
        if (manifest.images().isEmpty()) {
            return;
        }
        unavailable(manifest).ifPresent(m -> {
            throw new AssetPublisher.AssetException(m);
        });
        String stack = manifest.stackName();
        for (AssetManifest.ImageAsset image : manifest.images()) {
            if (!Files.isDirectory(image.directory())) {
                throw new AssetPublisher.AssetException("Docker image asset " + image.displayName() + " of stack " + stack
                        + " is missing from the cloud assembly (" + image.directory() + ")\nSynthesise the app again, then deploy.");
            }
            for (AssetManifest.ImageDestination d : image.destinations()) {
                long t0 = System.nanoTime();
                String repository = substitute.apply(d.repositoryName());
                String imageUri = repositoryUri(stack, repository, l) + ":" + substitute.apply(d.imageTag());
                login(stack, l);
                String localTag = "cdkasset-" + image.id().toLowerCase(java.util.Locale.ROOT);
                boolean cached = docker(List.of("inspect", localTag), null, image, stack, false).exit() == 0;
                if (!cached) {
                    docker(buildCommand(image.source(), localTag), image.directory(), image, stack, true);
                }
                docker(List.of("tag", localTag, imageUri), null, image, stack, true);
                docker(List.of("push", imageUri), null, image, stack, true);
                events.accept(new DeployEvent.ImagePublished(stack, image.displayName(), imageUri, !cached,
                        Duration.ofNanos(System.nanoTime() - t0)));
            }
        }
    }

    /** {@code docker build} as cdk-assets runs it, in the asset's folder, from the manifest's source. */
    static List<String> buildCommand(JsonNode source, String tag) {
        List<String> cmd = new ArrayList<>();
        cmd.add("build");
        source.path("dockerBuildArgs").fields().forEachRemaining(e -> cmd.addAll(List.of("--build-arg", e.getKey() + "=" + e.getValue().asText())));
        source.path("dockerBuildContexts").fields().forEachRemaining(e -> cmd.addAll(List.of("--build-context", e.getKey() + "=" + e.getValue().asText())));
        source.path("dockerBuildSecrets").fields().forEachRemaining(e -> cmd.addAll(List.of("--secret", "id=" + e.getKey() + "," + e.getValue().asText())));
        if (source.hasNonNull("dockerBuildSsh")) {
            cmd.addAll(List.of("--ssh", source.get("dockerBuildSsh").asText()));
        }
        cmd.addAll(List.of("--tag", tag));
        if (source.hasNonNull("dockerBuildTarget")) {
            cmd.addAll(List.of("--target", source.get("dockerBuildTarget").asText()));
        }
        if (source.hasNonNull("dockerFile")) {
            cmd.addAll(List.of("--file", source.get("dockerFile").asText()));
        }
        if (source.hasNonNull("networkMode")) {
            cmd.addAll(List.of("--network", source.get("networkMode").asText()));
        }
        if (source.hasNonNull("platform")) {
            cmd.addAll(List.of("--platform", source.get("platform").asText()));
        }
        source.path("dockerOutputs").forEach(o -> cmd.add("--output=" + o.asText()));
        source.path("cacheFrom").forEach(c -> cmd.addAll(List.of("--cache-from", cacheFlag(c))));
        if (source.hasNonNull("cacheTo")) {
            cmd.addAll(List.of("--cache-to", cacheFlag(source.get("cacheTo"))));
        }
        if (source.path("cacheDisabled").asBoolean(false)) {
            cmd.add("--no-cache");
        }
        cmd.add(".");
        return cmd;
    }

    /** {@code type=<type>,k=v,…}, as cdk-assets writes a cache option. */
    private static String cacheFlag(JsonNode option) {
        StringBuilder b = new StringBuilder("type=").append(option.path("type").asText());
        option.path("params").fields().forEachRemaining(e -> b.append(',').append(e.getKey()).append('=').append(e.getValue().asText()));
        return b.toString();
    }

    /** The repository's URI; on local-cloud a missing repository is created (an implicit {@code cdk bootstrap}). */
    private String repositoryUri(String stack, String repository, Retry.Listener l) {
        try {
            Repository r = retry.call("DescribeRepositories", l,
                    () -> ecr.describeRepositories(b -> b.repositoryNames(repository))).repositories().get(0);
            return r.repositoryUri();
        } catch (RepositoryNotFoundException e) {
            if (!bootstrapLocal) {
                throw new AssetPublisher.AssetException("No ECR repository named '" + repository + "' for the image assets of stack "
                        + stack + ": is this account bootstrapped?\nRun `cdk bootstrap` for this account and region, then deploy again.");
            }
            Repository r = retry.call("CreateRepository", l, () -> ecr.createRepository(b -> b.repositoryName(repository))).repository();
            events.accept(new DeployEvent.Bootstrapped(stack, "ECR repository " + repository));
            return r.repositoryUri();
        }
    }

    /** {@code docker login} to the registry with an ECR authorization token, once per deployer. */
    private void login(String stack, Retry.Listener l) {
        AuthorizationData auth = retry.call("GetAuthorizationToken", l, () -> ecr.getAuthorizationToken(b -> { }))
                .authorizationData().get(0);
        String endpoint = auth.proxyEndpoint().replaceAll("^https?://|/$", "");
        if (loggedIn.contains(endpoint)) {
            return;
        }
        String decoded = new String(Base64.getDecoder().decode(auth.authorizationToken()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        Run r;
        try {
            // the token goes on stdin, never on the command line where ps would show it
            r = run(List.of("login", "--username", user, "--password-stdin", endpoint), null, password, PROBE_TIMEOUT);
        } catch (IOException e) {
            r = new Run(-1, "", String.valueOf(e.getMessage()));
        }
        if (r.exit() != 0) {
            throw new AssetPublisher.AssetException("docker login to " + endpoint + " for the image assets of stack " + stack
                    + " failed: " + r.lastLine() + "\nCheck that Docker runs and the credentials may call ecr:GetAuthorizationToken, then deploy again.");
        }
        loggedIn.add(endpoint);
    }

    private Run docker(List<String> args, Path cwd, AssetManifest.ImageAsset image, String stack, boolean mustSucceed) {
        Run r;
        try {
            r = run(args, cwd, null, timeout);
        } catch (IOException e) {
            r = new Run(-1, "", String.valueOf(e.getMessage()));
        }
        if (mustSucceed && r.exit() != 0) {
            throw new AssetPublisher.AssetException("docker " + args.get(0) + " of image asset " + image.displayName() + " (id "
                    + image.id() + ", source " + image.directory() + ") of stack " + stack + " failed: " + r.lastLine()
                    + "\nRun the same `docker " + args.get(0) + "` yourself" + (cwd == null ? "" : " in " + cwd)
                    + " to see its whole output, fix the cause, then deploy again.");
        }
        return r;
    }

    /** Runs docker; output is kept (its last 64 KB per stream), never printed. */
    Run run(List<String> args, Path cwd, String stdin, Duration limit) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(docker.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        // Docker Build adds provenance attestations by default, which ECR and Lambda do not take as an image
        pb.environment().put("BUILDX_NO_DEFAULT_ATTESTATIONS", "1");
        Process p = pb.start();
        Tail out = new Tail(p.getInputStream());
        Tail err = new Tail(p.getErrorStream());
        out.start();
        err.start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException ignored) {
            // the command did not read its input; its exit code says what happened
        }
        try {
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Run(-1, out.text(), "docker " + args.get(0) + " took longer than " + limit);
            }
            out.join(5_000);
            err.join(5_000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while docker " + args.get(0) + " ran", e);
        }
        return new Run(p.exitValue(), out.text(), err.text());
    }

    /** Keeps the end of a stream. */
    private static final class Tail extends Thread {
        private static final int KEEP = 64 * 1024;
        private final InputStream in;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        Tail(InputStream in) {
            this.in = in;
            setDaemon(true);
        }

        @Override
        public void run() {
            byte[] b = new byte[8192];
            try {
                for (int n = in.read(b); n >= 0; n = in.read(b)) {
                    synchronized (buf) {
                        buf.write(b, 0, n);
                        if (buf.size() > 2 * KEEP) {
                            byte[] all = buf.toByteArray();
                            buf.reset();
                            buf.write(all, all.length - KEEP, KEEP);
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }

        String text() {
            synchronized (buf) {
                return buf.toString(StandardCharsets.UTF_8);
            }
        }
    }

}
