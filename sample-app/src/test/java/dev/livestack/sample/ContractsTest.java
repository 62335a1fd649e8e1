package dev.livestack.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ContractsTest {
    @Test
    void outputNamesAreThePascalCaseOfTheVariable() {
        assertEquals("OrdersQueueUrl", Contracts.outputName(OrdersQueue.VARIABLE));
        assertEquals("OrdersDlqUrl", Contracts.outputName(OrdersDeadLetterQueue.VARIABLE));
        assertEquals("OrdersTableName", Contracts.outputName(OrdersTable.VARIABLE));
        assertEquals("OrderSchema", Contracts.outputName(OrderSchema.VARIABLE));
        assertEquals("Api2Url", Contracts.outputName("API2_URL"));
    }

    @Test
    void variablesMustBeUpperSnakeCase() {
        for (String bad : new String[] {null, "", "ordersQueueUrl", "ORDERS__URL", "_ORDERS", "ORDERS-URL", "2ND_URL"}) {
            assertThrows(IllegalArgumentException.class, () -> Contracts.outputName(bad), String.valueOf(bad));
        }
    }

    @Test
    void theLegacySynthesizerSwitchReadsStringsAndBooleans() {
        assertEquals(true, SampleApp.legacySynthesizer("true"));
        assertEquals(true, SampleApp.legacySynthesizer(Boolean.TRUE));
        assertEquals(false, SampleApp.legacySynthesizer("false"));
        assertEquals(false, SampleApp.legacySynthesizer(Boolean.FALSE));
        assertEquals(false, SampleApp.legacySynthesizer(null));
    }
}
