package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.inlinepackager.LambdaZip;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthScheme;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The attacks local-cloud must refuse, each sent the way an attacker would: through a real client (the AWS SDK
 * for Java v2) where one can send it, raw HTTP over a socket where none can (a foreign Host, the admin API).
 * Nothing here may change state, read a secret or run code.
 */
class SecurityAttacksIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DEPLOY_ROLE = "arn:aws:iam::000000000000:role/cdk-hnb659fds-deploy-role-000000000000-us-east-1";
    static final String SECRET_VALUE = "hunter2-do-not-leak";
    static final String TEMPLATE = "{\"Resources\":{\"Flag\":{\"Type\":\"AWS::SSM::Parameter\","
            + "\"Properties\":{\"Name\":\"/pwned\",\"Type\":\"String\",\"Value\":\"x\"}}}}";

    @TempDir
    static Path root;
    static Path state;
    static LocalCloud cloud;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        state = root.resolve("state");
        cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0));
        port = cloud.endpoint().getPort();
        try (SsmClient ssm = Sdk.ssm(cloud.endpoint()); CloudFormationClient cfn = Sdk.cloudFormation(cloud.endpoint())) {
            ssm.putParameter(b -> b.name("/app/db-password").value(SECRET_VALUE).type(ParameterType.SECURE_STRING));
            new Cfn(cfn).deploy("victim", "{\"Resources\":{\"P\":{\"Type\":\"AWS::SSM::Parameter\","
                    + "\"Properties\":{\"Name\":\"/victim\",\"Type\":\"String\",\"Value\":\"v\"}}}}");
        }
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    // ------------------------------------------------------------------ 1. unsigned and bypass

    @Test
    void theAdminPrefixIsNoWayRoundSigV4() throws Exception {
        String scope = "X-Amz-Credential=nobody/20200101/us-east-1/cloudformation/aws4_request";
        Raw describe = raw("POST", "/_localcloud/x?" + scope + "&Action=DescribeStacks&Version=2010-05-15",
                Map.of("Content-Type", "application/x-www-form-urlencoded"), "");
        assertRefused(describe);
        assertFalse(describe.body().contains("victim"), describe.body());

        Raw create = raw("POST", "/_localcloud/x?" + scope + "&Action=CreateStack&Version=2010-05-15&StackName=pwned"
                + "&TemplateBody=" + java.net.URLEncoder.encode(TEMPLATE, StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/x-www-form-urlencoded"), "");
        assertRefused(create);

        Raw parameter = raw("POST", "/_localcloud/x?X-Amz-Credential=nobody/20200101/us-east-1/ssm/aws4_request",
                Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", "AmazonSSM.GetParameter"),
                "{\"Name\":\"/app/db-password\",\"WithDecryption\":true}");
        assertRefused(parameter);
        assertFalse(parameter.body().contains(SECRET_VALUE), parameter.body());

        // the same with a presigned-looking but wrong signature is a SigV4 refusal, in the service's protocol
        Raw presigned = raw("POST", "/_localcloud/x?" + scope + "&X-Amz-Date=20200101T000000Z&X-Amz-SignedHeaders=host"
                        + "&X-Amz-Signature=00&Action=DescribeStacks&Version=2010-05-15",
                Map.of("Content-Type", "application/x-www-form-urlencoded"), "");
        assertEquals(403, presigned.status(), presigned.body());
        assertTrue(presigned.body().contains("<Code>InvalidClientTokenId</Code>"), presigned.body());

        try (CloudFormationClient cfn = Sdk.cloudFormation(cloud.endpoint())) {
            assertFalse(cfn.describeStacks().stacks().stream().anyMatch(s -> s.stackName().equals("pwned")));
        }
    }

    @Test
    void unsignedAwsCallsAreRefusedInEachProtocol() throws Exception {
        Raw cfn = raw("POST", "/", Map.of("Content-Type", "application/x-www-form-urlencoded"),
                "Action=DescribeStacks&Version=2010-05-15");
        // unsigned and unscoped, a form POST to / is routed as S3 would route it: refused either way
        assertEquals(403, cfn.status(), cfn.body());
        Raw ssm = raw("POST", "/", Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", "AmazonSSM.GetParameter"),
                "{\"Name\":\"/app/db-password\",\"WithDecryption\":true}");
        assertEquals(400, ssm.status(), ssm.body());
        assertTrue(ssm.body().contains("MissingAuthenticationTokenException"), ssm.body());
        Raw lambda = raw("GET", "/2015-03-31/functions/", Map.of(), "");
        assertEquals(403, lambda.status(), lambda.body());
        assertEquals("MissingAuthenticationTokenException", lambda.header("x-amzn-errortype"));
    }

    @Test
    void theDataPlaneRefusesUnsignedCallsInEachProtocol() throws Exception {
        String queueUrlPath = "/" + cloud.config().accountId() + "/orders";
        java.util.List<Raw> attempts = java.util.List.of(
                raw("POST", "/", Map.of("Content-Type", "application/x-amz-json-1.0", "X-Amz-Target", "AmazonSQS.ListQueues"), "{}"),
                raw("POST", queueUrlPath, Map.of("Content-Type", "application/x-www-form-urlencoded"),
                        "Action=ReceiveMessage&Version=2012-11-05&MaxNumberOfMessages=10"),
                raw("GET", queueUrlPath + "?Action=ReceiveMessage&Version=2012-11-05", Map.of(), ""),
                raw("POST", "/", Map.of("Content-Type", "application/x-amz-json-1.0", "X-Amz-Target", "DynamoDB_20120810.Scan"),
                        "{\"TableName\":\"orders\"}"),
                raw("POST", "/", Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", "AWSEvents.PutEvents"),
                        "{\"Entries\":[{\"Source\":\"x\",\"DetailType\":\"y\",\"Detail\":\"{}\"}]}"),
                raw("GET", "/2015-03-31/event-source-mappings/", Map.of(), ""),
                raw("POST", "/_localcloud/events/clock", Map.of("Content-Type", "application/json"), "{\"seconds\":3600}"));
        for (Raw r : attempts) {
            assertTrue(r.status() == 400 || r.status() == 403, r.status() + " " + r.body());
            assertTrue(r.body().contains("MissingAuthenticationToken") || r.body().contains("AccessDenied")
                    || r.body().contains("IncompleteSignature") || r.body().contains("InvalidClientTokenId")
                    || "MissingAuthenticationTokenException".equals(r.header("x-amzn-errortype")), r.body());
        }
    }

    @Test
    void theAwsCliWithAWrongSecretReadsNoParameter() throws Exception {
        CliResult r = awsCli(cloud.endpoint(), Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "not-the-secret"),
                "ssm", "get-parameter", "--name", "/app/db-password", "--with-decryption");
        org.junit.jupiter.api.Assumptions.assumeTrue(r != null, "the AWS CLI is not installed");
        assertNotEquals(0, r.exit(), r.toString());
        assertTrue(r.err().contains("(InvalidSignatureException)"), r.toString());
        assertFalse(r.out().contains(SECRET_VALUE) || r.err().contains(SECRET_VALUE));
    }

    @Test
    void aWrongSecretIsRefusedByEveryService() {
        AwsCredentialsProvider wrong = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "not-the-secret"));
        try (CloudFormationClient cfn = CloudFormationClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(wrong).overrideConfiguration(Sdk.noRetries()).build();
             LambdaClient lambda = LambdaClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(wrong).overrideConfiguration(Sdk.noRetries()).build()) {
            AwsServiceException e = assertThrows(AwsServiceException.class, cfn::describeStacks);
            assertEquals("SignatureDoesNotMatch", e.awsErrorDetails().errorCode());
            AwsServiceException l = assertThrows(AwsServiceException.class, lambda::listFunctions);
            assertEquals(403, l.statusCode());
            assertEquals("InvalidSignatureException", l.awsErrorDetails().errorCode());
        }
    }

    // ------------------------------------------------------------------ 2. web pages: Host, Origin, admin token

    @Test
    void aForeignHostIsRefusedEvenWhenSignedForIt() throws Exception {
        // DNS rebinding: the page's origin resolves to 127.0.0.1, so the browser sends the page's own host name.
        // A page can sign with the well-known test credentials, so the signature alone does not keep it out.
        String evil = "evil.example:" + port;
        Raw signed = signedRaw(SdkHttpMethod.POST, "/", "cloudformation", evil, Clock.systemUTC(),
                Map.of("Content-Type", "application/x-www-form-urlencoded"), "Action=DescribeStacks&Version=2010-05-15");
        assertEquals(403, signed.status(), signed.body());
        assertFalse(signed.body().contains("victim"), signed.body());
        assertTrue(signed.body().contains("<Code>AccessDenied</Code>"), signed.body());

        Raw admin = raw("GET", "/_localcloud/health", Map.of("Host", evil, LocalCloud.ADMIN_TOKEN_HEADER, adminToken()), "");
        assertEquals(403, admin.status(), admin.body());
        Raw wrongPort = raw("GET", "/_localcloud/health", Map.of("Host", "127.0.0.1:1", LocalCloud.ADMIN_TOKEN_HEADER, adminToken()), "");
        assertEquals(403, wrongPort.status(), wrongPort.body());
        Raw suffix = raw("GET", "/_localcloud/health", Map.of("Host", "localhost.evil.example:" + port,
                LocalCloud.ADMIN_TOKEN_HEADER, adminToken()), "");
        assertEquals(403, suffix.status(), suffix.body());

        Raw rebound = raw("GET", "/_localcloud/health", Map.of("Host", "evil.example.localhost.evil.example:" + port,
                LocalCloud.ADMIN_TOKEN_HEADER, adminToken()), "");
        assertEquals(403, rebound.status(), rebound.body());
        // S3's virtual-hosted style: names under localhost are loopback by definition
        for (String good : List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port, "[::1]:" + port,
                "my-bucket.localhost:" + port)) {
            Raw ok = raw("GET", "/_localcloud/health", Map.of("Host", good, LocalCloud.ADMIN_TOKEN_HEADER, adminToken()), "");
            assertEquals(200, ok.status(), good + ": " + ok.body());
        }
    }

    @Test
    void aForeignOriginIsRefused() throws Exception {
        // a signed call from a page's script (the SDK adds the header the browser would)
        try (SsmClient ssm = SsmClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(Sdk.credentials("test", "test"))
                .overrideConfiguration(Sdk.noRetries().toBuilder().addExecutionInterceptor(origin("https://evil.example")).build())
                .build()) {
            AwsServiceException e = assertThrows(AwsServiceException.class,
                    () -> ssm.getParameter(b -> b.name("/app/db-password").withDecryption(true)));
            assertEquals(403, e.statusCode());
            assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
            assertFalse(e.getMessage().contains(SECRET_VALUE));
        }
        // a form POST is a simple request: the browser sends it without asking; it must not wipe the state
        Raw reset = raw("POST", "/_localcloud/reset", Map.of("Origin", "https://evil.example",
                "Content-Type", "application/x-www-form-urlencoded", LocalCloud.ADMIN_TOKEN_HEADER, adminToken()), "a=b");
        assertEquals(403, reset.status(), reset.body());
        Raw nullOrigin = raw("POST", "/_localcloud/reset", Map.of("Origin", "null", LocalCloud.ADMIN_TOKEN_HEADER, adminToken()), "");
        assertEquals(403, nullOrigin.status(), nullOrigin.body());
        assertVictimIntact();

        // a loopback page is the developer's own
        Raw local = raw("GET", "/_localcloud/health", Map.of("Origin", "http://localhost:3000",
                LocalCloud.ADMIN_TOKEN_HEADER, adminToken()), "");
        assertEquals(200, local.status(), local.body());
    }

    @Test
    void aForeignPagesPreflightGetsNoCorsAndALocalOneDoes() throws Exception {
        Raw evil = raw("OPTIONS", "/", Map.of("Origin", "https://evil.example", "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization,x-amz-date,x-amz-target"), "");
        assertEquals(403, evil.status(), evil.body());
        assertEquals(null, evil.header("access-control-allow-origin"));
        Raw local = raw("OPTIONS", "/", Map.of("Origin", "http://localhost:3000", "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization,x-amz-date,x-amz-target"), "");
        assertEquals(204, local.status(), local.body());
        assertEquals("http://localhost:3000", local.header("access-control-allow-origin"));
        assertEquals("authorization,x-amz-date,x-amz-target", local.header("access-control-allow-headers"));
        // a preflight is only an answer about CORS: it runs nothing and reads nothing
        assertEquals("", local.body());
    }

    @Test
    void aFunctionsRuntimeApiServesOnlyItsOwnProcess() throws Exception {
        try (LambdaClient lambda = LambdaClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(Sdk.credentials("test", "test")).overrideConfiguration(Sdk.noRetries()).build()) {
            lambda.createFunction(b -> b.functionName("runtime-api").runtime(Runtime.NODEJS20_X).handler("index.handler")
                    .role("arn:aws:iam::000000000000:role/r").code(c -> c.zipFile(SdkBytes.fromByteArray(LambdaZip.forInline(
                            "nodejs20.x", "exports.handler = async () => process.env.AWS_LAMBDA_RUNTIME_API;")))));
            waitActive(lambda, "runtime-api");
            String api = lambda.invoke(b -> b.functionName("runtime-api")).payload().asUtf8String().replace("\"", "");
            int apiPort = Integer.parseInt(api.substring(api.indexOf(':') + 1));
            Raw rebound = rawTo(apiPort, "GET", "/2018-06-01/runtime/invocation/next", Map.of("Host", "evil.example:" + apiPort), "");
            assertEquals(403, rebound.status(), rebound.body());
            Raw page = rawTo(apiPort, "POST", "/2018-06-01/runtime/invocation/x/response",
                    Map.of("Host", "127.0.0.1:" + apiPort, "Origin", "https://evil.example"), "\"forged\"");
            assertEquals(403, page.status(), page.body());
            // the function still answers
            assertTrue(lambda.invoke(b -> b.functionName("runtime-api")).payload().asUtf8String().contains("127.0.0.1"));
        }
    }

    static void waitActive(LambdaClient lambda, String name) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if ("Active".equals(lambda.getFunctionConfiguration(b -> b.functionName(name)).stateAsString())) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(name + " did not become Active");
    }

    @Test
    void anAllowedOriginIsServed(@TempDir Path own) throws Exception {
        LocalCloudConfig config = LocalCloudConfig.defaults(own, 0).withAllowedOrigins(List.of("https://console.example"));
        try (LocalCloud allowing = LocalCloud.start(config);
             SsmClient ssm = SsmClient.builder().endpointOverride(allowing.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(Sdk.credentials("test", "test"))
                     .overrideConfiguration(Sdk.noRetries().toBuilder()
                             .addExecutionInterceptor(origin("https://console.example")).build()).build();
             SsmClient other = SsmClient.builder().endpointOverride(allowing.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(Sdk.credentials("test", "test"))
                     .overrideConfiguration(Sdk.noRetries().toBuilder()
                             .addExecutionInterceptor(origin("https://console.example.evil")).build()).build()) {
            ssm.putParameter(b -> b.name("/allowed").value("1").type(ParameterType.STRING));
            assertEquals("1", ssm.getParameter(b -> b.name("/allowed")).parameter().value());
            assertThrows(AwsServiceException.class, () -> other.getParameter(b -> b.name("/allowed")));
        }
        assertThrows(IllegalArgumentException.class, () -> LocalCloudConfig.defaults(own, 0).withAllowedOrigins(List.of("*")));
        assertThrows(IllegalArgumentException.class,
                () -> LocalCloudConfig.defaults(own, 0).withAllowedOrigins(List.of("console.example/path")));
    }

    @Test
    void theAdminApiWantsThisInstancesToken() throws Exception {
        Path file = state.resolve(LocalCloud.ADMIN_TOKEN_FILE);
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(file));
        String token = adminToken();
        assertTrue(token.length() >= 40, "a long random token");

        for (String route : List.of("/_localcloud/health", "/_localcloud/faults")) {
            assertEquals(403, raw("GET", route, Map.of(), "").status(), route);
        }
        Raw noToken = raw("POST", "/_localcloud/reset", Map.of(), "");
        assertEquals(403, noToken.status(), noToken.body());
        assertTrue(noToken.body().contains(LocalCloud.ADMIN_TOKEN_HEADER), "says which header: " + noToken.body());
        assertFalse(noToken.body().contains(token), "never echoes the token");
        Raw wrong = raw("POST", "/_localcloud/reset", Map.of(LocalCloud.ADMIN_TOKEN_HEADER, token.substring(1) + "x"), "");
        assertEquals(403, wrong.status(), wrong.body());
        Raw settings = raw("POST", "/_localcloud/lambda/settings", Map.of(), "{\"updateDelayMillis\":1}");
        assertEquals(403, settings.status(), settings.body());
        // a signed request does not stand in for the token on the admin routes
        Raw signedReset = signedRaw(SdkHttpMethod.POST, "/_localcloud/reset", "localcloud", "127.0.0.1:" + port,
                Clock.systemUTC(), Map.of(), "");
        assertNotEquals(200, signedReset.status(), signedReset.body());
        assertVictimIntact();

        assertEquals(200, raw("GET", "/_localcloud/health", Map.of(LocalCloud.ADMIN_TOKEN_HEADER, token), "").status());
        TestControls.of(cloud).clearFaults();

        // a restart makes a new token: an old one stops working
        Path own = root.resolve("restart");
        String first;
        try (LocalCloud a = LocalCloud.start(LocalCloudConfig.defaults(own, 0))) {
            first = Files.readString(own.resolve(LocalCloud.ADMIN_TOKEN_FILE)).trim();
        }
        try (LocalCloud b = LocalCloud.start(LocalCloudConfig.defaults(own, 0))) {
            String second = Files.readString(own.resolve(LocalCloud.ADMIN_TOKEN_FILE)).trim();
            assertNotEquals(first, second);
            Raw old = rawTo(b.endpoint().getPort(), "GET", "/_localcloud/health", Map.of(LocalCloud.ADMIN_TOKEN_HEADER, first), "");
            assertEquals(403, old.status(), old.body());
        }
    }

    // ------------------------------------------------------------------ 3. time: expired tokens, skew, replay

    @Test
    void expiredStsCredentialsAreRefusedByEveryService(@TempDir Path own) throws Exception {
        Credentials c;
        try (LocalCloud first = LocalCloud.start(LocalCloudConfig.defaults(own, 0));
             SsmClient ssm = Sdk.ssm(first.endpoint());
             StsClient sts = Sdk.sts(first.endpoint(), "test", "test")) {
            ssm.putParameter(b -> b.name("/cdk-bootstrap/hnb659fds/version").value("21").type(ParameterType.STRING));
            c = sts.assumeRole(b -> b.roleArn(DEPLOY_ROLE).roleSessionName("old")).credentials();
        }
        Path sessions = own.resolve("sts").resolve("sessions.json");
        ArrayNode saved = (ArrayNode) JSON.readTree(sessions.toFile());
        saved.forEach(s -> ((ObjectNode) s).put("Expiration", Instant.now().minusSeconds(5).toString()));
        Files.writeString(sessions, JSON.writeValueAsString(saved));
        try (LocalCloud second = LocalCloud.start(LocalCloudConfig.defaults(own, 0))) {
            URI endpoint = second.endpoint();
            AwsCredentialsProvider expired = StaticCredentialsProvider.create(
                    AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
            try (SsmClient ssm = SsmClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(expired)
                    .overrideConfiguration(Sdk.noRetries()).build();
                 CloudFormationClient cfn = CloudFormationClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                         .credentialsProvider(expired).overrideConfiguration(Sdk.noRetries()).build();
                 LambdaClient lambda = LambdaClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                         .credentialsProvider(expired).overrideConfiguration(Sdk.noRetries()).build();
                 S3Client s3 = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                         .credentialsProvider(expired).overrideConfiguration(Sdk.noRetries()).build()) {
                AwsServiceException e = assertThrows(AwsServiceException.class,
                        () -> ssm.getParameter(b -> b.name("/cdk-bootstrap/hnb659fds/version")));
                assertError(e, 400, "ExpiredTokenException", "The security token included in the request is expired");
                e = assertThrows(AwsServiceException.class, cfn::describeStacks);
                assertError(e, 403, "ExpiredToken", "The security token included in the request is expired");
                e = assertThrows(AwsServiceException.class, lambda::listFunctions);
                assertError(e, 403, "ExpiredTokenException", "The security token included in the request is expired");
                e = assertThrows(AwsServiceException.class, s3::listBuckets);
                assertError(e, 400, "ExpiredToken", "The provided token has expired.");
            }
            // the AWS CLI (botocore) gets the same refusal
            CliResult cli = awsCli(endpoint, Map.of("AWS_ACCESS_KEY_ID", c.accessKeyId(),
                    "AWS_SECRET_ACCESS_KEY", c.secretAccessKey(), "AWS_SESSION_TOKEN", c.sessionToken()), "sts", "get-caller-identity");
            if (cli != null) {
                assertNotEquals(0, cli.exit(), cli.toString());
                assertTrue(cli.err().contains("(ExpiredToken)"), cli.toString());
            }
            // the issued key with another session token is not that session
            AwsCredentialsProvider forged = StaticCredentialsProvider.create(
                    AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), "IQoJforged"));
            try (SsmClient ssm = SsmClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(forged)
                    .overrideConfiguration(Sdk.noRetries()).build()) {
                AwsServiceException e = assertThrows(AwsServiceException.class,
                        () -> ssm.getParameter(b -> b.name("/cdk-bootstrap/hnb659fds/version")));
                assertEquals("UnrecognizedClientException", e.awsErrorDetails().errorCode());
            }
        }
    }

    @Test
    void aSkewedClockIsRefusedAsAwsRefusesIt() {
        for (int offset : new int[] {16 * 60, -16 * 60}) {
            // the SDK's own SigV4 signer, with a clock that is off by the offset (positive: behind)
            AuthScheme<AwsCredentialsIdentity> skewed = skewedSigV4(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-offset)));
            try (CloudFormationClient cfn = CloudFormationClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(Sdk.credentials("test", "test")).putAuthScheme(skewed).overrideConfiguration(Sdk.noRetries()).build();
                 SsmClient ssm = SsmClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                         .credentialsProvider(Sdk.credentials("test", "test")).putAuthScheme(skewed).overrideConfiguration(Sdk.noRetries()).build();
                 LambdaClient lambda = LambdaClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                         .credentialsProvider(Sdk.credentials("test", "test")).putAuthScheme(skewed).overrideConfiguration(Sdk.noRetries()).build();
                 S3Client s3 = S3Client.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                         .credentialsProvider(Sdk.credentials("test", "test")).putAuthScheme(skewed).overrideConfiguration(Sdk.noRetries()).build()) {
                String expect = offset > 0 ? "Signature expired: " : "Signature not yet current: ";
                AwsServiceException e = assertThrows(AwsServiceException.class, cfn::describeStacks);
                assertEquals(403, e.statusCode());
                assertEquals("SignatureDoesNotMatch", e.awsErrorDetails().errorCode());
                assertTrue(e.awsErrorDetails().errorMessage().startsWith(expect), e.awsErrorDetails().errorMessage());
                assertTrue(e.awsErrorDetails().errorMessage().endsWith(offset > 0 ? " - 15 min.)" : " + 15 min.)"),
                        e.awsErrorDetails().errorMessage());
                e = assertThrows(AwsServiceException.class, () -> ssm.getParameter(b -> b.name("/app/db-password")));
                assertEquals(400, e.statusCode());
                assertEquals("InvalidSignatureException", e.awsErrorDetails().errorCode());
                assertTrue(e.awsErrorDetails().errorMessage().startsWith(expect), e.awsErrorDetails().errorMessage());
                e = assertThrows(AwsServiceException.class, lambda::listFunctions);
                assertEquals(403, e.statusCode());
                assertEquals("InvalidSignatureException", e.awsErrorDetails().errorCode());
                e = assertThrows(AwsServiceException.class, s3::listBuckets);
                assertError(e, 403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
            }
        }
    }

    @Test
    void aCapturedRequestIsReplayableOnlyInsideTheFifteenMinuteWindow() throws Exception {
        String body = "{\"Name\":\"/app/db-password\",\"WithDecryption\":true}";
        Map<String, String> headers = Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", "AmazonSSM.GetParameter");
        String host = "127.0.0.1:" + port;
        // captured 20 minutes ago and sent again now
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofMinutes(20)), ZoneOffset.UTC);
        Raw old = signedRaw(SdkHttpMethod.POST, "/", "ssm", host, past, headers, body);
        assertEquals(400, old.status(), old.body());
        assertTrue(old.body().contains("Signature expired"), old.body());
        assertFalse(old.body().contains(SECRET_VALUE));
        Raw oldS3 = signedRaw(SdkHttpMethod.GET, "/", "s3", host, past, Map.of(), "");
        assertEquals(403, oldS3.status(), oldS3.body());
        assertTrue(oldS3.body().contains("<Code>RequestTimeTooSkewed</Code>"), oldS3.body());
        assertTrue(oldS3.body().matches(".*<RequestTime>\\d{8}T\\d{6}Z</RequestTime><ServerTime>[0-9T:-]+Z</ServerTime>"
                + "<MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds>.*"), oldS3.body());
        // inside the window AWS takes the same signature again (SDK retries and presigned URLs rely on it)
        Clock now = Clock.fixed(Instant.now(), ZoneOffset.UTC);
        Raw once = signedRaw(SdkHttpMethod.POST, "/", "ssm", host, now, headers, body);
        Raw again = signedRaw(SdkHttpMethod.POST, "/", "ssm", host, now, headers, body);
        assertEquals(200, once.status(), once.body());
        assertEquals(200, again.status(), again.body());
    }

    @Test
    void anOldPresignedCodeLocationIsRefused() throws Exception {
        try (LambdaClient lambda = LambdaClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(Sdk.credentials("test", "test")).overrideConfiguration(Sdk.noRetries()).build()) {
            byte[] zip = LambdaZip.forInline("nodejs20.x", "exports.handler = async () => 1;");
            lambda.createFunction(b -> b.functionName("code-location").runtime(Runtime.NODEJS20_X).handler("index.handler")
                    .role("arn:aws:iam::000000000000:role/r").code(c -> c.zipFile(SdkBytes.fromByteArray(zip))));
            URI location = URI.create(lambda.getFunction(b -> b.functionName("code-location")).code().location());
            assertTrue(location.getRawQuery().contains("X-Amz-Signature="), "a presigned URL, as AWS gives: " + location);
            Raw download = raw("GET", location.getRawPath() + "?" + location.getRawQuery(), Map.of(), "");
            assertEquals(200, download.status(), download.body());
            Raw unsigned = raw("GET", location.getRawPath(), Map.of(), "");
            assertEquals(403, unsigned.status(), unsigned.body());
            Raw tampered = raw("GET", location.getRawPath() + "?" + location.getRawQuery().replace("X-Amz-Expires=600",
                    "X-Amz-Expires=604800"), Map.of(), "");
            assertEquals(403, tampered.status(), tampered.body());
        }
    }

    // ------------------------------------------------------------------ names that try to leave the state folder

    @Test
    void namesCannotLeaveTheStateFolder() throws Exception {
        Set<Path> outsideBefore = outside();
        try (CloudFormationClient cfn = Sdk.cloudFormation(cloud.endpoint());
             LambdaClient lambda = LambdaClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(Sdk.credentials("test", "test")).overrideConfiguration(Sdk.noRetries()).build();
             CloudWatchLogsClient logs = CloudWatchLogsClient.builder().endpointOverride(cloud.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(Sdk.credentials("test", "test")).overrideConfiguration(Sdk.noRetries()).build();
             S3Client s3 = Sdk.s3(cloud.endpoint())) {
            AwsServiceException stack = assertThrows(AwsServiceException.class,
                    () -> cfn.createStack(b -> b.stackName("../../escape").templateBody(TEMPLATE)));
            assertError(stack, 400, "ValidationError", "1 validation error detected: Value '../../escape' at 'stackName' failed to "
                    + "satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*");

            byte[] zip = LambdaZip.forInline("nodejs20.x", "exports.handler = async () => 1;");
            AwsServiceException function = assertThrows(AwsServiceException.class,
                    () -> lambda.createFunction(b -> b.functionName("../../escape").runtime(Runtime.NODEJS20_X)
                            .handler("index.handler").role("arn:aws:iam::000000000000:role/r")
                            .code(c -> c.zipFile(SdkBytes.fromByteArray(zip)))));
            assertEquals(400, function.statusCode());
            assertEquals("ValidationException", function.awsErrorDetails().errorCode());
            assertTrue(function.awsErrorDetails().errorMessage().contains("Member must satisfy regular expression pattern"),
                    function.awsErrorDetails().errorMessage());

            // '.' and '/' are legal in log group and stream names and in S3 keys: they must stay names, not paths
            logs.createLogGroup(b -> b.logGroupName("../../../escape"));
            logs.createLogStream(b -> b.logGroupName("../../../escape").logStreamName("../../../../escape"));
            logs.putLogEvents(b -> b.logGroupName("../../../escape").logStreamName("../../../../escape")
                    .logEvents(e -> e.timestamp(System.currentTimeMillis()).message("kept inside")));
            assertEquals("kept inside", logs.getLogEvents(b -> b.logGroupName("../../../escape")
                    .logStreamName("../../../../escape")).events().get(0).message());
            s3.createBucket(b -> b.bucket("names"));
            s3.putObject(b -> b.bucket("names").key("../../../escape"), RequestBody.fromString("kept inside"));
            assertEquals("kept inside", s3.getObjectAsBytes(b -> b.bucket("names").key("../../../escape")).asUtf8String());
        }
        assertEquals(outsideBefore, outside(), "nothing was written outside the state folder");
    }

    // ------------------------------------------------------------------ helpers

    record CliResult(int exit, String out, String err) {
    }

    /** Runs the AWS CLI with only these credentials (no profile, no config file); null when it is not installed. */
    static CliResult awsCli(URI endpoint, Map<String, String> credentials, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Files.isExecutable(Path.of("/usr/bin/aws")) ? "/usr/bin/aws" : "aws"));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", endpoint.toString(), "--output", "json"));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.putAll(credentials);
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_MAX_ATTEMPTS", "1");
        env.put("AWS_PAGER", "");
        env.put("AWS_CONFIG_FILE", root.resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", root.resolve("no-credentials").toString());
        Path out = Files.createTempFile("security-cli", ".out");
        Path err = Files.createTempFile("security-cli", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return null;
        }
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in 120 s");
        }
        CliResult r = new CliResult(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    static Set<Path> outside() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> !p.startsWith(state)).collect(java.util.stream.Collectors.toSet());
        }
    }

    static void assertVictimIntact() {
        try (CloudFormationClient cfn = Sdk.cloudFormation(cloud.endpoint())) {
            assertEquals("CREATE_COMPLETE", cfn.describeStacks(b -> b.stackName("victim")).stacks().get(0).stackStatusAsString());
        }
    }

    static void assertRefused(Raw r) {
        assertEquals(403, r.status(), r.body());
        assertTrue(r.body().contains("AccessDenied"), r.body());
    }

    static void assertError(AwsServiceException e, int status, String code, String message) {
        assertEquals(status, e.statusCode(), e.getMessage());
        assertEquals(code, e.awsErrorDetails().errorCode(), e.getMessage());
        assertEquals(message, e.awsErrorDetails().errorMessage());
    }

    static String adminToken() throws IOException {
        return Files.readString(state.resolve(LocalCloud.ADMIN_TOKEN_FILE)).trim();
    }

    /** AWS's SigV4 auth scheme whose signer reads the time from this clock. */
    static AuthScheme<AwsCredentialsIdentity> skewedSigV4(Clock clock) {
        AwsV4AuthScheme base = AwsV4AuthScheme.create();
        HttpSigner<AwsCredentialsIdentity> signer = new HttpSigner<>() {
            @Override
            public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
                return base.signer().sign(request.copy(b -> b.putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock)));
            }

            @Override
            public java.util.concurrent.CompletableFuture<AsyncSignedRequest> signAsync(
                    AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
                return base.signer().signAsync(request.copy(b -> b.putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock)));
            }
        };
        return new AuthScheme<>() {
            @Override
            public String schemeId() {
                return base.schemeId();
            }

            @Override
            public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
                return base.identityProvider(providers);
            }

            @Override
            public HttpSigner<AwsCredentialsIdentity> signer() {
                return signer;
            }
        };
    }

    static ExecutionInterceptor origin(String origin) {
        return new ExecutionInterceptor() {
            @Override
            public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
                return context.httpRequest().toBuilder().putHeader("Origin", origin).build();
            }
        };
    }

    /** A request signed by the SDK's own SigV4 signer, with any Host and clock, sent as it is. */
    static Raw signedRaw(SdkHttpMethod method, String path, String service, String host, Clock clock,
                         Map<String, String> headers, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest.Builder b = SdkHttpRequest.builder().method(method).protocol("http").host("127.0.0.1").port(port)
                .encodedPath(path).putHeader("Host", host);
        headers.forEach(b::putHeader);
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsBasicCredentials.create("test", "test"))
                .request(b.build())
                .payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
        Map<String, String> out = new LinkedHashMap<>();
        signed.request().headers().forEach((k, v) -> out.put(k, v.get(0)));
        return raw(method.name(), path, out, body);
    }

    record Raw(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    static Raw raw(String method, String target, Map<String, String> headers, String body) throws IOException {
        return rawTo(port, method, target, headers, body);
    }

    /** HTTP/1.1 over a socket: the JDK's client will not send a foreign Host header. */
    static Raw rawTo(int port, String method, String target, Map<String, String> headers, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
        boolean host = headers.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("host"));
        if (!host) {
            head.append("Host: 127.0.0.1:").append(port).append("\r\n");
        }
        headers.forEach((k, v) -> {
            if (!k.equalsIgnoreCase("content-length") && !k.equalsIgnoreCase("connection")) {
                head.append(k).append(": ").append(v).append("\r\n");
            }
        });
        head.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, String> h = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                h.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            String rest = text.substring(end + 4);
            if ("chunked".equalsIgnoreCase(h.get("transfer-encoding"))) {
                StringBuilder b = new StringBuilder();
                int at = 0;
                while (true) {
                    int nl = rest.indexOf("\r\n", at);
                    int size = Integer.parseInt(rest.substring(at, nl).trim(), 16);
                    if (size == 0) {
                        break;
                    }
                    b.append(rest, nl + 2, nl + 2 + size);
                    at = nl + 2 + size + 2;
                }
                rest = b.toString();
            }
            String bodyText = new String(rest.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            return new Raw(Integer.parseInt(lines[0].split(" ")[1]), h, bodyText);
        }
    }

    static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }
}
