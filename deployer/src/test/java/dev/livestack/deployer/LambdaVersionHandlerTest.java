package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.junit.jupiter.api.Test;

/** AWS::Lambda::Version planning, alone and with its function and alias (CDK's currentVersion). */
class LambdaVersionHandlerTest {
    private final Resolver deployed = TestTemplates.resolver(TestTemplates.obj("{'Resources':{}}"));
    private final Planner planner = Planner.standard();

    @Test
    void cdkCurrentVersionRenameBecomesPublishAndAliasUpdate() {
        String fnOld = "{'Type':'AWS::Lambda::Function','Properties':{'Runtime':'python3.12','Handler':'index.handler','Code':{'ZipFile':'A'}}}";
        String fnNew = fnOld.replace("'A'", "'B'");
        String o = "{'Resources':{'Fn':" + fnOld + ",'FnVersion1':{'Type':'AWS::Lambda::Version','Properties':{'FunctionName':{'Ref':'Fn'}}},"
                + "'Alias':{'Type':'AWS::Lambda::Alias','Properties':{'FunctionName':{'Ref':'Fn'},'Name':'live','FunctionVersion':{'Fn::GetAtt':['FnVersion1','Version']}}}}}";
        String n = "{'Resources':{'Fn':" + fnNew + ",'FnVersion2':{'Type':'AWS::Lambda::Version','Properties':{'FunctionName':{'Ref':'Fn'},'Description':'v2'}},"
                + "'Alias':{'Type':'AWS::Lambda::Alias','Properties':{'FunctionName':{'Ref':'Fn'},'Name':'live','FunctionVersion':{'Fn::GetAtt':['FnVersion2','Version']}}}}}";
        Planner.Result r = planner.plan(TemplateDiff.between(TestTemplates.obj(o), TestTemplates.obj(n)), deployed);
        assertEquals(List.of(), r.rejects());
        assertEquals(List.of("FnVersion1"), r.ignores().stream().map(HotswapPlan::logicalId).toList());
        assertEquals(3, r.swaps().size());
        var actions = r.swaps().stream().flatMap(s -> s.actions().stream()).toList();
        assertEquals(List.of(new LambdaAliasHandler.PointAlias("app-Fn-ABC", "live", "FnVersion2", null),
                new LambdaFunctionHandler.InlineCode("app-Fn-ABC", "python3.12", "B"),
                new LambdaVersionHandler.Publish("app-Fn-ABC", "FnVersion2", "v2")), actions);
    }

    @Test
    void anAddedVersionIsPublishedAndARemovedOneKept() {
        TemplateDiff d = TemplateDiff.between(TestTemplates.obj("{'Resources':{'V1':{'Type':'AWS::Lambda::Version','Properties':{'FunctionName':{'Ref':'Fn'}}}}}"),
                TestTemplates.obj("{'Resources':{'V2':{'Type':'AWS::Lambda::Version','Properties':{'FunctionName':{'Fn::GetAtt':['Fn','Arn']}}}}}"));
        LambdaVersionHandler h = new LambdaVersionHandler();
        assertInstanceOf(HotswapPlan.Ignore.class, h.plan(d.resources().get(0), deployed));
        HotswapPlan.Swap s = assertInstanceOf(HotswapPlan.Swap.class, h.plan(d.resources().get(1), deployed));
        assertEquals(List.of(new LambdaVersionHandler.Publish("app-Fn-ABC", "V2", null)), s.actions());
        TemplateDiff missing = TemplateDiff.between(TestTemplates.obj("{'Resources':{}}"),
                TestTemplates.obj("{'Resources':{'V3':{'Type':'AWS::Lambda::Version','Properties':{'FunctionName':{'Ref':'NotYet'}}}}}"));
        assertEquals(RejectReason.UNRESOLVABLE, assertInstanceOf(HotswapPlan.Reject.class, h.plan(missing.resources().get(0), deployed)).code());
    }
}
