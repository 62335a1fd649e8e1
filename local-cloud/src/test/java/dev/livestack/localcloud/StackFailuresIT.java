package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;

/** Failing resources: rollback of creates and updates, with the reasons and statuses CloudFormation reports. */
class StackFailuresIT {
    @RegisterExtension
    static final LocalCloudFixture cloud = new LocalCloudFixture();
    static Cfn cfn;
    static TestControls controls;

    static final String THREE_QUEUES = """
            {
              "Resources": {
                "First": {"Type": "AWS::SQS::Queue"},
                "Second": {"Type": "AWS::SQS::Queue", "DependsOn": "First"},
                "Third": {"Type": "AWS::SQS::Queue", "DependsOn": "First"}
              },
              "Outputs": {"Url": {"Value": {"Ref": "First"}}}
            }
            """;

    @BeforeAll
    static void start() throws Exception {
        cfn = new Cfn(cloud.closeAfter(Sdk.cloudFormation(cloud.endpoint())));
        controls = TestControls.of(cloud.get());
    }

    @Test
    void aFailingCreateRollsBackAndTheStackCannotBeUpdated() {
        controls.failResource("Second", "Resource handler returned message: \"Access Denied\"");
        cfn.client.createStack(b -> b.stackName("broken").templateBody(THREE_QUEUES));
        Stack s = cfn.awaitSettled("broken");
        assertEquals("ROLLBACK_COMPLETE", s.stackStatusAsString());
        assertEquals("The following resource(s) failed to create: [Second, Third]. Rollback requested by user.",
                s.stackStatusReason());
        List<StackEvent> events = cfn.events("broken");
        StackEvent failed = events.stream().filter(e -> e.logicalResourceId().equals("Second")
                && e.resourceStatusAsString().equals("CREATE_FAILED")).findFirst().orElseThrow();
        assertEquals("Resource handler returned message: \"Access Denied\"", failed.resourceStatusReason());
        StackEvent cancelled = events.stream().filter(e -> e.logicalResourceId().equals("Third")
                && e.resourceStatusAsString().equals("CREATE_FAILED")).findFirst().orElseThrow();
        assertEquals("Resource creation cancelled", cancelled.resourceStatusReason());
        assertTrue(events.stream().anyMatch(e -> e.logicalResourceId().equals("First") && e.resourceStatusAsString().equals("DELETE_COMPLETE")));
        assertEquals("ROLLBACK_IN_PROGRESS", events.stream().filter(e -> e.resourceType().equals("AWS::CloudFormation::Stack"))
                .skip(1).findFirst().orElseThrow().resourceStatusAsString());

        CloudFormationException e = assertThrows(CloudFormationException.class,
                () -> cfn.client.updateStack(b -> b.stackName("broken").templateBody(THREE_QUEUES)));
        assertEquals("Stack:" + s.stackId() + " is in ROLLBACK_COMPLETE state and can not be updated.", e.awsErrorDetails().errorMessage());
    }

    @Test
    void aFailingUpdateRollsBackToThePreviousTemplateAndOutputs() {
        cfn.client.createStack(b -> b.stackName("steady").templateBody(THREE_QUEUES));
        Stack created = cfn.awaitSettled("steady");
        assertEquals("CREATE_COMPLETE", created.stackStatusAsString());
        String firstUrl = cfn.outputs(created).get("Url");

        String changed = THREE_QUEUES.replace("\"Third\": {\"Type\": \"AWS::SQS::Queue\", \"DependsOn\": \"First\"}",
                "\"Third\": {\"Type\": \"AWS::SQS::Queue\", \"DependsOn\": \"First\", \"Properties\": {\"VisibilityTimeout\": 99999}}")
                .replace("\"Url\": {\"Value\": {\"Ref\": \"First\"}}", "\"Url\": {\"Value\": {\"Ref\": \"Second\"}}");
        cfn.client.updateStack(b -> b.stackName("steady").templateBody(changed));
        Stack after = cfn.awaitSettled("steady");
        assertEquals("UPDATE_ROLLBACK_COMPLETE", after.stackStatusAsString());
        assertEquals(firstUrl, cfn.outputs(after).get("Url"));
        StackEvent failed = cfn.events("steady").stream().filter(e -> e.logicalResourceId().equals("Third")
                && e.resourceStatusAsString().equals("UPDATE_FAILED")).findFirst().orElseThrow();
        assertEquals("Properties validation failed for resource with message: #/VisibilityTimeout: 99999 is not less or equal to 43200",
                failed.resourceStatusReason());
        assertEquals(THREE_QUEUES, cfn.client.getTemplate(b -> b.stackName("steady")).templateBody());
        assertTrue(cfn.client.describeStackResources(b -> b.stackName("steady")).stackResources().stream()
                .allMatch(r -> r.resourceStatusAsString().endsWith("_COMPLETE")));

        // UPDATE_ROLLBACK_COMPLETE can be updated again.
        cfn.client.updateStack(b -> b.stackName("steady").templateBody(THREE_QUEUES.replace("\"Ref\": \"First\"", "\"Ref\": \"Third\"")));
        assertEquals("UPDATE_COMPLETE", cfn.awaitSettled("steady").stackStatusAsString());
    }

    @Test
    void aFailingTypeIsMatchedByTypeAndOnlyOnce() {
        controls.failResource("AWS::SNS::Topic", "Topic quota reached");
        String topic = "{\"Resources\": {\"T\": {\"Type\": \"AWS::SNS::Topic\"}}}";
        cfn.client.createStack(b -> b.stackName("topic1").templateBody(topic));
        assertEquals("ROLLBACK_COMPLETE", cfn.awaitSettled("topic1").stackStatusAsString());
        cfn.client.createStack(b -> b.stackName("topic2").templateBody(topic));
        assertEquals("CREATE_COMPLETE", cfn.awaitSettled("topic2").stackStatusAsString());
    }

    @Test
    void aMisspelledPropertyFailsTheResourceLikeSchemaValidation() {
        cfn.client.createStack(b -> b.stackName("typo").templateBody(
                "{\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\", \"Properties\": {\"VisiblityTimeout\": 30}}}}"));
        assertEquals("ROLLBACK_COMPLETE", cfn.awaitSettled("typo").stackStatusAsString());
        StackEvent failed = cfn.events("typo").stream().filter(e -> e.resourceStatusAsString().equals("CREATE_FAILED"))
                .findFirst().orElseThrow();
        assertEquals("Properties validation failed for resource with message: #: extraneous key [VisiblityTimeout] is not permitted",
                failed.resourceStatusReason());
    }

    @Test
    void templateProblemsAreValidationErrors() {
        assertMessage("{\"Resources\": {}}", "Template format error: At least one Resources member must be defined.");
        assertMessage("{\"Resources\": {\"A\": {\"Type\": \"AWS::SQS::Queue\", \"Properties\": {\"QueueName\": {\"Ref\": \"Nope\"}}}}}",
                "Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template");
        assertMessage("{\"Resources\": {\"A\": {\"Type\": \"Not::A::Type!\"}}}",
                "Template format error: Unrecognized resource types: [Not::A::Type!]");
        assertMessage("Resources:\n  A:\n    Type: AWS::SQS::Queue\n   bad: indent\n",
                "Template format error: YAML not well-formed. (line 4, column 4)");
        assertMessage("{\"Resources\": {\"A\": {\"Type\": \"AWS::SQS::Queue\", \"DependsOn\": \"B\"}, \"B\": {\"Type\": \"AWS::SQS::Queue\", \"DependsOn\": \"A\"}}}",
                "Circular dependency between resources: [A, B]");
        assertMessage("{\"Resources\": {\"A\": {\"Type\": \"AWS::SQS::Queue\", \"Properties\": {\"QueueName\": {\"Fn::GetAtt\": [\"B\", \"Arn\"]}}}}}",
                "Template error: instance of Fn::GetAtt references undefined resource B");
        String big = "{\"Description\": \"" + "x".repeat(51_200) + "\", \"Resources\": {\"A\": {\"Type\": \"AWS::SQS::Queue\"}}}";
        CloudFormationException e = assertThrows(CloudFormationException.class,
                () -> cfn.client.validateTemplate(b -> b.templateBody(big)));
        assertTrue(e.awsErrorDetails().errorMessage().endsWith("Member must have length less than or equal to 51200"));
        String params = "{\"Parameters\": {\"Size\": {\"Type\": \"String\", \"AllowedValues\": [\"S\", \"M\"]}},"
                + " \"Resources\": {\"A\": {\"Type\": \"AWS::SQS::Queue\"}}}";
        e = assertThrows(CloudFormationException.class, () -> cfn.client.createStack(b -> b.stackName("p").templateBody(params)
                .parameters(Cfn.param("Size", "XL"))));
        assertEquals("Parameter 'Size' must be one of AllowedValues", e.awsErrorDetails().errorMessage());
        e = assertThrows(CloudFormationException.class, () -> cfn.client.createStack(b -> b.stackName("p").templateBody(params)));
        assertEquals("Parameters: [Size] must have values", e.awsErrorDetails().errorMessage());
        e = assertThrows(CloudFormationException.class, () -> cfn.client.createStack(b -> b.stackName("p").templateBody(params)
                .parameters(Cfn.param("Size", "S"), Cfn.param("Colour", "red"))));
        assertEquals("Parameters: [Colour] do not exist in the template", e.awsErrorDetails().errorMessage());
    }

    private static void assertMessage(String template, String message) {
        CloudFormationException e = assertThrows(CloudFormationException.class,
                () -> cfn.client.validateTemplate(b -> b.templateBody(template)));
        assertEquals("ValidationError", e.awsErrorDetails().errorCode());
        assertEquals(message, e.awsErrorDetails().errorMessage());
    }
}
