package dev.livestack.localcloud;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 on every AWS-path request (the {@code Authorization} header and
 * presigned query strings) against the configured credentials, or temporary ones STS issued, and
 * refuses a request the way the service's protocol does. The dispatcher runs it before any service sees
 * a request, so every service is covered without doing anything.
 */
final class SigV4 {
    private static final Pattern AUTH = Pattern.compile(
            "AWS4-HMAC-SHA256\\s+Credential=([^,\\s]+)\\s*,\\s*SignedHeaders=([^,\\s]+)\\s*,\\s*Signature=([0-9a-fA-F]+)");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final String MISMATCH = "The request signature we calculated does not match the signature you provided. "
            + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    /** How a service's protocol names each refusal. */
    enum Dialect {
        QUERY, JSON, REST_JSON, S3;

        static Dialect of(String service) {
            return switch (service) {
                case "cloudformation", "sts", "iam", "sns", "sqs" -> QUERY;
                case "s3" -> S3;
                case "lambda" -> REST_JSON;
                default -> JSON;
            };
        }
    }

    private final String accessKey;
    private final String secretKey;
    private final UnaryOperator<String> issuedSecrets;

    SigV4(String accessKey, String secretKey) {
        this(accessKey, secretKey, key -> null);
    }

    /**
     * @param issuedSecrets the secret key of a temporary access key STS issued, null for any other key;
     *     requests signed with such a key are accepted like the configured one (STS itself checks expiry)
     */
    SigV4(String accessKey, String secretKey, UnaryOperator<String> issuedSecrets) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.issuedSecrets = issuedSecrets;
    }

    /**
     * The access key id a request is signed with (the credential scope of its {@code Authorization} header or of a
     * presigned query), or null when it carries none; STS tells role sessions apart by it.
     */
    static String accessKeyId(AwsRequest request) {
        String authorization = request.header("authorization");
        String credential;
        if (authorization != null) {
            Matcher m = AUTH.matcher(authorization);
            credential = m.find() ? m.group(1) : null;
        } else {
            credential = request.query().get("X-Amz-Credential");
        }
        return credential == null ? null : credential.split("/", 2)[0];
    }

    void verify(AwsRequest request) {
        Dialect dialect = Dialect.of(request.service());
        String authorization = request.header("authorization");
        Map<String, String> query = request.query();
        String credential;
        String signedHeaders;
        String signature;
        String amzDate;
        String payloadHash;
        boolean presigned = false;
        if (authorization != null) {
            Matcher m = AUTH.matcher(authorization);
            if (!m.find()) {
                throw incomplete(dialect, authorization);
            }
            credential = m.group(1);
            signedHeaders = m.group(2);
            signature = m.group(3);
            amzDate = request.header("x-amz-date");
            if (amzDate == null) {
                amzDate = request.header("date");
            }
            String declared = request.header("x-amz-content-sha256");
            boolean hex = declared != null && declared.matches("[0-9a-f]{64}");
            if (hex && dialect == Dialect.S3 && !declared.equals(sha256Hex(request.body()))) {
                throw new AwsException(400, "XAmzContentSHA256Mismatch",
                        "The provided 'x-amz-content-sha256' header does not match what was computed.");
            }
            // Markers (UNSIGNED-PAYLOAD, STREAMING-…) are signed as sent; a hex hash is only trusted as the
            // hash of the body actually received.
            payloadHash = declared != null && !hex ? declared : sha256Hex(request.body());
        } else if (query.containsKey("X-Amz-Signature")) {
            presigned = true;
            credential = query.get("X-Amz-Credential");
            signedHeaders = query.getOrDefault("X-Amz-SignedHeaders", "host");
            signature = query.get("X-Amz-Signature");
            amzDate = query.get("X-Amz-Date");
            String declared = request.header("x-amz-content-sha256");
            payloadHash = declared != null ? declared : (dialect == Dialect.S3 ? "UNSIGNED-PAYLOAD" : sha256Hex(request.body()));
            if (credential == null || amzDate == null) {
                throw missing(dialect);
            }
        } else {
            throw missing(dialect);
        }
        String[] scope = credential.split("/");
        if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
            throw incomplete(dialect, credential);
        }
        String secret = accessKey.equals(scope[0]) ? secretKey : issuedSecrets.apply(scope[0]);
        if (secret == null) {
            throw unknownKey(dialect);
        }
        if (amzDate == null) {
            throw incomplete(dialect, "missing X-Amz-Date");
        }
        if (presigned) {
            checkExpiry(amzDate, query.get("X-Amz-Expires"));
        }
        String canonical = canonicalRequest(request, signedHeaders, payloadHash, dialect == Dialect.S3, presigned);
        String scopeText = scope[1] + "/" + scope[2] + "/" + scope[3] + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scopeText + "\n"
                + sha256Hex(canonical.getBytes(StandardCharsets.UTF_8));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), scope[1]);
        key = hmac(key, scope[2]);
        key = hmac(key, scope[3]);
        key = hmac(key, "aws4_request");
        String expected = HexFormat.of().formatHex(hmac(key, toSign));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.toLowerCase().getBytes(StandardCharsets.US_ASCII))) {
            throw mismatch(dialect);
        }
    }

    static String canonicalRequest(AwsRequest request, String signedHeaders, String payloadHash, boolean s3,
                                   boolean presigned) {
        StringBuilder c = new StringBuilder(512);
        c.append(request.method()).append('\n');
        c.append(canonicalPath(request.path(), s3)).append('\n');
        c.append(canonicalQuery(request.query(), presigned)).append('\n');
        for (String name : signedHeaders.split(";")) {
            List<String> values = request.headers().get(name);
            StringBuilder v = new StringBuilder();
            if (values != null) {
                for (String value : values) {
                    if (v.length() > 0) {
                        v.append(',');
                    }
                    v.append(value.trim().replaceAll("\\s+", " "));
                }
            }
            c.append(name).append(':').append(v).append('\n');
        }
        c.append('\n').append(signedHeaders).append('\n').append(payloadHash);
        return c.toString();
    }

    /** S3 signs the path encoded once; every other service signs it encoded twice. */
    static String canonicalPath(String decodedPath, boolean s3) {
        if (decodedPath == null || decodedPath.isEmpty()) {
            return "/";
        }
        String once = encode(decodedPath, false);
        return s3 ? once : encode(once, false);
    }

    static String canonicalQuery(Map<String, String> query, boolean presigned) {
        List<String[]> pairs = new ArrayList<>();
        for (Map.Entry<String, String> e : query.entrySet()) {
            if (presigned && "X-Amz-Signature".equals(e.getKey())) {
                continue;
            }
            pairs.add(new String[] {encode(e.getKey(), true), encode(e.getValue(), true)});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder out = new StringBuilder();
        for (String[] p : pairs) {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(p[0]).append('=').append(p[1]);
        }
        return out.toString();
    }

    /** RFC 3986 encoding as SigV4 wants it: unreserved characters kept, '/' kept in paths. */
    static String encode(String s, boolean encodeSlash) {
        StringBuilder b = new StringBuilder(s.length() * 2);
        for (byte raw : s.getBytes(StandardCharsets.UTF_8)) {
            int ch = raw & 0xff;
            if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')
                    || ch == '-' || ch == '_' || ch == '.' || ch == '~' || (ch == '/' && !encodeSlash)) {
                b.append((char) ch);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(ch >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(ch & 0xf, 16)));
            }
        }
        return b.toString();
    }

    private static void checkExpiry(String amzDate, String expires) {
        try {
            Instant signed = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
            long seconds = expires == null ? 604800 : Long.parseLong(expires);
            if (Instant.now().isAfter(signed.plusSeconds(seconds))) {
                throw new AwsException(403, "AccessDenied", "Request has expired");
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new AwsException(403, "AuthorizationQueryParametersError",
                    "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
        }
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AwsException mismatch(Dialect d) {
        return switch (d) {
            case QUERY, S3 -> new AwsException(403, "SignatureDoesNotMatch", MISMATCH);
            case JSON -> new AwsException(400, "InvalidSignatureException", MISMATCH);
            case REST_JSON -> new AwsException(403, "InvalidSignatureException", MISMATCH);
        };
    }

    private static AwsException unknownKey(Dialect d) {
        return switch (d) {
            case QUERY -> new AwsException(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
            case S3 -> new AwsException(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
            case JSON -> new AwsException(400, "UnrecognizedClientException", "The security token included in the request is invalid.");
            case REST_JSON -> new AwsException(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
        };
    }

    private static AwsException missing(Dialect d) {
        return switch (d) {
            case QUERY -> new AwsException(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
            case S3 -> new AwsException(403, "AccessDenied", "Access Denied");
            case JSON, REST_JSON -> new AwsException(d == Dialect.JSON ? 400 : 403, "MissingAuthenticationTokenException",
                    "Missing Authentication Token");
        };
    }

    private static AwsException incomplete(Dialect d, String what) {
        String code = d == Dialect.QUERY || d == Dialect.S3 ? "IncompleteSignature" : "IncompleteSignatureException";
        return new AwsException(d == Dialect.S3 || d == Dialect.REST_JSON ? 403 : 400, code,
                "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=" + what);
    }
}
