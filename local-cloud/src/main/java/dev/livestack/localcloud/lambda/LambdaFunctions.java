package dev.livestack.localcloud.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.inlinepackager.LambdaZip;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.StateStore;
import dev.livestack.localcloud.core.ValidationErrors;
import dev.livestack.localcloud.core.ports.LogSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lambda's model: functions, their code, versions and aliases, the Pending → Active and
 * InProgress → Successful transitions, and invocation through {@link RuntimeManager}. Both the
 * REST API and CloudFormation go through here, so they behave the same.
 */
final class LambdaFunctions implements AutoCloseable {
    private static final java.time.Duration CODE_LOCATION_VALIDITY = java.time.Duration.ofMinutes(10);
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final Pattern IDENTIFIER = Pattern.compile(
            "^(?:arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\\d{12}):function:|(\\d{12}):function:)?([a-zA-Z0-9_-]+)(?::(\\$LATEST|[a-zA-Z0-9_-]+))?$");
    private static final Pattern ALIAS_NAME = Pattern.compile("(?!^[0-9]+$)([a-zA-Z0-9-_]+)");

    private final CloudContext context;
    private final StateStore store;
    private final Path functionsDir;
    private final Path codeDir;
    private final Map<String, FunctionEntry> functions = new TreeMap<>();
    /** What invocations of $LATEST run while an update is in progress: the configuration before it. */
    private final Map<String, ObjectNode> running = new LinkedHashMap<>();
    private final ScheduledExecutorService scheduler;
    final RuntimeManager runtimes;
    private volatile long updateDelayMillis = 100;
    /** Monotonic across functions, so a function deleted and created again never reuses a process. */
    private long generations = 1;

    /** A name or ARN split into the function's name and the qualifier (a version or an alias, or null). */
    record Ref(String name, String qualifier) {
    }

    /**
     * A version resolved for invocation. {@code generation} is the one its configuration belongs to: for
     * $LATEST during an update, the running (previous) one, so that invocations reuse the old code's
     * warm environments while the new code's environment starts beside them.
     */
    record Target(FunctionEntry entry, ObjectNode config, String version, String invokedArn, long generation) {
    }

    LambdaFunctions(CloudContext context, LogSink logs) {
        this.context = context;
        this.store = context.store();
        this.functionsDir = store.folder("lambda/functions");
        this.codeDir = store.folder("lambda/code");
        this.runtimes = new RuntimeManager(store, logs);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lambda-state");
            t.setDaemon(true);
            return t;
        });
        load();
    }

    long updateDelayMillis() {
        return updateDelayMillis;
    }

    void updateDelayMillis(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("updateDelayMillis must not be negative, was " + millis);
        }
        this.updateDelayMillis = millis;
    }

    // ---- names --------------------------------------------------------------------------------

    String functionArn(String name) {
        return context.arn("lambda", "function:" + name);
    }

    static Ref parse(String identifier) {
        Matcher m = IDENTIFIER.matcher(identifier == null ? "" : identifier);
        if (!m.matches()) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected("Value '" + identifier
                    + "' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                    + "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?"));
        }
        return new Ref(m.group(4), m.group(5));
    }

    AwsException notFound(String name, String qualifier) {
        return new AwsException(404, "ResourceNotFoundException",
                "Function not found: " + functionArn(name) + (qualifier == null ? "" : ":" + qualifier));
    }

    private AwsException conflict(String message) {
        return new AwsException(409, "ResourceConflictException", message);
    }

    static AwsException invalid(String message) {
        return new AwsException(400, "InvalidParameterValueException", message);
    }

    private FunctionEntry entry(Ref ref) {
        FunctionEntry e = functions.get(ref.name());
        if (e == null) {
            throw notFound(ref.name(), ref.qualifier());
        }
        return e;
    }

    // ---- create / read ------------------------------------------------------------------------

    /**
     * CreateFunction. {@code active} skips Pending (CloudFormation waits for Active before it reports
     * the resource created, so its callers never see Pending).
     */
    synchronized ObjectNode create(JsonNode req, boolean active) {
        String name = FunctionSettings.text(req, "FunctionName");
        if (name == null) {
            throw FunctionSettings.validationNull("functionName");
        }
        Ref ref = parse(name);
        name = ref.name();
        if (!NAME.matcher(name).matches()) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected("Value '" + name
                    + "' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64"));
        }
        String role = FunctionSettings.text(req, "Role");
        if (role == null) {
            throw FunctionSettings.validationNull("role");
        }
        if (!role.matches("arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+")) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected("Value '" + role
                    + "' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                    + "arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+"));
        }
        String runtime = FunctionSettings.text(req, "Runtime");
        String handler = FunctionSettings.text(req, "Handler");
        if (runtime == null || handler == null) {
            throw invalid("Runtime and Handler are mandatory parameters for functions created with deployment packages.");
        }
        FunctionSettings.checkRuntime(runtime);
        if (functions.containsKey(name)) {
            throw conflict("Function already exist: " + name);
        }
        byte[] zip = code(req.path("Code"));
        ObjectNode c = Http.JSON.createObjectNode();
        c.put("FunctionName", name);
        c.put("FunctionArn", functionArn(name));
        c.put("Runtime", runtime);
        c.put("Role", role);
        c.put("Handler", handler);
        c.put("Description", req.path("Description").asText(""));
        c.put("Timeout", FunctionSettings.timeout(req.get("Timeout"), 3));
        c.put("MemorySize", FunctionSettings.memory(req.get("MemorySize"), 128));
        c.put("Version", "$LATEST");
        FunctionSettings.setEnvironment(c, req.get("Environment"));
        c.putObject("TracingConfig").put("Mode", req.path("TracingConfig").path("Mode").asText("PassThrough"));
        c.put("PackageType", "Zip");
        ArrayNode arch = c.putArray("Architectures");
        arch.add(req.path("Architectures").path(0).asText("x86_64"));
        c.putObject("EphemeralStorage").put("Size", req.path("EphemeralStorage").path("Size").asInt(512));
        c.putObject("SnapStart").put("ApplyOn", "None").put("OptimizationStatus", "Off");
        FunctionSettings.setLogging(c, req.get("LoggingConfig"), name);
        storeCode(c, zip);
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
            activate(c);
            setRunning(e, c);
        } else {
            c.put("State", "Pending");
            c.put("StateReason", "The function is being created.");
            c.put("StateReasonCode", "Creating");
            schedule(name, c.get("RevisionId").asText(), true);
        }
        save(e);
        ObjectNode out = c.deepCopy();
        if (req.path("Publish").asBoolean(false)) {
            ObjectNode v = publish(e, "");
            out = v.deepCopy();
        }
        return out;
    }

    synchronized ObjectNode configuration(String identifier, String qualifierParam) {
        Ref ref = qualified(identifier, qualifierParam);
        FunctionEntry e = entry(ref);
        return resolveConfig(e, ref).deepCopy();
    }

    synchronized ObjectNode getFunction(String identifier, String qualifierParam) {
        Ref ref = qualified(identifier, qualifierParam);
        FunctionEntry e = entry(ref);
        ObjectNode c = resolveConfig(e, ref);
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
        if (!hex.matches("[0-9a-f]{64}")) {
            return null;
        }
        Path p = codeDir.resolve(hex + ".zip");
        try {
            return Files.exists(p) ? Files.readAllBytes(p) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        FunctionEntry e = entry(parse(identifier));
        List<ObjectNode> out = new ArrayList<>();
        out.add(e.latest.deepCopy());
        e.versions.values().forEach(v -> out.add(v.deepCopy()));
        return out;
    }

    private Ref qualified(String identifier, String qualifierParam) {
        Ref ref = parse(identifier);
        if (qualifierParam != null && !qualifierParam.isEmpty()) {
            if (ref.qualifier() != null && !ref.qualifier().equals(qualifierParam)) {
                throw invalid("The derived qualifier from the function name does not match the specified qualifier.");
            }
            return new Ref(ref.name(), qualifierParam);
        }
        return ref;
    }

    private ObjectNode resolveConfig(FunctionEntry e, Ref ref) {
        String q = ref.qualifier();
        if (q == null || q.equals("$LATEST")) {
            return e.latest;
        }
        if (q.matches("\\d+")) {
            ObjectNode v = e.versions.get(Integer.parseInt(q));
            if (v == null) {
                throw notFound(ref.name(), q);
            }
            return v;
        }
        ObjectNode alias = e.aliases.get(q);
        if (alias == null) {
            throw notFound(ref.name(), q);
        }
        String version = alias.get("FunctionVersion").asText();
        return version.equals("$LATEST") ? e.latest : e.versions.get(Integer.parseInt(version));
    }

    // ---- updates ------------------------------------------------------------------------------

    private void checkUpdatable(FunctionEntry e) {
        String state = e.latest.path("State").asText();
        if (state.equals("Pending")) {
            throw conflict("The operation cannot be performed at this time. The function is currently in the following state: Pending");
        }
        if (e.latest.path("LastUpdateStatus").asText().equals("InProgress")) {
            throw conflict("The operation cannot be performed at this time. An update is in progress for resource: "
                    + functionArn(e.name));
        }
    }

    private void checkRevision(JsonNode req, ObjectNode current) {
        String rev = FunctionSettings.text(req, "RevisionId");
        if (rev != null && !rev.equals(current.path("RevisionId").asText())) {
            throw new AwsException(412, "PreconditionFailedException",
                    "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
        }
    }

    synchronized ObjectNode updateCode(String identifier, JsonNode req, boolean immediate) {
        Ref ref = parse(identifier);
        FunctionEntry e = entry(ref);
        checkRevision(req, e.latest);
        byte[] zip = code(req);
        if (req.path("DryRun").asBoolean(false)) {
            checkUpdatable(e);
            return e.latest.deepCopy();
        }
        checkUpdatable(e);
        ObjectNode c = e.latest.deepCopy();
        if (req.has("Architectures") && req.get("Architectures").isArray() && !req.get("Architectures").isEmpty()) {
            c.putArray("Architectures").add(req.get("Architectures").get(0).asText());
        }
        storeCode(c, zip);
        return applyUpdate(e, c, immediate, req.path("Publish").asBoolean(false));
    }

    synchronized ObjectNode updateConfiguration(String identifier, JsonNode req, boolean immediate) {
        Ref ref = parse(identifier);
        FunctionEntry e = entry(ref);
        checkRevision(req, e.latest);
        ObjectNode c = e.latest.deepCopy();
        if (req.hasNonNull("Runtime")) {
            FunctionSettings.checkRuntime(req.get("Runtime").asText());
            c.put("Runtime", req.get("Runtime").asText());
        }
        if (req.hasNonNull("Role")) {
            c.put("Role", req.get("Role").asText());
        }
        if (req.hasNonNull("Handler")) {
            c.put("Handler", req.get("Handler").asText());
        }
        if (req.hasNonNull("Description")) {
            c.put("Description", req.get("Description").asText());
        }
        if (req.hasNonNull("Timeout")) {
            c.put("Timeout", FunctionSettings.timeout(req.get("Timeout"), 3));
        }
        if (req.hasNonNull("MemorySize")) {
            c.put("MemorySize", FunctionSettings.memory(req.get("MemorySize"), 128));
        }
        if (req.has("Environment")) {
            c.remove("Environment");
            FunctionSettings.setEnvironment(c, req.get("Environment"));
        }
        if (req.hasNonNull("TracingConfig")) {
            c.putObject("TracingConfig").put("Mode", req.get("TracingConfig").path("Mode").asText("PassThrough"));
        }
        if (req.hasNonNull("EphemeralStorage")) {
            c.putObject("EphemeralStorage").put("Size", req.get("EphemeralStorage").path("Size").asInt(512));
        }
        if (req.hasNonNull("LoggingConfig")) {
            FunctionSettings.setLogging(c, req.get("LoggingConfig"), e.name);
        }
        checkUpdatable(e);
        return applyUpdate(e, c, immediate, false);
    }

    private ObjectNode applyUpdate(FunctionEntry e, ObjectNode c, boolean immediate, boolean publish) {
        FunctionSettings.touch(c);
        e.latest = c;
        e.generation = ++generations;
        if (immediate) {
            activate(c);
            setRunning(e, c);
            if (runtimes.retire(e.name, e.generation, false)) {
                prewarm(e.name);
            }
            collectGarbage(false);
        } else {
            c.put("LastUpdateStatus", "InProgress");
            c.put("LastUpdateStatusReason", "The function is being created.");
            c.put("LastUpdateStatusReasonCode", "Creating");
            schedule(e.name, c.get("RevisionId").asText(), false);
            // Lambda prepares the new environment while the update is in progress; invocations meanwhile
            // still run the previous code in its own environments. Only a function that has a warm
            // environment gets one, so a deploy of many functions starts no processes.
            if (runtimes.warm(e.name + ":$LATEST")) {
                Target next = new Target(e, c.deepCopy(), "$LATEST", functionArn(e.name), e.generation);
                runtimes.prewarm(() -> spec(next));
            }
        }
        save(e);
        if (publish) {
            return publish(e, "").deepCopy();
        }
        return c.deepCopy();
    }

    private void schedule(String name, String revision, boolean creating) {
        Runnable finish = () -> finishTransition(name, revision, creating);
        if (updateDelayMillis == 0) {
            scheduler.execute(finish);
        } else {
            scheduler.schedule(finish, updateDelayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void finishTransition(String name, String revision, boolean creating) {
        long generation;
        synchronized (this) {
            FunctionEntry e = functions.get(name);
            if (e == null || !e.latest.path("RevisionId").asText().equals(revision)) {
                return;
            }
            activate(e.latest);
            setRunning(e, e.latest);
            save(e);
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

    private static void activate(ObjectNode c) {
        c.put("State", "Active");
        c.remove("StateReason");
        c.remove("StateReasonCode");
        c.put("LastUpdateStatus", "Successful");
        c.remove("LastUpdateStatusReason");
        c.remove("LastUpdateStatusReasonCode");
    }

    synchronized void delete(String identifier, String qualifierParam) {
        Ref ref = qualified(identifier, qualifierParam);
        FunctionEntry e = entry(ref);
        String q = ref.qualifier();
        if (q != null && !q.equals("$LATEST")) {
            if (!q.matches("\\d+")) {
                throw invalid("Deletion of aliases is not currently supported.");
            }
            int v = Integer.parseInt(q);
            if (e.versions.remove(v) == null) {
                throw notFound(ref.name(), q);
            }
            for (ObjectNode a : e.aliases.values()) {
                if (a.get("FunctionVersion").asText().equals(q)) {
                    throw conflict("Unable to delete version because the following aliases reference it: ["
                            + a.get("Name").asText() + "]");
                }
            }
            save(e);
            runtimes.retireVersion(e.name + ":" + v, ++generations);
            collectGarbage(false);
            return;
        }
        functions.remove(e.name);
        running.remove(e.name);
        try {
            Files.deleteIfExists(functionsDir.resolve(e.name + ".json"));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
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
        try (DirectoryStream<Path> zips = Files.newDirectoryStream(codeDir)) {
            for (Path zip : zips) {
                String name = zip.getFileName().toString();
                if (name.endsWith(".zip") && !needed.contains(name.substring(0, name.length() - ".zip".length()))) {
                    Files.deleteIfExists(zip);
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot clean " + codeDir, ex);
        }
    }

    // ---- tags ---------------------------------------------------------------------------------

    synchronized Map<String, String> tags(String arn) {
        return new LinkedHashMap<>(entry(parse(arn)).tags);
    }

    synchronized void tag(String arn, Map<String, String> add, List<String> remove) {
        FunctionEntry e = entry(parse(arn));
        e.tags.putAll(add);
        remove.forEach(e.tags::remove);
        save(e);
    }

    // ---- versions and aliases -----------------------------------------------------------------

    synchronized ObjectNode publishVersion(String identifier, JsonNode req) {
        FunctionEntry e = entry(parse(identifier));
        checkUpdatable(e);
        String sha = FunctionSettings.text(req, "CodeSha256");
        if (sha != null && !sha.equals(e.latest.get("CodeSha256").asText())) {
            throw invalid("CodeSHA256 (" + sha + ") is different from current CodeSHA256 in $LATEST ("
                    + e.latest.get("CodeSha256").asText() + "). Please try again");
        }
        checkRevision(req, e.latest);
        return publish(e, req.path("Description").asText(e.latest.path("Description").asText(""))).deepCopy();
    }

    private ObjectNode publish(FunctionEntry e, String description) {
        if (!e.versions.isEmpty()) {
            ObjectNode last = e.versions.lastEntry().getValue();
            if (sameAsVersion(e.latest, last)) {
                return last;
            }
        }
        int number = e.nextVersion++;
        ObjectNode v = e.latest.deepCopy();
        v.put("Version", Integer.toString(number));
        v.put("FunctionArn", functionArn(e.name) + ":" + number);
        v.put("Description", description);
        v.put("RevisionId", UUID.randomUUID().toString());
        activate(v);
        e.versions.put(number, v);
        save(e);
        return v;
    }

    private static boolean sameAsVersion(ObjectNode latest, ObjectNode version) {
        ObjectNode a = latest.deepCopy();
        ObjectNode b = version.deepCopy();
        for (String f : List.of("Version", "FunctionArn", "Description", "RevisionId", "LastModified", "State",
                "StateReason", "StateReasonCode", "LastUpdateStatus", "LastUpdateStatusReason", "LastUpdateStatusReasonCode")) {
            a.remove(f);
            b.remove(f);
        }
        return a.equals(b);
    }

    synchronized ObjectNode createAlias(String identifier, JsonNode req) {
        FunctionEntry e = entry(parse(identifier));
        String name = FunctionSettings.text(req, "Name");
        String version = FunctionSettings.text(req, "FunctionVersion");
        if (name == null) {
            throw FunctionSettings.validationNull("name");
        }
        if (version == null) {
            throw FunctionSettings.validationNull("functionVersion");
        }
        if (!ALIAS_NAME.matcher(name).matches()) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected("Value '" + name
                    + "' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)"));
        }
        String arn = functionArn(e.name) + ":" + name;
        if (e.aliases.containsKey(name)) {
            throw conflict("Alias already exists: " + arn);
        }
        checkVersion(e, version);
        ObjectNode a = Http.JSON.createObjectNode();
        a.put("AliasArn", arn);
        a.put("Name", name);
        a.put("FunctionVersion", version);
        a.put("Description", req.path("Description").asText(""));
        a.put("RevisionId", UUID.randomUUID().toString());
        e.aliases.put(name, a);
        save(e);
        return a.deepCopy();
    }

    synchronized ObjectNode updateAlias(String identifier, String aliasName, JsonNode req) {
        FunctionEntry e = entry(parse(identifier));
        ObjectNode a = alias(e, aliasName);
        String rev = FunctionSettings.text(req, "RevisionId");
        if (rev != null && !rev.equals(a.get("RevisionId").asText())) {
            throw new AwsException(412, "PreconditionFailedException",
                    "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
        }
        if (req.hasNonNull("FunctionVersion")) {
            checkVersion(e, req.get("FunctionVersion").asText());
            a.put("FunctionVersion", req.get("FunctionVersion").asText());
        }
        if (req.hasNonNull("Description")) {
            a.put("Description", req.get("Description").asText());
        }
        a.put("RevisionId", UUID.randomUUID().toString());
        save(e);
        return a.deepCopy();
    }

    synchronized ObjectNode getAlias(String identifier, String aliasName) {
        return alias(entry(parse(identifier)), aliasName).deepCopy();
    }

    synchronized List<ObjectNode> aliases(String identifier) {
        List<ObjectNode> out = new ArrayList<>();
        entry(parse(identifier)).aliases.values().forEach(a -> out.add(a.deepCopy()));
        return out;
    }

    synchronized void deleteAlias(String identifier, String aliasName) {
        FunctionEntry e = entry(parse(identifier));
        if (e.aliases.remove(aliasName) != null) {
            save(e);
        }
    }

    private ObjectNode alias(FunctionEntry e, String aliasName) {
        ObjectNode a = e.aliases.get(aliasName);
        if (a == null) {
            throw new AwsException(404, "ResourceNotFoundException", "Alias not found: " + functionArn(e.name) + ":" + aliasName);
        }
        return a;
    }

    private void checkVersion(FunctionEntry e, String version) {
        if (!version.equals("$LATEST") && (!version.matches("\\d+") || !e.versions.containsKey(Integer.parseInt(version)))) {
            throw notFound(e.name, version);
        }
    }

    // ---- invocation ---------------------------------------------------------------------------

    /** Resolves what an Invoke runs: $LATEST's running configuration, a version, or an alias's version. */
    synchronized Target target(String identifier, String qualifierParam) {
        Ref ref = qualified(identifier, qualifierParam);
        FunctionEntry e = entry(ref);
        if (e.latest.path("State").asText().equals("Pending")) {
            throw conflict("The operation cannot be performed at this time. The function is currently in the following state: Pending");
        }
        String q = ref.qualifier();
        String invokedArn = functionArn(e.name) + (q == null ? "" : ":" + q);
        ObjectNode c = resolveConfig(e, ref);
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
        Path dir = runtimes.codeDir(hex, codeDir.resolve(hex + ".zip"));
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
        env.put("AWS_ACCESS_KEY_ID", context.config().accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", context.config().secretAccessKey());
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

    // ---- helpers ------------------------------------------------------------------------------

    /** The deployment package of a request's code: inline bytes (base64 in JSON), S3 is not served yet. */
    private byte[] code(JsonNode codeNode) {
        if (codeNode != null && codeNode.hasNonNull("ZipFile")) {
            byte[] zip;
            try {
                zip = codeNode.get("ZipFile").binaryValue();
            } catch (IOException e) {
                throw invalid("Could not unzip uploaded file. Please check your file, then try to upload again.");
            }
            FunctionSettings.checkZip(zip);
            return zip;
        }
        if (codeNode != null && codeNode.hasNonNull("S3Bucket")) {
            String bucket = codeNode.get("S3Bucket").asText();
            String key = codeNode.path("S3Key").asText("");
            byte[] zip = context.objects().get(bucket, key);
            if (zip == null) {
                throw invalid("Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.");
            }
            FunctionSettings.checkZip(zip);
            return zip;
        }
        throw invalid("Please provide a source for function code.");
    }

    private void storeCode(ObjectNode c, byte[] zip) {
        String sha = LambdaZip.codeSha256(zip);
        Path p = codeDir.resolve(FunctionSettings.hex(sha) + ".zip");
        if (!Files.exists(p)) {
            store.writeBytes(p, zip);
        }
        c.put("CodeSha256", sha);
        c.put("CodeSize", zip.length);
    }

    private void save(FunctionEntry e) {
        store.writeJson(functionsDir.resolve(e.name + ".json"), e.toJson());
    }

    private void load() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(functionsDir, "*.json")) {
            for (Path f : files) {
                JsonNode n = store.readJson(f);
                if (n == null) {
                    continue;
                }
                FunctionEntry e;
                try {
                    e = FunctionEntry.fromJson(n);
                } catch (RuntimeException bad) {
                    store.quarantine(f, bad);
                    continue;
                }
                // a transition that was under way when local-cloud stopped has finished by now
                activate(e.latest);
                e.generation = ++generations;
                e.baseGeneration = e.generation;
                functions.put(e.name, e);
                setRunning(e, e.latest);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load functions from " + functionsDir, e);
        }
        collectGarbage(true);
    }

    /** Forgets every function, version, alias and code package (the test controls' reset). */
    void reset() {
        synchronized (this) {
            functions.clear();
            running.clear();
            for (Path folder : List.of(functionsDir, codeDir)) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
                    for (Path f : files) {
                        Files.deleteIfExists(f);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        runtimes.reset();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        runtimes.close();
    }
}
