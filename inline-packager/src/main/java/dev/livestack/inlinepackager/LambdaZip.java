package dev.livestack.inlinepackager;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The zip that CloudFormation builds from a function's inline {@code Code.ZipFile}: one entry named
 * {@code index.<ext>}, with a fixed timestamp, so that a hot-swap and a full deploy of the same source
 * upload byte-identical archives (and therefore the same {@code CodeSha256}).
 */
public final class LambdaZip {
    /**
     * Fixed entry time, so the bytes depend only on the source. Set as a local date-time because
     * {@code ZipEntry.setTime(millis)} converts through the JVM's time zone; and not 1980-01-01T00:00:00, which the
     * JDK treats as "before 1980" and then adds an extended-timestamp field computed in the JVM's time zone. Either
     * would make the bytes (and CodeSha256) differ between machines.
     */
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0, 2);

    /** Lambda's limit for a zip passed directly to CreateFunction / UpdateFunctionCode: 50 MB. */
    public static final long MAX_DIRECT_UPLOAD_BYTES = 50L * 1024 * 1024;

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
            entry.setTimeLocal(FIXED_TIME);
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

    /**
     * Zips an asset folder (e.g. the {@code aws:asset:path} of an asset-based function) for a direct
     * {@code UpdateFunctionCode}: every regular file, entries sorted by path with {@code /} separators, fixed
     * times, so the same folder always gives the same bytes and {@code CodeSha256}. Symbolic links are followed.
     * The bytes are those {@link #writeFolderZip} writes.
     *
     * @param folder the asset folder
     * @return the zip bytes, at most {@link #MAX_DIRECT_UPLOAD_BYTES}
     * @throws PackagingException when the folder cannot be read or the zip exceeds Lambda's direct-upload limit
     */
    public static byte[] zipFolder(Path folder) throws PackagingException {
        LimitedOutputStream out = new LimitedOutputStream(MAX_DIRECT_UPLOAD_BYTES);
        try {
            writeFolderZip(folder, out);
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof LimitExceeded)) {
                throw new PackagingException("cannot zip asset folder " + folder + ": " + e.getMessage(),
                        "Check that the folder's files are readable.", e);
            }
            throw new PackagingException("the zip of asset folder " + folder + " exceeds Lambda's 50 MB direct-upload limit",
                    "Deploy this function through a change set (its asset goes through S3), or make the asset smaller.");
        }
        return out.toByteArray();
    }

    /**
     * Writes the deterministic zip of a folder to a stream, without a size limit: the archive livestack uploads for
     * a {@code zip}-packaged file asset and hot-swaps for an asset-based function, so both are byte-identical. As the
     * CDK CLI's asset zips: every regular file (dot-files included, no directory entries), sorted by their
     * {@code /}-separated relative path, fixed times, Unix permissions recorded (normalised to {@code 0755} for
     * executables and {@code 0644} otherwise, so the bytes do not depend on the umask); symbolic links followed.
     *
     * @param folder the folder to zip
     * @param out where the zip goes (left open)
     * @return the number of files zipped
     * @throws PackagingException when the folder is missing or cannot be read
     */
    public static int writeFolderZip(Path folder, java.io.OutputStream out) throws PackagingException {
        if (folder == null) {
            throw new IllegalArgumentException("folder must not be null");
        }
        if (out == null) {
            throw new IllegalArgumentException("out must not be null");
        }
        if (!Files.isDirectory(folder)) {
            throw new PackagingException("asset folder " + folder + " does not exist",
                    "Synthesise the app again so the asset is staged, then retry.");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            files = walk.filter(Files::isRegularFile).toList();
        } catch (IOException | UncheckedIOException e) {
            throw new PackagingException("cannot read asset folder " + folder + ": " + e.getMessage(),
                    "Check that the folder is readable.", e);
        }
        List<String> names = files.stream()
                .map(f -> folder.relativize(f).toString().replace(folder.getFileSystem().getSeparator(), "/"))
                .sorted()
                .toList();
        try {
            FolderZipWriter.write(folder, names, out);
        } catch (IOException e) {
            throw new PackagingException("cannot zip asset folder " + folder + ": " + e.getMessage(),
                    "Check that the folder's files are readable.", e);
        }
        return names.size();
    }

    /** Thrown by {@link LimitedOutputStream} as soon as the zip grows past the limit, so a huge folder stops early. */
    private static final class LimitExceeded extends IOException {
        private static final long serialVersionUID = 1L;
    }

    private static final class LimitedOutputStream extends ByteArrayOutputStream {
        private final long limit;

        LimitedOutputStream(long limit) {
            super(64 * 1024);
            this.limit = limit;
        }

        @Override
        public synchronized void write(int b) {
            check(1);
            super.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            check(len);
            super.write(b, off, len);
        }

        private void check(int more) {
            if ((long) count + more > limit) {
                throw new UncheckedIOException(new LimitExceeded());
            }
        }
    }
}
