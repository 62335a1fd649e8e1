package dev.livestack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestack.localcloud.LocalCloud;
import dev.livestack.localcloud.LocalCloudConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

/** {@code watch --parameters}: the values apply to every cycle's deploy, the first included. */
class ParametersWatchIT {
    private static final String APP = """
            import json, os
            out = os.environ["CDK_OUTDIR"]
            os.makedirs(out, exist_ok=True)
            extra = open("extra.txt").read().strip()
            outputs = {"StageOut": {"Value": {"Ref": "Stage"}}}
            if extra:
                outputs[extra] = {"Value": {"Fn::Join": ["-", [{"Ref": "Stage"}, extra]]}}
            t = {"Parameters": {"Stage": {"Type": "String"}, "Size": {"Type": "String", "Default": "s"}},
                 "Resources": {"T": {"Type": "AWS::SNS::Topic"}}, "Outputs": outputs}
            json.dump(t, open(os.path.join(out, "WatchedParams.template.json"), "w"))
            json.dump({"version": "36.0.0", "artifacts": {"WatchedParams": {"type": "aws:cloudformation:stack",
              "environment": "aws://unknown-account/unknown-region",
              "properties": {"templateFile": "WatchedParams.template.json"}}}}, open(os.path.join(out, "manifest.json"), "w"))
            """;

    @Test
    void theParametersGivenApplyToEveryCycle() throws Exception {
        Path dir = Files.createTempDirectory("livestack-params-watch");
        Path app = Files.createDirectories(dir.resolve("app"));
        Files.writeString(app.resolve("cdk.json"), "{\"app\": \"python3 app.py\"}");
        Files.writeString(app.resolve("app.py"), APP);
        Files.writeString(app.resolve("extra.txt"), "");
        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(dir.resolve("cloud"), 0));
             CloudFormationClient cfn = CloudFormationClient.builder().region(Region.US_EAST_1).endpointOverride(cloud.endpoint())
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build()) {
            InProcessWatch watch = new InProcessWatch(app, cloud.endpoint().toString(), Duration.ofSeconds(90),
                    "--parameters", "Stage=watched", "--parameters", "WatchedParams:Size=m");
            try {
                // the first deploy has no previous value to fall back on: it needs the value given
                JsonNode first = watch.await(e -> e.path("type").asText().equals("changeset.created"), 0, "the first change set");
                assertEquals("watched", first.path("summary").path("parameters").path("Stage").asText(), watch::tail);
                assertEquals("m", first.path("summary").path("parameters").path("Size").asText(), watch::tail);
                watch.await(e -> e.path("type").asText().equals("watch.ready"), 0, "watch.ready");
                watch.quiet();

                int mark = watch.mark();
                Files.writeString(app.resolve("extra.txt"), "Again");
                JsonNode second = watch.await(e -> e.path("type").asText().equals("changeset.created"), mark, "a later change set");
                assertEquals("watched", second.path("summary").path("parameters").path("Stage").asText(), watch::tail);
                watch.await(e -> e.path("type").asText().equals("deploy.succeeded"), mark, "the later deploy");
                var outputs = cfn.describeStacks(b -> b.stackName("WatchedParams")).stacks().get(0).outputs();
                assertEquals("watched-Again", outputs.stream().filter(o -> o.outputKey().equals("Again")).findFirst()
                        .orElseThrow().outputValue());
            } finally {
                watch.quit();
            }
        }
    }
}
