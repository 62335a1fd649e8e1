package dev.livestack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestack.deployer.DeployerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * One stack-glob dialect (the JDK's glob syntax: {@code *}, {@code ?}, {@code [..]}, {@code [!..]}, {@code {a,b}}):
 * a glob that selects a stack with {@code --stack} protects exactly that stack in {@code livestack:protectedStacks}.
 */
class StackGlobsTest {
    private static final List<String> GLOBS = List.of("Api*", "*", "Api?", "{Api,Web}Stack", "[AW]*Stack", "[!A]*",
            "*-{dev,prod}", "prod-*-[0-9]", "ApiStack");
    private static final List<String> NAMES = List.of("ApiStack", "WebStack", "DbStack", "Api1", "Api", "orders-dev",
            "orders-prod", "orders-test", "prod-api-1", "prod-api-x");

    @Test
    void aGlobThatSelectsAStackProtectsItAndNoOther() {
        Region region = Region.US_EAST_1;
        StaticCredentialsProvider creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        URI nowhere = URI.create("http://127.0.0.1:9");
        // real clients that are never called: protection is decided without AWS
        try (CloudFormationClient cfn = CloudFormationClient.builder().region(region).credentialsProvider(creds)
                .endpointOverride(nowhere).build();
             LambdaClient lambda = LambdaClient.builder().region(region).credentialsProvider(creds)
                     .endpointOverride(nowhere).build()) {
            for (String glob : GLOBS) {
                StackGlobs.checkStackName(glob);
                DeployerConfig config = DeployerConfig.of(cfn, lambda, Path.of("state")).withProtectedStacks(Set.of(glob));
                for (String name : NAMES) {
                    assertEquals(StackGlobs.stackMatches(glob, name), config.isProtected(name),
                            "--stack '" + glob + "' and livestack:protectedStacks '" + glob + "' on " + name);
                }
            }
        }
    }

    @Test
    void alternativesAndClassesSelect() {
        assertTrue(StackGlobs.stackMatches("{Api,Web}Stack", "ApiStack"));
        assertTrue(StackGlobs.stackMatches("{Api,Web}Stack", "WebStack"));
        assertEquals(false, StackGlobs.stackMatches("{Api,Web}Stack", "DbStack"));
        assertTrue(StackGlobs.stackMatches("[!A]*", "DbStack"));
        assertEquals(false, StackGlobs.stackMatches("[!A]*", "ApiStack"));
        assertTrue(StackGlobs.stackMatches("ApiStack", "ApiStack"));
        assertEquals(false, StackGlobs.stackMatches("Api", "ApiStack"));
    }

    @Test
    void aBrokenGlobIsBadInput() {
        for (String bad : List.of("Api[*", "{Api,Web", "my_stack!", "1stack", "")) {
            UserError e = assertThrows(UserError.class, () -> StackGlobs.checkStackName(bad), bad);
            assertEquals(ExitCodes.BAD_INPUT, e.exitCode());
        }
    }
}
