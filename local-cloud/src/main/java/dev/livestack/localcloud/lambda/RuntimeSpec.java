package dev.livestack.localcloud.lambda;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a warm process is started from: the function version's configuration and its extracted
 * code. Two specs with the same {@link #key()} and {@link #generation()} can share warm processes.
 *
 * @param functionName the function's name
 * @param version {@code $LATEST} or a published version number
 * @param runtime the Lambda runtime identifier, e.g. {@code nodejs20.x}
 * @param handler the handler setting, e.g. {@code index.handler}
 * @param codeDir where the deployment package is extracted
 * @param timeoutSeconds the configured Timeout
 * @param memoryMb the configured MemorySize
 * @param logGroup where output goes
 * @param environment the variables the function sees (Lambda's own included)
 * @param generation changes whenever the code or configuration of this version changes
 */
record RuntimeSpec(String functionName, String version, String runtime, String handler, Path codeDir,
                   int timeoutSeconds, int memoryMb, String logGroup, Map<String, String> environment,
                   long generation) {
    RuntimeSpec {
        Objects.requireNonNull(functionName, "functionName");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(codeDir, "codeDir");
        Objects.requireNonNull(logGroup, "logGroup");
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("timeoutSeconds must be at least 1, was " + timeoutSeconds);
        }
        environment = Map.copyOf(environment);
    }

    String key() {
        return functionName + ":" + version;
    }

    /** The environment Lambda gives a function's process: its own variables, then the reserved ones. */
    static java.util.Map<String, String> environment(com.fasterxml.jackson.databind.node.ObjectNode c, String name, String version,
            String logGroup, Path dir, dev.livestack.localcloud.core.CloudContext context,
            dev.livestack.localcloud.core.StsSessions.Session session) {
        java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
        c.path("Environment").path("Variables").fields().forEachRemaining(v -> env.put(v.getKey(), v.getValue().asText()));
        String runtime = c.get("Runtime").asText();
        env.put("AWS_LAMBDA_FUNCTION_NAME", name);
        env.put("AWS_LAMBDA_FUNCTION_VERSION", version);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", c.get("MemorySize").asText());
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", logGroup);
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_REGION", context.region());
        env.put("AWS_DEFAULT_REGION", context.region());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + runtime);
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
        // The runtime SDK warns about the machine's node (not the runtime the function asked for) on every cold start:
        // that is local-cloud's business, not the function's log. A function that sets the variable keeps its value.
        env.putIfAbsent("AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED", "true");
        return env;
    }
}
