package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class DockerImagesTest {
    @Test
    void theBuildCommandHasCdkAssetsFlagsInItsOrder() {
        var source = Json.parseObject("""
                {"directory": "asset.1", "dockerFile": "build/Dockerfile", "dockerBuildTarget": "runtime",
                 "dockerBuildArgs": {"A": "1", "B": "x=y"}, "dockerBuildContexts": {"lib": "../lib"},
                 "dockerBuildSecrets": {"npm": "src=.npmrc"}, "dockerBuildSsh": "default", "networkMode": "host",
                 "platform": "linux/amd64", "dockerOutputs": ["type=docker"],
                 "cacheFrom": [{"type": "registry", "params": {"ref": "repo:cache"}}],
                 "cacheTo": {"type": "inline"}, "cacheDisabled": true}
                """);
        assertEquals(List.of("build", "--build-arg", "A=1", "--build-arg", "B=x=y", "--build-context", "lib=../lib",
                "--secret", "id=npm,src=.npmrc", "--ssh", "default", "--tag", "cdkasset-1", "--target", "runtime",
                "--file", "build/Dockerfile", "--network", "host", "--platform", "linux/amd64", "--output=type=docker",
                "--cache-from", "type=registry,ref=repo:cache", "--cache-to", "type=inline", "--no-cache", "."),
                DockerImages.buildCommand(source, "cdkasset-1"));
    }

    @Test
    void aPlainFolderIsBuiltWithTheTagOnly() {
        assertEquals(List.of("build", "--tag", "cdkasset-abc", "."),
                DockerImages.buildCommand(Json.parseObject("{\"directory\": \"asset.abc\"}"), "cdkasset-abc"));
    }
}
