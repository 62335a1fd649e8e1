package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlannerTest {
    private final Planner planner = Planner.standard();
    private final Resolver deployed = TestTemplates.resolver(TestTemplates.obj("{'Resources':{}}"));

    @Test
    void unsupportedTypesOutputsAndAdditionsAreRejectedWithReasons() {
        String o = "{'Outputs':{'U':{'Value':'1'}},'Resources':{'Queue':{'Type':'AWS::SQS::Queue','Properties':{'VisibilityTimeout':30}},"
                + "'CDKMetadata':{'Type':'AWS::CDK::Metadata','Properties':{'Analytics':'a'}}}}";
        String n = "{'Outputs':{'U':{'Value':'2'}},'Resources':{'Queue':{'Type':'AWS::SQS::Queue','Properties':{'VisibilityTimeout':60}},"
                + "'Topic':{'Type':'AWS::SNS::Topic'},'CDKMetadata':{'Type':'AWS::CDK::Metadata','Properties':{'Analytics':'b'}}}}";
        Planner.Result r = planner.plan(TemplateDiff.between(TestTemplates.obj(o), TestTemplates.obj(n)), deployed);
        assertEquals(List.of("CDKMetadata"), r.ignores().stream().map(HotswapPlan::logicalId).toList());
        assertEquals(List.of("Queue", "Topic", "Outputs.U"), r.rejects().stream().map(HotswapPlan::logicalId).toList());
        assertEquals(List.of(RejectReason.TYPE_NOT_SWAPPABLE, RejectReason.RESOURCE_ADDED, RejectReason.SECTION_CHANGED),
                r.rejects().stream().map(HotswapPlan.Reject::code).toList());
        // the human reason names what to do about it
        assertTrue(r.rejects().get(0).reason().contains("AWS::SQS::Queue cannot be hot-swapped"), r.rejects().get(0).reason());
        assertTrue(r.swaps().isEmpty());
    }

    @Test
    void typeChangeIsRejected() {
        Planner.Result r = planner.plan(TemplateDiff.between(TestTemplates.obj("{'Resources':{'X':{'Type':'AWS::SQS::Queue'}}}"),
                TestTemplates.obj("{'Resources':{'X':{'Type':'AWS::SNS::Topic'}}}")), deployed);
        assertEquals(RejectReason.TYPE_CHANGED, r.rejects().get(0).code());
        assertTrue(r.rejects().get(0).reason().contains("from AWS::SQS::Queue to AWS::SNS::Topic"), r.rejects().get(0).reason());
    }
}
