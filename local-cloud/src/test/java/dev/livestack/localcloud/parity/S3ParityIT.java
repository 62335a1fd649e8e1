package dev.livestack.localcloud.parity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * S3 parity: the bucket and object basics of LocalStack's recorded {@code test_s3_api.py}, {@code test_s3.py} and
 * {@code test_s3_list_operations.py} (local-cloud serves a subset of S3, see docs/local-cloud.md: the rest is
 * skipped with the reason).
 */
class S3ParityIT {
    static final String API = "tests/aws/services/s3/test_s3_api.snapshot.json";
    static final String S3 = "tests/aws/services/s3/test_s3.snapshot.json";
    static final String LIST = "tests/aws/services/s3/test_s3_list_operations.snapshot.json";
    /** Just under what the suite reached when set (112 of 113); a lower share fails the build. */
    static final double FLOOR = 0.95;
    @RegisterExtension
    static final ParityCloud cloud = new ParityCloud();
    static S3Client s3;
    static ParityReport report;
    static Snapshots api;
    static Snapshots all;
    static Snapshots list;

    /**
     * botocore sends no Content-Type for a body given as bytes (S3 then answers binary/octet-stream); SDK v2 adds
     * application/octet-stream. The recordings come from botocore, so its request is reproduced.
     */
    static final class AsBotocore implements ExecutionInterceptor {
        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutObjectRequest put && put.contentType() == null) {
                return context.httpRequest().toBuilder().removeHeader("Content-Type").build();
            }
            return context.httpRequest();
        }
    }

    @BeforeAll
    static void start() {
        s3 = cloud.closeAfter(S3Client.builder().endpointOverride(cloud.endpoint()).region(Region.of(cloud.config().region()))
                .credentialsProvider(ParityCloud.credentials()).forcePathStyle(true)
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(30)).retryStrategy(r -> r.maxAttempts(1))
                        .addExecutionInterceptor(new AsBotocore()).addExecutionInterceptor(new ErrorBodies()))
                .build());
        // these files were recorded with a snapshot library that wrote datetimes as "datetime"
        report = new ParityReport("s3", cloud.config().accountId(), cloud.config().region(),
                List.of(Transform.regex("\"<datetime>\"", "\"datetime\"")));
        api = Snapshots.load(API);
        all = Snapshots.load(S3);
        list = Snapshots.load(LIST);
    }

    @AfterAll
    static void check() throws Exception {
        for (Snapshots f : List.of(api, all, list)) {
            report.skipRemaining(f, S3ParityIT::whyNot);
        }
        report.writeAndCheck(FLOOR);
    }

    static String whyNot(String testId) {
        String t = testId.toLowerCase();
        for (String[] r : new String[][] {
                {"version", "versioning is not served by local-cloud"},
                {"suspended", "versioning is not served by local-cloud"},
                {"delete_non_existing_keys", "DeleteObjects (batch delete) is not served by local-cloud"},
                {"batch_delete", "DeleteObjects (batch delete) is not served by local-cloud"},
                {"list_parts", "multipart uploads are not served by local-cloud"},
                {"object_attributes", "GetObjectAttributes is not served by local-cloud"},
                {"get_object_part", "multipart uploads are not served by local-cloud"},
                {"multipart", "multipart uploads are not served by local-cloud"},
                {"upload_part", "multipart uploads are not served by local-cloud"},
                {"copy", "CopyObject is not served by local-cloud"},
                {"tag", "object and bucket tagging are not served by local-cloud"},
                {"lock", "object lock is not served by local-cloud"},
                {"legal_hold", "object lock is not served by local-cloud"},
                {"retention", "object lock is not served by local-cloud"},
                {"encryption", "bucket encryption configuration and SSE-KMS are not served by local-cloud"},
                {"sse", "bucket encryption configuration and SSE-KMS are not served by local-cloud"},
                {"kms", "bucket encryption configuration and SSE-KMS are not served by local-cloud"},
                {"acl", "ACLs are not served by local-cloud"},
                {"policy", "bucket policies are not served by local-cloud"},
                {"presign", "presigned URLs and POST uploads are not served by local-cloud"},
                {"post_", "presigned URLs and POST uploads are not served by local-cloud"},
                {"cors", "CORS configuration is not served by local-cloud"},
                {"website", "static website hosting is not served by local-cloud"},
                {"lifecycle", "lifecycle configuration is not served by local-cloud"},
                {"notification", "bucket notifications are not served by local-cloud"},
                {"ownership", "ownership controls are not served by local-cloud"},
                {"public_access", "public access blocks are not served by local-cloud"},
                {"accelerate", "transfer acceleration is not served by local-cloud"},
                {"metrics", "metrics configurations are not served by local-cloud"},
                {"precondition", "conditional requests (If-Match and friends) are not served by local-cloud"},
                {"if_match", "conditional requests (If-Match and friends) are not served by local-cloud"},
                {"if_none_match", "conditional requests (If-Match and friends) are not served by local-cloud"},
                {"range", "ranged GETs are not served by local-cloud"},
                {"checksum", "checksum algorithms other than the default CRC32, and GetObjectAttributes, are not served by local-cloud"},
                {"delete_objects", "DeleteObjects (batch delete) is not served by local-cloud"},
                {"logging", "bucket logging is not served by local-cloud"},
                {"replication", "replication is not served by local-cloud"},
                {"inventory", "inventory configurations are not served by local-cloud"},
                {"analytics", "analytics configurations are not served by local-cloud"},
                {"intelligent", "intelligent tiering is not served by local-cloud"},
                {"restore", "archive restores are not served by local-cloud"},
                {"storage_class", "storage classes other than STANDARD are not served by local-cloud"},
                {"request_payer", "requester-pays is not served by local-cloud"},
                {"location", "location constraints for other regions are not served by local-cloud (one region)"},
                {"region", "location constraints for other regions are not served by local-cloud (one region)"}}) {
            if (t.contains(r[0])) {
                return r[1];
            }
        }
        return "scenario not written yet";
    }

    private static String bucket() {
        String name = "bucket-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(name));
        return name;
    }

    /** LocalStack's {@code s3_api()} steps. */
    private static List<Transform> s3Api() {
        return List.of(Transform.keyValue("Name", "bucket-name", true), Transform.keyValue("BucketName"),
                Transform.keyValue("VersionId"), Transform.jsonPath("$..Owner.DisplayName", "<display-name>", false),
                Transform.jsonPath("$..Owner.ID", "<owner-id>", false));
    }

    private static void put(String bucket, String key, String body) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body));
    }

    /** GetObject as botocore shows it, the body read as text (with the checksum mode botocore asks for). */
    private static ObjectNode get(ParityRun run, GetObjectRequest.Builder request) {
        try {
            var r = s3.getObjectAsBytes(request.checksumMode(ChecksumMode.ENABLED).build());
            ObjectNode out = Botocore.view(r.response());
            out.put("Body", r.asUtf8String());
            return out;
        } catch (AwsServiceException e) {
            return Botocore.error("s3", e);
        }
    }

    /**
     * ListObjectsV2 as botocore shows it: SDK v2 rebuilds a url-encoded listing with empty Contents and CommonPrefixes
     * lists where the XML had none, and botocore leaves members the XML lacks out.
     */
    private static ObjectNode list(java.util.function.Consumer<software.amazon.awssdk.services.s3.model.ListObjectsV2Request.Builder> request) {
        // botocore always asks for url encoding
        return present(Botocore.view(s3.listObjectsV2(b -> request.accept(b.encodingType(EncodingType.URL)))));
    }

    /** ListObjects (V1) as botocore shows it; see {@link #list}. */
    private static ObjectNode listV1(java.util.function.Consumer<software.amazon.awssdk.services.s3.model.ListObjectsRequest.Builder> request) {
        return present(Botocore.view(s3.listObjects(b -> request.accept(b.encodingType(EncodingType.URL)))));
    }

    private static ObjectNode present(ObjectNode out) {
        for (String member : List.of("Contents", "CommonPrefixes")) {
            if (out.path(member).isArray() && out.path(member).isEmpty()) {
                out.remove(member);
            }
        }
        return out;
    }

    @Test
    void api() {
        report.run(api, "TestS3BucketCRUD::test_delete_bucket_with_objects", run -> {
            run.transforms(s3Api(), 0);
            String bucket = bucket();
            put(bucket, "test-delete", "test-delete");
            run.call("delete-with-obj", () -> s3.deleteBucket(b -> b.bucket(bucket)));
            run.call("delete-obj", () -> s3.deleteObject(b -> b.bucket(bucket).key("test-delete")));
            run.call("delete-bucket", () -> s3.deleteBucket(b -> b.bucket(bucket)));
        });
        report.run(api, "TestS3ObjectCRUD::test_delete_object", run -> {
            String bucket = bucket();
            run.call("put-object", () -> s3.putObject(b -> b.bucket(bucket).key("test-delete"), RequestBody.fromString("test-delete")));
            run.call("delete-object", () -> s3.deleteObject(b -> b.bucket(bucket).key("test-delete")));
            run.call("delete-nonexistent-object", () -> s3.deleteObject(b -> b.bucket(bucket).key("test-delete")));
            run.call("delete-nonexistent-object-versionid", () -> s3.deleteObject(b -> b.bucket(bucket).key("test-delete")
                    .versionId("HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD")));
        });
        report.run(api, "TestS3ObjectCRUD::test_get_object_with_version_unversioned_bucket", run -> {
            run.transforms(s3Api(), 0);
            String bucket = bucket();
            run.call("put-object", () -> s3.putObject(b -> b.bucket(bucket).key("test-version"), RequestBody.fromString("test-version")));
            run.match("get-obj-with-version", get(run, GetObjectRequest.builder().bucket(bucket).key("test-version")
                    .versionId("HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD")));
            run.match("get-obj-with-null-version", get(run, GetObjectRequest.builder().bucket(bucket).key("test-version").versionId("null")));
        });
    }

    @Test
    void objects() {
        report.run(all, "TestS3::test_put_and_get_object_with_utf8_key", run -> {
            run.transforms(s3Api(), 0);
            String bucket = bucket();
            run.call("put-object", () -> s3.putObject(b -> b.bucket(bucket).key("Ā0Ä"), RequestBody.fromString("abc123")));
            run.match("get-object", consumed(get(run, GetObjectRequest.builder().bucket(bucket).key("Ā0Ä")), "abc123"));
        });
        report.run(all, "TestS3::test_get_object_no_such_bucket", run -> {
            run.transform(Transform.keyValue("BucketName"));
            run.match("expected_error", get(run, GetObjectRequest.builder().bucket("does-not-exist-" + UUID.randomUUID().toString()
                    .substring(0, 8)).key("foobar")));
        });
        report.run(all, "TestS3::test_delete_bucket_no_such_bucket", run ->
                run.call("expected_error", () -> s3.deleteBucket(b -> b.bucket("does-not-exist-localstack-test"))));
        report.run(all, "TestS3::test_head_object_fields", run -> {
            String bucket = bucket();
            put(bucket, "my-key", "abcdefgh");
            run.call("head-object", () -> s3.headObject(b -> b.bucket(bucket).key("my-key")));
            run.call("head-object-404", () -> s3.headObject(b -> b.bucket(bucket).key("doesnotexist")));
        });
        for (String key : List.of("file%2Fname", "test@key/", "test%123", "test%percent", "test key/", "test key//", "test%123/",
                "a/%F0%9F%98%80/")) {
            report.run(all, "TestS3::test_put_get_object_special_character[" + key + "]", run -> {
                run.transforms(s3Api(), 0);
                String bucket = bucket();
                run.call("put-object-special-char", () -> s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("test")));
                run.match("list-object-special-char", list(b -> b.bucket(bucket).encodingType(EncodingType.URL)));
                run.match("get-object-special-char", get(run, GetObjectRequest.builder().bucket(bucket).key(key)));
                run.call("del-object-special-char", () -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
            });
        }
        report.run(all, "TestS3::test_put_get_object_single_character_trailing_slash", run -> {
            run.transform(Transform.keyValue("Name"));
            String bucket = bucket();
            for (String key : List.of("a/", "t/", "u/")) {
                run.call("put-object-single-char-" + key, () -> s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("test")));
                run.match("get-object-single-char-" + key, get(run, GetObjectRequest.builder().bucket(bucket).key(key)));
            }
            run.match("list-objects-single-char", list(b -> b.bucket(bucket).encodingType(EncodingType.URL)));
        });
        report.run(all, "TestS3::test_empty_bucket_fixture", run -> {
            run.transform(Transform.keyValue("Name"));
            String bucket = bucket();
            for (int i = 0; i < 3; i++) {
                put(bucket, "key" + i, "123");
            }
            run.match("list-obj", list(b -> b.bucket(bucket).encodingType(EncodingType.URL)));
            for (int i = 0; i < 3; i++) {
                String key = "key" + i;
                s3.deleteObject(b -> b.bucket(bucket).key(key));
            }
            run.match("list-obj-after-empty", list(b -> b.bucket(bucket).encodingType(EncodingType.URL)));
        });
    }

    @Test
    void buckets() {
        report.run(all, "TestS3::test_delete_bucket_with_content", run -> {
            run.transforms(s3Api(), 0);
            String bucket = bucket();
            for (int i = 0; i < 10; i++) {
                put(bucket, "test-key-" + i, "test-" + i);
            }
            run.match("list-objects", listV1(b -> b.bucket(bucket).maxKeys(100)));
            for (int i = 0; i < 10; i++) {
                String key = "test-key-" + i;
                s3.deleteObject(b -> b.bucket(bucket).key(key));
            }
            s3.deleteBucket(b -> b.bucket(bucket));
            run.skip("list-buckets", "lists every bucket of the recording account (LocalStack skips verifying it too)");
        });
        report.run(all, "TestS3::test_bucket_does_not_exist", run -> {
            run.transforms(s3Api(), 0);
            String bucket = "bucket-does-not-exist-" + UUID.randomUUID().toString().substring(0, 8);
            run.call("list_object", () -> s3.listObjects(b -> b.bucket(bucket).encodingType(EncodingType.URL)));
            run.skip("list_object_vhost", "a virtual-host-style client needs <bucket>.localhost to resolve; not set up here");
        });
        report.run(all, "TestS3::test_metadata_header_character_decoding", run -> {
            run.transforms(s3Api(), 0);
            String bucket = bucket();
            s3.putObject(b -> b.bucket(bucket).key("key-with-metadata")
                    .metadata(java.util.Map.of("TEST_META_1", "foo", "__meta_2", "bar")), RequestBody.fromString("foo"));
            run.call("head-object", () -> s3.headObject(b -> b.bucket(bucket).key("key-with-metadata")));
        });
        report.run(all, "TestS3::test_create_bucket_head_bucket", run -> {
            run.transforms(s3Api(), 0);
            String b1 = "my-bucket-1" + UUID.randomUUID().toString().substring(0, 8);
            run.transform(Transform.text(b1, "<bucket-name:1>"));
            run.transform(Transform.keyValue("x-amz-bucket-region"));
            run.call("create_bucket", () -> s3.createBucket(b -> b.bucket(b1)));
            run.skip("create_bucket_location_constraint", "creates a bucket in a second region; local-cloud serves one region");
            var head = s3.headBucket(b -> b.bucket(b1));
            // the recording's x-amz-bucket-region step numbered the region on the filtered headers, so it replaced it here too
            run.transform(Transform.text("\"" + head.bucketRegion() + "\"", "\"<x-amz-bucket-region:1>\""));
            run.match("head_bucket", Botocore.view(head));
            run.skip("head_bucket_filtered_header", "the recording filters botocore's raw HTTP headers; SDK v2 exposes them differently");
            run.skip("head_bucket_2", "the bucket in a second region (see create_bucket_location_constraint)");
            run.skip("head_bucket_2_filtered_header", "the bucket in a second region (see create_bucket_location_constraint)");
            run.call("head_bucket_not_exist", () -> s3.headBucket(b -> b.bucket("does-not-exist-" + UUID.randomUUID())));
        });
    }

    @Test
    void moreObjects() {
        report.run(all, "TestS3::test_s3_uppercase_key_names", run -> {
            String bucket = "testuppercase-" + UUID.randomUUID().toString().substring(0, 8);
            s3.createBucket(b -> b.bucket(bucket));
            put(bucket, "camelCaseKey", "something");
            run.match("response", get(run, GetObjectRequest.builder().bucket(bucket).key("camelCaseKey")));
            run.match("wrong-case-key", get(run, GetObjectRequest.builder().bucket(bucket).key("camelcasekey")));
        });
        report.run(all, "TestS3::test_put_and_get_object_with_hash_prefix", run -> {
            run.transforms(s3Api(), 0);
            String bucket = bucket();
            run.call("put-object", () -> s3.putObject(b -> b.bucket(bucket).key("#key-with-hash-prefix"), RequestBody.fromString("test 123")));
            run.match("get-object", consumed(get(run, GetObjectRequest.builder().bucket(bucket).key("#key-with-hash-prefix")), "test 123"));
        });
        report.skip(all, "TestS3::test_s3_uppercase_bucket_name",
                "SDK v2 refuses an uppercase bucket name before sending the request; botocore sends it");
        report.run(all, "TestS3::test_s3_invalid_content_md5", run -> {
            String bucket = bucket();
            String content = "something";
            put(bucket, "test-key", content);
            List<String> hashes = List.of("__invalid__", "000", "not base64 encoded checksum", "MTIz",
                    java.util.Base64.getEncoder().encodeToString("test-string".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            for (int i = 0; i < hashes.size(); i++) {
                String md5 = hashes.get(i);
                run.call("md5-error-" + i, () -> s3.putObject(b -> b.bucket(bucket).key("test-key").contentMD5(md5),
                        RequestBody.fromString(content)));
            }
            run.call("md5-error-bad-digest", () -> s3.putObject(b -> b.bucket(bucket).key("test-key").contentMD5(md5(content + "1")),
                    RequestBody.fromString(content)));
            run.call("success-put-object-md5", () -> s3.putObject(b -> b.bucket(bucket).key("test-key").contentMD5(md5(content)),
                    RequestBody.fromString(content)));
            for (String key : List.of("upload-part-md5-error-0", "upload-part-md5-error-1", "upload-part-md5-error-2",
                    "upload-part-md5-error-3", "upload-part-md5-error-4", "upload-part-md5-bad-digest", "success-upload-part-md5")) {
                run.skip(key, "multipart uploads are not served by local-cloud");
            }
        });
    }

    /**
     * A GetObject whose body the Python test read itself after matching: the recording library serialised the
     * response at the end of the test, from a stream by then consumed, so it holds an empty Body. The test's own
     * check of the bytes is kept.
     */
    private static ObjectNode consumed(ObjectNode got, String expected) {
        if (got.has("Body")) {
            org.junit.jupiter.api.Assertions.assertEquals(expected, got.get("Body").asText());
            got.put("Body", "");
        }
        return got;
    }

    private static String md5(String s) {
        try {
            return java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("MD5")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void bucketListing() {
        report.run(list, "TestS3ListBuckets::test_list_buckets_by_prefix_with_case_sensitivity", run -> {
            run.transforms(s3Api(), 0);
            run.transform(Transform.keyValue("Prefix"));
            String name = "test-bucket-" + UUID.randomUUID().toString().substring(0, 8);
            s3.createBucket(b -> b.bucket(name));
            bucket();
            run.call("list-objects-by-prefix-empty", () -> s3.listBuckets(b -> b.prefix(name.toUpperCase(java.util.Locale.ROOT))));
            run.call("list-objects-by-prefix-not-empty", () -> s3.listBuckets(b -> b.prefix(name)));
        });
        report.run(list, "TestS3ListBuckets::test_list_buckets_with_max_buckets", run -> {
            run.transforms(s3Api(), 0);
            run.transform(Transform.keyValue("ContinuationToken"));
            bucket();
            bucket();
            run.call("list-objects-with-max-buckets", () -> s3.listBuckets(b -> b.maxBuckets(1)));
        });
        report.run(list, "TestS3ListBuckets::test_list_buckets_when_continuation_token_is_empty", run -> {
            run.transforms(s3Api(), 0);
            run.transform(Transform.keyValue("ContinuationToken"));
            bucket();
            bucket();
            run.call("list-objects-with-empty-continuation-token", () -> s3.listBuckets(b -> b.continuationToken("").maxBuckets(1)));
        });
        report.run(list, "TestS3ListBuckets::test_list_buckets_with_continuation_token", run -> {
            run.transforms(s3Api(), 0);
            run.transform(Transform.keyValue("ContinuationToken"));
            bucket();
            bucket();
            bucket();
            var first = s3.listBuckets(b -> b.maxBuckets(1));
            run.call("list-objects-with-continuation", () -> s3.listBuckets(b -> b.maxBuckets(1).continuationToken(first.continuationToken())));
        });
        report.run(list, "TestS3ListBuckets::test_list_buckets_region_validation", run ->
                run.call("bad-region", () -> s3.listBuckets(b -> b.bucketRegion("eu-east-1"))));
        for (String op : List.of("list_objects_v2", "list_objects")) {
            report.run(list, "TestS3ListObjectsV2::test_list_ops_encoding_type_validation[" + op + "]", run -> {
                String bucket = bucket();
                for (String[] c : new String[][] {{"wrong-value", "value"}, {"empty-value", ""}}) {
                    if (op.equals("list_objects_v2")) {
                        run.call(op + "-error-" + c[0], () -> s3.listObjectsV2(b -> b.bucket(bucket).encodingType(c[1])));
                    } else {
                        run.call(op + "-error-" + c[0], () -> s3.listObjects(b -> b.bucket(bucket).encodingType(c[1])));
                    }
                }
            });
        }
    }

    @Test
    void listingMore() {
        for (String delimiter : List.of("", "/", "%2F")) {
            report.run(list, "TestS3ListObjects::test_list_objects_with_prefix[" + delimiter + "]", run -> {
                run.transforms(s3Api(), 0);
                String bucket = bucket();
                put(bucket, "test/foo/bar/123", "content 123");
                run.match("list-objects", listV1(b -> b.bucket(bucket).prefix("test/").delimiter(delimiter).maxKeys(1)));
                if (run.recorded("list-objects-no-encoding")) {
                    run.skip("list-objects-no-encoding", "a raw signed HTTP request parsed with xmltodict; not an SDK call");
                }
            });
        }
        report.run(list, "TestS3ListObjects::test_list_objects_next_marker", run -> {
            run.transforms(s3Api(), 0);
            run.transform(Transform.keyValue("NextMarker"));
            run.transform(Transform.keyValue("Key"), -1);
            String bucket = bucket();
            for (int i = 0; i < 3; i++) {
                put(bucket, "test_" + i, "content 123");
            }
            run.match("list-objects-all", listV1(b -> b.bucket(bucket)));
            ObjectNode first = listV1(b -> b.bucket(bucket).maxKeys(1).delimiter("/"));
            run.match("list-objects-max-1", first);
            String marker = first.path("NextMarker").asText();
            run.match("list-objects-rest", listV1(b -> b.bucket(bucket).marker(marker).maxKeys(1)));
            run.match("list-objects-marker-empty", listV1(b -> b.bucket(bucket).marker("").maxKeys(1)));
        });
        report.run(list, "TestS3ListObjects::test_s3_list_objects_empty_marker", run -> {
            run.transforms(s3Api(), 0);
            String bucket = bucket();
            run.match("list-objects", listV1(b -> b.bucket(bucket).marker("")));
        });
        List<String> folder = List.of("folder/aSubfolder/subFile1", "folder/aSubfolder/subFile2", "folder/file1", "folder/file2");
        report.run(list, "TestS3ListObjects::test_list_objects_marker_common_prefixes", run -> {
            run.transforms(s3Api(), 0);
            String bucket = bucket();
            folder.forEach(k -> put(bucket, k, "content 123"));
            run.match("list-objects-all-keys", listV1(b -> b.bucket(bucket)));
            ObjectNode start = listV1(b -> b.bucket(bucket).prefix("folder/").delimiter("/").maxKeys(1));
            run.match("list-objects-start", start);
            String m1 = start.path("NextMarker").asText();
            ObjectNode next = listV1(b -> b.bucket(bucket).prefix("folder/").delimiter("/").maxKeys(1).marker(m1));
            run.match("list-objects-next-1", next);
            String m2 = next.path("NextMarker").asText();
            run.match("list-objects-end", listV1(b -> b.bucket(bucket).prefix("folder/").delimiter("/").maxKeys(1).marker(m2)));
            run.match("list-objects-manual-first-file", listV1(b -> b.bucket(bucket).prefix("folder/").delimiter("/").maxKeys(1)
                    .marker("folder/aSubfolder/subFile1")));
        });
        report.run(list, "TestS3ListObjectsV2::test_list_objects_v2_continuation_start_after", run -> {
            run.transforms(s3Api(), 0);
            run.transform(Transform.keyValue("NextContinuationToken"));
            String bucket = bucket();
            for (int i = 0; i < 12; i++) {
                put(bucket, "test_" + i, "content 123");
            }
            ObjectNode first = list(b -> b.bucket(bucket).maxKeys(5));
            run.match("list-objects-v2-max-5", first);
            String token = first.path("NextContinuationToken").asText();
            run.match("list-objects-v2-rest", list(b -> b.bucket(bucket).continuationToken(token)));
            run.match("list-objects-start-after", list(b -> b.bucket(bucket).startAfter("test_7").maxKeys(2)));
            run.match("list-objects-start-after-token", list(b -> b.bucket(bucket).startAfter("test_7").continuationToken(token)));
            run.call("exc-continuation-token", () -> s3.listObjectsV2(b -> b.bucket(bucket).continuationToken("")
                    .encodingType(EncodingType.URL)));
        });
        report.run(list, "TestS3ListObjectsV2::test_list_objects_v2_continuation_common_prefixes", run -> {
            run.transforms(s3Api(), 0);
            run.transform(Transform.keyValue("NextContinuationToken"));
            String bucket = bucket();
            folder.forEach(k -> put(bucket, k, "content 123"));
            run.match("list-objects-v2-all-keys", list(b -> b.bucket(bucket)));
            ObjectNode start = list(b -> b.bucket(bucket).prefix("folder/").delimiter("/").maxKeys(1));
            run.match("list-objects-v2-start", start);
            String t1 = start.path("NextContinuationToken").asText();
            ObjectNode next = list(b -> b.bucket(bucket).prefix("folder/").delimiter("/").maxKeys(1).continuationToken(t1));
            run.match("list-objects-v2-next-1", next);
            String t2 = next.path("NextContinuationToken").asText();
            run.match("list-objects-v2-end", list(b -> b.bucket(bucket).prefix("folder/").delimiter("/").maxKeys(1).continuationToken(t2)));
        });
    }

    @Test
    void listing() {
        report.run(list, "TestS3ListObjectsV2::test_list_objects_v2_with_prefix", run -> {
            run.transforms(s3Api(), 0);
            String bucket = bucket();
            for (String key : List.of("test/foo/bar/123", "test/foo/bar/456", "test/bar/foo/123")) {
                put(bucket, key, "content 123");
            }
            run.match("list-objects-v2-1", list(b -> b.bucket(bucket).prefix("test/").encodingType(EncodingType.URL)));
            run.match("list-objects-v2-2", list(b -> b.bucket(bucket).prefix("test/foo").encodingType(EncodingType.URL)));
            run.match("list-objects-v2-3", list(b -> b.bucket(bucket).prefix("test/foo/bar").encodingType(EncodingType.URL)));
            run.skip("list-objects-v2-no-encoding", "a raw signed HTTP request parsed with xmltodict; not an SDK call");
        });
        report.run(list, "TestS3ListObjectsV2::test_list_objects_v2_with_prefix_and_delimiter", run -> {
            run.transforms(s3Api(), 0);
            run.transform(Transform.keyValue("NextContinuationToken"));
            String bucket = bucket();
            for (String key : List.of("test/foo/bar/123", "test/foo/bar/456", "test/bar/foo/123")) {
                put(bucket, key, "content 123");
            }
            run.match("list-objects-v2-1", list(b -> b.bucket(bucket).prefix("test/").delimiter("/")
                    .encodingType(EncodingType.URL)));
            run.match("list-objects-v2-1-with-max-keys", list(b -> b.bucket(bucket).prefix("test/").delimiter("/")
                    .maxKeys(1).encodingType(EncodingType.URL)));
            run.match("list-objects-v2-2", list(b -> b.bucket(bucket).prefix("test/foo").delimiter("/")
                    .encodingType(EncodingType.URL)));
            run.match("list-objects-v2-3", list(b -> b.bucket(bucket).prefix("test/foo/bar").delimiter("/")
                    .encodingType(EncodingType.URL)));
        });
    }
}
