package dev.livestack.inlinepackager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FunctionSourcesTest {
    private static final Path APP = Path.of("/work/app");
    private static final String TEMPLATE = """
            {"Resources": {
              "Ingest1234": {"Type": "AWS::Lambda::Function",
                "Properties": {"Handler": "index.handler", "Runtime": "nodejs20.x", "Code": {"ZipFile": "x"}},
                "Metadata": {"aws:cdk:path": "S/Ingest/Resource", "livestack:source": "functions/ingest",
                             "livestack:runtime": "nodejs20.x"}},
              "Worker99": {"Type": "AWS::Lambda::Function",
                "Properties": {"Handler": "index.main", "Runtime": "python3.12", "Code": {"ZipFile": "y"}},
                "Metadata": {"livestack:source": "functions/worker.py"}},
              "Assety": {"Type": "AWS::Lambda::Function",
                "Properties": {"Handler": "app.handler", "Runtime": "python3.12",
                               "Code": {"S3Bucket": "b", "S3Key": "k.zip"}},
                "Metadata": {"aws:asset:path": "asset.abc123", "aws:asset:property": "Code"}},
              "Plain": {"Type": "AWS::Lambda::Function",
                "Properties": {"Handler": "index.handler", "Runtime": "nodejs20.x", "Code": {"ZipFile": "z"}}},
              "Queue": {"Type": "AWS::SQS::Queue", "Metadata": {"livestack:source": "functions/ingest"}}
            }}""";

    private final ObjectNode template = parse(TEMPLATE);

    @Test
    void inlineFunctionsMapToTheirSourceFolders() {
        Map<String, FunctionSource> sources = FunctionSources.fromTemplate(template, APP);
        assertEquals(List.of("Ingest1234", "Worker99"), List.copyOf(sources.keySet()));
        assertEquals(new FunctionSource("Ingest1234", FunctionSource.Kind.INLINE, APP.resolve("functions/ingest"),
                "nodejs20.x", "index.handler"), sources.get("Ingest1234"));
        FunctionSource worker = sources.get("Worker99");
        assertEquals(APP.resolve("functions/worker.py"), worker.path());
        assertEquals("python3.12", worker.runtime(), "falls back to Properties.Runtime");
        assertEquals("index.main", worker.handler());
    }

    @Test
    void assetFunctionsResolveAgainstTheAssembly() {
        Map<String, FunctionSource> sources = FunctionSources.fromTemplate(template, APP, APP.resolve("cdk.out"));
        FunctionSource asset = sources.get("Assety");
        assertEquals(FunctionSource.Kind.ASSET, asset.kind());
        assertEquals(APP.resolve("cdk.out/asset.abc123"), asset.path());
        assertEquals(3, sources.size());
    }

    @Test
    void savedFilesMapToTheFunctionsTheyBelongTo() {
        Map<String, FunctionSource> sources = FunctionSources.fromTemplate(template, APP);
        assertEquals(Set.of("Ingest1234"), FunctionSources.touchedBy(sources,
                List.of(APP.resolve("functions/ingest/index.js"), APP.resolve("src/Main.java"))));
        assertEquals(Set.of("Ingest1234", "Worker99"), FunctionSources.touchedBy(sources,
                List.of(APP.resolve("functions/ingest/lib/a.js"), APP.resolve("functions/worker.py"))));
        assertEquals(Set.of(), FunctionSources.touchedBy(sources, List.of(APP.resolve("functions/ingest2/index.js"))));
        assertFalse(sources.get("Ingest1234").contains(Path.of("functions/ingest/index.js")), "relative never matches");
        assertTrue(sources.get("Ingest1234").contains(APP.resolve("functions/x/../ingest/index.js")));
    }

    @Test
    void functionsOfNestedStacksAreNamedByTheirPath(@org.junit.jupiter.api.io.TempDir Path assembly) throws Exception {
        String inner = """
                {"Resources": {
                  "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "nodejs20.x", "Code": {"ZipFile": "x"}},
                    "Metadata": {"livestack:source": "functions/inner"}},
                  "Deeper": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "u"},
                    "Metadata": {"aws:asset:path": "AppInnerDeeper.nested.template.json"}}}}""";
        String deeper = """
                {"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "python3.12", "Code": {"ZipFile": "y"}},
                    "Metadata": {"livestack:source": "functions/deep.py"}}}}""";
        java.nio.file.Files.writeString(assembly.resolve("AppInner.nested.template.json"), inner);
        java.nio.file.Files.writeString(assembly.resolve("AppInnerDeeper.nested.template.json"), deeper);
        ObjectNode parent = parse("""
                {"Resources": {
                  "Top": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "nodejs20.x", "Code": {"ZipFile": "z"}},
                    "Metadata": {"livestack:source": "functions/top"}},
                  "Inner": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "u"},
                    "Metadata": {"aws:asset:path": "AppInner.nested.template.json"}},
                  "Missing": {"Type": "AWS::CloudFormation::Stack", "Metadata": {"aws:asset:path": "Gone.nested.template.json"}},
                  "Outside": {"Type": "AWS::CloudFormation::Stack", "Metadata": {"aws:asset:path": "../AppInner.nested.template.json"}},
                  "HandWritten": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "u"}}}}""");
        Map<String, FunctionSource> sources = FunctionSources.fromStack(parent, APP, assembly);
        assertEquals(List.of("Top", "Inner/Fn", "Inner/Deeper/Fn"), List.copyOf(sources.keySet()));
        assertEquals("Fn", sources.get("Inner/Fn").logicalId());
        assertEquals(APP.resolve("functions/inner"), sources.get("Inner/Fn").path());
        assertEquals(APP.resolve("functions/deep.py"), sources.get("Inner/Deeper/Fn").path());
        assertEquals("python3.12", sources.get("Inner/Deeper/Fn").runtime());
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> FunctionSources.fromTemplate(null, APP));
        assertThrows(IllegalArgumentException.class, () -> FunctionSources.fromTemplate(template, null));
        assertThrows(IllegalArgumentException.class,
                () -> new FunctionSource("X", FunctionSource.Kind.INLINE, Path.of("rel"), "nodejs20.x", "index.handler"));
        assertThrows(IllegalArgumentException.class,
                () -> new FunctionSource(" ", FunctionSource.Kind.INLINE, APP, "nodejs20.x", "index.handler"));
        assertEquals(Map.of(), FunctionSources.fromTemplate(parse("{}"), APP));
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) new ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
