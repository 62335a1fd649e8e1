package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateDiffTest {

    private static final String FN = "{'Type':'AWS::Lambda::Function','Properties':{'Runtime':'nodejs20.x','Handler':'index.handler','Code':{'ZipFile':'A'},'MemorySize':128}}";

    @Test
    void equalTemplatesHaveNoDiff() {
        ObjectNode t = TestTemplates.obj("{'Resources':{'Fn':" + FN + "}}");
        assertTrue(TemplateDiff.between(t, t.deepCopy()).isEmpty());
    }

    @Test
    void findsAddedRemovedModifiedAndTypeChangedResources() {
        ObjectNode o = TestTemplates.obj("{'Resources':{'Fn':" + FN + ",'Gone':{'Type':'AWS::SQS::Queue'},'Morph':{'Type':'AWS::SQS::Queue'}}}");
        ObjectNode n = TestTemplates.obj("{'Resources':{'Fn':" + FN.replace("'A'", "'B'").replace("128", "256")
                + ",'New':{'Type':'AWS::SNS::Topic'},'Morph':{'Type':'AWS::SNS::Topic'}}}");
        TemplateDiff d = TemplateDiff.between(o, n);
        var byId = d.byLogicalId();
        assertEquals(ResourceChange.Kind.MODIFIED, byId.get("Fn").kind());
        assertEquals(List.of("Code", "MemorySize"), byId.get("Fn").properties().stream().map(PropertyChange::name).toList());
        assertEquals(List.of("Code.ZipFile"), byId.get("Fn").property("Code").orElseThrow().paths());
        assertEquals(ResourceChange.Kind.REMOVED, byId.get("Gone").kind());
        assertEquals(ResourceChange.Kind.ADDED, byId.get("New").kind());
        assertEquals(ResourceChange.Kind.TYPE_CHANGED, byId.get("Morph").kind());
        assertTrue(d.sections().isEmpty());
    }

    @Test
    void attributesAreReportedSeparatelyFromProperties() {
        ResourceChange c = TestTemplates.change("Fn", FN, FN.replace("{'Type'", "{'DependsOn':'Role','Metadata':{'x':1},'Type'"));
        assertEquals(2, c.properties().size());
        assertTrue(c.properties().stream().allMatch(PropertyChange::attribute));
        assertFalse(c.metadataOnly());
        ResourceChange m = TestTemplates.change("Fn", FN, FN.replace("{'Type'", "{'Metadata':{'aws:cdk:path':'x'},'Type'"));
        assertTrue(m.metadataOnly());
    }

    @Test
    void sectionChangesAreListedByEntry() {
        ObjectNode o = TestTemplates.obj("{'Outputs':{'A':{'Value':'1'},'B':{'Value':'2'}},'Parameters':{'P':{'Type':'String'}},'Description':'x','Resources':{}}");
        ObjectNode n = TestTemplates.obj("{'Outputs':{'A':{'Value':'1'},'C':{'Value':'3'}},'Parameters':{'P':{'Type':'Number'}},'Description':'y','Resources':{}}");
        TemplateDiff d = TemplateDiff.between(o, n);
        assertEquals(List.of("Parameters.P", "Outputs.B", "Outputs.C", "Description"),
                d.sections().stream().map(SectionChange::name).toList());
    }

    @Test
    void metadataOnlyCoversCdkMetadataAndTemplateMetadata() {
        ObjectNode o = TestTemplates.obj("{'Metadata':{'a':1},'Resources':{'CDKMetadata':{'Type':'AWS::CDK::Metadata','Properties':{'Analytics':'v1'}}}}");
        ObjectNode n = TestTemplates.obj("{'Metadata':{'a':2},'Resources':{'CDKMetadata':{'Type':'AWS::CDK::Metadata','Properties':{'Analytics':'v2'}}}}");
        TemplateDiff d = TemplateDiff.between(o, n);
        assertFalse(d.isEmpty());
        assertTrue(d.metadataOnly());
        ObjectNode n2 = n.deepCopy();
        n2.putObject("Outputs").putObject("X").put("Value", "1");
        assertFalse(TemplateDiff.between(o, n2).metadataOnly());
    }

    @Test
    void aMissingOldTemplateMeansEverythingIsAdded() {
        ObjectNode n = TestTemplates.obj("{'Resources':{'Fn':" + FN + "}}");
        TemplateDiff d = TemplateDiff.between(null, n);
        assertEquals(ResourceChange.Kind.ADDED, d.resources().get(0).kind());
        assertThrows(NullPointerException.class, () -> TemplateDiff.between(n, null));
    }

    @Test
    void renderMasksSecretEnvironmentVariablesAndNoEchoParameters() {
        String env1 = FN.replace("'MemorySize':128", "'MemorySize':128,'Environment':{'Variables':{'API_TOKEN':'old-tok','DB_PASSWORD':{'Ref':'Pw'},'STAGE':'dev','PLAIN':{'Ref':'Pw'}}}");
        String env2 = env1.replace("old-tok", "new-tok").replace("'dev'", "'prod'");
        ObjectNode o = TestTemplates.obj("{'Parameters':{'Pw':{'Type':'String','NoEcho':true,'Default':'hunter2'}},'Resources':{'Fn':" + env1 + "}}");
        ObjectNode n = TestTemplates.obj("{'Parameters':{'Pw':{'Type':'String','NoEcho':true,'Default':'hunter3'}},'Resources':{'Fn':" + env2 + "}}");
        String text = String.join("\n", TemplateDiff.between(o, n).render(n));
        assertFalse(text.contains("tok"), text);
        assertFalse(text.contains("hunter"), text);
        assertTrue(text.contains("prod"), text);
        assertTrue(text.contains("****"), text);
    }
}
