package dev.livestack.localcloud.kms;

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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * KMS (awsJson1_1, {@code TrentService.*}): the key and alias reads a {@code Key.fromLookup} makes, plus CreateKey
 * and CreateAlias so that a test or a user can add a key of their own. Every region also lists the AWS-managed
 * aliases ({@code alias/aws/s3}, {@code alias/aws/ebs}, …), each with its key, as an account whose services have
 * used them. Customer keys and aliases persist in the state folder.
 */
public final class KmsService extends JsonService {
    static final List<String> MANAGED = List.of("acm", "dynamodb", "ebs", "elasticfilesystem", "es", "kinesis", "lambda",
            "logs", "rds", "redshift", "s3", "secretsmanager", "sns", "sqs", "ssm");
    private static final int DEFAULT_LIMIT = 50;

    private final CloudContext context;
    private final Path file;
    /** Customer keys and aliases by {@code region/key/<id>} and {@code region/alias/<name>}. */
    private final Map<String, ObjectNode> records = new TreeMap<>();

    public KmsService(CloudContext context) {
        this.context = context;
        this.file = context.store().folder("kms").resolve("keys.json");
        Map<String, ObjectNode> saved = context.store().load(file, StateStore::objectsByKey);
        if (saved != null) {
            records.putAll(saved);
        }
    }

    @Override
    public String signingName() {
        return "kms";
    }

    @Override
    protected String targetPrefix() {
        return "TrentService.";
    }

    @Override
    public synchronized void reset() {
        records.clear();
        context.store().writeJson(file, records);
    }

    @Override
    public synchronized ObjectNode call(String operation, JsonNode input, AwsRequest request) {
        String region = request.region();
        ObjectNode out = Http.JSON.createObjectNode();
        switch (operation) {
            case "CreateKey" -> out.set("KeyMetadata", createKey(region, text(input, "Description")));
            case "DescribeKey" -> out.set("KeyMetadata", key(region, required(input, "KeyId")).deepCopy());
            case "CreateAlias" -> createAlias(region, required(input, "AliasName"), required(input, "TargetKeyId"));
            case "ListAliases" -> listAliases(region, input, out);
            case "ListKeys" -> {
                ArrayNode keys = out.putArray("Keys");
                for (ObjectNode k : keys(region)) {
                    keys.addObject().put("KeyId", k.get("KeyId").asText()).put("KeyArn", k.get("Arn").asText());
                }
                out.put("Truncated", false);
            }
            default -> throw new AwsException(400, "UnknownOperationException", null);
        }
        return out;
    }

    private ObjectNode createKey(String region, String description) {
        String id = UUID.randomUUID().toString();
        ObjectNode k = metadata(region, id, description == null ? "" : description, "CUSTOMER", System.currentTimeMillis() / 1000.0);
        records.put(region + "/key/" + id, k);
        save();
        return k.deepCopy();
    }

    private ObjectNode metadata(String region, String id, String description, String manager, double created) {
        ObjectNode k = Http.JSON.createObjectNode();
        k.put("AWSAccountId", context.account());
        k.put("KeyId", id);
        k.put("Arn", arn(region, "key/" + id));
        k.put("CreationDate", created);
        k.put("Enabled", true);
        k.put("Description", description);
        k.put("KeyUsage", "ENCRYPT_DECRYPT");
        k.put("KeyState", "Enabled");
        k.put("Origin", "AWS_KMS");
        k.put("KeyManager", manager);
        k.put("CustomerMasterKeySpec", "SYMMETRIC_DEFAULT");
        k.put("KeySpec", "SYMMETRIC_DEFAULT");
        k.putArray("EncryptionAlgorithms").add("SYMMETRIC_DEFAULT");
        k.put("MultiRegion", false);
        return k;
    }

    /** The AWS-managed key behind {@code alias/aws/<service>}: its id is fixed for account and region, as AWS's is. */
    private ObjectNode managedKey(String region, String service) {
        String h = StateStore.sha256(context.account() + "/" + region + "/aws/" + service);
        String id = h.substring(0, 8) + "-" + h.substring(8, 12) + "-4" + h.substring(13, 16) + "-a" + h.substring(17, 20)
                + "-" + h.substring(20, 32);
        return metadata(region, id, "Default key that protects my " + service + " data when no other key is defined",
                "AWS", 1_700_000_000.0);
    }

    private List<ObjectNode> keys(String region) {
        List<ObjectNode> out = new ArrayList<>();
        for (String s : MANAGED) {
            out.add(managedKey(region, s));
        }
        records.forEach((k, v) -> {
            if (k.startsWith(region + "/key/")) {
                out.add(v);
            }
        });
        return out;
    }

    /** A key by id, key ARN, alias name or alias ARN; NotFoundException when there is none. */
    private ObjectNode key(String region, String ref) {
        String id = ref;
        if (ref.startsWith("alias/") || ref.contains(":alias/")) {
            String name = ref.substring(ref.indexOf("alias/"));
            ObjectNode alias = aliases(region).get(name);
            if (alias == null) {
                throw new AwsException(400, "NotFoundException", "Alias " + arn(region, name) + " is not found.");
            }
            id = alias.get("TargetKeyId").asText();
        } else if (ref.contains(":key/")) {
            id = ref.substring(ref.indexOf(":key/") + 5);
        }
        for (ObjectNode k : keys(region)) {
            if (k.get("KeyId").asText().equals(id)) {
                return k;
            }
        }
        throw new AwsException(400, "NotFoundException", "Key '" + arn(region, "key/" + id) + "' does not exist");
    }

    private void createAlias(String region, String name, String target) {
        if (!name.startsWith("alias/")) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected("Value '" + name
                    + "' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^alias/[a-zA-Z0-9/_-]+$"));
        }
        if (name.startsWith("alias/aws/")) {
            throw new AwsException(400, "NotAuthorizedException", "The alias prefix alias/aws/ is reserved for AWS managed keys.");
        }
        ObjectNode key = key(region, target);
        if (aliases(region).containsKey(name)) {
            throw new AwsException(400, "AlreadyExistsException", "An alias with the name " + arn(region, name) + " already exists");
        }
        double now = System.currentTimeMillis() / 1000.0;
        ObjectNode a = Http.JSON.createObjectNode();
        a.put("AliasName", name);
        a.put("AliasArn", arn(region, name));
        a.put("TargetKeyId", key.get("KeyId").asText());
        a.put("CreationDate", now);
        a.put("LastUpdatedDate", now);
        records.put(region + "/alias/" + name, a);
        save();
    }

    /** Every alias of the region by name: the AWS-managed ones and the customer's, sorted by name. */
    private Map<String, ObjectNode> aliases(String region) {
        Map<String, ObjectNode> out = new TreeMap<>();
        for (String s : MANAGED) {
            String name = "alias/aws/" + s;
            ObjectNode a = Http.JSON.createObjectNode();
            a.put("AliasName", name);
            a.put("AliasArn", arn(region, name));
            a.put("TargetKeyId", managedKey(region, s).get("KeyId").asText());
            a.put("CreationDate", 1_700_000_000.0);
            a.put("LastUpdatedDate", 1_700_000_000.0);
            out.put(name, a);
        }
        records.forEach((k, v) -> {
            if (k.startsWith(region + "/alias/")) {
                out.put(v.get("AliasName").asText(), v);
            }
        });
        return out;
    }

    private void listAliases(String region, JsonNode input, ObjectNode out) {
        int limit = input.path("Limit").asInt(DEFAULT_LIMIT);
        if (limit < 1 || limit > 100) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected("Value '" + limit
                    + "' at 'limit' failed to satisfy constraint: Member must have value between 1 and 100"));
        }
        String keyId = text(input, "KeyId");
        String target = keyId == null ? null : key(region, keyId).get("KeyId").asText();
        List<ObjectNode> all = aliases(region).values().stream()
                .filter(a -> target == null || target.equals(a.path("TargetKeyId").asText())).toList();
        int start = 0;
        String marker = text(input, "Marker");
        if (marker != null) {
            try {
                start = Integer.parseInt(marker);
            } catch (NumberFormatException e) {
                throw new AwsException(400, "InvalidMarkerException", "Invalid marker: " + marker);
            }
            if (start < 0 || start > all.size()) {
                throw new AwsException(400, "InvalidMarkerException", "Invalid marker: " + marker);
            }
        }
        ArrayNode list = out.putArray("Aliases");
        int end = Math.min(all.size(), start + limit);
        for (int i = start; i < end; i++) {
            list.add(all.get(i).deepCopy());
        }
        out.put("Truncated", end < all.size());
        if (end < all.size()) {
            out.put("NextMarker", Integer.toString(end));
        }
    }

    private String arn(String region, String resource) {
        return "arn:aws:kms:" + region + ":" + context.account() + ":" + resource;
    }

    private void save() {
        context.store().writeJson(file, records);
    }
}
