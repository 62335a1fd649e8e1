package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.cloudformation.model.StackSummary;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code AWS::CloudFormation::Stack}: child stacks from templates in local-cloud's S3, their outputs as
 * {@code Outputs.X} attributes, updates in place, failures that roll back parent and child, deletion with the parent.
 */
class NestedStacksIT {
    @RegisterExtension
    static final LocalCloudFixture cloud = new LocalCloudFixture();
    static Cfn cfn;
    static S3Client s3;
    static TestControls controls;

    static final String CHILD = """
            {
              "Parameters": {"Suffix": {"Type": "String"}},
              "Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Fn::Sub": "q-${Suffix}"}}}},
              "Outputs": {"QueueUrl": {"Value": {"Ref": "Queue"}}, "Given": {"Value": {"Ref": "Suffix"}}}
            }
            """;

    static String parent(String url, String suffix) {
        return """
                {
                  "Resources": {
                    "Inner": {"Type": "AWS::CloudFormation::Stack",
                              "Properties": {"TemplateURL": "%s", "Parameters": {"Suffix": "%s"},
                                             "Tags": [{"Key": "team", "Value": "blue"}], "TimeoutInMinutes": 5}},
                    "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::GetAtt": ["Inner", "Outputs.Given"]}}}
                  },
                  "Outputs": {"FromChild": {"Value": {"Fn::GetAtt": ["Inner", "Outputs.QueueUrl"]}},
                              "ChildArn": {"Value": {"Ref": "Inner"}}}
                }
                """.formatted(url, suffix);
    }

    @BeforeAll
    static void start() {
        cfn = new Cfn(cloud.closeAfter(Sdk.cloudFormation(cloud.endpoint())));
        s3 = cloud.closeAfter(Sdk.s3(cloud.endpoint()));
        controls = TestControls.of(cloud.get());
        s3.createBucket(b -> b.bucket("templates"));
    }

    static void upload(String key, String body) {
        s3.putObject(b -> b.bucket("templates").key(key), RequestBody.fromString(body));
    }

    @Test
    void aNestedStackIsCreatedWithParentIdAndItsOutputsResolve() {
        upload("child-a.json", CHILD);
        Stack parent = cfn.deploy("outer", parent("https://s3.us-east-1.amazonaws.com/templates/child-a.json", "one"));
        assertEquals("CREATE_COMPLETE", parent.stackStatusAsString(), parent.stackStatusReason());
        Map<String, String> out = cfn.outputs(parent);
        String childArn = out.get("ChildArn");
        assertTrue(childArn.matches("arn:aws:cloudformation:us-east-1:000000000000:stack/outer-Inner-[A-Z0-9]{12}/.+"), childArn);
        Stack child = cfn.client.describeStacks(b -> b.stackName(childArn)).stacks().get(0);
        assertEquals("CREATE_COMPLETE", child.stackStatusAsString());
        assertEquals(parent.stackId(), child.parentId());
        assertEquals(parent.stackId(), child.rootId());
        assertEquals(Integer.valueOf(5), child.timeoutInMinutes());
        assertTrue(child.tags().stream().anyMatch(t -> t.key().equals("team") && t.value().equals("blue")));
        assertEquals(cfn.outputs(child).get("QueueUrl"), out.get("FromChild"));
        assertTrue(out.get("FromChild").endsWith("/q-one"), out.get("FromChild"));

        StackSummary summary = cfn.client.listStacks().stackSummaries().stream()
                .filter(s -> s.stackId().equals(childArn)).findFirst().orElseThrow();
        assertEquals(parent.stackId(), summary.parentId());
        assertEquals(parent.stackId(), summary.rootId());

        StackResource inner = cfn.client.describeStackResources(b -> b.stackName("outer")).stackResources().stream()
                .filter(r -> r.logicalResourceId().equals("Inner")).findFirst().orElseThrow();
        assertEquals(childArn, inner.physicalResourceId());
        // the parent's events show the nested resource; the child's own resources' events stay under the child
        List<StackEvent> parentEvents = cfn.events("outer");
        assertTrue(parentEvents.stream().anyMatch(e -> e.logicalResourceId().equals("Inner")
                && e.resourceStatusAsString().equals("CREATE_COMPLETE") && e.physicalResourceId().equals(childArn)));
        assertFalse(parentEvents.stream().anyMatch(e -> e.logicalResourceId().equals("Queue")));
        assertTrue(cfn.events(childArn).stream().anyMatch(e -> e.logicalResourceId().equals("Queue")
                && e.resourceStatusAsString().equals("CREATE_COMPLETE")));
    }

    @Test
    void everyUrlFormOfLocalS3IsRead() {
        upload("forms/child.json", CHILD);
        String endpoint = cloud.endpoint().toString().replaceAll("/$", "");
        List<String> urls = List.of("https://templates.s3.us-east-1.amazonaws.com/forms/child.json",
                "https://s3.amazonaws.com/templates/forms/child.json",
                "https://templates.s3.amazonaws.com/forms/child.json",
                endpoint + "/templates/forms/child.json");
        int i = 0;
        for (String url : urls) {
            String name = "forms" + i++;
            Stack s = cfn.deploy(name, parent(url, name));
            assertEquals("CREATE_COMPLETE", s.stackStatusAsString(), url + ": " + s.stackStatusReason());
        }
    }

    @Test
    void aChangedTemplateOrParameterUpdatesTheChildInPlace() {
        upload("child-b.json", CHILD);
        Stack created = cfn.deploy("updating", parent("https://s3.us-east-1.amazonaws.com/templates/child-b.json", "b1"));
        String childArn = cfn.outputs(created).get("ChildArn");
        Stack updated = cfn.deploy("updating", parent("https://s3.us-east-1.amazonaws.com/templates/child-b.json", "b2"));
        assertEquals("UPDATE_COMPLETE", updated.stackStatusAsString(), updated.stackStatusReason());
        assertEquals(childArn, cfn.outputs(updated).get("ChildArn"));
        assertTrue(cfn.outputs(updated).get("FromChild").endsWith("/q-b2"));
        Stack child = cfn.client.describeStacks(b -> b.stackName(childArn)).stacks().get(0);
        assertEquals("UPDATE_COMPLETE", child.stackStatusAsString());
        List<String> childStatuses = cfn.events(childArn).stream()
                .filter(e -> e.resourceType().equals("AWS::CloudFormation::Stack")).map(StackEvent::resourceStatusAsString).toList();
        assertTrue(childStatuses.contains("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"), childStatuses.toString());

        upload("child-b2.json", CHILD.replace("\"Given\": {\"Value\": {\"Ref\": \"Suffix\"}}",
                "\"Given\": {\"Value\": {\"Fn::Sub\": \"v2-${Suffix}\"}}"));
        Stack again = cfn.deploy("updating", parent("https://s3.us-east-1.amazonaws.com/templates/child-b2.json", "b2"));
        assertEquals("UPDATE_COMPLETE", again.stackStatusAsString(), again.stackStatusReason());
        Stack child2 = cfn.client.describeStacks(b -> b.stackName(childArn)).stacks().get(0);
        assertEquals("v2-b2", cfn.outputs(child2).get("Given"));
    }

    @Test
    void aFailingChildFailsTheParentAndBothRollBack() {
        upload("child-c.json", CHILD);
        controls.failResource("Queue", "Resource handler returned message: \"Access Denied\"");
        Stack parent = cfn.deploy("failing", parent("https://s3.us-east-1.amazonaws.com/templates/child-c.json", "c"));
        assertEquals("ROLLBACK_COMPLETE", parent.stackStatusAsString());
        StackEvent failed = cfn.events("failing").stream().filter(e -> e.logicalResourceId().equals("Inner")
                && e.resourceStatusAsString().equals("CREATE_FAILED")).findFirst().orElseThrow();
        assertTrue(failed.resourceStatusReason().startsWith("Embedded stack arn:aws:cloudformation:us-east-1:000000000000:stack/failing-Inner-"),
                failed.resourceStatusReason());
        assertTrue(failed.resourceStatusReason().contains("was not successfully created: The following resource(s) failed to create: [Queue]."),
                failed.resourceStatusReason());
        String childArn = failed.physicalResourceId();
        Stack child = cfn.client.describeStacks(b -> b.stackName(childArn)).stacks().get(0);
        assertEquals("DELETE_COMPLETE", child.stackStatusAsString());
    }

    @Test
    void aFailingChildUpdateRollsBackChildAndParent() {
        upload("child-e.json", CHILD);
        Stack created = cfn.deploy("upfail", parent("https://s3.us-east-1.amazonaws.com/templates/child-e.json", "e1"));
        String childArn = cfn.outputs(created).get("ChildArn");
        upload("child-e2.json", CHILD.replace("\"QueueName\": {\"Fn::Sub\": \"q-${Suffix}\"}",
                "\"QueueName\": {\"Fn::Sub\": \"q-${Suffix}\"}, \"VisibilityTimeout\": 99999"));
        Stack after = cfn.deploy("upfail", parent("https://s3.us-east-1.amazonaws.com/templates/child-e2.json", "e1"));
        assertEquals("UPDATE_ROLLBACK_COMPLETE", after.stackStatusAsString());
        StackEvent failed = cfn.events("upfail").stream().filter(e -> e.logicalResourceId().equals("Inner")
                && e.resourceStatusAsString().equals("UPDATE_FAILED")).findFirst().orElseThrow();
        assertEquals("Embedded stack " + childArn + " was not successfully updated. Currently in UPDATE_ROLLBACK_COMPLETE with reason: "
                + "The following resource(s) failed to update: [Queue]. ", failed.resourceStatusReason());
        Stack child = cfn.client.describeStacks(b -> b.stackName(childArn)).stacks().get(0);
        assertEquals("UPDATE_ROLLBACK_COMPLETE", child.stackStatusAsString());
        assertEquals(cfn.outputs(created).get("FromChild"), cfn.outputs(after).get("FromChild"));
    }

    @Test
    void aParentRollbackPutsAnUpdatedChildBack() {
        upload("child-f.json", CHILD);
        Stack created = cfn.deploy("putback", parent("https://s3.us-east-1.amazonaws.com/templates/child-f.json", "f1"));
        String childArn = cfn.outputs(created).get("ChildArn");
        controls.failResource("Topic", "Resource handler returned message: \"Rate exceeded\"");
        Stack after = cfn.deploy("putback", parent("https://s3.us-east-1.amazonaws.com/templates/child-f.json", "f2"));
        assertEquals("UPDATE_ROLLBACK_COMPLETE", after.stackStatusAsString());
        Stack child = cfn.client.describeStacks(b -> b.stackName(childArn)).stacks().get(0);
        assertEquals("UPDATE_COMPLETE", child.stackStatusAsString());
        assertEquals("f1", cfn.outputs(child).get("Given"));
        assertTrue(cfn.outputs(after).get("FromChild").endsWith("/q-f1"));
    }

    @Test
    void aMissingTemplateFailsTheResourceWithS3sMessage() {
        Stack parent = cfn.deploy("missing", parent("https://s3.us-east-1.amazonaws.com/templates/nope.json", "x"));
        assertEquals("ROLLBACK_COMPLETE", parent.stackStatusAsString());
        StackEvent failed = cfn.events("missing").stream().filter(e -> e.logicalResourceId().equals("Inner")
                && e.resourceStatusAsString().equals("CREATE_FAILED")).findFirst().orElseThrow();
        assertEquals("S3 error: The specified key does not exist.\nFor more information check "
                + "http://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html", failed.resourceStatusReason());
    }

    @Test
    void deletingTheParentDeletesTheChild() {
        upload("child-d.json", CHILD);
        Stack parent = cfn.deploy("deleting", parent("https://s3.us-east-1.amazonaws.com/templates/child-d.json", "d"));
        String childArn = cfn.outputs(parent).get("ChildArn");
        cfn.client.deleteStack(b -> b.stackName("deleting"));
        Stack gone = cfn.awaitSettled(parent.stackId());
        assertEquals("DELETE_COMPLETE", gone.stackStatusAsString());
        Stack child = cfn.client.describeStacks(b -> b.stackName(childArn)).stacks().get(0);
        assertEquals("DELETE_COMPLETE", child.stackStatusAsString());
        assertNotEquals(0, cfn.events(childArn).stream().filter(e -> e.resourceStatusAsString().equals("DELETE_COMPLETE")).count());
    }
}
