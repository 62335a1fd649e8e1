package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestack.inlinepackager.InlineCode;
import dev.livestack.inlinepackager.LambdaZip;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;

/** AWS::Lambda::Function changes in all three modes, against local-cloud. */
class LambdaFunctionHandlerIT extends LocalCloudFixture {

    private static String code(String reply) {
        return "exports.handler = async () => \"" + reply + "\";";
    }

    private static GetFunctionConfigurationResponse live(Harness h, String stack) {
        String fn = h.deployer.outputs(stack).get("FnName");
        return lambda.getFunctionConfiguration(b -> b.functionName(fn));
    }

    private static String deployFirst(Harness h, String prefix) {
        String name = uniqueStack(prefix);
        DeployResult r = h.deployer.deploy(stack(name, functionTemplate("v1", 128, "dev", "d1")), DeployMode.FALLBACK);
        assertEquals(DeployResult.Status.DEPLOYED, r.status(), () -> String.valueOf(r));
        assertTrue(r.changeSetId() != null && !r.outputs().get("FnName").isEmpty());
        h.events.clear();
        return name;
    }

    @ParameterizedTest
    @EnumSource(DeployMode.class)
    void codeChange(DeployMode mode) {
        try (Harness h = harness()) {
            String name = deployFirst(h, "code");
            DeployResult r = h.deployer.deploy(stack(name, functionTemplate("v2", 128, "dev", "d1")), mode);
            if (mode == DeployMode.FULL) {
                assertEquals(DeployResult.Status.DEPLOYED, r.status(), r::toString);
                assertEquals(1, h.events(DeployEvent.ChangeSetCreated.class).size());
            } else {
                assertEquals(DeployResult.Status.HOTSWAPPED, r.status(), r::toString);
                assertEquals(java.util.List.of("Fn"), r.hotswapped());
                assertEquals(0, h.events(DeployEvent.ChangeSetCreated.class).size(), "no change set for a code change");
                assertEquals(1, h.events(DeployEvent.DriftWarning.class).size());
                assertEquals(java.util.List.of("Code"), h.events(DeployEvent.HotswapApplied.class).get(0).properties());
            }
            GetFunctionConfigurationResponse cfg = live(h, name);
            assertEquals(LambdaZip.codeSha256(LambdaZip.forInline("nodejs20.x", code("v2"))), cfg.codeSha256());
            assertEquals("Successful", cfg.lastUpdateStatusAsString());
        }
    }

    @ParameterizedTest
    @EnumSource(DeployMode.class)
    void environmentAndDescriptionChange(DeployMode mode) {
        try (Harness h = harness()) {
            String name = deployFirst(h, "env");
            DeployResult r = h.deployer.deploy(stack(name, functionTemplate("v1", 128, "prod", "d2")), mode);
            assertEquals(mode == DeployMode.FULL ? DeployResult.Status.DEPLOYED : DeployResult.Status.HOTSWAPPED, r.status(), r::toString);
            GetFunctionConfigurationResponse cfg = live(h, name);
            assertEquals(Map.of("STAGE", "prod", "QUEUE_NAME", name + "-q"), cfg.environment().variables());
            assertEquals("d2", cfg.description());
        }
    }

    @ParameterizedTest
    @EnumSource(DeployMode.class)
    void memoryChangeCannotBeSwapped(DeployMode mode) {
        try (Harness h = harness()) {
            String name = deployFirst(h, "mem");
            DeployResult r = h.deployer.deploy(stack(name, functionTemplate("v2", 256, "dev", "d1")), mode);
            GetFunctionConfigurationResponse cfg = live(h, name);
            if (mode == DeployMode.HOTSWAP) {
                assertEquals(DeployResult.Status.PARTIAL, r.status(), r::toString);
                assertTrue(r.skipped().get(0).startsWith("Fn.MemorySize: property MemorySize"), r.skipped().toString());
                var skipped = h.events(DeployEvent.HotswapSkipped.class).get(0);
                assertEquals("MemorySize", skipped.property());
                assertEquals(128, cfg.memorySize());
                // as cdk watch --hotswap: the code of the same function is swapped, only the memory is skipped
                assertEquals(LambdaZip.codeSha256(LambdaZip.forInline("nodejs20.x", code("v2"))), cfg.codeSha256());
                // Nothing is lost: the change is still pending and a later fallback deploy applies it.
                DeployResult again = h.deployer.deploy(stack(name, functionTemplate("v2", 256, "dev", "d1")), DeployMode.FALLBACK);
                assertEquals(DeployResult.Status.DEPLOYED, again.status(), again::toString);
                cfg = live(h, name);
            } else {
                assertEquals(DeployResult.Status.DEPLOYED, r.status(), r::toString);
                var created = h.events(DeployEvent.ChangeSetCreated.class).get(0).summary();
                assertEquals("UPDATE", created.changeSetType());
                assertTrue(created.rows().stream().anyMatch(row -> row.logicalId().equals("Fn") && row.action().equals("Modify")),
                        created.rows().toString());
            }
            assertEquals(256, cfg.memorySize());
            assertEquals(LambdaZip.codeSha256(LambdaZip.forInline("nodejs20.x", code("v2"))), cfg.codeSha256());
        }
    }

    @ParameterizedTest
    @EnumSource(DeployMode.class)
    void s3CodeChange(DeployMode mode) {
        String bucket = "deployer-it-code";
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException e) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        byte[] v1 = LambdaZip.forInline("nodejs20.x", code("s3-v1"));
        byte[] v2 = LambdaZip.forInline("nodejs20.x", code("s3-v2"));
        s3.putObject(b -> b.bucket(bucket).key("fn/v1.zip"), software.amazon.awssdk.core.sync.RequestBody.fromBytes(v1));
        s3.putObject(b -> b.bucket(bucket).key("fn/v2.zip"), software.amazon.awssdk.core.sync.RequestBody.fromBytes(v2));
        try (Harness h = harness()) {
            String name = uniqueStack("s3code");
            DeployResult first = h.deployer.deploy(stack(name, s3Template(bucket, "fn/v1.zip")), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.DEPLOYED, first.status(), first::toString);
            h.events.clear();
            DeployResult r = h.deployer.deploy(stack(name, s3Template(bucket, "fn/v2.zip")), mode);
            assertEquals(mode == DeployMode.FULL ? DeployResult.Status.DEPLOYED : DeployResult.Status.HOTSWAPPED, r.status(), r::toString);
            if (mode != DeployMode.FULL) {
                assertTrue(h.events(DeployEvent.HotswapApplied.class).get(0).detail().contains("s3://" + bucket + "/fn/v2.zip"));
            }
            assertEquals(LambdaZip.codeSha256(v2), live(h, name).codeSha256());
        }
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode s3Template(String bucket, String key) {
        com.fasterxml.jackson.databind.node.ObjectNode t = functionTemplate("unused", 128, "dev", "d1");
        ((com.fasterxml.jackson.databind.node.ObjectNode) t.at("/Resources/Fn/Properties"))
                .set("Code", TestTemplates.obj("{'S3Bucket':'" + bucket + "','S3Key':{'Fn::Join':['',['" + key + "']]}}"));
        return t;
    }

    @Test
    void restartingNeitherReswapsNorRedeploys() {
        String name;
        Path stateDir;
        try (Harness h = harness()) {
            name = deployFirst(h, "restart");
            assertEquals(DeployResult.Status.HOTSWAPPED,
                    h.deployer.deploy(stack(name, functionTemplate("v2", 128, "dev", "d1")), DeployMode.FALLBACK).status());
            stateDir = h.stateDir;
        }
        java.util.List<DeployEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Deployer again = Deployer.create(DeployerConfig.of(cf, lambda, stateDir).withEvents(events::add)
                .withPolling(java.time.Duration.ofMillis(20), java.time.Duration.ofMillis(25)))) {
            DeployResult r = again.deploy(stack(name, functionTemplate("v2", 128, "dev", "d1")), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.NO_CHANGES, r.status(), r::toString);
            assertTrue(events.stream().noneMatch(e -> e instanceof DeployEvent.HotswapApplied || e instanceof DeployEvent.ChangeSetCreated), events.toString());
        }
    }

    @Test
    void fastPathCodeIsConfirmedBySynthWithoutASecondSwap() {
        try (Harness h = harness()) {
            String name = deployFirst(h, "fast");
            InlineCode code = new InlineCode("nodejs20.x", "index.js", code("v3"), Path.of("src/fn"));
            DeployResult r = h.deployer.hotswapCode(name, Map.of("Fn", code));
            assertEquals(DeployResult.Status.HOTSWAPPED, r.status(), r::toString);
            assertEquals(code.codeSha256(), live(h, name).codeSha256());
            h.events.clear();
            DeployResult confirm = h.deployer.deploy(stack(name, functionTemplate("v3", 128, "dev", "d1")), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.NO_CHANGES, confirm.status(), confirm::toString);
            assertTrue(h.events(DeployEvent.HotswapApplied.class).isEmpty());
            DeployResult same = h.deployer.hotswapCode(name, Map.of("Fn", code));
            assertEquals(DeployResult.Status.NO_CHANGES, same.status());
            assertTrue(h.events(DeployEvent.HotswapApplied.class).isEmpty(), h.events.toString());
            assertEquals(RejectReason.UNCHANGED, h.events(DeployEvent.HotswapSkipped.class).get(0).code());
            assertEquals("unchanged", h.events(DeployEvent.HotswapSkipped.class).get(0).reason());
            DeployResult unknown = h.deployer.hotswapCode(name, Map.of("Nope", code));
            assertEquals(DeployResult.Status.PARTIAL, unknown.status());
            var notDeployed = h.events(DeployEvent.HotswapSkipped.class);
            assertEquals(RejectReason.NOT_DEPLOYED, notDeployed.get(notDeployed.size() - 1).code());
        }
    }

    @Test
    void hotswapAllPushesCodeAndConfigurationAndTheFunctionAnswers() {
        try (Harness h = harness()) {
            String name = deployFirst(h, "all");
            DeployResult r = h.deployer.hotswapAll(stack(name, functionTemplate("v4", 512, "qa", "d4")), Set.of());
            assertEquals(DeployResult.Status.HOTSWAPPED, r.status(), r::toString);
            GetFunctionConfigurationResponse cfg = live(h, name);
            assertEquals("qa", cfg.environment().variables().get("STAGE"));
            assertEquals(128, cfg.memorySize(), "memory is not configuration a hot-swap changes");
            String fn = h.deployer.outputs(name).get("FnName");
            String out = lambda.invoke(b -> b.functionName(fn)).payload().asString(StandardCharsets.UTF_8);
            assertEquals("\"v4\"", out);
            // The memory change is still pending for the next deploy.
            TemplateDiff d = h.deployer.diff(stack(name, functionTemplate("v4", 512, "qa", "d4")));
            assertEquals(java.util.List.of("MemorySize"),
                    d.resources().get(0).properties().stream().map(PropertyChange::name).toList());
        }
    }
}
