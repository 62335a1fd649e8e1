package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.junit.jupiter.api.Test;

/** AWS::Lambda::Alias planning. */
class LambdaAliasHandlerTest {
    private final Resolver deployed = TestTemplates.resolver(TestTemplates.obj("{'Resources':{}}"));

    @Test
    void aliasToALiteralVersionResolvesIt() {
        ResourceChange c = TestTemplates.change("Alias",
                "{'Type':'AWS::Lambda::Alias','Properties':{'FunctionName':{'Fn::GetAtt':['Fn','Arn']},'Name':'live','FunctionVersion':'1'}}",
                "{'Type':'AWS::Lambda::Alias','Properties':{'FunctionName':{'Fn::GetAtt':['Fn','Arn']},'Name':'live','FunctionVersion':'2'}}");
        HotswapPlan.Swap s = assertInstanceOf(HotswapPlan.Swap.class, new LambdaAliasHandler().plan(c, deployed));
        assertEquals(new LambdaAliasHandler.PointAlias("app-Fn-ABC", "live", null, "2"), s.actions().get(0));
    }

    @Test
    void aliasNameChangeIsRejected() {
        ResourceChange c = TestTemplates.change("Alias",
                "{'Type':'AWS::Lambda::Alias','Properties':{'FunctionName':'f','Name':'live','FunctionVersion':'1'}}",
                "{'Type':'AWS::Lambda::Alias','Properties':{'FunctionName':'f','Name':'prod','FunctionVersion':'1'}}");
        HotswapPlan.Reject r = assertInstanceOf(HotswapPlan.Reject.class, new LambdaAliasHandler().plan(c, deployed));
        assertEquals("Name", r.property());
        assertEquals(RejectReason.PROPERTY_NOT_SWAPPABLE, r.code());
    }
}
