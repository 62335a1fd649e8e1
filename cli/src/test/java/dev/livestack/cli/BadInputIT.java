package dev.livestack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestack.localcloud.LocalCloud;
import dev.livestack.localcloud.LocalCloudConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input, table-driven: every case exits 2 with two lines on stderr (what failed, then what to do), says it
 * once, and loses nothing under the app's {@code .livestack/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {
    private static final String TEMPLATE = """
            {"Resources": {"Fn": {"Type": "AWS::Lambda::Function",
              "Metadata": {"livestack:source": "fn"},
              "Properties": {"Runtime": "nodejs20.x", "Handler": "index.handler",
                "Role": "arn:aws:iam::000000000000:role/r",
                "Code": {"ZipFile": "exports.handler = async () => 'ok';"}}}}}
            """;

    private Path root;
    private LocalCloud cloud;
    private ServerSocket busy;

    @BeforeAll
    void setUp() throws IOException {
        root = Files.createTempDirectory("livestack-bad");
        cloud = LocalCloud.start(LocalCloudConfig.defaults(root.resolve("cloud"), 0));
        busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        // the template app, deployed once so 'unknown action' has a stack to look in
        Path tpl = app("deployed");
        Cli.Result r = Cli.run(tpl, Cli.cleanEnv(), null, "deploy", "--app", "template.json", "--stack", "BadInputStack",
                "--endpoint-url", cloud.endpoint().toString(), "--require-approval", "never");
        assertEquals(0, r.exit(), r::toString);
    }

    @AfterAll
    void tearDown() throws IOException {
        busy.close();
        cloud.close();
    }

    /** A fresh app folder with a template app, a cdk.json app and precious state. */
    private Path app(String name) throws IOException {
        Path dir = root.resolve(name);
        Files.createDirectories(dir.resolve("fn"));
        Files.writeString(dir.resolve("template.json"), TEMPLATE);
        Files.writeString(dir.resolve("fn/index.js"), "exports.handler = async () => 'ok';\n");
        Files.writeString(dir.resolve("event.json"), "{\"a\": 1}");
        Files.writeString(dir.resolve("bad-event.json"), "{\"a\": ");
        Files.writeString(dir.resolve("bad.json"), "{\"Resources\": ");
        Files.writeString(dir.resolve("notes.txt"), "not a template");
        Files.createDirectories(dir.resolve("cdk-bad"));
        Files.writeString(dir.resolve("cdk-bad/cdk.json"), "{\"app\": \"python3 app.py\",,}");
        Files.createDirectories(dir.resolve("cdk-noapp"));
        Files.writeString(dir.resolve("cdk-noapp/cdk.json"), "{\"context\": {}}");
        Files.createDirectories(dir.resolve("cdk-ok"));
        Files.writeString(dir.resolve("cdk-ok/cdk.json"), "{\"app\": \"python3 app.py\"}");
        Files.writeString(dir.resolve("cdk-ok/app.py"), """
                import json, os
                out = os.environ["CDK_OUTDIR"]
                os.makedirs(out, exist_ok=True)
                json.dump({"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}, open(os.path.join(out, "Only.template.json"), "w"))
                json.dump({"version": "36.0.0", "artifacts": {"Only": {"type": "aws:cloudformation:stack",
                  "environment": "aws://unknown-account/unknown-region",
                  "properties": {"templateFile": "Only.template.json"}}}}, open(os.path.join(out, "manifest.json"), "w"))
                """);
        Files.createDirectories(dir.resolve("cdk-docker"));
        Files.writeString(dir.resolve("cdk-docker/cdk.json"), "{\"app\": \"python3 app.py\"}");
        Files.writeString(dir.resolve("cdk-docker/app.py"), """
                import json, os
                out = os.environ["CDK_OUTDIR"]
                os.makedirs(out, exist_ok=True)
                json.dump({"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}, open(os.path.join(out, "Img.template.json"), "w"))
                json.dump({"version": "48.0.0", "files": {}, "dockerImages": {"abc": {"displayName": "Api/Image",
                  "source": {"directory": "asset.abc"}, "destinations": {"d": {"repositoryName": "r", "imageTag": "abc"}}}}},
                  open(os.path.join(out, "Img.assets.json"), "w"))
                json.dump({"version": "48.0.0", "artifacts": {
                  "Img.assets": {"type": "cdk:asset-manifest", "properties": {"file": "Img.assets.json"}},
                  "Img": {"type": "aws:cloudformation:stack", "environment": "aws://unknown-account/unknown-region",
                  "properties": {"templateFile": "Img.template.json"}, "dependencies": ["Img.assets"]}}},
                  open(os.path.join(out, "manifest.json"), "w"))
                """);
        Files.writeString(dir.resolve("state-file"), "a file where a folder should be");
        Files.writeString(dir.resolve("trailing-event.json"), "{\"a\":1} x");
        Files.writeString(dir.resolve("bad-aws-config"), "[default\nregion = us-east-1\n");
        Files.writeString(dir.resolve("failing-aws-config"),
                "[profile broken]\nregion = us-east-1\ncredential_process = sh -c 'echo the token has expired >&2; exit 3'\n");
        Files.writeString(dir.resolve("sso-aws-config"), """
                [profile dev]
                sso_session = my-sso
                sso_account_id = 123456789012
                sso_role_name = Dev
                region = us-east-1

                [sso-session my-sso]
                sso_region = us-east-1
                sso_start_url = https://example.awsapps.com/start
                """);
        for (String bad : List.of("badwatch", "badwatchblock")) {
            Files.createDirectories(dir.resolve("cdk-" + bad));
            Files.copy(dir.resolve("cdk-ok/app.py"), dir.resolve("cdk-" + bad + "/app.py"));
        }
        Files.writeString(dir.resolve("cdk-badwatch/cdk.json"), "{\"app\": \"python3 app.py\", \"watch\": {\"include\": 5}}");
        Files.writeString(dir.resolve("cdk-badwatchblock/cdk.json"), "{\"app\": \"python3 app.py\", \"watch\": \"src/**\"}");
        MiniApp.twoStacks(dir.resolve("cdk-two"));
        Path state = dir.resolve(".livestack/state");
        Files.createDirectories(state);
        Files.writeString(state.resolve("Precious.template.json"), "{\"Resources\": {}}");
        Files.createDirectories(dir.resolve("cdk-ok/.livestack/state"));
        Files.writeString(dir.resolve("cdk-ok/.livestack/state/Precious.template.json"), "{\"Resources\": {}}");
        return dir;
    }

    record Case(String name, Function<BadInputIT, String[]> args, Map<String, String> env, List<String> expect) {
        Case(String name, Function<BadInputIT, String[]> args, Map<String, String> env) {
            this(name, args, env, List.of());
        }

        /** With words stderr must hold: the case fails for the reason it is about, not another. */
        Case expect(String... words) {
            return new Case(name, args, env, List.of(words));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static Case c(String name, String... args) {
        return new Case(name, t -> args, Map.of());
    }

    private static Case c(String name, Function<BadInputIT, String[]> args) {
        return new Case(name, args, Map.of());
    }

    private static Case env(String name, Map<String, String> env, String... args) {
        return new Case(name, t -> args, env);
    }

    String ep() {
        return cloud.endpoint().toString();
    }

    Stream<Arguments> cases() {
        List<Case> cases = new ArrayList<>(List.of(
                c("unknown command", "frobnicate"),
                c("unknown option", "synth", "--frob"),
                c("no command"),
                c("bad --output", "synth", "--output", "xml"),
                c("bad --target", "synth", "--target", "moon"),
                c("bad watch --mode", "watch", "--mode", "turbo"),
                c("bad deploy --mode", "deploy", "--mode", "turbo"),
                c("bad --require-approval", "deploy", "--require-approval", "sometimes"),
                c("app folder missing", "synth", "--app", "nowhere"),
                c("folder without cdk.json", "synth", "--app", "fn"),
                c("malformed cdk.json", "synth", "--app", "cdk-bad"),
                c("cdk.json without app", "synth", "--app", "cdk-noapp"),
                c("not a template file", "synth", "--app", "notes.txt"),
                c("malformed template", "synth", "--app", "bad.json"),
                c("unknown stack", "synth", "--app", "cdk-ok", "--stack", "Nope"),
                c("event file missing", t -> new String[] {"invoke", "Fn", "--app", "template.json", "--stack", "BadInputStack", "--endpoint-url", t.ep(), "--event", "missing.json"}),
                c("malformed event JSON", t -> new String[] {"invoke", "Fn", "--app", "template.json", "--stack", "BadInputStack", "--endpoint-url", t.ep(), "--event", "bad-event.json"}),
                c("unknown action", t -> new String[] {"invoke", "Nope", "--app", "template.json", "--stack", "BadInputStack", "--endpoint-url", t.ep()}),
                c("unknown action for logs", t -> new String[] {"logs", "Nope", "--app", "template.json", "--stack", "BadInputStack", "--endpoint-url", t.ep()}),
                c("bad --since", "logs", "--since", "yesterday-ish", "--app", "template.json"),
                c("--since in the future", "logs", "--since", "2999-01-01T00:00:00Z", "--app", "template.json"),
                c("deploy --ci without credentials", "deploy", "--ci", "--app", "template.json"),
                c("deploy --ci with a hot-swap mode", "deploy", "--ci", "--mode", "hotswap", "--app", "template.json"),
                c("bad --endpoint-url", "synth", "--app", "template.json", "--endpoint-url", "not a url"),
                c("bad --endpoint-url for deploy", "deploy", "--app", "template.json", "--endpoint-url", "ftp://x"),
                c("port out of range", "local-cloud", "start", "--port", "70000"),
                c("port in use", t -> new String[] {"local-cloud", "start", "--port", Integer.toString(t.busy.getLocalPort()), "--state-dir", "lc"}),
                c("state folder is a file", "deploy", "--app", "template.json", "--state-dir", "state-file", "--target", "local"),
                new Case("missing node for invoke --local", t -> new String[] {"invoke", "Fn", "--local", "--app", "template.json",
                        "--stack", "BadInputStack", "--endpoint-url", t.ep()}, Map.of("PATH", "/nonexistent")),
                env("unknown profile", Map.of("AWS_CONFIG_FILE", "/dev/null"), "deploy", "--profile", "nope", "--target", "aws", "--app", "template.json"),
                c("bad env --format", "env", "--format", "xml"),
                c("zero --synth-timeout", "synth", "--app", "cdk-ok", "--synth-timeout", "0"),
                c("non-numeric --synth-timeout", "synth", "--app", "cdk-ok", "--synth-timeout", "soon"),
                c("docker image asset", t -> new String[] {"deploy", "--app", "cdk-docker", "--endpoint-url", t.ep(), "--require-approval", "never"}),
                c("hotswap without an action", "hotswap"),
                c("invoke without an action", "invoke"),
                // issue 16: each of these printed a raw ClassName: message, exited 1, or said it twice
                env("malformed ~/.aws/config with --target local", Map.of("AWS_CONFIG_FILE", "bad-aws-config"),
                        "deploy", "--app", "template.json", "--target", "local").expect("bad-aws-config is malformed", "line 1"),
                env("malformed ~/.aws/config with --target aws", Map.of("AWS_CONFIG_FILE", "bad-aws-config"),
                        "deploy", "--app", "template.json", "--target", "aws"),
                c("--stack with a broken pattern", "synth", "--app", "cdk-ok", "--stack", "Api[*").expect("'Api[*' is not a stack name"),
                c("--stack that is no stack name", "synth", "--app", "template.json", "--stack", "my_stack!"),
                c("logs on a stack that is not deployed", t -> new String[] {"logs", "Fn", "--app", "template.json", "--stack", "NotDeployed", "--endpoint-url", t.ep()}).expect("NotDeployed is not deployed"),
                c("invoke on a stack that is not deployed", t -> new String[] {"invoke", "Fn", "--app", "template.json", "--stack", "NotDeployed", "--endpoint-url", t.ep()}).expect("NotDeployed is not deployed"),
                c("hotswap on a stack that is not deployed", t -> new String[] {"hotswap", "Fn", "--app", "template.json", "--stack", "NotDeployed", "--endpoint-url", t.ep()}).expect("NotDeployed is not deployed"),
                c("watch block with a number", t -> new String[] {"watch", "--app", "cdk-badwatch", "--endpoint-url", t.ep(), "--no-logs"}).expect("watch"),
                c("watch block that is not an object", t -> new String[] {"watch", "--app", "cdk-badwatchblock", "--endpoint-url", t.ep(), "--no-logs"}).expect("watch"),
                c("--outputs-file under a file", t -> new String[] {"deploy", "--app", "template.json", "--stack", "BadInputStack",
                        "--endpoint-url", t.ep(), "--require-approval", "never", "--outputs-file", "state-file/outputs.json"}).expect("--outputs-file"),
                c("--outputs-file is a folder", t -> new String[] {"deploy", "--app", "template.json", "--stack", "BadInputStack",
                        "--endpoint-url", t.ep(), "--require-approval", "never", "--outputs-file", "fn"}),
                c("--state-dir is a file, with an endpoint", t -> new String[] {"deploy", "--app", "template.json", "--stack", "BadInputStack",
                        "--endpoint-url", t.ep(), "--require-approval", "never", "--state-dir", "state-file"}).expect("is a file"),
                c("--state-dir under a file", t -> new String[] {"invoke", "Fn", "--app", "template.json", "--stack", "BadInputStack",
                        "--endpoint-url", t.ep(), "--state-dir", "state-file/sub"}),
                c("--event with trailing garbage", t -> new String[] {"invoke", "Fn", "--app", "template.json", "--stack", "BadInputStack",
                        "--endpoint-url", t.ep(), "--event", "trailing-event.json"}).expect("not valid JSON"),
                c("--region typo", t -> new String[] {"deploy", "--app", "template.json", "--stack", "BadInputStack",
                        "--endpoint-url", t.ep(), "--region", "us-eest-1", "--require-approval", "never"}).expect("us-eest-1", "us-east-1"),
                env("AWS_REGION typo for synth", Map.of("AWS_REGION", "eu-wset-1"), "synth", "--app", "cdk-ok").expect("AWS_REGION", "eu-west-1"),
                env("credential_process that fails", Map.of("AWS_CONFIG_FILE", "failing-aws-config"),
                        "deploy", "--app", "template.json", "--profile", "broken", "--target", "aws").expect("profile 'broken'", "credential_process"),
                env("SSO profile", Map.of("AWS_CONFIG_FILE", "sso-aws-config"),
                        "deploy", "--app", "template.json", "--profile", "dev", "--target", "aws").expect("profile 'dev'", "export-credentials"),
                c("endpoint host that does not resolve", "deploy", "--app", "template.json",
                        "--endpoint-url", "http://livestack-no-such-host.invalid:4566", "--require-approval", "never").expect("livestack-no-such-host.invalid"),
                env("watch against AWS with two stacks and no terminal",
                        Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "not-a-real-secret"),
                        "watch", "--app", "cdk-two", "--target", "aws", "--no-logs").expect("ApiStack, DataStack", "--stack"),
                c("port 0 is fine but -1 is not", "local-cloud", "start", "--port", "-1"),
                c("empty --stack", "synth", "--app", "cdk-ok", "--stack", "")));
        return cases.stream().map(Arguments::of);
    }

    @Test
    void thereAreAtLeastThirtyKinds() {
        assertTrue(cases().count() >= 30);
    }

    /**
     * Line one what failed, line two what to do, exit 2, said once: exactly two lines on stderr, the first an
     * {@code error:} line that is not a raw exception, the second not an error line, and neither repeated anywhere.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void exitsTwoWithTwoLinesOnceAndLosesNothing(Case k) throws IOException {
        Path dir = app("case-" + k.name().replaceAll("[^a-z0-9]+", "-"));
        Map<String, String> env = new HashMap<>(Cli.cleanEnv());
        k.env().forEach((key, v) -> env.put(key, key.endsWith("_FILE") ? dir.resolve(v).toString() : v));
        Cli.Result r = Cli.run(dir, env, null, k.args().apply(this));
        assertEquals(2, r.exit(), r::toString);
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(2, lines.size(), () -> "not two lines on stderr: " + r);
        assertTrue(lines.get(0).startsWith("error: "), r::toString);
        assertFalse(lines.get(1).startsWith("error"), r::toString);
        String what = lines.get(0).substring("error: ".length());
        assertFalse(what.matches("[A-Z][A-Za-z]*(Exception|Error)\\b.*"), () -> "a raw exception: " + r);
        assertFalse(what.contains("Exception:"), () -> "a raw exception: " + r);
        String all = r.out() + "\n" + r.err();
        assertEquals(1, occurrences(all, what), () -> "said more than once: " + r);
        assertEquals(1, occurrences(all, lines.get(1)), () -> "said more than once: " + r);
        assertFalse(r.err().contains("\tat "), () -> "a stack trace without -v: " + r);
        for (String word : k.expect()) {
            assertTrue(r.err().contains(word), () -> "no '" + word + "' in: " + r);
        }
        assertEquals("{\"Resources\": {}}", Files.readString(dir.resolve(".livestack/state/Precious.template.json")));
        assertEquals("{\"Resources\": {}}", Files.readString(dir.resolve("cdk-ok/.livestack/state/Precious.template.json")));
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
