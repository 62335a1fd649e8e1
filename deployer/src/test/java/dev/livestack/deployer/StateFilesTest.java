package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StateFiles}: the last applied template on disk. */
class StateFilesTest {

    @Test
    void stateFilesRoundTripAtomically(@TempDir Path dir) throws Exception {
        StateFiles s = new StateFiles(dir);
        assertTrue(s.template("app").isEmpty());
        ObjectNode t = TestTemplates.obj("{'Resources':{'A':{'Type':'AWS::SNS::Topic'}}}");
        s.writeTemplate("app", t);
        assertEquals(t, s.template("app").orElseThrow());
        assertEquals(List.of("app.template.json"), Files.list(dir.resolve("state")).map(p -> p.getFileName().toString()).toList());
        Files.writeString(s.templateFile("app"), "{broken");
        assertTrue(s.template("app").isEmpty(), "a damaged file is ignored, not fatal");
        s.deleteTemplate("app");
        assertFalse(Files.exists(s.templateFile("app")));
    }
}
