package dev.livestack.localcloud.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A LocalStack {@code *.snapshot.json} file kept under {@code src/test/resources/parity/localstack/}: per recorded
 * test (its pytest node id), the recorded responses by key, already transformed.
 */
public record Snapshots(String path, Map<String, ObjectNode> tests) {
    public Snapshots {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(tests, "tests");
    }

    /**
     * Loads {@code parity/localstack/<path>} from the test classpath, e.g.
     * {@code tests/aws/services/lambda_/test_lambda_api.snapshot.json}.
     */
    public static Snapshots load(String path) {
        String resource = "/parity/localstack/" + path;
        try (InputStream in = Snapshots.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("path names no snapshot file on the test classpath: " + resource);
            }
            JsonNode root = Botocore.JSON.readTree(in);
            Map<String, ObjectNode> tests = new LinkedHashMap<>();
            root.fields().forEachRemaining(e -> {
                JsonNode content = e.getValue().get("recorded-content");
                if (content != null && content.isObject()) {
                    tests.put(e.getKey(), (ObjectNode) content);
                }
            });
            return new Snapshots(path, tests);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The recorded content of one test, by its id relative to the file ({@code TestClass::test_name[param]}). */
    public ObjectNode recorded(String testId) {
        ObjectNode content = tests.get(nodeId(testId));
        if (content == null) {
            throw new IllegalArgumentException("testId " + testId + " has no recording in " + path);
        }
        return content;
    }

    /** The full pytest node id the file keys a test by. */
    public String nodeId(String testId) {
        return path.replace(".snapshot.json", ".py") + "::" + testId;
    }
}
