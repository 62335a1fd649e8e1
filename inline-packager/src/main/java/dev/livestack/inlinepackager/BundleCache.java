package dev.livestack.inlinepackager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Remembers bundles by the exact files esbuild read (from its metafile), so a synth does not re-bundle every
 * unchanged function: the warm synthesiser re-runs the app, and with it every {@code InlineFunction}, on each save.
 *
 * <p>A bundle is reused only when every input has the same content (SHA-256), the folders holding them list the
 * same files (a new {@code greet.ts} beside {@code greet.js} changes what an import resolves to), and the npm
 * install state ({@code package.json}, lock files) is unchanged. A bundle whose inputs were modified within
 * {@link #RACY_MILLIS} of the run is not remembered: esbuild may have read them before the last write, and their
 * hashes now would describe content the output does not hold (git's "racy clean" problem).
 */
final class BundleCache {
    static final long RACY_MILLIS = 2000;
    private static final int MAX_ENTRIES = 256;
    private static final List<String> INSTALL_STATE = List.of("package.json", "package-lock.json",
            "node_modules/.package-lock.json", "yarn.lock", "pnpm-lock.yaml");

    record Key(Path entry, String target) {
    }

    private record Entry(List<Path> inputs, Map<String, String> fingerprint, String output) {
    }

    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

    /** The remembered bundle, when nothing it was built from changed; else null. */
    String get(Key key, Path workDir) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        Map<String, String> now = fingerprint(entry.inputs(), workDir, Long.MAX_VALUE);
        if (entry.fingerprint().equals(now)) {
            return entry.output();
        }
        entries.remove(key, entry);
        return null;
    }

    /**
     * Remembers a bundle.
     *
     * @param metafile esbuild's metafile JSON for the run
     * @param started when the esbuild run started ({@link System#currentTimeMillis()})
     */
    void put(Key key, Path workDir, String metafile, long started, String output) {
        List<Path> inputs = inputs(metafile, workDir);
        if (inputs == null) {
            return;
        }
        Map<String, String> fingerprint = fingerprint(inputs, workDir, started - RACY_MILLIS);
        if (fingerprint == null) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(key, new Entry(List.copyOf(inputs), fingerprint, output));
    }

    /** The files esbuild read, or null when one is not a plain file (nothing safe to remember). */
    private static List<Path> inputs(String metafile, Path workDir) {
        JsonNode inputs;
        try {
            inputs = new ObjectMapper().readTree(metafile).path("inputs");
        } catch (IOException e) {
            return null;
        }
        if (!inputs.isObject() || inputs.isEmpty()) {
            return null;
        }
        List<Path> files = new ArrayList<>();
        for (Iterator<String> it = inputs.fieldNames(); it.hasNext(); ) {
            Path file = workDir.resolve(it.next()).normalize();
            if (!Files.isRegularFile(file)) {
                return null;
            }
            files.add(file);
        }
        return files;
    }

    /**
     * Content hash of each input, the listing of each folder holding one, and the npm install state; null when
     * something is unreadable or was modified after {@code notAfter}.
     */
    private static Map<String, String> fingerprint(List<Path> inputs, Path workDir, long notAfter) {
        Map<String, String> result = new HashMap<>();
        TreeSet<Path> folders = new TreeSet<>();
        try {
            for (Path file : inputs) {
                if (Files.getLastModifiedTime(file).toMillis() > notAfter) {
                    return null;
                }
                result.put("file:" + file, sha256(Files.readAllBytes(file)));
                folders.add(file.getParent());
            }
            for (Path folder : folders) {
                if (Files.getLastModifiedTime(folder).toMillis() > notAfter) {
                    return null;
                }
                try (Stream<Path> list = Files.list(folder)) {
                    result.put("dir:" + folder, String.join("/", list.map(f -> f.getFileName().toString()).sorted().toList()));
                }
            }
            for (String name : INSTALL_STATE) {
                Path file = workDir.resolve(name);
                result.put("state:" + name, Files.isRegularFile(file) ? sha256(Files.readAllBytes(file)) : "-");
            }
        } catch (IOException e) {
            return null;
        }
        return result;
    }

    private static String sha256(byte[] bytes) {
        try {
            return Arrays.toString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
