package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/** ECR's control plane through the real SDK v2 client: what image asset publishing calls. */
class EcrIT {
    @RegisterExtension
    static final LocalCloudFixture cloud = new LocalCloudFixture();
    static EcrClient ecr;

    @BeforeAll
    static void start() {
        ecr = cloud.closeAfter(EcrClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(Sdk.credentials("test", "test")).overrideConfiguration(Sdk.noRetries()).build());
    }

    @Test
    void repositoriesAreCreatedDescribedAndDeleted() {
        String name = "cdk-hnb659fds-container-assets-000000000000-us-east-1";
        RepositoryNotFoundException missing = assertThrows(RepositoryNotFoundException.class,
                () -> ecr.describeRepositories(b -> b.repositoryNames(name)));
        assertEquals("The repository with name '" + name + "' does not exist in the registry with id '000000000000'",
                missing.awsErrorDetails().errorMessage());

        Repository created = ecr.createRepository(b -> b.repositoryName(name)).repository();
        assertEquals("000000000000.dkr.ecr.us-east-1.amazonaws.com/" + name, created.repositoryUri());
        assertEquals("arn:aws:ecr:us-east-1:000000000000:repository/" + name, created.repositoryArn());
        assertEquals("000000000000", created.registryId());
        assertTrue(created.createdAt().isAfter(Instant.now().minusSeconds(60)));

        Repository described = ecr.describeRepositories(b -> b.repositoryNames(name)).repositories().get(0);
        assertEquals(created.repositoryUri(), described.repositoryUri());
        assertTrue(ecr.describeRepositories().repositories().stream().anyMatch(r -> r.repositoryName().equals(name)));

        RepositoryAlreadyExistsException again = assertThrows(RepositoryAlreadyExistsException.class,
                () -> ecr.createRepository(b -> b.repositoryName(name)));
        assertTrue(again.awsErrorDetails().errorMessage().contains("already exists in the registry with id '000000000000'"));

        ecr.deleteRepository(b -> b.repositoryName(name));
        assertThrows(RepositoryNotFoundException.class, () -> ecr.describeRepositories(b -> b.repositoryNames(name)));
    }

    @Test
    void badNamesAndOtherRegistriesAreRefused() {
        InvalidParameterException bad = assertThrows(InvalidParameterException.class,
                () -> ecr.createRepository(b -> b.repositoryName("Has_Upper")));
        assertTrue(bad.awsErrorDetails().errorMessage().contains("'repositoryName' failed to satisfy constraint"), bad::getMessage);
        assertEquals(400, bad.statusCode());
        var denied = assertThrows(software.amazon.awssdk.services.ecr.model.EcrException.class,
                () -> ecr.describeRepositories(b -> b.registryId("111111111111")));
        assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
    }

    @Test
    void theAuthorizationTokenIsAwsColonATokenForTheAccountsRegistry() {
        AuthorizationData auth = ecr.getAuthorizationToken().authorizationData().get(0);
        String decoded = new String(Base64.getDecoder().decode(auth.authorizationToken()), StandardCharsets.UTF_8);
        assertTrue(decoded.startsWith("AWS:") && decoded.length() > 20, decoded);
        assertEquals("https://000000000000.dkr.ecr.us-east-1.amazonaws.com", auth.proxyEndpoint());
        Duration left = Duration.between(Instant.now(), auth.expiresAt());
        assertTrue(left.toHours() >= 11 && left.toHours() <= 12, left::toString);
    }
}
