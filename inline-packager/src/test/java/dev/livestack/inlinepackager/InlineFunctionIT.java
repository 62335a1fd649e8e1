package dev.livestack.inlinepackager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.lambda.Runtime;

/** Synthesises a small stack in-process (jsii starts node: seconds), so everything is checked in one synth. */
class InlineFunctionIT {
    private static final String JS = "exports.handler = async () => 'hi';\n";
    private static final String PY = "def main(event, context):\n    return 'hi'\n";

    @TempDir
    Path tmp;

    @Test
    void functionsAreInlinedAndStampedWithTheirSource() throws Exception {
        Path app = tmp.resolve("app");
        Files.createDirectories(app.resolve("functions/hello"));
        Files.writeString(app.resolve("functions/hello/index.js"), JS);
        Files.writeString(app.resolve("functions/worker.py"), PY);
        Files.createDirectories(app.resolve("functions/ts/lib"));
        Files.writeString(app.resolve("functions/ts/index.ts"),
                "import { v } from './lib/v';\nexport const handler = async (): Promise<string> => v;\n");
        Files.writeString(app.resolve("functions/ts/lib/v.ts"), "export const v: string = 'from-ts';\n");
        Files.writeString(app.resolve("functions/bad.py"), PY);

        Path out = tmp.resolve("cdk.out");
        App cdk = new App(AppProps.builder().outdir(out.toString()).build());
        Stack stack = new Stack(cdk, "HelperStack");
        InlineFunction.nodejs(stack, "Hello", "functions/hello").appDir(app).environment("GREETING", "hi").build();
        InlineFunction.python(stack, "Worker", "functions/worker.py").appDir(app)
                .runtime(Runtime.PYTHON_3_11).handler("index.main").build();
        String previous = System.getProperty(InlineFunction.APP_DIR_PROPERTY);
        System.setProperty(InlineFunction.APP_DIR_PROPERTY, app.toString());
        try {
            InlineFunction.nodejs(stack, "Typed", "functions/ts").build();
            IllegalArgumentException badHandler = assertThrows(IllegalArgumentException.class,
                    () -> InlineFunction.python(stack, "Bad", "functions/bad.py").handler("app.main").build());
            assertTrue(badHandler.getMessage().startsWith("Bad: handler 'app.main' cannot be used with inline code"),
                    badHandler.getMessage());
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> InlineFunction.nodejs(stack, "Missing", "functions/none").build());
            assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        } finally {
            if (previous == null) {
                System.clearProperty(InlineFunction.APP_DIR_PROPERTY);
            } else {
                System.setProperty(InlineFunction.APP_DIR_PROPERTY, previous);
            }
        }
        cdk.synth();

        ObjectNode template = (ObjectNode) new ObjectMapper().readTree(out.resolve("HelperStack.template.json").toFile());
        Map<String, JsonNode> functions = new java.util.TreeMap<>();
        template.path("Resources").fields().forEachRemaining(e -> {
            if (e.getValue().path("Type").asText().equals("AWS::Lambda::Function")) {
                functions.put(e.getKey().replaceAll("[0-9A-F]{8}$", ""), e.getValue());
            }
        });
        assertEquals(3, functions.size(), functions.keySet().toString());

        JsonNode hello = functions.get("Hello");
        assertEquals(JS, hello.at("/Properties/Code/ZipFile").asText());
        assertEquals("index.handler", hello.at("/Properties/Handler").asText());
        assertEquals("nodejs22.x", hello.at("/Properties/Runtime").asText());
        assertEquals("hi", hello.at("/Properties/Environment/Variables/GREETING").asText());
        assertEquals("functions/hello", hello.at("/Metadata/livestack:source").asText());
        assertEquals("nodejs22.x", hello.at("/Metadata/livestack:runtime").asText());

        JsonNode worker = functions.get("Worker");
        assertEquals(PY, worker.at("/Properties/Code/ZipFile").asText());
        assertEquals("index.main", worker.at("/Properties/Handler").asText());
        assertEquals("functions/worker.py", worker.at("/Metadata/livestack:source").asText());
        assertEquals("python3.11", worker.at("/Metadata/livestack:runtime").asText());

        JsonNode typed = functions.get("Typed");
        assertTrue(typed.at("/Properties/Code/ZipFile").asText().contains("from-ts"));
        assertEquals("functions/ts", typed.at("/Metadata/livestack:source").asText());

        Map<String, FunctionSource> sources = FunctionSources.fromTemplate(template, app);
        assertEquals(3, sources.size());
        for (FunctionSource source : sources.values()) {
            assertTrue(Files.exists(source.path()), source.toString());
            // What the fast path would upload equals what the template deploys.
            InlineCode repacked = InlinePackager.create().pack(source.path(), source.runtime());
            JsonNode resource = template.path("Resources").path(source.logicalId());
            assertEquals(resource.at("/Properties/Code/ZipFile").asText(), repacked.source());
        }
    }
}
