package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestack.localcloud.core.Http;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.CreateStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.InvalidLoggingConfigurationException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.ListStateMachinesResponse;
import software.amazon.awssdk.services.sfn.model.LogLevel;
import software.amazon.awssdk.services.sfn.model.MissingRequiredParameterException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StateMachineAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;
import software.amazon.awssdk.services.sfn.model.StateMachineStatus;
import software.amazon.awssdk.services.sfn.model.StateMachineType;
import software.amazon.awssdk.services.sfn.model.UpdateStateMachineResponse;

/** Step Functions through the real {@link SfnClient}, and the state machine resource through CloudFormation. */
class StepFunctionsIT {
    static final String ROLE = "arn:aws:iam::000000000000:role/sfn-role";
    static final String PASS = "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}";
    static final String WAIT = "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":3,\"End\":true}}}";

    @RegisterExtension
    static final LocalCloudFixture cloud = new LocalCloudFixture();
    static SfnClient sfn;

    @BeforeAll
    static void start() throws Exception {
        sfn = cloud.closeAfter(sfn(cloud.endpoint()));
    }

    static SfnClient sfn(URI endpoint) {
        return SfnClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(Sdk.credentials("test", "test")).overrideConfiguration(Sdk.noRetries()).build();
    }

    @Test
    void stateMachinesAreCreatedDescribedUpdatedListedAndDeleted() throws Exception {
        long before = System.currentTimeMillis() / 1000;
        CreateStateMachineResponse created = sfn.createStateMachine(b -> b.name("crud").definition(PASS).roleArn(ROLE));
        String arn = "arn:aws:states:us-east-1:000000000000:stateMachine:crud";
        assertEquals(arn, created.stateMachineArn());
        assertTrue(created.creationDate().getEpochSecond() >= before, created::toString);

        DescribeStateMachineResponse d = sfn.describeStateMachine(b -> b.stateMachineArn(arn));
        assertEquals("crud", d.name());
        assertEquals(PASS, d.definition());
        assertEquals(ROLE, d.roleArn());
        assertEquals(StateMachineType.STANDARD, d.type());
        assertEquals(StateMachineStatus.ACTIVE, d.status());
        assertEquals(LogLevel.OFF, d.loggingConfiguration().level());
        assertFalse(d.tracingConfiguration().enabled());
        assertEquals(created.creationDate(), d.creationDate());

        Thread.sleep(5);
        UpdateStateMachineResponse u = sfn.updateStateMachine(b -> b.stateMachineArn(arn).definition(WAIT)
                .tracingConfiguration(t -> t.enabled(true))
                .loggingConfiguration(l -> l.level(LogLevel.ERROR).includeExecutionData(true)
                        .destinations(x -> x.cloudWatchLogsLogGroup(g -> g.logGroupArn(
                                "arn:aws:logs:us-east-1:000000000000:log-group:/sfn/crud:*")))));
        assertTrue(u.updateDate().isAfter(created.creationDate()), u::toString);
        assertNotEquals(d.revisionId(), u.revisionId());
        DescribeStateMachineResponse after = sfn.describeStateMachine(b -> b.stateMachineArn(arn));
        assertEquals(WAIT, after.definition());
        assertEquals(ROLE, after.roleArn(), "a role not given is kept");
        assertTrue(after.tracingConfiguration().enabled());
        assertEquals(LogLevel.ERROR, after.loggingConfiguration().level());
        assertEquals("arn:aws:logs:us-east-1:000000000000:log-group:/sfn/crud:*",
                after.loggingConfiguration().destinations().get(0).cloudWatchLogsLogGroup().logGroupArn());
        assertEquals(u.revisionId(), after.revisionId());

        String otherRole = "arn:aws:iam::000000000000:role/other";
        sfn.updateStateMachine(b -> b.stateMachineArn(arn).roleArn(otherRole));
        DescribeStateMachineResponse roleChanged = sfn.describeStateMachine(b -> b.stateMachineArn(arn));
        assertEquals(otherRole, roleChanged.roleArn());
        assertEquals(WAIT, roleChanged.definition(), "a definition not given is kept");

        assertTrue(sfn.listStateMachines().stateMachines().stream().anyMatch(m -> m.stateMachineArn().equals(arn)
                && m.name().equals("crud") && m.type() == StateMachineType.STANDARD));
        sfn.deleteStateMachine(b -> b.stateMachineArn(arn));
        assertThrows(StateMachineDoesNotExistException.class, () -> sfn.describeStateMachine(b -> b.stateMachineArn(arn)));
        assertFalse(sfn.listStateMachines().stateMachines().stream().anyMatch(m -> m.stateMachineArn().equals(arn)));
        // Deleting what is already gone succeeds, as it does on AWS.
        sfn.deleteStateMachine(b -> b.stateMachineArn(arn));
    }

    @Test
    void creatingTheSameMachineAgainIsIdempotentButADifferentOneConflicts() {
        String arn = sfn.createStateMachine(b -> b.name("twice").definition(PASS).roleArn(ROLE)
                .type(StateMachineType.EXPRESS)).stateMachineArn();
        assertEquals(arn, sfn.createStateMachine(b -> b.name("twice").definition(PASS).roleArn(ROLE)
                .type(StateMachineType.EXPRESS)).stateMachineArn());
        // A different role (or tags) does not break idempotency, and is not applied.
        assertEquals(arn, sfn.createStateMachine(b -> b.name("twice").definition(PASS)
                .roleArn("arn:aws:iam::000000000000:role/another").type(StateMachineType.EXPRESS)).stateMachineArn());
        assertEquals(ROLE, sfn.describeStateMachine(b -> b.stateMachineArn(arn)).roleArn());
        StateMachineAlreadyExistsException e = assertThrows(StateMachineAlreadyExistsException.class,
                () -> sfn.createStateMachine(b -> b.name("twice").definition(WAIT).roleArn(ROLE).type(StateMachineType.EXPRESS)));
        assertEquals("State Machine Already Exists: '" + arn + "'", e.awsErrorDetails().errorMessage());
        assertEquals(StateMachineType.EXPRESS, sfn.describeStateMachine(b -> b.stateMachineArn(arn)).type());
    }

    @Test
    void errorsCarryStepFunctionsCodesAndMessages() {
        String missing = "arn:aws:states:us-east-1:000000000000:stateMachine:nope";
        StateMachineDoesNotExistException notFound = assertThrows(StateMachineDoesNotExistException.class,
                () -> sfn.describeStateMachine(b -> b.stateMachineArn(missing)));
        assertEquals(400, notFound.statusCode());
        assertEquals("StateMachineDoesNotExist", notFound.awsErrorDetails().errorCode());
        assertEquals("State Machine Does Not Exist: '" + missing + "'", notFound.awsErrorDetails().errorMessage());
        assertThrows(StateMachineDoesNotExistException.class,
                () -> sfn.updateStateMachine(b -> b.stateMachineArn(missing).definition(PASS)));

        InvalidArnException badArn = assertThrows(InvalidArnException.class,
                () -> sfn.describeStateMachine(b -> b.stateMachineArn("not-an-arn")));
        assertEquals("Invalid Arn: 'Invalid ARN prefix: not-an-arn'", badArn.awsErrorDetails().errorMessage());
        InvalidArnException wrongType = assertThrows(InvalidArnException.class, () -> sfn.describeStateMachine(
                b -> b.stateMachineArn("arn:aws:states:us-east-1:000000000000:execution:m:e")));
        assertEquals("Invalid Arn: 'Resource type not valid in this context: execution'", wrongType.awsErrorDetails().errorMessage());
        assertThrows(InvalidArnException.class,
                () -> sfn.createStateMachine(b -> b.name("badrole").definition(PASS).roleArn("role")));

        InvalidDefinitionException notJson = assertThrows(InvalidDefinitionException.class,
                () -> sfn.createStateMachine(b -> b.name("bad").definition("{not json").roleArn(ROLE)));
        assertTrue(notJson.awsErrorDetails().errorMessage().startsWith("Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: "),
                notJson.awsErrorDetails().errorMessage());
        InvalidDefinitionException noTarget = assertThrows(InvalidDefinitionException.class,
                () -> sfn.createStateMachine(b -> b.name("bad").definition("{\"StartAt\":\"X\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}")
                        .roleArn(ROLE)));
        assertEquals("Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: X at /StartAt'",
                noTarget.awsErrorDetails().errorMessage());
        assertThrows(InvalidDefinitionException.class,
                () -> sfn.createStateMachine(b -> b.name("bad").definition("{\"States\":{}}").roleArn(ROLE)));
        assertThrows(InvalidDefinitionException.class, () -> sfn.createStateMachine(b -> b.name("bad")
                .definition("{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"Next\":\"Q\"}}}").roleArn(ROLE)));
        assertThrows(StateMachineDoesNotExistException.class, () -> sfn.describeStateMachine(
                b -> b.stateMachineArn("arn:aws:states:us-east-1:000000000000:stateMachine:bad")), "nothing was stored");

        assertThrows(InvalidNameException.class, () -> sfn.createStateMachine(b -> b.name("has space").definition(PASS).roleArn(ROLE)));
        SfnException missingMember = assertThrows(SfnException.class, () -> sfn.createStateMachine(b -> b.name("nodef").roleArn(ROLE)));
        assertEquals("ValidationException", missingMember.awsErrorDetails().errorCode());

        String arn = sfn.createStateMachine(b -> b.name("errors").definition(PASS).roleArn(ROLE)).stateMachineArn();
        MissingRequiredParameterException nothing = assertThrows(MissingRequiredParameterException.class,
                () -> sfn.updateStateMachine(b -> b.stateMachineArn(arn)));
        assertEquals("MissingRequiredParameter", nothing.awsErrorDetails().errorCode());
        assertThrows(InvalidDefinitionException.class, () -> sfn.updateStateMachine(b -> b.stateMachineArn(arn).definition("[]")));
        assertThrows(InvalidLoggingConfigurationException.class, () -> sfn.updateStateMachine(
                b -> b.stateMachineArn(arn).loggingConfiguration(l -> l.level(LogLevel.ALL))));
        assertEquals(PASS, sfn.describeStateMachine(b -> b.stateMachineArn(arn)).definition(), "failed updates change nothing");
    }

    @Test
    void listingPagesThroughEveryMachineOnce() {
        for (int i = 0; i < 5; i++) {
            String name = "page-" + i;
            sfn.createStateMachine(b -> b.name(name).definition(PASS).roleArn(ROLE));
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            ListStateMachinesResponse page = sfn.listStateMachines(b -> b.maxResults(2).nextToken(t));
            assertTrue(page.stateMachines().size() <= 2);
            page.stateMachines().stream().map(StateMachineListItem::name).forEach(seen::add);
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertTrue(pages >= 3, "5 machines in pages of 2");
        assertEquals(seen.size(), seen.stream().distinct().count(), seen::toString);
        for (int i = 0; i < 5; i++) {
            assertTrue(seen.contains("page-" + i), seen::toString);
        }
        SfnException bad = assertThrows(SfnException.class, () -> sfn.listStateMachines(b -> b.nextToken("garbage!")));
        assertEquals("InvalidToken", bad.awsErrorDetails().errorCode());
    }

    @Test
    void cloudFormationCreatesUpdatesReplacesAndDeletesAStateMachine() {
        Cfn cfn = new Cfn(Sdk.cloudFormation(cloud.endpoint()));
        String template1 = template("\"DefinitionString\":{\"Fn::Sub\":\"{\\\"StartAt\\\":\\\"P\\\",\\\"States\\\":{\\\"P\\\":"
                + "{\\\"Type\\\":\\\"Pass\\\",\\\"Result\\\":\\\"${AWS::StackName}\\\",\\\"End\\\":true}}}\"}", "");
        Stack s = cfn.deploy("sfn-stack", template1);
        assertEquals("CREATE_COMPLETE", s.stackStatusAsString(), () -> cfn.events("sfn-stack").toString());
        Map<String, String> out = cfn.outputs(s);
        String arn = out.get("Arn");
        assertTrue(arn.matches("arn:aws:states:us-east-1:000000000000:stateMachine:Machine-[a-z0-9]{12}"), arn);
        assertEquals(arn, out.get("GetAttArn"));
        assertEquals(arn.substring(arn.lastIndexOf(':') + 1), out.get("Name"));
        DescribeStateMachineResponse d = sfn.describeStateMachine(b -> b.stateMachineArn(arn));
        assertEquals("{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"Result\":\"sfn-stack\",\"End\":true}}}", d.definition());
        assertEquals("arn:aws:iam::000000000000:role/" + physicalId(cfn, "Role"), d.roleArn());
        // AWS's DescribeStateMachine shows no revisionId until an update makes one; the attribute still has a value
        assertNull(d.revisionId());
        assertTrue(out.get("Revision") != null && !out.get("Revision").isEmpty(), out::toString);

        // Definition as an object with substitutions: an in-place update of the same machine.
        String template2 = template("\"Definition\":{\"Comment\":\"${Note}\",\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\","
                + "\"Seconds\":7,\"Next\":\"Done\"},\"Done\":{\"Type\":\"Succeed\"}}},\"DefinitionSubstitutions\":{\"Note\":{\"Ref\":\"AWS::Region\"}}", "");
        s = cfn.deploy("sfn-stack", template2);
        assertEquals("UPDATE_COMPLETE", s.stackStatusAsString(), () -> cfn.events("sfn-stack").toString());
        assertEquals(arn, cfn.outputs(s).get("Arn"), "a definition change updates in place");
        assertEquals("{\"Comment\":\"us-east-1\",\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":7,"
                + "\"Next\":\"Done\"},\"Done\":{\"Type\":\"Succeed\"}}}", sfn.describeStateMachine(b -> b.stateMachineArn(arn)).definition());
        assertNotEquals(d.revisionId(), cfn.outputs(s).get("Revision"));

        // A new name replaces it: the new machine exists, the old one is gone.
        s = cfn.deploy("sfn-stack", template1.replace("\"RoleArn\":", "\"StateMachineName\":\"named-machine\",\"RoleArn\":"));
        assertEquals("UPDATE_COMPLETE", s.stackStatusAsString(), () -> cfn.events("sfn-stack").toString());
        String named = cfn.outputs(s).get("Arn");
        assertEquals("arn:aws:states:us-east-1:000000000000:stateMachine:named-machine", named);
        assertEquals("named-machine", sfn.describeStateMachine(b -> b.stateMachineArn(named)).name());
        assertThrows(StateMachineDoesNotExistException.class, () -> sfn.describeStateMachine(b -> b.stateMachineArn(arn)));

        cfn.client.deleteStack(b -> b.stackName("sfn-stack"));
        cfn.waiter.waitUntilStackDeleteComplete(b -> b.stackName("sfn-stack"));
        assertThrows(StateMachineDoesNotExistException.class, () -> sfn.describeStateMachine(b -> b.stateMachineArn(named)));
    }

    /** What CDK synthesises for a StateMachine with a service-integration task: Fn::Join over partition and GetAtts. */
    static final String CDK_SHAPED = """
            {
              "Resources": {
                "Queue4A7E3555": {"Type": "AWS::SQS::Queue", "UpdateReplacePolicy": "Delete", "DeletionPolicy": "Delete"},
                "FlowRole9D5A2C3B": {
                  "Type": "AWS::IAM::Role",
                  "Properties": {"AssumeRolePolicyDocument": {"Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow",
                      "Principal": {"Service": "states.amazonaws.com"}}], "Version": "2012-10-17"}}
                },
                "FlowRoleDefaultPolicy1A2B3C4D": {
                  "Type": "AWS::IAM::Policy",
                  "Properties": {"PolicyDocument": {"Statement": [{"Action": "sqs:SendMessage", "Effect": "Allow",
                      "Resource": {"Fn::GetAtt": ["Queue4A7E3555", "Arn"]}}], "Version": "2012-10-17"},
                    "PolicyName": "FlowRoleDefaultPolicy1A2B3C4D", "Roles": [{"Ref": "FlowRole9D5A2C3B"}]}
                },
                "Flow7F0B8C2A": {
                  "Type": "AWS::StepFunctions::StateMachine",
                  "Properties": {
                    "DefinitionString": {"Fn::Join": ["", [
                      "{\\"StartAt\\":\\"Send\\",\\"States\\":{\\"Send\\":{\\"Next\\":\\"Pause\\",\\"Type\\":\\"Task\\",\\"Resource\\":\\"arn:",
                      {"Ref": "AWS::Partition"},
                      ":states:::sqs:sendMessage\\",\\"Parameters\\":{\\"QueueUrl\\":\\"",
                      {"Ref": "Queue4A7E3555"},
                      "\\",\\"MessageBody.$\\":\\"$\\"},\\"Retry\\":[{\\"ErrorEquals\\":[\\"States.ALL\\"],\\"IntervalSeconds\\":2,\\"MaxAttempts\\":6,\\"BackoffRate\\":2}],"
                      ,"\\"Catch\\":[{\\"ErrorEquals\\":[\\"States.ALL\\"],\\"Next\\":\\"Failed\\"}]},"
                      ,"\\"Pause\\":{\\"Type\\":\\"Wait\\",\\"Seconds\\":5,\\"Next\\":\\"Fan\\"},"
                      ,"\\"Fan\\":{\\"Type\\":\\"Parallel\\",\\"End\\":true,\\"Branches\\":[{\\"StartAt\\":\\"A\\",\\"States\\":{\\"A\\":{\\"Type\\":\\"Pass\\",\\"End\\":true}}}]},"
                      ,"\\"Failed\\":{\\"Type\\":\\"Fail\\",\\"Error\\":\\"SendFailed\\"}},\\"TimeoutSeconds\\":300}"
                    ]]},
                    "RoleArn": {"Fn::GetAtt": ["FlowRole9D5A2C3B", "Arn"]},
                    "TracingConfiguration": {"Enabled": true}
                  },
                  "DependsOn": ["FlowRoleDefaultPolicy1A2B3C4D", "FlowRole9D5A2C3B"],
                  "UpdateReplacePolicy": "Delete",
                  "DeletionPolicy": "Delete",
                  "Metadata": {"aws:cdk:path": "App/Flow/Resource"}
                }
              },
              "Outputs": {"FlowArn": {"Value": {"Ref": "Flow7F0B8C2A"}}, "QueueUrl": {"Value": {"Ref": "Queue4A7E3555"}}}
            }
            """;

    @Test
    void aCdkShapedStateMachineDeploysWithItsResolvedDefinition() throws Exception {
        Cfn cfn = new Cfn(Sdk.cloudFormation(cloud.endpoint()));
        Stack s = cfn.deploy("sfn-cdk", CDK_SHAPED);
        assertEquals("CREATE_COMPLETE", s.stackStatusAsString(), () -> cfn.events("sfn-cdk").toString());
        String arn = cfn.outputs(s).get("FlowArn");
        assertTrue(arn.startsWith("arn:aws:states:us-east-1:000000000000:stateMachine:Flow7F0B8C2A-"), arn);
        DescribeStateMachineResponse d = sfn.describeStateMachine(b -> b.stateMachineArn(arn));
        var definition = Http.JSON.readTree(d.definition());
        assertEquals("arn:aws:states:::sqs:sendMessage", definition.at("/States/Send/Resource").asText());
        assertEquals(cfn.outputs(s).get("QueueUrl"), definition.at("/States/Send/Parameters/QueueUrl").asText());
        assertEquals(300, definition.get("TimeoutSeconds").asInt());
        assertTrue(d.tracingConfiguration().enabled(), "TracingConfiguration.Enabled maps to tracingConfiguration.enabled");
        assertEquals(LogLevel.OFF, d.loggingConfiguration().level());
    }

    @Test
    void aStackUpdateRecreatesAMachineItDoesNotFindUnderTheSameArn() {
        Cfn cfn = new Cfn(Sdk.cloudFormation(cloud.endpoint()));
        Stack s = cfn.deploy("sfn-adopt", template("\"DefinitionString\":\"" + PASS.replace("\"", "\\\"") + "\"", ""));
        assertEquals("CREATE_COMPLETE", s.stackStatusAsString(), () -> cfn.events("sfn-adopt").toString());
        String arn = cfn.outputs(s).get("Arn");
        // What a stack recorded before local-cloud stored state machines looks like: the ARN, and no machine.
        sfn.deleteStateMachine(b -> b.stateMachineArn(arn));
        s = cfn.deploy("sfn-adopt", template("\"DefinitionString\":\"" + WAIT.replace("\"", "\\\"") + "\"", ""));
        assertEquals("UPDATE_COMPLETE", s.stackStatusAsString(), () -> cfn.events("sfn-adopt").toString());
        assertEquals(arn, cfn.outputs(s).get("Arn"));
        assertEquals(WAIT, sfn.describeStateMachine(b -> b.stateMachineArn(arn)).definition());
        assertNull(sfn.describeStateMachine(b -> b.stateMachineArn(arn)).revisionId(), "a machine made afresh has no revision yet");
        assertTrue(cfn.outputs(s).get("Revision") != null);
    }

    @Test
    void aStackWithAnInvalidDefinitionFailsWithTheServiceMessage() {
        Cfn cfn = new Cfn(Sdk.cloudFormation(cloud.endpoint()));
        Stack s = cfn.deploy("sfn-bad-stack", template("\"DefinitionString\":\"{oops\"", ""));
        assertEquals("ROLLBACK_COMPLETE", s.stackStatusAsString());
        String reason = cfn.events("sfn-bad-stack").stream()
                .filter(e -> "Machine".equals(e.logicalResourceId()) && "CREATE_FAILED".equals(e.resourceStatusAsString()))
                .findFirst().orElseThrow().resourceStatusReason();
        assertTrue(reason.contains("Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION"), reason);
        assertTrue(reason.contains("HandlerErrorCode: InvalidRequest"), reason);
    }

    @Test
    void stateMachinesSurviveARestart(@TempDir Path dir) throws Exception {
        String arn;
        try (LocalCloud first = LocalCloud.start(LocalCloudConfig.defaults(dir, 0)); SfnClient c = sfn(first.endpoint())) {
            arn = c.createStateMachine(b -> b.name("durable").definition(PASS).roleArn(ROLE)).stateMachineArn();
            c.updateStateMachine(b -> b.stateMachineArn(arn).definition(WAIT));
        }
        try (LocalCloud second = LocalCloud.start(LocalCloudConfig.defaults(dir, 0)); SfnClient c = sfn(second.endpoint())) {
            DescribeStateMachineResponse d = c.describeStateMachine(b -> b.stateMachineArn(arn));
            assertEquals(WAIT, d.definition());
            assertEquals("durable", d.name());
            assertEquals(1, c.listStateMachines().stateMachines().size());
            c.deleteStateMachine(b -> b.stateMachineArn(arn));
        }
        try (LocalCloud third = LocalCloud.start(LocalCloudConfig.defaults(dir, 0)); SfnClient c = sfn(third.endpoint())) {
            assertTrue(c.listStateMachines().stateMachines().isEmpty(), "a deletion is persisted too");
            assertNull(c.listStateMachines().nextToken());
        }
    }

    @Test
    void testControlsInjectFaultsIntoStepFunctionsAndResetClearsIt(@TempDir Path dir) throws Exception {
        try (LocalCloud own = LocalCloud.start(LocalCloudConfig.defaults(dir, 0)); SfnClient c = sfn(own.endpoint())) {
            TestControls controls = TestControls.of(own);
            String arn = c.createStateMachine(b -> b.name("faulty").definition(PASS).roleArn(ROLE)).stateMachineArn();
            controls.failNext("states", "UpdateStateMachine", 1, TestControls.Fault.THROTTLING);
            SfnException throttled = assertThrows(SfnException.class,
                    () -> c.updateStateMachine(b -> b.stateMachineArn(arn).definition(WAIT)));
            assertEquals("ThrottlingException", throttled.awsErrorDetails().errorCode());
            assertTrue(throttled.isThrottlingException());
            assertEquals(PASS, c.describeStateMachine(b -> b.stateMachineArn(arn)).definition(), "a throttled call changes nothing");
            c.updateStateMachine(b -> b.stateMachineArn(arn).definition(WAIT));
            assertEquals(WAIT, c.describeStateMachine(b -> b.stateMachineArn(arn)).definition(), "only the next call failed");
            controls.reset();
            assertTrue(c.listStateMachines().stateMachines().isEmpty());
        }
        try (LocalCloud again = LocalCloud.start(LocalCloudConfig.defaults(dir, 0)); SfnClient c = sfn(again.endpoint())) {
            assertTrue(c.listStateMachines().stateMachines().isEmpty(), "the reset reached the state folder");
        }
    }

    private static String physicalId(Cfn cfn, String logicalId) {
        return cfn.client.describeStackResources(b -> b.stackName("sfn-stack")).stackResources().stream()
                .filter(r -> r.logicalResourceId().equals(logicalId)).map(StackResource::physicalResourceId)
                .findFirst().orElseThrow();
    }

    /** A role and a state machine with the given definition properties, and outputs for Ref and every GetAtt. */
    private static String template(String definitionProperties, String extra) {
        return "{\"Resources\":{"
                + "\"Role\":{\"Type\":\"AWS::IAM::Role\",\"Properties\":{\"AssumeRolePolicyDocument\":{\"Version\":\"2012-10-17\","
                + "\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"states.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}}},"
                + "\"Machine\":{\"Type\":\"AWS::StepFunctions::StateMachine\",\"Properties\":{"
                + "\"RoleArn\":{\"Fn::GetAtt\":[\"Role\",\"Arn\"]}," + definitionProperties + extra + "}}},"
                + "\"Outputs\":{\"Arn\":{\"Value\":{\"Ref\":\"Machine\"}},\"GetAttArn\":{\"Value\":{\"Fn::GetAtt\":[\"Machine\",\"Arn\"]}},"
                + "\"Name\":{\"Value\":{\"Fn::GetAtt\":[\"Machine\",\"Name\"]}},"
                + "\"Revision\":{\"Value\":{\"Fn::GetAtt\":[\"Machine\",\"StateMachineRevisionId\"]}}}}";
    }
}
