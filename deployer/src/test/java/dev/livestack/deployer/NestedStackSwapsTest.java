package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/** Planning into nested stacks, as the CDK CLI's hot-swap recurses: pure, over templates and deployed states. */
class NestedStackSwapsTest {
    static final String CHILD_ARN = "arn:aws:cloudformation:us-east-1:000000000000:stack/app-InnerNested-ABCDEFGHIJKL/uuid";

    @TempDir
    Path assembly;

    static String nested(String code) {
        return "{'Resources':{'Fn':{'Type':'AWS::Lambda::Function','Properties':{'Runtime':'nodejs20.x','Handler':'index.handler',"
                + "'Role':'arn:aws:iam::000000000000:role/r','Code':{'ZipFile':'" + code + "'}}}}}";
    }

    static String parent(String url, String params) {
        return "{'Resources':{'InnerNested':{'Type':'AWS::CloudFormation::Stack','Properties':{'TemplateURL':'" + url + "'"
                + (params == null ? "" : ",'Parameters':" + params) + "},"
                + "'Metadata':{'aws:asset:path':'appInner.nested.template.json'}}}}";
    }

    static DeployedState state(String name, String id, Map<String, StackResolver.Deployed> resources) {
        return new DeployedState(Stack.builder().stackName(name).stackId(id).stackStatus("UPDATE_COMPLETE").build(), resources);
    }

    NestedStackSwaps.Result expand(String oldParent, String newParent, Map<String, StackResolver.Deployed> parentResources)
            throws IOException {
        Files.writeString(assembly.resolve("appInner.nested.template.json"), Json.write(TestTemplates.obj(nested("v2"))));
        DeployedState child = state("app-InnerNested-ABCDEFGHIJKL", CHILD_ARN,
                Map.of("Fn", new StackResolver.Deployed("app-InnerNested-Fn-1", "AWS::Lambda::Function")));
        NestedStackSwaps.Stacks stacks = new NestedStackSwaps.Stacks(
                n -> n.equals(child.stack().stackName()) ? Optional.of(child) : Optional.empty(),
                (key, n) -> key.equals("app.InnerNested") ? Optional.of(TestTemplates.obj(nested("v1"))) : Optional.empty(),
                (snap, t) -> snap.resolver(t, "us-east-1", Map.of()));
        Planner planner = Planner.standard(assembly);
        TemplateDiff diff = TemplateDiff.between(TestTemplates.obj(oldParent), TestTemplates.obj(newParent));
        DeployedState parent = state("app", "arn:aws:cloudformation:us-east-1:000000000000:stack/app/1", parentResources);
        Planner.Result plan = planner.plan(diff, parent.resolver(TestTemplates.obj(newParent), "us-east-1", Map.of()));
        return new NestedStackSwaps(planner, assembly, false, stacks).expand("app", plan, diff, parent);
    }

    @Test
    void aNestedTemplateChangeIsPlannedInTheNestedStack() throws IOException {
        NestedStackSwaps.Result r = expand(parent("https://s3/a.json", null), parent("https://s3/b.json", null),
                Map.of("InnerNested", new StackResolver.Deployed(CHILD_ARN, "AWS::CloudFormation::Stack")));
        assertTrue(r.parent().rejects().isEmpty(), r.toString());
        assertEquals(1, r.children().size());
        NestedStackSwaps.Child c = r.children().get(0);
        assertEquals("app-InnerNested-ABCDEFGHIJKL", c.stackName());
        assertEquals("app.InnerNested", c.key());
        assertEquals(List.of("Fn"), c.plan().swaps().stream().map(HotswapPlan.Swap::logicalId).toList());
        assertTrue(c.plan().rejects().isEmpty());
        assertEquals(false, r.anyRejected());
    }

    @Test
    void changedParametersOfTheNestedStackNeedAChangeSet() throws IOException {
        NestedStackSwaps.Result r = expand(parent("https://s3/a.json", "{'P':'1'}"), parent("https://s3/b.json", "{'P':'2'}"),
                Map.of("InnerNested", new StackResolver.Deployed(CHILD_ARN, "AWS::CloudFormation::Stack")));
        assertEquals(List.of(RejectReason.PROPERTY_NOT_SWAPPABLE), r.parent().rejects().stream().map(HotswapPlan.Reject::code).toList());
        assertEquals("Parameters", r.parent().rejects().get(0).property());
        assertTrue(r.children().isEmpty());
    }

    @Test
    void aNestedStackNotDeployedCannotBeHotSwapped() throws IOException {
        NestedStackSwaps.Result r = expand(parent("https://s3/a.json", null), parent("https://s3/b.json", null), Map.of());
        assertEquals(List.of(RejectReason.NOT_DEPLOYED), r.parent().rejects().stream().map(HotswapPlan.Reject::code).toList());
        assertTrue(r.anyRejected());
    }

    @Test
    void aNestedStackIsWhollyAppliedOnlyWhenEveryStackBelowIs() {
        ObjectNode t = TestTemplates.obj("{'Resources':{}}");
        Planner.Result empty = new Planner.Result(List.of(), List.of(), List.of());
        Planner.Result rejected = new Planner.Result(List.of(), List.of(new HotswapPlan.Reject("X", "AWS::SQS::Queue", "",
                RejectReason.TYPE_NOT_SWAPPABLE, "no")), List.of());
        TemplateDiff none = TemplateDiff.between(t, t);
        NestedStackSwaps.Child deep = new NestedStackSwaps.Child("app.A.B", "app.A", "B", "b", t, t, none, rejected);
        NestedStackSwaps.Child mid = new NestedStackSwaps.Child("app.A", "app", "A", "a", t, t, none, empty);
        NestedStackSwaps.Child other = new NestedStackSwaps.Child("app.C", "app", "C", "c", t, t, none, empty);
        Map<String, java.util.Set<String>> done = NestedStackSwaps.completed(List.of(deep, mid, other), Map.of());
        assertEquals(java.util.Set.of("C"), done.get("app"));
    }

    @Test
    void theStackNameComesFromTheNestedStacksArn() {
        assertEquals("app-InnerNested-ABCDEFGHIJKL", NestedStackSwaps.stackName(CHILD_ARN));
        assertEquals("plain", NestedStackSwaps.stackName("plain"));
    }
}
