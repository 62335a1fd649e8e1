package dev.livestack.cfntemplate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The evaluator over a map-backed stack; what differs per user is in the options and the environment. */
class IntrinsicEvaluatorTest {
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
              Loop: !Not [!Condition Loop]
              Text: !Equals [yes, yes]
              HasB: !Contains [!Ref Subnets, b]
              AllIn: !EachMemberIn [!Ref Subnets, [a, b, c, d]]
            Resources:
              Bucket:
                Type: AWS::S3::Bucket
              Fn:
                Type: AWS::Lambda::Function
                Properties:
                  Memory: !FindInMap [Sizes, !Ref Env, Memory]
                  Fallback: !FindInMap [Sizes, test, Memory, {DefaultValue: 64}]
                  Name: !Sub
                    - '${Prefix}-${AWS::Region}-${Bucket.Arn}-${!Literal}'
                    - Prefix: !Select [2, !Ref Subnets]
                      Unused: !Ref Missing
                  Joined: !Join ['', [x, !Ref 'AWS::AccountId']]
                  Split: !Split ['|', 'p|q']
                  Encoded: !Base64 hi
                  Zones: !GetAZs ''
                  Count: !Length [a, b]
                  Json: !ToJsonString {a: 1}
                  Imported: !ImportValue shared
                  Maybe: !If [NotProd, present, !Ref 'AWS::NoValue']
                  List: [one, !If [IsProd, !Ref 'AWS::NoValue', two], three]
                  Statement: {Condition: {StringEquals: {a: b}}}
            """;
    static final ObjectMapper JSON = new ObjectMapper();

    /** A failure carrying its problem, so tests assert the kind rather than prose. */
    static final class Failed extends RuntimeException {
        final Problem problem;

        Failed(Problem problem) {
            super(problem.message());
            this.problem = problem;
        }
    }

    record MapStack(Map<String, JsonNode> refs, Map<String, String> attributes, Map<String, String> exports)
            implements StackEnvironment {
        @Override
        public JsonNode ref(String name) {
            JsonNode v = refs.get(name);
            if (v == null) {
                throw new IllegalArgumentException("no " + name);
            }
            return v;
        }

        @Override
        public JsonNode getAtt(String logicalId, String attribute) {
            String v = attributes.get(logicalId + "." + attribute);
            if (v == null) {
                throw new IllegalArgumentException("no " + logicalId + "." + attribute);
            }
            return JsonNodeFactory.instance.textNode(v);
        }

        @Override
        public String importValue(String name) {
            return exports.get(name);
        }

        @Override
        public String region() {
            return "eu-west-1";
        }

        @Override
        public RuntimeException failure(Problem problem) {
            return new Failed(problem);
        }
    }

    static final MapStack STACK = new MapStack(Map.of(
            "Env", JsonNodeFactory.instance.textNode("prod"),
            "Subnets", JsonNodeFactory.instance.arrayNode().add("a").add("b").add("c"),
            "AWS::Region", JsonNodeFactory.instance.textNode("eu-west-1"),
            "AWS::AccountId", JsonNodeFactory.instance.textNode("123456789012"),
            "Bucket", JsonNodeFactory.instance.textNode("my-bucket")),
            Map.of("Bucket.Arn", "arn:aws:s3:::my-bucket"), Map.of("shared", "exported"));

    private static ParsedTemplate template() {
        return ParsedTemplate.parse(YAML);
    }

    private static IntrinsicEvaluator evaluator(EvaluationOptions options) {
        return IntrinsicEvaluator.of(template().root(), STACK, options);
    }

    private static JsonNode node(String json) {
        try {
            return JSON.readTree(json.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Problem problem(IntrinsicEvaluator e, String json) {
        return assertThrows(Failed.class, () -> e.resolve(node(json))).problem;
    }

    @Test
    void everyFunctionResolves() {
        JsonNode props = evaluator(EvaluationOptions.CLOUDFORMATION)
                .resolve(template().section("Resources").get("Fn").get("Properties"));
        assertEquals(1024, props.get("Memory").asInt());
        assertEquals(64, props.get("Fallback").asInt());
        assertEquals("c-eu-west-1-arn:aws:s3:::my-bucket-${Literal}", props.get("Name").asText(),
                "an unused Sub variable is not evaluated");
        assertEquals("x123456789012", props.get("Joined").asText());
        assertEquals("[\"p\",\"q\"]", props.get("Split").toString());
        assertEquals("aGk=", props.get("Encoded").asText());
        assertEquals("eu-west-1a", props.get("Zones").get(0).asText());
        assertEquals(2, props.get("Count").asInt());
        assertEquals("{\"a\":1}", props.get("Json").asText());
        assertEquals("exported", props.get("Imported").asText());
        assertNull(props.get("Maybe"), "AWS::NoValue removes the property");
        assertEquals("[\"one\",\"three\"]", props.get("List").toString());
        assertEquals("{\"Condition\":{\"StringEquals\":{\"a\":\"b\"}}}", props.get("Statement").toString(),
                "a Condition key holding an object is data");
        assertNull(evaluator(EvaluationOptions.CLOUDFORMATION).resolve(node("{'Ref':'AWS::NoValue'}")));
    }

    @Test
    void conditionsCombine() {
        IntrinsicEvaluator in = evaluator(EvaluationOptions.CLOUDFORMATION);
        assertTrue(in.condition("IsProd"));
        assertFalse(in.condition("NotProd"));
        assertTrue(in.condition("Both"));
        assertTrue(in.condition("HasB"));
        assertTrue(in.condition("AllIn"));
        assertTrue(in.included(node("{'Type':'x','Condition':'IsProd'}")));
        assertFalse(in.included(node("{'Type':'x','Condition':'NotProd'}")));
        assertTrue(in.included(node("{'Type':'x'}")));
        assertEquals(Problem.Kind.CONDITION_CIRCULAR, assertThrows(Failed.class, () -> in.condition("Loop")).problem.kind());
        assertEquals(Problem.Kind.CONDITION_UNDEFINED, assertThrows(Failed.class, () -> in.condition("Nope")).problem.kind());
    }

    @Test
    void problemsAreReportedThroughTheEnvironment() {
        IntrinsicEvaluator in = evaluator(EvaluationOptions.CLOUDFORMATION);
        Problem p = problem(in, "{'Fn::Select':[5,['a']]}");
        assertEquals(new Problem(Problem.Kind.SELECT_OUT_OF_RANGE, "Fn::Select", "5"), p);
        assertEquals(new Problem(Problem.Kind.MAPPING_MISSING, "Fn::FindInMap", "Sizes::test::Memory"),
                problem(in, "{'Fn::FindInMap':['Sizes','test','Memory']}"));
        assertEquals(new Problem(Problem.Kind.NO_EXPORT, "Fn::ImportValue", "other"), problem(in, "{'Fn::ImportValue':'other'}"));
        assertEquals(Problem.Kind.UNSUPPORTED_FUNCTION, problem(in, "{'Fn::Transform':{}}").kind());
        assertEquals(Problem.Kind.BAD_ARGUMENT, problem(in, "{'Fn::Join':['x']}").kind());
        assertEquals(Problem.Kind.BAD_ARGUMENT, problem(in, "{'Fn::Select':['one',['a']]}").kind());
        assertEquals(Problem.Kind.BAD_ARGUMENT, problem(in, "{'Fn::Join':['',{'Ref':'Env'}]}").kind());
        assertEquals(Problem.Kind.CONDITION_UNDEFINED, problem(in, "{'Fn::If':['Nope','a','b']}").kind());
        assertThrows(IllegalArgumentException.class, () -> in.resolve(node("{'Ref':'Missing'}")),
                "a Ref the stack lacks fails as the environment says");
    }

    @Test
    void deployedOptionsAreStrict() {
        IntrinsicEvaluator lenient = evaluator(EvaluationOptions.CLOUDFORMATION);
        IntrinsicEvaluator strict = evaluator(EvaluationOptions.DEPLOYED);
        assertEquals("x-y", lenient.resolve(node("{'Fn::Join':['-',['x',{'Fn::Select':[0,[{'Ref':'AWS::NoValue'},'y']]}]]}")).asText(),
                "AWS::NoValue leaves the list before Fn::Select picks");
        assertEquals("-", lenient.resolve(node("{'Fn::Sub':['${A}-',{'A':{'Ref':'AWS::NoValue'}}]}")).asText());
        assertEquals(Problem.Kind.BAD_ARGUMENT, problem(strict, "{'Fn::Sub':['${A}-',{'A':{'Ref':'AWS::NoValue'}}]}").kind());
        assertEquals(Problem.Kind.UNSUPPORTED_FUNCTION, problem(strict, "{'Fn::GetAZs':''}").kind());
        assertTrue(lenient.resolve(node("{'Fn::Equals':[['a'],['a']]}")).asBoolean());
        assertEquals(Problem.Kind.BAD_ARGUMENT, problem(strict, "{'Fn::Equals':[['a'],['a']]}").kind());
        assertTrue(strict.condition("Text"));
        assertTrue(strict.resolve(node("{'Fn::Equals':['1',1]}")).asBoolean(), "scalars compare as text");
        ObjectNode oddCondition = (ObjectNode) node("{'Conditions':{'Odd':'yes'}}");
        IntrinsicEvaluator strictText = IntrinsicEvaluator.of(oddCondition, STACK, EvaluationOptions.DEPLOYED);
        assertEquals(Problem.Kind.CONDITION_NOT_BOOLEAN,
                assertThrows(Failed.class, () -> strictText.condition("Odd")).problem.kind());
        IntrinsicEvaluator lenientText = IntrinsicEvaluator.of(oddCondition, STACK, EvaluationOptions.CLOUDFORMATION);
        assertFalse(lenientText.condition("Odd"));
    }

    @Test
    void optionsAndProblemsRejectNulls() {
        assertEquals("functions", assertThrows(NullPointerException.class, () -> new EvaluationOptions(null, true)).getMessage());
        assertEquals("kind", assertThrows(NullPointerException.class, () -> new Problem(null, "f", "d")).getMessage());
        assertEquals(Set.of("Ref"), new EvaluationOptions(Set.of("Ref"), false).functions());
        assertEquals("template", assertThrows(NullPointerException.class,
                () -> IntrinsicEvaluator.of(null, STACK, EvaluationOptions.DEPLOYED)).getMessage());
    }
}
