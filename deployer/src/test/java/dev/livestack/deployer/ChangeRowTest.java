package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@link ChangeRow}: its compact constructor rejects bad arguments. */
class ChangeRowTest {

    @Test
    void rejectsABlankAction() {
        assertThrows(IllegalArgumentException.class, () -> new ChangeRow("", "A", "T", "False"));
    }
}
