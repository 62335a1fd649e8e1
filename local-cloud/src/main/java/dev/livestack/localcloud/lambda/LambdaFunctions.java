package dev.livestack.localcloud.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.ports.LogSink;
import dev.livestack.localcloud.lambda.FunctionNames.Ref;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Lambda's model: functions, their code, versions and aliases, the Pending → Active and
 * InProgress → Successful transitions, and invocation through {@link RuntimeManager}. Both the
 * REST API and CloudFormation go through here, so they behave the same.
 *
 * <p>This object's monitor is the one lock of the model: every method that reads or changes a function
 * is {@code synchronized} here, and the helpers it delegates to ({@link FunctionVersions},
 * {@link LambdaStorage}, {@link FunctionStates}, {@link FunctionConfigurations}) hold no lock of their own.
 * The delayed end of a transition runs on {@link FunctionStates}' thread and takes this monitor too.
 */
final class LambdaFunctions implements AutoCloseable {
    private static final java.time.Duration CODE_LOCATION_VALIDITY = java.time.Duration.ofMinutes(10);

    final CloudContext context;
    private final LambdaStorage storage;
    private final FunctionStates states = new FunctionStates();
    final FunctionVersions versions;
    private final Map<String, FunctionEntry> functions = new TreeMap<>();
    /** What invocations of $LATEST run while an update is in progress: the configuration before it. */
    private final Map<String, ObjectNode> running = new LinkedHashMap<>();
    final RuntimeManager runtimes;
    private final FunctionCredentials credentials;
    /** Monotonic across functions, so a function deleted and created again never reuses a process. */
    private long generations = 1;

    /**
     * A version resolved for invocation. {@code generation} is the one its configuration belongs to: for
     * $LATEST during an update, the running (previous) one, so that invocations reuse the old code's
     * warm environments while the new code's environment starts beside them.
     */
    record Target(FunctionEntry entry, ObjectNode config, String version, String invokedArn, long generation) {
    }

    LambdaFunctions(CloudContext context, LogSink logs) {
        this.context = context;
        this.storage = new LambdaStorage(context.store(), context.objects());
        this.versions = new FunctionVersions(context);
        this.runtimes = new RuntimeManager(context.store(), logs);
        this.credentials = new FunctionCredentials(context.sessions());
        load();
    }

    long updateDelayMillis() {
        return states.delayMillis();
    }

    void updateDelayMillis(long millis) {
        states.delayMillis(millis);
    }

    private String functionArn(String name) {
        return FunctionNames.arn(context, name);
    }

    private FunctionEntry entry(Ref ref) {
        FunctionEntry e = functions.get(ref.name());
        if (e == null) {
            throw FunctionNames.notFound(context, ref.name(), ref.qualifier());
        }
        return e;
    }

    private FunctionEntry entry(String identifier) {
        return entry(FunctionNames.lookup(context, identifier, null));
    }

    /** A name or ARN with the qualifier a separate parameter gives, which must agree with the ARN's. */
    Ref qualified(String identifier, String qualifierParam) {
        return FunctionNames.lookup(context, identifier, qualifierParam);
    }

    // ---- create / read ------------------------------------------------------------------------

    /**
     * CreateFunction. {@code active} skips Pending (CloudFormation waits for Active before it reports
     * the resource created, so its callers never see Pending).
     */
    synchronized ObjectNode create(JsonNode req, boolean active) {
        String name = FunctionConfigurations.checkCreate(context, req);
        FunctionSettings.checkTagCount(req.path("Tags").size());
        if (functions.containsKey(name)) {
            throw FunctionNames.conflict("Function already exist: " + name);
        }
        byte[] zip = storage.codeOf(req.path("Code"));
        ObjectNode c = FunctionConfigurations.create(req, name, functionArn(name));
        storage.storeCode(c, zip);
        FunctionSettings.touch(c);
        FunctionEntry e = new FunctionEntry(name, c);
        e.generation = ++generations;
        e.baseGeneration = e.generation;
        JsonNode tags = req.get("Tags");
        if (tags != null && tags.isObject()) {
            tags.fields().forEachRemaining(t -> e.tags.put(t.getKey(), t.getValue().asText()));
        }
        functions.put(name, e);
        if (active) {
            FunctionStates.activate(c);
            setRunning(e, c);
        } else {
            FunctionStates.pending(c);
            schedule(name, e.generation, true);
        }
        storage.save(e);
        ObjectNode out = c.deepCopy();
        if (req.path("Publish").asBoolean(false)) {
            // Lambda answers with $LATEST's configuration under the number of the version it published
            out.put("Version", publish(e, "").get("Version").asText());
        }
        return out;
    }

    synchronized ObjectNode configuration(String identifier, String qualifierParam) {
        Ref ref = qualified(identifier, qualifierParam);
        return FunctionConfigurations.asQualified(versions.resolve(entry(ref), ref.qualifier()), functionArn(ref.name()), ref.qualifier());
    }

    synchronized ObjectNode getFunction(String identifier, String qualifierParam) {
        Ref ref = qualified(identifier, qualifierParam);
        FunctionEntry e = entry(ref);
        ObjectNode c = versions.resolve(e, ref.qualifier());
        ObjectNode out = Http.JSON.createObjectNode();
        out.set("Configuration", FunctionConfigurations.asQualified(c, functionArn(ref.name()), ref.qualifier()));
        ObjectNode code = out.putObject("Code");
        code.put("RepositoryType", "S3");
        // Presigned for ten minutes, as AWS's Code.Location is: the download is no way round SigV4.
        code.put("Location", context.sigV4().presign(context.endpoint(), "/_localcloud/lambda/code/"
                + FunctionSettings.hex(c.get("CodeSha256").asText()) + ".zip", "lambda", context.region(), CODE_LOCATION_VALIDITY));
        if (e.reservedConcurrency != null) {
            out.putObject("Concurrency").put("ReservedConcurrentExecutions", e.reservedConcurrency);
        }
        if (!e.tags.isEmpty()) {
            ObjectNode t = out.putObject("Tags");
            e.tags.forEach(t::put);
        }
        return out;
    }

    /** The stored zip whose CodeSha256 (as hex) is {@code hex}, or null. */
    byte[] zip(String hex) {
        return storage.zip(hex);
    }

    synchronized List<ObjectNode> list(boolean allVersions) {
        List<ObjectNode> out = new ArrayList<>();
        for (FunctionEntry e : functions.values()) {
            ObjectNode latest = FunctionConfigurations.listed(e.latest);
            if (allVersions) {
                // listing every version names $LATEST by its qualified ARN
                latest.put("FunctionArn", functionArn(e.name) + ":$LATEST");
            }
            out.add(latest);
            if (allVersions) {
                e.versions.values().forEach(v -> out.add(FunctionConfigurations.listed(v)));
            }
        }
        return out;
    }

    synchronized List<ObjectNode> versions(String identifier) {
        FunctionEntry e = entry(identifier);
        List<ObjectNode> out = new ArrayList<>();
        ObjectNode latest = FunctionConfigurations.listed(e.latest);
        latest.put("FunctionArn", functionArn(e.name) + ":$LATEST");
        out.add(latest);
        e.versions.values().forEach(v -> out.add(FunctionConfigurations.listed(v)));
        return out;
    }

    // ---- updates ------------------------------------------------------------------------------

    private void checkUpdatable(FunctionEntry e) {
        FunctionStates.checkUpdatable(e.latest, functionArn(e.name));
    }

    synchronized ObjectNode updateCode(String identifier, JsonNode req, boolean immediate) {
        FunctionEntry e = entry(identifier);
        FunctionVersions.checkRevision(req, e.latest);
        byte[] zip = storage.codeOf(req);
        if (req.path("DryRun").asBoolean(false)) {
            checkUpdatable(e);
            return e.latest.deepCopy();
        }
        checkUpdatable(e);
        ObjectNode c = e.latest.deepCopy();
        FunctionConfigurations.updateArchitectures(c, req);
        storage.storeCode(c, zip);
        return applyUpdate(e, c, immediate, req.path("Publish").asBoolean(false));
    }

    synchronized ObjectNode updateConfiguration(String identifier, JsonNode req, boolean immediate) {
        FunctionEntry e = entry(identifier);
        FunctionVersions.checkRevision(req, e.latest);
        ObjectNode c = e.latest.deepCopy();
        FunctionConfigurations.update(c, req, e.name);
        checkUpdatable(e);
        return applyUpdate(e, c, immediate, false);
    }

    private ObjectNode applyUpdate(FunctionEntry e, ObjectNode c, boolean immediate, boolean publish) {
        FunctionSettings.touch(c);
        e.latest = c;
        e.generation = ++generations;
        if (immediate) {
            FunctionStates.activate(c);
            setRunning(e, c);
            if (runtimes.retire(e.name, e.generation, false)) {
                prewarm(e.name);
            }
            collectGarbage(false);
        } else {
            FunctionStates.updating(c);
            schedule(e.name, e.generation, false);
            // Lambda prepares the new environment while the update is in progress; invocations meanwhile
            // still run the previous code in its own environments. Only a function that has a warm
            // environment gets one, so a deploy of many functions starts no processes.
            if (runtimes.warm(e.name + ":$LATEST")) {
                Target next = new Target(e, c.deepCopy(), "$LATEST", functionArn(e.name), e.generation);
                runtimes.prewarm(() -> spec(next));
            }
        }
        storage.save(e);
        if (publish) {
            ObjectNode v = publish(e, c.path("Description").asText(""));
            if (!immediate) {
                // a version published while its code is still being deployed is Pending until the update ends
                FunctionStates.pending(v);
                v.remove(List.of("LastUpdateStatus", "LastUpdateStatusReason", "LastUpdateStatusReasonCode"));
            }
            return v.deepCopy();
        }
        return c.deepCopy();
    }

    /** Ends the transition of generation {@code generation} later, unless a newer change superseded it. */
    private void schedule(String name, long generation, boolean creating) {
        states.later(() -> finishTransition(name, generation, creating));
    }

    private void finishTransition(String name, long expected, boolean creating) {
        long generation;
        synchronized (this) {
            FunctionEntry e = functions.get(name);
            if (e == null || e.generation != expected) {
                return;
            }
            FunctionStates.activate(e.latest);
            e.versions.values().stream().filter(v -> v.path("State").asText().equals("Pending")).forEach(FunctionStates::activate);
            // Lambda gives the configuration a new revision when the transition ends, as GetFunction then shows
            e.latest.put("RevisionId", java.util.UUID.randomUUID().toString());
            setRunning(e, e.latest);
            storage.save(e);
            generation = e.generation;
        }
        if (!creating) {
            // warm processes run the old code until the update completes, as on Lambda; the new code's
            // environment was started when the update began (a no-op here unless that start failed)
            if (runtimes.retire(name, generation, false)) {
                prewarm(name);
            }
            synchronized (this) {
                collectGarbage(false);
            }
        }
    }

    /** Makes {@code c} what invocations of $LATEST run, under the function's current generation. */
    private void setRunning(FunctionEntry e, ObjectNode c) {
        running.put(e.name, c.deepCopy());
        e.runningGeneration = e.generation;
    }

    /** Starts the next environment of a function's $LATEST in the background (see RuntimeManager#prewarm). */
    private void prewarm(String name) {
        try {
            Target t = target(name, null);
            runtimes.prewarm(() -> spec(t));
        } catch (RuntimeException e) {
            // a function that cannot run (deleted meanwhile, a runtime local-cloud lacks) just is not prewarmed
        }
    }

    synchronized void delete(String identifier, String qualifierParam) {
        Ref ref = qualified(identifier, qualifierParam);
        String q = ref.qualifier();
        // Lambda refuses these qualifiers before it looks the function up, and names no qualifier when it is missing
        if ("$LATEST".equals(q)) {
            throw FunctionNames.invalid("$LATEST version cannot be deleted without deleting the function.");
        }
        if (q != null && !q.matches("\\d+") && q.matches("[a-zA-Z0-9-_]+")) {
            throw FunctionNames.invalid("Deletion of aliases is not currently supported.");
        }
        FunctionEntry e = entry(new Ref(ref.name(), null));
        if (q != null) {
            int v = versions.deleteVersion(e, q);
            if (v > 0) {
                storage.save(e);
                runtimes.retireVersion(e.name + ":" + v, ++generations);
                collectGarbage(false);
            }
            return;
        }
        functions.remove(e.name);
        running.remove(e.name);
        storage.delete(e.name);
        runtimes.retire(e.name, ++generations, true);
        collectGarbage(false);
    }

    /**
     * Deletes the code packages ({@code lambda/code}) and extracted folders ({@code lambda/run}) that
     * no function's $LATEST, running configuration or published version needs: without this, every
     * save would leave one of each behind. Caller holds this object's monitor.
     */
    private void collectGarbage(boolean startup) {
        Set<String> needed = new HashSet<>();
        for (FunctionEntry e : functions.values()) {
            needed.add(FunctionSettings.hex(e.latest.path("CodeSha256").asText()));
            e.versions.values().forEach(v -> needed.add(FunctionSettings.hex(v.path("CodeSha256").asText())));
        }
        running.values().forEach(c -> needed.add(FunctionSettings.hex(c.path("CodeSha256").asText())));
        runtimes.sweep(needed, startup);
        storage.sweepCode(needed);
    }

    // ---- side configurations (FunctionSideConfigs) --------------------------------------------

    /**
     * Runs {@code action} under this monitor on the function a checked name names (null when there is none); saves
     * the function afterwards when {@code save}.
     */
    synchronized <T> T onFunction(Ref ref, boolean save, java.util.function.Function<FunctionEntry, T> action) {
        FunctionEntry e = functions.get(ref.name());
        T out = action.apply(e);
        if (save && e != null) {
            storage.save(e);
        }
        return out;
    }

    // ---- tags ---------------------------------------------------------------------------------

    synchronized Map<String, String> tags(String arn) {
        return new LinkedHashMap<>(entry(FunctionNames.taggable(context, arn)).tags);
    }

    /** TagResource / UntagResource: at most 50 tags; a change gives $LATEST a new revision, as on Lambda. */
    synchronized void tag(String arn, Map<String, String> add, List<String> remove) {
        FunctionEntry e = entry(FunctionNames.taggable(context, arn));
        Map<String, String> next = new LinkedHashMap<>(e.tags);
        next.putAll(add);
        remove.forEach(next::remove);
        FunctionSettings.checkTagCount(next.size());
        e.tags.clear();
        e.tags.putAll(next);
        e.latest.put("RevisionId", java.util.UUID.randomUUID().toString());
        storage.save(e);
    }

    // ---- versions and aliases (FunctionVersions, under this monitor) ---------------------------

    synchronized ObjectNode publishVersion(String identifier, JsonNode req) {
        FunctionEntry e = entry(identifier);
        checkUpdatable(e);
        FunctionVersions.checkPublish(e, req);
        return publish(e, req.path("Description").asText(e.latest.path("Description").asText(""))).deepCopy();
    }

    private ObjectNode publish(FunctionEntry e, String description) {
        int before = e.nextVersion;
        ObjectNode v = versions.publish(e, description);
        if (e.nextVersion != before) {
            storage.save(e);
        }
        return v;
    }

    synchronized ObjectNode createAlias(String identifier, JsonNode req) {
        FunctionVersions.checkRouting(req);
        Ref ref = qualified(identifier, null);
        FunctionEntry e = functions.get(ref.name());
        if (e == null) {
            throw FunctionNames.notFound(context, ref.name(), FunctionSettings.text(req, "FunctionVersion"));
        }
        ObjectNode a = versions.createAlias(e, req);
        storage.save(e);
        return a.deepCopy();
    }

    synchronized ObjectNode updateAlias(String identifier, String aliasName, JsonNode req) {
        FunctionEntry e = entry(identifier);
        ObjectNode a = versions.updateAlias(e, aliasName, req);
        storage.save(e);
        return a.deepCopy();
    }

    synchronized ObjectNode getAlias(String identifier, String aliasName) {
        return versions.getAlias(entry(identifier), aliasName).deepCopy();
    }

    synchronized List<ObjectNode> aliases(String identifier) {
        List<ObjectNode> out = new ArrayList<>();
        entry(identifier).aliases.values().forEach(a -> out.add(a.deepCopy()));
        return out;
    }

    synchronized void deleteAlias(String identifier, String aliasName) {
        FunctionEntry e = entry(identifier);
        if (e.aliases.remove(aliasName) != null) {
            storage.save(e);
        }
    }

    // ---- invocation ---------------------------------------------------------------------------

    /** Resolves what an Invoke runs: $LATEST's running configuration, a version, or an alias's version. */
    synchronized Target target(String identifier, String qualifierParam) {
        Ref ref = qualified(identifier, qualifierParam);
        // Invoke names the version it looked for: $LATEST when the call gives none
        FunctionEntry e = entry(ref.qualifier() == null ? new Ref(ref.name(), "$LATEST") : ref);
        FunctionStates.checkNotPending(e.latest);
        String q = ref.qualifier();
        String invokedArn = functionArn(e.name) + (q == null ? "" : ":" + q);
        ObjectNode c = versions.resolve(e, q);
        String version = c.get("Version").asText();
        long generation = e.baseGeneration;
        if (version.equals("$LATEST")) {
            ObjectNode r = running.get(e.name);
            c = r != null ? r : e.latest;
            generation = r != null ? e.runningGeneration : e.generation;
        }
        return new Target(e, c.deepCopy(), version, invokedArn, generation);
    }

    /** The process spec for a resolved target (extracting its code on first use). */
    RuntimeSpec spec(Target t) {
        ObjectNode c = t.config();
        String runtime = c.get("Runtime").asText();
        if (!RuntimeManager.canRun(runtime)) {
            throw new AwsException(502, "InvalidRuntimeException", "local-cloud cannot run runtime " + runtime
                    + "; it runs " + String.join(", ", new java.util.TreeSet<>(RuntimeManager.runnable())));
        }
        String hex = FunctionSettings.hex(c.get("CodeSha256").asText());
        Path dir = runtimes.codeDir(hex, storage.codePath(hex));
        String logGroup = c.path("LoggingConfig").path("LogGroup").asText("/aws/lambda/" + t.entry().name);
        // Lambda hands a function its role's session; the SDKs inside the runtime sign with it.
        var session = credentials.session(t.entry().name, c.path("Role").asText("arn:aws:iam::" + context.account() + ":role/lambda"));
        Map<String, String> env = RuntimeSpec.environment(c, t.entry().name, t.version(), logGroup, dir, context, session);
        return new RuntimeSpec(t.entry().name, t.version(), runtime, c.get("Handler").asText(), dir,
                c.get("Timeout").asInt(3), c.get("MemorySize").asInt(128), logGroup, env, t.generation());
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    private void load() {
        for (FunctionEntry e : storage.load()) {
            // a transition that was under way when local-cloud stopped has finished by now
            FunctionStates.activate(e.latest);
            e.generation = ++generations;
            e.baseGeneration = e.generation;
            functions.put(e.name, e);
            setRunning(e, e.latest);
        }
        collectGarbage(true);
    }

    /** Forgets every function, version, alias and code package (the test controls' reset). */
    void reset() {
        synchronized (this) {
            functions.clear();
            running.clear();
            storage.clear();
        }
        runtimes.reset();
    }

    @Override
    public void close() {
        states.close();
        runtimes.close();
    }
}
