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
}
