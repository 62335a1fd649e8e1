package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LambdaFunctionHandlerTest {
    private static final String BASE = "{'Type':'AWS::Lambda::Function','Properties':{'Runtime':'nodejs20.x','Handler':'index.handler',"
            + "'Role':{'Fn::GetAtt':['Role','Arn']},'Code':{'ZipFile':'A'},'Description':'d1','MemorySize':128,"
            + "'Environment':{'Variables':{'STAGE':'dev'}}}}";
    private final LambdaFunctionHandler h = new LambdaFunctionHandler();
    private final Resolver deployed = TestTemplates.resolver(TestTemplates.obj("{'Parameters':{'Stage':{'Type':'String'}},'Resources':{}}"));

    private HotswapPlan plan(String oldR, String newR) {
        return h.plan(TestTemplates.change("Fn", oldR, newR), deployed);
    }

    @Test
    void inlineCodeBecomesUpdateFunctionCodeWithTheRuntime() {
        HotswapPlan.Swap s = assertInstanceOf(HotswapPlan.Swap.class, plan(BASE, BASE.replace("'ZipFile':'A'", "'ZipFile':'B'")));
        assertEquals(List.of("Code"), s.properties());
        assertEquals(List.of(new LambdaFunctionHandler.InlineCode("app-Fn-ABC", "nodejs20.x", "B")), s.actions());
    }

    /** {@code livestack hotswap} and the watch's {@code s}: every swappable property pushed, an absent one reset. */
    @Test
    void aForcedChangePushesCodeEnvironmentAndDescriptionWhateverRuns() {
        String noEnv = BASE.replace(",'Environment':{'Variables':{'STAGE':'dev'}}", "");
        HotswapPlan.Swap s = assertInstanceOf(HotswapPlan.Swap.class,
                h.plan(ResourceChange.forced("Fn", TestTemplates.obj(noEnv), h.swappableProperties()), deployed));
        assertEquals(List.of("Code", "Environment", "Description"), s.properties());
        assertEquals(List.of(new LambdaFunctionHandler.InlineCode("app-Fn-ABC", "nodejs20.x", "A"),
                new LambdaFunctionHandler.Configuration("app-Fn-ABC", Map.of(), "d1")), s.actions());
        HotswapPlan.Reject r = assertInstanceOf(HotswapPlan.Reject.class,
                h.plan(ResourceChange.forced("Gone", TestTemplates.obj(noEnv), List.of("Code")), deployed));
        assertEquals(RejectReason.UNRESOLVABLE, r.code());
    }

    @Test
    void s3AndImageCode() {
        String s3 = BASE.replace("{'ZipFile':'A'}", "{'S3Bucket':{'Fn::Sub':'assets-${AWS::AccountId}'},'S3Key':'k1.zip','S3ObjectVersion':'v1'}");
        HotswapPlan.Swap s = assertInstanceOf(HotswapPlan.Swap.class, plan(BASE, s3));
        assertEquals(new LambdaFunctionHandler.S3Code("app-Fn-ABC", "assets-000000000000", "k1.zip", "v1"), s.actions().get(0));
        String img = BASE.replace("{'ZipFile':'A'}", "{'ImageUri':'repo:tag'}");
        s = assertInstanceOf(HotswapPlan.Swap.class, plan(BASE, img));
        assertEquals(new LambdaFunctionHandler.ImageCode("app-Fn-ABC", "repo:tag"), s.actions().get(0));
    }

    @Test
    void environmentAndDescriptionBecomeOneConfigurationUpdate() {
        String n = BASE.replace("'STAGE':'dev'", "'STAGE':{'Ref':'Stage'},'QUEUE':{'Ref':'Queue'}").replace("'d1'", "'d2'");
        HotswapPlan.Swap s = assertInstanceOf(HotswapPlan.Swap.class, plan(BASE, n));
        assertEquals(List.of("Description", "Environment"), s.properties());
        assertEquals(List.of(new LambdaFunctionHandler.Configuration("app-Fn-ABC",
                Map.of("STAGE", "dev", "QUEUE", "http://127.0.0.1/000000000000/app-Queue-Q"), "d2")), s.actions());
    }

    @Test
    void removedEnvironmentClearsIt() {
        String n = BASE.replace(",'Environment':{'Variables':{'STAGE':'dev'}}", "");
        HotswapPlan.Swap s = assertInstanceOf(HotswapPlan.Swap.class, plan(BASE, n));
        assertEquals(new LambdaFunctionHandler.Configuration("app-Fn-ABC", Map.of(), null), s.actions().get(0));
    }

    @Test
    void otherPropertiesAreRejectedNamingTheProperty() {
        HotswapPlan.Reject r = assertInstanceOf(HotswapPlan.Reject.class,
                plan(BASE, BASE.replace("'ZipFile':'A'", "'ZipFile':'B'").replace("128", "256")));
        assertEquals("MemorySize", r.property());
        assertEquals(RejectReason.PROPERTY_NOT_SWAPPABLE, r.code());
        assertTrue(r.reason().contains("MemorySize") && r.reason().contains("change set"), r.reason());
    }

    @Test
    void attributeChangesAreRejectedAndMetadataIgnored() {
        HotswapPlan.Reject r = assertInstanceOf(HotswapPlan.Reject.class,
                plan(BASE, BASE.replace("{'Type'", "{'DependsOn':['Role'],'Type'")));
        assertEquals("DependsOn", r.property());
        assertEquals(RejectReason.ATTRIBUTE_CHANGED, r.code());
        assertInstanceOf(HotswapPlan.Ignore.class, plan(BASE, BASE.replace("{'Type'", "{'Metadata':{'a':1},'Type'")));
    }

    @Test
    void unresolvableExpressionsAndUndeployedFunctionsAreRejected() {
        HotswapPlan.Reject r = assertInstanceOf(HotswapPlan.Reject.class,
                plan(BASE, BASE.replace("'STAGE':'dev'", "'STAGE':{'Fn::GetAtt':['NewTable','Arn']}")));
        assertEquals(RejectReason.UNRESOLVABLE, r.code());
        HotswapPlan p = h.plan(TestTemplates.change("Other", BASE, BASE.replace("'A'", "'B'")), deployed);
        HotswapPlan.Reject notDeployed = assertInstanceOf(HotswapPlan.Reject.class, p);
        assertEquals(RejectReason.UNRESOLVABLE, notDeployed.code());
        assertTrue(notDeployed.reason().contains("not deployed"), notDeployed.reason());
    }

    @Test
    void additionAndRemovalAreRejected() {
        TemplateDiff d = TemplateDiff.between(TestTemplates.obj("{'Resources':{}}"), TestTemplates.obj("{'Resources':{'Fn':" + BASE + "}}"));
        assertEquals(RejectReason.RESOURCE_ADDED, assertInstanceOf(HotswapPlan.Reject.class, h.plan(d.resources().get(0), deployed)).code());
        d = TemplateDiff.between(TestTemplates.obj("{'Resources':{'Fn':" + BASE + "}}"), TestTemplates.obj("{'Resources':{}}"));
        assertEquals(RejectReason.RESOURCE_REMOVED, assertInstanceOf(HotswapPlan.Reject.class, h.plan(d.resources().get(0), deployed)).code());
    }

    @Test
    void actionRecordsRejectBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new LambdaFunctionHandler.Configuration("f", null, null));
        assertThrows(IllegalArgumentException.class, () -> new LambdaFunctionHandler.InlineCode(" ", "nodejs20.x", "x"));
    }
}
