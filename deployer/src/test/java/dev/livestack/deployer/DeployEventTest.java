package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link DeployEvent}: its records reject bad arguments and name their JSON type. */
class DeployEventTest {

    @Test
    void aSkippedSwapNeedsACodeAndAReason() {
        assertThrows(IllegalArgumentException.class, () -> new DeployEvent.HotswapSkipped("s", "A", "T", "P", RejectReason.STACK_PROTECTED, " "));
        assertThrows(NullPointerException.class, () -> new DeployEvent.HotswapSkipped("s", "A", "T", "P", null, "why"));
        assertEquals("hotswap.skipped",
                new DeployEvent.HotswapSkipped("s", "A", "T", "P", RejectReason.UNCHANGED, "unchanged").type());
    }

    @Test
    void types() {
        assertEquals("hotswap.applied", new DeployEvent.HotswapApplied("s", "A", "T", "f", List.of(), "", Duration.ZERO).type());
    }
}
