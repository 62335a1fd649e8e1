package dev.livestack.inlinepackager;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The zip that CloudFormation builds from a function's inline {@code Code.ZipFile}: one entry named
 * {@code index.<ext>}, with a fixed timestamp, so that a hot-swap and a full deploy of the same source
 * upload byte-identical archives (and therefore the same {@code CodeSha256}).
 */
public final class LambdaZip {
    /** Fixed entry time (1980-01-01T00:00:00 in the zip's DOS time), so the bytes depend only on the source. */
    private static final long FIXED_TIME = 315532800000L;

    private LambdaZip() {
    }

    /**
     * The file name CloudFormation writes inline code to for a runtime.
     *
     * @param runtime a Lambda runtime identifier such as {@code nodejs20.x} or {@code python3.12}
     * @return {@code index.js} for Node.js, {@code index.py} for Python
     * @throws IllegalArgumentException when the runtime cannot take inline code
     */
    public static String inlineFileName(String runtime) {
        if (runtime == null || runtime.isBlank()) {
            throw new IllegalArgumentException("runtime must not be blank");
        }
        String r = runtime.toLowerCase(Locale.ROOT);
        if (r.startsWith("nodejs")) {
            return "index.js";
        }
        if (r.startsWith("python")) {
            return "index.py";
        }
        throw new IllegalArgumentException("runtime " + runtime + " cannot take inline code (only nodejs* and python*)");
    }

    /** The zip CloudFormation builds for inline {@code source} of a {@code runtime}. */
    public static byte[] forInline(String runtime, String source) {
        if (source == null) {
            throw new IllegalArgumentException("source must not be null");
        }
        return build(inlineFileName(runtime), source.getBytes(StandardCharsets.UTF_8));
    }

    /** A deterministic single-entry zip: fixed time, deflated, world-readable permissions. */
    public static byte[] build(String fileName, byte[] content) {
        if (fileName == null || fileName.isBlank()) {
            throw new IllegalArgumentException("fileName must not be blank");
        }
        if (content == null) {
            throw new IllegalArgumentException("content must not be null");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length / 2 + 256);
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            ZipEntry entry = new ZipEntry(fileName);
            entry.setTime(FIXED_TIME);
            zip.putNextEntry(entry);
            zip.write(content);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Lambda's {@code CodeSha256}: base64 of the SHA-256 of the zip bytes. */
    public static String codeSha256(byte[] zip) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(zip));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
