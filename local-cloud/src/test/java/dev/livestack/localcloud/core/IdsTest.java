package dev.livestack.localcloud.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Generated physical names look like CloudFormation's and fit each type's length limit. */
class IdsTest {
    @Test
    void shortNamesKeepStackAndLogicalId() {
        String name = Ids.generatedName("orders", "Queue", 80);
        assertTrue(name.matches("orders-Queue-[A-Z0-9]{13}"), name);
        assertNotEquals(name, Ids.generatedName("orders", "Queue", 80), "each name is unique");
    }

    @Test
    void longNamesAreShortenedToTheLimit() {
        String stack = "a-very-long-stack-name-that-goes-on-and-on";
        String logical = "AnEvenLongerLogicalIdForTheExecutionRoleOfTheFunction";
        String name = Ids.generatedName(stack, logical, 64);
        assertEquals(64, name.length(), name);
        assertTrue(name.startsWith("a-very-long-stack-name-t-AnEven"), name);
        assertTrue(name.matches("[a-z-]+-AnEven[A-Za-z]+-[A-Z0-9]{13}"), name);
        String lopsided = Ids.generatedName("s", logical + logical, 64);
        assertEquals(64, lopsided.length(), lopsided);
        assertTrue(lopsided.startsWith("s-AnEven"), lopsided);
    }

    @Test
    void randomPartsHaveTheirAlphabets() {
        assertTrue(Ids.upper(20).matches("[A-Z0-9]{20}"));
        assertTrue(Ids.lower(10).matches("[a-z0-9]{10}"));
        assertTrue(Ids.hex(16).matches("[0-9a-f]{32}"));
    }
}
