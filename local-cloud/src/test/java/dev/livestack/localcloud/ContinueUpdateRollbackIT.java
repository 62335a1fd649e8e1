package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.cloudformation.model.StackResource;

/**
 * An update rollback that cannot restore a resource leaves the stack in UPDATE_ROLLBACK_FAILED, which only
 * ContinueUpdateRollback leaves: retrying the restore, or skipping the resource (ResourcesToSkip).
 */
class ContinueUpdateRollbackIT {
    @TempDir
    static Path work;
    @RegisterExtension
    static final LocalCloudFixture cloud = new LocalCloudFixture();
    static Cfn cfn;
    static TestControls controls;

    static final String BEFORE = """
            {
              "Resources": {
                "Jobs": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 30}},
                "Dead": {"Type": "AWS::SQS::Queue", "DependsOn": "Jobs", "Properties": {"VisibilityTimeout": 30}}
              }
            }
            """;
    /** Jobs is updated first, Dead's update fails, Extra (created by the update) must go in the cleanup. */
    static final String AFTER = """
            {
              "Resources": {
                "Jobs": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 60}},
                "Dead": {"Type": "AWS::SQS::Queue", "DependsOn": "Jobs", "Properties": {"VisibilityTimeout": 60}},
                "Extra": {"Type": "AWS::SNS::Topic"}
              }
            }
            """;

    @BeforeAll
    static void start() throws Exception {
        cfn = new Cfn(cloud.closeAfter(Sdk.cloudFormation(cloud.endpoint())));
        controls = TestControls.of(cloud.get());
    }

    /** Creates the stack, then an update whose rollback cannot restore Jobs. */
    private static Stack rollbackFails(String name) {
        cfn.client.createStack(b -> b.stackName(name).templateBody(BEFORE));
        assertEquals("CREATE_COMPLETE", cfn.awaitSettled(name).stackStatusAsString());
        controls.failResource("Dead", "Resource handler returned message: \"Rate exceeded\"");
        controls.failRollback("Jobs", "Resource handler returned message: \"Queue is being deleted\"", 1);
        cfn.client.updateStack(b -> b.stackName(name).templateBody(AFTER));
        return cfn.awaitSettled(name);
    }

    private static Map<String, StackResource> resources(String name) {
        Map<String, StackResource> out = new java.util.LinkedHashMap<>();
        cfn.client.describeStackResources(b -> b.stackName(name)).stackResources().forEach(r -> out.put(r.logicalResourceId(), r));
        return out;
    }

    @Test
    void aRestoreThatFailsLeavesUpdateRollbackFailedUntilTheRollbackIsContinued() {
        Stack failed = rollbackFails("stuck");
        assertEquals("UPDATE_ROLLBACK_FAILED", failed.stackStatusAsString());
        assertEquals("The following resource(s) failed to update: [Jobs]. ", failed.stackStatusReason());
        StackEvent jobs = cfn.events("stuck").stream().filter(e -> e.logicalResourceId().equals("Jobs")).findFirst().orElseThrow();
        assertEquals("UPDATE_FAILED", jobs.resourceStatusAsString());
        assertEquals("Resource handler returned message: \"Queue is being deleted\"", jobs.resourceStatusReason());
        assertEquals("UPDATE_FAILED", resources("stuck").get("Jobs").resourceStatusAsString());
        assertTrue(resources("stuck").containsKey("Extra"), "the cleanup has not run");

        CloudFormationException e = assertThrows(CloudFormationException.class,
                () -> cfn.client.updateStack(b -> b.stackName("stuck").templateBody(BEFORE)));
        assertEquals("Stack:" + failed.stackId() + " is in UPDATE_ROLLBACK_FAILED state and can not be updated.",
                e.awsErrorDetails().errorMessage());

        // The restore fails again: the stack is back in UPDATE_ROLLBACK_FAILED.
        controls.failRollback("Jobs", "Resource handler returned message: \"Queue is being deleted\"", 1);
        cfn.client.continueUpdateRollback(b -> b.stackName("stuck"));
        assertEquals("UPDATE_ROLLBACK_FAILED", cfn.awaitSettled("stuck").stackStatusAsString());

        // It works now: the rollback completes and its cleanup deletes what the update created.
        cfn.client.continueUpdateRollback(b -> b.stackName(failed.stackId()));
        Stack done = cfn.awaitSettled("stuck");
        assertEquals("UPDATE_ROLLBACK_COMPLETE", done.stackStatusAsString());
        Map<String, StackResource> rs = resources("stuck");
        assertEquals(List.of("Jobs", "Dead"), new ArrayList<>(rs.keySet()));
        assertTrue(rs.values().stream().allMatch(r -> r.resourceStatusAsString().equals("UPDATE_COMPLETE")
                || r.resourceStatusAsString().equals("CREATE_COMPLETE")), rs.toString());
        assertEquals(BEFORE, cfn.client.getTemplate(b -> b.stackName("stuck")).templateBody());

        List<String> stackStatuses = cfn.events("stuck").stream().filter(ev -> ev.resourceType().equals("AWS::CloudFormation::Stack"))
                .map(ev -> ev.resourceStatusAsString()).toList();
        assertEquals(List.of("UPDATE_ROLLBACK_COMPLETE", "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_ROLLBACK_IN_PROGRESS",
                "UPDATE_ROLLBACK_FAILED", "UPDATE_ROLLBACK_IN_PROGRESS"), stackStatuses.subList(0, 5));
        StackEvent resumed = cfn.events("stuck").stream().filter(ev -> ev.resourceType().equals("AWS::CloudFormation::Stack")
                && ev.resourceStatusAsString().equals("UPDATE_ROLLBACK_IN_PROGRESS")).findFirst().orElseThrow();
        assertEquals("User Initiated", resumed.resourceStatusReason());
        assertTrue(cfn.events("stuck").stream().anyMatch(ev -> ev.logicalResourceId().equals("Extra")
                && ev.resourceStatusAsString().equals("DELETE_COMPLETE")));

        // UPDATE_ROLLBACK_COMPLETE can be updated again.
        cfn.client.updateStack(b -> b.stackName("stuck").templateBody(AFTER));
        assertEquals("UPDATE_COMPLETE", cfn.awaitSettled("stuck").stackStatusAsString());
    }

    @Test
    void onlyAStackInUpdateRollbackFailedCanContinueAndOnlyFailedResourcesCanBeSkipped() {
        cfn.client.createStack(b -> b.stackName("fine").templateBody(BEFORE));
        Stack fine = cfn.awaitSettled("fine");
        CloudFormationException e = assertThrows(CloudFormationException.class,
                () -> cfn.client.continueUpdateRollback(b -> b.stackName("fine")));
        assertEquals("ValidationError", e.awsErrorDetails().errorCode());
        assertEquals("Stack:" + fine.stackId() + " is in CREATE_COMPLETE state and can not continue update rollback.",
                e.awsErrorDetails().errorMessage());
        e = assertThrows(CloudFormationException.class, () -> cfn.client.continueUpdateRollback(b -> b.stackName("nothing-here")));
        assertEquals("Stack with id nothing-here does not exist", e.awsErrorDetails().errorMessage());

        rollbackFails("picky");
        e = assertThrows(CloudFormationException.class,
                () -> cfn.client.continueUpdateRollback(b -> b.stackName("picky").resourcesToSkip("Dead")));
        assertEquals("Resource [Dead] is in UPDATE_COMPLETE state; only resources in UPDATE_FAILED state can be skipped",
                e.awsErrorDetails().errorMessage());
        assertEquals("UPDATE_ROLLBACK_FAILED", cfn.awaitSettled("picky").stackStatusAsString());
    }

    @Test
    void aCreateRollbackThatCannotDeleteAResourceEndsInRollbackFailedAndTheStackCanBeDeleted() {
        controls.failResource("Dead", "Resource handler returned message: \"Rate exceeded\"");
        controls.failRollback("Jobs", "Resource handler returned message: \"Access Denied\"", 1);
        cfn.client.createStack(b -> b.stackName("half").templateBody(BEFORE));
        Stack s = cfn.awaitSettled("half");
        assertEquals("ROLLBACK_FAILED", s.stackStatusAsString());
        StackEvent jobs = cfn.events("half").stream().filter(e -> e.logicalResourceId().equals("Jobs")).findFirst().orElseThrow();
        assertEquals("DELETE_FAILED", jobs.resourceStatusAsString());
        assertEquals("Resource handler returned message: \"Access Denied\"", jobs.resourceStatusReason());
        CloudFormationException e = assertThrows(CloudFormationException.class,
                () -> cfn.client.continueUpdateRollback(b -> b.stackName("half")));
        assertTrue(e.awsErrorDetails().errorMessage().endsWith("is in ROLLBACK_FAILED state and can not continue update rollback."));
        cfn.client.deleteStack(b -> b.stackName(s.stackId()));
        assertEquals("DELETE_COMPLETE", cfn.awaitSettled(s.stackId()).stackStatusAsString());
    }

    /**
     * As on AWS, without any fault control: the rollback must restore a function's code from an S3 object that
     * was deleted meanwhile; it cannot until the object is back.
     */
    @Test
    void aFunctionWhosePreviousCodeObjectWasDeletedCannotBeRestoredUntilTheObjectIsBack() {
        String template = """
                {"Parameters": {"Key": {"Type": "String"}, "Visibility": {"Type": "Number"}},
                 "Resources": {
                   "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "nodejs20.x", "Handler": "index.handler",
                     "Role": "%s", "Code": {"S3Bucket": "rollback-assets", "S3Key": {"Ref": "Key"}}}},
                   "Gate": {"Type": "AWS::SQS::Queue", "DependsOn": "Fn", "Properties": {"VisibilityTimeout": {"Ref": "Visibility"}}}
                 }}
                """.formatted(LambdaFixtures.ROLE);
        byte[] v1 = LambdaFixtures.zip("nodejs20.x", "exports.handler = async () => 'v1';");
        byte[] v2 = LambdaFixtures.zip("nodejs20.x", "exports.handler = async () => 'v2';");
        try (var s3 = Sdk.s3(cloud.endpoint()); var lambda = LambdaFixtures.lambda(cloud.endpoint())) {
            s3.createBucket(b -> b.bucket("rollback-assets"));
            s3.putObject(b -> b.bucket("rollback-assets").key("v1.zip"), software.amazon.awssdk.core.sync.RequestBody.fromBytes(v1));
            s3.putObject(b -> b.bucket("rollback-assets").key("v2.zip"), software.amazon.awssdk.core.sync.RequestBody.fromBytes(v2));
            cfn.client.createStack(b -> b.stackName("code").templateBody(template)
                    .parameters(Cfn.param("Key", "v1.zip"), Cfn.param("Visibility", "30")));
            assertEquals("CREATE_COMPLETE", cfn.awaitSettled("code").stackStatusAsString());
            String fn = resources("code").get("Fn").physicalResourceId();
            String v1Sha = lambda.getFunction(b -> b.functionName(fn)).configuration().codeSha256();

            // The old package is cleaned up; then an update whose queue is invalid rolls back and needs it.
            s3.deleteObject(b -> b.bucket("rollback-assets").key("v1.zip"));
            cfn.client.updateStack(b -> b.stackName("code").templateBody(template)
                    .parameters(Cfn.param("Key", "v2.zip"), Cfn.param("Visibility", "99999")));
            Stack failed = cfn.awaitSettled("code");
            assertEquals("UPDATE_ROLLBACK_FAILED", failed.stackStatusAsString());
            StackEvent restore = cfn.events("code").stream().filter(e -> e.logicalResourceId().equals("Fn")).findFirst().orElseThrow();
            assertEquals("UPDATE_FAILED", restore.resourceStatusAsString());
            assertTrue(restore.resourceStatusReason().contains("NoSuchKey"), restore.resourceStatusReason());
            assertFalse(v1Sha.equals(lambda.getFunction(b -> b.functionName(fn)).configuration().codeSha256()), "still v2");

            s3.putObject(b -> b.bucket("rollback-assets").key("v1.zip"), software.amazon.awssdk.core.sync.RequestBody.fromBytes(v1));
            cfn.client.continueUpdateRollback(b -> b.stackName("code"));
            assertEquals("UPDATE_ROLLBACK_COMPLETE", cfn.awaitSettled("code").stackStatusAsString());
            lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName(fn));
            assertEquals(v1Sha, lambda.getFunction(b -> b.functionName(fn)).configuration().codeSha256());
        }
    }

    /** What the failed rollback left to do is state: a restarted local-cloud continues it. */
    @Test
    void aRollbackLeftFailedSurvivesARestart(@TempDir Path own) throws Exception {
        try (LocalCloud first = LocalCloud.start(LocalCloudConfig.defaults(own, 0))) {
            Cfn c = new Cfn(Sdk.cloudFormation(first.endpoint()));
            TestControls t = TestControls.of(first);
            c.client.createStack(b -> b.stackName("kept").templateBody(BEFORE));
            c.awaitSettled("kept");
            t.failResource("Dead", "Resource handler returned message: \"Rate exceeded\"");
            t.failRollback("Jobs", "Resource handler returned message: \"Queue is being deleted\"", 1);
            c.client.updateStack(b -> b.stackName("kept").templateBody(AFTER));
            assertEquals("UPDATE_ROLLBACK_FAILED", c.awaitSettled("kept").stackStatusAsString());
            c.client.close();
        }
        try (LocalCloud second = LocalCloud.start(LocalCloudConfig.defaults(own, 0))) {
            Cfn c = new Cfn(Sdk.cloudFormation(second.endpoint()));
            assertEquals("UPDATE_ROLLBACK_FAILED", c.awaitSettled("kept").stackStatusAsString());
            c.client.continueUpdateRollback(b -> b.stackName("kept"));
            assertEquals("UPDATE_ROLLBACK_COMPLETE", c.awaitSettled("kept").stackStatusAsString());
            List<String> ids = c.client.describeStackResources(b -> b.stackName("kept")).stackResources().stream()
                    .map(StackResource::logicalResourceId).toList();
            assertEquals(List.of("Jobs", "Dead"), ids);
            c.client.close();
        }
    }

    /** The AWS CLI's continue-update-rollback, skipping the resource that cannot be restored. */
    @Test
    void theAwsCliSkipsAResourceThatCannotBeRestored() throws Exception {
        String aws = Files.isExecutable(Path.of("/usr/bin/aws")) ? "/usr/bin/aws" : "aws";
        Assumptions.assumeTrue(run(List.of(aws, "--version"))[0].equals("0"), "the AWS CLI is not installed");
        rollbackFails("skipper");
        // Every restore of Jobs would fail: only skipping it completes the rollback.
        controls.failRollback("Jobs", "Resource handler returned message: \"Queue is being deleted\"", 100);
        String[] r = run(List.of(aws, "cloudformation", "continue-update-rollback", "--stack-name", "skipper",
                "--resources-to-skip", "Jobs", "--endpoint-url", cloud.endpoint().toString()));
        assertEquals("0", r[0], r[1] + r[2]);
        assertEquals("UPDATE_ROLLBACK_COMPLETE", cfn.awaitSettled("skipper").stackStatusAsString());
        controls.clearFaults();
        StackEvent skipped = cfn.events("skipper").stream().filter(e -> e.logicalResourceId().equals("Jobs")).findFirst().orElseThrow();
        assertEquals("UPDATE_COMPLETE", skipped.resourceStatusAsString());
        assertFalse(resources("skipper").containsKey("Extra"));

        String[] again = run(List.of(aws, "cloudformation", "continue-update-rollback", "--stack-name", "skipper",
                "--endpoint-url", cloud.endpoint().toString()));
        // a service error is exit 254 in AWS CLI v2 and 255 in v1 (both run here: v2 from Debian when installed)
        assertTrue(again[0].equals("254") || again[0].equals("255"), again[0] + " " + again[2]);
        assertTrue(again[2].contains("(ValidationError) when calling the ContinueUpdateRollback operation: Stack:")
                && again[2].contains("is in UPDATE_ROLLBACK_COMPLETE state and can not continue update rollback."), again[2]);
    }

    private static String[] run(List<String> command) throws Exception {
        ClientProcess.Result r = ClientProcess.run(work, command);
        return new String[] {Integer.toString(r.exit()), r.out(), r.err()};
    }
}
