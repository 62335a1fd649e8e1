package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.ports.ResourceProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;

/**
 * Putting a stack back and taking it down: restoring resources after a failed update, continuing a failed
 * rollback, deleting removed resources and whole stacks, and the provider calls those make.
 */
final class StackRollback {
    private final CloudContext context;
    private final StackStore store;
    private final ChangeCalculation calc;
    private final RecordedTypes recorded;
    private final ExecutorService workers;

    StackRollback(CloudContext context, StackStore store, ChangeCalculation calc, RecordedTypes recorded,
                  ExecutorService workers) {
        this.context = context;
        this.store = store;
        this.calc = calc;
        this.recorded = recorded;
        this.workers = workers;
    }

    /**
     * Restores one resource's configuration from before an update. A failure (an injected rollback fault,
     * or the provider refusing the old configuration) leaves the resource UPDATE_FAILED; false then.
     */
    boolean restore(StackRecord s, String id, StackRecord.Resource old, boolean applied, String token) {
        StackRecord.Resource cur;
        synchronized (store.lock) {
            cur = s.resources.get(id);
            StackEvents.resourceEvent(s, id, cur.physicalId, cur.type, "UPDATE_IN_PROGRESS", null, old.properties, token);
        }
        try {
            if (applied) {
                String fault = context.faults().rollbackFailure(id, cur.type);
                if (fault != null) {
                    throw new ResourceProvider.ResourceFailure(fault);
                }
                ResourceProvider p = context.provider(cur.type);
                if (p != null && !Objects.equals(cur.properties, old.properties)) {
                    p.update(s.stackName, id, cur.physicalId, cur.properties, old.properties);
                }
            }
        } catch (RuntimeException e) {
            String reason = e instanceof ResourceProvider.ResourceFailure ? e.getMessage() : "Internal Failure: " + e;
            synchronized (store.lock) {
                cur.status = "UPDATE_FAILED";
                cur.statusReason = reason;
                cur.timestamp = System.currentTimeMillis();
                StackEvents.resourceEvent(s, id, cur.physicalId, cur.type, "UPDATE_FAILED", reason, null, token);
                store.save(s);
            }
            return false;
        }
        synchronized (store.lock) {
            s.resources.put(id, old);
            old.status = "UPDATE_COMPLETE";
            old.statusReason = null;
            old.timestamp = System.currentTimeMillis();
            StackEvents.resourceEvent(s, id, old.physicalId, old.type, "UPDATE_COMPLETE", null, null, token);
            store.save(s);
        }
        return true;
    }

    /** Holding the lock: the rollback stops where it is; ContinueUpdateRollback picks it up from the record. */
    void rollbackFailed(StackRecord s, StackRecord.PendingRollback pending, String token) {
        s.rollback = pending;
        s.status = StackStatus.UPDATE_ROLLBACK_FAILED;
        s.statusReason = "The following resource(s) failed to update: [" + String.join(", ", pending.unrestored.keySet()) + "]. ";
        StackEvents.stackEvent(s, s.status, s.statusReason, token);
        store.save(s);
    }

    /** Deletes what the failed update created and completes the rollback. */
    void rollbackCleanup(StackRecord s, StackRecord.PendingRollback pending, Template t, String token) {
        synchronized (store.lock) {
            s.status = StackStatus.UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS;
            s.statusReason = null;
            StackEvents.stackEvent(s, s.status, null, token);
            store.save(s);
        }
        List<String> toDelete = new ArrayList<>(pending.created);
        Collections.reverse(toDelete);
        deleteResources(s, toDelete, t, token);
        for (StackRecord.Resource r : pending.replacements) {
            deletePhysical(s, r, token);
        }
        synchronized (store.lock) {
            // The stack's template, parameters and outputs were never replaced: a failed update keeps the old ones.
            s.resources.keySet().removeIf(id -> !pending.previousIds.contains(id));
            s.rollback = null;
            s.status = StackStatus.UPDATE_ROLLBACK_COMPLETE;
            StackEvents.stackEvent(s, s.status, null, token);
            store.save(s);
        }
    }

    /**
     * ContinueUpdateRollback on a stack in UPDATE_ROLLBACK_FAILED (checked by the caller): retries restoring
     * the resources the rollback could not restore, except {@code skip}, which CloudFormation then assumes are
     * restored, and completes the rollback, or fails it again.
     */
    void startContinueRollback(StackRecord s, List<String> skip, String token) {
        StackRecord.PendingRollback pending = s.rollback != null ? s.rollback : new StackRecord.PendingRollback();
        if (s.rollback == null) {
            // e.g. local-cloud stopped mid-rollback: nothing is known to be left but the cleanup of what exists
            pending.previousIds = new ArrayList<>(s.resources.keySet());
        }
        s.status = StackStatus.UPDATE_ROLLBACK_IN_PROGRESS;
        s.statusReason = "User Initiated";
        StackEvents.stackEvent(s, s.status, s.statusReason, token);
        store.save(s);
        workers.submit(() -> {
            try {
                continueRollback(s, pending, skip, token);
            } catch (RuntimeException | LinkageError e) {
                synchronized (store.lock) {
                    s.status = StackStatus.UPDATE_ROLLBACK_FAILED;
                    s.statusReason = "Internal failure: " + e;
                    StackEvents.stackEvent(s, s.status, s.statusReason, token);
                    store.save(s);
                }
            }
        });
    }

    private void continueRollback(StackRecord s, StackRecord.PendingRollback pending, List<String> skip, String token) {
        StackRecord.PendingRollback left = new StackRecord.PendingRollback();
        left.templateBody = pending.templateBody;
        left.previousIds = pending.previousIds;
        left.created = pending.created;
        left.replacements = pending.replacements;
        for (var e : pending.unrestored.entrySet()) {
            String id = e.getKey();
            StackRecord.Resource old = e.getValue();
            if (skip.contains(id)) {
                synchronized (store.lock) {
                    // CloudFormation takes a skipped resource as restored; its real configuration may differ.
                    s.resources.put(id, old);
                    old.status = "UPDATE_COMPLETE";
                    old.statusReason = "Resource skipped during rollback (ResourcesToSkip)";
                    old.timestamp = System.currentTimeMillis();
                    StackEvents.resourceEvent(s, id, old.physicalId, old.type, "UPDATE_COMPLETE", old.statusReason, null, token);
                    store.save(s);
                }
            } else if (!restore(s, id, old, true, token)) {
                left.unrestored.put(id, old);
            }
        }
        if (!left.unrestored.isEmpty()) {
            synchronized (store.lock) {
                rollbackFailed(s, left, token);
            }
            return;
        }
        Template t = left.templateBody == null ? Template.parse(s.templateBody) : Template.parse(left.templateBody);
        rollbackCleanup(s, left, t, token);
    }

    void deleteRemoved(StackRecord s, List<String> removed, Template oldTemplate, String token) {
        List<String> known = removed.stream().filter(id -> oldTemplate.resources().has(id)).toList();
        List<List<String>> waves = oldTemplate.creationOrder(known);
        Collections.reverse(waves);
        for (List<String> wave : waves) {
            for (String id : wave) {
                StackRecord.Resource r;
                synchronized (store.lock) {
                    r = s.resources.get(id);
                }
                if (r != null) {
                    deleteOne(s, r, token);
                }
            }
        }
    }

    /** Deletes a replaced resource's previous physical resource during cleanup. */
    void deletePhysical(StackRecord s, StackRecord.Resource old, String token) {
        synchronized (store.lock) {
            StackEvents.resourceEvent(s, old.logicalId, old.physicalId, old.type, "DELETE_IN_PROGRESS", null, null, token);
        }
        try {
            ResourceProvider p = context.provider(old.type);
            if (p != null && !"Retain".equals(old.deletionPolicy)) {
                p.delete(old.physicalId, old.properties == null ? Template.NODES.objectNode() : old.properties);
            }
            synchronized (store.lock) {
                StackEvents.resourceEvent(s, old.logicalId, old.physicalId, old.type,
                        "Retain".equals(old.deletionPolicy) ? "DELETE_SKIPPED" : "DELETE_COMPLETE", null, null, token);
                store.save(s);
            }
        } catch (RuntimeException e) {
            synchronized (store.lock) {
                StackEvents.resourceEvent(s, old.logicalId, old.physicalId, old.type, "DELETE_FAILED", e.getMessage(), null, token);
                store.save(s);
            }
        }
    }

    /** Deletes resources in reverse dependency order; false when one failed. */
    boolean deleteResources(StackRecord s, List<String> ids, Template t, String token) {
        List<String> known;
        List<String> others = new ArrayList<>();
        synchronized (store.lock) {
            known = ids.stream().filter(id -> t.resources().has(id) && s.resources.containsKey(id)).toList();
            ids.stream().filter(id -> !t.resources().has(id) && s.resources.containsKey(id)).forEach(others::add);
        }
        List<List<String>> waves;
        try {
            waves = t.creationOrder(known);
        } catch (AwsException e) {
            waves = List.of(known);
        }
        waves = new ArrayList<>(waves);
        Collections.reverse(waves);
        waves.add(0, others);
        boolean ok = true;
        for (List<String> wave : waves) {
            for (String id : wave) {
                StackRecord.Resource r;
                synchronized (store.lock) {
                    r = s.resources.get(id);
                }
                if (r == null || "DELETE_COMPLETE".equals(r.status)) {
                    continue;
                }
                ok &= deleteOne(s, r, token);
            }
            synchronized (store.lock) {
                store.save(s);
            }
        }
        return ok;
    }

    private boolean deleteOne(StackRecord s, StackRecord.Resource r, String token) {
        boolean retain = "Retain".equals(r.deletionPolicy) || "RetainExceptOnCreate".equals(r.deletionPolicy)
                && !s.status.createRollback();
        boolean neverCreated = r.physicalId == null;
        synchronized (store.lock) {
            if (!neverCreated) {
                r.status = "DELETE_IN_PROGRESS";
                StackEvents.resourceEvent(s, r.logicalId, r.physicalId, r.type, "DELETE_IN_PROGRESS", null, null, token);
            }
        }
        try {
            if (!neverCreated && !retain && s.status.createRollback()) {
                // a create's rollback deletes what it created; an injected rollback fault fails that delete
                String fault = context.faults().rollbackFailure(r.logicalId, r.type);
                if (fault != null) {
                    throw new ResourceProvider.ResourceFailure(fault);
                }
            }
            if (!neverCreated && !retain) {
                ResourceProvider p = context.provider(r.type);
                if (p != null) {
                    p.delete(r.physicalId, r.properties == null ? Template.NODES.objectNode() : r.properties);
                }
            }
            synchronized (store.lock) {
                r.status = retain && !neverCreated ? "DELETE_SKIPPED" : "DELETE_COMPLETE";
                r.statusReason = null;
                r.timestamp = System.currentTimeMillis();
                StackEvents.resourceEvent(s, r.logicalId, r.physicalId == null ? "" : r.physicalId, r.type, r.status, null, null, token);
            }
            return true;
        } catch (RuntimeException e) {
            synchronized (store.lock) {
                r.status = "DELETE_FAILED";
                r.statusReason = e.getMessage();
                StackEvents.resourceEvent(s, r.logicalId, r.physicalId, r.type, r.status, r.statusReason, null, token);
                store.save(s);
            }
            return false;
        }
    }

    ResourceProvider.Provisioned provisionCreate(String type, String stackName, String logicalId, ObjectNode props) {
        ResourceProvider p = context.provider(type);
        return p != null ? p.create(stackName, logicalId, props) : recorded.create(type, stackName, logicalId, props);
    }

    ResourceProvider.Provisioned provisionUpdate(StackRecord.Resource r, String stackName, ObjectNode props) {
        ResourceProvider p = context.provider(r.type);
        ObjectNode oldProps = r.properties == null ? Template.NODES.objectNode() : r.properties;
        return p != null ? p.update(stackName, r.logicalId, r.physicalId, oldProps, props)
                : recorded.update(r.type, r.physicalId, r.attributes, props);
    }

    /** Starts deleting a stack. */
    void startDelete(StackRecord s, String token, List<String> retain) {
        s.status = StackStatus.DELETE_IN_PROGRESS;
        s.statusReason = "User Initiated";
        StackEvents.stackEvent(s, s.status, "User Initiated", token);
        store.save(s);
        workers.submit(() -> {
            try {
                delete(s, token, retain);
            } catch (RuntimeException | LinkageError e) {
                synchronized (store.lock) {
                    s.status = StackStatus.DELETE_FAILED;
                    s.statusReason = "Internal failure: " + e;
                    StackEvents.stackEvent(s, s.status, s.statusReason, token);
                    store.save(s);
                }
            }
        });
    }

    private void delete(StackRecord s, String token, List<String> retain) {
        String blocked = null;
        synchronized (store.lock) {
            for (StackRecord.Output o : s.outputs) {
                if (o.exportName != null) {
                    String importer = store.importer(o.exportName, s.stackId);
                    if (importer != null) {
                        blocked = "Export " + o.exportName + " cannot be deleted as it is in use by " + importer;
                    }
                }
            }
            if (blocked != null) {
                s.status = StackStatus.DELETE_FAILED;
                s.statusReason = blocked;
                StackEvents.stackEvent(s, s.status, blocked, token);
                store.save(s);
                return;
            }
            for (String id : retain) {
                StackRecord.Resource r = s.resources.get(id);
                if (r != null) {
                    r.deletionPolicy = "Retain";
                }
            }
        }
        Template t = s.templateBody == null ? null : Template.parse(s.templateBody);
        boolean ok = t == null || deleteResources(s, new ArrayList<>(s.resources.keySet()), t, token);
        synchronized (store.lock) {
            if (ok) {
                s.status = StackStatus.DELETE_COMPLETE;
                s.statusReason = null;
                // A deleted stack's change sets stay readable by ARN, as in AWS; by name the stack is gone.
                s.deletionTime = System.currentTimeMillis();
            } else {
                s.status = StackStatus.DELETE_FAILED;
                s.statusReason = "The following resource(s) failed to delete: [" + StackOperation.failedResources(s) + "]. ";
            }
            StackEvents.stackEvent(s, s.status, s.statusReason, token);
            store.save(s);
        }
    }
}
