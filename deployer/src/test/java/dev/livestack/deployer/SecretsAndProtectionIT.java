package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.inlinepackager.InlineCode;
import dev.livestack.inlinepackager.LambdaZip;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Secret masking in every event, and protected stacks, against local-cloud. */
class SecretsAndProtectionIT extends LocalCloudFixture {

    static ObjectNode secretTemplate(String token, String stage) {
        ObjectNode t = functionTemplate("v1", 128, stage, "d");
        t.set("Parameters", TestTemplates.obj("{'DbPassword':{'Type':'String','NoEcho':true,'Default':'hunter2-default'}}"));
        ObjectNode vars = (ObjectNode) t.at("/Resources/Fn/Properties/Environment/Variables");
        vars.put("API_TOKEN", token);
        vars.put("SIGNING_KEY", "key-" + token);
        return t;
    }

    @Test
    void secretValuesNeverReachEvents() {
        try (Harness h = new Harness(c -> c.withParameters(Map.of("DbPassword", "pw-given-123"), Map.of("team", "a")))) {
            String name = uniqueStack("secret");
            DeployResult r = h.deployer.deploy(stack(name, secretTemplate("tok-111", "dev")), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.DEPLOYED, r.status(), r::toString);
            assertEquals("****", h.events(DeployEvent.ChangeSetCreated.class).get(0).summary().parameters().get("DbPassword"));

            DeployResult swap = h.deployer.deploy(stack(name, secretTemplate("tok-222", "prod")), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.HOTSWAPPED, swap.status(), swap::toString);
            String fn = swap.outputs().get("FnName");
            assertEquals("tok-222", lambda.getFunctionConfiguration(b -> b.functionName(fn)).environment().variables().get("API_TOKEN"),
                    "the real value is deployed");
            String detail = h.events(DeployEvent.HotswapApplied.class).get(0).detail();
            assertTrue(detail.contains("API_TOKEN=****") && detail.contains("STAGE=prod"), detail);
            String all = h.events.toString() + r + swap;
            for (String secret : new String[] {"tok-111", "tok-222", "key-tok", "pw-given-123", "hunter2"}) {
                assertFalse(all.contains(secret), secret + " leaked: " + all);
            }
            String rendered = String.join("\n", h.deployer.diff(stack(name, secretTemplate("tok-333", "prod"))).render(secretTemplate("tok-333", "prod")));
            assertTrue(rendered.contains("****") && !rendered.contains("tok-"), rendered);
        }
    }

    @Test
    void secretsByNamePatternAndDynamicReferencesNeverReachEvents() {
        try (Harness h = new Harness(c -> c)) {
            String name = uniqueStack("secret-names");
            ObjectNode t = functionTemplate("v1", 128, "dev", "d");
            ObjectNode vars = (ObjectNode) t.at("/Resources/Fn/Properties/Environment/Variables");
            vars.put("DB_PASS", "pass-111");
            vars.put("DATABASE_URL", "postgres://app:url-111@db/x");
            assertEquals(DeployResult.Status.DEPLOYED, h.deployer.deploy(stack(name, t), DeployMode.FALLBACK).status());

            vars.put("DB_PASS", "pass-222");
            vars.put("DATABASE_URL", "postgres://app:url-222@db/x");
            String rendered = String.join("\n", h.deployer.diff(stack(name, t)).render(t));
            DeployResult swap = h.deployer.deploy(stack(name, t), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.HOTSWAPPED, swap.status(), swap::toString);
            String fn = swap.outputs().get("FnName");
            assertEquals("pass-222", lambda.getFunctionConfiguration(b -> b.functionName(fn)).environment().variables().get("DB_PASS"));
            String detail = h.events(DeployEvent.HotswapApplied.class).get(0).detail();
            assertTrue(detail.contains("DB_PASS=****") && detail.contains("postgres://app:****@db/x"), detail);

            // a dynamic reference only CloudFormation resolves: never hot-swapped as the literal text
            vars.put("API_SECRET_REF", "{{resolve:secretsmanager:app-secret:SecretString:key}}");
            DeployResult hot = h.deployer.deploy(stack(name, t), DeployMode.HOTSWAP);
            assertEquals(DeployResult.Status.PARTIAL, hot.status(), hot::toString);
            assertTrue(hot.skipped().toString().contains("dynamic reference"), hot.skipped().toString());
            assertEquals(RejectReason.UNRESOLVABLE, lastSkipped(h));

            String all = h.events.toString() + swap + hot + rendered;
            for (String secret : new String[] {"pass-111", "pass-222", "url-111", "url-222"}) {
                assertFalse(all.contains(secret), secret + " leaked: " + all);
            }
        }
    }

    @Test
    void protectedStacksAreNeverHotSwapped() {
        try (Harness h = new Harness(c -> c.withProtectedStacks(Set.of("prod-*")))) {
            String name = "prod-" + uniqueStack("guarded");
            assertEquals(DeployResult.Status.DEPLOYED, h.deployer.deploy(stack(name, functionTemplate("v1", 128, "dev", "d")), DeployMode.FALLBACK).status());
            String fn = h.deployer.outputs(name).get("FnName");
            String v1 = LambdaZip.codeSha256(LambdaZip.forInline("nodejs20.x", "exports.handler = async () => \"v1\";"));

            DeployResult hot = h.deployer.deploy(stack(name, functionTemplate("v2", 128, "dev", "d")), DeployMode.HOTSWAP);
            assertEquals(DeployResult.Status.PARTIAL, hot.status(), hot::toString);
            assertTrue(hot.skipped().get(0).contains("protected"), hot.skipped().toString());
            assertEquals(RejectReason.STACK_PROTECTED, lastSkipped(h));
            assertEquals(v1, lambda.getFunctionConfiguration(b -> b.functionName(fn)).codeSha256());

            DeployResult fast = h.deployer.hotswapCode(name, Map.of("Fn",
                    new InlineCode("nodejs20.x", "index.js", "exports.handler = async () => \"v9\";", Path.of("fn"))));
            assertEquals(DeployResult.Status.PARTIAL, fast.status());
            assertEquals(RejectReason.STACK_PROTECTED, lastSkipped(h));
            assertEquals(v1, lambda.getFunctionConfiguration(b -> b.functionName(fn)).codeSha256());

            h.events.clear();
            DeployResult fallback = h.deployer.deploy(stack(name, functionTemplate("v2", 128, "dev", "d")), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.DEPLOYED, fallback.status(), fallback::toString);
            assertEquals(1, h.events(DeployEvent.ChangeSetCreated.class).size());
            assertTrue(h.events(DeployEvent.HotswapApplied.class).isEmpty());

            String other = uniqueStack("free");
            assertEquals(DeployResult.Status.DEPLOYED, h.deployer.deploy(stack(other, functionTemplate("v1", 128, "dev", "d")), DeployMode.FALLBACK).status());
            assertEquals(DeployResult.Status.HOTSWAPPED, h.deployer.deploy(stack(other, functionTemplate("v2", 128, "dev", "d")), DeployMode.FALLBACK).status());
        }
    }

    /** The production guard that needs no cdk.json key: termination protection, or the livestack:protected tag. */
    @Test
    void terminationProtectionOrTheProtectedTagMeansNoHotSwap() {
        try (Harness h = harness()) {
            String name = uniqueStack("terminate-guarded");
            assertEquals(DeployResult.Status.DEPLOYED, h.deployer.deploy(stack(name, functionTemplate("v1", 128, "dev", "d")), DeployMode.FALLBACK).status());
            String fn = h.deployer.outputs(name).get("FnName");
            String v1 = lambda.getFunctionConfiguration(b -> b.functionName(fn)).codeSha256();
            cf.updateTerminationProtection(b -> b.stackName(name).enableTerminationProtection(true));

            DeployResult hot = h.deployer.deploy(stack(name, functionTemplate("v2", 128, "dev", "d")), DeployMode.HOTSWAP);
            assertEquals(DeployResult.Status.PARTIAL, hot.status(), hot::toString);
            assertTrue(hot.skipped().get(0).contains("termination protection"), hot.skipped().toString());
            assertEquals(RejectReason.STACK_PROTECTED, lastSkipped(h));
            assertEquals(v1, lambda.getFunctionConfiguration(b -> b.functionName(fn)).codeSha256(), "hot-swapped a protected stack");
            DeployResult fast = h.deployer.hotswapCode(name, Map.of("Fn",
                    new InlineCode("nodejs20.x", "index.js", "exports.handler = async () => \"v9\";", Path.of("fn"))));
            assertEquals(DeployResult.Status.PARTIAL, fast.status(), fast::toString);
            assertEquals(RejectReason.STACK_PROTECTED, lastSkipped(h));
            assertEquals(v1, lambda.getFunctionConfiguration(b -> b.functionName(fn)).codeSha256());

            h.events.clear();
            DeployResult fallback = h.deployer.deploy(stack(name, functionTemplate("v2", 128, "dev", "d")), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.DEPLOYED, fallback.status(), fallback::toString);
            assertEquals(1, h.events(DeployEvent.ChangeSetCreated.class).size());
            assertTrue(h.events(DeployEvent.HotswapApplied.class).isEmpty());
        }
        try (Harness h = new Harness(c -> c.withParameters(Map.of(), Map.of("livestack:protected", "true")))) {
            String name = uniqueStack("tag-guarded");
            assertEquals(DeployResult.Status.DEPLOYED, h.deployer.deploy(stack(name, functionTemplate("v1", 128, "dev", "d")), DeployMode.FALLBACK).status());
            String fn = h.deployer.outputs(name).get("FnName");
            String v1 = lambda.getFunctionConfiguration(b -> b.functionName(fn)).codeSha256();
            DeployResult hot = h.deployer.deploy(stack(name, functionTemplate("v2", 128, "dev", "d")), DeployMode.HOTSWAP);
            assertEquals(DeployResult.Status.PARTIAL, hot.status(), hot::toString);
            assertTrue(hot.skipped().get(0).contains("livestack:protected=true"), hot.skipped().toString());
            assertEquals(RejectReason.STACK_PROTECTED, lastSkipped(h));
            assertEquals(v1, lambda.getFunctionConfiguration(b -> b.functionName(fn)).codeSha256(), "hot-swapped a tagged stack");
        }
    }

    /** The code of the last {@code hotswap.skipped} event. */
    private static RejectReason lastSkipped(Harness h) {
        List<DeployEvent.HotswapSkipped> skipped = h.events(DeployEvent.HotswapSkipped.class);
        assertFalse(skipped.isEmpty(), "no hotswap.skipped event");
        return skipped.get(skipped.size() - 1).code();
    }
}
