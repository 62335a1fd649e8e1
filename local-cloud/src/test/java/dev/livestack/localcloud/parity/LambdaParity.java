package dev.livestack.localcloud.parity;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;

/** What the Lambda scenarios share: the client, the test functions' code, and the recordings' fixtures. */
final class LambdaParity {
    static final String FILE = "tests/aws/services/lambda_/test_lambda_api.snapshot.json";
    static final String ROLE_NAME = "lambda-parity-role";
    /** Echoes its event (what the recordings call the Python echo function). */
    static final String PYTHON_ECHO = "import json\n\ndef handler(event, context):\n    print(json.dumps(event))\n    return event\n";
    /** Reports which version ran (the recordings' version function; %s is filled per code update). */
    static final String PYTHON_VERSION = "def handler(event, context):\n    result = {\n        \"version_id\": \"%s\",\n"
            + "        \"invoked_arn\": context.invoked_function_arn,\n        \"version_from_ctx\": context.function_version,\n"
            + "    }\n    print(result)\n    return result\n";

    final LambdaClient lambda;
    final Snapshots snapshots = Snapshots.load(FILE);
    final String account;
    final String region;
    final String role;

    LambdaParity(URI endpoint, String account, String region) {
        this.account = account;
        this.region = region;
        this.role = "arn:aws:iam::" + account + ":role/" + ROLE_NAME;
        this.lambda = LambdaClient.builder().endpointOverride(endpoint).region(Region.of(region))
                .credentialsProvider(ParityCloud.credentials())
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(60)).retryStrategy(r -> r.maxAttempts(1)))
                .build();
    }

    /** A fresh function name, as the recordings' short uids give one. */
    static String name(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * A zip holding one file. Each one differs (a unique comment), as the recordings' archives did: they were built
     * afresh for every function, so two functions' CodeSha256 never matched.
     */
    static byte[] zip(String file, String content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.setComment(UUID.randomUUID().toString());
            z.putNextEntry(new ZipEntry(file));
            z.write(content.getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static SdkBytes echoZip() {
        return SdkBytes.fromByteArray(zip("handler.py", PYTHON_ECHO));
    }

    static SdkBytes versionZip(String version) {
        return SdkBytes.fromByteArray(zip("handler.py", String.format(PYTHON_VERSION, version)));
    }

    /**
     * What the recordings' {@code create_lambda_function} fixture does: python3.12 echo handler, empty environment,
     * then waits until the function is active; answers what the fixture returned.
     */
    ObjectNode create(String name, Consumer<CreateFunctionRequest.Builder> extra) {
        return createAs(name, name, extra);
    }

    /** As {@link #create} with {@code functionName} (an ARN or partial ARN of {@code name}) in the request. */
    ObjectNode createAs(String name, String functionName, Consumer<CreateFunctionRequest.Builder> extra) {
        CreateFunctionRequest.Builder b = CreateFunctionRequest.builder().functionName(functionName).runtime("python3.12")
                .handler("handler.handler").role(role).code(c -> c.zipFile(echoZip())).timeout(30)
                .environment(e -> e.variables(java.util.Map.of()));
        extra.accept(b);
        CreateFunctionResponse r = lambda.createFunction(b.build());
        waitActive(name);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.putNull("CreateEventSourceMappingResponse");
        out.set("CreateFunctionResponse", Botocore.view(r));
        return out;
    }

    /**
     * What the recordings' {@code create_lambda_function_aws} fixture does: the request as the test gives it (here
     * index.handler, python3.12, a zip), then waits until the function is no longer Pending.
     */
    ObjectNode createAws(String name, Consumer<CreateFunctionRequest.Builder> extra) {
        CreateFunctionRequest.Builder b = CreateFunctionRequest.builder().functionName(name).handler("index.handler")
                .code(c -> c.zipFile(echoZip())).packageType("Zip").role(role).runtime("python3.12");
        extra.accept(b);
        CreateFunctionResponse r = lambda.createFunction(b.build());
        waitActive(name);
        return Botocore.view(r);
    }

    void waitActive(String name) {
        lambda.waiter().waitUntilFunctionActiveV2(b -> b.functionName(name));
    }

    void waitUpdated(String name) {
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName(name));
    }

    void delete(String name) {
        try {
            lambda.deleteFunction(b -> b.functionName(name));
        } catch (RuntimeException ignored) {
            // cleanup only
        }
    }
}
