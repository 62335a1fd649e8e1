package dev.livestack.localcloud;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The CDK CLI the build installs under {@code tools/}, run on the cloud assembly in {@code <app>/cdk.out} against a
 * local-cloud, with its test credentials and none of the user's AWS configuration.
 */
final class CdkCli {
    private CdkCli() {
    }

    /** Where the build installs the CLI (tests skip themselves when it is missing). */
    static Path binary() {
        return Path.of(System.getProperty("user.dir")).resolve("../tools/node_modules/.bin/cdk").normalize();
    }

    /** Runs {@code cdk <args> --app cdk.out} in {@code app}; output and errors together, at most 150 s. */
    static ClientProcess.Result run(Path app, URI endpoint, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(binary().toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--app", "cdk.out", "--no-notices", "--no-version-reporting"));
        ProcessBuilder pb = new ProcessBuilder(command).directory(app.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.remove("AWS_SESSION_TOKEN");
        env.remove("AWS_PROFILE");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL", endpoint.toString());
        env.put("AWS_CONFIG_FILE", app.resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", app.resolve("no-credentials").toString());
        env.put("CDK_DISABLE_VERSION_CHECK", "1");
        env.put("CDK_DISABLE_CLI_TELEMETRY", "true");
        env.put("CI", "true");
        Path log = Files.createTempFile(app, "cdk", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(150, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in 150 s: " + Files.readString(log));
        }
        return new ClientProcess.Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8), "");
    }
}
