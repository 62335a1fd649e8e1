package dev.livestack.localcloud.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestack.localcloud.core.AwsException;
import org.junit.jupiter.api.Test;

/** The pure parts of the Lambda model: how a function is named, and which runtimes run locally. */
class LambdaFunctionsTest {
    @Test
    void namesArnsAndPartialArnsWithQualifiers() {
        assertEquals(new LambdaFunctions.Ref("my-fn", null), LambdaFunctions.parse("my-fn"));
        assertEquals(new LambdaFunctions.Ref("my-fn", "live"), LambdaFunctions.parse("my-fn:live"));
        assertEquals(new LambdaFunctions.Ref("my-fn", "$LATEST"), LambdaFunctions.parse("my-fn:$LATEST"));
        assertEquals(new LambdaFunctions.Ref("my_fn", null),
                LambdaFunctions.parse("arn:aws:lambda:us-east-1:000000000000:function:my_fn"));
        assertEquals(new LambdaFunctions.Ref("my-fn", "3"),
                LambdaFunctions.parse("arn:aws:lambda:us-east-1:000000000000:function:my-fn:3"));
        assertEquals(new LambdaFunctions.Ref("my-fn", "7"), LambdaFunctions.parse("000000000000:function:my-fn:7"));
        assertNull(LambdaFunctions.parse("x").qualifier());
    }

    @Test
    void malformedNamesAreValidationErrors() {
        AwsException e = assertThrows(AwsException.class, () -> LambdaFunctions.parse("has space"));
        assertEquals("ValidationException", e.code());
        assertTrue(e.getMessage().startsWith("1 validation error detected: Value 'has space' at 'functionName'"));
        assertThrows(AwsException.class, () -> LambdaFunctions.parse(""));
        assertThrows(AwsException.class, () -> LambdaFunctions.parse("a:b:c"));
    }

    @Test
    void onlyNodeAndPythonRuntimesRunLocally() {
        assertTrue(RuntimeManager.canRun("nodejs18.x"));
        assertTrue(RuntimeManager.canRun("python3.9"));
        assertTrue(!RuntimeManager.canRun("java21"));
        assertTrue(!RuntimeManager.canRun("nodejs16.x"));
        assertTrue(RuntimeManager.canRun("python3.14"));
        assertTrue(!RuntimeManager.canRun("python3.15"));
    }
}
