package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.TestControls;
import dev.livestack.synth.CloudAssembly;
import dev.livestack.synth.StackTemplate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;

/** The change-set flow against local-cloud: failures and their root cause, empty change sets, replacement, S3, approval. */
class ChangeSetIT extends LocalCloudFixture {

    @AfterEach
    void clearFaults() {
        controls.clearFaults();
    }

    private static ObjectNode queues(String... ids) {
        StringBuilder sb = new StringBuilder("{'Resources':{");
        for (int i = 0; i < ids.length; i++) {
            sb.append(i == 0 ? "" : ",").append("'").append(ids[i]).append("':{'Type':'AWS::SQS::Queue','Properties':{'VisibilityTimeout':30}}");
        }
        return TestTemplates.obj(sb.append("},'Outputs':{'First':{'Value':{'Ref':'").append(ids[0]).append("'}}}}").toString());
    }

    @Test
    void aFailedCreateReportsTheFirstFailedResourceAndTheNextDeployCreatesTheStackAgain() {
        try (Harness h = harness()) {
            String name = uniqueStack("rollback");
            controls.failResource("Broken", "Resource handler returned message: \"quota exceeded\"");
            DeployResult r = h.deployer.deploy(stack(name, queues("Alpha", "Broken", "Gamma")), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.FAILED, r.status(), r::toString);
            assertEquals("Broken (AWS::SQS::Queue): Resource handler returned message: \"quota exceeded\"", r.rootCause());
            DeployEvent.DeployFailed failed = h.events(DeployEvent.DeployFailed.class).get(0);
            assertEquals("ROLLBACK_COMPLETE", failed.finalStatus());
            assertEquals(r.rootCause(), failed.rootCause());
            assertTrue(h.events(DeployEvent.StackEvent.class).stream().anyMatch(e -> e.status().equals("ROLLBACK_COMPLETE")));
            assertTrue(h.deployer.lastApplied(name).isEmpty(), "nothing was applied");
            String firstId = cf.describeStacks(b -> b.stackName(name)).stacks().get(0).stackId();

            // It never had a working version: as cdk deploy does, the stack is deleted and created again.
            h.events.clear();
            DeployResult again = h.deployer.deploy(stack(name, queues("Alpha", "Broken", "Gamma")), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.DEPLOYED, again.status(), again::toString);
            assertEquals(List.of(new DeployEvent.StackRecreated(name, "ROLLBACK_COMPLETE")), h.events(DeployEvent.StackRecreated.class));
            assertEquals("CREATE", h.events(DeployEvent.ChangeSetCreated.class).get(0).summary().changeSetType());
            var now = cf.describeStacks(b -> b.stackName(name)).stacks().get(0);
            assertEquals("CREATE_COMPLETE", now.stackStatusAsString());
            assertFalse(now.stackId().equals(firstId), "a new stack");
        }
    }

    @Test
    void aStackWhoseCreateRollbackFailedIsRecreatedOnlyWhenAsked() {
        String name = uniqueStack("replace");
        String offered = uniqueStack("offered");
        try (Harness h = harness()) {
            for (String s : List.of(name, offered)) {
                controls.failResource("Broken", "boom");
                controls.failRollback("Alpha", "Resource handler returned message: \"Queue has in-flight messages\"", 1);
                assertEquals(DeployResult.Status.FAILED, h.deployer.deploy(stack(s, queues("Alpha", "Broken")), DeployMode.FULL).status());
                assertEquals("ROLLBACK_FAILED", cf.describeStacks(b -> b.stackName(s)).stacks().get(0).stackStatusAsString());
            }
            DeployResult r = h.deployer.deploy(stack(name, queues("Alpha", "Broken")), DeployMode.FULL);
            assertEquals(DeployResult.Status.FAILED, r.status());
            assertTrue(r.error().contains("ROLLBACK_FAILED") && r.error().contains("--replace-failed"), r.error());
        }
        try (Harness h = new Harness(c -> c.withReplaceFailed(true))) {
            DeployResult r = h.deployer.deploy(stack(name, queues("Alpha", "Broken")), DeployMode.FULL);
            assertEquals(DeployResult.Status.DEPLOYED, r.status(), r::toString);
            assertEquals("CREATE_COMPLETE", cf.describeStacks(b -> b.stackName(name)).stacks().get(0).stackStatusAsString());
            assertEquals(List.of(new DeployEvent.StackRecreated(name, "ROLLBACK_FAILED")), h.events(DeployEvent.StackRecreated.class));
        }
        // Interactively: the cli's question decides.
        java.util.Deque<Boolean> answers = new java.util.ArrayDeque<>(List.of(false, true));
        List<String> asked = new java.util.ArrayList<>();
        try (Harness h = new Harness(c -> c.withReplaceFailed(false, s -> {
            asked.add(s);
            return answers.pop();
        }))) {
            DeployResult no = h.deployer.deploy(stack(offered, queues("Alpha", "Broken")), DeployMode.FULL);
            assertEquals(DeployResult.Status.FAILED, no.status());
            assertTrue(no.error().contains("--replace-failed"), no.error());
            DeployResult yes = h.deployer.deploy(stack(offered, queues("Alpha", "Broken")), DeployMode.FULL);
            assertEquals(DeployResult.Status.DEPLOYED, yes.status(), yes::toString);
            assertEquals(List.of(offered, offered), asked);
        }
    }

    @Test
    void aStackInUpdateRollbackFailedHasItsRollbackContinuedThenTheDeployGoesOn() {
        try (Harness h = harness()) {
            String name = uniqueStack("urf");
            assertEquals(DeployResult.Status.DEPLOYED, h.deployer.deploy(stack(name, queues("Alpha", "Beta")), DeployMode.FULL).status());
            // Alpha's update is applied, Beta's fails, and the rollback cannot restore Alpha (twice).
            ObjectNode changed = queues("Alpha", "Beta");
            ((ObjectNode) changed.at("/Resources/Alpha/Properties")).put("VisibilityTimeout", 60);
            ((ObjectNode) changed.at("/Resources/Beta/Properties")).put("VisibilityTimeout", 60);
            controls.failResource("Beta", "Beta refused");
            controls.failRollback("Alpha", "Resource handler returned message: \"Queue is being deleted\"", 2);
            DeployResult r = h.deployer.deploy(stack(name, changed), DeployMode.FULL);
            assertEquals(DeployResult.Status.FAILED, r.status(), r::toString);
            assertEquals("UPDATE_ROLLBACK_FAILED", cf.describeStacks(b -> b.stackName(name)).stacks().get(0).stackStatusAsString());

            // The next save continues the rollback; the restore fails again, and the deploy says what to do.
            h.events.clear();
            DeployResult stuck = h.deployer.deploy(stack(name, changed), DeployMode.FULL);
            assertEquals(DeployResult.Status.FAILED, stuck.status(), stuck::toString);
            assertEquals(1, h.events(DeployEvent.RollbackContinued.class).size());
            assertEquals("Alpha (AWS::SQS::Queue): Resource handler returned message: \"Queue is being deleted\"", stuck.rootCause());
            assertTrue(stuck.error().contains("--resources-to-skip"), stuck.error());
            assertTrue(h.events(DeployEvent.ChangeSetCreated.class).isEmpty());

            // Now the restore works: the rollback completes and the change is deployed in the same run.
            h.events.clear();
            DeployResult ok = h.deployer.deploy(stack(name, changed), DeployMode.FULL);
            assertEquals(DeployResult.Status.DEPLOYED, ok.status(), ok::toString);
            List<DeployEvent.RollbackContinued> continued = h.events(DeployEvent.RollbackContinued.class);
            assertEquals(List.of(new DeployEvent.RollbackContinued(name, "The following resource(s) failed to update: [Alpha]. ")),
                    continued);
            assertTrue(h.events(DeployEvent.StackEvent.class).stream().anyMatch(e -> e.status().equals("UPDATE_ROLLBACK_COMPLETE")));
            assertEquals("UPDATE_COMPLETE", cf.describeStacks(b -> b.stackName(name)).stacks().get(0).stackStatusAsString());
        }
    }

    @Test
    void aFailedUpdateRollsBackAndNamesTheCauseNotTheCascade() {
        try (Harness h = harness()) {
            String name = uniqueStack("upd");
            assertEquals(DeployResult.Status.DEPLOYED, h.deployer.deploy(stack(name, queues("Alpha")), DeployMode.FULL).status());
            controls.failResource("Delta", "Delta refused");
            DeployResult r = h.deployer.deploy(stack(name, queues("Alpha", "Beta", "Delta", "Omega")), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.FAILED, r.status(), r::toString);
            assertEquals("Delta (AWS::SQS::Queue): Delta refused", r.rootCause());
            assertEquals("UPDATE_ROLLBACK_COMPLETE", h.events(DeployEvent.DeployFailed.class).get(0).finalStatus());
            assertTrue(r.error().startsWith("Deploying stack " + name + " failed (UPDATE_ROLLBACK_COMPLETE)"), r.error());
            // The next attempt diffs against what CloudFormation has and deploys the whole change again.
            DeployResult retry = h.deployer.deploy(stack(name, queues("Alpha", "Beta", "Delta", "Omega")), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.DEPLOYED, retry.status(), retry::toString);
            assertEquals(4, cf.listStackResources(b -> b.stackName(name)).stackResourceSummaries().size());
        }
    }

    @Test
    void anEmptyChangeSetMeansNoChangesAndIsDeleted() {
        try (Harness h = harness()) {
            String name = uniqueStack("empty");
            ObjectNode t = queues("Alpha");
            assertEquals(DeployResult.Status.DEPLOYED, h.deployer.deploy(stack(name, t), DeployMode.FULL).status());
            DeployerConfig config = DeployerConfig.of(cf, lambda, h.stateDir).withPolling(Duration.ofMillis(20), Duration.ofMillis(25));
            Retry retry = new Retry(3, Duration.ofMillis(20), Duration.ofMillis(100));
            ChangeSetDeployer direct = new ChangeSetDeployer(config, new Cfn(cf, retry), retry);
            ChangeSetDeployer.Outcome o = direct.deploy(name, t, null, (op, a, reason, d) -> { });
            assertEquals(DeployResult.Status.NO_CHANGES, o.status(), o::toString);
            assertEquals(List.of(), cf.listChangeSets(b -> b.stackName(name)).summaries());
            // Through the public API a FULL deploy of the same template makes no change set at all.
            h.events.clear();
            assertEquals(DeployResult.Status.NO_CHANGES, h.deployer.deploy(stack(name, t), DeployMode.FULL).status());
            assertTrue(h.events(DeployEvent.ChangeSetCreated.class).isEmpty());
        }
    }

    @Test
    void staleLivestackChangeSetsAreDeleted() {
        try (Harness h = harness()) {
            String name = uniqueStack("stale");
            assertEquals(DeployResult.Status.DEPLOYED, h.deployer.deploy(stack(name, queues("Alpha")), DeployMode.FULL).status());
            cf.createChangeSet(b -> b.stackName(name).changeSetName("livestack-1").changeSetType(ChangeSetType.UPDATE)
                    .templateBody(Json.write(queues("Alpha", "Beta"))));
            cf.createChangeSet(b -> b.stackName(name).changeSetName("someone-elses").changeSetType(ChangeSetType.UPDATE)
                    .templateBody(Json.write(queues("Alpha", "Gamma"))));
            assertEquals(DeployResult.Status.DEPLOYED, h.deployer.deploy(stack(name, queues("Alpha", "Delta")), DeployMode.FULL).status());
            var left = cf.listChangeSets(b -> b.stackName(name)).summaries().stream().map(s -> s.changeSetName()).toList();
            assertFalse(left.contains("livestack-1"), left.toString());
        }
    }

    @Test
    void largeTemplatesNeedABucketAndGoThroughS3() {
        ObjectNode big = queues("Alpha");
        ((ObjectNode) big.get("Resources").get("Alpha")).putObject("Metadata").put("padding", "x".repeat(60_000));
        try (Harness h = harness()) {
            DeployResult r = h.deployer.deploy(stack(uniqueStack("big"), big), DeployMode.FULL);
            assertEquals(DeployResult.Status.FAILED, r.status());
            assertTrue(r.error().contains("51,200") && r.error().contains("template bucket"), r.error());
        }
        String bucket = DeployerConfig.defaultTemplateBucket("000000000000", "us-east-1");
        try (Harness h = new Harness(c -> c.withS3(s3, bucket))) {
            String name = uniqueStack("big");
            DeployResult r = h.deployer.deploy(stack(name, big), DeployMode.FULL);
            assertEquals(DeployResult.Status.DEPLOYED, r.status(), r::toString);
            assertEquals(1, s3.listObjectsV2(b -> b.bucket(bucket)).keyCount());
            assertEquals("Alpha", cf.listStackResources(b -> b.stackName(name)).stackResourceSummaries().get(0).logicalResourceId());
        }
    }

    @Test
    void approvalDecidesWhetherAChangeSetRuns() {
        AtomicInteger asked = new AtomicInteger();
        try (Harness h = new Harness(c -> c.withApproval(ApprovalPolicy.BROADENING, s -> {
            asked.incrementAndGet();
            return false;
        }))) {
            String name = uniqueStack("approve");
            assertEquals(DeployResult.Status.DEPLOYED, h.deployer.deploy(stack(name, queues("Alpha")), DeployMode.FULL).status());
            assertEquals(0, asked.get(), "a queue does not broaden permissions");
            ObjectNode withRole = queues("Alpha");
            ((ObjectNode) withRole.get("Resources")).set("Role", TestTemplates.obj("{" + ROLE + "}").get("Role"));
            DeployResult r = h.deployer.deploy(stack(name, withRole), DeployMode.FULL);
            assertEquals(DeployResult.Status.DECLINED, r.status(), r::toString);
            assertEquals(1, asked.get());
            assertTrue(h.events(DeployEvent.ChangeSetCreated.class).get(1).summary().broadening());
            assertEquals(List.of(), cf.listChangeSets(b -> b.stackName(name)).summaries(), "the declined change set is deleted");
            assertEquals(1, cf.listStackResources(b -> b.stackName(name)).stackResourceSummaries().size());
        }
    }

    @Test
    void stacksDeployInDependencyOrderAndStopAtAFailure() {
        try (Harness h = harness()) {
            String a = uniqueStack("dep-a");
            String b = uniqueStack("dep-b");
            CloudAssembly asm = new CloudAssembly(Path.of("."), List.of(
                    new StackTemplate(b, queues("Bq"), List.of(a)), new StackTemplate(a, queues("Aq"), List.of())));
            List<DeployResult> results = h.deployer.deployAll(asm, DeployMode.FULL);
            assertEquals(List.of(a, b), results.stream().map(DeployResult::stackName).toList());
            assertTrue(results.stream().allMatch(DeployResult::ok), results.toString());

            controls.failResource("Aq2", "no");
            CloudAssembly next = new CloudAssembly(Path.of("."), List.of(
                    new StackTemplate(a, queues("Aq", "Aq2"), List.of()), new StackTemplate(b, queues("Bq", "Bq2"), List.of(a))));
            results = h.deployer.deployAll(next, DeployMode.FULL);
            assertEquals(DeployResult.Status.FAILED, results.get(0).status());
            assertEquals(DeployResult.Status.FAILED, results.get(1).status());
            assertTrue(results.get(1).error().contains("dependency " + a), results.get(1).error());
            assertEquals(1, cf.listStackResources(x -> x.stackName(b)).stackResourceSummaries().size(), "b was not touched");
        }
    }

    @Test
    void outputsAreReadAndKeptInTheStateFolder() throws Exception {
        try (Harness h = harness()) {
            String name = uniqueStack("outputs");
            DeployResult r = h.deployer.deploy(stack(name, queues("Alpha")), DeployMode.FULL);
            assertNotNull(r.outputs().get("First"));
            assertEquals(r.outputs(), h.deployer.outputs(name));
            assertTrue(java.nio.file.Files.readString(h.stateDir.resolve("state").resolve(name + ".outputs.json")).contains("First"));
            assertEquals(Map.of(), h.deployer.outputs(uniqueStack("missing")));
        }
    }

    @Test
    void transientFailuresBeyondTheSdksOwnRetriesAreRetried() throws Exception {
        try (Harness h = harness()) {
            String name = uniqueStack("retry");
            // The SDK's default (legacy) strategy makes 4 attempts; 4 failures exhaust it and reach the deployer's retry.
            controls.failNext("cloudformation", "CreateChangeSet", 4, TestControls.Fault.THROTTLING);
            controls.failNext("cloudformation", "DescribeChangeSet", 4, TestControls.Fault.HTTP_500);
            controls.failNext("cloudformation", "ExecuteChangeSet", 4, TestControls.Fault.HTTP_503);
            DeployResult r = h.deployer.deploy(stack(name, functionTemplate("v1", 128, "dev", "d")), DeployMode.FULL);
            assertEquals(DeployResult.Status.DEPLOYED, r.status(), r::toString);
            Set<String> retried = new java.util.TreeSet<>();
            h.events(DeployEvent.Retrying.class).forEach(e -> retried.add(e.operation()));
            assertEquals(Set.of("CreateChangeSet", "DescribeChangeSet", "ExecuteChangeSet"), retried);

            h.events.clear();
            controls.failNext("lambda", "UpdateFunctionCode", 4, TestControls.Fault.THROTTLING);
            controls.failNext("lambda", "GetFunctionConfiguration", 4, TestControls.Fault.CONNECTION_RESET);
            r = h.deployer.deploy(stack(name, functionTemplate("v2", 128, "dev", "d")), DeployMode.HOTSWAP);
            assertEquals(DeployResult.Status.HOTSWAPPED, r.status(), r::toString);
            retried.clear();
            h.events(DeployEvent.Retrying.class).forEach(e -> retried.add(e.operation() + ":" + e.reason().split(" ")[0]));
            assertTrue(retried.contains("UpdateFunctionCode:throttled"), retried.toString());
            assertTrue(retried.contains("GetFunctionConfiguration:connection"), retried.toString());

            // 409: an update is in progress when the hot-swap starts; it waits and retries.
            h.events.clear();
            String fn = r.outputs().get("FnName");
            lambdaUpdateDelay(1000);
            try {
                lambda.updateFunctionConfiguration(b -> b.functionName(fn).description("busy"));
                r = h.deployer.deploy(stack(name, functionTemplate("v3", 128, "dev", "d")), DeployMode.HOTSWAP);
            } finally {
                lambdaUpdateDelay(100);
            }
            assertEquals(DeployResult.Status.HOTSWAPPED, r.status(), r::toString);
            assertTrue(h.events(DeployEvent.Retrying.class).stream().anyMatch(e -> e.reason().contains("409")),
                    h.events(DeployEvent.Retrying.class).toString());
        }
    }

    @Test
    void aSwapThatKeepsFailingIsReportedAndStaysPending() {
        try (Harness h = new Harness(c -> c.withRetries(2, Duration.ofMillis(10)))) {
            String name = uniqueStack("swapfail");
            assertEquals(DeployResult.Status.DEPLOYED, h.deployer.deploy(stack(name, functionTemplate("v1", 128, "dev", "d")), DeployMode.FULL).status());
            controls.failNext("lambda", "UpdateFunctionCode", 20, TestControls.Fault.HTTP_500);
            DeployResult r = h.deployer.deploy(stack(name, functionTemplate("v2", 128, "dev", "d")), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.FAILED, r.status(), r::toString);
            assertEquals(1, h.events(DeployEvent.HotswapFailed.class).size());
            controls.clearFaults();
            DeployResult again = h.deployer.deploy(stack(name, functionTemplate("v2", 128, "dev", "d")), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.HOTSWAPPED, again.status(), again::toString);
        }
    }

    @Test
    void theArtifactsTagsAndTerminationProtectionAreAppliedAsCdkDeployAppliesThem() {
        String name = uniqueStack("Artifact");
        try (Harness h = harness()) {
            StackTemplate protectedStack = new StackTemplate(name, queues("Orders"), List.of(), StackTemplate.Roles.NONE,
                    Map.of("team", "orders", "cost-centre", "42"), true, "us-east-1");
            assertEquals(DeployResult.Status.DEPLOYED, h.deployer.deploy(protectedStack, DeployMode.FULL).status());
            var live = cf.describeStacks(b -> b.stackName(name)).stacks().get(0);
            assertEquals(Map.of("team", "orders", "cost-centre", "42"),
                    live.tags().stream().collect(java.util.stream.Collectors.toMap(t -> t.key(), t -> t.value())));
            assertTrue(live.enableTerminationProtection());

            // the same template with protection off: no changes, but the stack's protection follows the app
            StackTemplate unprotected = new StackTemplate(name, queues("Orders"), List.of(), StackTemplate.Roles.NONE,
                    Map.of("team", "orders", "cost-centre", "42"), false, null);
            DeployResult r = h.deployer.deploy(unprotected, DeployMode.FULL);
            assertEquals(DeployResult.Status.NO_CHANGES, r.status(), r::toString);
            assertFalse(cf.describeStacks(b -> b.stackName(name)).stacks().get(0).enableTerminationProtection());

            // a template file app says nothing about protection: a deploy leaves what the stack has
            cf.updateTerminationProtection(b -> b.stackName(name).enableTerminationProtection(true));
            assertEquals(DeployResult.Status.DEPLOYED, h.deployer.deploy(stack(name, queues("Orders", "Audit")), DeployMode.FULL).status());
            assertTrue(cf.describeStacks(b -> b.stackName(name)).stacks().get(0).enableTerminationProtection());
            cf.updateTerminationProtection(b -> b.stackName(name).enableTerminationProtection(false));
        }
    }

    @Test
    void aStackForAnotherRegionIsRefusedOnAwsAndDeployedOnLocalCloud() {
        String name = uniqueStack("Elsewhere");
        StackTemplate elsewhere = new StackTemplate(name, queues("Orders"), List.of(), StackTemplate.Roles.NONE, Map.of(), null,
                "eu-west-1");
        try (Harness h = new Harness(c -> c.withAssets(DeployerConfig.Assets.of(() -> null, "000000000000", "us-east-1", null, false)))) {
            DeployResult r = h.deployer.deploy(elsewhere, DeployMode.FULL);
            assertEquals(DeployResult.Status.FAILED, r.status(), r::toString);
            assertEquals("stack " + name + " is for region eu-west-1, but this deploy targets us-east-1\n"
                    + "Deploy it with --region eu-west-1 (or AWS_REGION), or make the stack's env use CDK_DEFAULT_REGION.", r.error());
            assertTrue(cf.listStacks().stackSummaries().stream().noneMatch(st -> st.stackName().equals(name)));
        }
        // local-cloud answers for every region its clients name: the stack deploys there as it is
        try (Harness h = new Harness(c -> c.withAssets(DeployerConfig.Assets.of(() -> null, "000000000000", "us-east-1", null, true)))) {
            assertEquals(DeployResult.Status.DEPLOYED, h.deployer.deploy(elsewhere, DeployMode.FULL).status());
        }
    }
}
