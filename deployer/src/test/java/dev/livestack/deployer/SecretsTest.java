package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Secrets}: which names and values are secret, and how they are masked. */
class SecretsTest {

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
        ObjectNode env = TestTemplates.obj("{'Variables':{'URL':{'Fn::Sub':'postgres://app:${DbPass}@db'},'REF':{'Ref':'DbPass'},"
                + "'SM':'{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:1:secret:x}}','STAGE':'dev'}}");
        assertEquals(TestTemplates.obj("{'Variables':{'URL':'****','REF':'****','SM':'****','STAGE':'dev'}}"),
                Secrets.mask("Environment", env, noEcho));
        assertEquals("****", Secrets.mask("Value", TestTemplates.obj("{'Fn::Join':['',['a',{'Ref':'DbPass'}]]}"), noEcho).asText());
        assertEquals("****", Secrets.mask("Value", com.fasterxml.jackson.databind.node.TextNode.valueOf(
                "{{resolve:ssm-secure:/db/pw}}"), Set.of()).asText());
        assertEquals("dev", Secrets.mask("Value", com.fasterxml.jackson.databind.node.TextNode.valueOf("dev"), noEcho).asText());
        // parameters passed to a change set: NoEcho ones, and names that look secret
        assertEquals("****", Secrets.maskParameterValue("DbPassword", "x", Set.of()));
        assertEquals("****", Secrets.maskParameterValue("Conn", "x", Set.of("Conn")));
        assertEquals("dev", Secrets.maskParameterValue("Stage", "dev", Set.of()));
    }
}
