package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * A template as CDK's default synthesizer writes it (the sample app's: BootstrapVersion from SSM, the
 * CheckBootstrapVersion rule, CDKMetadata, construct-path metadata, Refs in environments) deploys, hot-swaps
 * code and configuration of several functions at once, and falls back to a change set for the rest.
 */
class CdkTemplateIT extends LocalCloudFixture {

    private static ObjectNode sample() throws IOException {
        try (InputStream in = CdkTemplateIT.class.getResourceAsStream("/cdk/LivestackSample.template.json")) {
            return Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static ObjectNode props(ObjectNode t, String id) {
        return (ObjectNode) t.get("Resources").get(id).get("Properties");
    }

    @Test
    void aCdkAppDeploysHotSwapsAndFallsBack() throws Exception {
        try (SsmClient ssm = SsmClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(ApacheHttpClient.builder()).build()) {
            // What the cli's bootstrap of local-cloud does.
            ssm.putParameter(b -> b.name("/cdk-bootstrap/hnb659fds/version").value("21").type(ParameterType.STRING).overwrite(true));
        }
        try (Harness h = harness()) {
            String name = uniqueStack("LivestackSample");
            ObjectNode v1 = sample();
            DeployResult first = h.deployer.deploy(stack(name, v1), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.DEPLOYED, first.status(), first::toString);
            assertTrue(h.events(DeployEvent.ChangeSetCreated.class).get(0).summary().rows().size() >= 19);
            h.events.clear();

            ObjectNode v2 = v1.deepCopy();
            ObjectNode ingestCode = (ObjectNode) props(v2, "Ingest4069586C").get("Code");
            ingestCode.put("ZipFile", ingestCode.get("ZipFile").asText().replace("ingest-v1", "ingest-v2"));
            ((ObjectNode) props(v2, "Worker11F36D0F").at("/Environment/Variables"))
                    .set("ORDERS_TABLE_ARN", TestTemplates.node("{'Fn::GetAtt':['OrdersTableD407578C','Arn']}"));
            props(v2, "ReaperEAC00597").put("Description", "Replays the dead letters");
            ((ObjectNode) v2.at("/Resources/CDKMetadata/Metadata")).put("aws:cdk:path", "LivestackSample/CDKMetadata/Default2");
            ((ObjectNode) v2.at("/Resources/Ingest4069586C/Metadata")).put("aws:cdk:path", "LivestackSample/Ingest/Resource2");
            DeployResult swap = h.deployer.deploy(stack(name, v2), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.HOTSWAPPED, swap.status(), swap::toString);
            assertEquals(List.of("Ingest4069586C", "ReaperEAC00597", "Worker11F36D0F"), swap.hotswapped().stream().sorted().toList());
            assertTrue(h.events(DeployEvent.ChangeSetCreated.class).isEmpty());

            String worker = cf.describeStackResource(b -> b.stackName(name).logicalResourceId("Worker11F36D0F"))
                    .stackResourceDetail().physicalResourceId();
            String table = cf.describeStackResource(b -> b.stackName(name).logicalResourceId("OrdersTableD407578C"))
                    .stackResourceDetail().physicalResourceId();
            var env = lambda.getFunctionConfiguration(b -> b.functionName(worker)).environment().variables();
            assertEquals("arn:aws:dynamodb:us-east-1:000000000000:table/" + table, env.get("ORDERS_TABLE_ARN"));
            assertTrue(env.get("ORDERS_QUEUE_URL").contains("Orders"), env.toString());

            ObjectNode v3 = v2.deepCopy();
            props(v3, "Worker11F36D0F").put("Timeout", 25);
            h.events.clear();
            DeployResult full = h.deployer.deploy(stack(name, v3), DeployMode.FALLBACK);
            assertEquals(DeployResult.Status.DEPLOYED, full.status(), full::toString);
            assertEquals(25, lambda.getFunctionConfiguration(b -> b.functionName(worker)).timeout());
            DeployEvent.HotswapSkipped timeout = h.events(DeployEvent.HotswapSkipped.class).get(0);
            assertEquals(RejectReason.PROPERTY_NOT_SWAPPABLE, timeout.code());
            assertEquals("Timeout", timeout.property());

            try (Deployer restarted = Deployer.create(DeployerConfig.of(cf, lambda, h.stateDir))) {
                assertEquals(DeployResult.Status.NO_CHANGES, restarted.deploy(stack(name, v3), DeployMode.FALLBACK).status());
            }
        }
    }
}
