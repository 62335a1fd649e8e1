package dev.livestack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestack.localcloud.LocalCloud;
import dev.livestack.localcloud.LocalCloudConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code livestack synth} on an app that misses context: a small script app that behaves as aws-cdk-lib does (lists
 * {@code missing} in its manifest until {@code CDK_CONTEXT_JSON} has the key), with lookups answered by local-cloud.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LookupsCliIT {
    static final String AZ = "availability-zones:account=000000000000:region=eu-west-1";
    private LocalCloud cloud;
    private Map<String, String> env;

    /** Needs the zones, and the SSM parameter named in parameter.txt when there is one. */
    static final String APP = """
            import json, os
            ctx = json.loads(os.environ["CDK_CONTEXT_JSON"])
            out = os.environ["CDK_OUTDIR"]
            env = {"account": "000000000000", "region": "eu-west-1"}
            missing = []
            if "%1$s" not in ctx:
                missing.append({"key": "%1$s", "provider": "availability-zones", "props": env})
            zones = ctx.get("%1$s", ["dummy1a", "dummy1b"])
            outputs = {"Zones": {"Value": ",".join(zones)}}
            if os.path.exists("parameter.txt"):
                name = open("parameter.txt").read().strip()
                key = "ssm:account=000000000000:parameterName=%%s:region=eu-west-1" %% name
                if key not in ctx:
                    missing.append({"key": key, "provider": "ssm", "props": dict(env, parameterName=name)})
                outputs["Param"] = {"Value": ctx.get(key, "dummy-value-for-" + name)}
            json.dump({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}, "Outputs": outputs}, open(os.path.join(out, "Lookups.template.json"), "w"))
            manifest = {"version": "48.0.0", "artifacts": {"Lookups": {"type": "aws:cloudformation:stack",
                "environment": "aws://000000000000/eu-west-1", "properties": {"templateFile": "Lookups.template.json"}}}}
            if missing:
                manifest["missing"] = missing
            json.dump(manifest, open(os.path.join(out, "manifest.json"), "w"))
            """.formatted(AZ);

    /** Writes the CDK_DEFAULT_ACCOUNT it got into its template, as {@code env: {account: process.env.CDK_DEFAULT_ACCOUNT}} reads it. */
    static final String ACCOUNT_APP = """
            import json, os
            out = os.environ["CDK_OUTDIR"]
            outputs = {"Account": {"Value": os.environ.get("CDK_DEFAULT_ACCOUNT", "none")}}
            json.dump({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}, "Outputs": outputs}, open(os.path.join(out, "Env.template.json"), "w"))
            json.dump({"version": "48.0.0", "artifacts": {"Env": {"type": "aws:cloudformation:stack",
                "environment": "aws://unknown-account/unknown-region", "properties": {"templateFile": "Env.template.json"}}}},
                open(os.path.join(out, "manifest.json"), "w"))
            """;

    @BeforeAll
    void setUp(@TempDir Path state) throws IOException {
        cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0));
        env = Cli.cleanEnv();
    }

    @AfterAll
    void tearDown() {
        cloud.close();
    }

    private Cli.Result synth(Path app) {
        return Cli.run(app, env, null, "synth", "--app", ".", "--out", "out", "--endpoint-url", cloud.endpoint().toString());
    }

    private static Path app(Path dir) throws IOException {
        Files.writeString(dir.resolve("cdk.json"), "{\"app\": \"python3 app.py\"}");
        Files.writeString(dir.resolve("app.py"), APP);
        return dir;
    }

    @Test
    void synthLooksTheZonesUpWritesCdkContextJsonAndSynthesisesAgain(@TempDir Path dir) throws Exception {
        Path app = app(dir);
        Cli.Result r = synth(app);
        assertEquals(0, r.exit(), r::toString);
        JsonNode template = Output.JSON.readTree(app.resolve("out/Lookups.template.json").toFile());
        assertEquals("eu-west-1a,eu-west-1b,eu-west-1c", template.path("Outputs").path("Zones").path("Value").asText());
        assertEquals("{\n  \"" + AZ + "\": [\n    \"eu-west-1a\",\n    \"eu-west-1b\",\n    \"eu-west-1c\"\n  ]\n}\n",
                Files.readString(app.resolve("cdk.context.json")));
    }

    @Test
    void aFailedLookupIsATwoLineErrorNamingProviderAndKeyWithExitTwo(@TempDir Path dir) throws Exception {
        Path app = app(dir);
        Files.writeString(app.resolve("parameter.txt"), "/cli/missing");
        Cli.Result r = synth(app);
        assertEquals(2, r.exit(), r::toString);
        String key = "ssm:account=000000000000:parameterName=/cli/missing:region=eu-west-1";
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertTrue(lines.stream().anyMatch(l -> l.contains("Synth failed: context lookup ssm failed for " + key
                + ": SSM parameter not available in account 000000000000, region eu-west-1: /cli/missing")), r::toString);
        assertTrue(lines.stream().anyMatch(l -> l.contains("put the value under that key in cdk.context.json")), r::toString);
        // the zones were found and kept; the failure was not
        String saved = Files.readString(app.resolve("cdk.context.json"));
        assertTrue(saved.contains(AZ) && !saved.contains(key), saved);
    }

    private static String account(Path dir, Map<String, String> env, String... args) throws IOException {
        Files.writeString(dir.resolve("cdk.json"), "{\"app\": \"python3 app.py\", \"output\": \"out\"}");
        Files.writeString(dir.resolve("app.py"), ACCOUNT_APP);
        Cli.Result r = Cli.run(dir, env, null, args);
        assertEquals(0, r.exit(), r::toString);
        return Output.JSON.readTree(dir.resolve("out/Env.template.json").toFile()).path("Outputs").path("Account").path("Value").asText();
    }

    @Test
    void withCredentialsTheAppGetsTheCallersAccountAsTheCdkCliGivesIt(@TempDir Path dir) throws Exception {
        Map<String, String> creds = new java.util.HashMap<>(env);
        creds.remove("CDK_DEFAULT_ACCOUNT");
        creds.put("AWS_ACCESS_KEY_ID", "test");
        creds.put("AWS_SECRET_ACCESS_KEY", "test");
        assertEquals(LocalCloudConfig.DEFAULT_ACCOUNT, account(dir, creds, "synth", "--app", ".", "--out", "out",
                "--endpoint-url", cloud.endpoint().toString()));
    }

    @Test
    void withoutCredentialsSynthGivesTheAppNoAccountAsTheCdkCliDoesNot(@TempDir Path dir) throws Exception {
        Map<String, String> none = new java.util.HashMap<>(env);
        none.remove("CDK_DEFAULT_ACCOUNT");
        assertEquals("none", account(dir, none, "synth", "--app", ".", "--out", "out"));
    }

    @Test
    void aDeployToLocalCloudWithoutCredentialsGivesTheAppLocalCloudsAccount(@TempDir Path dir, @TempDir Path state) throws Exception {
        Map<String, String> none = new java.util.HashMap<>(env);
        none.remove("CDK_DEFAULT_ACCOUNT");
        assertEquals(LocalCloudConfig.DEFAULT_ACCOUNT, account(dir, none, "deploy", "--app", ".", "--target", "local",
                "--state-dir", state.toString(), "--require-approval", "never"));
    }
}
