package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.inlinepackager.LambdaZip;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;

/** AWS::Lambda::Version without an alias: a changed version is published after its function's code, in all three modes. */
class LambdaVersionIT extends LocalCloudFixture {

    /** A function and a version whose logical id changes with the code, retained when replaced (as CDK's currentVersion). */
    static ObjectNode template(String reply) {
        ObjectNode t = functionTemplate(reply, 128, "dev", "d");
        ((ObjectNode) t.get("Resources")).set("FnCurrentVersion" + reply,
                TestTemplates.obj("{'Type':'AWS::Lambda::Version','Properties':{'FunctionName':{'Ref':'Fn'}},"
                        + "'DeletionPolicy':'Retain','UpdateReplacePolicy':'Retain'}"));
        return t;
    }

    @ParameterizedTest
    @EnumSource(DeployMode.class)
    void aChangedVersionIsPublishedWithTheNewCode(DeployMode mode) {
        try (Harness h = harness()) {
            String name = uniqueStack("version");
            DeployResult first = h.deployer.deploy(stack(name, template("v1")), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.DEPLOYED, first.status(), first::toString);
            String fn = first.outputs().get("FnName");
            int before = published(fn).size();
            h.events.clear();

            DeployResult r = h.deployer.deploy(stack(name, template("v2")), mode);
            assertEquals(mode == DeployMode.FULL ? DeployResult.Status.DEPLOYED : DeployResult.Status.HOTSWAPPED, r.status(), r::toString);
            if (mode != DeployMode.FULL) {
                assertEquals(List.of("Fn", "FnCurrentVersionv2"), r.hotswapped().stream().sorted().toList());
                assertTrue(h.events(DeployEvent.ChangeSetCreated.class).isEmpty());
            }
            List<FunctionConfiguration> versions = published(fn);
            assertEquals(before + 1, versions.size(), versions.toString());
            FunctionConfiguration newest = versions.stream()
                    .max(Comparator.comparingInt(v -> Integer.parseInt(v.version()))).orElseThrow();
            assertEquals(LambdaZip.codeSha256(LambdaZip.forInline("nodejs20.x", "exports.handler = async () => \"v2\";")),
                    newest.codeSha256(), "the version was published after the code update");
        }
    }

    private static List<FunctionConfiguration> published(String fn) {
        return lambda.listVersionsByFunction(b -> b.functionName(fn)).versions().stream()
                .filter(v -> !v.version().equals("$LATEST")).toList();
    }
}
