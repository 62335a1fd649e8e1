package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** A restart on the same state folder keeps stacks, change sets, events, templates, parameters and objects. */
class PersistenceIT {
    @TempDir
    Path state;

    static final String TEMPLATE = """
            Resources:
              Q:
                Type: AWS::SQS::Queue
            Outputs:
              Url:
                Value: !Ref Q
            """;

    @Test
    void everythingSurvivesARestart() throws Exception {
        String stackId;
        String url;
        int events;
        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0))) {
            Cfn cfn = new Cfn(Sdk.cloudFormation(cloud.endpoint()));
            var s = cfn.deploy("durable", TEMPLATE);
            stackId = s.stackId();
            url = cfn.outputs(s).get("Url");
            var cs = cfn.changeSet("durable", "pending", ChangeSetType.UPDATE, TEMPLATE.replace("Q:", "Q2:").replace("!Ref Q", "!Ref Q2"));
            cfn.awaitChangeSet(cs.id());
            events = cfn.events("durable").size();
            try (var ssm = Sdk.ssm(cloud.endpoint()); var s3 = Sdk.s3(cloud.endpoint())) {
                ssm.putParameter(b -> b.name("/kept").value("yes").type(ParameterType.STRING));
                s3.createBucket(b -> b.bucket("kept"));
                s3.putObject(b -> b.bucket("kept").key("k"), RequestBody.fromString("object"));
            }
            cfn.client.close();
        }
        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0))) {
            Cfn cfn = new Cfn(Sdk.cloudFormation(cloud.endpoint()));
            var s = cfn.client.describeStacks(b -> b.stackName("durable")).stacks().get(0);
            assertEquals(stackId, s.stackId());
            assertEquals("CREATE_COMPLETE", s.stackStatusAsString());
            assertEquals(url, cfn.outputs(s).get("Url"));
            assertEquals(events, cfn.events("durable").size());
            assertEquals(TEMPLATE, cfn.client.getTemplate(b -> b.stackName("durable")).templateBody());
            var cs = cfn.client.describeChangeSet(b -> b.stackName("durable").changeSetName("pending"));
            assertEquals("AVAILABLE", cs.executionStatusAsString());
            cfn.client.executeChangeSet(b -> b.stackName("durable").changeSetName("pending"));
            assertEquals("UPDATE_COMPLETE", cfn.awaitSettled("durable").stackStatusAsString());
            try (var ssm = Sdk.ssm(cloud.endpoint()); var s3 = Sdk.s3(cloud.endpoint())) {
                assertEquals("yes", ssm.getParameter(b -> b.name("/kept")).parameter().value());
                assertEquals("object", s3.getObjectAsBytes(b -> b.bucket("kept").key("k")).asUtf8String());
            }
            assertTrue(cfn.client.listStackResources(b -> b.stackName("durable")).stackResourceSummaries().stream()
                    .anyMatch(r -> r.logicalResourceId().equals("Q2")));
            cfn.client.close();
        }
    }
}
