package dev.livestack.localcloud.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Requests signed by the AWS SDK's own SigV4 signer verify; any change to them does not. */
class SigV4Test {
    private static final SigV4 VERIFIER = new SigV4("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    @Test
    void acceptsSdkSignedRequestsWithAwkwardPathsAndQueries() {
        assertDoesNotThrow(() -> VERIFIER.verify(signed("lambda", SdkHttpMethod.POST,
                "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af/invocations",
                Map.of("Qualifier", "$LATEST"), "{\"a\": 1}", "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")));
        assertDoesNotThrow(() -> VERIFIER.verify(signed("s3", SdkHttpMethod.PUT, "/bucket/dir/a%20key%2Bplus~tilde.txt",
                Map.of("x-id", "PutObject"), "bytes", "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")));
        assertDoesNotThrow(() -> VERIFIER.verify(signed("cloudformation", SdkHttpMethod.POST, "/", Map.of(),
                "Action=DescribeStacks&Version=2010-05-15", "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")));
        assertDoesNotThrow(() -> VERIFIER.verify(signed("s3", SdkHttpMethod.GET, "/bucket",
                Map.of("list-type", "2", "prefix", "a b/", "delimiter", "/"), "", "AKIDEXAMPLE",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")));
    }

    @Test
    void refusesTamperingAndForeignKeysWithEachProtocolsCode() {
        AwsRequest good = signed("cloudformation", SdkHttpMethod.POST, "/", Map.of(), "Action=DescribeStacks",
                "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        AwsRequest tampered = new AwsRequest(good.service(), good.region(), good.method(), good.path(), good.query(),
                good.headers(), "Action=DeleteStack".getBytes(StandardCharsets.UTF_8), null, "id");
        assertEquals("SignatureDoesNotMatch", assertThrows(AwsException.class, () -> VERIFIER.verify(tampered)).code());
        AwsRequest wrongSecret = signed("logs", SdkHttpMethod.POST, "/", Map.of(), "{}", "AKIDEXAMPLE", "other");
        AwsException e = assertThrows(AwsException.class, () -> VERIFIER.verify(wrongSecret));
        assertEquals("InvalidSignatureException", e.code());
        assertEquals(400, e.status());
        AwsRequest stranger = signed("lambda", SdkHttpMethod.GET, "/2015-03-31/functions", Map.of(), "", "AKIDOTHER", "x");
        e = assertThrows(AwsException.class, () -> VERIFIER.verify(stranger));
        assertEquals("UnrecognizedClientException", e.code());
        assertEquals(403, e.status());
        AwsRequest unsigned = new AwsRequest("s3", "us-east-1", "GET", "/b/k", Map.of(), Map.of(), new byte[0], null, "id");
        assertEquals("AccessDenied", assertThrows(AwsException.class, () -> VERIFIER.verify(unsigned)).code());
    }

    @Test
    void encodesLikeSigV4() {
        assertEquals("/a%20b/c~d", SigV4.canonicalPath("/a b/c~d", true));
        assertEquals("/a%2520b/c~d", SigV4.canonicalPath("/a b/c~d", false));
        assertEquals("a=1&b=%2F%20x&c=", SigV4.canonicalQuery(new LinkedHashMap<>(Map.of("c", "", "b", "/ x", "a", "1")), false));
    }

    /** Signs with the SDK's signer, then turns the signed request into what the server reads. */
    private static AwsRequest signed(String service, SdkHttpMethod method, String rawPath, Map<String, String> query,
                                     String body, String key, String secret) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest.Builder b = SdkHttpFullRequest.builder().method(method)
                .uri(URI.create("http://127.0.0.1:4566" + rawPath))
                .putHeader("Content-Type", service.equals("cloudformation") ? "application/x-www-form-urlencoded" : "application/json");
        query.forEach(b::putRawQueryParameter);
        SdkHttpRequest http = b.build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(key, secret))
                .request(http)
                .payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, !service.equals("s3"))
                .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, !service.equals("s3")));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        signed.request().forEachHeader((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(values)));
        headers.put("host", List.of("127.0.0.1:4566"));
        String path = java.net.URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        return new AwsRequest(service, "us-east-1", method.name(), path, new LinkedHashMap<>(query), headers, bytes, null, "id");
    }
}
