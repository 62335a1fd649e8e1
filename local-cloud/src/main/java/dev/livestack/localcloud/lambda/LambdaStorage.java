package dev.livestack.localcloud.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.inlinepackager.LambdaZip;
import dev.livestack.localcloud.core.StateStore;
import dev.livestack.localcloud.core.ports.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What Lambda keeps on disk: one record a function under {@code lambda/functions}, and the deployment
 * packages (read from a request, inline or from S3) once per CodeSha256 under {@code lambda/code},
 * deleted when nothing needs them. It holds no lock: {@link LambdaFunctions} calls the writing methods
 * holding its monitor, so a sweep never races a store.
 */
final class LambdaStorage {
    private final StateStore store;
    private final ObjectStore objects;
    private final Path functionsDir;
    private final Path dir;

    LambdaStorage(StateStore store, ObjectStore objects) {
        this.store = store;
        this.objects = objects;
        this.functionsDir = store.folder("lambda/functions");
        this.dir = store.folder("lambda/code");
    }

    void save(FunctionEntry e) {
        store.writeJson(functionsDir.resolve(e.name + ".json"), e.toJson());
    }

    void delete(String name) {
        try {
            Files.deleteIfExists(functionsDir.resolve(name + ".json"));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Every stored function; a record that cannot be read is quarantined, not fatal. */
    List<FunctionEntry> load() {
        List<FunctionEntry> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(functionsDir, "*.json")) {
            for (Path f : files) {
                JsonNode n = store.readJson(f);
                if (n == null) {
                    continue;
                }
                try {
                    out.add(FunctionEntry.fromJson(n));
                } catch (RuntimeException bad) {
                    store.quarantine(f, bad);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load functions from " + functionsDir, e);
        }
        return out;
    }

    /** Deletes every function record and code package (the test controls' reset). */
    void clear() {
        for (Path folder : List.of(functionsDir, dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
                for (Path f : files) {
                    Files.deleteIfExists(f);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The deployment package of a request's code: inline bytes (base64 in JSON) or an S3 object. */
    byte[] codeOf(JsonNode codeNode) {
        if (codeNode != null && codeNode.hasNonNull("ZipFile")) {
            byte[] zip;
            try {
                zip = codeNode.get("ZipFile").binaryValue();
            } catch (IOException e) {
                throw FunctionNames.invalid("Could not unzip uploaded file. Please check your file, then try to upload again.");
            }
            FunctionSettings.checkZip(zip);
            return zip;
        }
        if (codeNode != null && codeNode.hasNonNull("S3Bucket")) {
            String bucket = codeNode.get("S3Bucket").asText();
            String key = codeNode.path("S3Key").asText("");
            byte[] zip = objects.get(bucket, key);
            if (zip == null) {
                throw FunctionNames.invalid("Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.");
            }
            FunctionSettings.checkZip(zip);
            return zip;
        }
        throw FunctionNames.invalid("Please provide a source for function code.");
    }

    /** Keeps {@code zip} and records its CodeSha256 and CodeSize in the configuration {@code c}. */
    void storeCode(ObjectNode c, byte[] zip) {
        String sha = LambdaZip.codeSha256(zip);
        Path p = codePath(FunctionSettings.hex(sha));
        if (!Files.exists(p)) {
            store.writeBytes(p, zip);
        }
        c.put("CodeSha256", sha);
        c.put("CodeSize", zip.length);
    }

    Path codePath(String hex) {
        return dir.resolve(hex + ".zip");
    }

    /** The stored zip whose CodeSha256 (as hex) is {@code hex}, or null. */
    byte[] zip(String hex) {
        if (!hex.matches("[0-9a-f]{64}")) {
            return null;
        }
        Path p = codePath(hex);
        try {
            return Files.exists(p) ? Files.readAllBytes(p) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes every package whose hex CodeSha256 is not in {@code needed}. */
    void sweepCode(Set<String> needed) {
        try (DirectoryStream<Path> zips = Files.newDirectoryStream(dir)) {
            for (Path zip : zips) {
                String name = zip.getFileName().toString();
                if (name.endsWith(".zip") && !needed.contains(name.substring(0, name.length() - ".zip".length()))) {
                    Files.deleteIfExists(zip);
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot clean " + dir, ex);
        }
    }
}
