package dev.livestack.localcloud.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.ValidationErrors;

/**
 * The FunctionConfiguration document of $LATEST: built from a CreateFunction request, changed by an
 * UpdateFunctionConfiguration or UpdateFunctionCode request. Pure: the caller stores the code and
 * moves the state.
 */
final class FunctionConfigurations {
    private static final String ROLE = "arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+";

    private FunctionConfigurations() {
    }

    /** CreateFunction's checks that need no state, in Lambda's order; returns the function's name. */
    static String checkCreate(CloudContext context, JsonNode req) {
        String name = FunctionSettings.text(req, "FunctionName");
        if (name == null) {
            throw FunctionSettings.validationNull("functionName");
        }
        name = FunctionNames.checkCreate(context, name);
        String role = FunctionSettings.text(req, "Role");
        if (role == null) {
            throw FunctionSettings.validationNull("role");
        }
        checkRole(role);
        FunctionSettings.checkArchitectures(req.get("Architectures"));
        String runtime = FunctionSettings.text(req, "Runtime");
        String handler = FunctionSettings.text(req, "Handler");
        if (runtime == null || handler == null) {
            throw FunctionNames.invalid("Runtime and Handler are mandatory parameters for functions created with deployment packages.");
        }
        FunctionSettings.checkRuntime(runtime);
        return name;
    }

    static void checkRole(String role) {
        if (!role.matches(ROLE)) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected("Value '" + role
                    + "' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: " + ROLE));
        }
    }

    /** The new function's configuration, without code, state or revision (a request {@link #checkCreate} passed). */
    static ObjectNode create(JsonNode req, String name, String functionArn) {
        ObjectNode c = Http.JSON.createObjectNode();
        c.put("FunctionName", name);
        c.put("FunctionArn", functionArn);
        c.put("Runtime", req.get("Runtime").asText());
        c.put("Role", req.get("Role").asText());
        c.put("Handler", req.get("Handler").asText());
        c.put("Description", req.path("Description").asText(""));
        c.put("Timeout", FunctionSettings.timeout(req.get("Timeout"), 3));
        c.put("MemorySize", FunctionSettings.memory(req.get("MemorySize"), 128));
        c.put("Version", "$LATEST");
        FunctionSettings.setEnvironment(c, req.get("Environment"));
        c.putObject("TracingConfig").put("Mode", req.path("TracingConfig").path("Mode").asText("PassThrough"));
        c.put("PackageType", "Zip");
        c.putArray("Architectures").add(req.path("Architectures").path(0).asText("x86_64"));
        c.putObject("EphemeralStorage").put("Size", req.path("EphemeralStorage").path("Size").asInt(512));
        c.putObject("SnapStart").put("ApplyOn", "None").put("OptimizationStatus", "Off");
        FunctionSettings.setLogging(c, req.get("LoggingConfig"), name);
        runtimeVersion(c);
        return c;
    }

    /** Applies the settings an UpdateFunctionConfiguration request names to {@code c}, checking each. */
    static void update(ObjectNode c, JsonNode req, String name) {
        if (req.hasNonNull("Runtime")) {
            FunctionSettings.checkRuntime(req.get("Runtime").asText());
            c.put("Runtime", req.get("Runtime").asText());
            runtimeVersion(c);
        }
        if (req.hasNonNull("Role")) {
            checkRole(req.get("Role").asText());
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
            FunctionSettings.setLogging(c, req.get("LoggingConfig"), name);
        }
    }

    /**
     * The runtime version a configuration reports. Lambda names each runtime release by a hash in an ARN of the
     * function's region; local-cloud runs one release per runtime, so the hash is derived from the runtime's name.
     */
    static void runtimeVersion(ObjectNode c) {
        String region = c.path("FunctionArn").asText().split(":")[3];
        String hash;
        try {
            hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(("local-cloud runtime " + c.path("Runtime").asText()).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
        c.putObject("RuntimeVersionConfig").put("RuntimeVersionArn", "arn:aws:lambda:" + region + "::runtime:" + hash);
    }

    /** A configuration looked up with a qualifier carries the ARN it was asked by ($LATEST's or an alias's included). */
    static ObjectNode asQualified(ObjectNode c, String functionArn, String qualifier) {
        ObjectNode out = c.deepCopy();
        if (qualifier != null) {
            out.put("FunctionArn", functionArn + ":" + qualifier);
        }
        return out;
    }

    /** A configuration as ListFunctions shows it: without state, update status or runtime version. */
    static ObjectNode listed(ObjectNode c) {
        ObjectNode out = c.deepCopy();
        out.remove(java.util.List.of("State", "StateReason", "StateReasonCode", "LastUpdateStatus", "LastUpdateStatusReason",
                "LastUpdateStatusReasonCode", "RuntimeVersionConfig"));
        return out;
    }

    /** UpdateFunctionCode's Architectures: the first one named, when any is. */
    static void updateArchitectures(ObjectNode c, JsonNode req) {
        if (req.has("Architectures") && req.get("Architectures").isArray() && !req.get("Architectures").isEmpty()) {
            c.putArray("Architectures").add(req.get("Architectures").get(0).asText());
        }
    }
}
