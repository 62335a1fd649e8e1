package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;

/** NoEcho parameter values never come back: DescribeStacks and DescribeStackEvents show {@code ****}. */
class NoEchoIT {
    @TempDir
    Path state;

    static final String TEMPLATE = """
            Parameters:
              DbPass:
                Type: String
                NoEcho: true
              Stage:
                Type: String
            Resources:
              Secret:
                Type: AWS::SSM::Parameter
                Properties:
                  Type: String
                  Value: !Ref DbPass
              Url:
                Type: AWS::SSM::Parameter
                Properties:
                  Type: String
                  Value: !Sub "postgres://app:${DbPass}@db/${Stage}"
            """;

    @Test
    void noEchoValuesAreMaskedInStacksAndEvents() throws Exception {
        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0))) {
            Cfn cfn = new Cfn(Sdk.cloudFormation(cloud.endpoint()));
            var created = cfn.deploy("secret", TEMPLATE, Cfn.param("DbPass", "hunter2-first"), Cfn.param("Stage", "dev"));
            assertEquals("CREATE_COMPLETE", created.stackStatusAsString());
            var updated = cfn.deploy("secret", TEMPLATE, Cfn.param("DbPass", "hunter2-second"), Cfn.param("Stage", "dev"));
            assertEquals("UPDATE_COMPLETE", updated.stackStatusAsString());

            var params = cfn.client.describeStacks(b -> b.stackName("secret")).stacks().get(0).parameters();
            assertEquals("****", params.stream().filter(p -> p.parameterKey().equals("DbPass")).findFirst().orElseThrow().parameterValue());
            assertEquals("dev", params.stream().filter(p -> p.parameterKey().equals("Stage")).findFirst().orElseThrow().parameterValue());

            List<StackEvent> events = cfn.events("secret");
            List<String> properties = events.stream().map(StackEvent::resourceProperties).filter(p -> p != null).toList();
            assertFalse(properties.isEmpty());
            for (String p : properties) {
                assertFalse(p.contains("hunter2"), "a NoEcho value in an event: " + p);
            }
            assertTrue(properties.stream().anyMatch(p -> p.contains("\"Value\":\"****\"")), properties.toString());
            assertTrue(properties.stream().anyMatch(p -> p.contains("postgres://app:****@db/dev")), properties.toString());
            assertTrue(cfn.client.getTemplate(b -> b.stackName("secret")).templateBody().contains("!Ref DbPass"));
            cfn.client.close();
        }
    }
}
