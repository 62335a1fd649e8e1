package dev.livestack.localcloud;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

/**
 * Latencies of local-cloud as a client sees them: DescribeStacks; creating a 20-resource stack
 * (CreateStack until DescribeStacks says CREATE_COMPLETE, polling every 5 ms); and a Lambda code
 * update of a warm function (UpdateFunctionCode until Successful, then the first Invoke, which returns
 * the new code), per runtime local-cloud can run here. Run by bench/local-cloud.sh; prints p50 / p95 / max.
 */
public final class LocalCloudBench {
    private LocalCloudBench() {
    }

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int stacks = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int updates = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path state = Files.createTempDirectory("local-cloud-bench");
        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0));
             CloudFormationClient cfn = Sdk.cloudFormation(cloud.endpoint())) {
            String template = twentyResources();
            cfn.createStack(b -> b.stackName("bench-warm").templateBody(template).capabilitiesWithStrings("CAPABILITY_IAM"));
            await(cfn, "bench-warm");
            List<Double> describe = new ArrayList<>();
            for (int i = 0; i < samples + 20; i++) {
                long t0 = System.nanoTime();
                cfn.describeStacks(b -> b.stackName("bench-warm"));
                if (i >= 20) {
                    describe.add((System.nanoTime() - t0) / 1e6);
                }
            }
            report("DescribeStacks", describe);
            List<Double> create = new ArrayList<>();
            for (int i = 0; i < stacks; i++) {
                String name = "bench-" + i;
                long t0 = System.nanoTime();
                cfn.createStack(b -> b.stackName(name).templateBody(template).capabilitiesWithStrings("CAPABILITY_IAM"));
                String status = await(cfn, name);
                if (!status.equals("CREATE_COMPLETE")) {
                    throw new IllegalStateException(name + " ended " + status);
                }
                create.add((System.nanoTime() - t0) / 1e6);
            }
            report("create 20-resource stack", create);
            try (software.amazon.awssdk.services.lambda.LambdaClient lambda = LambdaFixtures.lambda(cloud.endpoint())) {
                codeUpdates(lambda, "nodejs20.x", "exports.handler = async () => '%s';", updates);
                if (onPath("python3")) {
                    codeUpdates(lambda, "python3.12", "def handler(event, context):\n    return '%s'\n", updates);
                }
            }
        }
    }

    /**
     * UpdateFunctionCode of a function with a warm environment; GetFunctionConfiguration every 2 ms until
     * LastUpdateStatus is Successful (what SDK waiters and deploy tools wait for); then the first Invoke,
     * which must return the new code's value. Reports both points, and that first Invoke on its own.
     */
    private static void codeUpdates(software.amazon.awssdk.services.lambda.LambdaClient lambda, String runtime, String source,
                                    int updates) throws InterruptedException {
        String name = "bench-update-" + runtime.replace(".", "");
        lambda.createFunction(b -> b.functionName(name).runtime(runtime).role(LambdaFixtures.ROLE).handler("index.handler")
                .code(c -> c.zipFile(software.amazon.awssdk.core.SdkBytes.fromByteArray(
                        LambdaFixtures.zip(runtime, String.format(source, "v0"))))));
        lambda.waiter().waitUntilFunctionActiveV2(b -> b.functionName(name));
        lambda.invoke(b -> b.functionName(name));
        List<Double> successful = new ArrayList<>();
        List<Double> live = new ArrayList<>();
        List<Double> firstInvoke = new ArrayList<>();
        for (int i = 1; i <= updates + 3; i++) {
            String value = "v" + i;
            byte[] zip = LambdaFixtures.zip(runtime, String.format(source, value));
            long t0 = System.nanoTime();
            lambda.updateFunctionCode(b -> b.functionName(name).zipFile(software.amazon.awssdk.core.SdkBytes.fromByteArray(zip)));
            while (lambda.getFunctionConfiguration(b -> b.functionName(name)).lastUpdateStatus()
                    != software.amazon.awssdk.services.lambda.model.LastUpdateStatus.SUCCESSFUL) {
                Thread.sleep(2);
            }
            long t1 = System.nanoTime();
            String got = lambda.invoke(b -> b.functionName(name)).payload().asUtf8String();
            long t2 = System.nanoTime();
            if (!got.equals("\"" + value + "\"")) {
                throw new IllegalStateException("after Successful, " + name + " returned " + got + ", not " + value);
            }
            if (i > 3) {
                successful.add((t1 - t0) / 1e6);
                live.add((t2 - t0) / 1e6);
                firstInvoke.add((t2 - t1) / 1e6);
            }
            Thread.sleep(300);
        }
        List<Double> warm = new ArrayList<>();
        for (int i = 0; i < updates; i++) {
            long t0 = System.nanoTime();
            lambda.invoke(b -> b.functionName(name));
            warm.add((System.nanoTime() - t0) / 1e6);
        }
        report("update -> Successful " + runtime, successful);
        report("  first Invoke (new code)", firstInvoke);
        report("  update -> new value live", live);
        report("  (a warm Invoke, for scale)", warm);
    }

    private static boolean onPath(String exe) {
        try {
            return new ProcessBuilder(exe, "-c", "pass").start().waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String await(CloudFormationClient cfn, String name) throws InterruptedException {
        while (true) {
            String status = cfn.describeStacks(b -> b.stackName(name)).stacks().get(0).stackStatusAsString();
            if (!status.endsWith("_IN_PROGRESS")) {
                return status;
            }
            Thread.sleep(5);
        }
    }

    /** Queues, topics, tables and roles with references between them, in four dependency levels. */
    static String twentyResources() {
        StringBuilder r = new StringBuilder("{\"Resources\": {");
        for (int i = 0; i < 5; i++) {
            r.append("\"Queue").append(i).append("\": {\"Type\": \"AWS::SQS::Queue\"},");
            r.append("\"Topic").append(i).append("\": {\"Type\": \"AWS::SNS::Topic\", \"Properties\": {\"DisplayName\": {\"Fn::GetAtt\": [\"Queue")
                    .append(i).append("\", \"QueueName\"]}}},");
            r.append("\"Table").append(i).append("\": {\"Type\": \"AWS::DynamoDB::Table\", \"Properties\": {\"BillingMode\": \"PAY_PER_REQUEST\",")
                    .append(" \"KeySchema\": [{\"AttributeName\": \"pk\", \"KeyType\": \"HASH\"}], \"Tags\": [{\"Key\": \"topic\", \"Value\": {\"Ref\": \"Topic")
                    .append(i).append("\"}}]}},");
            r.append("\"Role").append(i).append("\": {\"Type\": \"AWS::IAM::Role\", \"Properties\": {\"AssumeRolePolicyDocument\": {},")
                    .append(" \"Description\": {\"Fn::Sub\": \"${Table").append(i).append(".Arn}\"}}}");
            r.append(i < 4 ? "," : "");
        }
        return r.append("}}").toString();
    }

    private static void report(String what, List<Double> ms) {
        Collections.sort(ms);
        System.out.printf("%-34s n=%-4d p50 %7.2f ms   p95 %7.2f ms   max %7.2f ms%n", what, ms.size(),
                ms.get(ms.size() / 2), ms.get((int) Math.min(ms.size() - 1, Math.round(ms.size() * 0.95))), ms.get(ms.size() - 1));
    }
}
