package dev.livestack.localcloud.ecr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.AwsRequest;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.Ids;
import dev.livestack.localcloud.core.JsonService;
import dev.livestack.localcloud.core.StateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * ECR's control plane, the part image asset publishing calls (awsJson1_1, {@code AmazonEC2ContainerRegistry_V20150921.*}):
 * CreateRepository, DescribeRepositories, DeleteRepository and GetAuthorizationToken. local-cloud runs no registry:
 * the token's proxy endpoint is the account's registry host, as AWS returns it, and nothing is stored under it.
 */
public final class EcrService extends JsonService {
    /** ECR's repository name pattern, as its validation error quotes it. */
    static final String NAME_PATTERN = "(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*";
    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
    private static final long TOKEN_HOURS = 12;

    private final CloudContext context;
    private final Path file;
    private final Map<String, ObjectNode> repositories = new TreeMap<>();

    public EcrService(CloudContext context) {
        this.context = context;
        this.file = context.store().folder("ecr").resolve("repositories.json");
        Map<String, ObjectNode> saved = context.store().load(file, StateStore::objectsByKey);
        if (saved != null) {
            repositories.putAll(saved);
        }
    }

    @Override
    public String signingName() {
        return "ecr";
    }

    @Override
    protected String targetPrefix() {
        return "AmazonEC2ContainerRegistry_V20150921.";
    }

    @Override
    public synchronized void reset() {
        repositories.clear();
        save();
    }

    @Override
    public synchronized ObjectNode call(String operation, JsonNode input, AwsRequest request) {
        ObjectNode out = Http.JSON.createObjectNode();
        checkRegistry(input);
        switch (operation) {
            case "CreateRepository" -> {
                String name = name(input);
                if (repositories.containsKey(name)) {
                    throw new AwsException(400, "RepositoryAlreadyExistsException", "The repository with name '" + name
                            + "' already exists in the registry with id '" + context.account() + "'");
                }
                ObjectNode r = Http.JSON.createObjectNode();
                r.put("repositoryArn", context.arn("ecr", "repository/" + name));
                r.put("registryId", context.account());
                r.put("repositoryName", name);
                r.put("repositoryUri", host() + "/" + name);
                r.put("createdAt", System.currentTimeMillis() / 1000.0);
                r.put("imageTagMutability", input.path("imageTagMutability").asText("MUTABLE"));
                r.putObject("imageScanningConfiguration").put("scanOnPush",
                        input.path("imageScanningConfiguration").path("scanOnPush").asBoolean(false));
                r.putObject("encryptionConfiguration").put("encryptionType",
                        input.path("encryptionConfiguration").path("encryptionType").asText("AES256"));
                repositories.put(name, r);
                save();
                out.set("repository", r.deepCopy());
            }
            case "DescribeRepositories" -> {
                ArrayNode list = out.putArray("repositories");
                JsonNode names = input.path("repositoryNames");
                if (names.isArray() && !names.isEmpty()) {
                    for (JsonNode n : names) {
                        list.add(find(n.asText()).deepCopy());
                    }
                } else {
                    repositories.values().forEach(r -> list.add(r.deepCopy()));
                }
            }
            case "DeleteRepository" -> {
                String name = name(input);
                ObjectNode r = find(name);
                repositories.remove(name);
                save();
                out.set("repository", r.deepCopy());
            }
            case "GetAuthorizationToken" -> {
                String token = "AWS:" + Ids.hex(32);
                ObjectNode data = out.putArray("authorizationData").addObject();
                data.put("authorizationToken", Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
                data.put("expiresAt", System.currentTimeMillis() / 1000.0 + TOKEN_HOURS * 3600);
                data.put("proxyEndpoint", "https://" + host());
            }
            default -> throw new AwsException(400, "UnknownOperationException", null);
        }
        return out;
    }

    /** The account's registry host, {@code <account>.dkr.ecr.<region>.amazonaws.com}. */
    private String host() {
        return context.account() + ".dkr.ecr." + context.region() + ".amazonaws.com";
    }

    private ObjectNode find(String name) {
        ObjectNode r = repositories.get(name);
        if (r == null) {
            throw new AwsException(400, "RepositoryNotFoundException", "The repository with name '" + name
                    + "' does not exist in the registry with id '" + context.account() + "'");
        }
        return r;
    }

    private static String name(JsonNode input) {
        String name = text(input, "repositoryName");
        if (name == null) {
            throw new AwsException(400, "InvalidParameterException",
                    "1 validation error detected: Value null at 'repositoryName' failed to satisfy constraint: Member must not be null");
        }
        if (name.length() < 2 || name.length() > 256 || !NAME.matcher(name).matches()) {
            throw new AwsException(400, "InvalidParameterException", "Invalid parameter at 'repositoryName' failed to satisfy "
                    + "constraint: 'must satisfy regular expression '" + NAME_PATTERN + "''");
        }
        return name;
    }

    /** Another account's registry is not this one's to read. */
    private void checkRegistry(JsonNode input) {
        String registry = text(input, "registryId");
        if (registry != null && !registry.equals(context.account())) {
            throw new AwsException(400, "AccessDeniedException", "User is not authorized to access registry " + registry);
        }
    }

    private void save() {
        ObjectNode all = Http.JSON.createObjectNode();
        repositories.forEach(all::set);
        context.store().writeJson(file, all);
    }
}
