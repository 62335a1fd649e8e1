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
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input, table-driven: every case exits 2 with a short message (what failed, then what to do),
 * and nothing under the app's {@code .livestack/} is lost.
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
        Path state = dir.resolve(".livestack/state");
        Files.createDirectories(state);
        Files.writeString(state.resolve("Precious.template.json"), "{\"Resources\": {}}");
        Files.createDirectories(dir.resolve("cdk-ok/.livestack/state"));
        Files.writeString(dir.resolve("cdk-ok/.livestack/state/Precious.template.json"), "{\"Resources\": {}}");
        return dir;
    }

    record Case(String name, Function<BadInputIT, String[]> args, Map<String, String> env) {
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
                c("invoke without an action", "invoke")));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exitsTwoWithAShortMessageAndLosesNothing(Case k) throws IOException {
        Path dir = app("case-" + k.name().replaceAll("[^a-z0-9]+", "-"));
        Map<String, String> env = new HashMap<>(Cli.cleanEnv());
        env.putAll(k.env());
        Cli.Result r = Cli.run(dir, env, null, k.args().apply(this));
        assertEquals(2, r.exit(), r::toString);
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertFalse(lines.isEmpty(), r::toString);
        assertTrue(lines.size() <= 40, () -> "too long: " + r);
        assertFalse(r.err().contains("\tat "), () -> "a stack trace without -v: " + r);
        assertEquals("{\"Resources\": {}}", Files.readString(dir.resolve(".livestack/state/Precious.template.json")));
        assertEquals("{\"Resources\": {}}", Files.readString(dir.resolve("cdk-ok/.livestack/state/Precious.template.json")));
    }
}
