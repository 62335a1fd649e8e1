package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.ports.ResourceProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * A create or update of a stack: the wave loop that provisions resources in dependency order on a worker thread,
 * then the outputs, exports and the finish (complete, or rollback through {@link StackRollback}).
 */
final class StackOperation {
    private final CloudContext context;
    private final StackStore store;
    private final ChangeCalculation calc;
    private final StackRollback rollback;
    private final ExecutorService workers;

    StackOperation(CloudContext context, StackStore store, ChangeCalculation calc, StackRollback rollback,
                   ExecutorService workers) {
        this.context = context;
        this.store = store;
        this.calc = calc;
        this.rollback = rollback;
        this.workers = workers;
    }

    /** Starts creating or updating a stack to a prepared template; the caller has set nothing yet. */
    void startDeploy(StackRecord s, Prepared prepared, String body, List<String> capabilities, Map<String, String> tags,
                     String token, ChangeSetRecord executed) {
        boolean create = s.templateBody == null;
        Snapshot before = create ? null : new Snapshot(s);
        s.status = create ? StackStatus.CREATE_IN_PROGRESS : StackStatus.UPDATE_IN_PROGRESS;
        s.statusReason = "User Initiated";
        if (!create || executed != null) {
            // executing a CREATE change set is the stack's first update: AWS stamps LastUpdatedTime then
            s.lastUpdatedTime = System.currentTimeMillis();
        }
        if (!capabilities.isEmpty() || create) {
            // an update that names no capabilities leaves the stack's acknowledged ones as they were (AWS's record)
            s.capabilities = new ArrayList<>(capabilities);
        }
        if (tags != null) {
            s.tags = new LinkedHashMap<>(tags);
        }
        s.changeSetId = executed == null ? null : executed.id;
        StackEvents.stackEvent(s, s.status, "User Initiated", token);
        s.statusReason = null;
        store.save(s);
        workers.submit(() -> {
            try {
                deploy(s, prepared, body, create, before, token, executed);
            } catch (RuntimeException | LinkageError e) {
                // A worker must never die silently: the stack would stay *_IN_PROGRESS for ever.
                synchronized (store.lock) {
                    s.status = create ? StackStatus.CREATE_FAILED : StackStatus.UPDATE_ROLLBACK_FAILED;
                    s.statusReason = "Internal failure: " + e;
                    StackEvents.stackEvent(s, s.status, s.statusReason, token);
                    store.save(s);
                }
            }
        });
    }

    /**
     * The stack's resources and template before an update. A failed update never replaces the stack's template,
     * parameters, outputs or imports, so a rollback only has resources to put back.
     */
    static final class Snapshot {
        final String templateBody;
        final Map<String, StackRecord.Resource> resources = new LinkedHashMap<>();

        Snapshot(StackRecord s) {
            templateBody = s.templateBody;
            s.resources.forEach((k, v) -> resources.put(k, v.copy()));
        }
    }

    enum Action { CREATE, UPDATE, REPLACE }

    private void deploy(StackRecord s, Prepared prepared, String body, boolean create, Snapshot before, String token,
                        ChangeSetRecord executed) {
        Template t = prepared.template();
        List<String> included = new ArrayList<>();
        List<List<String>> waves;
        Intrinsics in;
        synchronized (store.lock) {
            s.deployingSecrets = StackEvents.noEchoValues(prepared.parameters());
            in = calc.intrinsics(s, prepared, s.resources, Set.of(), false);
            for (var e : Template.iterable(t.resources())) {
                if (in.included(e.getValue())) {
                    included.add(e.getKey());
                }
            }
            waves = t.creationOrder(included);
        }
        List<String> done = new ArrayList<>();
        Map<String, StackRecord.Resource> replacedOld = new LinkedHashMap<>();
        Map<String, StackRecord.Resource> updatedOld = new LinkedHashMap<>();
        List<String> createdNew = new ArrayList<>();
        String failedId = null;
        String failedVerb = null;
        for (List<String> wave : waves) {
            Map<String, Action> actions = new LinkedHashMap<>();
            Map<String, ObjectNode> props = new LinkedHashMap<>();
            synchronized (store.lock) {
                for (String id : wave) {
                    JsonNode def = t.resources().get(id);
                    String type = def.path("Type").asText();
                    StackRecord.Resource old = s.resources.get(id);
                    boolean exists = old != null && old.physicalId != null && !"DELETE_COMPLETE".equals(old.status);
                    ObjectNode p;
                    try {
                        p = ChangeCalculation.properties(in, def);
                    } catch (Intrinsics.TemplateError e) {
                        failedId = id;
                        failedVerb = exists ? "update" : "create";
                        StackEvents.resourceEvent(s, id, exists ? old.physicalId : "", type, exists ? "UPDATE_FAILED" : "CREATE_FAILED",
                                e.getMessage(), null, token);
                        break;
                    }
                    props.put(id, p);
                    if (!exists) {
                        actions.put(id, Action.CREATE);
                        StackRecord.Resource r = new StackRecord.Resource();
                        r.logicalId = id;
                        r.type = type;
                        r.status = "CREATE_IN_PROGRESS";
                        r.timestamp = System.currentTimeMillis();
                        r.metadata = def.get("Metadata");
                        r.deletionPolicy = def.path("DeletionPolicy").asText(null);
                        s.resources.put(id, r);
                        StackEvents.resourceEvent(s, id, "", type, "CREATE_IN_PROGRESS", null, p, token);
                    } else if (!p.equals(old.properties) || !Objects.equals(old.metadata, def.get("Metadata"))) {
                        boolean replace = false;
                        for (String name : calc.replacementProperties(type)) {
                            replace |= !Objects.equals(p.get(name), old.properties == null ? null : old.properties.get(name));
                        }
                        if (replace) {
                            actions.put(id, Action.REPLACE);
                            replacedOld.put(id, old.copy());
                            StackEvents.resourceEvent(s, id, old.physicalId, type, "UPDATE_IN_PROGRESS",
                                    "Requested update requires the creation of a new physical resource; hence creating one.", p, token);
                        } else {
                            actions.put(id, Action.UPDATE);
                            updatedOld.put(id, old.copy());
                            StackEvents.resourceEvent(s, id, old.physicalId, type, "UPDATE_IN_PROGRESS", null, p, token);
                        }
                        old.status = "UPDATE_IN_PROGRESS";
                        old.metadata = def.get("Metadata");
                    }
                }
                store.save(s);
            }
            if (failedId != null) {
                break;
            }
            List<String> pending = new ArrayList<>(actions.keySet());
            for (String id : actions.keySet()) {
                pending.remove(id);
                Action action = actions.get(id);
                StackRecord.Resource r;
                synchronized (store.lock) {
                    r = s.resources.get(id);
                }
                String fault = context.faults().resourceFailure(id, r.type);
                try {
                    if (fault != null) {
                        throw new ResourceProvider.ResourceFailure(fault);
                    }
                    ResourceProvider.Provisioned result = switch (action) {
                        case CREATE, REPLACE -> rollback.provisionCreate(r.type, s.stackName, id, props.get(id));
                        case UPDATE -> rollback.provisionUpdate(r, s.stackName, props.get(id));
                    };
                    synchronized (store.lock) {
                        String prefix = action == Action.CREATE ? "CREATE" : "UPDATE";
                        if (action != Action.UPDATE) {
                            StackEvents.resourceEvent(s, id, result.physicalId(), r.type, prefix + "_IN_PROGRESS",
                                    "Resource creation Initiated", props.get(id), token);
                        }
                        r.physicalId = result.physicalId();
                        r.attributes = new LinkedHashMap<>(result.attributes());
                        r.properties = props.get(id);
                        r.status = prefix + "_COMPLETE";
                        r.statusReason = null;
                        r.timestamp = System.currentTimeMillis();
                        StackEvents.resourceEvent(s, id, r.physicalId, r.type, r.status, null, null, token);
                        if (action == Action.CREATE) {
                            createdNew.add(id);
                        }
                        done.add(id);
                    }
                } catch (RuntimeException e) {
                    String reason = e instanceof ResourceProvider.ResourceFailure || e instanceof Intrinsics.TemplateError
                            ? e.getMessage() : "Internal Failure: " + e;
                    synchronized (store.lock) {
                        boolean creating = action == Action.CREATE;
                        String prefix = creating ? "CREATE" : "UPDATE";
                        if (creating && e instanceof NestedStacks.Failure nested) {
                            // the child stack exists though it failed; the rollback deletes it through this id
                            r.physicalId = nested.physicalId;
                        }
                        r.status = prefix + "_FAILED";
                        r.statusReason = reason;
                        StackEvents.resourceEvent(s, id, r.physicalId == null ? "" : r.physicalId, r.type, r.status, reason, null, token);
                        if (action == Action.REPLACE || action == Action.UPDATE) {
                            // The failed resource keeps its previous physical resource; rollback restores it.
                            done.add(id);
                        } else {
                            createdNew.add(id);
                        }
                        for (String other : pending) {
                            StackRecord.Resource o = s.resources.get(other);
                            boolean otherCreate = actions.get(other) == Action.CREATE;
                            o.status = otherCreate ? "CREATE_FAILED" : "UPDATE_FAILED";
                            o.statusReason = otherCreate ? "Resource creation cancelled" : "Resource update cancelled";
                            StackEvents.resourceEvent(s, other, o.physicalId == null ? "" : o.physicalId, o.type, o.status, o.statusReason, null, token);
                            if (otherCreate) {
                                createdNew.add(other);
                            } else {
                                done.add(other);
                            }
                        }
                        failedId = id;
                        failedVerb = creating ? "create" : "update";
                        store.save(s);
                    }
                    break;
                }
            }
            synchronized (store.lock) {
                // One write per wave: a crash mid-wave is reported as a failed operation on restart anyway.
                store.save(s);
            }
            if (failedId != null) {
                break;
            }
        }
        List<StackRecord.Output> outputs = new ArrayList<>();
        String outputFailure = null;
        if (failedId == null) {
            synchronized (store.lock) {
                try {
                    outputs = outputs(in, t, s);
                } catch (Intrinsics.TemplateError | AwsException e) {
                    outputFailure = e.getMessage();
                }
            }
        }
        synchronized (store.lock) {
            if (failedId == null && outputFailure == null) {
                s.templateBody = body;
                s.originalTemplateBody = t.original();
                s.parameters = prepared.parameters();
                s.outputs = outputs;
                s.description = t.description();
                s.imports = importsOf(t, in);
                if (executed != null) {
                    executed.executionStatus = "EXECUTE_COMPLETE";
                    store.save(executed);
                }
            } else if (executed != null) {
                executed.executionStatus = "EXECUTE_FAILED";
                store.save(executed);
            }
        }
        if (create) {
            finishCreate(s, t, failedId, outputFailure, token);
        } else {
            finishUpdate(s, t, body, before, included, failedId, failedVerb, outputFailure, replacedOld, updatedOld, createdNew,
                    token);
        }
    }

    private List<StackRecord.Output> outputs(Intrinsics in, Template t, StackRecord s) {
        List<StackRecord.Output> out = new ArrayList<>();
        Map<String, String> taken = store.exports();
        for (var e : Template.iterable(t.section("Outputs"))) {
            JsonNode def = e.getValue();
            if (!in.included(def)) {
                continue;
            }
            JsonNode v = in.resolve(def.get("Value"));
            String value = v == null ? "" : v.isValueNode() ? v.asText() : SubmissionChecks.join(v);
            String exportName = null;
            if (def.has("Export")) {
                JsonNode n = in.resolve(def.get("Export").get("Name"));
                exportName = n == null ? null : n.asText();
                String owner = store.exporter(exportName);
                if (owner != null && !owner.equals(s.stackId) && taken.containsKey(exportName)) {
                    throw AwsException.validation("Export with name " + exportName + " is already exported by stack "
                            + store.stacks.get(owner).stackName + ". Rollback requested by user.");
                }
            }
            out.add(new StackRecord.Output(e.getKey(), value, def.path("Description").asText(null), exportName));
        }
        for (StackRecord.Output old : s.outputs) {
            if (old.exportName == null) {
                continue;
            }
            StackRecord.Output now = out.stream().filter(o -> old.exportName.equals(o.exportName)).findFirst().orElse(null);
            if (now == null || !now.value.equals(old.value)) {
                String importer = store.importer(old.exportName, s.stackId);
                if (importer != null) {
                    throw AwsException.validation("Cannot " + (now == null ? "delete" : "update") + " export " + old.exportName
                            + " as it is in use by " + importer);
                }
            }
        }
        return out;
    }

    private List<String> importsOf(Template t, Intrinsics in) {
        List<JsonNode> args = new ArrayList<>();
        SubmissionChecks.collect(t.resources(), "Fn::ImportValue", args);
        SubmissionChecks.collect(t.section("Outputs"), "Fn::ImportValue", args);
        List<String> out = new ArrayList<>();
        for (JsonNode a : args) {
            try {
                JsonNode n = in.resolve(a);
                if (n != null && n.isTextual()) {
                    out.add(n.asText());
                }
            } catch (Intrinsics.TemplateError e) {
                // an import inside an unused branch may not resolve; it does not bind the export
            }
        }
        return out;
    }

    private void finishCreate(StackRecord s, Template t, String failedId, String outputFailure,
                              String token) {
        synchronized (store.lock) {
            if (failedId == null && outputFailure == null) {
                s.status = StackStatus.CREATE_COMPLETE;
                StackEvents.stackEvent(s, s.status, null, token);
                store.save(s);
                return;
            }
            String reason = outputFailure != null ? outputFailure
                    : "The following resource(s) failed to create: [" + failedResources(s) + "]. ";
            if (s.disableRollback) {
                s.status = StackStatus.CREATE_FAILED;
                s.statusReason = reason;
                StackEvents.stackEvent(s, s.status, reason, token);
                store.save(s);
                return;
            }
            s.status = StackStatus.ROLLBACK_IN_PROGRESS;
            s.statusReason = reason + (outputFailure != null ? "" : "Rollback requested by user.");
            StackEvents.stackEvent(s, s.status, s.statusReason, token);
            store.save(s);
        }
        boolean ok = rollback.deleteResources(s, new ArrayList<>(s.resources.keySet()), t, token);
        synchronized (store.lock) {
            s.status = ok ? StackStatus.ROLLBACK_COMPLETE : StackStatus.ROLLBACK_FAILED;
            StackEvents.stackEvent(s, s.status, ok ? null : s.statusReason, token);
            store.save(s);
        }
    }

    static String failedResources(StackRecord s) {
        List<String> failed = new ArrayList<>();
        for (StackRecord.Resource r : s.resources.values()) {
            if (r.status != null && r.status.endsWith("_FAILED")) {
                failed.add(r.logicalId);
            }
        }
        return String.join(", ", failed);
    }

    private void finishUpdate(StackRecord s, Template t, String body, Snapshot before, List<String> included, String failedId,
                              String failedVerb, String outputFailure, Map<String, StackRecord.Resource> replacedOld,
                              Map<String, StackRecord.Resource> updatedOld, List<String> createdNew, String token) {
        if (failedId == null && outputFailure == null) {
            List<String> removed = new ArrayList<>();
            synchronized (store.lock) {
                s.status = StackStatus.UPDATE_COMPLETE_CLEANUP_IN_PROGRESS;
                StackEvents.stackEvent(s, s.status, null, token);
                for (String id : before.resources.keySet()) {
                    if (!included.contains(id)) {
                        removed.add(id);
                    }
                }
                store.save(s);
            }
            Template oldTemplate = Template.parse(before.templateBody);
            rollback.deleteRemoved(s, removed, oldTemplate, token);
            for (StackRecord.Resource old : replacedOld.values()) {
                rollback.deletePhysical(s, old, token);
            }
            synchronized (store.lock) {
                for (String id : removed) {
                    s.resources.remove(id);
                }
                s.status = StackStatus.UPDATE_COMPLETE;
                StackEvents.stackEvent(s, s.status, null, token);
                store.save(s);
            }
            return;
        }
        synchronized (store.lock) {
            s.status = StackStatus.UPDATE_ROLLBACK_IN_PROGRESS;
            s.statusReason = outputFailure != null ? outputFailure
                    : "The following resource(s) failed to " + failedVerb + ": [" + failedResources(s) + "]. ";
            StackEvents.stackEvent(s, s.status, s.statusReason, token);
            store.save(s);
        }
        StackRecord.PendingRollback pending = new StackRecord.PendingRollback();
        pending.templateBody = body;
        pending.previousIds = new ArrayList<>(before.resources.keySet());
        pending.created = new ArrayList<>(createdNew);
        // Roll back updated resources to their previous properties (reverse order), and restore replaced ones.
        List<String> reverted = new ArrayList<>(updatedOld.keySet());
        Collections.reverse(reverted);
        for (String id : reverted) {
            StackRecord.Resource old = updatedOld.get(id);
            boolean applied;
            synchronized (store.lock) {
                // Only an update that was applied needs undoing; a failed or cancelled one changed nothing.
                applied = "UPDATE_COMPLETE".equals(s.resources.get(id).status);
            }
            if (!rollback.restore(s, id, old, applied, token)) {
                pending.unrestored.put(id, old);
            }
        }
        synchronized (store.lock) {
            for (var e : replacedOld.entrySet()) {
                StackRecord.Resource cur = s.resources.get(e.getKey());
                if (cur != null && cur.physicalId != null && !cur.physicalId.equals(e.getValue().physicalId)) {
                    pending.replacements.add(cur.copy());
                }
                StackRecord.Resource old = e.getValue();
                old.status = "UPDATE_COMPLETE";
                old.timestamp = System.currentTimeMillis();
                s.resources.put(e.getKey(), old);
                StackEvents.resourceEvent(s, old.logicalId, old.physicalId, old.type, "UPDATE_COMPLETE", null, null, token);
            }
            if (!pending.unrestored.isEmpty()) {
                rollback.rollbackFailed(s, pending, token);
                return;
            }
        }
        rollback.rollbackCleanup(s, pending, t, token);
    }
}
