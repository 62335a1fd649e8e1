package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

class StateMachineHandlerTest {
    private final Resolver deployed = TestTemplates.resolver(TestTemplates.obj("{'Resources':{}}"));
    private final StateMachineHandler h = new StateMachineHandler();
    private static final String ARN = "arn:aws:states:us-east-1:000000000000:stateMachine:app-Machine";

    @Test
    void definitionStringWithJoinIsResolved() {
        ResourceChange c = TestTemplates.change("Machine",
                "{'Type':'AWS::StepFunctions::StateMachine','Properties':{'RoleArn':'r','DefinitionString':'{}'}}",
                "{'Type':'AWS::StepFunctions::StateMachine','Properties':{'RoleArn':'r','DefinitionString':{'Fn::Join':['',['{\\\"StartAt\\\":\\\"',{'Ref':'Fn'},'\\\"}']]}}}");
        HotswapPlan.Swap s = assertInstanceOf(HotswapPlan.Swap.class, h.plan(c, deployed));
        assertEquals(new StateMachineHandler.Definition(ARN, "{\"StartAt\":\"app-Fn-ABC\"}"), s.actions().get(0));
    }

    @Test
    void definitionObjectWithSubstitutions() {
        ResourceChange c = TestTemplates.change("Machine",
                "{'Type':'AWS::StepFunctions::StateMachine','Properties':{'RoleArn':'r','Definition':{'StartAt':'A'}}}",
                "{'Type':'AWS::StepFunctions::StateMachine','Properties':{'RoleArn':'r','Definition':{'StartAt':'${First}'},"
                        + "'DefinitionSubstitutions':{'First':{'Fn::GetAtt':['Fn','Arn']}}}}");
        HotswapPlan.Swap s = assertInstanceOf(HotswapPlan.Swap.class, h.plan(c, deployed));
        assertEquals(new StateMachineHandler.Definition(ARN,
                "{\"StartAt\":\"arn:aws:lambda:us-east-1:000000000000:function:app-Fn-ABC\"}"), s.actions().get(0));
    }

    @Test
    void roleChangeIsRejected() {
        ResourceChange c = TestTemplates.change("Machine",
                "{'Type':'AWS::StepFunctions::StateMachine','Properties':{'RoleArn':'r','DefinitionString':'{}'}}",
                "{'Type':'AWS::StepFunctions::StateMachine','Properties':{'RoleArn':'r2','DefinitionString':'{}'}}");
        HotswapPlan.Reject r = assertInstanceOf(HotswapPlan.Reject.class, h.plan(c, deployed));
        assertEquals("RoleArn", r.property());
        assertEquals(RejectReason.PROPERTY_NOT_SWAPPABLE, r.code());
    }
}
