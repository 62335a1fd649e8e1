package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestack.localcloud.core.ports.ObjectStore;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

class S3IT {
    @RegisterExtension
    static final LocalCloudFixture cloud = new LocalCloudFixture();
    static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        s3 = cloud.closeAfter(Sdk.s3(cloud.endpoint()));
    }

    @Test
    void objectsArePutReadListedAndDeleted() {
        s3.createBucket(b -> b.bucket("assets"));
        s3.headBucket(b -> b.bucket("assets"));
        byte[] bytes = "hello, bucket".getBytes(StandardCharsets.UTF_8);
        String etag = s3.putObject(b -> b.bucket("assets").key("a/b/c.txt").contentType("text/plain").metadata(Map.of("owner", "me")),
                RequestBody.fromBytes(bytes)).eTag();
        s3.putObject(b -> b.bucket("assets").key("a/d.txt"), RequestBody.fromString("d"));
        s3.putObject(b -> b.bucket("assets").key("top.txt"), RequestBody.fromString("t"));

        var got = s3.getObjectAsBytes(b -> b.bucket("assets").key("a/b/c.txt"));
        assertArrayEquals(bytes, got.asByteArray());
        assertEquals(etag, got.response().eTag());
        assertEquals("text/plain", got.response().contentType());
        assertEquals("me", got.response().metadata().get("owner"));
        assertEquals(13L, s3.headObject(b -> b.bucket("assets").key("a/b/c.txt")).contentLength());

        var all = s3.listObjectsV2(b -> b.bucket("assets"));
        assertEquals(List.of("a/b/c.txt", "a/d.txt", "top.txt"), all.contents().stream().map(o -> o.key()).toList());
        var dirs = s3.listObjectsV2(b -> b.bucket("assets").prefix("a/").delimiter("/"));
        assertEquals(List.of("a/d.txt"), dirs.contents().stream().map(o -> o.key()).toList());
        assertEquals(List.of("a/b/"), dirs.commonPrefixes().stream().map(p -> p.prefix()).toList());
        var page = s3.listObjectsV2(b -> b.bucket("assets").maxKeys(2));
        assertTrue(page.isTruncated());
        var rest = s3.listObjectsV2(b -> b.bucket("assets").continuationToken(page.nextContinuationToken()));
        assertEquals(List.of("top.txt"), rest.contents().stream().map(o -> o.key()).toList());

        s3.deleteObject(b -> b.bucket("assets").key("top.txt"));
        NoSuchKeyException missing = assertThrows(NoSuchKeyException.class, () -> s3.getObjectAsBytes(b -> b.bucket("assets").key("top.txt")));
        assertEquals(404, missing.statusCode());
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket("assets").key("top.txt")));
        assertTrue(s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals("assets")));
        assertEquals("hello, bucket", new String(cloudStore().get("assets", "a/b/c.txt"), StandardCharsets.UTF_8));
    }

    private static ObjectStore cloudStore() {
        return ((LocalCloudServer) cloud.get()).context().objects();
    }

    @Test
    void missingBucketsAreNoSuchBucket() {
        NoSuchBucketException e = assertThrows(NoSuchBucketException.class,
                () -> s3.putObject(b -> b.bucket("nowhere").key("k"), RequestBody.fromString("x")));
        assertEquals("The specified bucket does not exist", e.awsErrorDetails().errorMessage());
        assertThrows(NoSuchBucketException.class, () -> s3.headBucket(b -> b.bucket("nowhere")));
        s3.createBucket(b -> b.bucket("full"));
        s3.putObject(b -> b.bucket("full").key("k"), RequestBody.fromString("x"));
        S3Exception notEmpty = assertThrows(S3Exception.class, () -> s3.deleteBucket(b -> b.bucket("full")));
        assertEquals("BucketNotEmpty", notEmpty.awsErrorDetails().errorCode());
    }

    @Test
    void presignedUrlsWorkUntilTampered() throws Exception {
        s3.createBucket(b -> b.bucket("shared"));
        s3.putObject(b -> b.bucket("shared").key("file.bin"), RequestBody.fromString("payload"));
        try (S3Presigner presigner = S3Presigner.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(Sdk.credentials("test", "test"))
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build()) {
            var url = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(r -> r.bucket("shared").key("file.bin"))).url();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(url.toURI()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
            assertEquals("payload", ok.body());
            String tampered = url.toString().replace("file.bin", "file.bin2");
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(java.net.URI.create(tampered)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, refused.statusCode());
            assertTrue(refused.body().contains("<Code>SignatureDoesNotMatch</Code>"), refused.body());
        }
    }
}
