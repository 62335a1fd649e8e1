package dev.livestack.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CDK_CONTEXT_JSON as the CDK CLI (2.1148) builds it: its settings' keys win over the project's context. */
class CdkProjectTest {
    @TempDir
    Path app;

    private JsonNode context(String cdkJson) throws Exception {
        Files.writeString(app.resolve("cdk.json"), cdkJson);
        return Templates.JSON.readTree(CdkProject.read(app).contextJson());
    }

    @Test
    void theCliDefaultsAreAdded() throws Exception {
        JsonNode c = context("{\"app\": \"x\"}");
        assertTrue(c.path("aws:cdk:enable-path-metadata").asBoolean());
        assertTrue(c.path("aws:cdk:enable-asset-metadata").asBoolean());
        assertTrue(c.path("aws:cdk:version-reporting").asBoolean());
        assertEquals("[\"**\"]", c.path("aws:cdk:bundling-stacks").toString());
        // the CLI reports validation findings instead of failing the synth on them
        assertTrue(c.path("@aws-cdk/core:failSynthOnValidationErrors").isBoolean());
        assertFalse(c.path("@aws-cdk/core:failSynthOnValidationErrors").asBoolean());
        assertFalse(c.has("aws:cdk:disable-version-reporting"));
        assertFalse(c.has("aws:cdk:disable-asset-staging"));
    }

    @Test
    void theCliSettingsWinOverTheSameKeysInTheContext() throws Exception {
        JsonNode c = context("{\"app\": \"x\", \"context\": {\"aws:cdk:bundling-stacks\": [\"A\"],"
                + " \"@aws-cdk/core:failSynthOnValidationErrors\": true, \"aws:cdk:version-reporting\": false}}");
        assertEquals("[\"**\"]", c.path("aws:cdk:bundling-stacks").toString());
        assertFalse(c.path("@aws-cdk/core:failSynthOnValidationErrors").asBoolean());
        assertTrue(c.path("aws:cdk:version-reporting").asBoolean());
    }

    @Test
    void cdkJsonSettingsTurnTheDefaultsOff() throws Exception {
        JsonNode c = context("{\"app\": \"x\", \"pathMetadata\": false, \"assetMetadata\": false,"
                + " \"versionReporting\": false, \"staging\": false, \"bundlingStacks\": [\"Api*\"]}");
        assertFalse(c.has("aws:cdk:enable-path-metadata"));
        assertFalse(c.has("aws:cdk:enable-asset-metadata"));
        assertFalse(c.has("aws:cdk:version-reporting"));
        assertTrue(c.path("aws:cdk:disable-version-reporting").asBoolean());
        assertTrue(c.path("aws:cdk:disable-asset-staging").asBoolean());
        assertEquals("[\"Api*\"]", c.path("aws:cdk:bundling-stacks").toString());
    }

    @Test
    void objectValuesAreMergedDeeplyLaterFilesWinning() throws Exception {
        Files.writeString(app.resolve("cdk.context.json"), "{\"cfg\": {\"a\": 1, \"b\": 1}, \"x\": \"file\"}");
        JsonNode c = context("{\"app\": \"x\", \"context\": {\"cfg\": {\"b\": 2, \"c\": 2}}}");
        assertEquals("{\"a\":1,\"b\":2,\"c\":2}", c.path("cfg").toString());
        assertEquals("file", c.path("x").asText());
    }
}
