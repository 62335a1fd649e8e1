package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The pure parts of the Lambda model: how a function is named, and which runtimes are accepted. */
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
    void runtimesAreCheckedAgainstLambdasEnumAndDeprecations() {
        LambdaFunctions.checkRuntime("nodejs22.x");
        LambdaFunctions.checkRuntime("python3.13");
        LambdaFunctions.checkRuntime("java21");
        AwsException unknown = assertThrows(AwsException.class, () -> LambdaFunctions.checkRuntime("nodejs99.x"));
        assertEquals(400, unknown.status());
        assertEquals("ValidationException", unknown.code());
        assertTrue(unknown.getMessage().startsWith("1 validation error detected: Value 'nodejs99.x' at 'runtime' failed to satisfy "
                + "constraint: Member must satisfy enum value set: [nodejs, "), unknown.getMessage());
        assertTrue(unknown.getMessage().endsWith("] or be a valid ARN"));
        AwsException old = assertThrows(AwsException.class, () -> LambdaFunctions.checkRuntime("nodejs12.x"));
        assertEquals("InvalidParameterValueException", old.code());
        assertEquals("The runtime parameter of nodejs12.x is no longer supported for creating or updating AWS Lambda functions. "
                + "We recommend you use a supported runtime while creating or updating functions.", old.getMessage());
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

    @Test
    void zipsAreChecked() {
        LambdaFunctions.checkZip(dev.livestack.inlinepackager.LambdaZip.forInline("nodejs20.x", "x"));
        AwsException e = assertThrows(AwsException.class, () -> LambdaFunctions.checkZip("not a zip".getBytes()));
        assertEquals("Could not unzip uploaded file. Please check your file, then try to upload again.", e.getMessage());
    }
}
