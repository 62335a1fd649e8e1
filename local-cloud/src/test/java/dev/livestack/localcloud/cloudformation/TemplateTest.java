package dev.livestack.localcloud.cloudformation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestack.localcloud.core.AwsException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** YAML short forms, intrinsic functions, conditions and the dependency order, without a server. */
class TemplateTest {
    static final String YAML = """
            Parameters:
              Env: {Type: String, Default: prod}
              Subnets: {Type: CommaDelimitedList, Default: "a,b,c"}
            Mappings:
              Sizes:
                prod: {Memory: 1024}
                dev: {Memory: 128}
            Conditions:
              IsProd: !Equals [!Ref Env, prod]
              NotProd: !Not [!Condition IsProd]
              Both: !And [!Condition IsProd, !Or [!Equals [a, b], !Equals [1, 1]]]
            Resources:
              Bucket:
                Type: AWS::S3::Bucket
              Fn:
                Type: AWS::Lambda::Function
                DependsOn: Bucket
                Properties:
                  Memory: !FindInMap [Sizes, !Ref Env, Memory]
                  Name: !Sub
                    - '${Prefix}-${AWS::Region}-${Bucket.Arn}-${!Literal}'
                    - Prefix: !Select [2, !Ref Subnets]
                  Joined: !Join ['', [x, !Ref 'AWS::AccountId']]
                  Split: !Split ['|', 'p|q']
                  Encoded: !Base64 hi
                  Zones: !GetAZs ''
                  Maybe: !If [NotProd, present, !Ref 'AWS::NoValue']
                  List: [one, !If [IsProd, !Ref 'AWS::NoValue', two], three]
              Perm:
                Type: AWS::Lambda::Permission
                Properties:
                  FunctionName: !GetAtt Fn.Arn
            """;

    private static Intrinsics intrinsics(Template t) {
        Map<String, Intrinsics.ResourceView> resources = Map.of(
                "Bucket", new Intrinsics.ResourceView("AWS::S3::Bucket", "my-bucket", Map.of("Arn", "arn:aws:s3:::my-bucket")),
                "Fn", new Intrinsics.ResourceView("AWS::Lambda::Function", null, Map.of()));
        return new Intrinsics(t, Map.of("Env", Template.NODES.textNode("prod"),
                "Subnets", Template.NODES.arrayNode().add("a").add("b").add("c")),
                Map.of("AWS::Region", "eu-west-1", "AWS::AccountId", "123456789012"), resources::get, name -> null, false);
    }

    @Test
    void shortFormsBecomeLongFormsAndResolve() {
        Template t = Template.parse(YAML);
        t.validate();
        JsonNode props = intrinsics(t).resolve(t.resources().get("Fn").get("Properties"));
        assertEquals(1024, props.get("Memory").asInt());
        assertEquals("c-eu-west-1-arn:aws:s3:::my-bucket-${Literal}", props.get("Name").asText());
        assertEquals("x123456789012", props.get("Joined").asText());
        assertEquals("[\"p\",\"q\"]", props.get("Split").toString());
        assertEquals("aGk=", props.get("Encoded").asText());
        assertEquals("eu-west-1a", props.get("Zones").get(0).asText());
        assertNull(props.get("Maybe"), "AWS::NoValue removes the property");
        assertEquals("[\"one\",\"three\"]", props.get("List").toString());
        assertEquals("[\"Fn\",\"Arn\"]", t.resources().get("Perm").path("Properties").path("FunctionName").get("Fn::GetAtt").toString());
    }

    @Test
    void conditionsCombine() {
        Intrinsics in = intrinsics(Template.parse(YAML));
        assertEquals(true, in.condition("IsProd"));
        assertEquals(false, in.condition("NotProd"));
        assertEquals(true, in.condition("Both"));
    }

    @Test
    void referencesToResourcesNotCreatedFailOrAreMarkedInPreview() {
        Template t = Template.parse(YAML);
        JsonNode perm = t.resources().get("Perm").get("Properties");
        assertThrows(Intrinsics.TemplateError.class, () -> intrinsics(t).resolve(perm));
        Intrinsics preview = new Intrinsics(t, Map.of("Env", Template.NODES.textNode("prod")), Map.of(),
                id -> new Intrinsics.ResourceView("AWS::Lambda::Function", null, Map.of()), name -> null, true);
        assertEquals(true, Intrinsics.unresolved(preview.resolve(perm)));
    }

    @Test
    void dependenciesOrderWavesAndCyclesAreRefused() {
        Template t = Template.parse(YAML);
        assertEquals(List.of(List.of("Bucket"), List.of("Fn"), List.of("Perm")), t.creationOrder(List.of("Bucket", "Fn", "Perm")));
        Template cyclic = Template.parse("{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\", \"Properties\": {\"X\": {\"Ref\": \"B\"}}},"
                + " \"B\": {\"Type\": \"AWS::SNS::Topic\", \"Properties\": {\"Y\": {\"Fn::Sub\": \"${A.TopicName}\"}}}}}");
        AwsException e = assertThrows(AwsException.class, cyclic::validate);
        assertEquals("Circular dependency between resources: [A, B]", e.getMessage());
    }

    @Test
    void malformedTemplatesNameTheLine() {
        AwsException e = assertThrows(AwsException.class, () -> Template.parse("{\"Resources\": {\"A\": }"));
        assertEquals("Template format error: JSON not well-formed. (line 1, column 21)", e.getMessage());
        e = assertThrows(AwsException.class, () -> Template.parse("Resources:\n  A: [unclosed\n"));
        assertEquals("ValidationError", e.code());
    }
}
