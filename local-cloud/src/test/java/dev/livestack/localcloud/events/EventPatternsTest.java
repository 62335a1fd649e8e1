package dev.livestack.localcloud.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventPatternsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENT = """
            {"version":"0","id":"1","detail-type":"Order Placed","source":"shop.orders","account":"000000000000",
             "time":"2026-12-06T00:00:00Z","region":"us-east-1","resources":["arn:aws:s3:::b"],
             "detail":{"orderId":"o-42","total":120.5,"status":"NEW","customer":{"tier":"gold"},"tags":["a","b"],"note":null}}
            """;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"source\":[\"shop.orders\"]} | true",
            "{\"source\":[\"other\"]} | false",
            "{\"detail-type\":[{\"prefix\":\"Order\"}]} | true",
            "{\"detail-type\":[{\"suffix\":\"Placed\"}]} | true",
            "{\"detail\":{\"status\":[{\"anything-but\":\"CANCELLED\"}]}} | true",
            "{\"detail\":{\"status\":[{\"anything-but\":[\"NEW\",\"OLD\"]}]}} | false",
            "{\"detail\":{\"status\":[{\"anything-but\":{\"prefix\":\"N\"}}]}} | false",
            "{\"detail\":{\"total\":[{\"numeric\":[\">\",100,\"<=\",200]}]}} | true",
            "{\"detail\":{\"total\":[{\"numeric\":[\"<\",100]}]}} | false",
            "{\"detail\":{\"coupon\":[{\"exists\":false}]}} | true",
            "{\"detail\":{\"orderId\":[{\"exists\":true}]}} | true",
            "{\"detail\":{\"orderId\":[{\"exists\":false}]}} | false",
            "{\"detail\":{\"customer\":{\"tier\":[\"gold\",\"silver\"]}}} | true",
            "{\"detail\":{\"tags\":[\"b\"]}} | true",
            "{\"detail\":{\"note\":[null]}} | true",
            "{\"detail\":{\"status\":[{\"equals-ignore-case\":\"new\"}]}} | true",
            "{\"detail\":{\"orderId\":[{\"wildcard\":\"o-*\"}]}} | true",
            "{\"detail\":{\"total\":[120.50]}} | true",
            "{\"$or\":[{\"source\":[\"x\"]},{\"detail\":{\"status\":[\"NEW\"]}}]} | true",
            "{\"source\":[\"shop.orders\"],\"detail\":{\"status\":[\"DONE\"]}} | false"})
    void matchesAsEventBridgeDoes(String pattern, boolean expected) throws Exception {
        JsonNode p = JSON.readTree(pattern);
        assertNull(EventPatterns.invalid(p));
        assertEquals(expected, EventPatterns.matches(p, JSON.readTree(EVENT)), pattern);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"source\":[{\"prefix\":5}]} | prefix match pattern must be a string",
            "{\"source\":[{\"anything-but\":true}]} | Value of anything-but must be an array or single string/number value.",
            "{\"source\":[{\"numeric\":5}]} | Value of numeric must be an array.",
            "{\"source\":[{\"numeric\":[\"<\",\"x\"]}]} | Value of < must be numeric",
            "{\"source\":[{\"wildcard\":5}]} | wildcard match pattern must be a string",
            "{\"source\":\"shop\"} | Match value must be String, number, true, false, or null"})
    void refusesBadPatternsWithEventBridgesReason(String pattern, String reason) throws Exception {
        assertEquals(reason, EventPatterns.invalid(JSON.readTree(pattern)));
    }
}
