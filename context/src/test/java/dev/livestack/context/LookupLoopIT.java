package dev.livestack.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.synth.CloudAssembly;
import dev.livestack.synth.MissingContext;
import dev.livestack.synth.SynthEvent;
import dev.livestack.synth.SynthException;
import dev.livestack.synth.Synthesizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop around a synthesizer, with a stand-in app (reads cdk.context.json and reports what it still misses) and
 * real lookups against local-cloud.
 */
class LookupLoopIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String AZ = "availability-zones:account=000000000000:region=eu-west-1";
    @TempDir
    static Path state;
    static LocalCloudTarget local;
    @TempDir
    Path app;

    @BeforeAll
    static void start() throws Exception {
        local = new LocalCloudTarget(state);
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    static MissingContext az() {
        ObjectNode p = JSON.createObjectNode().put("account", "000000000000").put("region", "eu-west-1");
        return new MissingContext(AZ, "availability-zones", p);
    }

    /** An app that misses the zones until cdk.context.json has them, counting its synths. */
    final class ZonesApp implements Synthesizer {
        final AtomicInteger synths = new AtomicInteger();
        boolean failWithErrors;

        @Override
        public CloudAssembly synth() throws SynthException {
            synths.incrementAndGet();
            boolean has;
            try {
                Path f = app.resolve("cdk.context.json");
                has = Files.exists(f) && JSON.readTree(f.toFile()).has(AZ);
            } catch (java.io.IOException e) {
                throw new SynthException(e.getMessage(), List.of());
            }
            List<MissingContext> missing = has ? List.of() : List.of(az());
            if (failWithErrors && !has) {
                throw new SynthException("the app reported errors during synthesis", List.of("/App/Net: dummy zones"), null, missing);
            }
            return new CloudAssembly(app, List.of(), missing);
        }
    }

    @Test
    void looksUpSavesAndSynthesisesAgainUntilNothingIsMissing() throws Exception {
        ZonesApp inner = new ZonesApp();
        try (Synthesizer s = ContextLookups.withLookups(inner, app, local::target)) {
            assertEquals(List.of(), s.synth().missing());
            assertEquals(2, inner.synths.get());
            s.synth();
            assertEquals(3, inner.synths.get(), "nothing missing: one synth, no lookup");
        }
        JsonNode f = JSON.readTree(app.resolve("cdk.context.json").toFile());
        assertEquals("[\"eu-west-1a\",\"eu-west-1b\",\"eu-west-1c\"]", f.get(AZ).toString());
    }

    @Test
    void errorsOfAnAssemblyThatMissesContextWaitForTheLookups() throws Exception {
        ZonesApp inner = new ZonesApp();
        inner.failWithErrors = true;
        try (Synthesizer s = ContextLookups.withLookups(inner, app, local::target)) {
            assertEquals(List.of(), s.synth().missing());
            assertEquals(2, inner.synths.get());
        }
    }

    @Test
    void anAppThatKeepsMissingTheSameKeysFails() throws Exception {
        AtomicInteger synths = new AtomicInteger();
        Synthesizer stubborn = () -> {
            synths.incrementAndGet();
            return new CloudAssembly(app, List.of(), List.of(az()));
        };
        try (Synthesizer s = ContextLookups.withLookups(stubborn, app, local::target)) {
            SynthException e = assertThrows(SynthException.class, s::synth);
            assertEquals("the app still misses context after it was looked up: " + AZ, e.getMessage());
            assertEquals(2, synths.get());
        }
    }

    @Test
    void aRoundWhereEveryLookupFailsStopsAtOnce() throws Exception {
        AtomicInteger synths = new AtomicInteger();
        ObjectNode p = JSON.createObjectNode().put("account", "000000000000").put("region", "eu-west-1").put("aliasName", "alias/none");
        String key = "key-provider:account=000000000000:aliasName=alias/none:region=eu-west-1";
        Synthesizer app1 = () -> {
            synths.incrementAndGet();
            return new CloudAssembly(app, List.of(), List.of(new MissingContext(key, "key-provider", p)));
        };
        List<SynthEvent> events = new java.util.ArrayList<>();
        try (Synthesizer s = ContextLookups.withLookups(app1, app, local::target, events::add)) {
            ContextLookupException e = assertThrows(ContextLookupException.class, s::synth);
            // the watch loop reports a failed synth from this event
            assertEquals(List.of(new SynthEvent.SynthFailed(e.getMessage(), List.of())), events);
            assertEquals("key-provider", e.provider());
            assertEquals(key, e.key());
            assertTrue(e.getMessage().endsWith(": Could not find any key with alias named alias/none"), e.getMessage());
            assertEquals(1, synths.get());
        }
        assertEquals(false, Files.exists(app.resolve("cdk.context.json")));
    }
}
