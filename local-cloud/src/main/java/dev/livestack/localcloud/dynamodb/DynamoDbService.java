package dev.livestack.localcloud.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.AwsRequest;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.JsonService;
import dev.livestack.localcloud.core.StateStore;
import dev.livestack.localcloud.core.ValidationErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * DynamoDB (awsJson 1.0, {@code DynamoDB_20120810.*}): tables with their secondary indexes, TTL settings and tags,
 * and the item API with DynamoDB's expression languages. One lock serialises every call, which gives the
 * item-level atomicity and the transactions' isolation. Each table is one record in the state folder, rewritten
 * after every call that changes it.
 */
public final class DynamoDbService extends JsonService implements AutoCloseable {
    static final String ERROR_PREFIX = "com.amazonaws.dynamodb.v20120810#";

    private final CloudContext context;
    private final Path folder;
    /** Tables by {@code region/name}. */
    private final Map<String, Table> tables = new TreeMap<>();
    private final Items items = new Items(this);
    private final Reads reads = new Reads(this);
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dynamodb-ttl");
        t.setDaemon(true);
        return t;
    });

    public DynamoDbService(CloudContext context) {
        this.context = context;
        this.folder = context.store().folder("dynamodb");
        load();
        context.register(new TableResource(this, context));
        sweeper.scheduleWithFixedDelay(this::expire, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }

    /**
     * TTL: deletes items whose TTL attribute (a Number of epoch seconds) has passed. AWS deletes them some time after
     * expiry and never deletes an item whose time is more than five years in the past; here the sweep runs every second.
     */
    synchronized void expire() {
        long now = System.currentTimeMillis() / 1000;
        long fiveYears = 5L * 365 * 24 * 3600;
        for (Map.Entry<String, Table> e : tables.entrySet()) {
            Table t = e.getValue();
            if (!t.ttl.path("Enabled").asBoolean(false)) {
                continue;
            }
            String attribute = t.ttl.path("AttributeName").asText();
            boolean removed = t.items.values().removeIf(item -> {
                JsonNode v = item.get(attribute);
                if (v == null || !v.has("N")) {
                    return false;
                }
                java.math.BigDecimal at = Values.number(v);
                return at.compareTo(java.math.BigDecimal.valueOf(now)) <= 0 && at.compareTo(java.math.BigDecimal.valueOf(now - fiveYears)) >= 0;
            });
            if (removed) {
                save(e.getKey().substring(0, e.getKey().indexOf('/')), t);
            }
        }
    }

    @Override
    public String signingName() {
        return "dynamodb";
    }

    @Override
    public String contentType() {
        return "application/x-amz-json-1.0";
    }

    @Override
    protected String targetPrefix() {
        return "DynamoDB_20120810.";
    }

    @Override
    public synchronized void reset() {
        tables.clear();
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(folder)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void renderError(AwsRequest request, AwsException error) throws IOException {
        ObjectNode body = Http.JSON.createObjectNode();
        body.put("__type", ERROR_PREFIX + error.code());
        body.put("message", error.getMessage());
        if (error instanceof Errors.DynamoException d) {
            body.setAll(d.members());
        }
        request.exchange().getResponseHeaders().set("x-amzn-RequestId", request.requestId());
        Http.json(request.exchange(), error.status(), body, contentType());
    }

    @Override
    public synchronized ObjectNode call(String operation, JsonNode in, AwsRequest request) {
        String region = request.region();
        ObjectNode out = Http.JSON.createObjectNode();
        switch (operation) {
            case "CreateTable" -> out.set("TableDescription", createTable(region, in));
            case "DescribeTable" -> out.set("Table", table(region, required(in, "TableName"), true).describe());
            case "DeleteTable" -> out.set("TableDescription", deleteTable(region, required(in, "TableName")));
            case "ListTables" -> listTables(region, in, out);
            case "UpdateTable" -> {
                Table t = table(region, required(in, "TableName"), true);
                TableAdmin.update(t, in);
                save(region, t);
                ObjectNode d = t.describe();
                out.set("TableDescription", d);
            }
            case "UpdateTimeToLive" -> out.set("TimeToLiveSpecification", updateTtl(region, in));
            case "DescribeTimeToLive" -> {
                Table t = table(region, required(in, "TableName"), true);
                ObjectNode d = out.putObject("TimeToLiveDescription");
                d.put("TimeToLiveStatus", t.ttl.path("Enabled").asBoolean(false) ? "ENABLED" : "DISABLED");
                if (t.ttl.path("Enabled").asBoolean(false)) {
                    d.put("AttributeName", t.ttl.path("AttributeName").asText());
                }
            }
            case "TagResource" -> {
                Table t = byArn(region, required(in, "ResourceArn"));
                for (JsonNode tag : in.path("Tags")) {
                    t.tags.put(tag.path("Key").asText(), tag.path("Value").asText());
                }
                save(region, t);
            }
            case "UntagResource" -> {
                Table t = byArn(region, required(in, "ResourceArn"));
                in.path("TagKeys").forEach(k -> t.tags.remove(k.asText()));
                save(region, t);
            }
            case "ListTagsOfResource" -> {
                Table t = byArn(region, required(in, "ResourceArn"));
                ArrayNode list = out.putArray("Tags");
                t.tags.fields().forEachRemaining(e -> list.addObject().put("Key", e.getKey()).put("Value", e.getValue().asText()));
            }
            case "DescribeEndpoints" -> out.putArray("Endpoints").addObject()
                    .put("Address", context.endpoint().getAuthority()).put("CachePeriodInMinutes", 1440);
            case "DescribeLimits" -> out.put("AccountMaxReadCapacityUnits", 80000).put("AccountMaxWriteCapacityUnits", 80000)
                    .put("TableMaxReadCapacityUnits", 40000).put("TableMaxWriteCapacityUnits", 40000);
            case "PutItem" -> items.put(region, in, out);
            case "GetItem" -> reads.get(region, in, out);
            case "UpdateItem" -> items.update(region, in, out);
            case "DeleteItem" -> items.delete(region, in, out);
            case "BatchWriteItem" -> items.batchWrite(region, in, out);
            case "TransactWriteItems" -> items.transactWrite(region, in, out);
            case "TransactGetItems" -> reads.transactGet(region, in, out);
            case "BatchGetItem" -> reads.batchGet(region, in, out);
            case "Query" -> reads.query(region, in, out);
            case "Scan" -> reads.scan(region, in, out);
            default -> throw new AwsException(400, "UnknownOperationException", null);
        }
        return out;
    }

    private ObjectNode createTable(String region, JsonNode in) {
        String name = text(in, "TableName");
        TableAdmin.checkName(name, "tableName");
        if (tables.containsKey(region + "/" + name)) {
            throw Errors.inUse("Table already exists: " + name);
        }
        ObjectNode description = TableAdmin.create(in, arn(region, name));
        ObjectNode tags = Values.NODES.objectNode();
        for (JsonNode tag : in.path("Tags")) {
            tags.put(tag.path("Key").asText(), tag.path("Value").asText());
        }
        Table t = new Table(name, description, tags, Values.NODES.objectNode());
        tables.put(region + "/" + name, t);
        save(region, t);
        ObjectNode answer = t.describe();
        answer.put("TableStatus", "CREATING");
        return answer;
    }

    private ObjectNode deleteTable(String region, String name) {
        Table t = table(region, name, true);
        if (t.description.path("DeletionProtectionEnabled").asBoolean(false)) {
            throw Errors.validation("Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.");
        }
        ObjectNode d = t.describe();
        d.put("TableStatus", "DELETING");
        tables.remove(region + "/" + name);
        try {
            Files.deleteIfExists(file(region, name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return d;
    }

    private void listTables(String region, JsonNode in, ObjectNode out) {
        int limit = in.path("Limit").asInt(100);
        if (limit < 1 || limit > 100) {
            throw Errors.validation(ValidationErrors.detected(ValidationErrors.failure(limit, "limit",
                    limit < 1 ? "Member must have value greater than or equal to 1" : "Member must have value less than or equal to 100")));
        }
        String start = text(in, "ExclusiveStartTableName");
        ArrayNode names = out.putArray("TableNames");
        String last = null;
        for (String key : tables.keySet()) {
            if (!key.startsWith(region + "/")) {
                continue;
            }
            String name = key.substring(region.length() + 1);
            if (start != null && name.compareTo(start) <= 0) {
                continue;
            }
            if (names.size() == limit) {
                out.put("LastEvaluatedTableName", last);
                return;
            }
            names.add(name);
            last = name;
        }
    }

    private ObjectNode updateTtl(String region, JsonNode in) {
        Table t = table(region, required(in, "TableName"), true);
        JsonNode spec = in.get("TimeToLiveSpecification");
        if (spec == null) {
            throw Errors.validation(ValidationErrors.missing("timeToLiveSpecification"));
        }
        boolean enable = spec.path("Enabled").asBoolean(false);
        boolean enabled = t.ttl.path("Enabled").asBoolean(false);
        if (enable && enabled) {
            throw Errors.validation("TimeToLive is already enabled");
        }
        if (!enable && !enabled) {
            throw Errors.validation("TimeToLive is already disabled");
        }
        t.ttl.removeAll();
        t.ttl.put("Enabled", enable);
        if (enable) {
            t.ttl.put("AttributeName", spec.path("AttributeName").asText());
        }
        save(region, t);
        return spec.deepCopy();
    }

    String arn(String region, String name) {
        return "arn:aws:dynamodb:" + region + ":" + context.account() + ":table/" + name;
    }

    /** A table by name; a missing one is {@code Requested resource not found} (with its name for the control plane). */
    Table table(String region, String name, boolean controlPlane) {
        if (name == null) {
            throw Errors.validation(ValidationErrors.missing("tableName"));
        }
        Table t = tables.get(region + "/" + name);
        if (t == null) {
            throw controlPlane ? Errors.tableNotFound(name) : Errors.notFound();
        }
        return t;
    }

    Table find(String region, String name) {
        return tables.get(region + "/" + name);
    }

    private Table byArn(String region, String arn) {
        for (Table t : tables.values()) {
            if (t.arn().equals(arn)) {
                return t;
            }
        }
        throw new AwsException(400, "ResourceNotFoundException", "Requested resource not found: ResourceArn: " + arn + " not found");
    }

    synchronized ObjectNode createFromTemplate(String region, JsonNode in) {
        return createTable(region, in);
    }

    synchronized void deleteFromTemplate(String region, String name) {
        if (tables.containsKey(region + "/" + name)) {
            deleteTable(region, name);
        }
    }

    /** Applies a template's changed properties in place (the provider decides what replaces instead). */
    synchronized Table updateFromTemplate(String region, String name, JsonNode update, JsonNode ttl, JsonNode tags) {
        Table t = table(region, name, true);
        TableAdmin.update(t, update);
        if (ttl != null) {
            t.ttl.removeAll();
            t.ttl.setAll((ObjectNode) ttl);
        }
        if (tags != null) {
            t.tags.removeAll();
            t.tags.setAll((ObjectNode) tags);
        }
        save(region, t);
        return t;
    }

    synchronized Table tableIn(String region, String name) {
        return tables.get(region + "/" + name);
    }

    void save(String region, Table t) {
        context.store().writeJson(file(region, t.name), t.toRecord());
    }

    private Path file(String region, String name) {
        return folder.resolve(region).resolve(name.length() <= 200 ? name + ".json" : StateStore.sha256(name) + ".json");
    }

    private void load() {
        try (Stream<Path> regions = Files.list(folder)) {
            for (Path regionDir : regions.filter(Files::isDirectory).toList()) {
                String region = regionDir.getFileName().toString();
                List<Path> files;
                try (Stream<Path> s = Files.list(regionDir)) {
                    files = new ArrayList<>(s.filter(p -> p.toString().endsWith(".json")).toList());
                }
                for (Path f : files) {
                    Table t = context.store().load(f, Table::fromRecord);
                    if (t != null) {
                        tables.put(region + "/" + t.name, t);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder, e);
        }
    }
}
