package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * The CDK CLI (the project's pinned aws-cdk in tools/) against local-cloud: {@code cdk deploy}, then
 * {@code cdk deploy --hotswap} of an inline function's code (Lambda's UpdateFunctionCode and its waiter
 * as the CLI drives them), then {@code cdk destroy}. The app is a pre-synthesised cloud assembly.
 */
class LambdaCdkCliIT {
    static final Path CDK = Path.of("..", "tools", "node_modules", ".bin", "cdk").toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    void writeAssembly(Path out, String source) throws Exception {
        Files.createDirectories(out);
        Files.writeString(out.resolve("manifest.json"), """
                {"version": "36.0.0", "artifacts": {"HotStack": {"type": "aws:cloudformation:stack",
                  "environment": "aws://000000000000/us-east-1", "properties": {"templateFile": "HotStack.template.json"}}}}
                """);
        ObjectNode t = JSON.createObjectNode();
        ObjectNode res = t.putObject("Resources");
        ObjectNode role = res.putObject("Role");
        role.put("Type", "AWS::IAM::Role");
        role.putObject("Properties").set("AssumeRolePolicyDocument", JSON.readTree("""
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                 "Action": "sts:AssumeRole"}]}"""));
        ObjectNode fn = res.putObject("Fn");
        fn.put("Type", "AWS::Lambda::Function");
        ObjectNode p = fn.putObject("Properties");
        p.put("FunctionName", "cdk-hot-fn");
        p.put("Runtime", "nodejs20.x");
        p.put("Handler", "index.handler");
        p.set("Role", JSON.readTree("{\"Fn::GetAtt\": [\"Role\", \"Arn\"]}"));
        p.putObject("Code").put("ZipFile", source);
        Files.writeString(out.resolve("HotStack.template.json"), JSON.writeValueAsString(t));
    }

    String cdk(LocalCloud cloud, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(CDK.toString(), "--app", "cdk.out"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("AWS_ENDPOINT_URL", cloud.endpoint().toString());
        pb.environment().put("AWS_ACCESS_KEY_ID", "test");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "test");
        pb.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        pb.environment().put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
        pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
        pb.environment().put("CDK_DISABLE_VERSION_CHECK", "1");
        pb.environment().put("CI", "true");
        Path log = dir.resolve("cdk.log");
        pb.redirectOutput(log.toFile());
        Process proc = pb.start();
        assertTrue(proc.waitFor(240, TimeUnit.SECONDS), "cdk finished");
        String out = Files.readString(log);
        assertEquals(0, proc.exitValue(), out);
        return out;
    }

    @Test
    void deployHotswapAndDestroyWithTheCdkCli() throws Exception {
        assumeTrue(Files.isExecutable(CDK), "the CDK CLI is installed under tools/ by the build");
        try (LocalCloud cloud = LambdaFixtures.start(dir.resolve("state")); LambdaClient lambda = LambdaFixtures.lambda(cloud.endpoint())) {
            writeAssembly(dir.resolve("cdk.out"), "exports.handler = async () => 'cdk v1';");
            cdk(cloud, "deploy", "HotStack", "--require-approval", "never");
            assertEquals("\"cdk v1\"", lambda.invoke(b -> b.functionName("cdk-hot-fn")).payload().asUtf8String());
            String before = lambda.getFunctionConfiguration(b -> b.functionName("cdk-hot-fn")).revisionId();

            writeAssembly(dir.resolve("cdk.out"), "exports.handler = async () => 'cdk v2';");
            String out = cdk(cloud, "deploy", "HotStack", "--hotswap", "--require-approval", "never");
            assertTrue(out.contains("hotswapped"), out);
            assertEquals("\"cdk v2\"", lambda.invoke(b -> b.functionName("cdk-hot-fn")).payload().asUtf8String());
            assertTrue(!before.equals(lambda.getFunctionConfiguration(b -> b.functionName("cdk-hot-fn")).revisionId()));

            cdk(cloud, "destroy", "HotStack", "--force");
            assertThrows(ResourceNotFoundException.class, () -> lambda.getFunction(b -> b.functionName("cdk-hot-fn")));
        }
    }
}
