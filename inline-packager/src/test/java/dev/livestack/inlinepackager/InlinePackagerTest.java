package dev.livestack.inlinepackager;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InlinePackagerTest {
    private static final String JS = "exports.handler = async (event) => {\n"
            + "  const os = require('os');\n"
            + "  console.log('hello from', os.platform());\n"
            + "  return { ok: true, got: event };\n"
            + "};\n";
    private static final String PY = "import json\n\n\ndef handler(event, context):\n    print('hello')\n    return {'ok': True}\n";

    @TempDir
    Path tmp;

    /** No esbuild anywhere: proves the single-file paths never need it. */
    private final InlinePackager packager = InlinePackager.create(Path.of("/nonexistent/esbuild"));

    @Test
    void singleJsFileInFolderIsInlinedAsIs() throws Exception {
        Path dir = write("fn/index.js", JS).getParent();
        InlineCode code = packager.pack(dir, "nodejs20.x");
        assertEquals(JS, code.source());
        assertEquals("index.js", code.fileName());
        assertEquals("nodejs20.x", code.runtime());
        assertEquals(dir, code.origin());
        assertEquals(JS, new String(onlyEntry(code.zip(), "index.js"), StandardCharsets.UTF_8));
    }

    @Test
    void singleJsFileGivenDirectlyIsInlinedAsIsWhateverItsName() throws Exception {
        Path file = write("src/handler.js", JS);
        InlineCode code = packager.pack(file, "nodejs22.x");
        assertEquals(JS, code.source());
        assertEquals("index.js", code.fileName());
    }

    @Test
    void runtimeSdkRequiresNeedNoBundle() throws Exception {
        String js = "let sqs; try { sqs = require('@aws-sdk/client-sqs'); } catch (e) { sqs = null; }\n"
                + "const { randomUUID } = require('node:crypto');\nexports.handler = async () => randomUUID();\n";
        Path dir = write("fn/index.js", js).getParent();
        Files.writeString(dir.resolve("README.md"), "notes");
        // Not sources: installed packages, editor and tool files.
        write("fn/node_modules/left-pad/index.js", "module.exports = () => 1;");
        write("fn/.eslintrc.js", "module.exports = {};");
        write("fn/.cache/x.js", "x");
        assertEquals(js, packager.pack(dir, "nodejs20.x").source());
    }

    @Test
    void singlePythonFileIsInlined() throws Exception {
        Path dir = write("worker/index.py", PY).getParent();
        Files.createDirectories(dir.resolve("__pycache__"));
        Files.writeString(dir.resolve("__pycache__/index.cpython-311.pyc"), "junk");
        Files.writeString(dir.resolve("test_index.py"), "def test_x():\n    pass\n");
        InlineCode code = packager.pack(dir, "python3.12");
        assertEquals(PY, code.source());
        assertEquals("index.py", code.fileName());
        assertEquals(PY, new String(onlyEntry(code.zip(), "index.py"), StandardCharsets.UTF_8));
        assertEquals(PY, packager.pack(dir.resolve("index.py"), "python3.12").source());
    }

    @Test
    void severalPythonFilesAreRefusedWithAnAssetHint() throws Exception {
        Path dir = write("worker/index.py", PY).getParent();
        write("worker/helpers.py", "X = 1\n");
        PackagingException e = assertThrows(PackagingException.class, () -> packager.pack(dir, "python3.12"));
        assertTrue(e.getMessage().contains("several Python files (helpers.py, index.py)"), e.getMessage());
        assertTrue(e.hint().contains("Code.fromAsset"), e.hint());
    }

    @Test
    void nativePythonCodeIsRefused() throws Exception {
        Path dir = write("worker/index.py", PY).getParent();
        write("worker/fast.so", "\u007fELF");
        PackagingException e = assertThrows(PackagingException.class, () -> packager.pack(dir, "python3.12"));
        assertTrue(e.getMessage().contains("native code (fast.so)"), e.getMessage());
        assertTrue(e.hint().contains("Code.fromAsset"), e.hint());
    }

    @Test
    void pythonRequirementsAreRefusedButAnEmptyFileIsFine() throws Exception {
        Path dir = write("worker/index.py", PY).getParent();
        write("worker/requirements.txt", "# nothing yet\n\n");
        assertEquals(PY, packager.pack(dir, "python3.12").source());
        write("worker/requirements.txt", "requests==2.32.3\n");
        PackagingException e = assertThrows(PackagingException.class, () -> packager.pack(dir, "python3.12"));
        assertTrue(e.getMessage().contains("requirements.txt"), e.getMessage());
    }

    @Test
    void zipOverFourMegabytesIsRefused() throws Exception {
        // Random base64 barely compresses, so ~6 MB of it gives a zip above CloudFormation's 4 MB.
        byte[] noise = new byte[4_500_000];
        new Random(42).nextBytes(noise);
        String big = "exports.handler = async () => 1;\n// " + Base64.getEncoder().encodeToString(noise) + "\n";
        Path dir = write("big/index.js", big).getParent();
        PackagingException e = assertThrows(PackagingException.class, () -> packager.pack(dir, "nodejs20.x"));
        assertTrue(e.getMessage().contains("above CloudFormation's 4 MB limit for Code.ZipFile"), e.getMessage());
        assertTrue(e.getMessage().startsWith(dir.toString()) || e.getMessage().startsWith("big"), e.getMessage());
        assertTrue(e.hint().contains("Code.fromAsset"), e.hint());
    }

    @Test
    void codeTooLargeForATemplateIsRefusedEvenWhenItsZipIsSmall() throws Exception {
        String big = PY + "# " + "x".repeat(1_100_000) + "\n";
        Path file = write("big.py", big);
        PackagingException e = assertThrows(PackagingException.class, () -> packager.pack(file, "python3.12"));
        assertTrue(e.getMessage().contains("1 MB template size limit"), e.getMessage());
    }

    @Test
    void codeJustUnderTheTemplateLimitIsAccepted() throws Exception {
        String big = PY + "# " + "x".repeat(1_000_000) + "\n";
        assertEquals(big, packager.pack(write("ok.py", big), "python3.12").source());
    }

    @Test
    void handlerMustStartWithIndex() {
        PackagingException e = assertThrows(PackagingException.class, () -> InlinePackager.checkHandler("app.handler"));
        assertTrue(e.getMessage().contains("must start with 'index.'"), e.getMessage());
        assertTrue(e.hint().contains("index.handler"), e.hint());
        assertThrows(PackagingException.class, () -> InlinePackager.checkHandler("index."));
        assertThrows(PackagingException.class, () -> InlinePackager.checkHandler(null));
        assertDoesNotThrow(() -> InlinePackager.checkHandler("index.handler"));
        assertDoesNotThrow(() -> InlinePackager.checkHandler("index.main"));
    }

    @Test
    void runtimesWithoutInlineCodeAreRefused() throws Exception {
        Path dir = write("fn/index.js", JS).getParent();
        PackagingException e = assertThrows(PackagingException.class, () -> packager.pack(dir, "java21"));
        assertTrue(e.getMessage().contains("java21 cannot take inline code"), e.getMessage());
        assertTrue(e.hint().contains("Code.fromAsset"));
    }

    @Test
    void missingEmptyAndWrongSourcesAreRefused() throws Exception {
        PackagingException missing = assertThrows(PackagingException.class,
                () -> packager.pack(tmp.resolve("nope"), "nodejs20.x"));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        PackagingException empty = assertThrows(PackagingException.class,
                () -> packager.pack(write("e/index.js", "  \n").getParent(), "nodejs20.x"));
        assertTrue(empty.getMessage().contains("is empty"), empty.getMessage());
        PackagingException wrongType = assertThrows(PackagingException.class,
                () -> packager.pack(write("w/index.py", PY), "nodejs20.x"));
        assertTrue(wrongType.getMessage().contains("not a JavaScript or TypeScript file"), wrongType.getMessage());
        PackagingException noCode = assertThrows(PackagingException.class,
                () -> packager.pack(write("n/README.md", "hi").getParent(), "python3.12"));
        assertTrue(noCode.getMessage().contains("no Python file"), noCode.getMessage());
        Path latin1 = tmp.resolve("latin1.py");
        Files.write(latin1, new byte[] {'#', ' ', (byte) 0xE9, '\n'});
        PackagingException notUtf8 = assertThrows(PackagingException.class, () -> packager.pack(latin1, "python3.12"));
        assertTrue(notUtf8.getMessage().contains("not UTF-8"), notUtf8.getMessage());
    }

    @Test
    void sameSourceGivesTheSameCodeSha256WhereverAndWheneverItIsPacked() throws Exception {
        Path a = write("a/ingest/index.js", JS);
        Path b = write("b/elsewhere/index.js", JS);
        Files.setLastModifiedTime(b, FileTime.fromMillis(1_000_000_000_000L));
        InlineCode first = packager.pack(a.getParent(), "nodejs20.x");
        InlineCode second = InlinePackager.create(Path.of("/other/esbuild")).pack(b.getParent(), "nodejs20.x");
        assertArrayEquals(first.zip(), second.zip());
        assertEquals(first.codeSha256(), second.codeSha256());
        assertArrayEquals(first.zip(), LambdaZip.forInline("nodejs20.x", JS));
        Files.writeString(b, JS + "// changed\n");
        assertNotEquals(first.codeSha256(), packager.pack(b.getParent(), "nodejs20.x").codeSha256());
    }

    @Test
    void bundlingWithoutEsbuildSaysHowToInstallIt() throws Exception {
        Path dir = write("ts/index.ts", "export const handler = async (): Promise<number> => 1;\n").getParent();
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        PackagingException e = assertThrows(PackagingException.class,
                () -> InlinePackager.discover(List.of(empty)).pack(dir, "nodejs20.x"));
        assertTrue(e.getMessage().startsWith("esbuild not found"), e.getMessage());
        assertTrue(e.hint().contains("npm ci") && e.hint().contains(InlinePackager.ESBUILD_PROPERTY), e.hint());
        PackagingException explicit = assertThrows(PackagingException.class, () -> packager.pack(dir, "nodejs20.x"));
        assertTrue(explicit.getMessage().contains("/nonexistent/esbuild"), explicit.getMessage());
    }

    @Test
    void npmDependenciesWithoutNodeModulesAskForNpmInstall() throws Exception {
        Path dir = write("deps/index.js", "const l = require('left-pad');\nexports.handler = async () => l('x', 3);\n").getParent();
        write("deps/package.json", "{\"name\":\"deps\",\"dependencies\":{\"left-pad\":\"1.3.0\"}}");
        PackagingException e = assertThrows(PackagingException.class, () -> packager.pack(dir, "nodejs20.x"));
        assertTrue(e.getMessage().contains("has no node_modules"), e.getMessage());
        assertTrue(e.hint().startsWith("Run npm install in"), e.hint());
    }

    @Test
    void recordsRejectBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new InlineCode(" ", "index.js", "x", tmp));
        assertThrows(IllegalArgumentException.class, () -> new InlineCode("nodejs20.x", "index.py", "x", tmp));
        assertThrows(IllegalArgumentException.class, () -> new InlineCode("nodejs20.x", "index.js", "", tmp));
        assertThrows(IllegalArgumentException.class, () -> new InlineCode("nodejs20.x", "index.js", "x", null));
        assertThrows(IllegalArgumentException.class, () -> new PackagingException("what", " "));
        assertEquals("what" + System.lineSeparator() + "do this", new PackagingException("what", "do this").userMessage());
    }

    @Test
    void jsonStringBytesCountsEscapesAndUtf8() {
        assertEquals(2 + 3, DefaultInlinePackager.jsonStringBytes("abc"));
        assertEquals(2 + 2 + 2 + 2, DefaultInlinePackager.jsonStringBytes("\"\n\\"));
        assertEquals(2 + 2 + 3 + 4, DefaultInlinePackager.jsonStringBytes("é€😀"));
        assertEquals(2 + 6, DefaultInlinePackager.jsonStringBytes("\u0001"));
        assertEquals("node20", DefaultInlinePackager.nodeTarget("nodejs20.x"));
        assertEquals("node18", DefaultInlinePackager.nodeTarget("nodejs"));
    }

    private Path write(String relative, String content) throws IOException {
        Path file = tmp.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    static byte[] onlyEntry(byte[] zip, String expectedName) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry = in.getNextEntry();
            assertEquals(expectedName, entry.getName());
            assertEquals(java.time.LocalDateTime.of(1980, 1, 1, 0, 0, 2), entry.getTimeLocal(), "fixed entry time");
            byte[] content = in.readAllBytes();
            assertEquals(null, in.getNextEntry(), "exactly one entry");
            return content;
        }
    }
}
