package dev.livestack.localcloud.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.ValidationErrors;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** The checks and conversions of a function's settings as CreateFunction and the update calls take them: runtime, timeout, memory, environment, logging, code zip. */
final class FunctionSettings {
    static final DateTimeFormatter LAST_MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    static final Set<String> RESERVED_ENV = Set.of("_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION",
            "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
            "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY",
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT",
            "LAMBDA_RUNTIME_DIR");
    /** Runtimes Lambda still knows but no longer lets anyone create or update a function with. */
    static final Set<String> DEPRECATED = Set.of("nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10", "nodejs10.x",
            "nodejs12.x", "nodejs14.x", "nodejs16.x", "java8", "python2.7", "python3.6", "python3.7", "python3.8",
            "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet6", "nodejs4.3-edge", "go1.x",
            "ruby2.5", "ruby2.7", "provided");
    /** Lambda's Runtime enum (botocore's service model). */
    static final List<String> RUNTIMES = List.of("nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10", "nodejs10.x",
            "nodejs12.x", "nodejs14.x", "nodejs16.x", "java8", "java8.al2", "java11", "python2.7", "python3.6", "python3.7",
            "python3.8", "python3.9", "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet6", "dotnet8",
            "nodejs4.3-edge", "go1.x", "ruby2.5", "ruby2.7", "provided", "provided.al2", "nodejs18.x", "python3.10", "java17",
            "ruby3.2", "ruby3.3", "ruby3.4", "python3.11", "nodejs20.x", "provided.al2023", "python3.12", "java21",
            "python3.13", "nodejs22.x", "nodejs24.x", "python3.14", "java25", "dotnet10", "ruby4.0");

    /** The runtimes Lambda's refusal of an unknown one lists, in the order it lists them. */
    static final List<String> OFFERED = List.of("nodejs20.x", "python3.14", "provided.al2023", "python3.12", "python3.13",
            "nodejs24.x", "nodejs22.x", "java25", "python3.10", "python3.11", "java21", "ruby3.3", "ruby3.4", "ruby3.2", "python3.8",
            "python3.9", "java17", "nodejs16.x", "dotnet10", "dotnet8", "java11", "dotnet6", "nodejs18.x", "provided.al2", "java8.al2");

    /** CreateFunction's and UpdateFunctionCode's Architectures: one of x86_64 and arm64. */
    static void checkArchitectures(JsonNode architectures) {
        if (architectures == null || !architectures.isArray()) {
            return;
        }
        List<String> values = new ArrayList<>();
        architectures.forEach(a -> values.add(a.asText()));
        String shown = "[" + String.join(", ", values) + "]";
        if (values.size() > 1) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected(ValidationErrors.failure(shown,
                    "architectures", "Member must have length less than or equal to 1")));
        }
        if (!values.isEmpty() && !Set.of("x86_64", "arm64").contains(values.get(0))) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected(ValidationErrors.failure(shown,
                    "architectures", "Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], "
                            + "Member must not be null]")));
        }
    }

    /** Lambda's limit of 50 tags per function. */
    static void checkTagCount(int count) {
        if (count > 50) {
            throw FunctionNames.invalid("Number of tags exceeds resource tag limit.");
        }
    }

    private FunctionSettings() {

    }

    static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static AwsException validationNull(String field) {
        return new AwsException(400, "ValidationException",
                ValidationErrors.missing(field));
    }

    static void checkRuntime(String runtime) {
        if (!RUNTIMES.contains(runtime)) {
            throw FunctionNames.invalid("Value " + runtime + " at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: "
                    + OFFERED + " or be a valid ARN");
        }
        if (DEPRECATED.contains(runtime)) {
            throw FunctionNames.invalid("The runtime parameter of " + runtime + " is no longer supported for creating or updating AWS Lambda functions. "
                    + "We recommend you use a supported runtime while creating or updating functions.");
        }
    }

    static int timeout(JsonNode v, int dflt) {
        return ranged(v, dflt, "timeout", 1, 900);
    }

    static int memory(JsonNode v, int dflt) {
        return ranged(v, dflt, "memorySize", 128, 10240);
    }

    /** An integer setting within Lambda's bounds, or {@code dflt} when the request leaves it out. */
    private static int ranged(JsonNode v, int dflt, String member, int min, int max) {
        if (v == null || v.isNull()) {
            return dflt;
        }
        int n = v.asInt();
        if (n < min || n > max) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected("Value '" + n
                    + "' at '" + member + "' failed to satisfy constraint: Member must have value "
                    + (n < min ? "greater than or equal to " + min : "less than or equal to " + max)));
        }
        return n;
    }

    static void setEnvironment(ObjectNode c, JsonNode env) {
        if (env == null || env.isNull() || !env.has("Variables") || env.get("Variables").isNull()) {
            return;
        }
        List<String> reserved = new ArrayList<>();
        env.get("Variables").fieldNames().forEachRemaining(k -> {
            if (RESERVED_ENV.contains(k)) {
                reserved.add(k);
            }
        });
        if (!reserved.isEmpty()) {
            throw FunctionNames.invalid("Lambda was unable to configure your environment variables because the environment variables you have "
                    + "provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: "
                    + String.join(", ", reserved));
        }
        // Lambda measures the variables as compact JSON, in the order given, and allows 4 KB of it
        String measured = env.get("Variables").toString();
        if (measured.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 4096) {
            throw FunctionNames.invalid("Lambda was unable to configure your environment variables because the environment variables you "
                    + "have provided exceeded the 4KB limit. String measured: " + measured);
        }
        c.putObject("Environment").set("Variables", env.get("Variables").deepCopy());
    }

    static void setLogging(ObjectNode c, JsonNode req, String name) {
        ObjectNode l = c.putObject("LoggingConfig");
        l.put("LogFormat", req == null ? "Text" : req.path("LogFormat").asText("Text"));
        l.put("LogGroup", req == null ? "/aws/lambda/" + name : req.path("LogGroup").asText("/aws/lambda/" + name));
    }

    static void checkZip(byte[] zip) {
        boolean any = false;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                any = true;
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        } catch (IOException e) {
            any = false;
        }
        if (!any) {
            throw FunctionNames.invalid("Could not unzip uploaded file. Please check your file, then try to upload again.");
        }
    }

    static String hex(String base64Sha) {
        return HexFormat.of().formatHex(Base64.getDecoder().decode(base64Sha));
    }

    static void touch(ObjectNode c) {
        c.put("LastModified", LAST_MODIFIED.format(ZonedDateTime.now(ZoneOffset.UTC)));
        c.put("RevisionId", UUID.randomUUID().toString());
    }
}
