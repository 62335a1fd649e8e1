package dev.livestack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestack.deployer.DeployEvent;
import dev.livestack.logtail.TailEvent;
import dev.livestack.synth.SynthEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every JSON Lines event type that can reach {@code --output json} — the cli's own, the deployer's, the synth's,
 * log-tail's — is listed in docs/commands.md, and nothing else is. The types are read from the sealed event
 * interfaces themselves, so a new record (or a renamed type) fails here until the docs say it.
 */
class EventTypesTest {
    private static final List<Class<?>> EVENT_INTERFACES =
            List.of(CliEvent.class, DeployEvent.class, SynthEvent.class, TailEvent.class);

    /** type → the record that has it. */
    static Map<String, Class<?>> existingTypes() {
        Map<String, Class<?>> types = new TreeMap<>();
        for (Class<?> sealed : EVENT_INTERFACES) {
            assertTrue(sealed.isSealed(), sealed + " is sealed, so its records can be listed");
            for (Class<?> c : sealed.getPermittedSubclasses()) {
                assertTrue(c.isRecord(), c + " is a record");
                String type = typeOf(c);
                Class<?> before = types.put(type, c);
                assertEquals(null, before, "two events share the type " + type + ": " + before + " and " + c);
            }
        }
        return types;
    }

    /** The types docs/commands.md lists: the first cell of each row of the table under "## JSON events". */
    static Set<String> documentedTypes() throws IOException {
        Path doc = Path.of(System.getProperty("user.dir")).getParent().resolve("docs/commands.md");
        String md = Files.readString(doc);
        int start = md.indexOf("\n## JSON events");
        assertTrue(start >= 0, "docs/commands.md has a '## JSON events' section");
        int end = md.indexOf("\n## ", start + 1);
        String section = md.substring(start, end < 0 ? md.length() : end);
        Set<String> types = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `([a-z][a-z.-]*)` \\|").matcher(section);
        while (m.find()) {
            assertTrue(types.add(m.group(1)), "listed once: " + m.group(1));
        }
        return types;
    }

    @Test
    void docsListExactlyTheEventTypesThatExist() throws IOException {
        Set<String> existing = existingTypes().keySet();
        Set<String> documented = documentedTypes();
        Set<String> undocumented = new TreeSet<>(existing);
        undocumented.removeAll(documented);
        Set<String> gone = new TreeSet<>(documented);
        gone.removeAll(existing);
        assertTrue(undocumented.isEmpty() && gone.isEmpty(),
                "docs/commands.md '## JSON events': add " + undocumented + ", remove " + gone);
        assertFalse(existing.isEmpty());
    }

    @Test
    void everyEventPrintsAsOneJsonLineWithTsTypeAndItsFields() {
        for (Map.Entry<String, Class<?>> e : existingTypes().entrySet()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Output out = new Output(new Io(Map.of(), Path.of("."), new ByteArrayInputStream(new byte[0]),
                    new PrintStream(bytes, true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false), true);
            Object event = sample(e.getValue());
            Render render = new Render(out);
            if (event instanceof CliEvent c) {
                out.event(c, "text");
            } else if (event instanceof DeployEvent d) {
                render.deploy(d);
            } else if (event instanceof SynthEvent s) {
                render.synth(s);
            } else if (event instanceof TailEvent t) {
                render.tail(t);
            }
            List<JsonNode> lines = Cli.parse(bytes.toString(StandardCharsets.UTF_8));
            assertEquals(1, lines.size(), e.getKey() + ": " + bytes);
            JsonNode n = lines.get(0);
            assertEquals(e.getKey(), n.path("type").asText());
            assertTrue(n.path("ts").asText().endsWith("Z"), n::toString);
            for (RecordComponent rc : e.getValue().getRecordComponents()) {
                assertTrue(n.has(rc.getName()), e.getKey() + " carries " + rc.getName() + ": " + n);
            }
        }
    }

    private static String typeOf(Class<?> record) {
        try {
            return (String) record.getMethod("type").invoke(sample(record));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(record + ": " + e, e);
        }
    }

    /** An instance with plain, valid values: enough to ask it its type. */
    static Object sample(Class<?> record) {
        RecordComponent[] rcs = record.getRecordComponents();
        Class<?>[] types = new Class<?>[rcs.length];
        Object[] args = new Object[rcs.length];
        for (int i = 0; i < rcs.length; i++) {
            types[i] = rcs[i].getType();
            args[i] = value(types[i]);
        }
        try {
            Constructor<?> c = record.getDeclaredConstructor(types);
            c.setAccessible(true);
            return c.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot build a sample " + record + ": " + e.getCause(), e);
        }
    }

    private static Object value(Class<?> t) {
        if (t == String.class || t == Object.class) {
            return "x";
        }
        if (t == int.class || t == Integer.class) {
            return 1;
        }
        if (t == long.class || t == Long.class) {
            return 1L;
        }
        if (t == boolean.class || t == Boolean.class) {
            return false;
        }
        if (t == Duration.class) {
            return Duration.ofMillis(1);
        }
        if (t == Instant.class) {
            return Instant.EPOCH;
        }
        if (t == List.class) {
            return new ArrayList<>();
        }
        if (t == Map.class) {
            return Map.of();
        }
        if (t == Set.class) {
            return Set.of();
        }
        if (t == Path.class) {
            return Path.of("x");
        }
        if (JsonNode.class.isAssignableFrom(t)) {
            return Output.JSON.createObjectNode();
        }
        if (t.isEnum()) {
            return t.getEnumConstants()[0];
        }
        if (t.isRecord()) {
            return sample(t);
        }
        throw new AssertionError("no sample value for " + t + ": teach EventTypesTest.value");
    }
}
