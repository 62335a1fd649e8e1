package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Container image assets against local-cloud: the build and push sequence cdk-assets runs, with a stand-in
 * {@code docker} executable (a real process recording its arguments), and the refusal, before any stack is touched,
 * when docker is missing or its engine does not answer.
 */
class DockerAssetsIT extends LocalCloudFixture {
    private static final String IMAGE = "f00dfeed";
    private static SsmClient ssm;
    private static EcrClient ecr;

    @BeforeAll
    static void clients() {
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        ssm = SsmClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1).credentialsProvider(creds)
                .httpClientBuilder(ApacheHttpClient.builder()).build();
        ecr = EcrClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1).credentialsProvider(creds)
                .httpClientBuilder(ApacheHttpClient.builder()).build();
    }

    @AfterAll
    static void close() {
        ssm.close();
        ecr.close();
    }

    /** A stand-in docker: logs {@code <cwd> :: <args>} per call, keeps login's stdin, answers per {@code behaviour}. */
    private static Path standIn(Path bin, String behaviour) throws IOException {
        Files.createDirectories(bin);
        Path docker = bin.resolve("docker");
        Files.writeString(docker, """
                #!/bin/sh
                here="$(cd "$(dirname "$0")" && pwd)"
                echo "$PWD :: $*" >> "$here/docker.log"
                echo "BUILDX_NO_DEFAULT_ATTESTATIONS=$BUILDX_NO_DEFAULT_ATTESTATIONS" >> "$here/docker.env"
                %s
                case "$1" in
                  version) echo "27.3.1" ;;
                  login) cat > "$here/login.stdin"; echo "Login Succeeded" ;;
                  inspect) echo "Error: No such object: $2" >&2; exit 1 ;;
                  build) echo "#1 building"; echo "naming to docker.io/library/$4 done" ;;
                  *) ;;
                esac
                """.formatted(behaviour));
        Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwxr-xr-x"));
        return docker;
    }

    /** An asset assembly whose manifest has one image asset with a Dockerfile, build args, target and platform. */
    private static AssetAssembly.Synth synth(AssetAssembly a) throws IOException {
        AssetAssembly.Synth s = a.synth(Map.of("index.js", "exports.handler = async () => 1;".getBytes(StandardCharsets.UTF_8)),
                List.of(IMAGE));
        Path context = Files.createDirectories(a.dir.resolve("asset." + IMAGE));
        Files.writeString(context.resolve("Dockerfile.lambda"), "FROM public.ecr.aws/lambda/nodejs:20\n");
        Path manifest = a.dir.resolve(a.stackName + ".assets.json");
        ObjectNode m = Json.parseObject(Files.readString(manifest));
        ObjectNode image = (ObjectNode) m.path("dockerImages").path(IMAGE);
        ObjectNode source = image.putObject("source");
        source.put("directory", "asset." + IMAGE).put("dockerFile", "Dockerfile.lambda").put("dockerBuildTarget", "prod")
                .put("platform", "linux/arm64").putObject("dockerBuildArgs").put("GREETING", "a=b c");
        ObjectNode dest = (ObjectNode) image.path("destinations").elements().next();
        dest.put("repositoryName", "cdk-" + a.qualifier + "-container-assets-${AWS::AccountId}-${AWS::Region}");
        Files.writeString(manifest, Json.write(m));
        return s;
    }

    private static AssetAssembly assembly(String prefix) throws IOException {
        String stack = uniqueStack(prefix);
        String qualifier = "t" + Integer.toHexString(stack.hashCode()).replace("-", "");
        return new AssetAssembly(Files.createTempDirectory(root, "cdk.out"), stack, qualifier);
    }

    private static Harness harness(AssetAssembly a, Path docker) {
        return new Harness(c -> c.withS3(s3, "livestack-templates-000000000000-us-east-1")
                .withAssets(DeployerConfig.Assets.of(() -> a.dir, "000000000000", "us-east-1", ssm, true).withDocker(docker, ecr)));
    }

    private static boolean stackExists(String name) {
        return cf.listStacks().stackSummaries().stream().anyMatch(s -> s.stackName().equals(name)
                && !s.stackStatusAsString().equals("DELETE_COMPLETE"));
    }

    @Test
    void imagesAreBuiltTaggedAndPushedAsCdkAssetsDoes() throws Exception {
        AssetAssembly a = assembly("DockerPush");
        Path bin = Files.createTempDirectory(root, "bin");
        Path docker = standIn(bin, "");
        try (Harness h = harness(a, docker)) {
            AssetAssembly.Synth s = synth(a);
            assertTrue(h.deployer.cannotPublish(s.assembly(), a.stackName).isEmpty());
            DeployResult r = h.deployer.deploy(s.assembly(), s.stack(), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.DEPLOYED, r.status(), r::toString);

            String repo = "cdk-" + a.qualifier + "-container-assets-000000000000-us-east-1";
            String uri = "000000000000.dkr.ecr.us-east-1.amazonaws.com/" + repo + ":" + IMAGE;
            Path context = a.dir.resolve("asset." + IMAGE).toRealPath();
            List<String> calls = Files.readAllLines(bin.resolve("docker.log")).stream()
                    .filter(l -> !l.endsWith(":: version --format {{.Server.Version}}")).toList();
            assertEquals(List.of(
                    "login --username AWS --password-stdin 000000000000.dkr.ecr.us-east-1.amazonaws.com",
                    "inspect cdkasset-" + IMAGE,
                    "build --build-arg GREETING=a=b c --tag cdkasset-" + IMAGE + " --target prod --file Dockerfile.lambda"
                            + " --platform linux/arm64 .",
                    "tag cdkasset-" + IMAGE + " " + uri,
                    "push " + uri), calls.stream().map(l -> l.substring(l.indexOf(" :: ") + 4)).toList());
            assertEquals(context.toString(), calls.get(2).substring(0, calls.get(2).indexOf(" :: ")), "built in the asset's folder");
            assertTrue(Files.readAllLines(bin.resolve("docker.env")).stream().allMatch(l -> l.equals("BUILDX_NO_DEFAULT_ATTESTATIONS=1")));
            // the ECR token went to docker on stdin, never on its command line
            String password = Files.readString(bin.resolve("login.stdin"));
            assertTrue(password.length() >= 32, password);
            assertFalse(Files.readString(bin.resolve("docker.log")).contains(password));

            assertEquals(repo, ecr.describeRepositories(b -> b.repositoryNames(repo)).repositories().get(0).repositoryName(),
                    "local-cloud's missing container repository is created, as a missing bootstrap is");
            DeployEvent.ImagePublished pushed = h.events(DeployEvent.ImagePublished.class).get(0);
            assertEquals(uri, pushed.imageUri());
            assertTrue(pushed.built());
            assertTrue(h.events(DeployEvent.Bootstrapped.class).stream().anyMatch(b -> b.resource().contains(repo)));
        }
    }

    @Test
    void anEngineThatDoesNotAnswerStopsTheDeployBeforeAnythingIsTouched() throws Exception {
        AssetAssembly a = assembly("DockerDown");
        Path bin = Files.createTempDirectory(root, "bin");
        Path docker = standIn(bin, """
                if [ "$1" = version ]; then echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1; fi""");
        refusedBeforeAnything(a, docker, "Docker's engine does not answer (docker version: Cannot connect to the Docker daemon");
        assertEquals(List.of("version --format {{.Server.Version}}"), Files.readAllLines(bin.resolve("docker.log")).stream()
                .map(l -> l.substring(l.indexOf(" :: ") + 4)).distinct().toList(), "no build, no push");
    }

    @Test
    void theRealDockerClientWithoutAnEngineIsRefusedTheSameWay() throws Exception {
        Path real = Path.of("/usr/local/bin/docker");
        assumeTrue(Files.isExecutable(real), "this machine's docker client");
        AssetAssembly a = assembly("DockerReal");
        refusedBeforeAnything(a, real, "Docker's engine does not answer");
    }

    @Test
    void noDockerOnPathIsRefusedTheSameWay() throws Exception {
        refusedBeforeAnything(assembly("DockerNone"), null, "docker is not on PATH");
    }

    @Test
    void aFailedBuildNamesTheAssetAndDockersLastLine() throws Exception {
        AssetAssembly a = assembly("DockerFail");
        Path bin = Files.createTempDirectory(root, "bin");
        Path docker = standIn(bin, """
                if [ "$1" = build ]; then echo "#1 [internal] load build definition" >&2; echo "ERROR: failed to solve: base image not found" >&2; exit 1; fi""");
        try (Harness h = harness(a, docker)) {
            AssetAssembly.Synth s = synth(a);
            DeployResult r = h.deployer.deploy(s.assembly(), s.stack(), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.FAILED, r.status(), r::toString);
            List<String> lines = r.error().lines().toList();
            assertEquals(2, lines.size(), r.error());
            assertTrue(lines.get(0).startsWith("docker build of image asset Image/" + IMAGE + " (id " + IMAGE), lines.get(0));
            assertTrue(lines.get(0).endsWith("failed: ERROR: failed to solve: base image not found"), lines.get(0));
            assertTrue(h.events(DeployEvent.ChangeSetCreated.class).isEmpty());
            assertFalse(stackExists(a.stackName));
            assertFalse(Files.readString(bin.resolve("docker.log")).contains(":: push"));
        }
    }

    private void refusedBeforeAnything(AssetAssembly a, Path docker, String why) throws Exception {
        try (Harness h = harness(a, docker)) {
            AssetAssembly.Synth s = synth(a);
            String refusal = h.deployer.cannotPublish(s.assembly(), a.stackName).orElseThrow();
            List<String> lines = refusal.lines().toList();
            assertEquals(2, lines.size(), refusal);
            assertTrue(lines.get(0).startsWith("stack " + a.stackName + " has a Docker image asset, Image/" + IMAGE + " (id "
                    + IMAGE + ", source " + a.dir.resolve("asset." + IMAGE) + ")"), lines.get(0));
            assertTrue(lines.get(0).contains(why), lines.get(0));
            assertFalse(refusal.contains("\tat ") || refusal.contains("Exception"), refusal);

            DeployResult r = h.deployer.deploy(s.assembly(), s.stack(), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.FAILED, r.status());
            assertEquals(refusal, r.error());
            List<DeployResult> all = h.deployer.deployAll(s.assembly(), DeployMode.FULL);
            assertEquals(refusal, all.get(0).error());
            assertTrue(h.events(DeployEvent.AssetPublished.class).isEmpty(), "no file asset uploaded either");
            assertTrue(h.events(DeployEvent.ChangeSetCreated.class).isEmpty());
            assertFalse(stackExists(a.stackName));
        }
    }
}
