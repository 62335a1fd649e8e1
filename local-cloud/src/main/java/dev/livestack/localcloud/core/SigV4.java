package dev.livestack.localcloud.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
public final class SigV4 {
    private static final Pattern AUTH = Pattern.compile(
            "AWS4-HMAC-SHA256\\s+Credential=([^,\\s]+)\\s*,\\s*SignedHeaders=([^,\\s]+)\\s*,\\s*Signature=([0-9a-fA-F]+)");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    /** How far a signed request's time may be from the server's, either way, as on AWS. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final String EXPIRED_TOKEN = "The security token included in the request is expired";
    private static final String MISMATCH = "The request signature we calculated does not match the signature you provided. "
            + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    /** How a service's protocol names each refusal. */
    public enum Dialect {
        QUERY, JSON, REST_JSON, S3;

        public static Dialect of(String service) {
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
    private final Function<String, StsSessions.Session> issued;

    public SigV4(String accessKey, String secretKey) {
        this(accessKey, secretKey, key -> null);
    }

    /**
     * @param issued the session STS issued a temporary access key for, null for any other key; requests signed
     *     with such a key are accepted like the configured one while it has not expired and carry its session token
     */
    public SigV4(String accessKey, String secretKey, Function<String, StsSessions.Session> issued) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.issued = issued;
    }

    /** Whether a request carries any SigV4 material (an Authorization header or a presigned query), right or wrong. */
    public static boolean carriesSignature(AwsRequest request) {
        return request.header("authorization") != null || request.query().containsKey("X-Amz-Signature");
    }

    /**
     * The access key id a request is signed with (the credential scope of its {@code Authorization} header or of a
     * presigned query), or null when it carries none; STS tells role sessions apart by it.
     */
    public static String accessKeyId(AwsRequest request) {
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

    public void verify(AwsRequest request) {
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
        String secret = accessKey.equals(scope[0]) ? secretKey : sessionSecret(request, scope[0], dialect);
        if (amzDate == null) {
            throw incomplete(dialect, "missing X-Amz-Date");
        }
        if (presigned) {
            checkExpiry(amzDate, query.get("X-Amz-Expires"));
        } else {
            checkSkew(amzDate, dialect);
        }
        String canonical = canonicalRequest(request, signedHeaders, payloadHash, dialect == Dialect.S3, presigned);
        String expected = signature(secret, scope[1], scope[2], scope[3], amzDate, canonical);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.toLowerCase().getBytes(StandardCharsets.US_ASCII))) {
            throw mismatch(dialect);
        }
    }

    private static String signature(String secret, String date, String region, String service, String amzDate, String canonical) {
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + date + "/" + region + "/" + service + "/aws4_request\n"
                + sha256Hex(canonical.getBytes(StandardCharsets.UTF_8));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        return HexFormat.of().formatHex(hmac(key, toSign));
    }

    /**
     * A presigned GET URL for a path on this endpoint, as AWS hands out for downloads (Lambda's
     * {@code Code.Location}): whoever holds it may fetch that one path until it expires, and nothing else.
     */
    public String presign(java.net.URI endpoint, String path, String service, String region, Duration expires) {
        Instant now = Instant.now();
        String amzDate = AMZ_DATE.format(now.atOffset(ZoneOffset.UTC));
        String date = amzDate.substring(0, 8);
        Map<String, String> query = new java.util.LinkedHashMap<>();
        query.put("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
        query.put("X-Amz-Credential", accessKey + "/" + date + "/" + region + "/" + service + "/aws4_request");
        query.put("X-Amz-Date", amzDate);
        query.put("X-Amz-Expires", Long.toString(expires.toSeconds()));
        query.put("X-Amz-SignedHeaders", "host");
        String host = endpoint.getPort() < 0 ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort();
        String canonicalQuery = canonicalQuery(query, true);
        String canonical = "GET\n" + canonicalPath(path, false) + "\n" + canonicalQuery + "\nhost:" + host + "\n\nhost\n"
                + sha256Hex(new byte[0]);
        String signature = signature(secretKey, date, region, service, amzDate, canonical);
        return endpoint.resolve(encode(path, false)) + "?" + canonicalQuery + "&X-Amz-Signature=" + signature;
    }

    public static String canonicalRequest(AwsRequest request, String signedHeaders, String payloadHash, boolean s3,
                                   boolean presigned) {
        StringBuilder c = new StringBuilder(512);
        c.append(request.method()).append('\n');
        String rawPath = request.exchange() == null ? null : request.exchange().getRequestURI().getRawPath();
        boolean encodedSlash = !s3 && rawPath != null && rawPath.toUpperCase(java.util.Locale.ROOT).contains("%2F");
        c.append(encodedSlash ? canonicalRawPath(rawPath) : canonicalPath(request.path(), s3)).append('\n');
        c.append(canonicalQuery(rawQueryPairs(request), presigned)).append('\n');
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
    public static String canonicalPath(String decodedPath, boolean s3) {
        if (decodedPath == null || decodedPath.isEmpty()) {
            return "/";
        }
        String once = encode(decodedPath, false);
        return s3 ? once : encode(once, false);
    }

    /**
     * The canonical path of a path whose segments hold an encoded slash (the Serverless Application Repository's
     * application ARNs): the decoded path cannot tell that slash from a separator, so each raw segment is decoded and
     * encoded on its own, and the whole encoded twice as for every service but S3.
     */
    static String canonicalRawPath(String rawPath) {
        StringBuilder once = new StringBuilder();
        String[] segments = rawPath.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                once.append('/');
            }
            once.append(encode(java.net.URLDecoder.decode(segments[i].replace("+", "%2B"), StandardCharsets.UTF_8), true));
        }
        return encode(once.toString(), false);
    }

    public static String canonicalQuery(Map<String, String> query, boolean presigned) {
        List<String[]> all = new ArrayList<>();
        query.forEach((k, v) -> all.add(new String[] {k, v}));
        return canonicalQuery(all, presigned);
    }

    /**
     * Every decoded name/value pair of the request's query string, repeated names included (Lambda's UntagResource
     * sends {@code tagKeys} once per key, and the signature covers each one).
     */
    static List<String[]> rawQueryPairs(AwsRequest request) {
        String raw = request.exchange() == null ? null : request.exchange().getRequestURI().getRawQuery();
        List<String[]> out = new ArrayList<>();
        if (raw == null) {
            request.query().forEach((k, v) -> out.add(new String[] {k, v}));
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            // decoded as AwsRequest.parseForm decodes the query the request carries
            out.add(new String[] {java.net.URLDecoder.decode(k, java.nio.charset.StandardCharsets.UTF_8),
                java.net.URLDecoder.decode(v, java.nio.charset.StandardCharsets.UTF_8)});
        }
        return out;
    }

    static String canonicalQuery(List<String[]> query, boolean presigned) {
        List<String[]> pairs = new ArrayList<>();
        for (String[] e : query) {
            if (presigned && "X-Amz-Signature".equals(e[0])) {
                continue;
            }
            pairs.add(new String[] {encode(e[0], true), encode(e[1], true)});
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
    public static String encode(String s, boolean encodeSlash) {
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

    /**
     * The secret of a key STS issued, once the request shows it is that session's (its session token) and the session
     * has not expired. A wrong token is an unknown key to AWS; an expired one has its own error in every protocol.
     */
    private String sessionSecret(AwsRequest request, String keyId, Dialect dialect) {
        StsSessions.Session s = issued.apply(keyId);
        if (s == null) {
            throw unknownKey(dialect);
        }
        String token = request.header("x-amz-security-token");
        if (token == null) {
            token = request.query().get("X-Amz-Security-Token");
        }
        if (token == null || !MessageDigest.isEqual(s.sessionToken().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8))) {
            throw unknownKey(dialect);
        }
        if (s.expired(Instant.now())) {
            throw switch (dialect) {
                case QUERY -> new AwsException(403, "ExpiredToken", EXPIRED_TOKEN);
                case S3 -> new AwsException(400, "ExpiredToken", "The provided token has expired.");
                case JSON -> new AwsException(400, "ExpiredTokenException", EXPIRED_TOKEN);
                case REST_JSON -> new AwsException(403, "ExpiredTokenException", EXPIRED_TOKEN);
            };
        }
        return s.secretAccessKey();
    }

    /**
     * A header-signed request must have been signed within 15 minutes of now, either way, as on AWS: a captured
     * request cannot be replayed after that, and a client with a wrong clock learns why it is refused.
     */
    private static void checkSkew(String amzDate, Dialect dialect) {
        Instant signed = parseDate(amzDate);
        if (signed == null) {
            throw incomplete(dialect, "X-Amz-Date " + amzDate + " is not in the ISO 8601 basic format yyyyMMdd'T'HHmmss'Z'");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String message;
        if (signed.isBefore(now.minus(MAX_SKEW))) {
            message = "Signature expired: " + amzDate + " is now earlier than " + AMZ_DATE.format(now.minus(MAX_SKEW).atOffset(ZoneOffset.UTC))
                    + " (" + AMZ_DATE.format(now.atOffset(ZoneOffset.UTC)) + " - 15 min.)";
        } else if (signed.isAfter(now.plus(MAX_SKEW))) {
            message = "Signature not yet current: " + amzDate + " is still later than "
                    + AMZ_DATE.format(now.plus(MAX_SKEW).atOffset(ZoneOffset.UTC)) + " (" + AMZ_DATE.format(now.atOffset(ZoneOffset.UTC))
                    + " + 15 min.)";
        } else {
            return;
        }
        throw switch (dialect) {
            case QUERY -> new AwsException(403, "SignatureDoesNotMatch", message);
            case S3 -> new AwsException(403, "RequestTimeTooSkewed",
                    "The difference between the request time and the current time is too large.")
                    .withDetails(skewDetails(amzDate, now));
            case JSON -> new AwsException(400, "InvalidSignatureException", message);
            case REST_JSON -> new AwsException(403, "InvalidSignatureException", message);
        };
    }

    private static Map<String, String> skewDetails(String requestTime, Instant now) {
        Map<String, String> details = new java.util.LinkedHashMap<>();
        details.put("RequestTime", requestTime);
        details.put("ServerTime", now.toString());
        details.put("MaxAllowedSkewMilliseconds", Long.toString(MAX_SKEW.toMillis()));
        return details;
    }

    /** X-Amz-Date's basic ISO 8601 form, or an RFC 1123 {@code Date} header; null when neither. */
    private static Instant parseDate(String text) {
        try {
            return LocalDateTime.parse(text, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            try {
                return java.time.ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    private static void checkExpiry(String amzDate, String expires) {
        try {
            Instant signed = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
            long seconds = expires == null ? 604800 : Long.parseLong(expires);
            if (seconds < 1 || seconds > 604800) {
                throw new AwsException(403, "AuthorizationQueryParametersError",
                        "X-Amz-Expires must be less than a week (in seconds) that is 604800");
            }
            if (Instant.now().isAfter(signed.plusSeconds(seconds))) {
                throw new AwsException(403, "AccessDenied", "Request has expired");
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new AwsException(403, "AuthorizationQueryParametersError",
                    "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
        }
    }

    public static String sha256Hex(byte[] bytes) {
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
