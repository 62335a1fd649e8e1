package dev.livestack.localcloud.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import org.junit.jupiter.api.Test;

class ExpressionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static final ObjectNode ITEM = (ObjectNode) json("""
            {'pk': {'S': 'a'}, 'n': {'N': '5'}, 'tags': {'SS': ['x', 'y']},
             'm': {'M': {'deep': {'L': [{'S': 'first'}, {'N': '2'}, {'M': {'k': {'S': 'v'}}}]}}},
             'flag': {'BOOL': true}, 'nothing': {'NULL': true}, 'title': {'S': 'hello world'}}""");

    private static boolean holds(String expr, String names, String values) {
        Placeholders p = new Placeholders(json(names), json(values));
        boolean r = Evaluator.test(Parser.condition(Parser.CONDITION, expr, p), ITEM);
        p.checkAllUsed();
        return r;
    }

    private static String error(Runnable r) {
        return assertThrows(AwsException.class, r::run).getMessage();
    }

    @Test
    void comparisonsFunctionsAndBooleanLogic() {
        assertTrue(holds("n = :five", "{}", "{':five': {'N': '5.0'}}"));
        assertTrue(holds("n BETWEEN :a AND :b AND begins_with(title, :h)", "{}", "{':a': {'N': '1'}, ':b': {'N': '9'}, ':h': {'S': 'hell'}}"));
        assertTrue(holds("NOT (n < :a) OR attribute_exists(absent)", "{}", "{':a': {'N': '1'}}"));
        assertFalse(holds("absent = :a", "{}", "{':a': {'N': '1'}}"));
        assertFalse(holds("absent <> :a", "{}", "{':a': {'N': '1'}}"));
        assertTrue(holds("n <> :a", "{}", "{':a': {'S': '5'}}"));
        assertTrue(holds("#m.deep[2].k = :v AND size(#m.deep) = :three", "{'#m': 'm'}", "{':v': {'S': 'v'}, ':three': {'N': '3'}}"));
        assertTrue(holds("contains(tags, :x) AND contains(title, :w) AND attribute_type(flag, :t)", "{}",
                "{':x': {'S': 'x'}, ':w': {'S': 'wor'}, ':t': {'S': 'BOOL'}}"));
        assertTrue(holds("n IN (:a, :b)", "{}", "{':a': {'N': '1'}, ':b': {'N': '5'}}"));
        assertTrue(holds("attribute_not_exists(pk) OR n > :a AND n < :b", "{}", "{':a': {'N': '1'}, ':b': {'N': '6'}}"));
        assertFalse(holds("(attribute_not_exists(pk) OR n > :a) AND n < :b", "{}", "{':a': {'N': '1'}, ':b': {'N': '5'}}"));
    }

    @Test
    void errorsUseDynamoDbsWording() {
        assertEquals("Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :x",
                error(() -> holds("n = :x", "{}", "{':y': {'N': '1'}}")));
        assertEquals("Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #x",
                error(() -> holds("#x = :y", "{}", "{':y': {'N': '1'}}")));
        assertEquals("Value provided in ExpressionAttributeValues unused in expressions: keys: {:z}",
                error(() -> holds("n = :y", "{}", "{':y': {'N': '1'}, ':z': {'N': '1'}}")));
        assertEquals("Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name",
                error(() -> holds("name = :y", "{}", "{':y': {'N': '1'}}")));
        assertEquals("Invalid ConditionExpression: Syntax error; token: <EOF>, near: \"=\"",
                error(() -> holds("n =", "{}", "{}")));
        assertEquals("Invalid ConditionExpression: Invalid function name; function: starts_with",
                error(() -> holds("starts_with(n, :y)", "{}", "{':y': {'N': '1'}}")));
        assertEquals("The parameter cannot be converted to a numeric value: abc", error(() -> Values.value(json("{'N': 'abc'}"))));
        assertEquals("Attempting to store more than 38 significant digits in a Number",
                error(() -> Values.value(json("{'N': '123456789012345678901234567890123456789'}"))));
        assertEquals("1500", Values.value(json("{'N': '1.5E3'}")).get("N").asText());
        assertEquals("0.25", Values.value(json("{'N': '000.2500'}")).get("N").asText());
    }

    @Test
    void updatesComputeFromTheOldItem() {
        Placeholders p = new Placeholders(json("{'#c': 'count'}"), json("""
                {':one': {'N': '1'}, ':l': {'L': [{'S': 'z'}]}, ':s': {'SS': ['y', 'w']}, ':zero': {'N': '0'}}"""));
        assertEquals("Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m, deep], path two: [m, deep, [0]]",
                error(() -> Parser.update("SET m.deep = :l REMOVE m.deep[0]", new Placeholders(null, json("{':l': {'L': []}}")))));
        assertEquals("Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [tags], path two: [tags]",
                error(() -> Parser.update("ADD tags :s DELETE tags :s", new Placeholders(null, json("{':s': {'SS': ['y']}}")))));
        var actions = Parser.update("SET #c = if_not_exists(#c, :zero) + :one, n = n - :one, m.deep = list_append(m.deep, :l) REMOVE flag, nothing ADD tags :s", p);
        ObjectNode updated = Evaluator.update(actions, ITEM);
        assertEquals("1", updated.get("count").get("N").asText());
        assertEquals("4", updated.get("n").get("N").asText());
        assertEquals(4, updated.get("m").get("M").get("deep").get("L").size());
        assertFalse(updated.has("flag"));
        assertEquals(3, updated.get("tags").get("SS").size());
        assertEquals("The provided expression refers to an attribute that does not exist in the item",
                error(() -> Evaluator.update(Parser.update("SET a = absent + :one", new Placeholders(null, json("{':one': {'N': '1'}}"))), ITEM)));
        ObjectNode removed = Evaluator.update(Parser.update("REMOVE m.deep[0], m.deep[2]", new Placeholders(null, null)), ITEM);
        assertEquals("[{\"N\":\"2\"}]", removed.get("m").get("M").get("deep").get("L").toString());
    }

    @Test
    void projectionsKeepTheNesting() {
        ObjectNode out = Evaluator.project(ITEM, Parser.projection("pk, m.deep[2].k, m.deep[0], absent", new Placeholders(null, null)));
        assertEquals("{\"pk\":{\"S\":\"a\"},\"m\":{\"M\":{\"deep\":{\"L\":[{\"S\":\"first\"},{\"M\":{\"k\":{\"S\":\"v\"}}}]}}}}", out.toString());
    }
}
