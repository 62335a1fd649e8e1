package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.model.StsException;

/** Every AWS path checks SigV4 against the configured credentials and refuses like the real service. */
class SignatureIT {
    @TempDir
    static Path state;
    static LocalCloud cloud;

    @BeforeAll
    static void start() throws Exception {
        cloud = LocalCloud.start(new LocalCloudConfig(state, 0, "AKIDLOCAL", "s3cr3t", "us-east-1", "123456789012"));
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @Test
    void theConfiguredCredentialsAreAccepted() {
        try (var sts = Sdk.sts(cloud.endpoint(), "AKIDLOCAL", "s3cr3t")) {
            assertEquals("123456789012", sts.getCallerIdentity().account());
        }
    }

    @Test
    void queryServicesRefuseAWrongSecretAndAnUnknownKey() {
        try (var sts = Sdk.sts(cloud.endpoint(), "AKIDLOCAL", "wrong")) {
            StsException e = assertThrows(StsException.class, sts::getCallerIdentity);
            assertEquals("SignatureDoesNotMatch", e.awsErrorDetails().errorCode());
            assertEquals(403, e.statusCode());
            assertTrue(e.awsErrorDetails().errorMessage().startsWith("The request signature we calculated does not match"));
        }
        try (var sts = Sdk.sts(cloud.endpoint(), "test", "test")) {
            StsException e = assertThrows(StsException.class, sts::getCallerIdentity);
            assertEquals("InvalidClientTokenId", e.awsErrorDetails().errorCode());
            assertEquals("The security token included in the request is invalid.", e.awsErrorDetails().errorMessage());
        }
    }

    @Test
    void jsonServicesRefuseWithTheirOwnCodes() {
        try (SsmClient ssm = SsmClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(Sdk.credentials("AKIDLOCAL", "wrong")).overrideConfiguration(Sdk.noRetries()).build()) {
            AwsServiceException e = assertThrows(AwsServiceException.class, () -> ssm.getParameter(b -> b.name("x")));
            assertEquals("InvalidSignatureException", e.awsErrorDetails().errorCode());
        }
        try (SsmClient ssm = SsmClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(Sdk.credentials("nobody", "wrong")).overrideConfiguration(Sdk.noRetries()).build()) {
            AwsServiceException e = assertThrows(AwsServiceException.class, () -> ssm.getParameter(b -> b.name("x")));
            assertEquals("UnrecognizedClientException", e.awsErrorDetails().errorCode());
        }
    }

    @Test
    void s3RefusesAWrongSecretButAcceptsStreamingUploadsSignedRight() {
        try (S3Client good = S3Client.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(Sdk.credentials("AKIDLOCAL", "s3cr3t")).build()) {
            good.createBucket(b -> b.bucket("signed"));
            good.putObject(b -> b.bucket("signed").key("dir/a key+with spaces.txt"), RequestBody.fromString("x".repeat(70_000)));
            assertEquals(70_000, good.getObjectAsBytes(b -> b.bucket("signed").key("dir/a key+with spaces.txt")).asByteArray().length);
        }
        try (S3Client bad = S3Client.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(Sdk.credentials("AKIDLOCAL", "wrong")).overrideConfiguration(Sdk.noRetries()).build()) {
            AwsServiceException e = assertThrows(AwsServiceException.class, () -> bad.listBuckets());
            assertEquals("SignatureDoesNotMatch", e.awsErrorDetails().errorCode());
        }
    }

    @Test
    void unsignedRequestsAreRefused() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(cloud.endpoint().resolve("/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/us-east-1/cloudformation/aws4_request, "
                        + "SignedHeaders=host;x-amz-date, Signature=00")
                .header("X-Amz-Date", "20260101T000000Z")
                .POST(HttpRequest.BodyPublishers.ofString("Action=DescribeStacks&Version=2010-05-15")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("<Code>SignatureDoesNotMatch</Code>"), r.body());
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(cloud.endpoint().resolve("/some-bucket/key")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, anonymous.statusCode());
        assertTrue(anonymous.body().contains("<Code>AccessDenied</Code>"), anonymous.body());
        HttpResponse<String> admin = http.send(HttpRequest.newBuilder(cloud.endpoint().resolve("/_localcloud/health"))
                        .header(LocalCloud.ADMIN_TOKEN_HEADER, TestControls.adminToken(state)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, admin.statusCode(), "the admin API is unsigned but wants the instance's token");
    }
}
