package dev.livestack.localcloud.s3;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.AwsRequest;
import dev.livestack.localcloud.core.AwsService;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.Ids;
import dev.livestack.localcloud.core.Xml;
import dev.livestack.localcloud.core.TypedResourceProvider;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeSet;

/**
 * The S3 subset, path-style REST (and {@code <bucket>.localhost} virtual hosts): buckets, whole-object
 * put/get/head/delete, ListObjectsV2, ListBuckets; errors as S3's {@code <Error>} XML. Also provisions
 * {@code AWS::S3::Bucket} for CloudFormation as a real bucket.
 */
public final class S3Service implements AwsService {
    private static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";
    /** AWS's regions, for ListBuckets' bucket-region check (S3 refuses a name that is no region). */
    private static final Set<String> REGIONS = Set.of("us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1",
            "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
            "ap-southeast-4", "ap-southeast-5", "ap-southeast-7", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
            "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3",
            "eu-south-1", "eu-south-2", "eu-north-1", "il-central-1", "me-south-1", "me-central-1", "mx-central-1",
            "sa-east-1", "us-gov-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1");
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private final CloudContext context;
    private final S3Store store;

    public S3Service(CloudContext context, S3Store store) {
        this.context = context;
        this.store = store;
        context.register(new BucketProvider());
    }

    @Override
    public String signingName() {
        return "s3";
    }

    @Override
    public AwsException throttling() {
        return new AwsException(503, "SlowDown", "Please reduce your request rate.");
    }

    @Override
    public void reset() {
        store.reset();
    }

    @Override
    public String operation(AwsRequest request) {
        String[] target = target(request);
        String m = request.method();
        if (target[0] == null) {
            return "ListBuckets";
        }
        if (target[1] == null) {
            return switch (m) {
                case "PUT" -> "CreateBucket";
                case "HEAD" -> "HeadBucket";
                case "DELETE" -> "DeleteBucket";
                default -> request.query().containsKey("location") ? "GetBucketLocation"
                        : "2".equals(request.query().get("list-type")) ? "ListObjectsV2" : "ListObjects";
            };
        }
        return switch (m) {
            case "PUT" -> "PutObject";
            case "HEAD" -> "HeadObject";
            case "DELETE" -> "DeleteObject";
            default -> "GetObject";
        };
    }

    /** {bucket, key} from the path (or the virtual host); either may be null. */
    private static String[] target(AwsRequest request) {
        String path = request.path();
        String host = request.header("host");
        if (host != null) {
            String h = host.replaceFirst(":\\d+$", "");
            if (h.endsWith(".localhost")) {
                String key = path.length() > 1 ? path.substring(1) : null;
                return new String[] {h.substring(0, h.length() - ".localhost".length()), key};
            }
        }
        if (path.isEmpty() || path.equals("/")) {
            return new String[] {null, null};
        }
        String rest = path.substring(1);
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return new String[] {rest, null};
        }
        String key = rest.substring(slash + 1);
        return new String[] {rest.substring(0, slash), key.isEmpty() ? null : key};
    }

    @Override
    public void handle(AwsRequest request) throws IOException {
        String[] target = target(request);
        String bucket = target[0];
        String key = target[1];
        String op = operation(request);
        Headers out = request.exchange().getResponseHeaders();
        out.set("x-amz-request-id", request.requestId());
        switch (op) {
            case "ListBuckets" -> listBuckets(request);
            case "CreateBucket" -> {
                validBucketName(bucket);
                if (!store.createBucket(bucket) && !"us-east-1".equals(context.region())) {
                    throw bucketError(409, "BucketAlreadyOwnedByYou",
                            "Your previous request to create the named bucket succeeded and you already own it.", bucket);
                }
                out.set("Location", "/" + bucket);
                out.set("x-amz-bucket-arn", "arn:aws:s3:::" + bucket);
                Http.send(request.exchange(), 200, null, new byte[0]);
            }
            case "HeadBucket" -> {
                if (!store.exists(bucket)) {
                    Http.send(request.exchange(), 404, null, new byte[0]);
                    return;
                }
                out.set("x-amz-bucket-region", context.region());
                out.set("x-amz-bucket-arn", "arn:aws:s3:::" + bucket);
                out.set("x-amz-access-point-alias", "false");
                Http.send(request.exchange(), 200, null, new byte[0]);
            }
            case "DeleteBucket" -> {
                requireBucket(bucket);
                if (!store.deleteBucket(bucket, false)) {
                    throw bucketError(409, "BucketNotEmpty", "The bucket you tried to delete is not empty", bucket);
                }
                Http.send(request.exchange(), 204, null, new byte[0]);
            }
            case "GetBucketLocation" -> {
                requireBucket(bucket);
                String region = "us-east-1".equals(context.region()) ? "" : context.region();
                Http.send(request.exchange(), 200, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><LocationConstraint xmlns=\""
                        + NS + "\">" + region + "</LocationConstraint>");
            }
            case "ListObjectsV2", "ListObjects" -> list(request, bucket, "ListObjectsV2".equals(op));
            case "PutObject" -> {
                requireBucket(bucket);
                Map<String, String> meta = new LinkedHashMap<>();
                request.headers().forEach((k, v) -> {
                    if (k.startsWith("x-amz-meta-") && !v.isEmpty()) {
                        meta.put(k.substring("x-amz-meta-".length()), v.get(0));
                    }
                });
                byte[] body = payload(request);
                checkContentMd5(request.header("content-md5"), body);
                S3Store.ObjectMeta m = store.put(bucket, key, body, request.header("content-type"), meta,
                        sentCrc32(request));
                out.set("ETag", m.etag());
                out.set("x-amz-server-side-encryption", "AES256");
                if (m.crc32() != null) {
                    out.set("x-amz-checksum-crc32", m.crc32());
                    out.set("x-amz-checksum-type", "FULL_OBJECT");
                }
                Http.send(request.exchange(), 200, null, new byte[0]);
            }
            case "GetObject", "HeadObject" -> {
                requireBucket(bucket);
                checkVersionId(request);
                S3Store.ObjectMeta m = store.head(bucket, key);
                byte[] bytes = m == null ? null : store.get(bucket, key);
                if (bytes == null) {
                    if ("HeadObject".equals(op)) {
                        Http.send(request.exchange(), 404, null, new byte[0]);
                        return;
                    }
                    throw keyError(key);
                }
                out.set("ETag", m.etag());
                out.set("Last-Modified", HTTP_DATE.format(m.lastModified()));
                out.set("Accept-Ranges", "bytes");
                out.set("x-amz-server-side-encryption", "AES256");
                if (m.crc32() != null && "ENABLED".equalsIgnoreCase(request.header("x-amz-checksum-mode"))) {
                    out.set("x-amz-checksum-crc32", m.crc32());
                    out.set("x-amz-checksum-type", "FULL_OBJECT");
                }
                m.metadata().forEach((k, v) -> out.set("x-amz-meta-" + k, v));
                out.set("Content-Type", m.contentType());
                if ("HeadObject".equals(op)) {
                    out.set("Content-Length", Long.toString(m.size()));
                    request.exchange().sendResponseHeaders(200, -1);
                } else {
                    Http.send(request.exchange(), 200, m.contentType(), bytes);
                }
            }
            case "DeleteObject" -> {
                requireBucket(bucket);
                checkVersionId(request);
                store.delete(bucket, key);
                Http.send(request.exchange(), 204, null, new byte[0]);
            }
            default -> throw new AwsException(501, "NotImplemented",
                    "A header you provided implies functionality that is not implemented");
        }
    }

    /** ListBuckets: by name, with S3's prefix, region filter and paging (max-buckets, opaque continuation tokens). */
    private void listBuckets(AwsRequest request) throws IOException {
        Map<String, String> q = request.query();
        String region = q.get("bucket-region");
        if (region != null && !REGIONS.contains(region) && !region.equals(context.region())) {
            throw new AwsException(400, "InvalidArgument", "Argument value " + region + " is not a valid AWS Region")
                    .withDetails(Map.of("ArgumentName", "bucket-region"));
        }
        String prefix = q.get("prefix");
        int max = q.containsKey("max-buckets") ? Integer.parseInt(q.get("max-buckets")) : Integer.MAX_VALUE;
        String token = q.get("continuation-token");
        String after = token == null || token.isEmpty() ? null : decodeContinuation(token);
        boolean paged = q.containsKey("max-buckets") || q.containsKey("continuation-token");
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListAllMyBucketsResult xmlns=\"" + NS + "\">");
        xml.append("<Owner><ID>").append(ownerId()).append("</ID></Owner><Buckets>");
        String last = null;
        boolean more = false;
        int n = 0;
        for (S3Store.Bucket b : store.buckets()) {
            if (prefix != null && !b.name.startsWith(prefix) || after != null && b.name.compareTo(after) <= 0
                    || region != null && !region.equals(context.region())) {
                continue;
            }
            if (n == max) {
                more = true;
                break;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Name", b.name);
            m.put("CreationDate", b.created);
            m.put("BucketRegion", context.region());
            m.put("BucketArn", "arn:aws:s3:::" + b.name);
            Xml.element(xml, "Bucket", m);
            last = b.name;
            n++;
        }
        xml.append("</Buckets>");
        if (paged && more) {
            xml.append("<ContinuationToken>").append(Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("s3-list:" + last).getBytes(StandardCharsets.UTF_8))).append("</ContinuationToken>");
        }
        if (prefix != null) {
            xml.append("<Prefix>").append(Http.xmlEscape(prefix)).append("</Prefix>");
        }
        xml.append("</ListAllMyBucketsResult>");
        Http.send(request.exchange(), 200, "application/xml", xml.toString());
    }

    private void list(AwsRequest request, String bucket, boolean v2) throws IOException {
        requireBucket(bucket);
        Map<String, String> q = request.query();
        String encoding = q.get("encoding-type");
        if (encoding != null && !encoding.equals("url")) {
            throw new AwsException(400, "InvalidArgument", "Invalid Encoding Method specified in Request")
                    .withDetails(Map.of("ArgumentName", "encoding-type", "ArgumentValue", encoding));
        }
        String prefix = q.getOrDefault("prefix", "");
        String delimiter = q.get("delimiter");
        if (delimiter != null && delimiter.isEmpty()) {
            delimiter = null;
        }
        int maxKeys = Integer.parseInt(q.getOrDefault("max-keys", "1000"));
        String token = v2 ? q.get("continuation-token") : null;
        String after = v2 ? (token != null ? decodeContinuation(token) : q.get("start-after")) : q.get("marker");
        if (after != null && after.isEmpty()) {
            after = null;
        }
        NavigableMap<String, S3Store.ObjectMeta> all = store.objects(bucket);
        NavigableMap<String, S3Store.ObjectMeta> range = after == null ? all : all.tailMap(after, false);
        List<S3Store.ObjectMeta> contents = new ArrayList<>();
        Set<String> prefixes = new TreeSet<>();
        String last = null;
        boolean truncated = false;
        for (S3Store.ObjectMeta o : range.values()) {
            if (!o.key().startsWith(prefix)) {
                continue;
            }
            String rolled = null;
            if (delimiter != null) {
                int d = o.key().indexOf(delimiter, prefix.length());
                if (d >= 0) {
                    rolled = o.key().substring(0, d + delimiter.length());
                }
            }
            // a key whose common prefix was already listed (on this page, or as the marker) is not listed again
            if (rolled != null && (prefixes.contains(rolled) || after != null && after.startsWith(rolled))) {
                continue;
            }
            if (contents.size() + prefixes.size() >= maxKeys) {
                truncated = true;
                break;
            }
            if (rolled != null) {
                prefixes.add(rolled);
                last = rolled;
            } else {
                contents.add(o);
                last = o.key();
            }
        }
        // encoding-type=url: S3 URL-encodes the keys and prefixes it answers (botocore always asks, then decodes)
        boolean url = "url".equals(q.get("encoding-type"));
        java.util.function.UnaryOperator<String> enc = url ? S3Service::urlEncode : v -> v;
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"" + NS + "\">");
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("Name", bucket);
        head.put("Prefix", enc.apply(prefix));
        if (v2) {
            head.put("KeyCount", contents.size() + prefixes.size());
            if (token != null) {
                head.put("ContinuationToken", token);
            }
            if (truncated) {
                // opaque, as S3's are: where the next page starts, not a key a client could rely on
                head.put("NextContinuationToken", Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(("s3-list:" + last).getBytes(StandardCharsets.UTF_8)));
            }
            // with a continuation token, StartAfter is ignored and not echoed
            if (q.get("start-after") != null && token == null) {
                head.put("StartAfter", enc.apply(q.get("start-after")));
            }
        } else {
            head.put("Marker", enc.apply(q.getOrDefault("marker", "")));
            // S3 answers NextMarker only when a delimiter was given; without, the last key is the next marker
            if (truncated && delimiter != null) {
                head.put("NextMarker", enc.apply(last));
            }
        }
        head.put("MaxKeys", maxKeys);
        if (delimiter != null) {
            head.put("Delimiter", enc.apply(delimiter));
        }
        if (url) {
            head.put("EncodingType", "url");
        }
        head.put("IsTruncated", truncated);
        Xml.children(xml, head);
        for (S3Store.ObjectMeta o : contents) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("Key", enc.apply(o.key()));
            c.put("LastModified", o.lastModified());
            c.put("ETag", o.etag());
            if (o.crc32() != null) {
                c.put("ChecksumAlgorithm", "CRC32");
                c.put("ChecksumType", "FULL_OBJECT");
            }
            c.put("Size", o.size());
            c.put("StorageClass", "STANDARD");
            if (!v2) {
                c.put("Owner", Map.of("ID", ownerId()));
            }
            Xml.element(xml, "Contents", c);
        }
        for (String p : prefixes) {
            Xml.element(xml, "CommonPrefixes", Map.of("Prefix", enc.apply(p)));
        }
        xml.append("</ListBucketResult>");
        Http.send(request.exchange(), 200, "application/xml", xml.toString());
    }

    /** The request body with any aws-chunked framing (streaming signatures, trailing checksums) removed. */
    static byte[] payload(AwsRequest request) {
        String sha = request.header("x-amz-content-sha256");
        String encoding = request.header("content-encoding");
        boolean chunked = (sha != null && sha.startsWith("STREAMING-"))
                || (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("aws-chunked"));
        return chunked ? AwsChunked.decode(request.body()) : request.body();
    }

    private static String decodeContinuation(String token) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (s.startsWith("s3-list:")) {
                return s.substring("s3-list:".length());
            }
        } catch (IllegalArgumentException e) {
            // falls through to S3's refusal of a token it did not issue
        }
        throw new AwsException(400, "InvalidArgument", "The continuation token provided is incorrect")
                .withDetails(Map.of("ArgumentName", "continuation-token"));
    }

    /** The account's canonical user id: 64 hex characters, as S3 shows owners. */
    private String ownerId() {
        return S3Store.sha256("owner:" + context.account());
    }

    /**
     * Content-MD5, as S3 checks it: not the base64 of 16 bytes is InvalidDigest; another digest than the body's is
     * BadDigest, naming both (the expected one in hex, as PutObject answers it).
     */
    static void checkContentMd5(String given, byte[] body) {
        if (given == null) {
            return;
        }
        byte[] digest;
        try {
            digest = Base64.getDecoder().decode(given);
        } catch (IllegalArgumentException e) {
            digest = null;
        }
        if (digest == null || digest.length != 16) {
            throw new AwsException(400, "InvalidDigest", "The Content-MD5 you specified was invalid.")
                    .withDetails(Map.of("Content-MD5", given));
        }
        String actual = S3Store.digest("MD5", body);
        String expected = java.util.HexFormat.of().formatHex(digest);
        if (!actual.equals(expected)) {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("ExpectedDigest", expected);
            details.put("CalculatedDigest", Base64.getEncoder().encodeToString(java.util.HexFormat.of().parseHex(actual)));
            throw new AwsException(400, "BadDigest", "The Content-MD5 you specified did not match what we received.")
                    .withDetails(details);
        }
    }

    /** S3's encoding for encoding-type=url: form encoding, with a space as %20. */
    static String urlEncode(String v) {
        return java.net.URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Whether the upload carried a CRC32 checksum (header, trailer or the SDK's algorithm header). */
    static boolean sentCrc32(AwsRequest request) {
        String trailer = request.header("x-amz-trailer");
        String algorithm = request.header("x-amz-sdk-checksum-algorithm");
        return request.header("x-amz-checksum-crc32") != null
                || trailer != null && trailer.toLowerCase(Locale.ROOT).contains("x-amz-checksum-crc32")
                || "CRC32".equalsIgnoreCase(algorithm);
    }

    /**
     * Buckets here are never versioned, so the only version an object has is "null"; any other id is refused as S3
     * refuses it on an unversioned bucket.
     */
    private static void checkVersionId(AwsRequest request) {
        String version = request.query().get("versionId");
        if (version != null && !version.equals("null")) {
            throw new AwsException(400, "InvalidArgument", "Invalid version id specified")
                    .withDetails(Map.of("ArgumentName", "versionId", "ArgumentValue", version));
        }
    }

    private void requireBucket(String bucket) {
        if (!store.exists(bucket)) {
            throw bucketError(404, "NoSuchBucket", "The specified bucket does not exist", bucket);
        }
    }

    private static void validBucketName(String bucket) {
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw bucketError(400, "InvalidBucketName", "The specified bucket is not valid.", bucket);
        }
    }

    private static AwsException bucketError(int status, String code, String message, String bucket) {
        return new S3Error(status, code, message, "BucketName", bucket);
    }

    private static AwsException keyError(String key) {
        return new S3Error(404, "NoSuchKey", "The specified key does not exist.", "Key", key);
    }

    /** An S3 error with the extra element S3 names the bucket or key in. */
    static final class S3Error extends AwsException {
        private static final long serialVersionUID = 1L;
        final String field;
        final String value;

        S3Error(int status, String code, String message, String field, String value) {
            super(status, code, message);
            this.field = field;
            this.value = value;
        }
    }

    @Override
    public void renderError(AwsRequest request, AwsException error) throws IOException {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>")
                .append(Http.xmlEscape(error.code())).append("</Code><Message>").append(Http.xmlEscape(error.getMessage()))
                .append("</Message>");
        if (error instanceof S3Error s3) {
            xml.append('<').append(s3.field).append('>').append(Http.xmlEscape(s3.value)).append("</").append(s3.field).append('>');
        }
        error.details().forEach((field, value) ->
                xml.append('<').append(field).append('>').append(Http.xmlEscape(value)).append("</").append(field).append('>'));
        xml.append("<RequestId>").append(request.requestId()).append("</RequestId><HostId>local-cloud</HostId></Error>");
        request.exchange().getResponseHeaders().set("x-amz-request-id", request.requestId());
        if ("HEAD".equals(request.method())) {
            request.exchange().sendResponseHeaders(error.status(), -1);
            return;
        }
        Http.send(request.exchange(), error.status(), "application/xml", xml.toString());
    }

    /** {@code AWS::S3::Bucket}: a real, empty bucket; Ref is its name. */
    private final class BucketProvider extends TypedResourceProvider {
        BucketProvider() {
            super("AWS::S3::Bucket", Set.of("BucketName", "ObjectLockEnabled"));
        }

        @Override
        public Provisioned create(String stackName, String logicalId, ObjectNode properties) {
            String name = properties.hasNonNull("BucketName") ? properties.get("BucketName").asText()
                    : Ids.generatedName(stackName, logicalId, 63).toLowerCase(Locale.ROOT);
            if (!name.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw new ResourceFailure("Bucket name should not contain uppercase characters");
            }
            if (!store.createBucket(name)) {
                throw new ResourceFailure(name + " already exists");
            }
            return provisioned(name);
        }

        @Override
        public Provisioned update(String stackName, String logicalId, String physicalId, ObjectNode oldProperties,
                                  ObjectNode newProperties) {
            return provisioned(physicalId);
        }

        @Override
        public void delete(String physicalId, ObjectNode properties) {
            if (store.exists(physicalId) && !store.deleteBucket(physicalId, false)) {
                throw new ResourceFailure("The bucket you tried to delete is not empty (Service: S3, Status Code: 409)");
            }
        }

        private Provisioned provisioned(String name) {
            String region = context.region();
            return new Provisioned(name, Map.of(
                    "Arn", "arn:aws:s3:::" + name,
                    "DomainName", name + ".s3.amazonaws.com",
                    "DualStackDomainName", name + ".s3.dualstack." + region + ".amazonaws.com",
                    "RegionalDomainName", name + ".s3." + region + ".amazonaws.com",
                    "WebsiteURL", "http://" + name + ".s3-website-" + region + ".amazonaws.com"));
        }
    }
}
