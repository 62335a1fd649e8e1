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
import java.util.Iterator;
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

    private final CloudContext context;
    private final LambdaStorage storage;
    private final FunctionStates states = new FunctionStates();
    private final FunctionVersions versions;
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
        return entry(FunctionNames.parse(identifier));
    }

    /** A name or ARN with the qualifier a separate parameter gives, which must agree with the ARN's. */
    private static Ref qualified(String identifier, String qualifierParam) {
        Ref ref = FunctionNames.parse(identifier);
        if (qualifierParam != null && !qualifierParam.isEmpty()) {
            if (ref.qualifier() != null && !ref.qualifier().equals(qualifierParam)) {
                throw FunctionNames.invalid("The derived qualifier from the function name does not match the specified qualifier.");
            }
            return new Ref(ref.name(), qualifierParam);
        }
        return ref;
    }

    // ---- create / read ------------------------------------------------------------------------

    /**
     * CreateFunction. {@code active} skips Pending (CloudFormation waits for Active before it reports
     * the resource created, so its callers never see Pending).
     */
    synchronized ObjectNode create(JsonNode req, boolean active) {
        String name = FunctionConfigurations.checkCreate(req);
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
            schedule(name, c.get("RevisionId").asText(), true);
        }
        storage.save(e);
        ObjectNode out = c.deepCopy();
        if (req.path("Publish").asBoolean(false)) {
            out = publish(e, "").deepCopy();
        }
        return out;
    }

    synchronized ObjectNode configuration(String identifier, String qualifierParam) {
        Ref ref = qualified(identifier, qualifierParam);
        return versions.resolve(entry(ref), ref.qualifier()).deepCopy();
    }

    synchronized ObjectNode getFunction(String identifier, String qualifierParam) {
        Ref ref = qualified(identifier, qualifierParam);
        FunctionEntry e = entry(ref);
        ObjectNode c = versions.resolve(e, ref.qualifier());
        ObjectNode out = Http.JSON.createObjectNode();
        out.set("Configuration", c.deepCopy());
        ObjectNode code = out.putObject("Code");
        code.put("RepositoryType", "S3");
        // Presigned for ten minutes, as AWS's Code.Location is: the download is no way round SigV4.
        code.put("Location", context.sigV4().presign(context.endpoint(), "/_localcloud/lambda/code/"
                + FunctionSettings.hex(c.get("CodeSha256").asText()) + ".zip", "lambda", context.region(), CODE_LOCATION_VALIDITY));
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
            out.add(e.latest.deepCopy());
            if (allVersions) {
                e.versions.values().forEach(v -> out.add(v.deepCopy()));
            }
        }
        return out;
    }

    synchronized List<ObjectNode> versions(String identifier) {
        FunctionEntry e = entry(identifier);
        List<ObjectNode> out = new ArrayList<>();
        out.add(e.latest.deepCopy());
        e.versions.values().forEach(v -> out.add(v.deepCopy()));
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
            schedule(e.name, c.get("RevisionId").asText(), false);
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
            return publish(e, "").deepCopy();
        }
        return c.deepCopy();
    }

    private void schedule(String name, String revision, boolean creating) {
        states.later(() -> finishTransition(name, revision, creating));
    }

    private void finishTransition(String name, String revision, boolean creating) {
        long generation;
        synchronized (this) {
            FunctionEntry e = functions.get(name);
            if (e == null || !e.latest.path("RevisionId").asText().equals(revision)) {
                return;
            }
            FunctionStates.activate(e.latest);
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
        FunctionEntry e = entry(ref);
        String q = ref.qualifier();
        if (q != null && !q.equals("$LATEST")) {
            int v = versions.deleteVersion(e, q);
            storage.save(e);
            runtimes.retireVersion(e.name + ":" + v, ++generations);
            collectGarbage(false);
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

    // ---- tags ---------------------------------------------------------------------------------

    synchronized Map<String, String> tags(String arn) {
        return new LinkedHashMap<>(entry(arn).tags);
    }

    synchronized void tag(String arn, Map<String, String> add, List<String> remove) {
        FunctionEntry e = entry(arn);
        e.tags.putAll(add);
        remove.forEach(e.tags::remove);
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
        FunctionEntry e = entry(identifier);
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
        return versions.alias(entry(identifier), aliasName).deepCopy();
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
        FunctionEntry e = entry(ref);
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
        Map<String, String> env = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = c.path("Environment").path("Variables").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> v = it.next();
            env.put(v.getKey(), v.getValue().asText());
        }
        env.put("AWS_LAMBDA_FUNCTION_NAME", t.entry().name);
        env.put("AWS_LAMBDA_FUNCTION_VERSION", t.version());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", c.get("MemorySize").asText());
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", logGroup);
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_REGION", context.region());
        env.put("AWS_DEFAULT_REGION", context.region());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + runtime);
        // Lambda hands a function its role's session; the SDKs inside the runtime sign with it.
        var session = credentials.session(t.entry().name, c.path("Role").asText("arn:aws:iam::" + context.account() + ":role/lambda"));
        env.put("AWS_ACCESS_KEY_ID", session.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", session.secretAccessKey());
        env.put("AWS_SESSION_TOKEN", session.sessionToken());
        env.put("AWS_ENDPOINT_URL", context.endpoint().toString());
        env.put("LAMBDA_TASK_ROOT", dir.toString());
        env.put("LAMBDA_RUNTIME_DIR", dir.getParent().toString());
        env.put("_HANDLER", c.get("Handler").asText());
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        env.put("PYTHONUNBUFFERED", "1");
        env.put("PYTHONDONTWRITEBYTECODE", "1");
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
