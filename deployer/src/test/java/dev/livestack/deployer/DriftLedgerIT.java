package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.inlinepackager.LambdaZip;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;

/**
 * What runs is the last save: resources hot-swapped away from CloudFormation's template are remembered (the drift
 * ledger) and put back by the next deploy that leaves them alone; hot-swaps that change nothing say so.
 */
class DriftLedgerIT extends LocalCloudFixture {

    private static String sha(String reply) {
        return LambdaZip.codeSha256(LambdaZip.forInline("nodejs20.x", "exports.handler = async () => \"" + reply + "\";"));
    }

    private static GetFunctionConfigurationResponse live(Harness h, String stack) {
        String fn = h.deployer.outputs(stack).get("FnName");
        return lambda.getFunctionConfiguration(b -> b.functionName(fn));
    }

    private static String invoke(Harness h, String stack) {
        String fn = h.deployer.outputs(stack).get("FnName");
        return lambda.invoke(b -> b.functionName(fn)).payload().asString(StandardCharsets.UTF_8);
    }

    private static String deployFirst(Harness h, String prefix) {
        String name = uniqueStack(prefix);
        DeployResult r = h.deployer.deploy(stack(name, functionTemplate("v1", 128, "dev", "d1")), DeployMode.FALLBACK);
        assertEquals(DeployResult.Status.DEPLOYED, r.status(), r::toString);
        h.events.clear();
        return name;
    }

    /** The function template plus an SSM parameter: a change only a change set can apply. */
    private static ObjectNode withParameter(ObjectNode t, String value) {
        ObjectNode copy = t.deepCopy();
        ((ObjectNode) copy.get("Resources")).set("Param", TestTemplates.obj("{'Type':'AWS::SSM::Parameter','Properties':{'Type':'String',"
                + "'Value':'" + value + "'}}"));
        return copy;
    }

    @Test
    void aFullDeployOfTheRevertedSourcePutsTheHotswappedCodeBack() {
        try (Harness h = harness()) {
            String name = deployFirst(h, "revert-full");
            assertEquals(DeployResult.Status.HOTSWAPPED,
                    h.deployer.deploy(stack(name, functionTemplate("v2", 128, "dev", "d1")), DeployMode.FALLBACK).status());
            assertEquals("\"v2\"", invoke(h, name));
            assertEquals(Map.of("Fn", List.of("Code")), h.deployer.drift(name));
            h.events.clear();

            // the source is back at v1, which is exactly CloudFormation's template: no change set, but v2 must not keep running
            DeployResult r = h.deployer.deploy(stack(name, functionTemplate("v1", 128, "dev", "d1")), DeployMode.FULL);
            assertEquals(DeployResult.Status.DEPLOYED, r.status(), r::toString);
            assertEquals(sha("v1"), live(h, name).codeSha256());
            assertEquals("\"v1\"", invoke(h, name));
            var reverted = h.events(DeployEvent.DriftReverted.class);
            assertEquals(1, reverted.size(), h.events.toString());
            assertEquals(List.of("Code"), reverted.get(0).properties());
            assertTrue(h.events(DeployEvent.HotswapApplied.class).isEmpty(), "a full deploy hot-swaps nothing new");
            assertEquals(Map.of(), h.deployer.drift(name));

            // converged: the next full deploy has nothing to do
            h.events.clear();
            DeployResult again = h.deployer.deploy(stack(name, functionTemplate("v1", 128, "dev", "d1")), DeployMode.FULL);
            assertEquals(DeployResult.Status.NO_CHANGES, again.status(), again::toString);
            assertTrue(h.events(DeployEvent.DriftReverted.class).isEmpty());
        }
    }

    @Test
    void aChangeSetThatLeavesAHotswappedFunctionAlonePutsItBack() {
        try (Harness h = harness()) {
            String name = deployFirst(h, "revert-cs");
            h.deployer.deploy(stack(name, functionTemplate("v2", 128, "prod", "d1")), DeployMode.FALLBACK);
            assertEquals("\"v2\"", invoke(h, name));
            assertEquals("prod", live(h, name).environment().variables().get("STAGE"));
            h.events.clear();

            // revert code and environment, and add a resource: the change set sees no change of the function
            DeployResult r = h.deployer.deploy(stack(name, withParameter(functionTemplate("v1", 128, "dev", "d1"), "x")),
                    DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.DEPLOYED, r.status(), r::toString);
            assertEquals(1, h.events(DeployEvent.ChangeSetCreated.class).size());
            GetFunctionConfigurationResponse cfg = live(h, name);
            assertEquals(sha("v1"), cfg.codeSha256());
            assertEquals("dev", cfg.environment().variables().get("STAGE"));
            assertEquals(Map.of(), h.deployer.drift(name));
            // nothing left for diff to report
            assertTrue(h.deployer.diff(stack(name, withParameter(functionTemplate("v1", 128, "dev", "d1"), "x"))).isEmpty());
        }
    }

    @Test
    void aChangeSetThatChangesTheDriftedPropertyAppliesItItself() {
        try (Harness h = harness()) {
            String name = deployFirst(h, "cs-applies");
            h.deployer.deploy(stack(name, functionTemplate("v2", 128, "dev", "d1")), DeployMode.FALLBACK);
            h.events.clear();
            DeployResult r = h.deployer.deploy(stack(name, functionTemplate("v3", 256, "dev", "d1")), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.DEPLOYED, r.status(), r::toString);
            assertEquals(sha("v3"), live(h, name).codeSha256());
            assertTrue(h.events(DeployEvent.DriftReverted.class).isEmpty(), "CloudFormation updated the code itself");
            assertEquals(Map.of(), h.deployer.drift(name));
        }
    }

    @Test
    void theLedgerSurvivesARestartOfLivestack() {
        String name;
        Path stateDir;
        try (Harness h = harness()) {
            name = deployFirst(h, "revert-restart");
            h.deployer.deploy(stack(name, functionTemplate("v2", 128, "dev", "d1")), DeployMode.HOTSWAP);
            stateDir = h.stateDir;
        }
        List<DeployEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Deployer again = Deployer.create(DeployerConfig.of(cf, lambda, stateDir).withEvents(events::add)
                .withPolling(java.time.Duration.ofMillis(20), java.time.Duration.ofMillis(25)))) {
            assertEquals(Map.of("Fn", List.of("Code")), again.drift(name));
            DeployResult r = again.deploy(stack(name, functionTemplate("v1", 128, "dev", "d1")), DeployMode.FULL);
            assertEquals(DeployResult.Status.DEPLOYED, r.status(), r::toString);
            String fn = again.outputs(name).get("FnName");
            assertEquals(sha("v1"), lambda.getFunctionConfiguration(b -> b.functionName(fn)).codeSha256());
        }
    }

    @Test
    void swappingTheBaselineBackLeavesTheLedger() {
        try (Harness h = harness()) {
            String name = deployFirst(h, "back");
            h.deployer.deploy(stack(name, functionTemplate("v2", 128, "dev", "d1")), DeployMode.HOTSWAP);
            assertEquals(Map.of("Fn", List.of("Code")), h.deployer.drift(name));
            h.deployer.deploy(stack(name, functionTemplate("v1", 128, "dev", "d1")), DeployMode.HOTSWAP);
            assertEquals(Map.of(), h.deployer.drift(name));
        }
    }

    @Test
    void hotswapModeSwapsTheCodeAndSkipsTheMemoryOfTheSameFunction() {
        try (Harness h = harness()) {
            String name = deployFirst(h, "partial");
            DeployResult r = h.deployer.deploy(stack(name, functionTemplate("v2", 256, "dev", "d1")), DeployMode.HOTSWAP);
            assertEquals(DeployResult.Status.PARTIAL, r.status(), r::toString);
            assertEquals(List.of("Fn"), r.hotswapped());
            assertEquals(List.of("Fn.MemorySize"), r.skipped().stream().map(s -> s.substring(0, s.indexOf(':'))).toList());
            GetFunctionConfigurationResponse cfg = live(h, name);
            assertEquals(sha("v2"), cfg.codeSha256());
            assertEquals(128, cfg.memorySize());
            assertEquals(List.of("Code"), h.events(DeployEvent.HotswapApplied.class).get(0).properties());
            assertEquals("MemorySize", h.events(DeployEvent.HotswapSkipped.class).get(0).property());
            // the memory change stays pending: the next save reports it again and swaps nothing
            h.events.clear();
            DeployResult again = h.deployer.deploy(stack(name, functionTemplate("v2", 256, "dev", "d1")), DeployMode.HOTSWAP);
            assertEquals(DeployResult.Status.PARTIAL, again.status(), again::toString);
            assertTrue(h.events(DeployEvent.HotswapApplied.class).isEmpty());
            // a change set applies it, and the code stays v2
            DeployResult full = h.deployer.deploy(stack(name, functionTemplate("v2", 256, "dev", "d1")), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.DEPLOYED, full.status(), full::toString);
            cfg = live(h, name);
            assertEquals(256, cfg.memorySize());
            assertEquals(sha("v2"), cfg.codeSha256());
        }
    }

    @Test
    void aForcedHotswapOfWhatAlreadyRunsWritesNothingAndWarnsAboutNothing() {
        try (Harness h = harness()) {
            String name = deployFirst(h, "unchanged");
            String before = live(h, name).lastModified();
            DeployResult r = h.deployer.hotswapAll(stack(name, functionTemplate("v1", 128, "dev", "d1")), Set.of());
            assertEquals(DeployResult.Status.NO_CHANGES, r.status(), r::toString);
            var skipped = h.events(DeployEvent.HotswapSkipped.class);
            assertEquals(1, skipped.size(), h.events.toString());
            assertEquals(RejectReason.UNCHANGED, skipped.get(0).code());
            assertEquals("unchanged", skipped.get(0).reason());
            assertTrue(h.events(DeployEvent.HotswapApplied.class).isEmpty(), h.events.toString());
            assertTrue(h.events(DeployEvent.DriftWarning.class).isEmpty(), h.events.toString());
            assertEquals(before, live(h, name).lastModified(), "no write reached the function");
            assertEquals(Map.of(), h.deployer.drift(name));

            // a real difference is still applied
            DeployResult changed = h.deployer.hotswapAll(stack(name, functionTemplate("v1", 128, "qa", "d1")), Set.of());
            assertEquals(DeployResult.Status.HOTSWAPPED, changed.status(), changed::toString);
            assertEquals(1, h.events(DeployEvent.DriftWarning.class).size());
        }
    }
}
