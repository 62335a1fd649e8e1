package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.synth.StackTemplate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link StackOrder}: dependencies first, cycles refused. */
class StackOrderTest {

    @Test
    void stacksAreOrderedDependenciesFirst() {
        ObjectNode t = TestTemplates.obj("{'Resources':{}}");
        List<StackTemplate> in = List.of(new StackTemplate("api", t, List.of("data", "net")),
                new StackTemplate("data", t, List.of("net")), new StackTemplate("net", t, List.of()));
        assertEquals(List.of("net", "data", "api"), StackOrder.order(in).stream().map(StackTemplate::stackName).toList());
        List<StackTemplate> cycle = List.of(new StackTemplate("a", t, List.of("b")), new StackTemplate("b", t, List.of("a")));
        assertThrows(IllegalArgumentException.class, () -> StackOrder.order(cycle));
    }
}
