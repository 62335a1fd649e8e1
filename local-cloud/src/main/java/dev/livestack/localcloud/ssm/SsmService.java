package dev.livestack.localcloud.ssm;

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
import dev.livestack.localcloud.core.ValidationErrors;
import dev.livestack.localcloud.core.ports.ParameterLookup;
import dev.livestack.localcloud.core.TypedResourceProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * SSM Parameter Store (awsJson1_1, {@code AmazonSSM.*}): Put/Get/GetParameters/GetParametersByPath/Delete, and the
 * read-only AWS public parameters under {@code /aws/service/} ({@link PublicParameters}). CloudFormation
 * reads it for {@code AWS::SSM::Parameter::Value<…>} parameters, and provisions
 * {@code AWS::SSM::Parameter} into it.
 */
public final class SsmService extends JsonService implements ParameterLookup {
    private static final Set<String> TYPES = Set.of("String", "StringList", "SecureString");
    private final CloudContext context;
    private final Path file;
    private final TreeMap<String, ObjectNode> parameters = new TreeMap<>();
    private final PublicParameters publicParameters;

    public SsmService(CloudContext context) {
        this.context = context;
        this.file = context.store().folder("ssm").resolve("parameters.json");
        this.publicParameters = new PublicParameters(context.region());
        Map<String, ObjectNode> saved = context.store().load(file, StateStore::objectsByKey);
        if (saved != null) {
            parameters.putAll(saved);
        }
        context.register(new ParameterProvider());
    }

    @Override
    public String signingName() {
        return "ssm";
    }

    @Override
    public synchronized void reset() {
        parameters.clear();
        save();
    }

    /** The value of a parameter, or null when there is none (CloudFormation's SSM parameter types). */
    @Override
    public synchronized String value(String name) {
        ObjectNode p = lookup(name);
        return p == null ? null : p.get("Value").asText();
    }

    /** An account parameter or, under {@code /aws/service/}, a public one; null when neither exists. */
    private ObjectNode lookup(String name) {
        String prefix = "arn:aws:ssm:" + context.region() + ":" + context.account() + ":parameter";
        if (name.startsWith(prefix + "/")) {
            // by ARN: "parameter/a" names "a", "parameter/x/a" names "/x/a"
            String rest = name.substring(prefix.length());
            ObjectNode p = parameters.get(rest);
            return p != null ? p : parameters.get(rest.substring(1));
        }
        ObjectNode p = parameters.get(name);
        return p != null ? p : publicParameters.get(name);
    }

    @Override
    public synchronized ObjectNode call(String operation, JsonNode input, AwsRequest request) {
        ObjectNode out = Http.JSON.createObjectNode();
        switch (operation) {
            case "PutParameter" -> {
                String name = required(input, "Name");
                String value = required(input, "Value");
                String type = text(input, "Type");
                boolean overwrite = input.path("Overwrite").asBoolean(false);
                ObjectNode p = put(name, value, type, text(input, "Description"), overwrite);
                out.put("Version", p.get("Version").asLong());
                out.put("Tier", "Standard");
            }
            case "GetParameter" -> out.set("Parameter", render(find(required(input, "Name"))));
            case "GetParameters" -> {
                ArrayNode found = out.putArray("Parameters");
                ArrayNode invalid = out.putArray("InvalidParameters");
                for (JsonNode n : input.path("Names")) {
                    ObjectNode p = lookup(n.asText());
                    if (p == null) {
                        invalid.add(n.asText());
                    } else {
                        found.add(render(p));
                    }
                }
            }
            case "GetParametersByPath" -> byPath(input, out);
            case "DeleteParameter" -> {
                String name = required(input, "Name");
                checkWritable(name);
                find(name);
                parameters.remove(name);
                save();
            }
            default -> throw new AwsException(400, "UnknownOperationException", "Unknown operation " + operation);
        }
        return out;
    }

    synchronized ObjectNode put(String name, String value, String type, String description, boolean overwrite) {
        checkWritable(name);
        if (type != null && !TYPES.contains(type)) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected("Value '" + type
                    + "' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]"));
        }
        ObjectNode existing = parameters.get(name);
        if (existing != null && !overwrite) {
            throw new AwsException(400, "ParameterAlreadyExists",
                    "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
        }
        if (existing == null && type == null) {
            throw new AwsException(400, "ValidationException", "A parameter type is required when you create a parameter.");
        }
        ObjectNode p = Http.JSON.createObjectNode();
        p.put("Name", name);
        p.put("Type", type != null ? type : existing.get("Type").asText());
        p.put("Value", value);
        p.put("Version", existing == null ? 1 : existing.get("Version").asLong() + 1);
        p.put("LastModifiedDate", System.currentTimeMillis() / 1000.0);
        p.put("ARN", context.arn("ssm", "parameter" + (name.startsWith("/") ? "" : "/") + name));
        p.put("DataType", "text");
        if (description != null) {
            p.put("Description", description);
        }
        parameters.put(name, p);
        save();
        return p;
    }

    synchronized void delete(String name) {
        if (parameters.remove(name) != null) {
            save();
        }
    }

    /** AWS keeps names starting with {@code aws} and {@code ssm} for itself, public parameters included. */
    private static void checkWritable(String name) {
        if (PublicParameters.reserved(name)) {
            throw new AwsException(400, "AccessDeniedException", "No access to reserved parameter name: "
                    + name.replaceFirst("^/", "") + ".");
        }
        if (name.replaceFirst("^/", "").toLowerCase(Locale.ROOT).startsWith("ssm")) {
            throw new AwsException(400, "ValidationException", "Parameter name: can't be prefixed with \"ssm\" (case-insensitive). "
                    + "If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed "
                    + "as a mix of letters, numbers and the following 3 symbols .-_");
        }
    }

    /**
     * GetParametersByPath: the account's parameters below a path and, below {@code /aws/service/}, the public ones;
     * pages of at most MaxResults (1 to 10) by name, NextToken being where the next page starts.
     */
    private void byPath(JsonNode input, ObjectNode out) {
        String path = required(input, "Path");
        boolean recursive = input.path("Recursive").asBoolean(false);
        int max = input.path("MaxResults").asInt(10);
        if (input.has("MaxResults") && (max < 1 || max > 10)) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected("Value '" + max
                    + "' at 'maxResults' failed to satisfy constraint: Member must have value "
                    + (max < 1 ? "greater than or equal to 1" : "less than or equal to 10")));
        }
        String prefix = path.endsWith("/") ? path : path + "/";
        TreeSet<String> found = new TreeSet<>();
        for (String n : parameters.tailMap(prefix).keySet()) {
            if (!n.startsWith(prefix)) {
                break;
            }
            if (recursive || n.indexOf('/', prefix.length()) < 0) {
                found.add(n);
            }
        }
        found.addAll(publicParameters.under(path, recursive));
        String from = null;
        if (input.hasNonNull("NextToken")) {
            try {
                from = new String(Base64.getDecoder().decode(input.get("NextToken").asText()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new AwsException(400, "ValidationException", "The specified token is not valid.");
            }
        }
        ArrayNode page = out.putArray("Parameters");
        for (String n : from == null ? found : found.tailSet(from, true)) {
            if (page.size() == max) {
                out.put("NextToken", Base64.getEncoder().encodeToString(n.getBytes(StandardCharsets.UTF_8)));
                break;
            }
            page.add(render(lookup(n)));
        }
    }

    private ObjectNode find(String name) {
        ObjectNode p = lookup(name);
        if (p == null) {
            throw new AwsException(400, "ParameterNotFound", "Parameter " + name + " not found.");
        }
        return p;
    }

    private static ObjectNode render(ObjectNode p) {
        ObjectNode r = p.deepCopy();
        r.remove("Description");
        return r;
    }

    private void save() {
        ObjectNode all = Http.JSON.createObjectNode();
        parameters.forEach(all::set);
        context.store().writeJson(file, all);
    }

    /** {@code AWS::SSM::Parameter}: a real parameter in this store; Ref is its name. */
    private final class ParameterProvider extends TypedResourceProvider {
        ParameterProvider() {
            super("AWS::SSM::Parameter", Set.of("Name"));
        }

        @Override
        public Provisioned create(String stackName, String logicalId, ObjectNode properties) {
            String name = properties.hasNonNull("Name") ? properties.get("Name").asText()
                    : "CFN-" + logicalId + "-" + Ids.upper(12);
            return write(name, properties, false);
        }

        @Override
        public Provisioned update(String stackName, String logicalId, String physicalId, ObjectNode oldProperties,
                                  ObjectNode newProperties) {
            return write(physicalId, newProperties, true);
        }

        @Override
        public void delete(String physicalId, ObjectNode properties) {
            SsmService.this.delete(physicalId);
        }

        private Provisioned write(String name, ObjectNode properties, boolean overwrite) {
            if (!properties.hasNonNull("Value")) {
                throw new ResourceFailure("Properties validation failed for resource with message: #: required key [Value] not found");
            }
            String type = properties.path("Type").asText("String");
            if (!"String".equals(type) && !"StringList".equals(type)) {
                throw new ResourceFailure("Properties validation failed for resource with message: #/Type: " + type
                        + " is not a valid enum value");
            }
            try {
                put(name, properties.get("Value").asText(), type, properties.path("Description").asText(null), overwrite);
            } catch (AwsException e) {
                throw new ResourceFailure(e.getMessage());
            }
            return new Provisioned(name, Map.of("Type", type, "Value", properties.get("Value").asText()));
        }
    }
}
