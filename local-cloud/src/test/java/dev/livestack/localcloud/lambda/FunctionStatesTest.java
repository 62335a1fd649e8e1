package dev.livestack.localcloud.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.Http;
import org.junit.jupiter.api.Test;

/** The State / LastUpdateStatus fields and which calls they refuse. */
class FunctionStatesTest {
    private static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:f";

    @Test
    void pendingRefusesInvokeAndChangesUntilActive() {
        ObjectNode c = Http.JSON.createObjectNode();
        FunctionStates.pending(c);
        assertEquals("Pending", c.get("State").asText());
        assertEquals("Creating", c.get("StateReasonCode").asText());
        AwsException e = assertThrows(AwsException.class, () -> FunctionStates.checkNotPending(c));
        assertEquals("ResourceConflictException", e.code());
        assertThrows(AwsException.class, () -> FunctionStates.checkUpdatable(c, ARN));
        FunctionStates.activate(c);
        assertEquals("Active", c.get("State").asText());
        assertEquals("Successful", c.get("LastUpdateStatus").asText());
        assertFalse(c.has("StateReason"));
        FunctionStates.checkNotPending(c);
        FunctionStates.checkUpdatable(c, ARN);
    }

    @Test
    void anUpdateInProgressRefusesTheNextChangeNamingTheFunction() {
        ObjectNode c = Http.JSON.createObjectNode();
        FunctionStates.activate(c);
        FunctionStates.updating(c);
        assertEquals("InProgress", c.get("LastUpdateStatus").asText());
        FunctionStates.checkNotPending(c);
        AwsException e = assertThrows(AwsException.class, () -> FunctionStates.checkUpdatable(c, ARN));
        assertEquals("ResourceConflictException", e.code());
        assertEquals("The operation cannot be performed at this time. An update is in progress for resource: " + ARN, e.getMessage());
        FunctionStates.activate(c);
        assertFalse(c.has("LastUpdateStatusReason"));
        FunctionStates.checkUpdatable(c, ARN);
    }

    @Test
    void aNegativeDelayIsRejected() {
        try (FunctionStates states = new FunctionStates()) {
            assertThrows(IllegalArgumentException.class, () -> states.delayMillis(-1));
            states.delayMillis(0);
            assertEquals(0, states.delayMillis());
        }
    }
}
