package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.ports.ApplicationRepository;
import dev.livestack.localcloud.core.ports.ParameterLookup;
import dev.livestack.localcloud.core.ports.RoleDirectory;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * CloudFormation's state and its state machine: stacks, change sets, events, exports, and the
 * background operations (create, update, rollback, delete) that move stacks between statuses.
 * The engine is a facade over its parts: {@link StackStore} (records, persistence, lookups), {@link SubmissionChecks},
 * {@link ChangeCalculation}, {@link StackOperation} (the create/update wave loop), {@link StackRollback} and
 * {@link StackEvents}. Every read and write of state holds the store's lock; provider calls run outside it so
 * that callers can poll while a resource is being provisioned.
 *
 * <pre>
 *  create:  CREATE_IN_PROGRESS ─► CREATE_COMPLETE
 *                 └─(resource fails)─► ROLLBACK_IN_PROGRESS ─► ROLLBACK_COMPLETE   (or CREATE_FAILED without rollback)
 *  update:  UPDATE_IN_PROGRESS ─► UPDATE_COMPLETE_CLEANUP_IN_PROGRESS ─► UPDATE_COMPLETE
 *                 └─(resource fails)─► UPDATE_ROLLBACK_IN_PROGRESS ─► UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS ─► UPDATE_ROLLBACK_COMPLETE
 *                                               └─(a restore fails)─► UPDATE_ROLLBACK_FAILED
 *  continue rollback: UPDATE_ROLLBACK_FAILED ─► UPDATE_ROLLBACK_IN_PROGRESS ─► (as above, the restores that failed retried
 *                     or skipped) ─► UPDATE_ROLLBACK_COMPLETE  (or UPDATE_ROLLBACK_FAILED again)
 *  delete:  DELETE_IN_PROGRESS ─► DELETE_COMPLETE  (or DELETE_FAILED)
 *  change set: CREATE_PENDING ─► CREATE_IN_PROGRESS ─► CREATE_COMPLETE | FAILED;
 *              execution AVAILABLE ─► EXECUTE_IN_PROGRESS ─► EXECUTE_COMPLETE | EXECUTE_FAILED (others OBSOLETE)
 * </pre>
 */
final class StackEngine implements AutoCloseable {
    static final String NO_CHANGES = "The submitted information didn't contain changes. Submit different information to create a change set.";

    private final StackStore store;
    private final SubmissionChecks checks;
    private final ChangeCalculation calc;
    private final StackRollback rollback;
    private final StackOperation operation;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "local-cloud-cloudformation");
        t.setDaemon(true);
        return t;
    });

    private final SamTransform transforms;

    StackEngine(CloudContext context, ParameterLookup parameters, ApplicationRepository applications) {
        this.store = new StackStore(context);
        this.transforms = new SamTransform(context, applications);
        this.checks = new SubmissionChecks(context, store, parameters);
        this.calc = new ChangeCalculation(context, store, checks);
        this.rollback = new StackRollback(context, store, calc, new RecordedTypes(context), workers);
        this.operation = new StackOperation(context, store, calc, rollback, workers);
        context.register(new NestedStacks(context, store, checks, calc, operation, rollback, transforms));
    }

    /** The transforms a submitted template declares, run: the processed template (see {@link SamTransform}). */
    Template expand(Template submitted, List<Map<String, String>> given) {
        Map<String, String> values = new java.util.HashMap<>();
        for (Map<String, String> p : given) {
            if (p.get("ParameterKey") != null && p.get("ParameterValue") != null) {
                values.put(p.get("ParameterKey"), p.get("ParameterValue"));
            }
        }
        return transforms.expand(submitted, values);
    }

    /** The roles live stacks created, for STS. */
    RoleDirectory roles() {
        return store;
    }

    /** Runs one API call holding the engine's lock, so it sees and leaves one consistent state. */
    <T> T locked(Supplier<T> work) {
        return store.locked(work);
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    void reset() {
        store.reset();
    }

    // Lookups and records (the caller holds the lock through locked()).

    Collection<StackRecord> stacks() {
        return store.stacks();
    }

    Collection<ChangeSetRecord> changeSets() {
        return store.changeSets();
    }

    StackRecord find(String nameOrId) {
        return store.find(nameOrId);
    }

    StackRecord require(String nameOrId) {
        return store.require(nameOrId);
    }

    ChangeSetRecord changeSet(String nameOrArn, String stackNameOrId) {
        return store.changeSet(nameOrArn, stackNameOrId);
    }

    Map<String, String> exports() {
        return store.exports();
    }

    String exporter(String exportName) {
        return store.exporter(exportName);
    }

    StackRecord newStack(String name, StackStatus status) {
        return store.newStack(name, status);
    }

    void save(StackRecord s) {
        store.save(s);
    }

    void save(ChangeSetRecord c) {
        store.save(c);
    }

    void addChangeSet(ChangeSetRecord c) {
        store.addChangeSet(c);
    }

    void removeChangeSet(ChangeSetRecord c) {
        store.removeChangeSet(c);
    }

    // Submissions and change sets.

    Prepared prepare(Template template, List<Map<String, String>> given, StackRecord previous, List<String> capabilities,
                     String stackName) {
        return checks.prepare(template, given, previous, capabilities, stackName);
    }

    static List<String> requiredCapabilities(Template template, StringBuilder reason) {
        return SubmissionChecks.requiredCapabilities(template, reason);
    }

    List<ObjectNode> changes(StackRecord s, Prepared prepared, boolean create) {
        return calc.changes(s, prepared, create);
    }

    boolean otherChanges(StackRecord s, Prepared prepared, Map<String, String> tags) {
        return calc.otherChanges(s, prepared, tags);
    }

    /** Computes a change set's changes in the background, as CloudFormation does. */
    /** A change set CloudFormation accepted but could not compute (its transform failed). */
    void failChangeSet(ChangeSetRecord cs, String reason) {
        cs.status = "FAILED";
        cs.statusReason = reason;
        cs.executionStatus = "UNAVAILABLE";
        store.save(cs);
    }

    void computeChangeSet(ChangeSetRecord cs, Prepared prepared) {
        cs.status = "CREATE_PENDING";
        cs.executionStatus = "UNAVAILABLE";
        store.save(cs);
        workers.submit(() -> {
            synchronized (store.lock) {
                cs.status = "CREATE_IN_PROGRESS";
                try {
                    StackRecord s = store.stacks.get(cs.stackId);
                    List<ObjectNode> changes = calc.changes(s, prepared, s.templateBody == null);
                    if (changes.isEmpty() && !calc.otherChanges(s, prepared, cs.tags)) {
                        cs.status = "FAILED";
                        cs.statusReason = NO_CHANGES;
                        cs.executionStatus = "UNAVAILABLE";
                    } else {
                        cs.changes = changes;
                        cs.status = "CREATE_COMPLETE";
                        cs.executionStatus = "AVAILABLE";
                    }
                } catch (AwsException | Intrinsics.TemplateError e) {
                    cs.status = "FAILED";
                    cs.statusReason = e.getMessage();
                    cs.executionStatus = "UNAVAILABLE";
                }
                if (store.changeSets.containsKey(cs.id)) {
                    store.save(cs);
                }
            }
        });
    }

    // Operations, each on a worker thread.

    void startDeploy(StackRecord s, Prepared prepared, String body, List<String> capabilities, Map<String, String> tags,
                     String token, ChangeSetRecord executed) {
        operation.startDeploy(s, prepared, body, capabilities, tags, token, executed);
    }

    void startContinueRollback(StackRecord s, List<String> skip, String token) {
        rollback.startContinueRollback(s, skip, token);
    }

    void startDelete(StackRecord s, String token, List<String> retain) {
        rollback.startDelete(s, token, retain);
    }

    void stackEvent(StackRecord s, StackStatus status, String reason, String token) {
        StackEvents.stackEvent(s, status, reason, token);
    }
}
