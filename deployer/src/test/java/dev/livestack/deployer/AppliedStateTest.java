package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link AppliedState}: the template that runs after a partial hot-swap. */
class AppliedStateTest {

    @Test
    void mergeTakesOnlyAppliedResources() {
        ObjectNode o = TestTemplates.obj("{'Resources':{'A':{'Type':'X','Properties':{'v':1}},'B':{'Type':'X','Properties':{'v':1}},'C':{'Type':'X'}}}");
        ObjectNode n = TestTemplates.obj("{'Resources':{'A':{'Type':'X','Properties':{'v':2}},'B':{'Type':'X','Properties':{'v':2}}},'Outputs':{'O':{'Value':'1'}}}");
        TemplateDiff d = TemplateDiff.between(o, n);
        ObjectNode m = AppliedState.merge(o, n, Set.of("A", "C"), java.util.Map.of(), d);
        assertEquals(TestTemplates.obj("{'Resources':{'A':{'Type':'X','Properties':{'v':2}},'B':{'Type':'X','Properties':{'v':1}}}}"), m);
    }
}
