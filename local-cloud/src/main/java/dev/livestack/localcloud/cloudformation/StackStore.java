package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.ports.RoleDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * CloudFormation's records and their persistence: every stack (deleted ones stay, visible by id) and change set,
 * one JSON file each, and the lookups the API and the operations make (by name or id, exports, the roles STS
 * assumes). Records are mutable and guarded by {@link #lock}.
 */
final class StackStore implements RoleDirectory {
    /**
     * Guards every read and write of stacks and change sets. Only the engine's own parts hold it; the service and
     * other packages go through {@link #locked} or the engine's methods.
     */
    final Object lock = new Object();
    private final CloudContext context;

    private final ObjectMapper mapper;

    private final Path stacksDir;

    private final Path changeSetsDir;

    /** Every stack ever created, by stack id (deleted ones stay, as in AWS, visible by id). */
    final Map<String, StackRecord> stacks = new LinkedHashMap<>();

    final Map<String, ChangeSetRecord> changeSets = new LinkedHashMap<>();

    StackStore(CloudContext context) {
        this.context = context;
        this.mapper = new ObjectMapper()
                .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        this.stacksDir = context.store().folder("cloudformation/stacks");
        this.changeSetsDir = context.store().folder("cloudformation/changesets");
        load();
    }

    /** Runs {@code work} holding the lock, so a whole API call sees one consistent state. */
    <T> T locked(java.util.function.Supplier<T> work) {
        synchronized (lock) {
            return work.get();
        }
    }

    private void load() {
        for (Path file : list(stacksDir)) {
            StackRecord s = read(file, StackRecord.class);
            if (s == null) {
                continue;
            }
            if (s.status != null && s.status.inProgress() && s.status != StackStatus.REVIEW_IN_PROGRESS) {
                s.status = s.status.interrupted();
                s.statusReason = "local-cloud stopped while the operation was in progress";
            }
            stacks.put(s.stackId, s);
        }
        for (Path file : list(changeSetsDir)) {
            ChangeSetRecord c = read(file, ChangeSetRecord.class);
            if (c == null) {
                continue;
            }
            if ("CREATE_PENDING".equals(c.status) || "CREATE_IN_PROGRESS".equals(c.status)) {
                c.status = "FAILED";
                c.statusReason = "local-cloud stopped while the change set was being created";
                c.executionStatus = "UNAVAILABLE";
            } else if ("EXECUTE_IN_PROGRESS".equals(c.executionStatus)) {
                c.executionStatus = "EXECUTE_FAILED";
            }
            changeSets.put(c.id, c);
        }
    }

    private List<Path> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A record, or null when it cannot be read (it is then quarantined, and the others still load). */
    private <T> T read(Path file, Class<T> type) {
        try {
            T value = mapper.readValue(file.toFile(), type);
            if (value == null) {
                throw new IOException("the file holds no record");
            }
            return value;
        } catch (IOException e) {
            context.store().quarantine(file, e);
            return null;
        }
    }

    void save(StackRecord s) {
        context.store().writeJson(stacksDir.resolve(tail(s.stackId) + ".json"), mapper.valueToTree(s));
    }

    void save(ChangeSetRecord c) {
        context.store().writeJson(changeSetsDir.resolve(tail(c.id) + ".json"), mapper.valueToTree(c));
    }

    void forget(ChangeSetRecord c) {
        changeSets.remove(c.id);
        try {
            Files.deleteIfExists(changeSetsDir.resolve(tail(c.id) + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    void reset() {
        synchronized (lock) {
            stacks.clear();
            changeSets.clear();
            for (Path dir : List.of(stacksDir, changeSetsDir)) {
                for (Path f : list(dir)) {
                    try {
                        Files.deleteIfExists(f);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
    }

    /** The live {@code AWS::IAM::Role} with this ARN in a stack not deleted, under the engine's lock. */
    @Override
    public RoleDirectory.StackRole role(String roleArn) {
        synchronized (lock) {
            for (StackRecord s : stacks.values()) {
                if (s.deleted()) {
                    continue;
                }
                for (StackRecord.Resource r : s.resources.values()) {
                    if ("AWS::IAM::Role".equals(r.type) && r.physicalId != null && liveRole(r.status)
                            && roleArn.equals(r.attributes.get("Arn"))) {
                        Object id = r.attributes.get("RoleId");
                        return new RoleDirectory.StackRole(r.physicalId, id == null ? null : id.toString(), r.properties);
                    }
                }
            }
            return null;
        }
    }

    private static boolean liveRole(String status) {
        return status != null && !status.startsWith("DELETE") && !status.equals("CREATE_FAILED")
                && !status.equals("CREATE_IN_PROGRESS");
    }

    Collection<StackRecord> stacks() {
        return stacks.values();
    }

    Collection<ChangeSetRecord> changeSets() {
        return changeSets.values();
    }

    /** A live stack by name or id, or a deleted one by id; null when none. */
    StackRecord find(String nameOrId) {
        if (nameOrId == null) {
            return null;
        }
        if (nameOrId.startsWith("arn:")) {
            return stacks.get(nameOrId);
        }
        for (StackRecord s : stacks.values()) {
            if (s.stackName.equals(nameOrId) && !s.deleted()) {
                return s;
            }
        }
        return null;
    }

    StackRecord require(String nameOrId) {
        StackRecord s = find(nameOrId);
        if (s == null) {
            throw AwsException.validation("Stack with id " + nameOrId + " does not exist");
        }
        return s;
    }

    ChangeSetRecord changeSet(String nameOrArn, String stackNameOrId) {
        if (nameOrArn.startsWith("arn:")) {
            ChangeSetRecord c = changeSets.get(nameOrArn);
            if (c != null) {
                return c;
            }
        } else {
            if (stackNameOrId == null) {
                throw AwsException.validation("StackName must be specified if ChangeSetName is not specified as an ARN.");
            }
            StackRecord s = find(stackNameOrId);
            if (s == null) {
                // By name, CloudFormation looks the stack up first and says so when it is missing.
                throw AwsException.validation("Stack [" + stackNameOrId + "] does not exist");
            }
            for (ChangeSetRecord c : changeSets.values()) {
                if (c.name.equals(nameOrArn) && c.stackId.equals(s.stackId)) {
                    return c;
                }
            }
        }
        throw new AwsException(404, "ChangeSetNotFound", "ChangeSet [" + nameOrArn + "] does not exist");
    }

    Map<String, String> exports() {
        Map<String, String> out = new LinkedHashMap<>();
        for (StackRecord s : stacks.values()) {
            if (s.deleted()) {
                continue;
            }
            for (StackRecord.Output o : s.outputs) {
                if (o.exportName != null) {
                    out.put(o.exportName, o.value);
                }
            }
        }
        return out;
    }

    String exporter(String exportName) {
        for (StackRecord s : stacks.values()) {
            if (!s.deleted() && s.outputs.stream().anyMatch(o -> exportName.equals(o.exportName))) {
                return s.stackId;
            }
        }
        return null;
    }

    StackRecord newStack(String name, StackStatus status) {
        StackRecord s = new StackRecord();
        s.stackName = name;
        s.stackId = context.arn("cloudformation", "stack/" + name + "/" + UUID.randomUUID());
        s.status = status;
        s.creationTime = System.currentTimeMillis();
        stacks.put(s.stackId, s);
        return s;
    }

    void removeChangeSet(ChangeSetRecord c) {
        forget(c);
    }

    void addChangeSet(ChangeSetRecord c) {
        changeSets.put(c.id, c);
    }

    /** The name of a live stack other than {@code exceptStackId} that imports this export, or null. */
    String importer(String exportName, String exceptStackId) {
        for (StackRecord other : stacks.values()) {
            if (!other.deleted() && !other.stackId.equals(exceptStackId) && other.imports.contains(exportName)) {
                return other.stackName;
            }
        }
        return null;
    }
}
