package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The deployed template is read back with the shared parser, whichever form it was submitted in. */
class DeployedTemplateIT extends LocalCloudFixture {
    private final Cfn stackCfn = new Cfn(cf, new Retry(3, Duration.ofMillis(20), Duration.ofMillis(100)));

    @Test
    void aYamlTemplateReadsAsItsLongForm() {
        String name = "yaml-read-" + System.nanoTime();
        cf.createStack(b -> b.stackName(name).templateBody("""
                Resources:
                  Topic:
                    Type: AWS::SNS::Topic
                    Properties:
                      TopicName: !Sub '${AWS::StackName}-topic'
                      DisplayName: !Select [0, [shown]]
                """));
        cf.waiter().waitUntilStackCreateComplete(b -> b.stackName(name));
        Optional<ObjectNode> t = stackCfn.template(name, (op, attempt, reason, delay) -> { });
        assertTrue(t.isPresent(), "a YAML template is compared, not skipped");
        ObjectNode props = (ObjectNode) t.get().path("Resources").path("Topic").path("Properties");
        assertEquals("{\"Fn::Sub\":\"${AWS::StackName}-topic\"}", props.get("TopicName").toString());
        assertEquals("{\"Fn::Select\":[0,[\"shown\"]]}", props.get("DisplayName").toString());
    }

    @Test
    void aMissingStackHasNoTemplate() {
        assertTrue(stackCfn.template("never-created-" + System.nanoTime(), (op, attempt, reason, delay) -> { }).isEmpty());
    }
}
