package dev.livestack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestack.localcloud.LocalCloud;
import dev.livestack.localcloud.LocalCloudConfig;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

/**
 * A DockerImageAsset app (two stacks, the second with an image asset) where docker cannot build: with this machine's
 * real docker client and no engine, and with no docker on PATH. One clear error naming the asset, exit 2, and no stack
 * deployed, not even the first; in watch the same error and the loop goes on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerAssetsIT {
    private Path dir;
    private LocalCloud cloud;
    private CloudFormationClient cfn;

    @BeforeAll
    void setUp() throws IOException {
        dir = Files.createTempDirectory("livestack-docker");
        cloud = LocalCloud.start(LocalCloudConfig.defaults(dir.resolve("cloud"), 0));
        cfn = CloudFormationClient.builder().region(Region.US_EAST_1).endpointOverride(cloud.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    }

    @AfterAll
    void tearDown() {
        cfn.close();
        cloud.close();
    }

    /** What {@code cdk synth} writes for a Topic stack and an image stack (DockerImageAsset) depending on it. */
    private Path app(String name) throws IOException {
        Path app = Files.createDirectories(dir.resolve(name));
        Files.writeString(app.resolve("cdk.json"), "{\"app\": \"python3 app.py\"}");
        Files.writeString(app.resolve("app.py"), """
                import json, os
                out = os.environ["CDK_OUTDIR"]
                os.makedirs(os.path.join(out, "asset.c0ffee"), exist_ok=True)
                open(os.path.join(out, "asset.c0ffee", "Dockerfile"), "w").write("FROM scratch\\n")
                topic = {"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}
                json.dump(topic, open(os.path.join(out, "%1$sBase.template.json"), "w"))
                json.dump({"Resources": {"P": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String",
                  "Value": {"Fn::Sub": "${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/cdk-hnb659fds-container-assets-${AWS::AccountId}-${AWS::Region}:c0ffee"}}}}},
                  open(os.path.join(out, "%1$sImage.template.json"), "w"))
                json.dump({"version": "48.0.0", "files": {}, "dockerImages": {"c0ffee": {"displayName": "Api/Image",
                  "source": {"directory": "asset.c0ffee"}, "destinations": {"current_account-current_region": {
                  "repositoryName": "cdk-hnb659fds-container-assets-${AWS::AccountId}-${AWS::Region}", "imageTag": "c0ffee"}}}}},
                  open(os.path.join(out, "%1$sImage.assets.json"), "w"))
                env = "aws://unknown-account/unknown-region"
                json.dump({"version": "48.0.0", "artifacts": {
                  "%1$sBase": {"type": "aws:cloudformation:stack", "environment": env,
                    "properties": {"templateFile": "%1$sBase.template.json"}},
                  "%1$sImage.assets": {"type": "cdk:asset-manifest", "properties": {"file": "%1$sImage.assets.json"}},
                  "%1$sImage": {"type": "aws:cloudformation:stack", "environment": env,
                    "properties": {"templateFile": "%1$sImage.template.json"}, "dependencies": ["%1$sBase", "%1$sImage.assets"]}}},
                  open(os.path.join(out, "manifest.json"), "w"))
                """.formatted(name));
        return app;
    }

    private boolean deployed(String stack) {
        return cfn.listStacks().stackSummaries().stream()
                .anyMatch(s -> s.stackName().equals(stack) && !s.stackStatusAsString().equals("DELETE_COMPLETE"));
    }

    private void refused(String name, Map<String, String> env, String why) throws IOException {
        Path app = app(name);
        Cli.Result r = Cli.run(app, env, null, "deploy", "--endpoint-url", cloud.endpoint().toString(),
                "--require-approval", "never");
        assertEquals(2, r.exit(), r::toString);
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(2, lines.size(), r::toString);
        assertTrue(lines.get(0).startsWith("error: stack " + name + "Image has a Docker image asset, Api/Image (id c0ffee, source "),
                r::toString);
        assertTrue(lines.get(0).contains("asset.c0ffee"), r::toString);
        assertTrue(lines.get(0).contains(why), r::toString);
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r::toString);
        assertFalse(deployed(name + "Base"), "the stack before the image stack was deployed: a half deploy");
        assertFalse(deployed(name + "Image"));
    }

    @Test
    void theRealDockerClientWithoutAnEngine() throws IOException {
        Map<String, String> env = Cli.cleanEnv();
        assumeTrue(Executables.find("docker", env).isPresent(), "this machine's docker client is on PATH");
        refused("Engine", env, "Docker's engine does not answer (docker version: ");
    }

    @Test
    void noDockerOnPath() throws IOException {
        Map<String, String> env = new HashMap<>(Cli.cleanEnv());
        // the PATH without any folder that holds a docker (python3 stays reachable)
        env.put("PATH", Arrays.stream(env.get("PATH").split(File.pathSeparator))
                .filter(d -> !Files.isExecutable(Path.of(d, "docker"))).collect(Collectors.joining(File.pathSeparator)));
        refused("NoDocker", env, "docker is not on PATH");
    }

    @Test
    void watchShowsTheSameErrorAndGoesOn() throws Exception {
        Path app = app("Watched");
        InProcessWatch watch = new InProcessWatch(app, cloud.endpoint().toString(), Duration.ofSeconds(60), "--stack", "*");
        try {
            JsonNode error = watch.await(e -> e.path("type").asText().equals("error"), 0, "the asset error");
            assertTrue(error.path("message").asText().contains("has a Docker image asset, Api/Image (id c0ffee"), watch::tail);
            watch.await(e -> e.path("type").asText().equals("watch.ready"), 0, "watch.ready");
            int mark = watch.mark();
            Files.writeString(app.resolve("app.py"), Files.readString(app.resolve("app.py")) + "\n# a save\n");
            JsonNode again = watch.await(e -> e.path("type").asText().equals("error"), mark, "the error after a save");
            assertEquals(error.path("message").asText(), again.path("message").asText());
            assertFalse(deployed("WatchedBase"));
        } finally {
            watch.quit();
        }
    }
}
