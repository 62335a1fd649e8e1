package dev.livestack.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Map;

/**
 * An app's {@code cdk.context.json}: new values are merged into what the file holds (its other keys and their order
 * kept) and the file is written the way the CDK CLI writes it (two-space JSON as JavaScript's
 * {@code JSON.stringify(value, null, 2)} lays it out, and a final newline), atomically.
 */
final class ContextFile {
    static final ObjectMapper JSON = new ObjectMapper();

    private ContextFile() {
    }

    static void merge(Path appDir, Map<String, JsonNode> values) throws IOException {
        if (values.isEmpty()) {
            return;
        }
        Path file = appDir.resolve("cdk.context.json");
        ObjectNode all = JSON.createObjectNode();
        if (Files.isRegularFile(file)) {
            JsonNode old = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            if (old != null && old.isObject()) {
                all = (ObjectNode) old;
            } else if (old != null && !old.isMissingNode()) {
                throw new IOException(file + " does not hold a JSON object");
            }
        }
        values.forEach(all::set);
        StringBuilder out = new StringBuilder();
        write(out, all, "");
        out.append('\n');
        Path tmp = Files.createTempFile(appDir, ".cdk.context", ".json.tmp");
        try {
            Files.writeString(tmp, out, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** JavaScript's two-space layout: one member per line, {@code "key": value}, empty containers as {@code []} / {@code {}}. */
    static void write(StringBuilder out, JsonNode n, String indent) throws IOException {
        String inner = indent + "  ";
        if (n.isObject() && n.size() > 0) {
            out.append("{\n");
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.append(inner).append(JSON.writeValueAsString(e.getKey())).append(": ");
                write(out, e.getValue(), inner);
                out.append(it.hasNext() ? ",\n" : "\n");
            }
            out.append(indent).append('}');
        } else if (n.isArray() && n.size() > 0) {
            out.append("[\n");
            for (int i = 0; i < n.size(); i++) {
                out.append(inner);
                write(out, n.get(i), inner);
                out.append(i + 1 < n.size() ? ",\n" : "\n");
            }
            out.append(indent).append(']');
        } else {
            out.append(JSON.writeValueAsString(n));
        }
    }
}
