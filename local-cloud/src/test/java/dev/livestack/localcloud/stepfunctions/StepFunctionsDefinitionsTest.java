package dev.livestack.localcloud.stepfunctions;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestack.localcloud.core.AwsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StepFunctionsDefinitionsTest {
    private final StepFunctionsDefinitions definitions = new StepFunctionsDefinitions();

    private static String q(String s) {
        return s.replace('\'', '"');
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}}",
        "{'Comment':'c','StartAt':'W','States':{'W':{'Type':'Wait','Seconds':0,'Next':'C'},"
                + "'C':{'Type':'Choice','Choices':[{'Variable':'$.x','NumericEquals':1,'Next':'S'}],'Default':'F'},"
                + "'S':{'Type':'Succeed'},'F':{'Type':'Fail','Error':'E'}}}",
        "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:000000000000:function:f','End':true}}}",
        "{'StartAt':'Par','States':{'Par':{'Type':'Parallel','Branches':[{'StartAt':'A','States':{'A':{'Type':'Pass','End':true}}}],'End':true}}}",
        "{'StartAt':'M','States':{'M':{'Type':'Map','ItemProcessor':{'StartAt':'I','States':{'I':{'Type':'Pass','End':true}}},'End':true}}}",
        "{'StartAt':'M','States':{'M':{'Type':'Map','Iterator':{'StartAt':'I','States':{'I':{'Type':'Succeed'}}},'End':true}}}",
        "{'StartAt':'W','States':{'W':{'Type':'Wait','TimestampPath':'$.t','End':true}}}",
        "{'QueryLanguage':'JSONata','StartAt':'W','States':{'W':{'Type':'Wait','Seconds':'{% $states.input.d %}','End':true}}}",
        "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke','Next':'S',"
                + "'Retry':[{'ErrorEquals':['States.ALL']}],'Catch':[{'ErrorEquals':['States.ALL'],'Next':'F'}]},"
                + "'S':{'Type':'Succeed'},'F':{'Type':'Fail'}}}"
    })
    void acceptsValidDefinitions(String definition) {
        assertDoesNotThrow(() -> definitions.validate(q(definition)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{not json|INVALID_JSON_DESCRIPTION: ",
        "{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}} trailing|INVALID_JSON_DESCRIPTION: ",
        "[1]|SCHEMA_VALIDATION_FAILED: The definition must be a JSON object at /",
        "{'States':{'P':{'Type':'Pass','End':true}}}|SCHEMA_VALIDATION_FAILED: These fields are required: [StartAt] at /",
        "{'StartAt':'P'}|SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /",
        "{'Comment':'none'}|SCHEMA_VALIDATION_FAILED: These fields are required: [StartAt, States] at /",
        "{'StartAt':'P','States':{}}|SCHEMA_VALIDATION_FAILED: The field 'States' must be a non-empty object at /States",
        "{'StartAt':'X','States':{'P':{'Type':'Pass','End':true}}}|MISSING_TRANSITION_TARGET: Missing 'Next' target: X at /StartAt",
        "{'StartAt':'P','States':{'P':{'Type':'Pass','Next':'Q'}}}|MISSING_TRANSITION_TARGET: Missing 'Next' target: Q at /States/P/Next",
        "{'StartAt':'P','States':{'P':{'End':true}}}|SCHEMA_VALIDATION_FAILED: These fields are required: [Type] at /States/P",
        "{'StartAt':'P','States':{'P':{'Type':'Sleep','End':true}}}|SCHEMA_VALIDATION_FAILED: Value is not a valid state type: Sleep at /States/P/Type",
        "{'StartAt':'P','States':{'P':{'Type':'Pass'}}}|SCHEMA_VALIDATION_FAILED: Exactly one of 'End' or 'Next' must be specified at /States/P",
        "{'StartAt':'P','States':{'P':{'Type':'Pass','Next':'P','End':true}}}|SCHEMA_VALIDATION_FAILED: Exactly one of 'End' or 'Next' must be specified at /States/P",
        "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'r','End':true,'Catch':[{'ErrorEquals':['States.ALL'],'Next':'Gone'}]}}}"
                + "|MISSING_TRANSITION_TARGET: Missing 'Next' target: Gone at /States/T/Catch[0]/Next",
        "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':'5','End':true}}}|SCHEMA_VALIDATION_FAILED: The value for the field 'Seconds' must be a NONNEGATIVE_INTEGER at /States/W/Seconds",
        "{'StartAt':'T','States':{'T':{'Type':'Task','End':true}}}|SCHEMA_VALIDATION_FAILED: These fields are required: [Resource] at /States/T",
        "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':1.5,'End':true}}}|SCHEMA_VALIDATION_FAILED: The value for the field 'Seconds' must be a NONNEGATIVE_INTEGER at /States/W/Seconds",
        "{'StartAt':'W','States':{'W':{'Type':'Wait','End':true}}}|SCHEMA_VALIDATION_FAILED: Exactly one of 'Seconds', 'Timestamp', 'SecondsPath' or 'TimestampPath' must be specified at /States/W",
        "{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':[{'Next':'Z'}]}}}|MISSING_TRANSITION_TARGET: Missing 'Next' target: Z at /States/C/Choices[0]/Next",
        "{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':[]}}}|SCHEMA_VALIDATION_FAILED: These fields are required: [Choices] at /States/C",
        "{'StartAt':'Par','States':{'Par':{'Type':'Parallel','Branches':[{'StartAt':'A','States':{'A':{'Type':'Pass'}}}],'End':true}}}"
                + "|SCHEMA_VALIDATION_FAILED: Exactly one of 'End' or 'Next' must be specified at /States/Par/Branches[0]/States/A",
        "{'StartAt':'M','States':{'M':{'Type':'Map','End':true}}}|SCHEMA_VALIDATION_FAILED: These fields are required: [ItemProcessor] at /States/M"
    })
    void rejectsWithTheFirstProblem(String definition, String problem) {
        AwsException e = assertThrows(AwsException.class, () -> definitions.validate(q(definition)));
        assertEquals("InvalidDefinition", e.code());
        assertEquals(400, e.status());
        String prefix = "Invalid State Machine Definition: '";
        assertTrue(e.getMessage().startsWith(prefix + problem), e.getMessage());
        assertTrue(e.getMessage().endsWith("'"), e.getMessage());
    }

    @Test
    void lengthLimitsAreTheModelsAndNameNoValue() {
        AwsException empty = assertThrows(AwsException.class, () -> definitions.validate(""));
        assertEquals("ValidationException", empty.code());
        assertEquals("1 validation error detected: Value at 'definition' failed to satisfy constraint: "
                + "Member must have length greater than or equal to 1", empty.getMessage());
        String huge = "{\"Comment\":\"" + "x".repeat(StepFunctionsDefinitions.MAX_LENGTH) + "\"}";
        AwsException tooLong = assertThrows(AwsException.class, () -> definitions.validate(huge));
        assertTrue(tooLong.getMessage().endsWith("Member must have length less than or equal to 1048576"), tooLong.getMessage());
    }

    @Test
    void nameRules() {
        assertDoesNotThrow(() -> StepFunctionsService.checkName("Machine-abc_1.x"));
        assertEquals("InvalidName", assertThrows(AwsException.class, () -> StepFunctionsService.checkName("a b")).code());
        assertEquals("InvalidName", assertThrows(AwsException.class, () -> StepFunctionsService.checkName("a:b")).code());
        assertEquals("InvalidName", assertThrows(AwsException.class, () -> StepFunctionsService.checkName("a\u0001")).code());
        AwsException tooLong = assertThrows(AwsException.class, () -> StepFunctionsService.checkName("x".repeat(81)));
        assertEquals("ValidationException", tooLong.code());
        assertTrue(tooLong.getMessage().contains("Member must have length less than or equal to 80"), tooLong.getMessage());
    }

    @Test
    void stateMachineArnRules() {
        assertDoesNotThrow(() -> StepFunctionsService.checkStateMachineArn("arn:aws:states:us-east-1:000000000000:stateMachine:m"));
        assertEquals("Invalid Arn: 'Invalid ARN prefix: m'",
                assertThrows(AwsException.class, () -> StepFunctionsService.checkStateMachineArn("m")).getMessage());
        assertEquals("Invalid Arn: 'Resource type not valid in this context: activity'", assertThrows(AwsException.class,
                () -> StepFunctionsService.checkStateMachineArn("arn:aws:states:us-east-1:000000000000:activity:a")).getMessage());
        assertEquals("InvalidArn", assertThrows(AwsException.class,
                () -> StepFunctionsService.checkStateMachineArn("arn:aws:lambda:us-east-1:000000000000:function:f")).code());
        assertEquals("InvalidArn", assertThrows(AwsException.class,
                () -> StepFunctionsService.checkStateMachineArn("arn:aws:states:us-east-1:000000000000:stateMachine:")).code());
    }
}
