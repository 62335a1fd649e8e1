package dev.livestack.localcloud.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.StateStore;
import dev.livestack.localcloud.core.ports.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The S3 subset's buckets and objects. Object bytes live in one file each (named by a hash of bucket
 * and key, so any key is a valid file name); the bucket and object index is one JSON file, rewritten
 * atomically on every change.
 *
 * <p>Other services read objects through {@link #get(String, String)}: for example Lambda's
 * {@code Code.S3Bucket}/{@code S3Key} and CloudFormation's {@code TemplateURL}. Reach the store from
 * a service through the {@code ObjectStore} port, {@code CloudContext.objects()}.
 */
public final class S3Store implements ObjectStore {
    private final StateStore store;
    private final Path index;
    private final Path objects;
    private final Map<String, Bucket> buckets = new TreeMap<>();

    /** {@code crc32}: the object's CRC32 (base64) when the upload carried one, as S3 then keeps it; else null. */
    record ObjectMeta(String key, long size, String etag, Instant lastModified, String contentType,
                      Map<String, String> metadata, String file, String crc32) {
    }

    static final class Bucket {
        final String name;
        final Instant created;
        final NavigableMap<String, ObjectMeta> objects = new TreeMap<>();

        Bucket(String name, Instant created) {
            this.name = name;
            this.created = created;
        }
    }

    public S3Store(StateStore store) {
        this.store = store;
        Path root = store.folder("s3");
        this.index = root.resolve("index.json");
        this.objects = store.folder("s3/objects");
        load();
    }

    private void load() {
        Map<String, Bucket> saved = store.load(index, this::parse);
        if (saved != null) {
            buckets.putAll(saved);
        }
    }

    private Map<String, Bucket> parse(JsonNode saved) {
        if (!saved.isObject()) {
            throw new IllegalArgumentException("expected an object with buckets");
        }
        Map<String, Bucket> buckets = new LinkedHashMap<>();
        for (JsonNode b : saved.path("buckets")) {
            Bucket bucket = new Bucket(b.get("name").asText(), Instant.parse(b.get("created").asText()));
            for (JsonNode o : b.path("objects")) {
                Map<String, String> meta = new LinkedHashMap<>();
                o.path("metadata").fields().forEachRemaining(e -> meta.put(e.getKey(), e.getValue().asText()));
                bucket.objects.put(o.get("key").asText(), new ObjectMeta(o.get("key").asText(), o.get("size").asLong(),
                        o.get("etag").asText(), Instant.parse(o.get("lastModified").asText()),
                        o.get("contentType").asText(), meta, o.get("file").asText(),
                        o.hasNonNull("crc32") ? o.get("crc32").asText() : null));
            }
            buckets.put(bucket.name, bucket);
        }
        return buckets;
    }

    private void save() {
        ObjectNode root = Http.JSON.createObjectNode();
        var list = root.putArray("buckets");
        for (Bucket b : buckets.values()) {
            ObjectNode n = list.addObject();
            n.put("name", b.name);
            n.put("created", b.created.toString());
            var objs = n.putArray("objects");
            for (ObjectMeta o : b.objects.values()) {
                ObjectNode on = objs.addObject();
                on.put("key", o.key());
                on.put("size", o.size());
                on.put("etag", o.etag());
                on.put("lastModified", o.lastModified().toString());
                on.put("contentType", o.contentType());
                ObjectNode meta = on.putObject("metadata");
                o.metadata().forEach(meta::put);
                on.put("file", o.file());
                if (o.crc32() != null) {
                    on.put("crc32", o.crc32());
                }
            }
        }
        store.writeJson(index, root);
    }

    synchronized boolean exists(String bucket) {
        return buckets.containsKey(bucket);
    }

    /** Creates a bucket; false when it already existed. */
    synchronized boolean createBucket(String bucket) {
        if (buckets.containsKey(bucket)) {
            return false;
        }
        buckets.put(bucket, new Bucket(bucket, Instant.now()));
        save();
        return true;
    }

    /** Deletes an empty bucket; false when it holds objects. Missing buckets are the caller's to check. */
    synchronized boolean deleteBucket(String bucket, boolean force) {
        Bucket b = buckets.get(bucket);
        if (b == null) {
            return true;
        }
        if (!b.objects.isEmpty() && !force) {
            return false;
        }
        for (ObjectMeta o : b.objects.values()) {
            deleteFile(o.file());
        }
        buckets.remove(bucket);
        save();
        return true;
    }

    synchronized List<Bucket> buckets() {
        return new ArrayList<>(buckets.values());
    }

    synchronized ObjectMeta put(String bucket, String key, byte[] bytes, String contentType, Map<String, String> metadata) {
        return put(bucket, key, bytes, contentType, metadata, false);
    }

    /** As {@link #put}; with {@code crc32}, the object keeps its CRC32, as S3 does for an upload that sent one. */
    synchronized ObjectMeta put(String bucket, String key, byte[] bytes, String contentType, Map<String, String> metadata,
                                boolean crc32) {
        Bucket b = bucket(bucket);
        String file = sha256(bucket + "\n" + key);
        store.writeBytes(objects.resolve(file), bytes);
        ObjectMeta meta = new ObjectMeta(key, bytes.length, "\"" + md5(bytes) + "\"", Instant.now(),
                contentType == null ? "binary/octet-stream" : contentType, Map.copyOf(metadata), file,
                crc32 ? crc32(bytes) : null);
        b.objects.put(key, meta);
        save();
        return meta;
    }

    @Override
    public synchronized void putOwned(String bucket, String key, byte[] bytes, String contentType) {
        if (!buckets.containsKey(bucket)) {
            buckets.put(bucket, new Bucket(bucket, Instant.now()));
        }
        put(bucket, key, bytes, contentType, Map.of());
    }

    static String crc32(byte[] bytes) {
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        c.update(bytes);
        long v = c.getValue();
        return java.util.Base64.getEncoder().encodeToString(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    /** An object's description, or null when the bucket exists and the key does not. */
    synchronized ObjectMeta head(String bucket, String key) {
        return bucket(bucket).objects.get(key);
    }

    /**
     * An object's bytes, or null when the bucket or the key does not exist. This is the package-private
     * way for other services to read S3 content (e.g. Lambda {@code Code.S3Bucket}/{@code S3Key}).
     */
    @Override
    public byte[] get(String bucket, String key) {
        ObjectMeta meta;
        synchronized (this) {
            Bucket b = buckets.get(bucket);
            meta = b == null ? null : b.objects.get(key);
        }
        if (meta == null) {
            return null;
        }
        try {
            return Files.readAllBytes(objects.resolve(meta.file()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void delete(String bucket, String key) {
        ObjectMeta removed = bucket(bucket).objects.remove(key);
        if (removed != null) {
            deleteFile(removed.file());
            save();
        }
    }

    synchronized NavigableMap<String, ObjectMeta> objects(String bucket) {
        return new TreeMap<>(bucket(bucket).objects);
    }

    synchronized void reset() {
        for (Bucket b : buckets.values()) {
            for (ObjectMeta o : b.objects.values()) {
                deleteFile(o.file());
            }
        }
        buckets.clear();
        save();
    }

    private Bucket bucket(String name) {
        Bucket b = buckets.get(name);
        if (b == null) {
            throw new AwsException(404, "NoSuchBucket", "The specified bucket does not exist");
        }
        return b;
    }

    private void deleteFile(String file) {
        try {
            Files.deleteIfExists(objects.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String md5(byte[] bytes) {
        return digest("MD5", bytes);
    }

    static String sha256(String s) {
        return digest("SHA-256", s.getBytes(StandardCharsets.UTF_8));
    }

    static String digest(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
