package dev.livestack.localcloud;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

/**
 * Latencies of local-cloud's CloudFormation as a client sees them: DescribeStacks, and creating a
 * 20-resource stack (CreateStack until DescribeStacks says CREATE_COMPLETE, polling every 5 ms).
 * Run by bench/local-cloud.sh; prints p50 / p95 / max.
 */
public final class LocalCloudBench {
    private LocalCloudBench() {
    }

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int stacks = args.length > 1 ? Integer.parseInt(args[1]) : 20;
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
        System.out.printf("%-26s n=%-4d p50 %7.2f ms   p95 %7.2f ms   max %7.2f ms%n", what, ms.size(),
                ms.get(ms.size() / 2), ms.get((int) Math.min(ms.size() - 1, Math.round(ms.size() * 0.95))), ms.get(ms.size() - 1));
    }
}
