package dev.livestack.localcloud.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class PlaceholderMatchTest {
    static JsonNode json(String text) throws Exception {
        return BotoShape.JSON.readTree(text);
    }

    @Test
    void aNumberedPlaceholderMeansTheSameTextEverywhere() throws Exception {
        PlaceholderMatch m = new PlaceholderMatch();
        assertTrue(m.match("a", json("{\"StackName\": \"<stack-name:1>\"}"), json("{\"StackName\": \"s-1\"}")));
        assertTrue(m.match("b", json("{\"StackId\": \"arn:<partition>:cloudformation:<region>:111111111111:stack/<stack-name:1>/<resource:1>\"}"),
                json("{\"StackId\": \"arn:aws:cloudformation:us-east-1:000000000000:stack/s-1/abc\"}")));
        assertFalse(m.match("c", json("\"<stack-name:1>\""), json("\"s-2\"")), "bound to s-1 already");
    }

    @Test
    void twoPlaceholdersOfOneNameAreTwoValues() throws Exception {
        PlaceholderMatch m = new PlaceholderMatch();
        assertTrue(m.match("a", json("\"<resource:1>\""), json("\"x\"")));
        assertFalse(m.match("b", json("\"<resource:2>\""), json("\"x\"")), "AWS gave two different ids");
        assertTrue(m.match("c", json("\"<resource:2>\""), json("\"y\"")));
    }

    @Test
    void keysMustBeTheSameSetAndListsTheSameLength() throws Exception {
        PlaceholderMatch m = new PlaceholderMatch();
        assertFalse(m.match("a", json("{\"A\": 1}"), json("{\"A\": 1, \"B\": 2}")));
        assertFalse(m.match("b", json("{\"A\": 1, \"B\": 2}"), json("{\"A\": 1}")));
        assertFalse(m.match("c", json("[1, 2]"), json("[1]")));
        assertFalse(m.match("d", json("{\"Code\": \"ValidationError\"}"), json("{\"Code\": \"ChangeSetNotFound\"}")));
        assertEquals(4, m.differences().size());
    }

    @Test
    void datesGeneratedNamesAndJsonTextAreWhatTheRecordingTransformed() throws Exception {
        PlaceholderMatch m = new PlaceholderMatch();
        assertTrue(m.match("a", json("\"datetime\""), json("\"2026-12-06T01:02:03.456Z\"")));
        assertFalse(m.match("b", json("\"datetime\""), json("\"yesterday\"")));
        assertTrue(m.match("c", json("\"CFN-A-xvqPt7CmcHKX\""), json("\"CFN-A-Ab12Cd34Ef56\"")));
        assertFalse(m.match("d", json("\"CFN-A-xvqPt7CmcHKX\""), json("\"CFN-B-Ab12Cd34Ef56\"")));
        assertTrue(m.match("e", json("{\"SensitiveData\": \"x\"}"), json("\"{\\\"SensitiveData\\\": \\\"x\\\"}\"")));
        assertTrue(m.match("f", json("\"topic-CREATE_COMPLETE-date\""), json("\"topic-CREATE_COMPLETE-2026-12-06T01:02:03.456Z\"")));
    }
}
