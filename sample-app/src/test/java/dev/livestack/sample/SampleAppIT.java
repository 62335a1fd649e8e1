package dev.livestack.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.inlinepackager.FunctionSource;
import dev.livestack.inlinepackager.FunctionSources;
import dev.livestack.inlinepackager.InlineFunction;
import dev.livestack.inlinepackager.InlinePackager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/**
 * Synthesises the sample app in-process (jsii starts node once per JVM: seconds) and checks its contract on the
 * template: what a function is connected to gives it a variable and a grant, every variable has an output, and
 * every function is stamped with an existing source folder.
 */
class SampleAppIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path APP_DIR = Path.of("").toAbsolutePath();
    private static ObjectNode template;

    @TempDir
    Path tmp;

    @BeforeAll
    static void synthesiseOnce() throws IOException {
        assertTrue(Files.isRegularFile(APP_DIR.resolve("cdk.json")), "tests run in the sample-app folder");
        template = synth(APP_DIR, Map.of(), Files.createTempDirectory("sample-out"));
    }

    @AfterEach
    void clearAppDir() {
        System.clearProperty(InlineFunction.APP_DIR_PROPERTY);
    }

    @Test
    void everyConnectedResourceGivesItsVariableAndItsGrant() {
        Map<String, Map<String, JsonNode>> env = environments();
        assertEquals(Set.of("Ingest", "Worker", "Reaper"), env.keySet());
        assertEquals(Set.of("ORDER_SCHEMA", "ORDERS_QUEUE_URL"), env.get("Ingest").keySet());
        assertEquals(Set.of("ORDER_SCHEMA", "ORDERS_QUEUE_URL", "ORDERS_TABLE_NAME"), env.get("Worker").keySet());
        assertEquals(Set.of("ORDERS_DLQ_URL", "ORDERS_QUEUE_URL"), env.get("Reaper").keySet());

        String queue = resourceId("AWS::SQS::Queue", "OrdersQueue");
        String deadLetters = resourceId("AWS::SQS::Queue", "OrdersDlq");
        String table = resourceId("AWS::DynamoDB::Table", "OrdersTable");
        assertEquals(ref(queue), env.get("Ingest").get("ORDERS_QUEUE_URL"));
        assertEquals(ref(table), env.get("Worker").get("ORDERS_TABLE_NAME"));
        assertEquals(ref(deadLetters), env.get("Reaper").get("ORDERS_DLQ_URL"));

        // The general rule, for every variable that points at a resource: the function may act on it.
        env.forEach((function, variables) -> variables.forEach((variable, value) -> {
            String target = referencedResource(value);
            if (target != null) {
                assertFalse(actionsOn(function, target).isEmpty(),
                        function + " gets " + variable + " but no grant on " + target);
            }
        }));
        // And each grant is the one the connection means.
        assertTrue(actionsOn("Ingest", queue).contains("sqs:SendMessage"));
        assertTrue(actionsOn("Worker", queue).containsAll(List.of("sqs:ReceiveMessage", "sqs:DeleteMessage")));
        assertTrue(actionsOn("Worker", table).contains("dynamodb:PutItem"));
        assertTrue(actionsOn("Reaper", deadLetters).containsAll(List.of("sqs:ReceiveMessage", "sqs:DeleteMessage")));
        assertTrue(actionsOn("Reaper", queue).contains("sqs:SendMessage"));
        assertFalse(actionsOn("Ingest", queue).contains("sqs:ReceiveMessage"), "a producer does not consume");
    }

    @Test
    void everyVariableHasAnOutputWithTheSameValue() {
        JsonNode outputs = template.path("Outputs");
        Set<String> variables = new HashSet<>();
        environments().values().forEach(vars -> vars.forEach((variable, value) -> {
            variables.add(variable);
            JsonNode output = outputs.path(Contracts.outputName(variable));
            assertFalse(output.isMissingNode(), "no output for " + variable);
            assertEquals(value, output.path("Value"), variable);
            assertTrue(output.path("Description").asText().startsWith(variable + ": "));
        }));
        List<String> names = new ArrayList<>();
        outputs.fieldNames().forEachRemaining(names::add);
        assertEquals(variables.stream().map(Contracts::outputName).sorted().toList(), names.stream().sorted().toList(),
                "every output belongs to a variable");
    }

    @Test
    void theWiringBehindTheVariables() {
        String queue = resourceId("AWS::SQS::Queue", "OrdersQueue");
        String deadLetters = resourceId("AWS::SQS::Queue", "OrdersDlq");
        JsonNode redrive = template.at("/Resources/" + queue + "/Properties/RedrivePolicy");
        assertEquals(JSON.valueToTree(Map.of("Fn::GetAtt", List.of(deadLetters, "Arn"))), redrive.path("deadLetterTargetArn"));
        assertEquals(OrdersQueue.MAX_RECEIVES, redrive.path("maxReceiveCount").asInt());

        JsonNode mapping = template.path("Resources").path(resourceId("AWS::Lambda::EventSourceMapping", "Worker"));
        assertEquals(JSON.valueToTree(Map.of("Fn::GetAtt", List.of(queue, "Arn"))), mapping.at("/Properties/EventSourceArn"));
        assertEquals(ref(functionId("Worker")), mapping.at("/Properties/FunctionName"));
        assertEquals("ReportBatchItemFailures", mapping.at("/Properties/FunctionResponseTypes/0").asText());

        JsonNode rule = template.path("Resources").path(resourceId("AWS::Events::Rule", "ReaperSchedule"));
        assertEquals("rate(5 minutes)", rule.at("/Properties/ScheduleExpression").asText());
        assertEquals(JSON.valueToTree(Map.of("Fn::GetAtt", List.of(functionId("Reaper"), "Arn"))), rule.at("/Properties/Targets/0/Arn"));

        JsonNode schema = environments().get("Ingest").get("ORDER_SCHEMA");
        assertEquals(JSON.valueToTree(readJson(APP_DIR.resolve(OrderSchema.FILE))), readJson(schema.asText()),
                "the schema travels as declared in schemas/order.json");
        assertTrue(template.at("/Parameters/BootstrapVersion").isObject(), "default synthesizer");
    }

    @Test
    void everyFunctionIsStampedWithItsExistingSourceAndInlinedFromIt() throws Exception {
        Map<String, FunctionSource> sources = FunctionSources.fromTemplate(template, APP_DIR);
        assertEquals(Set.of(functionId("Ingest"), functionId("Worker"), functionId("Reaper")), sources.keySet());
        InlinePackager packager = InlinePackager.create();
        for (FunctionSource source : sources.values()) {
            assertTrue(Files.isDirectory(source.path()), source + " points to an existing folder");
            assertTrue(source.path().startsWith(APP_DIR.resolve("functions")), source.toString());
            assertEquals("index.handler", source.handler());
            // The fast path (package the folder, no synth) gives exactly what the template deploys.
            JsonNode zipFile = template.at("/Resources/" + source.logicalId() + "/Properties/Code/ZipFile");
            assertEquals(zipFile.asText(), packager.pack(source.path(), source.runtime()).source());
        }
        assertEquals("python3.12", sources.get(functionId("Worker")).runtime());
        assertEquals("nodejs22.x", sources.get(functionId("Ingest")).runtime());
    }

    @Test
    void theLegacySynthesizerNeedsNoBootstrap() throws Exception {
        ObjectNode legacy = synth(APP_DIR, Map.of(SampleApp.LEGACY_SYNTHESIZER_CONTEXT, "true"), tmp.resolve("legacy"));
        assertTrue(legacy.path("Parameters").path("BootstrapVersion").isMissingNode());
        assertTrue(legacy.path("Rules").path("CheckBootstrapVersion").isMissingNode());
        assertEquals(resourceIds(template), resourceIds(legacy), "same resources either way");
        assertFalse(SampleApp.legacySynthesizer("false"));
        assertTrue(SampleApp.legacySynthesizer(Boolean.TRUE));
    }

    @Test
    void anEditedHandlerInAnotherAppFolderChangesTheTemplate() throws Exception {
        Path copy = tmp.resolve("app");
        copyTree(APP_DIR.resolve("functions"), copy.resolve("functions"));
        copyTree(APP_DIR.resolve("schemas"), copy.resolve("schemas"));
        Path ingest = copy.resolve("functions/ingest/index.js");
        Files.writeString(ingest, Files.readString(ingest).replace("'ingest-v1'", "'ingest-v2'"));

        ObjectNode edited = synth(copy, Map.of(), tmp.resolve("edited"));
        String code = edited.at("/Resources/" + functionId("Ingest") + "/Properties/Code/ZipFile").asText();
        assertTrue(code.contains("'ingest-v2'"), "the edit is in the template");
        assertEquals(copy.resolve("functions/ingest"),
                FunctionSources.fromTemplate(edited, copy).get(functionId("Ingest")).path());
    }

    /** Synthesises the app with its folder given as {@code livestack.appDir}, as livestack's in-process synth does. */
    private static ObjectNode synth(Path appDir, Map<String, Object> context, Path out) throws IOException {
        System.setProperty(InlineFunction.APP_DIR_PROPERTY, appDir.toString());
        try {
            App app = new App(AppProps.builder().outdir(out.toString()).context(context).build());
            SampleApp.addStacks(app);
            app.synth();
        } finally {
            System.clearProperty(InlineFunction.APP_DIR_PROPERTY);
        }
        return (ObjectNode) JSON.readTree(out.resolve(SampleApp.STACK_NAME + ".template.json").toFile());
    }

    /** Function construct id → its environment variables. */
    private static Map<String, Map<String, JsonNode>> environments() {
        Map<String, Map<String, JsonNode>> result = new TreeMap<>();
        for (String id : List.of("Ingest", "Worker", "Reaper")) {
            Map<String, JsonNode> vars = new LinkedHashMap<>();
            template.at("/Resources/" + functionId(id) + "/Properties/Environment/Variables").fields()
                    .forEachRemaining(e -> vars.put(e.getKey(), e.getValue()));
            result.put(id, vars);
        }
        return result;
    }

    /** IAM actions a function's role may take on a resource (statements whose Resource is that resource's Arn). */
    private static Set<String> actionsOn(String function, String resource) {
        JsonNode role = template.at("/Resources/" + functionId(function) + "/Properties/Role/Fn::GetAtt/0");
        Set<String> actions = new HashSet<>();
        template.path("Resources").forEach(r -> {
            if (!r.path("Type").asText().equals("AWS::IAM::Policy")
                    || !r.at("/Properties/Roles").toString().contains("\"" + role.asText() + "\"")) {
                return;
            }
            for (JsonNode statement : r.at("/Properties/PolicyDocument/Statement")) {
                if (statement.path("Resource").toString().contains("[\"" + resource + "\",\"Arn\"]")) {
                    statement.path("Action").forEach(a -> actions.add(a.asText()));
                    if (statement.path("Action").isTextual()) {
                        actions.add(statement.path("Action").asText());
                    }
                }
            }
        });
        return actions;
    }

    private static String referencedResource(JsonNode value) {
        if (value.has("Ref")) {
            return value.get("Ref").asText();
        }
        if (value.has("Fn::GetAtt")) {
            return value.get("Fn::GetAtt").get(0).asText();
        }
        return null;
    }

    private static String functionId(String constructId) {
        return resourceId("AWS::Lambda::Function", constructId);
    }

    /** The logical id of the only resource of this type whose id starts with its construct path's ids. */
    private static String resourceId(String type, String prefix) {
        List<String> found = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = template.path("Resources").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().path("Type").asText().equals(type) && e.getKey().startsWith(prefix)) {
                found.add(e.getKey());
            }
        }
        assertEquals(1, found.size(), type + " " + prefix + ": " + found);
        return found.get(0);
    }

    private static Set<String> resourceIds(JsonNode t) {
        Set<String> ids = new HashSet<>();
        t.path("Resources").fieldNames().forEachRemaining(ids::add);
        return ids;
    }

    private static JsonNode ref(String logicalId) {
        return JSON.valueToTree(Map.of("Ref", logicalId));
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.toString().contains("__pycache__")) {
                    Files.copy(p, target);
                }
            }
        }
        assertNotNull(to);
    }
}
