package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.synth.StackTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudformation.model.Capability;

/** Globs, secrets, state files, retry classification, approval, capabilities, state merging, stack order. */
class SupportTest {

    @Test
    void globs() {
        assertTrue(Globs.matches("prod-*", "prod-api"));
        assertTrue(Globs.matches("*", "x"));
        assertTrue(Globs.matches("a?c", "abc"));
        assertFalse(Globs.matches("prod-*", "dev-api"));
        assertFalse(Globs.matches("a?c", "ac"));
    }

    @Test
    void secretNames() {
        for (String n : List.of("API_KEY", "db_password", "GithubToken", "CLIENT_SECRET", "KEYSTORE")) {
            assertTrue(Secrets.secretName(n), n);
        }
        assertFalse(Secrets.secretName("STAGE"));
        assertEquals(Map.of("API_KEY", "****", "STAGE", "dev"), Secrets.maskEnvironment(Map.of("API_KEY", "k", "STAGE", "dev")));
    }

    @Test
    void secretsByNamePatternByValueAndBySource() {
        for (String n : List.of("DB_PASS", "PASSWD", "dbPass", "MYSQL_PWD", "PRIVATE_PEM", "CLIENT_CREDENTIALS", "AUTH_HEADER",
                "SESSION_COOKIE", "SMTP_PW", "db-passphrase", "SENTRY_DSN", "PIN")) {
            assertTrue(Secrets.secretName(n), n);
        }
        for (String n : List.of("STAGE", "TABLE_NAME", "PASSENGER_COUNT", "BUCKET", "COMPASS_URL", "SPINNER")) {
            assertFalse(Secrets.secretName(n), n);
        }
        // by value: credentials inside a URL, and dynamic references to secure values
        assertEquals(Map.of("DATABASE_URL", "postgres://app:****@db:5432/x", "CONN", "****", "PLAIN", "****", "STAGE", "dev"),
                Secrets.maskEnvironment(Map.of("DATABASE_URL", "postgres://app:s3cret@db:5432/x",
                        "CONN", "{{resolve:secretsmanager:db:SecretString:password}}",
                        "PLAIN", "x-{{resolve:ssm-secure:/app/pw:3}}", "STAGE", "dev")));
        // by source in a template: a NoEcho parameter, also through Fn::Sub, and dynamic references
        Set<String> noEcho = Set.of("DbPass");
        ObjectNode env = T.obj("{'Variables':{'URL':{'Fn::Sub':'postgres://app:${DbPass}@db'},'REF':{'Ref':'DbPass'},"
                + "'SM':'{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:1:secret:x}}','STAGE':'dev'}}");
        assertEquals(T.obj("{'Variables':{'URL':'****','REF':'****','SM':'****','STAGE':'dev'}}"),
                Secrets.mask("Environment", env, noEcho));
        assertEquals("****", Secrets.mask("Value", T.obj("{'Fn::Join':['',['a',{'Ref':'DbPass'}]]}"), noEcho).asText());
        assertEquals("****", Secrets.mask("Value", com.fasterxml.jackson.databind.node.TextNode.valueOf(
                "{{resolve:ssm-secure:/db/pw}}"), Set.of()).asText());
        assertEquals("dev", Secrets.mask("Value", com.fasterxml.jackson.databind.node.TextNode.valueOf("dev"), noEcho).asText());
        // parameters passed to a change set: NoEcho ones, and names that look secret
        assertEquals("****", Secrets.maskParameterValue("DbPassword", "x", Set.of()));
        assertEquals("****", Secrets.maskParameterValue("Conn", "x", Set.of("Conn")));
        assertEquals("dev", Secrets.maskParameterValue("Stage", "dev", Set.of()));
    }

    @Test
    void stateFilesRoundTripAtomically(@TempDir Path dir) throws Exception {
        StateFiles s = new StateFiles(dir);
        assertTrue(s.template("app").isEmpty());
        ObjectNode t = T.obj("{'Resources':{'A':{'Type':'AWS::SNS::Topic'}}}");
        s.writeTemplate("app", t);
        assertEquals(t, s.template("app").orElseThrow());
        assertEquals(List.of("app.template.json"), Files.list(dir.resolve("state")).map(p -> p.getFileName().toString()).toList());
        Files.writeString(s.templateFile("app"), "{broken");
        assertTrue(s.template("app").isEmpty(), "a damaged file is ignored, not fatal");
        s.deleteTemplate("app");
        assertFalse(Files.exists(s.templateFile("app")));
    }

    @Test
    void retryClassifiesTransientFailures() {
        assertTrue(Retry.transientReason(service(400, "Throttling")).startsWith("throttled"));
        assertTrue(Retry.transientReason(service(429, "TooManyRequestsException")).startsWith("throttled"));
        assertTrue(Retry.transientReason(service(503, "ServiceUnavailable")).startsWith("HTTP 503"));
        assertTrue(Retry.transientReason(service(409, "ResourceConflictException")).contains("409"));
        assertTrue(Retry.transientReason(SdkClientException.create("Unable to execute HTTP request",
                new java.net.SocketException("Connection reset"))).startsWith("connection failed: Connection reset"));
        assertNull(Retry.transientReason(SdkClientException.create("Unable to unmarshall response")), "no network fault, no retry");
        assertNull(Retry.transientReason(SdkClientException.create("Unable to execute HTTP request",
                new javax.net.ssl.SSLHandshakeException("PKIX path building failed"))), "a certificate does not fix itself");
        assertNull(Retry.transientReason(service(400, "ValidationError")));
        assertNull(Retry.transientReason(service(404, "ResourceNotFoundException")));
        Retry r = new Retry(3, Duration.ofMillis(10), Duration.ofMillis(40));
        for (int a = 1; a < 10; a++) {
            long d = r.delay(a).toMillis();
            assertTrue(d >= 1 && d <= 40, "delay " + d);
        }
        int[] calls = {0};
        List<String> reported = new java.util.ArrayList<>();
        String v = r.call("Op", (op, attempt, reason, delay) -> reported.add(op + "#" + attempt), () -> {
            if (++calls[0] < 3) {
                throw service(500, "InternalFailure");
            }
            return "ok";
        });
        assertEquals("ok", v);
        assertEquals(List.of("Op#1", "Op#2"), reported);
        calls[0] = 0;
        assertThrows(AwsServiceException.class, () -> r.call("Op", (op, attempt, reason, delay) -> { }, () -> {
            calls[0]++;
            throw service(500, "InternalFailure");
        }));
        assertEquals(3, calls[0]);
    }

    private static AwsServiceException service(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build()).build();
    }

    @Test
    void approvalPolicies() {
        ChangeSetSummary none = new ChangeSetSummary("s", "id", "UPDATE", List.of(), false, Map.of());
        ChangeSetSummary plain = new ChangeSetSummary("s", "id", "UPDATE", List.of(new ChangeRow("Modify", "Fn", "AWS::Lambda::Function", "False")), false, Map.of());
        ChangeSetSummary broad = new ChangeSetSummary("s", "id", "UPDATE", List.of(new ChangeRow("Add", "Role", "AWS::IAM::Role", "")), true, Map.of());
        assertFalse(ApprovalPolicy.NEVER.requiresApproval(broad));
        assertFalse(ApprovalPolicy.BROADENING.requiresApproval(plain));
        assertTrue(ApprovalPolicy.BROADENING.requiresApproval(broad));
        assertTrue(ApprovalPolicy.ANY_CHANGE.requiresApproval(plain));
        assertFalse(ApprovalPolicy.ANY_CHANGE.requiresApproval(none));
        assertEquals(ApprovalPolicy.ANY_CHANGE, ApprovalPolicy.parse("any-change"));
        assertThrows(IllegalArgumentException.class, () -> ApprovalPolicy.parse("sometimes"));
    }

    @Test
    void capabilitiesAreInferred() {
        assertEquals(Set.of(), ChangeSetDeployer.capabilities(T.obj("{'Resources':{'Q':{'Type':'AWS::SQS::Queue'}}}")));
        assertEquals(Set.of(Capability.CAPABILITY_IAM), ChangeSetDeployer.capabilities(T.obj("{'Resources':{'R':{'Type':'AWS::IAM::Role','Properties':{}}}}")));
        assertEquals(Set.of(Capability.CAPABILITY_IAM, Capability.CAPABILITY_NAMED_IAM),
                ChangeSetDeployer.capabilities(T.obj("{'Resources':{'R':{'Type':'AWS::IAM::Role','Properties':{'RoleName':'x'}}}}")));
        assertEquals(Set.of(Capability.CAPABILITY_AUTO_EXPAND),
                ChangeSetDeployer.capabilities(T.obj("{'Transform':'AWS::Serverless-2016-10-31','Resources':{}}")));
    }

    @Test
    void mergeTakesOnlyAppliedResources() {
        ObjectNode o = T.obj("{'Resources':{'A':{'Type':'X','Properties':{'v':1}},'B':{'Type':'X','Properties':{'v':1}},'C':{'Type':'X'}}}");
        ObjectNode n = T.obj("{'Resources':{'A':{'Type':'X','Properties':{'v':2}},'B':{'Type':'X','Properties':{'v':2}}},'Outputs':{'O':{'Value':'1'}}}");
        TemplateDiff d = TemplateDiff.between(o, n);
        ObjectNode m = AppliedState.merge(o, n, Set.of("A", "C"), java.util.Map.of(), d);
        assertEquals(T.obj("{'Resources':{'A':{'Type':'X','Properties':{'v':2}},'B':{'Type':'X','Properties':{'v':1}}}}"), m);
    }

    @Test
    void stacksAreOrderedDependenciesFirst() {
        ObjectNode t = T.obj("{'Resources':{}}");
        List<StackTemplate> in = List.of(new StackTemplate("api", t, List.of("data", "net")),
                new StackTemplate("data", t, List.of("net")), new StackTemplate("net", t, List.of()));
        assertEquals(List.of("net", "data", "api"), StackOrder.order(in).stream().map(StackTemplate::stackName).toList());
        List<StackTemplate> cycle = List.of(new StackTemplate("a", t, List.of("b")), new StackTemplate("b", t, List.of("a")));
        assertThrows(IllegalArgumentException.class, () -> StackOrder.order(cycle));
    }

    @Test
    void recordsRejectBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new DeployResult(" ", DeployResult.Status.DEPLOYED, null, null, null, null, null, null, Duration.ZERO));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DeployResult("s", DeployResult.Status.FAILED, null, null, null, null, null, null, Duration.ZERO));
        assertTrue(e.getMessage().contains("error"));
        assertThrows(IllegalArgumentException.class, () -> new HotswapPlan.Swap("A", "T", List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new LambdaFunctionHandler.Configuration("f", null, null));
        assertThrows(IllegalArgumentException.class, () -> new ChangeRow("", "A", "T", "False"));
        assertThrows(IllegalArgumentException.class, () -> new DeployEvent.HotswapSkipped("s", "A", "T", "P", RejectReason.STACK_PROTECTED, " "));
        assertThrows(NullPointerException.class, () -> new DeployEvent.HotswapSkipped("s", "A", "T", "P", null, "why"));
        assertEquals("hotswap.applied", new DeployEvent.HotswapApplied("s", "A", "T", "f", List.of(), "", Duration.ZERO).type());
    }
}
