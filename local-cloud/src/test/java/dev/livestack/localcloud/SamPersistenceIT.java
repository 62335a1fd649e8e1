package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.TemplateStage;

/**
 * A SAM stack across a restart: its Original and Processed templates survive, and an update with
 * UsePreviousTemplate re-processes the original template (a catalogue application, whose template the repository
 * wrote to S3 before the restart, in the same state folder).
 */
class SamPersistenceIT {
    @TempDir
    Path state;
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theOriginalTemplateSurvivesARestartAndIsProcessedAgain() throws Exception {
        String body = SamApplicationIT.rotationTemplate(SamApplicationIT.POSTGRES, "1.1.671", "kept-rotation")
                .replace("functionName: kept-rotation", "functionName: !Ref Name")
                .replace("Transform: AWS::Serverless-2016-10-31\n", "Transform: AWS::Serverless-2016-10-31\n"
                        + "Parameters:\n  Name: {Type: String}\n");
        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0))) {
            Cfn cfn = new Cfn(Sdk.cloudFormation(cloud.endpoint()));
            cfn.client.createStack(b -> b.stackName("sam-kept").templateBody(body).parameters(Cfn.param("Name", "first"))
                    .capabilities(Capability.CAPABILITY_IAM, Capability.CAPABILITY_AUTO_EXPAND));
            Stack s = cfn.awaitSettled("sam-kept");
            assertEquals("CREATE_COMPLETE", s.stackStatusAsString(), s.stackStatusReason());
            cfn.client.close();
        }
        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0))) {
            Cfn cfn = new Cfn(Sdk.cloudFormation(cloud.endpoint()));
            assertEquals(body, cfn.client.getTemplate(b -> b.stackName("sam-kept")).templateBody());
            assertFalse(JSON.readTree(cfn.client.getTemplate(b -> b.stackName("sam-kept").templateStage(TemplateStage.PROCESSED))
                    .templateBody()).has("Transform"));
            cfn.client.updateStack(b -> b.stackName("sam-kept").usePreviousTemplate(true)
                    .parameters(Parameter.builder().parameterKey("Name").parameterValue("second").build())
                    .capabilities(Capability.CAPABILITY_IAM, Capability.CAPABILITY_AUTO_EXPAND));
            Stack s = cfn.awaitSettled("sam-kept");
            assertEquals("UPDATE_COMPLETE", s.stackStatusAsString(), s.stackStatusReason());
            assertEquals("arn:aws:lambda:us-east-1:000000000000:function:second", cfn.outputs(s).get("RotationArn"));
            assertEquals(body, cfn.client.getTemplate(b -> b.stackName("sam-kept")).templateBody());
            cfn.client.close();
        }
    }
}
