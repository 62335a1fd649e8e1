package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link HotswapPlan}: its records reject bad arguments. */
class HotswapPlanTest {

    @Test
    void aSwapNeedsActionsAndARejectACode() {
        assertThrows(IllegalArgumentException.class, () -> new HotswapPlan.Swap("A", "T", List.of(), List.of()));
        assertThrows(NullPointerException.class, () -> new HotswapPlan.Reject("A", "T", "P", null, "why"));
        assertThrows(IllegalArgumentException.class, () -> new HotswapPlan.Reject("A", "T", "P", RejectReason.UNRESOLVABLE, " "));
    }
}
