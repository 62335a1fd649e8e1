package dev.livestack.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateFileSynthesizerTest {
    private static final Path TEMPLATES = Path.of("src/test/resources/templates");

    @TempDir
    Path tmp;

    @Test
    void jsonTemplateIsReadAsIsWithTheFileNameAsStackName() throws Exception {
        List<SynthEvent> events = new ArrayList<>();
        try (Synthesizer s = Synthesizers.forApp(SynthOptions.of(TEMPLATES.resolve("orders.template.json")).withListener(events::add))) {
            CloudAssembly a = s.synth();
            assertEquals(1, a.stacks().size());
            StackTemplate t = a.stacks().get(0);
            assertEquals("orders", t.stackName());
            assertEquals("Queue", t.template().path("Resources").path("Fn").path("Properties")
                    .path("Environment").path("Variables").path("QUEUE").path("Ref").asText());
            assertEquals(TEMPLATES.toAbsolutePath().normalize(), a.directory());
        }
        assertEquals(List.of("synth.started", "synth.succeeded"), events.stream().map(SynthEvent::type).toList());
        assertEquals(List.of("orders"), ((SynthEvent.SynthSucceeded) events.get(1)).stacks());
    }

    @Test
    void yamlShortFormTagsBecomeTheirLongForms() throws Exception {
        JsonNode json;
        try (Synthesizer s = Synthesizers.forApp(SynthOptions.of(TEMPLATES.resolve("orders.template.json")))) {
            json = s.synth().stacks().get(0).template();
        }
        try (Synthesizer s = Synthesizers.forApp(SynthOptions.of(TEMPLATES.resolve("orders.yaml")).withStackName("given"))) {
            StackTemplate yaml = s.synth().stacks().get(0);
            assertEquals("given", yaml.stackName());
            JsonNode props = yaml.template().path("Resources").path("Fn").path("Properties");
            assertEquals("[\"Role\",\"Arn\"]", props.path("Role").path("Fn::GetAtt").toString());
            assertEquals("${AWS::StackName}-${Stage}", props.path("Environment").path("Variables").path("NAME").path("Fn::Sub").asText());
            assertEquals(30, yaml.template().path("Resources").path("Queue").path("Properties").path("VisibilityTimeout").asInt());
            assertTrue(yaml.template().path("Resources").path("Queue").path("Properties").path("VisibilityTimeout").isNumber());
            JsonNode joined = yaml.template().path("Outputs").path("Joined").path("Value").path("Fn::Join");
            assertEquals("[\",\",[{\"Ref\":\"Queue\"},{\"Fn::GetAtt\":[\"Queue\",\"Arn\"]}]]", joined.toString());
            assertEquals("{\"Fn::Equals\":[{\"Ref\":\"Stage\"},\"prod\"]}", yaml.template().path("Conditions").path("IsProd").toString());
            // the same resources as the JSON twin, apart from the block scalar's trailing newline
            assertEquals(json.path("Resources").path("Queue"), yaml.template().path("Resources").path("Queue"));
            assertEquals(json.path("Resources").path("Role"), yaml.template().path("Resources").path("Role"));
        }
    }

    @Test
    void aBrokenTemplateSaysWhere() throws Exception {
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "Resources:\n  Q:\n    Type: [unclosed\n");
        List<SynthEvent> events = new ArrayList<>();
        try (Synthesizer s = Synthesizers.forApp(SynthOptions.of(bad).withListener(events::add))) {
            SynthException e = assertThrows(SynthException.class, s::synth);
            assertTrue(e.diagnostics().get(0).startsWith(bad.toAbsolutePath() + ":"), e.diagnostics().toString());
        }
        assertEquals("synth.failed", events.get(1).type());
        Path badJson = tmp.resolve("bad.json");
        Files.writeString(badJson, "{\n \"Resources\": {,}\n}");
        try (Synthesizer s = Synthesizers.forApp(SynthOptions.of(badJson))) {
            SynthException e = assertThrows(SynthException.class, s::synth);
            assertTrue(e.diagnostics().get(0).contains("bad.json:2: "), e.diagnostics().toString());
        }
    }

    @Test
    void yamlErrorsKeepSynthsWording() throws Exception {
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "Resources:\n  Q:\n    Type: [unclosed\n");
        Path abs = bad.toAbsolutePath();
        SynthException e = synthFails(bad);
        assertEquals("template " + abs + " is not valid YAML", e.getMessage());
        assertEquals(1, e.diagnostics().size());
        assertTrue(e.diagnostics().get(0).matches(java.util.regex.Pattern.quote(abs + ":4: ") + "expected ',' or '\\]'.*"), e.diagnostics().toString());

        Files.writeString(bad, "- just\n- a list\n");
        e = synthFails(bad);
        assertEquals("template " + abs + " is not a YAML mapping", e.getMessage());
        assertEquals(List.of(abs + ":1: a template is a mapping with a Resources section"), e.diagnostics());

        Files.writeString(bad, "Resources:\n  Q:\n    Type: AWS::SQS::Queue\nOutputs:\n  A:\n    Value: !GetAtt Q\n");
        e = synthFails(bad);
        assertEquals("template " + abs + " is not a valid template", e.getMessage());
        assertEquals(List.of(abs + ":6: !GetAtt needs LogicalId.Attribute, got 'Q'"), e.diagnostics());
    }

    private static SynthException synthFails(Path template) throws Exception {
        try (Synthesizer s = Synthesizers.forApp(SynthOptions.of(template))) {
            return assertThrows(SynthException.class, s::synth);
        }
    }

    @Test
    void aMissingAppIsBadInput() {
        SynthException e = assertThrows(SynthException.class, () -> Synthesizers.forApp(SynthOptions.of(tmp.resolve("nope"))));
        assertTrue(e.getMessage().contains("does not exist"));
        SynthException noCdkJson = assertThrows(SynthException.class, () -> Synthesizers.forApp(SynthOptions.of(tmp)));
        assertTrue(noCdkJson.getMessage().contains("cdk.json"), noCdkJson.getMessage());
    }

    @Test
    void stackNamesFromFileNamesAreValidStackNames() {
        assertEquals("orders", TemplateFileSynthesizer.nameFromFile(Path.of("orders.template.json")));
        assertEquals("my-app", TemplateFileSynthesizer.nameFromFile(Path.of("my_app.yaml")));
        assertEquals("Stack-1app", TemplateFileSynthesizer.nameFromFile(Path.of("1app.json")));
    }
}
