package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudformation.model.AlreadyExistsException;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetNotFoundException;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.InsufficientCapabilitiesException;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.cloudformation.model.TemplateStage;

class CloudFormationIT {
    @RegisterExtension
    static final LocalCloudFixture cloud = new LocalCloudFixture();
    static Cfn cfn;

    static final String QUEUE_YAML = """
            AWSTemplateFormatVersion: '2010-09-09'
            Description: queue stack
            Parameters:
              Stage:
                Type: String
                Default: dev
                AllowedValues: [dev, prod]
              Secret:
                Type: String
                NoEcho: true
                Default: hunter2
            Conditions:
              IsProd: !Equals [!Ref Stage, prod]
            Resources:
              Queue:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName: !Sub '${AWS::StackName}-${Stage}-jobs'
                  VisibilityTimeout: 30
              Role:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument:
                    Statement:
                      - Effect: Allow
                        Principal: {Service: lambda.amazonaws.com}
                        Action: sts:AssumeRole
                  Policies:
                    - PolicyName: q
                      PolicyDocument:
                        Statement:
                          - Effect: Allow
                            Action: sqs:*
                            Resource: !GetAtt Queue.Arn
              ProdOnly:
                Type: AWS::SNS::Topic
                Condition: IsProd
            Outputs:
              QueueUrl:
                Value: !Ref Queue
              QueueArn:
                Value: !GetAtt [Queue, Arn]
                Export:
                  Name: !Sub '${AWS::StackName}-QueueArn'
              RoleName:
                Value: !Join ['/', [!Ref Role, !Select [1, !Split [',', 'a,b,c']]]]
              Zone:
                Value: !Select [0, !GetAZs '']
              Mode:
                Value: !If [IsProd, production, development]
            """;

    @BeforeAll
    static void start() throws Exception {
        cfn = new Cfn(cloud.closeAfter(Sdk.cloudFormation(cloud.endpoint())));
    }

    @Test
    void createsAStackFromAYamlChangeSetWithIntrinsicsConditionsAndOutputs() {
        var cs = cfn.changeSet("queues", "first", ChangeSetType.CREATE, QUEUE_YAML);
        Stack review = cfn.client.describeStacks(b -> b.stackName("queues")).stacks().get(0);
        assertEquals("REVIEW_IN_PROGRESS", review.stackStatusAsString());
        DescribeChangeSetResponse described = cfn.awaitChangeSet(cs.id());
        assertEquals("AVAILABLE", described.executionStatusAsString());
        assertEquals(List.of("Queue:Add", "Role:Add"), described.changes().stream()
                .map(c -> c.resourceChange().logicalResourceId() + ":" + c.resourceChange().actionAsString()).sorted().toList());
        assertEquals("****", described.parameters().stream().filter(p -> p.parameterKey().equals("Secret")).findFirst()
                .orElseThrow().parameterValue());

        cfn.client.executeChangeSet(b -> b.changeSetName(cs.id()));
        Stack s = cfn.awaitSettled("queues");
        assertEquals("CREATE_COMPLETE", s.stackStatusAsString());
        assertEquals("queue stack", s.description());
        Map<String, String> out = cfn.outputs(s);
        assertEquals(cloud.endpoint() + "/000000000000/queues-dev-jobs", out.get("QueueUrl"));
        assertEquals("arn:aws:sqs:us-east-1:000000000000:queues-dev-jobs", out.get("QueueArn"));
        assertTrue(out.get("RoleName").matches("queues-Role-[A-Z0-9]{13}/b"), out.get("RoleName"));
        assertEquals("us-east-1a", out.get("Zone"));
        assertEquals("development", out.get("Mode"));
        assertEquals(cs.id(), s.changeSetId());

        List<StackResource> resources = cfn.client.describeStackResources(b -> b.stackName("queues")).stackResources();
        assertEquals(2, resources.size(), "the condition keeps ProdOnly out");
        assertTrue(resources.stream().allMatch(r -> r.resourceStatusAsString().equals("CREATE_COMPLETE")));
        var queue = cfn.client.describeStackResource(b -> b.stackName("queues").logicalResourceId("Queue")).stackResourceDetail();
        assertEquals(out.get("QueueUrl"), queue.physicalResourceId());

        List<StackEvent> events = cfn.events("queues");
        StackEvent newest = events.get(0);
        assertEquals("CREATE_COMPLETE", newest.resourceStatusAsString());
        assertEquals("AWS::CloudFormation::Stack", newest.resourceType());
        assertEquals("REVIEW_IN_PROGRESS", events.get(events.size() - 1).resourceStatusAsString());
        for (int i = 1; i < events.size(); i++) {
            assertTrue(!events.get(i).timestamp().isAfter(events.get(i - 1).timestamp()), "newest first");
        }
        int queueDone = indexOf(events, "Queue", "CREATE_COMPLETE");
        int roleStarted = indexOf(events, "Role", "CREATE_IN_PROGRESS");
        assertTrue(roleStarted < queueDone, "Role (which uses Queue.Arn) starts after Queue completes");

        String original = cfn.client.getTemplate(b -> b.stackName("queues")).templateBody();
        assertEquals(QUEUE_YAML, original);
        String processed = cfn.client.getTemplate(b -> b.stackName("queues").templateStage(TemplateStage.PROCESSED)).templateBody();
        // no transform: the processed stage is the template as submitted (AWS's recorded answer)
        assertEquals(QUEUE_YAML, processed);
        assertTrue(cfn.client.listExports().exports().stream().anyMatch(e -> e.name().equals("queues-QueueArn")
                && e.value().equals(out.get("QueueArn")) && e.exportingStackId().equals(s.stackId())));
    }

    private static int indexOf(List<StackEvent> events, String logicalId, String status) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).logicalResourceId().equals(logicalId) && events.get(i).resourceStatusAsString().equals(status)) {
                return i;
            }
        }
        throw new AssertionError("no " + status + " event for " + logicalId);
    }

    @Test
    void updatesReplaceOnNameChangeAndReportConditionalAndAddedChanges() {
        cfn.deploy("replacing", QUEUE_YAML);
        Stack before = cfn.client.describeStacks(b -> b.stackName("replacing")).stacks().get(0);
        String oldUrl = cfn.outputs(before).get("QueueUrl");

        var cs = cfn.changeSet("replacing", "to-prod", ChangeSetType.UPDATE, QUEUE_YAML, Cfn.param("Stage", "prod"));
        DescribeChangeSetResponse d = cfn.awaitChangeSet(cs.id());
        Map<String, Change> byId = d.changes().stream().collect(Collectors.toMap(c -> c.resourceChange().logicalResourceId(), c -> c));
        var queue = byId.get("Queue").resourceChange();
        assertEquals("Modify", queue.actionAsString());
        assertEquals("True", queue.replacementAsString());
        assertEquals(oldUrl, queue.physicalResourceId());
        assertEquals("QueueName", queue.details().get(0).target().name());
        assertEquals("Always", queue.details().get(0).target().requiresRecreationAsString());
        assertEquals("ParameterReference", queue.details().get(0).changeSourceAsString());
        var role = byId.get("Role").resourceChange();
        assertEquals("Modify", role.actionAsString());
        assertEquals("Dynamic", role.details().get(0).evaluationAsString(), "the queue's new ARN is not known yet");
        assertEquals("Add", byId.get("ProdOnly").resourceChange().actionAsString());
        assertNull(queue.beforeContext(), "property values only when asked for");
        var withValues = cfn.client.describeChangeSet(b -> b.changeSetName(cs.id()).includePropertyValues(true)).changes().stream()
                .collect(Collectors.toMap(c -> c.resourceChange().logicalResourceId(), c -> c.resourceChange()));
        assertTrue(withValues.get("Queue").beforeContext().contains("\"QueueName\":\"replacing-dev-jobs\""));
        assertTrue(withValues.get("Queue").afterContext().contains("\"QueueName\":\"replacing-prod-jobs\""));
        assertTrue(withValues.get("Role").afterContext().contains("{{changeSet:KNOWN_AFTER_APPLY}}"), withValues.get("Role").afterContext());

        cfn.client.executeChangeSet(b -> b.changeSetName(cs.id()));
        Stack after = cfn.awaitSettled("replacing");
        assertEquals("UPDATE_COMPLETE", after.stackStatusAsString());
        assertEquals(cloud.endpoint() + "/000000000000/replacing-prod-jobs", cfn.outputs(after).get("QueueUrl"));
        assertEquals("production", cfn.outputs(after).get("Mode"));
        List<StackEvent> events = cfn.events("replacing");
        assertTrue(events.stream().anyMatch(e -> e.logicalResourceId().equals("Queue") && e.physicalResourceId().equals(oldUrl)
                && e.resourceStatusAsString().equals("DELETE_COMPLETE")), "the old queue is deleted in cleanup");
        assertTrue(events.stream().anyMatch(e -> "Requested update requires the creation of a new physical resource; hence creating one."
                .equals(e.resourceStatusReason())));
        assertTrue(events.stream().anyMatch(e -> e.resourceStatusAsString().equals("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")));
        assertEquals(3, cfn.client.listStackResources(b -> b.stackName("replacing")).stackResourceSummaries().size());
    }

    @Test
    void replacementFollowingAReplacedResourceIsConditionalAndPreviousValuesAreKept() {
        String v1 = """
                Parameters:
                  Name: {Type: String}
                  Size: {Type: Number, Default: 10}
                Resources:
                  Topic:
                    Type: AWS::SNS::Topic
                    Properties: {TopicName: !Ref Name, DisplayName: !Ref Size}
                  Queue:
                    Type: AWS::SQS::Queue
                    Properties: {QueueName: !GetAtt Topic.TopicName}
                """;
        cfn.deploy("chain", v1, Cfn.param("Name", "t1"), Cfn.param("Size", "20"));
        var token = "token-" + System.nanoTime();
        var first = cfn.client.createChangeSet(b -> b.stackName("chain").changeSetName("rename").templateBody(v1)
                .clientToken(token).parameters(Cfn.param("Name", "t2"),
                        software.amazon.awssdk.services.cloudformation.model.Parameter.builder().parameterKey("Size").usePreviousValue(true).build()));
        var again = cfn.client.createChangeSet(b -> b.stackName("chain").changeSetName("rename").templateBody(v1)
                .clientToken(token).parameters(Cfn.param("Name", "t2")));
        assertEquals(first.id(), again.id(), "the same ClientToken is the same change set");
        assertThrows(AlreadyExistsException.class, () -> cfn.client.createChangeSet(b -> b.stackName("chain")
                .changeSetName("rename").templateBody(v1).parameters(Cfn.param("Name", "t3"))));
        DescribeChangeSetResponse d = cfn.awaitChangeSet(first.id());
        assertEquals("20", d.parameters().stream().filter(p -> p.parameterKey().equals("Size")).findFirst().orElseThrow().parameterValue());
        Map<String, Change> byId = d.changes().stream().collect(Collectors.toMap(c -> c.resourceChange().logicalResourceId(), c -> c));
        assertEquals("True", byId.get("Topic").resourceChange().replacementAsString());
        var queue = byId.get("Queue").resourceChange();
        assertEquals("Conditional", queue.replacementAsString());
        assertEquals("Conditionally", queue.details().get(0).target().requiresRecreationAsString());
        assertEquals("Dynamic", queue.details().get(0).evaluationAsString());
        cfn.client.executeChangeSet(b -> b.changeSetName(first.id()));
        Stack s = cfn.awaitSettled("chain");
        assertEquals("UPDATE_COMPLETE", s.stackStatusAsString());
        String queueId = cfn.client.describeStackResource(b -> b.stackName("chain").logicalResourceId("Queue"))
                .stackResourceDetail().physicalResourceId();
        assertTrue(queueId.endsWith("/000000000000/t2"), queueId);
    }

    @Test
    void unchangedSubmissionsAreRefusedWithCloudFormationsMessages() {
        cfn.deploy("same", QUEUE_YAML);
        var cs = cfn.changeSet("same", "again", ChangeSetType.UPDATE, QUEUE_YAML);
        DescribeChangeSetResponse d = cfn.client.describeChangeSet(b -> b.changeSetName("again").stackName("same"));
        while (List.of("CREATE_PENDING", "CREATE_IN_PROGRESS").contains(d.statusAsString())) {
            assertEquals("UNAVAILABLE", d.executionStatusAsString());
            Cfn.sleep(10);
            d = cfn.client.describeChangeSet(b -> b.changeSetName("again").stackName("same"));
        }
        assertEquals("FAILED", d.statusAsString());
        assertEquals("The submitted information didn't contain changes. Submit different information to create a change set.",
                d.statusReason());
        CloudFormationException e = assertThrows(CloudFormationException.class, () -> cfn.client.updateStack(b -> b
                .stackName("same").usePreviousTemplate(true).capabilitiesWithStrings("CAPABILITY_IAM")));
        assertEquals("No updates are to be performed.", e.awsErrorDetails().errorMessage());
        assertEquals("ValidationError", e.awsErrorDetails().errorCode());
        var summaries = cfn.client.listChangeSets(b -> b.stackName("same")).summaries();
        // AWS lists only a stack's active change sets, not the executed one
        assertEquals(List.of("UNAVAILABLE"), summaries.stream().map(x -> x.executionStatusAsString()).sorted().toList());
        cfn.client.deleteChangeSet(b -> b.changeSetName("again").stackName("same"));
        assertEquals(0, cfn.client.listChangeSets(b -> b.stackName("same")).summaries().size());
    }

    @Test
    void deletingAMissingChangeSetByNameOnAnExistingStackSucceeds() {
        // What the CDK CLI does before each change-set deployment of a stack that exists: delete its
        // fixed-name change set, then wait until DescribeChangeSet says it is gone.
        cfn.deploy("cleanup", QUEUE_YAML);
        assertTrue(cfn.client.listChangeSets(b -> b.stackName("cleanup")).summaries().stream()
                .noneMatch(s -> s.changeSetName().equals("cdk-deploy-change-set")));
        cfn.client.deleteChangeSet(b -> b.stackName("cleanup").changeSetName("cdk-deploy-change-set"));
        ChangeSetNotFoundException gone = assertThrows(ChangeSetNotFoundException.class,
                () -> cfn.client.describeChangeSet(b -> b.stackName("cleanup").changeSetName("cdk-deploy-change-set")));
        assertEquals(404, gone.statusCode());
        assertEquals("ChangeSet [cdk-deploy-change-set] does not exist", gone.awsErrorDetails().errorMessage());

        // one that exists is deleted; after that the same call succeeds again
        var cs = cfn.changeSet("cleanup", "cdk-deploy-change-set", ChangeSetType.UPDATE, QUEUE_YAML, Cfn.param("Stage", "prod"));
        cfn.awaitChangeSet(cs.id());
        cfn.client.deleteChangeSet(b -> b.stackName("cleanup").changeSetName("cdk-deploy-change-set"));
        assertThrows(ChangeSetNotFoundException.class, () -> cfn.client.describeChangeSet(b -> b.changeSetName(cs.id())));
        cfn.client.deleteChangeSet(b -> b.stackName("cleanup").changeSetName("cdk-deploy-change-set"));

        // an ARN that names nothing, or a stack that does not exist, is still an error
        assertThrows(ChangeSetNotFoundException.class, () -> cfn.client.deleteChangeSet(b -> b.changeSetName(cs.id())));
        assertThrows(CloudFormationException.class,
                () -> cfn.client.deleteChangeSet(b -> b.stackName("no-such-stack").changeSetName("cdk-deploy-change-set")));
    }

    @Test
    void theServiceRoleOfAnExecutedChangeSetStaysWithTheStack() {
        // what `cdk deploy` passes: the bootstrap's cfn-exec-role as the change set's RoleARN
        String role = "arn:aws:iam::000000000000:role/cdk-hnb659fds-cfn-exec-role-000000000000-us-east-1";
        var created = cfn.client.createChangeSet(b -> b.stackName("withrole").changeSetName("first").changeSetType(ChangeSetType.CREATE)
                .templateBody(QUEUE_YAML).capabilitiesWithStrings("CAPABILITY_IAM").roleARN(role));
        cfn.awaitChangeSet(created.id());
        cfn.client.executeChangeSet(b -> b.changeSetName(created.id()));
        assertEquals(role, cfn.awaitSettled("withrole").roleARN());
        // a later change set without a role keeps the stack's
        var update = cfn.changeSet("withrole", "second", ChangeSetType.UPDATE, QUEUE_YAML, Cfn.param("Stage", "prod"));
        cfn.awaitChangeSet(update.id());
        cfn.client.executeChangeSet(b -> b.changeSetName(update.id()));
        Stack after = cfn.awaitSettled("withrole");
        assertEquals("UPDATE_COMPLETE", after.stackStatusAsString());
        assertEquals(role, after.roleARN());
    }

    @Test
    void terminationProtectionIsSwitchedOnAStackAndGuardsItsDeletion() {
        cfn.deploy("guarded", QUEUE_YAML);
        var id = cfn.client.updateTerminationProtection(b -> b.stackName("guarded").enableTerminationProtection(true)).stackId();
        assertEquals(cfn.client.describeStacks(b -> b.stackName("guarded")).stacks().get(0).stackId(), id);
        assertEquals(true, cfn.client.describeStacks(b -> b.stackName("guarded")).stacks().get(0).enableTerminationProtection());
        CloudFormationException refused = assertThrows(CloudFormationException.class, () -> cfn.client.deleteStack(b -> b.stackName("guarded")));
        assertEquals("Stack [guarded] cannot be deleted while TerminationProtection is enabled", refused.awsErrorDetails().errorMessage());
        cfn.client.updateTerminationProtection(b -> b.stackName("guarded").enableTerminationProtection(false));
        assertEquals(false, cfn.client.describeStacks(b -> b.stackName("guarded")).stacks().get(0).enableTerminationProtection());
        cfn.client.deleteStack(b -> b.stackName("guarded"));
        CloudFormationException missing = assertThrows(CloudFormationException.class,
                () -> cfn.client.updateTerminationProtection(b -> b.stackName("no-such-stack").enableTerminationProtection(true)));
        assertEquals("ValidationError", missing.awsErrorDetails().errorCode());
        assertEquals("Stack with id no-such-stack does not exist", missing.awsErrorDetails().errorMessage());
    }

    @Test
    void missingStacksAndDuplicatesGetAwsMessages() {
        CloudFormationException e = assertThrows(CloudFormationException.class,
                () -> cfn.client.describeStacks(b -> b.stackName("nope")));
        assertEquals("Stack with id nope does not exist", e.awsErrorDetails().errorMessage());
        assertEquals(400, e.statusCode());
        e = assertThrows(CloudFormationException.class, () -> cfn.client.describeStackEvents(b -> b.stackName("nope")));
        assertEquals("Stack [nope] does not exist", e.awsErrorDetails().errorMessage());
        cfn.client.createStack(b -> b.stackName("dup").templateBody(QUEUE_YAML.replace("AWS::IAM::Role", "AWS::SQS::Queue")));
        AlreadyExistsException dup = assertThrows(AlreadyExistsException.class,
                () -> cfn.client.createStack(b -> b.stackName("dup").templateBody(QUEUE_YAML)));
        assertEquals("Stack [dup] already exists", dup.awsErrorDetails().errorMessage());
        cfn.awaitSettled("dup");
    }

    @Test
    void iamResourcesNeedCapabilities() {
        InsufficientCapabilitiesException e = assertThrows(InsufficientCapabilitiesException.class,
                () -> cfn.client.createStack(b -> b.stackName("nocaps").templateBody(QUEUE_YAML)));
        assertEquals("Requires capabilities : [CAPABILITY_IAM]", e.awsErrorDetails().errorMessage());
        var v = cfn.client.validateTemplate(b -> b.templateBody(QUEUE_YAML));
        assertEquals(List.of("CAPABILITY_IAM"), v.capabilitiesAsStrings());
        assertEquals(2, v.parameters().size());
    }

    @Test
    void deletedStacksAreGoneByNameButKeptById() {
        Stack s = cfn.deploy("doomed", QUEUE_YAML);
        cfn.client.deleteStack(b -> b.stackName("doomed"));
        long deadline = System.currentTimeMillis() + 30_000;
        Stack byId;
        do {
            byId = cfn.client.describeStacks(b -> b.stackName(s.stackId())).stacks().get(0);
            Cfn.sleep(20);
        } while (!byId.stackStatusAsString().equals("DELETE_COMPLETE") && System.currentTimeMillis() < deadline);
        assertEquals("DELETE_COMPLETE", byId.stackStatusAsString());
        assertThrows(CloudFormationException.class, () -> cfn.client.describeStacks(b -> b.stackName("doomed")));
        assertTrue(cfn.client.listStacks().stackSummaries().stream()
                .anyMatch(x -> x.stackId().equals(s.stackId()) && x.stackStatusAsString().equals("DELETE_COMPLETE")));
        List<StackEvent> events = cfn.client.describeStackEvents(b -> b.stackName(s.stackId())).stackEvents();
        assertEquals("DELETE_COMPLETE", events.get(0).resourceStatusAsString());
        assertTrue(indexOf(events, "Queue", "DELETE_COMPLETE") < indexOf(events, "Role", "DELETE_COMPLETE"),
                "Role, which depends on Queue, is deleted first");
        assertTrue(cfn.client.listExports().exports().stream().noneMatch(x -> x.name().equals("doomed-QueueArn")));
    }

    @Test
    void recreatedAfterDeleteGetsANewStackId() {
        Stack first = cfn.deploy("phoenix", QUEUE_YAML);
        cfn.client.deleteStack(b -> b.stackName("phoenix"));
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline && cfn.client.listStacks().stackSummaries().stream()
                .noneMatch(x -> x.stackId().equals(first.stackId()) && x.stackStatusAsString().equals("DELETE_COMPLETE"))) {
            Cfn.sleep(20);
        }
        Stack second = cfn.deploy("phoenix", QUEUE_YAML);
        assertNotEquals(first.stackId(), second.stackId());
        assertEquals("CREATE_COMPLETE", second.stackStatusAsString());
        // created by executing a change set: AWS stamps LastUpdatedTime then (LocalStack's recorded answers)
        assertTrue(second.lastUpdatedTime() != null && !second.lastUpdatedTime().isBefore(second.creationTime()));
    }
}
