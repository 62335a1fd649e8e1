package dev.livestack.inlinepackager;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TimeZone;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LambdaZipTest {
    @TempDir
    Path tmp;

    @Test
    void inlineZipBytesDoNotDependOnTheTimeZone() {
        TimeZone original = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
            byte[] utc = LambdaZip.forInline("python3.12", "def handler(e, c):\n    return 1\n");
            TimeZone.setDefault(TimeZone.getTimeZone("America/Los_Angeles"));
            byte[] west = LambdaZip.forInline("python3.12", "def handler(e, c):\n    return 1\n");
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Tokyo"));
            byte[] east = LambdaZip.forInline("python3.12", "def handler(e, c):\n    return 1\n");
            assertArrayEquals(utc, west);
            assertArrayEquals(utc, east);
        } finally {
            TimeZone.setDefault(original);
        }
    }

    @Test
    void codeSha256IsBase64OfSha256() {
        // SHA-256 of the empty input, a published constant.
        assertEquals("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", LambdaZip.codeSha256(new byte[0]));
    }

    @Test
    void folderZipIsSortedTimeFixedAndReproducible() throws Exception {
        Path a = tmp.resolve("a");
        write(a, "lib/util.js", "module.exports = 1;");
        write(a, "index.js", "exports.handler = async () => require('./lib/util');");
        write(a, "data/z.json", "{}");
        Path b = tmp.resolve("b");
        // Same content written in another order with other timestamps: same bytes.
        write(b, "data/z.json", "{}");
        write(b, "index.js", "exports.handler = async () => require('./lib/util');");
        write(b, "lib/util.js", "module.exports = 1;");
        Files.setLastModifiedTime(b.resolve("index.js"), FileTime.fromMillis(1_600_000_000_000L));

        byte[] zipA = LambdaZip.zipFolder(a);
        assertArrayEquals(zipA, LambdaZip.zipFolder(b));
        assertEquals(List.of("data/z.json", "index.js", "lib/util.js"), entryNames(zipA));
        write(b, "index.js", "exports.handler = async () => 2;");
        assertNotEquals(LambdaZip.codeSha256(zipA), LambdaZip.codeSha256(LambdaZip.zipFolder(b)));
    }

    @Test
    void streamedFolderZipIsTheSameBytesAndKeepsDotFiles() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("streamed"));
        write(dir, "index.js", "exports.handler = async () => 1;");
        write(dir, ".env.json", "{}");
        write(dir, "node_modules/x/index.js", "module.exports = 2;");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertEquals(3, LambdaZip.writeFolderZip(dir, out));
        assertArrayEquals(LambdaZip.zipFolder(dir), out.toByteArray());
        assertEquals(List.of(".env.json", "index.js", "node_modules/x/index.js"), entryNames(out.toByteArray()));
    }

    @Test
    void folderZipRecordsUnixModesNormalisedToExecutableOrNot() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("modes"));
        write(dir, "bootstrap", "#!/bin/sh\necho hi\n");
        write(dir, "handler.sh", "echo x\n");
        Files.setPosixFilePermissions(dir.resolve("bootstrap"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxr-x"));
        Files.setPosixFilePermissions(dir.resolve("handler.sh"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--"));
        byte[] zip = LambdaZip.zipFolder(dir);
        assertEquals(List.of("bootstrap", "handler.sh"), entryNames(zip));
        // Central directory: "made by" Unix (3), external attributes = mode << 16.
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(zip).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        List<Integer> modes = new ArrayList<>();
        for (int i = 0; i + 46 <= zip.length; i++) {
            if (b.getInt(i) == 0x02014b50) {
                assertEquals(3, (b.getShort(i + 4) >> 8) & 0xFF);
                modes.add(b.getInt(i + 38) >>> 16);
            }
        }
        assertEquals(List.of(0100755, 0100644), modes);
        Files.setPosixFilePermissions(dir.resolve("handler.sh"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertArrayEquals(zip, LambdaZip.zipFolder(dir), "group/other bits do not change the bytes");
    }

    @Test
    void folderZipAboveFiftyMegabytesIsRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("huge"));
        Random random = new Random(7);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(dir.resolve("blob.bin"))) {
            for (int i = 0; i < 51; i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
        PackagingException e = assertThrows(PackagingException.class, () -> LambdaZip.zipFolder(dir));
        assertTrue(e.getMessage().contains("50 MB direct-upload limit"), e.getMessage());
        assertTrue(e.hint().contains("change set"), e.hint());
    }

    @Test
    void missingFolderIsRefused() {
        PackagingException e = assertThrows(PackagingException.class, () -> LambdaZip.zipFolder(tmp.resolve("gone")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    private static void write(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static List<String> entryNames(byte[] zip) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
                assertEquals(LocalDateTime.of(1980, 1, 1, 0, 0, 2), e.getTimeLocal());
            }
        }
        return names;
    }
}
