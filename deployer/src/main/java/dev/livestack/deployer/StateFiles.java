package dev.livestack.deployer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The last applied template and the outputs of each stack, under {@code <stateDir>/state/}. Every write goes to
 * a temporary file first and is moved into place, so a crash leaves either the old or the new file.
 */
final class StateFiles {
    private final Path dir;

    StateFiles(Path stateDir) {
        this.dir = stateDir.resolve("state");
    }

    Path templateFile(String stackName) {
        return dir.resolve(safe(stackName) + ".template.json");
    }

    Path outputsFile(String stackName) {
        return dir.resolve(safe(stackName) + ".outputs.json");
    }

    Path driftFile(String stackName) {
        return dir.resolve(safe(stackName) + ".drift.json");
    }

    /** The stack's drift ledger (empty when nothing was hot-swapped away from CloudFormation's template). */
    DriftLedger drift(String stackName) {
        Path f = driftFile(stackName);
        if (!Files.isRegularFile(f)) {
            return DriftLedger.empty();
        }
        try {
            return DriftLedger.parse(Json.parseObject(Files.readString(f, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        } catch (IllegalArgumentException e) {
            // Read as empty: the ledger only saves calls; without it a resource is converged by its next change.
            return DriftLedger.empty();
        }
    }

    /**
     * The keys of the drift ledgers kept for the nested stacks below {@code key} ({@code <key>.<logical id>…}, see
     * {@link NestedStackSwaps#key}), sorted.
     */
    java.util.List<String> nestedDriftKeys(String key) {
        String prefix = safe(key) + ".";
        String suffix = ".drift.json";
        if (!Files.isDirectory(dir)) {
            return java.util.List.of();
        }
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith(prefix) && n.endsWith(suffix) && n.length() > prefix.length() + suffix.length())
                    .map(n -> n.substring(0, n.length() - suffix.length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    void writeDrift(String stackName, DriftLedger ledger) {
        if (ledger.isEmpty()) {
            try {
                Files.deleteIfExists(driftFile(stackName));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + driftFile(stackName), e);
            }
            return;
        }
        write(driftFile(stackName), Json.write(ledger.toJson()));
    }

    Optional<ObjectNode> template(String stackName) {
        Path f = templateFile(stackName);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.parseObject(Files.readString(f, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        } catch (IllegalArgumentException e) {
            // A damaged state file only costs a comparison against the deployed template.
            return Optional.empty();
        }
    }

    void writeTemplate(String stackName, ObjectNode template) {
        write(templateFile(stackName), Json.write(template));
    }

    void deleteTemplate(String stackName) {
        try {
            Files.deleteIfExists(templateFile(stackName));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + templateFile(stackName), e);
        }
    }

    void writeOutputs(String stackName, Map<String, String> outputs) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        new TreeMap<>(outputs).forEach(o::put);
        write(outputsFile(stackName), Json.write(o));
    }

    private void write(Path target, String content) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".tmp-", ".json");
            try {
                Files.writeString(tmp, content, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    private static String safe(String stackName) {
        return stackName.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
