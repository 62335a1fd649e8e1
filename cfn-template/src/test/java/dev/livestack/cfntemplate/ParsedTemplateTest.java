package dev.livestack.cfntemplate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    void malformedYamlKeepsTheParsersPosition() {
        TemplateFormatException e = assertThrows(TemplateFormatException.class, () -> ParsedTemplate.parse("Resources:\n  A: [unclosed\n"));
        assertEquals(TemplateFormatException.Kind.NOT_WELL_FORMED, e.kind());
        assertEquals("Template format error: YAML not well-formed. (line " + e.line() + ", column " + e.column() + ")", e.getMessage());
        assertEquals(3, e.line());
        assertTrue(e.problem().contains("expected ',' or ']'"), e.problem());
        e = assertThrows(TemplateFormatException.class, () -> ParsedTemplate.parse("just text\n"));
        assertEquals(TemplateFormatException.Kind.NOT_AN_OBJECT, e.kind());
        e = assertThrows(TemplateFormatException.class, () -> ParsedTemplate.parse("{\"Resources\": {\"A\": }"));
        assertEquals(TemplateFormatException.Kind.NOT_WELL_FORMED, e.kind());
        assertEquals(1, e.line());
        assertEquals(21, e.column());
        assertTrue(e.problem().startsWith("Unexpected character"), e.problem());
    }

    @Test
    void getAttWithoutADotIsRefusedAsCloudFormationDoes() {
        TemplateFormatException e = assertThrows(TemplateFormatException.class,
                () -> ParsedTemplate.parse("Resources:\n  A:\n    Type: T\n    Properties:\n      X: !GetAtt Role\n"));
        assertEquals("Template error: every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute",
                e.getMessage());
        assertEquals(TemplateFormatException.Kind.INVALID, e.kind());
        assertEquals(5, e.line());
        assertEquals("!GetAtt needs LogicalId.Attribute, got 'Role'", e.problem());
        assertThrows(TemplateFormatException.class, () -> ParsedTemplate.parse("X: !GetAtt Role.\n"));
        assertThrows(TemplateFormatException.class, () -> ParsedTemplate.parse("X: !GetAtt .Arn\n"));
        assertEquals("[\"Db\",\"Endpoint.Address\"]", ParsedTemplate.parse("X: !GetAtt Db.Endpoint.Address\n").root().get("X").get("Fn::GetAtt").toString());
    }

    @Test
    void aliasesAreRefusedAsCloudFormationDoes() {
        for (String yaml : new String[] {"a: &x [1, 2]\nb: *x\n", "a: &x text\nb: *x\n", "a: &m {k: v}\nb:\n  <<: *m\n"}) {
            TemplateFormatException e = assertThrows(TemplateFormatException.class, () -> ParsedTemplate.parse(yaml), yaml);
            assertEquals("Template error: YAML aliases are not allowed in CloudFormation templates", e.getMessage());
            assertEquals(TemplateFormatException.Kind.INVALID, e.kind());
        }
        // an anchor nobody refers to is harmless
        assertEquals("[1,2]", ParsedTemplate.parse("a: &x [1, 2]\n").root().get("a").toString());
    }

    @Test
    void aMergeKeyIsAnOrdinaryKey() {
        assertEquals("{\"A\":{\"<<\":{\"k\":\"v\"},\"j\":1}}", ParsedTemplate.parse("A:\n  <<: {k: v}\n  j: 1\n").root().toString());
    }

    @Test
    void yaml11BooleansStayText() {
        JsonNode r = ParsedTemplate.parse("a: yes\nb: on\nc: no\nd: off\ne: true\nf: False\n").root();
        assertEquals("{\"a\":\"yes\",\"b\":\"on\",\"c\":\"no\",\"d\":\"off\",\"e\":true,\"f\":false}", r.toString());
    }

    @Test
    void octalAndHexIntsStayText() {
        JsonNode r = ParsedTemplate.parse("a: 0755\nb: 0x1F\nc: 10\n").root();
        assertEquals("0755", r.get("a").textValue());
        assertEquals("0x1F", r.get("b").textValue());
        assertEquals(10, r.get("c").intValue());
    }

    @Test
    void numbersGetTheNodeTypesJsonGives() throws Exception {
        String yaml = "a: 5\nb: -3000000000\nc: 123456789012345678901234567890\nd: 1.5\n";
        String json = "{\"a\": 5, \"b\": -3000000000, \"c\": 123456789012345678901234567890, \"d\": 1.5}";
        assertEquals(new ObjectMapper().readTree(json), ParsedTemplate.parse(yaml).root());
        assertEquals(ParsedTemplate.parse(json).root(), ParsedTemplate.parse(yaml).root());
    }

    @Test
    void aLargeYamlTemplateParses() {
        // beyond SnakeYAML's default 3 MB code-point limit; a synthesised template file may be that big
        StringBuilder yaml = new StringBuilder("Resources:\n");
        String pad = "x".repeat(1000);
        for (int i = 0; i < 4000; i++) {
            yaml.append("  R").append(i).append(":\n    Type: AWS::SNS::Topic\n    Metadata: {Note: ").append(pad).append("}\n");
        }
        assertTrue(yaml.length() > 4_000_000);
        assertEquals(4000, ParsedTemplate.parse(yaml.toString()).section("Resources").size());
    }

    @Test
    void recordsRejectNulls() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> new ParsedTemplate(null, null));
        assertEquals("body", e.getMessage());
    }
}
