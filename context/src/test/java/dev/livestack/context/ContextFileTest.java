package dev.livestack.context;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cdk.context.json as the CDK CLI writes it: JSON.stringify(…, null, 2) plus a newline, other keys kept. */
class ContextFileTest {
    @TempDir
    Path app;

    @Test
    void mergesIntoTheFileKeepingItsKeysAndWritesJavaScriptsLayout() throws Exception {
        Files.writeString(app.resolve("cdk.context.json"), "{\"acknowledged-issue-numbers\":[19836],\"mine\":{\"a\":1}}");
        Map<String, JsonNode> values = new LinkedHashMap<>();
        values.put("availability-zones:account=1:region=r", ContextFile.JSON.readTree("[\"ra\",\"rb\"]"));
        values.put("vpc", ContextFile.JSON.readTree("{\"vpcId\":\"vpc-1\",\"availabilityZones\":[],\"subnetGroups\":[{\"name\":\"Public\",\"subnets\":[]}]}"));
        values.put("mine", ContextFile.JSON.readTree("\"replaced\""));
        ContextFile.merge(app, values);
        assertEquals("""
                {
                  "acknowledged-issue-numbers": [
                    19836
                  ],
                  "mine": "replaced",
                  "availability-zones:account=1:region=r": [
                    "ra",
                    "rb"
                  ],
                  "vpc": {
                    "vpcId": "vpc-1",
                    "availabilityZones": [],
                    "subnetGroups": [
                      {
                        "name": "Public",
                        "subnets": []
                      }
                    ]
                  }
                }
                """, Files.readString(app.resolve("cdk.context.json")));
    }

    @Test
    void nothingFoundLeavesTheFileAlone() throws Exception {
        ContextFile.merge(app, Map.of());
        assertEquals(false, Files.exists(app.resolve("cdk.context.json")));
    }
}
