package dev.livestack.localcloud.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestack.localcloud.core.AwsException;
import org.junit.jupiter.api.Test;

/** Which runtimes and code packages CreateFunction and the updates accept. */
class FunctionSettingsTest {
    @Test
    void runtimesAreCheckedAgainstLambdasEnumAndDeprecations() {
        FunctionSettings.checkRuntime("nodejs22.x");
        FunctionSettings.checkRuntime("python3.13");
        FunctionSettings.checkRuntime("java21");
        AwsException unknown = assertThrows(AwsException.class, () -> FunctionSettings.checkRuntime("nodejs99.x"));
        assertEquals(400, unknown.status());
        // as Lambda answered in LocalStack's recording (test_create_lambda_exceptions)
        assertEquals("InvalidParameterValueException", unknown.code());
        assertTrue(unknown.getMessage().startsWith("Value nodejs99.x at 'runtime' failed to satisfy "
                + "constraint: Member must satisfy enum value set: [nodejs20.x, python3.14, "), unknown.getMessage());
        assertTrue(unknown.getMessage().endsWith("] or be a valid ARN"));
        AwsException old = assertThrows(AwsException.class, () -> FunctionSettings.checkRuntime("nodejs12.x"));
        assertEquals("InvalidParameterValueException", old.code());
        assertEquals("The runtime parameter of nodejs12.x is no longer supported for creating or updating AWS Lambda functions. "
                + "We recommend you use a supported runtime while creating or updating functions.", old.getMessage());
    }

    @Test
    void zipsAreChecked() {
        FunctionSettings.checkZip(dev.livestack.inlinepackager.LambdaZip.forInline("nodejs20.x", "x"));
        AwsException e = assertThrows(AwsException.class, () -> FunctionSettings.checkZip("not a zip".getBytes()));
        assertEquals("Could not unzip uploaded file. Please check your file, then try to upload again.", e.getMessage());
    }
}
