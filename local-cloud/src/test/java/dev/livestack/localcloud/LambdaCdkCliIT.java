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
 * Also {@code --hotswap-fallback} on a stack another tool deployed: a change the CLI cannot hot-swap
 * falls back to its change-set deployment ({@code cdk deploy}, and {@code cdk watch} until the new
 * output shows).
 */
class LambdaCdkCliIT {
    static final Path CDK = Path.of("..", "tools", "node_modules", ".bin", "cdk").toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    void writeAssembly(Path out, String source) throws Exception {
        writeAssembly(out, source, null);
    }

    /** The assembly with one function whose inline code is {@code source}, and an output named {@code output} if not null. */
    void writeAssembly(Path out, String source, String output) throws Exception {
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
        if (output != null) {
            t.putObject("Outputs").putObject(output).put("Value", output + "-value");
        }
        Files.writeString(out.resolve("HotStack.template.json"), JSON.writeValueAsString(t));
    }

    ProcessBuilder cdkProcess(LocalCloud cloud, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("AWS_ENDPOINT_URL", cloud.endpoint().toString());
        pb.environment().put("AWS_ACCESS_KEY_ID", "test");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "test");
        pb.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        pb.environment().put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
        pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
        pb.environment().put("CDK_DISABLE_VERSION_CHECK", "1");
        pb.environment().put("CI", "true");
        return pb;
    }

    String cdk(LocalCloud cloud, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(CDK.toString(), "--app", "cdk.out"));
        command.addAll(List.of(args));
        ProcessBuilder pb = cdkProcess(cloud, command);
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

    /** Deploys the assembly's template the way any other tool would, without the CDK CLI (so no change set of its own). */
    static void deployWithoutTheCli(LocalCloud cloud, Path template) throws Exception {
        try (var client = Sdk.cloudFormation(cloud.endpoint())) {
            Cfn cfn = new Cfn(client);
            cfn.deploy("HotStack", Files.readString(template));
            assertEquals("CREATE_COMPLETE", cfn.awaitSettled("HotStack").stackStatusAsString());
        }
    }

    static java.util.Map<String, String> outputs(LocalCloud cloud) {
        try (var client = Sdk.cloudFormation(cloud.endpoint())) {
            Cfn cfn = new Cfn(client);
            return cfn.outputs(client.describeStacks(b -> b.stackName("HotStack")).stacks().get(0));
        }
    }

    @Test
    void aChangeTheCliCannotHotswapFallsBackToAFullDeployment() throws Exception {
        assumeTrue(Files.isExecutable(CDK), "the CDK CLI is installed under tools/ by the build");
        try (LocalCloud cloud = LambdaFixtures.start(dir.resolve("state")); LambdaClient lambda = LambdaFixtures.lambda(cloud.endpoint())) {
            // a stack the CLI did not deploy itself: its fixed-name change set does not exist, which the
            // CLI's clean-up before the change set must survive, as it does on AWS
            writeAssembly(dir.resolve("cdk.out"), "exports.handler = async () => 'fb v1';");
            deployWithoutTheCli(cloud, dir.resolve("cdk.out").resolve("HotStack.template.json"));

            writeAssembly(dir.resolve("cdk.out"), "exports.handler = async () => 'fb v2';", "Added");
            String out = cdk(cloud, "deploy", "HotStack", "--hotswap-fallback", "--require-approval", "never");
            assertTrue(out.contains("Falling back to doing a full deployment"), out);
            assertEquals("Added-value", outputs(cloud).get("Added"), out);
            assertEquals("\"fb v2\"", lambda.invoke(b -> b.functionName("cdk-hot-fn")).payload().asUtf8String());
        }
    }

    @Test
    void cdkWatchWithHotswapFallbackDeploysAnEditItCannotHotswap() throws Exception {
        assumeTrue(Files.isExecutable(CDK), "the CDK CLI is installed under tools/ by the build");
        // the app: a node script that writes the assembly from src/ (what `cdk watch` re-runs on each change)
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("app.js"), """
                const fs = require('fs'), path = require('path');
                const out = process.env.CDK_OUTDIR;
                fs.mkdirSync(out, {recursive: true});
                for (const f of fs.readdirSync('src')) fs.copyFileSync(path.join('src', f), path.join(out, f));
                """);
        Files.writeString(dir.resolve("cdk.json"), "{\"app\": \"node app.js\", \"watch\": {\"include\": [\"src/**\"]}}");
        Path log = dir.resolve("watch.log");
        try (LocalCloud cloud = LambdaFixtures.start(dir.resolve("state"))) {
            writeAssembly(dir.resolve("src"), "exports.handler = async () => 'w v1';");
            deployWithoutTheCli(cloud, dir.resolve("src").resolve("HotStack.template.json"));
            ProcessBuilder pb = cdkProcess(cloud, List.of(CDK.toString(), "watch", "HotStack", "--hotswap-fallback",
                    "--progress", "events"));
            pb.redirectOutput(log.toFile());
            Process watch = pb.start();
            try {
                awaitLog(watch, log, "Total time", 1);
                writeAssembly(dir.resolve("src"), "exports.handler = async () => 'w v2';", "Added");
                long deadline = System.currentTimeMillis() + 120_000;
                while (!"Added-value".equals(outputs(cloud).get("Added"))) {
                    assertTrue(watch.isAlive() && System.currentTimeMillis() < deadline,
                            "cdk watch deployed the new output\n" + Files.readString(log));
                    Thread.sleep(200);
                }
                assertTrue(Files.readString(log).contains("Falling back to doing a full deployment"), Files.readString(log));
                // and it finishes that deployment, as against AWS, and goes back to watching
                awaitLog(watch, log, "Total time", 2);
            } finally {
                watch.descendants().forEach(ProcessHandle::destroy);
                watch.destroy();
                if (!watch.waitFor(20, TimeUnit.SECONDS)) {
                    watch.destroyForcibly();
                }
            }
        }
    }

    static void awaitLog(Process p, Path log, String text, int times) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            String out = Files.readString(log);
            int n = 0;
            for (int i = out.indexOf(text); i >= 0; i = out.indexOf(text, i + 1)) {
                n++;
            }
            if (n >= times) {
                return;
            }
            assertTrue(p.isAlive() && System.currentTimeMillis() < deadline, "'" + text + "' x" + times + " in\n" + out);
            Thread.sleep(100);
        }
    }
}
