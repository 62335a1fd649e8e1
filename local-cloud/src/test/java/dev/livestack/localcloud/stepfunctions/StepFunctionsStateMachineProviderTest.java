package dev.livestack.localcloud.stepfunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.ports.ResourceProvider;
import org.junit.jupiter.api.Test;

class StepFunctionsStateMachineProviderTest {
    private static ObjectNode props(String json) throws Exception {
        return (ObjectNode) Http.JSON.readTree(json.replace('\'', '"'));
    }

    @Test
    void definitionStringIsTakenAsItIs() throws Exception {
        assertEquals("{\"StartAt\":\"P\"}", StepFunctionsStateMachineProvider.definition(props("{'DefinitionString':'{\\'StartAt\\':\\'P\\'}'}")));
    }

    @Test
    void definitionObjectIsSerialisedAndSubstituted() throws Exception {
        String d = StepFunctionsStateMachineProvider.definition(props(
                "{'Definition':{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'${Fn}','End':true}}},"
                        + "'DefinitionSubstitutions':{'Fn':'arn:aws:lambda:us-east-1:000000000000:function:f','Unused':'x'}}"));
        assertEquals("{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\","
                + "\"Resource\":\"arn:aws:lambda:us-east-1:000000000000:function:f\",\"End\":true}}}", d);
    }

    @Test
    void substitutionsApplyToEveryOccurrenceInADefinitionString() throws Exception {
        String d = StepFunctionsStateMachineProvider.definition(props(
                "{'DefinitionString':'${a}-${a}-${b}','DefinitionSubstitutions':{'a':'1','b':2}}"));
        assertEquals("1-1-2", d);
    }

    @Test
    void aMissingOrS3DefinitionFailsTheResource() throws Exception {
        ResourceProvider.ResourceFailure none = assertThrows(ResourceProvider.ResourceFailure.class,
                () -> StepFunctionsStateMachineProvider.definition(props("{'RoleArn':'r'}")));
        assertTrue(none.getMessage().contains("Either Definition, DefinitionString or DefinitionS3Location must be specified"),
                none.getMessage());
        ResourceProvider.ResourceFailure s3 = assertThrows(ResourceProvider.ResourceFailure.class,
                () -> StepFunctionsStateMachineProvider.definition(props("{'DefinitionS3Location':{'Bucket':'b','Key':'k'}}")));
        assertTrue(s3.getMessage().contains("DefinitionS3Location"), s3.getMessage());
        assertThrows(ResourceProvider.ResourceFailure.class,
                () -> StepFunctionsStateMachineProvider.definition(props("{'DefinitionString':'{}','Definition':{}}")));
    }

    @Test
    void cloudFormationPropertiesTakeTheApiSpelling() throws Exception {
        JsonNode api = StepFunctionsStateMachineProvider.apiShape(props("{'Level':'ALL','IncludeExecutionData':true,"
                + "'Destinations':[{'CloudWatchLogsLogGroup':{'LogGroupArn':'arn:aws:logs:us-east-1:0:log-group:g:*'}}]}"));
        assertEquals("{\"level\":\"ALL\",\"includeExecutionData\":true,"
                + "\"destinations\":[{\"cloudWatchLogsLogGroup\":{\"logGroupArn\":\"arn:aws:logs:us-east-1:0:log-group:g:*\"}}]}",
                api.toString());
    }
}
