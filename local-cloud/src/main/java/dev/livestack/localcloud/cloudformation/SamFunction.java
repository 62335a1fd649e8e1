package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code AWS::Serverless::Function} → the resources SAM generates: the {@code AWS::Lambda::Function} (same logical id),
 * its execution role {@code <Id>Role} unless a Role is given, {@code <Id>Version<hash>} and {@code <Id>Alias<name>}
 * for AutoPublishAlias, and each event's resources ({@link SamEvents}).
 */
final class SamFunction {
    static final String TYPE = "AWS::Serverless::Function";
    /** Copied to the Lambda function as they are. */
    private static final Set<String> SAME = Set.of("Handler", "Runtime", "FunctionName", "Description", "MemorySize",
            "Timeout", "VpcConfig", "Environment", "KmsKeyArn", "ReservedConcurrentExecutions", "Layers",
            "EphemeralStorage", "Architectures", "PackageType", "ImageConfig", "LoggingConfig", "RuntimeManagementConfig",
            "SnapStart", "FileSystemConfigs", "CodeSigningConfigArn");
    static final Set<String> PROPERTIES;
    private static final Pattern S3_URI = Pattern.compile("s3://([^/]+)/([^?]+)(?:\\?versionId=(.+))?");
    private static final ObjectMapper SORTED = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(JsonGenerator.Feature.ESCAPE_NON_ASCII, true);
    /** AWS managed policies that live under {@code service-role/}, as SAM's policy map names them. */
    private static final Set<String> SERVICE_ROLE_POLICIES = Set.of("AWSLambdaBasicExecutionRole",
            "AWSLambdaVPCAccessExecutionRole", "AWSLambdaSQSQueueExecutionRole", "AWSLambdaDynamoDBExecutionRole",
            "AWSLambdaKinesisExecutionRole", "AWSLambdaRole", "AWSLambdaENIManagementAccess", "AWSLambdaMSKExecutionRole");

    static {
        java.util.HashSet<String> p = new java.util.HashSet<>(SAME);
        p.addAll(Set.of("CodeUri", "InlineCode", "ImageUri", "Role", "Policies", "PermissionsBoundary", "RolePath",
                "AssumeRolePolicyDocument", "Events", "Tags", "Tracing", "AutoPublishAlias", "VersionDescription",
                "ProvisionedConcurrencyConfig"));
        PROPERTIES = Set.copyOf(p);
    }

    private final SamContext sam;

    SamFunction(SamContext sam) {
        this.sam = sam;
    }

    /** SAM function properties local-cloud's transform does not expand (yet): refused by name rather than ignored. */
    private static final Set<String> NOT_EXPANDED = Set.of("DeploymentPreference", "EventInvokeConfig",
            "FunctionUrlConfig", "DeadLetterQueue", "AutoPublishCodeSha256", "AutoPublishAliasAllProperties",
            "PropagateTags", "RecursiveLoop", "SourceKMSKeyArn", "VersionDeletionPolicy", "CapacityProviderConfig",
            "FunctionScalingConfig", "PublishToLatestPublished", "TenancyConfig", "DurableConfig");

    Map<String, JsonNode> expand(String id, ObjectNode resource) {
        for (String key : Template.names(resource.path("Properties"))) {
            if (NOT_EXPANDED.contains(key)) {
                throw new SamContext.Invalid(id, "Property '" + key + "' is not expanded by local-cloud's SAM transform.");
            }
        }
        ObjectNode props = SamContext.properties(id, resource, TYPE, PROPERTIES);
        Map<String, JsonNode> out = new LinkedHashMap<>();
        ObjectNode fn = SamContext.generated("AWS::Lambda::Function", resource);
        ObjectNode fp = (ObjectNode) fn.get("Properties");
        for (String key : Template.names(props)) {
            if (SAME.contains(key)) {
                fp.set(key, props.get(key).deepCopy());
            }
        }
        fp.set("Code", code(id, props));
        if (props.has("Tracing")) {
            fp.putObject("TracingConfig").set("Mode", props.get("Tracing").deepCopy());
        }
        ObjectNode role = null;
        if (props.has("Role")) {
            fp.set("Role", props.get("Role").deepCopy());
        } else {
            role = role(id, resource, props);
            ObjectNode arn = Template.NODES.objectNode();
            arn.putArray("Fn::GetAtt").add(id + "Role").add("Arn");
            fp.set("Role", arn);
        }
        fp.set("Tags", SamContext.tags(id, props.get("Tags"), Map.of()));
        out.put(id, fn);
        if (role != null) {
            out.put(id + "Role", role);
        }
        String target = id;
        if (props.has("AutoPublishAlias")) {
            target = alias(id, resource, props, fp, out);
        } else if (props.has("ProvisionedConcurrencyConfig")) {
            throw new SamContext.Invalid(id, "To set ProvisionedConcurrencyConfig AutoPublishALias must be defined on the function");
        }
        if (props.has("Events")) {
            new SamEvents(id, target, !target.equals(id), role, resource.get("Condition")).expand(props.get("Events"), out);
        }
        return out;
    }

    private ObjectNode code(String id, ObjectNode props) {
        JsonNode uri = props.get("CodeUri");
        JsonNode inline = props.get("InlineCode");
        if ("Image".equals(props.path("PackageType").asText())) {
            if (!props.has("ImageUri")) {
                throw new SamContext.Invalid(id, "'ImageUri' must be set.");
            }
            ObjectNode code = Template.NODES.objectNode();
            code.set("ImageUri", props.get("ImageUri").deepCopy());
            return code;
        }
        if (uri != null && inline != null) {
            throw new SamContext.Invalid(id, "Specify either 'CodeUri' or 'InlineCode'.");
        }
        if (uri == null && inline == null) {
            throw new SamContext.Invalid(id, "Either 'InlineCode' or 'CodeUri' must be set.");
        }
        ObjectNode code = Template.NODES.objectNode();
        if (inline != null) {
            code.set("ZipFile", inline.deepCopy());
            return code;
        }
        if (uri.isTextual()) {
            Matcher m = S3_URI.matcher(uri.asText());
            if (!m.matches()) {
                throw new SamContext.Invalid(id, "'CodeUri' is not a valid S3 Uri of the form 's3://bucket/key' with "
                        + "optional versionId query parameter.");
            }
            code.put("S3Bucket", m.group(1));
            code.put("S3Key", m.group(2));
            if (m.group(3) != null) {
                code.put("S3ObjectVersion", m.group(3));
            }
            return code;
        }
        if (uri.isObject() && !SamApplication.isIntrinsic(uri)) {
            if (!uri.has("Bucket") || !uri.has("Key")) {
                throw new SamContext.Invalid(id, "'CodeUri' requires Bucket and Key properties to be specified.");
            }
            code.set("S3Bucket", uri.get("Bucket").deepCopy());
            code.set("S3Key", uri.get("Key").deepCopy());
            if (uri.has("Version")) {
                code.set("S3ObjectVersion", uri.get("Version").deepCopy());
            }
            return code;
        }
        throw new SamContext.Invalid(id, "'CodeUri' requires Bucket and Key properties to be specified.");
    }

    private ObjectNode role(String id, ObjectNode resource, ObjectNode props) {
        ObjectNode role = SamContext.generated("AWS::IAM::Role", resource);
        role.remove("DependsOn");
        ObjectNode rp = (ObjectNode) role.get("Properties");
        if (props.has("AssumeRolePolicyDocument")) {
            rp.set("AssumeRolePolicyDocument", props.get("AssumeRolePolicyDocument").deepCopy());
        } else {
            ObjectNode trust = rp.putObject("AssumeRolePolicyDocument");
            trust.put("Version", "2012-10-17");
            ObjectNode st = trust.putArray("Statement").addObject();
            st.putArray("Action").add("sts:AssumeRole");
            st.put("Effect", "Allow");
            st.putObject("Principal").putArray("Service").add("lambda.amazonaws.com");
        }
        ArrayNode managed = rp.putArray("ManagedPolicyArns");
        managed.add(awsManaged("service-role/AWSLambdaBasicExecutionRole"));
        if ("Active".equals(props.path("Tracing").asText())) {
            managed.add(awsManaged("AWSXrayWriteOnlyAccess"));
        }
        if (props.has("VpcConfig")) {
            managed.add(awsManaged("service-role/AWSLambdaVPCAccessExecutionRole"));
        }
        ArrayNode inline = Template.NODES.arrayNode();
        JsonNode policies = props.get("Policies");
        if (policies != null) {
            ArrayNode list = policies.isArray() ? (ArrayNode) policies : Template.NODES.arrayNode().add(policies);
            for (int i = 0; i < list.size(); i++) {
                JsonNode p = list.get(i);
                if (p.isTextual()) {
                    managed.add(managedArn(p.asText()));
                } else if (SamApplication.isIntrinsic(p)) {
                    managed.add(p.deepCopy());
                } else if (p.isObject() && p.has("Statement")) {
                    ObjectNode named = inline.addObject();
                    named.put("PolicyName", id + "RolePolicy" + i);
                    named.set("PolicyDocument", p.deepCopy());
                } else if (p.isObject() && p.size() == 1) {
                    throw new SamContext.Invalid(id, "Policy template " + p.fieldNames().next() + " is not expanded by "
                            + "local-cloud's SAM transform: give the statements it stands for instead.");
                } else {
                    throw new SamContext.Invalid(id, "Policy at index " + i + " in the 'Policies' property is not valid");
                }
            }
        }
        if (!inline.isEmpty()) {
            rp.set("Policies", inline);
        }
        if (props.has("PermissionsBoundary")) {
            rp.set("PermissionsBoundary", props.get("PermissionsBoundary").deepCopy());
        }
        if (props.has("RolePath")) {
            rp.set("Path", props.get("RolePath").deepCopy());
        }
        rp.set("Tags", SamContext.tags(id, props.get("Tags"), Map.of()));
        return role;
    }

    /** An AWS managed policy's ARN in the stack's partition, as SAM writes the ones it adds itself. */
    static ObjectNode awsManaged(String name) {
        ObjectNode sub = Template.NODES.objectNode();
        sub.put("Fn::Sub", "arn:${AWS::Partition}:iam::aws:policy/" + name);
        return sub;
    }

    /** A Policies entry that is a string: an ARN as it is, else the AWS managed policy of that name. */
    private JsonNode managedArn(String nameOrArn) {
        if (nameOrArn.startsWith("arn:")) {
            return Template.NODES.textNode(nameOrArn);
        }
        String path = SERVICE_ROLE_POLICIES.contains(nameOrArn) ? "service-role/" : "";
        return Template.NODES.textNode("arn:aws:iam::aws:policy/" + path + nameOrArn);
    }

    /** The Version and Alias of AutoPublishAlias; answers the alias's logical id, which events then target. */
    private String alias(String id, ObjectNode resource, ObjectNode props, ObjectNode fp, Map<String, JsonNode> out) {
        JsonNode name = sam.resolve(props.get("AutoPublishAlias"));
        if (!name.isTextual() || !name.asText().matches("[A-Za-z0-9]+")) {
            throw new SamContext.Invalid(id, "AutoPublishAlias must be a string of alphanumerics or a Ref to a "
                    + "template parameter that resolves to one.");
        }
        ObjectNode hashed = fp.get("Code").deepCopy();
        if (fp.has("Environment") && fp.get("Environment").isObject()) {
            hashed.setAll((ObjectNode) fp.get("Environment").deepCopy());
        }
        if (fp.has("MemorySize")) {
            hashed.set("MemorySize", fp.get("MemorySize"));
        }
        String versionId = id + "Version" + sha1(hashed).substring(0, 10);
        ObjectNode version = SamContext.generated("AWS::Lambda::Version", resource);
        version.remove("DependsOn");
        if (!version.has("DeletionPolicy")) {
            version.put("DeletionPolicy", "Retain");
        }
        ObjectNode vp = (ObjectNode) version.get("Properties");
        if (props.has("VersionDescription")) {
            vp.set("Description", props.get("VersionDescription").deepCopy());
        }
        vp.putObject("FunctionName").put("Ref", id);
        out.put(versionId, version);
        String aliasId = id + "Alias" + name.asText();
        ObjectNode alias = SamContext.generated("AWS::Lambda::Alias", resource);
        alias.remove("DependsOn");
        ObjectNode ap = (ObjectNode) alias.get("Properties");
        ap.set("Name", name);
        ap.putObject("FunctionName").put("Ref", id);
        ap.putObject("FunctionVersion").putArray("Fn::GetAtt").add(versionId).add("Version");
        if (props.has("ProvisionedConcurrencyConfig")) {
            ap.set("ProvisionedConcurrencyConfig", props.get("ProvisionedConcurrencyConfig").deepCopy());
        }
        out.put(aliasId, alias);
        sam.renames.put(id + ".Alias", aliasId);
        sam.renames.put(id + ".Version", versionId);
        return aliasId;
    }

    /** SAM's logical-id hash: SHA-1 of the data as Python's {@code json.dumps(sort_keys=True)} writes it compactly. */
    static String sha1(JsonNode data) {
        try {
            String text = data.isTextual() ? data.asText() : SORTED.writeValueAsString(SORTED.treeToValue(data, Object.class));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
