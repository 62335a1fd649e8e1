package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * AWS::StepFunctions::StateMachine definition changes in all three modes, against local-cloud. The hot-swap
 * modes call Step Functions' UpdateStateMachine and read the definition back with DescribeStateMachine.
 */
class StateMachineIT extends LocalCloudFixture {

    static ObjectNode template(String waitSeconds) {
        return TestTemplates.obj("{'Resources':{" + ROLE + ",'Machine':{'Type':'AWS::StepFunctions::StateMachine','Properties':{"
                + "'RoleArn':{'Fn::GetAtt':['Role','Arn']},'DefinitionString':{'Fn::Join':['',['{\\\"StartAt\\\":\\\"W\\\",\\\"States\\\":{\\\"W\\\":"
                + "{\\\"Type\\\":\\\"Wait\\\",\\\"Seconds\\\":" + waitSeconds + ",\\\"End\\\":true}},\\\"Comment\\\":\\\"',{'Ref':'AWS::StackName'},'\\\"}']]}}}},"
                + "'Outputs':{'Arn':{'Value':{'Ref':'Machine'}}}}");
    }

    @ParameterizedTest
    @EnumSource(DeployMode.class)
    void definitionChange(DeployMode mode) {
        try (Harness h = harness()) {
            String name = uniqueStack("sfn");
            DeployResult first = h.deployer.deploy(stack(name, template("1")), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.DEPLOYED, first.status(), first::toString);
            String arn = first.outputs().get("Arn");
            DeployResult r = h.deployer.deploy(stack(name, template("2")), mode);
            assertEquals(mode == DeployMode.FULL ? DeployResult.Status.DEPLOYED : DeployResult.Status.HOTSWAPPED, r.status(),
                    () -> r + "\n(hot-swap modes need local-cloud to serve Step Functions UpdateStateMachine/DescribeStateMachine)");
            if (mode != DeployMode.FULL) {
                String definition = sfn.describeStateMachine(b -> b.stateMachineArn(arn)).definition();
                assertEquals("{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":2,\"End\":true}},\"Comment\":\"" + name + "\"}",
                        definition);
            }
        }
    }
}
