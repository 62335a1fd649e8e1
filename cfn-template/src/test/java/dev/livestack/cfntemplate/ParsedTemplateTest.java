package dev.livestack.cfntemplate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ParsedTemplateTest {
    @Test
    void yamlShortFormsBecomeLongForms() {
        ParsedTemplate t = ParsedTemplate.parse("""
                Conditions:
                  IsProd: !Equals [!Ref Env, prod]
                  NotProd: !Not [!Condition IsProd]
                Resources:
                  Fn:
                    Type: AWS::Lambda::Function
                    Properties:
                      Arn: !GetAtt Role.Arn
                      Nested: !GetAtt [Role, Arn]
                      Plain: !GetAtt Role
                      Name: !Sub '${AWS::StackName}-fn'
                      Memory: 128
                      Ratio: 0.5
                      On: true
                      Yes: yes
                      Nothing: ~
                """);
        JsonNode props = t.section("Resources").get("Fn").get("Properties");
        assertEquals("{\"Fn::GetAtt\":[\"Role\",\"Arn\"]}", props.get("Arn").toString());
        assertEquals("{\"Fn::GetAtt\":[\"Role\",\"Arn\"]}", props.get("Nested").toString());
        assertEquals("{\"Fn::GetAtt\":[\"Role\",\"\"]}", props.get("Plain").toString());
        assertEquals("{\"Fn::Sub\":\"${AWS::StackName}-fn\"}", props.get("Name").toString());
        assertTrue(props.get("Memory").isIntegralNumber());
        assertEquals(0.5, props.get("Ratio").asDouble());
        assertTrue(props.get("On").isBoolean());
        assertEquals("yes", props.get("Yes").asText(), "YAML 1.1 booleans stay text");
        assertTrue(props.get("Nothing").isNull());
        assertEquals("{\"Fn::Equals\":[{\"Ref\":\"Env\"},\"prod\"]}", t.section("Conditions").get("IsProd").toString());
        assertEquals("{\"Fn::Not\":[{\"Condition\":\"IsProd\"}]}", t.section("Conditions").get("NotProd").toString());
        assertEquals(0, t.section("Outputs").size(), "a missing section reads as empty");
    }

    @Test
    void jsonIsReadAsIs() {
        String body = "  {\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\"}}}";
        ParsedTemplate t = ParsedTemplate.parse(body);
        assertEquals(body, t.body());
        assertEquals("AWS::SNS::Topic", t.root().path("Resources").path("A").path("Type").asText());
    }

    @Test
    void malformedTemplatesNameTheLine() {
        TemplateFormatException e = assertThrows(TemplateFormatException.class, () -> ParsedTemplate.parse("{\"Resources\": {\"A\": }"));
        assertEquals("Template format error: JSON not well-formed. (line 1, column 21)", e.getMessage());
        e = assertThrows(TemplateFormatException.class, () -> ParsedTemplate.parse("Resources:\n  A: [unclosed\n"));
        assertTrue(e.getMessage().startsWith("Template format error: YAML not well-formed. (line "), e.getMessage());
        e = assertThrows(TemplateFormatException.class, () -> ParsedTemplate.parse("- a\n- b\n"));
        assertEquals("Template format error: unsupported structure.", e.getMessage());
        e = assertThrows(TemplateFormatException.class, () -> ParsedTemplate.parse(""));
        assertEquals("Template format error: unsupported structure.", e.getMessage());
    }

    @Test
    void aliasBombsAreRefused() {
        StringBuilder yaml = new StringBuilder("a: &a [x, x]\n");
        for (int i = 0; i < 110; i++) {
            yaml.append("k").append(i).append(": *a\n");
        }
        assertThrows(TemplateFormatException.class, () -> ParsedTemplate.parse(yaml.toString()));
    }

    @Test
    void recordsRejectNulls() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> new ParsedTemplate(null, null));
        assertEquals("body", e.getMessage());
    }
}
