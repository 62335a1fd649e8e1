package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;

/** AWS::Lambda::Alias moved to the version published for a changed AWS::Lambda::Version (CDK's currentVersion + alias), in all three modes, against local-cloud. */
class LambdaAliasIT extends LocalCloudFixture {

    /** A function with a version whose logical id changes with the code (as CDK's currentVersion does) and an alias on it. */
    static ObjectNode template(String reply) {
        String versionId = "FnVersion" + reply;
        ObjectNode t = functionTemplate(reply, 128, "dev", "d");
        ObjectNode res = (ObjectNode) t.get("Resources");
        res.set(versionId, TestTemplates.obj("{'Type':'AWS::Lambda::Version','Properties':{'FunctionName':{'Ref':'Fn'},'Description':'" + reply + "'}}"));
        res.set("Live", TestTemplates.obj("{'Type':'AWS::Lambda::Alias','Properties':{'FunctionName':{'Ref':'Fn'},'Name':'live',"
                + "'FunctionVersion':{'Fn::GetAtt':['" + versionId + "','Version']}}}"));
        return t;
    }

    @ParameterizedTest
    @EnumSource(DeployMode.class)
    void aNewVersionIsPublishedAndTheAliasMoved(DeployMode mode) {
        try (Harness h = harness()) {
            String name = uniqueStack("alias");
            DeployResult first = h.deployer.deploy(stack(name, template("v1")), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.DEPLOYED, first.status(), first::toString);
            String fn = first.outputs().get("FnName");
            GetAliasResponse before = lambda.getAlias(b -> b.functionName(fn).name("live"));
            h.events.clear();

            DeployResult r = h.deployer.deploy(stack(name, template("v2")), mode);
            GetAliasResponse after = lambda.getAlias(b -> b.functionName(fn).name("live"));
            assertTrue(Integer.parseInt(after.functionVersion()) > Integer.parseInt(before.functionVersion()),
                    before.functionVersion() + " -> " + after.functionVersion());
            String published = lambda.getFunctionConfiguration(b -> b.functionName(fn).qualifier(after.functionVersion())).description();
            if (mode == DeployMode.FULL) {
                assertEquals(DeployResult.Status.DEPLOYED, r.status(), r::toString);
            } else {
                assertEquals(DeployResult.Status.HOTSWAPPED, r.status(), r::toString);
                assertEquals(List.of("Fn", "FnVersionv2", "Live"), r.hotswapped().stream().sorted().toList());
                assertTrue(h.events(DeployEvent.ChangeSetCreated.class).isEmpty());
                assertEquals("v2", published, "the version was published with its template description");
            }
            String out = lambda.invoke(b -> b.functionName(fn).qualifier("live")).payload().asUtf8String();
            assertEquals("\"v2\"", out);
        }
    }
}
