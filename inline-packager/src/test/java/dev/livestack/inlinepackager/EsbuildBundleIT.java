package dev.livestack.inlinepackager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the project's pinned esbuild for real and runs its output with node. */
class EsbuildBundleIT {
    @TempDir
    Path tmp;

    /** Found from this module's location: the project's tools/node_modules/.bin/esbuild. */
    private final InlinePackager packager = InlinePackager.create();

    @Test
    void multiFileTypeScriptIsBundledIntoOneCommonJsFileThatRuns() throws Exception {
        Path dir = tsFunction(tmp.resolve("orders"));
        InlineCode code = packager.pack(dir, "nodejs20.x");
        assertEquals("index.js", code.fileName());
        assertFalse(code.source().contains("interface"), "types are stripped");
        assertFalse(code.source().contains("require(\"./greet\")"), "local modules are bundled in");
        assertFalse(code.source().contains(tmp.toString()), "no absolute paths in the bundle");
        assertEquals("{\"greeting\":\"HELLO, ADA!\",\"n\":3}", runHandler(code, "{\"name\":\"ada\"}"));
    }

    @Test
    void sameTypeScriptSourceGivesTheSameCodeSha256InAnotherFolder() throws Exception {
        InlineCode a = packager.pack(tsFunction(tmp.resolve("one/fn")), "nodejs20.x");
        InlineCode b = packager.pack(tsFunction(tmp.resolve("two/deeper/fn")), "nodejs20.x");
        assertEquals(a.codeSha256(), b.codeSha256());
        Files.writeString(tmp.resolve("two/deeper/fn/greet.ts"),
                "export function greet(name: string): string { return `Hi ${name}`; }\n");
        assertFalse(a.codeSha256().equals(packager.pack(tmp.resolve("two/deeper/fn"), "nodejs20.x").codeSha256()));
    }

    @Test
    void anEsModuleFileIsConvertedToCommonJs() throws Exception {
        Path file = tmp.resolve("esm/index.mjs");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "import { createHash } from 'node:crypto';\n"
                + "export const handler = async (event) => ({ sha: createHash('sha1').update(event.v).digest('hex') });\n");
        InlineCode code = packager.pack(file.getParent(), "nodejs20.x");
        assertFalse(code.source().contains("export const"), code.source());
        assertEquals("{\"sha\":\"a94a8fe5ccb19ba61c4c0873d391e987982fbbd3\"}", runHandler(code, "{\"v\":\"test\"}"));
    }

    @Test
    void npmDependenciesAreBundledAndTheRuntimeSdkStaysExternal() throws Exception {
        Path dir = tmp.resolve("deps");
        write(dir, "package.json", "{\"name\":\"deps\",\"dependencies\":{\"shout\":\"1.0.0\"}}");
        write(dir, "node_modules/shout/package.json", "{\"name\":\"shout\",\"version\":\"1.0.0\",\"main\":\"lib.js\"}");
        write(dir, "node_modules/shout/lib.js", "module.exports = (s) => s.toUpperCase() + '!';\n");
        write(dir, "index.js", "const shout = require('shout');\n"
                + "let sdk; try { sdk = require('@aws-sdk/client-sqs'); } catch (e) { sdk = null; }\n"
                + "exports.handler = async (e) => ({ said: shout(e.word), sdk: sdk !== null });\n");
        InlineCode code = packager.pack(dir, "nodejs20.x");
        assertTrue(code.source().contains("@aws-sdk/client-sqs"), "the SDK is left for the runtime to provide");
        assertEquals("{\"said\":\"HEY!\",\"sdk\":false}", runHandler(code, "{\"word\":\"hey\"}"));
    }

    @Test
    void aBundleErrorNamesTheProblemAndWhereItIs() throws Exception {
        Path dir = tmp.resolve("broken");
        write(dir, "index.ts", "import { nope } from './missing';\nexport const handler = async () => nope;\n");
        PackagingException e = assertThrows(PackagingException.class, () -> packager.pack(dir, "nodejs20.x"));
        assertTrue(e.getMessage().contains("esbuild could not bundle"), e.getMessage());
        assertTrue(e.getMessage().contains("Could not resolve \"./missing\""), e.getMessage());
        assertTrue(e.getMessage().contains("index.ts:1:"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void severalFilesWithoutAnIndexNeedAnEntryPoint() throws Exception {
        Path dir = tmp.resolve("noindex");
        write(dir, "a.ts", "export const a = 1;\n");
        write(dir, "b.ts", "export const b = 2;\n");
        PackagingException e = assertThrows(PackagingException.class, () -> packager.pack(dir, "nodejs20.x"));
        assertTrue(e.getMessage().contains("cannot tell which file holds the handler"), e.getMessage());
        write(dir, "package.json", "{\"main\":\"b.ts\"}");
        assertTrue(packager.pack(dir, "nodejs20.x").source().contains("b:"), "package.json main is the entry");
    }

    @Test
    void anUnchangedBundleIsReusedAndAnyChangeToWhatItReadRebuildsIt() throws Exception {
        Path dir = tmp.resolve("cached/fn");
        write(dir, "index.ts", "import { label } from '../shared/label';\nimport { extra } from './extra';\n"
                + "export const handler = async () => label + extra;\n");
        write(dir, "extra.js", "exports.extra = '-js';\n");
        write(tmp.resolve("cached"), "shared/label.ts", "export const label: string = 'one';\n");
        DefaultInlinePackager cached = (DefaultInlinePackager) InlinePackager.create();
        age(tmp.resolve("cached"));

        String first = cached.pack(dir, "nodejs22.x").source();
        assertEquals(1, cached.esbuild().runs());
        assertEquals(first, cached.pack(dir, "nodejs22.x").source());
        assertEquals(1, cached.esbuild().runs(), "nothing changed: served from the cache");
        assertTrue(cached.pack(dir, "nodejs20.x").source().length() > 0);
        assertEquals(2, cached.esbuild().runs(), "another target is another bundle");

        write(tmp.resolve("cached"), "shared/label.ts", "export const label: string = 'two';\n");
        age(tmp.resolve("cached"));
        assertTrue(cached.pack(dir, "nodejs22.x").source().contains("two"), "an input outside the folder changed");
        assertEquals(3, cached.esbuild().runs());

        write(dir, "extra.ts", "export const extra: string = '-ts';\n");
        age(tmp.resolve("cached"));
        assertTrue(cached.pack(dir, "nodejs22.x").source().contains("-ts"), "a new file changes what './extra' resolves to");
        assertEquals(4, cached.esbuild().runs());

        write(dir, "package-lock.json", "{\"lockfileVersion\":3}");
        age(tmp.resolve("cached"));
        cached.pack(dir, "nodejs22.x");
        assertEquals(5, cached.esbuild().runs(), "the install state changed");

        // Just written: esbuild may have read the file before the last write, so the bundle is not remembered.
        write(dir, "extra.ts", "export const extra: string = '-fresh';\n");
        assertTrue(cached.pack(dir, "nodejs22.x").source().contains("-fresh"));
        cached.pack(dir, "nodejs22.x");
        assertEquals(7, cached.esbuild().runs(), "racy inputs are bundled every time");
    }

    /** Sets every file and folder's time 10 s back, as if saved a while ago. */
    private static void age(Path root) throws IOException {
        java.nio.file.attribute.FileTime past = java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 10_000);
        try (var walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                Files.setLastModifiedTime(p, past);
            }
        }
    }

    private Path tsFunction(Path dir) throws IOException {
        write(dir, "index.ts", "import { greet } from './greet';\nimport { count } from './util/count';\n"
                + "interface Event { name: string }\n"
                + "export const handler = async (event: Event) => ({ greeting: greet(event.name).toUpperCase(), n: count(event.name) });\n");
        write(dir, "greet.ts", "export function greet(name: string): string { return `Hello, ${name}!`; }\n");
        write(dir, "util/count.ts", "export const count = (s: string): number => s.length;\n");
        write(dir, "tsconfig.json", "{\"compilerOptions\":{\"strict\":true}}");
        return dir;
    }

    private static void write(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** Writes the code as CloudFormation would (index.js) and calls its handler with node. */
    private String runHandler(InlineCode code, String eventJson) throws Exception {
        Path task = Files.createTempDirectory(tmp, "task");
        Files.writeString(task.resolve(code.fileName()), code.source());
        Process node = new ProcessBuilder(List.of("node", "-e",
                "require('./index.js').handler(" + eventJson + ").then(r => process.stdout.write(JSON.stringify(r)))"))
                .directory(task.toFile()).redirectErrorStream(true).start();
        assertTrue(node.waitFor(30, TimeUnit.SECONDS), "node finished");
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, node.exitValue(), out);
        return out;
    }
}
