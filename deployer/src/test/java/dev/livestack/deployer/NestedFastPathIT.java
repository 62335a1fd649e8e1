package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.inlinepackager.InlineCode;
import dev.livestack.inlinepackager.LambdaZip;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The watch's fast path ({@link Deployer#hotswapCode}) reaches an inline function of a CDK nested stack, against
 * local-cloud: the code is swapped in the nested stack's function, the nested stack's last applied template records
 * it (so the confirming synth swaps nothing more), and its drift ledger lets a full deploy put CloudFormation's code
 * back, as for a function of the stack itself. The nested template is what {@code cdk synth} writes: an asset of the
 * assembly ({@code aws:asset:path}) that CloudFormation reads from S3 ({@code TemplateURL}).
 */
class NestedFastPathIT extends LocalCloudFixture {
    private static final String BUCKET = "deployer-it-nested";
    private static final String NESTED_FILE = "ParentInner.nested.template.json";

    @BeforeAll
    static void bucket() {
        try {
            s3.headBucket(b -> b.bucket(BUCKET));
        } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException e) {
            s3.createBucket(b -> b.bucket(BUCKET));
        }
    }

    private static String code(String reply) {
        return "exports.handler = async () => \"" + reply + "\";";
    }

    /** An assembly folder and the deployer that reads nested templates from it. */
    private static final class App implements AutoCloseable {
        final Path assembly;
        final Harness h;
        final String name = uniqueStack("nestedfast");

        App() throws IOException {
            assembly = Files.createTempDirectory(root, "assembly");
            h = new Harness(c -> c.withAssets(DeployerConfig.Assets.of(() -> assembly, null, null, null, false)));
        }

        /** Synthesises: the nested template with the function answering {@code reply}, and the parent pointing at it. */
        ObjectNode synth(String reply) throws IOException {
            ObjectNode nested = functionTemplate(reply, 128, "dev", "d1");
            Files.writeString(assembly.resolve(NESTED_FILE), Json.write(nested));
            String key = name + "/" + reply + ".nested.template.json";
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(Json.write(nested)));
            return TestTemplates.obj("{'Resources':{'Inner':{'Type':'AWS::CloudFormation::Stack',"
                    + "'Properties':{'TemplateURL':'https://s3.us-east-1.amazonaws.com/" + BUCKET + "/" + key + "'},"
                    + "'Metadata':{'aws:asset:path':'" + NESTED_FILE + "'}}},"
                    + "'Outputs':{'FnName':{'Value':{'Fn::GetAtt':['Inner','Outputs.FnName']}}}}");
        }

        DeployResult deploy(ObjectNode parent, DeployMode mode) {
            return h.deployer.deploy(stack(name, parent), mode);
        }

        String nestedStack() {
            String arn = cf.describeStackResource(b -> b.stackName(name).logicalResourceId("Inner"))
                    .stackResourceDetail().physicalResourceId();
            return NestedStackSwaps.stackName(arn);
        }

        String liveSha() {
            String fn = h.deployer.outputs(name).get("FnName");
            return lambda.getFunctionConfiguration(b -> b.functionName(fn)).codeSha256();
        }

        @Override
        public void close() {
            h.close();
        }
    }

    private static String sha(String reply) {
        return LambdaZip.codeSha256(LambdaZip.forInline("nodejs20.x", code(reply)));
    }

    private static InlineCode inline(String reply) {
        return new InlineCode("nodejs20.x", "index.js", code(reply), Path.of("src/fn"));
    }

    @Test
    void aNestedFunctionsCodeIsSwappedAndTheConfirmingSynthFindsNothingLeft() throws IOException {
        try (App app = new App()) {
            DeployResult first = app.deploy(app.synth("v1"), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.DEPLOYED, first.status(), first::toString);
            String nested = app.nestedStack();
            app.h.events.clear();

            DeployResult r = app.h.deployer.hotswapCode(app.name, Map.of("Inner/Fn", inline("v2")));
            assertEquals(DeployResult.Status.HOTSWAPPED, r.status(), r::toString);
            assertEquals(List.of("Inner/Fn"), r.hotswapped());
            assertEquals(sha("v2"), app.liveSha());
            // the events name the nested stack and the function's own logical id there
            DeployEvent.HotswapApplied applied = app.h.events(DeployEvent.HotswapApplied.class).get(0);
            assertEquals(nested, applied.stackName());
            assertEquals("Fn", applied.logicalId());
            // recorded where a deploy of the root keeps the nested stack's template and ledger
            String key = app.name + ".Inner";
            assertEquals(code("v2"), app.h.deployer.lastApplied(key).orElseThrow().at("/Resources/Fn/Properties/Code/ZipFile").asText());
            assertEquals(Map.of("Fn", List.of("Code")), app.h.deployer.drift(key));
            // and listed with the root stack's drift (`livestack diff`), by its path
            assertEquals(Map.of("Inner/Fn", List.of("Code")), app.h.deployer.drift(app.name));

            app.h.events.clear();
            DeployResult confirm = app.deploy(app.synth("v2"), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.NO_CHANGES, confirm.status(), confirm::toString);
            assertTrue(app.h.events(DeployEvent.HotswapApplied.class).isEmpty(), app.h.events::toString);
            assertTrue(app.h.events(DeployEvent.ChangeSetCreated.class).isEmpty(), app.h.events::toString);

            DeployResult same = app.h.deployer.hotswapCode(app.name, Map.of("Inner/Fn", inline("v2")));
            assertEquals(DeployResult.Status.NO_CHANGES, same.status(), same::toString);
            assertEquals(RejectReason.UNCHANGED, app.h.events(DeployEvent.HotswapSkipped.class).get(0).code());

            app.h.events.clear();
            DeployResult unknown = app.h.deployer.hotswapCode(app.name, Map.of("Nope/Fn", inline("v3"), "Inner/Gone", inline("v3")));
            assertEquals(DeployResult.Status.PARTIAL, unknown.status(), unknown::toString);
            assertTrue(app.h.events(DeployEvent.HotswapSkipped.class).stream().allMatch(e -> e.code() == RejectReason.NOT_DEPLOYED),
                    app.h.events::toString);
            assertTrue(unknown.skipped().stream().anyMatch(s -> s.startsWith("Nope/Fn: no deployed nested stack Nope")), unknown::toString);
            assertTrue(unknown.skipped().stream().anyMatch(s -> s.startsWith("Inner/Gone: no deployed Lambda function Gone")),
                    unknown::toString);
            assertEquals(sha("v2"), app.liveSha());
        }
    }

    @Test
    void aFullDeployPutsBackWhatTheFastPathSwappedInANestedStack() throws IOException {
        try (App app = new App()) {
            ObjectNode v1 = app.synth("v1");
            assertEquals(DeployResult.Status.DEPLOYED, app.deploy(v1, DeployMode.FALLBACK).status());
            String nested = app.nestedStack();
            assertEquals(DeployResult.Status.HOTSWAPPED, app.h.deployer.hotswapCode(app.name, Map.of("Inner/Fn", inline("v2"))).status());
            assertEquals(sha("v2"), app.liveSha());
            app.h.events.clear();
            // the source is put back as deployed: CloudFormation has nothing to do, but v2 runs; `livestack deploy` puts v1 back
            DeployResult full = app.deploy(app.synth("v1"), DeployMode.FULL);
            assertEquals(DeployResult.Status.DEPLOYED, full.status(), full::toString);
            assertEquals(sha("v1"), app.liveSha());
            DeployEvent.DriftReverted reverted = app.h.events(DeployEvent.DriftReverted.class).get(0);
            assertEquals(nested, reverted.stackName());
            assertEquals("Fn", reverted.logicalId());
            assertEquals(Map.of(), app.h.deployer.drift(app.name + ".Inner"));
            assertEquals(Map.of(), app.h.deployer.drift(app.name));
        }
    }

    @Test
    void aSynthDrivenSwapInANestedStackIsInTheLedgerToo() throws IOException {
        try (App app = new App()) {
            assertEquals(DeployResult.Status.DEPLOYED, app.deploy(app.synth("v1"), DeployMode.FALLBACK).status());
            DeployResult swapped = app.deploy(app.synth("v2"), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.HOTSWAPPED, swapped.status(), swapped::toString);
            assertEquals(Map.of("Fn", List.of("Code")), app.h.deployer.drift(app.name + ".Inner"));
            DeployResult full = app.deploy(app.synth("v1"), DeployMode.FULL);
            assertEquals(DeployResult.Status.DEPLOYED, full.status(), full::toString);
            assertEquals(sha("v1"), app.liveSha());
        }
    }
}
