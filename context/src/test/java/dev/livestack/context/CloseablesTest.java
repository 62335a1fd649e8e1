package dev.livestack.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloseablesTest {
    @Test
    void aFailingCloseDoesNotKeepTheOthersOpen() {
        List<String> closed = new ArrayList<>();
        List<AutoCloseable> built = new ArrayList<>(List.of(() -> closed.add("a"), () -> {
            throw new IllegalStateException("cannot close");
        }, () -> closed.add("c")));
        Closeables.closeAll(built);
        assertEquals(List.of("a", "c"), closed);
        assertTrue(built.isEmpty());
    }
}
