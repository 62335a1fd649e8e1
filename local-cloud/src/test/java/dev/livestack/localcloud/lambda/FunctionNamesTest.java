package dev.livestack.localcloud.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestack.localcloud.core.AwsException;
import org.junit.jupiter.api.Test;

/** How a function is named: names, ARNs and partial ARNs, with their qualifiers. */
class FunctionNamesTest {
    @Test
    void namesArnsAndPartialArnsWithQualifiers() {
        assertEquals(new FunctionNames.Ref("my-fn", null), FunctionNames.parse("my-fn"));
        assertEquals(new FunctionNames.Ref("my-fn", "live"), FunctionNames.parse("my-fn:live"));
        assertEquals(new FunctionNames.Ref("my-fn", "$LATEST"), FunctionNames.parse("my-fn:$LATEST"));
        assertEquals(new FunctionNames.Ref("my_fn", null, "us-east-1", "000000000000"),
                FunctionNames.parse("arn:aws:lambda:us-east-1:000000000000:function:my_fn"));
        assertEquals(new FunctionNames.Ref("my-fn", "3", "us-east-1", "000000000000"),
                FunctionNames.parse("arn:aws:lambda:us-east-1:000000000000:function:my-fn:3"));
        assertEquals(new FunctionNames.Ref("my-fn", "7", null, "000000000000"), FunctionNames.parse("000000000000:function:my-fn:7"));
        assertEquals(new FunctionNames.Ref("function", null, "us-east-1", "000000000000"),
                FunctionNames.parse("arn:aws:lambda:us-east-1:000000000000:function"));
        assertNull(FunctionNames.parse("x").qualifier());
    }

    @Test
    void malformedNamesAreValidationErrors() {
        AwsException e = assertThrows(AwsException.class, () -> FunctionNames.parse("has space"));
        assertEquals("ValidationException", e.code());
        assertTrue(e.getMessage().startsWith("1 validation error detected: Value 'has space' at 'functionName'"));
        assertThrows(AwsException.class, () -> FunctionNames.parse(""));
        assertThrows(AwsException.class, () -> FunctionNames.parse("a:b:c"));
    }

    @Test
    void createRefusesEveryBrokenConstraintAtOnceAndNamesOver64Characters() {
        AwsException both = assertThrows(AwsException.class, () -> FunctionNames.checkCreate(null,
                "arn:aws:lambda:invalid-region:000000000000:function:" + "a".repeat(100)));
        assertEquals("ValidationException", both.code());
        assertTrue(both.getMessage().startsWith("2 validation errors detected: "), both.getMessage());
        assertTrue(both.getMessage().contains("Member must have length less than or equal to 140; Value '"), both.getMessage());
        AwsException long65 = assertThrows(AwsException.class, () -> FunctionNames.checkCreate(null, "a".repeat(65)));
        assertEquals("InvalidParameterValueException", long65.code());
    }
}
