package dev.livestack.localcloud.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * local-cloud's persistence: one file per record under the state folder. A record is written to a
 * temporary file, flushed to disk, renamed over the old one and the folder flushed, so a crash (of the
 * process or of the machine) leaves either the old or the new version, never half of one and never a
 * rename that is lost. A record that cannot be read is moved to {@code quarantine/} so that the rest
 * is still served.
 */
public final class StateStore {
    /** Every temporary file ends so; whatever a crash left of them is removed on the next start. */
    public static final String TEMP_SUFFIX = ".livestack-tmp";
    /** Where unreadable records go, under the state folder. */
    public static final String QUARANTINE = "quarantine";

    private static final System.Logger LOG = System.getLogger("dev.livestack.localcloud");
    /** Folders holding users' function code, which may have files of any name: never swept. */
    private static final Set<String> USER_FOLDERS = Set.of("lambda/run", "lambda/runtimes");

    private final Path root;
    private final ObjectMapper json = new ObjectMapper();

    public StateStore(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root);
        removeTemporaryFiles();
    }

    public Path root() {
        return root;
    }

    /** The folder for one service's records, created when missing. */
    public Path folder(String name) {
        Path dir = root.resolve(name);
        directory(dir);
        return dir;
    }

    public void writeJson(Path file, Object value) {
        try {
            writeBytes(file, json.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A record, or null when there is none. A record that is not JSON (or is empty) is quarantined
     * and read as missing.
     */
    public JsonNode readJson(Path file) {
        return readJson(file, file);
    }

    /** As {@link #readJson(Path)}, quarantining {@code unit} (the file or a folder holding it) when unreadable. */
    public JsonNode readJson(Path file, Path unit) {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            JsonNode n = json.readTree(file.toFile());
            if (n == null || n.isMissingNode()) {
                throw new IOException("the file is empty");
            }
            return n;
        } catch (IOException e) {
            quarantine(unit, e);
            return null;
        }
    }

    /**
     * A record parsed by {@code parse}, or null when there is none. A record that is not JSON, or that
     * {@code parse} rejects (throws), is quarantined and read as missing: one bad file never stops a start.
     */
    public <T> T load(Path file, Function<JsonNode, T> parse) {
        JsonNode n = readJson(file);
        if (n == null) {
            return null;
        }
        try {
            return parse.apply(n);
        } catch (RuntimeException e) {
            quarantine(file, new IOException("not a record of its kind: " + e, e));
            return null;
        }
    }

    /** A saved {@code {key: {...}}} file; anything else is not one (the store quarantines it). */
    public static Map<String, ObjectNode> objectsByKey(JsonNode saved) {
        if (!saved.isObject()) {
            throw new IllegalArgumentException("expected an object of objects");
        }
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        saved.fields().forEachRemaining(e -> {
            if (!(e.getValue() instanceof ObjectNode o)) {
                throw new IllegalArgumentException(e.getKey() + " is not an object");
            }
            out.put(e.getKey(), o);
        });
        return out;
    }

    public void writeBytes(Path file, byte[] bytes) {
        Path dir = file.getParent();
        Path tmp = null;
        try {
            directory(dir);
            tmp = Files.createTempFile(dir, ".", TEMP_SUFFIX);
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            // the rename itself is only durable once the folder's entry is on disk
            syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the next start removes it
                }
            }
        }
    }

    /**
     * Moves an unreadable record (a file or a folder) to {@code quarantine/} (where {@code local-cloud
     * status} lists it) and logs which and why. Returns where it went.
     */
    public Path quarantine(Path record, Exception why) {
        Path abs = record.toAbsolutePath().normalize();
        Path base = root.toAbsolutePath().normalize();
        String relative = (abs.startsWith(base) ? base.relativize(abs) : abs.getFileName()).toString().replace('\\', '/');
        String reason = why.getMessage() == null ? why.getClass().getSimpleName() : why.getMessage().lines().findFirst().orElse("");
        Path dir = root.resolve(QUARANTINE);
        try {
            directory(dir);
            Path target = dir.resolve(quarantineName(relative));
            for (int i = 2; Files.exists(target); i++) {
                target = dir.resolve(quarantineName(relative) + "." + i);
            }
            try {
                Files.move(record, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(record, target);
            }
            syncDirectory(dir);
            syncDirectory(record.getParent());
            LOG.log(System.Logger.Level.WARNING, "local-cloud: cannot read {0} ({1}); moved it to {2} and serving the rest",
                    relative, reason, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + record + " (" + reason + ") nor move it to " + dir
                    + "; move or delete it by hand", e);
        }
    }

    /** The record's path with its folders joined by {@code __}, short enough for any file system. */
    private static String quarantineName(String relative) {
        String flat = relative.replace("/", "__");
        if (flat.length() <= 200) {
            return flat;
        }
        return sha256(flat).substring(0, 16) + "-" + flat.substring(flat.length() - 120);
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates a folder when missing and makes its entry durable in its parent. */
    private void directory(Path dir) {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            List<Path> created = new ArrayList<>();
            for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
                created.add(p);
            }
            Files.createDirectories(dir);
            for (Path p : created) {
                syncDirectory(p.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** Flushes a folder's entries. Some systems (Windows) cannot open a folder; there renames are durable as they are. */
    public static void syncDirectory(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            if (Files.isDirectory(dir) && System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows")) {
                return;
            }
            throw e;
        }
    }

    /** Removes the temporary files a crash left mid-write (ours, and the older {@code .<name>NNN.tmp} ones). */
    private void removeTemporaryFiles() throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String rel = root.relativize(dir).toString().replace('\\', '/');
                return USER_FOLDERS.contains(rel) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String name = file.getFileName().toString();
                if (name.endsWith(TEMP_SUFFIX) || (name.startsWith(".") && name.endsWith(".tmp"))) {
                    Files.deleteIfExists(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
