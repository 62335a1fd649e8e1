package dev.livestack.localcloud.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestack.localcloud.core.AwsException;
import org.junit.jupiter.api.Test;

class LogsFilterPatternTest {
    static boolean m(String pattern, String message) {
        return LogsFilterPattern.compile(pattern).matches(message);
    }

    @Test
    void emptyMatchesEverything() {
        assertTrue(m("", "anything"));
        assertTrue(m(null, ""));
        assertTrue(m("   ", "x"));
    }

    @Test
    void termsMustAllOccurCaseSensitively() {
        assertTrue(m("ERROR timeout", "ERROR: db timeout after 3s"));
        assertFalse(m("ERROR timeout", "ERROR: db failed"));
        assertFalse(m("error", "ERROR here"));
    }

    @Test
    void quotedPhrasesAreExactSubstrings() {
        assertTrue(m("\"Task timed out\"", "2026 id Task timed out after 1.00 seconds"));
        assertFalse(m("\"Task timed out\"", "Task has timed out"));
        assertTrue(m("\"a:b\" c", "x a:b y c"));
    }

    @Test
    void questionMarkTermsAreAlternatives() {
        assertTrue(m("?ERROR ?WARN", "WARN disk"));
        assertTrue(m("?ERROR ?WARN", "ERROR disk"));
        assertFalse(m("?ERROR ?WARN", "INFO disk"));
    }

    @Test
    void minusTermsExclude() {
        assertTrue(m("ERROR -Exiting", "ERROR bad input"));
        assertFalse(m("ERROR -Exiting", "ERROR Exiting now"));
        assertFalse(m("-START -END -REPORT", "START RequestId: x"));
        assertTrue(m("-START -END -REPORT", "hello"));
    }

    @Test
    void regexBetweenPercentSigns() {
        assertTrue(m("%err(or)?[0-9]+%", "saw error42 here"));
        assertFalse(m("%^abc$%", "xabc"));
    }

    @Test
    void jsonComparisons() {
        String event = "{\"level\":\"error\",\"code\":503,\"user\":{\"id\":7,\"name\":\"Ada Lovelace\"},\"tags\":[\"a\",\"b\"],\"ok\":false,\"none\":null}";
        assertTrue(m("{ $.level = \"error\" }", event));
        assertTrue(m("{ $.level = error }", event));
        assertFalse(m("{ $.level = \"warn\" }", event));
        assertTrue(m("{ $.level != \"warn\" }", event));
        assertTrue(m("{ $.code >= 500 }", event));
        assertFalse(m("{ $.code < 500 }", event));
        assertTrue(m("{ $.user.id = 7 }", event));
        assertTrue(m("{ $.user.name = \"Ada*\" }", event));
        assertFalse(m("{ $.user.name = \"Bob*\" }", event));
        assertTrue(m("{ $.tags[1] = \"b\" }", event));
        assertTrue(m("{ $.ok IS FALSE }", event));
        assertTrue(m("{ $.none IS NULL }", event));
        assertTrue(m("{ $.missing NOT EXISTS }", event));
        assertTrue(m("{ ($.code = 404 || $.code = 503) && $.level = \"error\" }", event));
        assertFalse(m("{ $.code = 404 || ($.code = 503 && $.level = \"warn\") }", event));
        assertTrue(m("{ $.user.name = %Love% }", event));
        assertFalse(m("{ $.level = \"error\" }", "not json at all"));
    }

    @Test
    void jsonAfterLambdasNodePrefix() {
        assertTrue(m("{ $.orderId = \"o-1\" }", "2026-11-21T10:00:00.000Z\tabc\tINFO\t{\"orderId\":\"o-1\"}"));
    }

    @Test
    void invalidPatternsAreRejectedAsAwsDoes() {
        AwsException e = assertThrows(AwsException.class, () -> LogsFilterPattern.compile("{ $.a = "));
        assertEquals("InvalidParameterException", e.code());
        assertThrows(AwsException.class, () -> LogsFilterPattern.compile("{ a = 1 }"));
        assertThrows(AwsException.class, () -> LogsFilterPattern.compile("\"unterminated"));
        assertThrows(AwsException.class, () -> LogsFilterPattern.compile("[ip, user]"));
    }
}
