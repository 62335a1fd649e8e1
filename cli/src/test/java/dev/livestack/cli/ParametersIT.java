package dev.livestack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestack.localcloud.LocalCloud;
import dev.livestack.localcloud.LocalCloudConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.ssm.SsmClient;

/** {@code --parameters} in deploy and diff, remembered values, and hot-swaps resolving {@code Ref} to them, on local-cloud. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ParametersIT {
    private static final String STACK = "ParamsStack";
    private static final String SECRET = "hunter2-secret-value";
    private Path dir;
    private LocalCloud cloud;
    private Map<String, String> env;
    private CloudFormationClient cfn;
    private SsmClient ssm;

    @BeforeAll
    void setUp() throws IOException {
        dir = Files.createTempDirectory("livestack-params");
        cloud = LocalCloud.start(LocalCloudConfig.defaults(dir.resolve("cloud"), 0));
        env = Cli.cleanEnv();
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        cfn = CloudFormationClient.builder().region(Region.US_EAST_1).credentialsProvider(creds)
                .endpointOverride(cloud.endpoint()).build();
        ssm = SsmClient.builder().region(Region.US_EAST_1).credentialsProvider(creds)
                .endpointOverride(cloud.endpoint()).build();
        ssm.putParameter(b -> b.name("/app/colour").value("teal").type("String"));
        writeTemplate("one", "");
    }

    @AfterAll
    void tearDown() {
        cfn.close();
        ssm.close();
        cloud.close();
    }

    /** A function returning its environment; {@code extraEnv} adds variables (JSON members) to it. */
    private void writeTemplate(String word, String extraEnv) throws IOException {
        String code = ("exports.handler = async () => ({ word: '" + word + "', env: { STAGE: process.env.STAGE,"
                + " WHO: process.env.WHO || null, COLOUR: process.env.COLOUR || null } });\n")
                .replace("\"", "\\\"").replace("\n", "\\n");
        Files.writeString(dir.resolve("template.json"), """
                {"Parameters": {
                   "Stage": {"Type": "String"},
                   "Greeting": {"Type": "String", "Default": "hello"},
                   "Secret": {"Type": "String", "NoEcho": true, "Default": "none"},
                   "Colour": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/app/colour"}},
                 "Resources": {
                  "Fn": {"Type": "AWS::Lambda::Function",
                    "Properties": {"Runtime": "nodejs20.x", "Handler": "index.handler",
                      "Role": "arn:aws:iam::000000000000:role/r",
                      "Environment": {"Variables": {"STAGE": {"Ref": "Stage"}%s}},
                      "Code": {"ZipFile": "%s"}}}},
                 "Outputs": {"StageOut": {"Value": {"Ref": "Stage"}},
                             "GreetingOut": {"Value": {"Ref": "Greeting"}}}}
                """.formatted(extraEnv, code));
    }

    private Cli.Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--app", "template.json", "--stack", STACK, "--endpoint-url", cloud.endpoint().toString()));
        return Cli.run(dir, env, null, all.toArray(String[]::new));
    }

    private static JsonNode event(Cli.Result r, String type) {
        return r.events().stream().filter(e -> e.path("type").asText().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " in " + r));
    }

    private boolean deployed() {
        return cfn.listStacks().stackSummaries().stream()
                .anyMatch(s -> s.stackName().equals(STACK) && !s.stackStatusAsString().equals("DELETE_COMPLETE"));
    }

    private Stack stack() {
        return cfn.describeStacks(b -> b.stackName(STACK)).stacks().get(0);
    }

    private String output(String key) {
        return stack().outputs().stream().filter(o -> o.outputKey().equals(key)).findFirst().orElseThrow().outputValue();
    }

    private String parameter(String key) {
        return stack().parameters().stream().filter(p -> p.parameterKey().equals(key)).findFirst()
                .map(Parameter::parameterValue).orElseThrow();
    }

    @Test
    @Order(1)
    void malformedOrUnknownParametersAreBadInputAndDeployNothing() {
        Cli.Result noEquals = cli("deploy", "--ci", "--parameters", "Stage");
        assertEquals(2, noEquals.exit(), noEquals::toString);
        assertTrue(noEquals.err().contains("--parameters 'Stage' has no '='"), noEquals::toString);
        assertTrue(noEquals.err().contains("STACK:KEY=VALUE"), noEquals::toString);
        for (Cli.Result r : List.of(noEquals)) {
            List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
            assertEquals(2, lines.size(), r::toString);
            assertTrue(lines.get(0).startsWith("error: ") && !lines.get(1).startsWith("error"), r::toString);
        }

        Cli.Result noStack = cli("deploy", "--ci", "--parameters", "Other:Stage=x");
        assertEquals(2, noStack.exit(), noStack::toString);
        assertTrue(noStack.err().contains("the app has no stack Other"), noStack::toString);

        Cli.Result noKey = cli("deploy", "--ci", "--parameters", "Stage=dev", "--parameters", "Stag=dev");
        assertEquals(2, noKey.exit(), noKey::toString);
        assertTrue(noKey.err().contains("no selected stack has a parameter Stag"), noKey::toString);

        Cli.Result noKeyInStack = cli("deploy", "--ci", "--parameters", STACK + ":stage=dev");
        assertEquals(2, noKeyInStack.exit(), noKeyInStack::toString);
        assertTrue(noKeyInStack.err().contains("stack " + STACK + " has no parameter stage"), noKeyInStack::toString);

        Cli.Result badName = cli("diff", "--parameters", "St-age=dev");
        assertEquals(2, badName.exit(), badName::toString);
        for (Cli.Result r : List.of(noStack, noKey, noKeyInStack, badName)) {
            List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
            assertEquals(2, lines.size(), r::toString);
            assertTrue(lines.get(0).startsWith("error: --parameters ") && !lines.get(1).startsWith("error"), r::toString);
        }
        assertFalse(deployed());
    }

    @Test
    @Order(2)
    void aFirstDeployWithoutAValueForAParameterWithoutDefaultFailsClearly() {
        Cli.Result r = cli("deploy", "--ci");
        assertEquals(1, r.exit(), r::toString);
        String text = r.out() + r.err();
        assertTrue(text.contains("Parameters: [Stage] must have values"), r::toString);
        assertTrue(text.contains("--parameters Stage=VALUE"), r::toString);
        assertFalse(text.contains("Exception"), r::toString);
        assertFalse(deployed());
    }

    @Test
    @Order(3)
    void theValuesGivenAreDeployedAndSecretsNeverPrinted() {
        Cli.Result r = cli("deploy", "--ci", "--output", "json", "--parameters", "Stage=dev=blue",
                "--parameters", "Secret=" + SECRET);
        assertEquals(0, r.exit(), r::toString);
        JsonNode params = event(r, "changeset.created").path("summary").path("parameters");
        assertEquals("dev=blue", params.path("Stage").asText(), r::toString);
        assertEquals("****", params.path("Secret").asText(), r::toString);
        assertFalse(r.out().contains(SECRET) || r.err().contains(SECRET), r::toString);
        assertEquals("dev=blue", output("StageOut"));
        assertEquals("hello", output("GreetingOut"));
    }

    @Test
    @Order(4)
    void aLaterDeployWithoutParametersKeepsTheirPreviousValues() throws IOException {
        Cli.Result greet = cli("deploy", "--ci", "--parameters", "Greeting=hi");
        assertEquals(0, greet.exit(), greet::toString);
        assertEquals("hi", output("GreetingOut"));

        writeTemplate("two", "");
        Cli.Result r = cli("deploy", "--ci", "--output", "json");
        assertEquals(0, r.exit(), r::toString);
        JsonNode params = event(r, "changeset.created").path("summary").path("parameters");
        assertEquals("(previous value)", params.path("Stage").asText(), r::toString);
        assertEquals("dev=blue", output("StageOut"));
        // a parameter with a Default keeps its previous value too, as the CDK CLI passes it
        assertEquals("hi", output("GreetingOut"));
        assertEquals("/app/colour", parameter("Colour"));
    }

    @Test
    @Order(5)
    void diffShowsParameterChangesWithSecretsMasked() {
        Cli.Result same = cli("diff", "--output", "json");
        assertEquals(0, same.exit(), same::toString);
        assertFalse(event(same, "diff").path("changes").toString().contains("Parameter"), same::toString);

        Cli.Result r = cli("diff", "--output", "json", "--parameters", "Stage=qa", "--parameters", "Secret=other-" + SECRET);
        assertEquals(0, r.exit(), r::toString);
        String changes = event(r, "diff").path("changes").toString();
        assertTrue(changes.contains("[~] Parameter Stage: dev=blue -> qa"), r::toString);
        assertTrue(changes.contains("[~] Parameter Secret: **** -> ****"), r::toString);
        assertFalse(r.out().contains(SECRET), r::toString);
        assertEquals("dev=blue", output("StageOut"), "diff deploys nothing");
    }

    @Test
    @Order(6)
    void theStackQualifiedFormSetsThatStacksValue() {
        Cli.Result r = cli("deploy", "--ci", "--parameters", STACK + ":Stage=prod");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("prod", output("StageOut"));
    }

    @Test
    @Order(7)
    void aHotswapResolvesRefToTheDeployedParameterValues() throws IOException {
        writeTemplate("three", ", \"WHO\": {\"Fn::Join\": [\"-\", [{\"Ref\": \"Stage\"}, \"three\"]]},"
                + " \"COLOUR\": {\"Ref\": \"Colour\"}");
        Cli.Result swap = cli("deploy", "--mode", "hotswap", "--output", "json");
        assertEquals(0, swap.exit(), swap::toString);
        event(swap, "hotswap.applied");
        assertTrue(swap.events().stream().noneMatch(e -> e.path("type").asText().equals("hotswap.skipped")), swap::toString);
        Cli.Result inv = cli("invoke", "Fn", "--output", "json");
        JsonNode result = event(inv, "invoke.result").path("result");
        assertEquals("three", result.path("word").asText(), inv::toString);
        assertEquals("prod", result.path("env").path("STAGE").asText(), inv::toString);
        assertEquals("prod-three", result.path("env").path("WHO").asText(), inv::toString);
        // an SSM parameter type resolves to the parameter store's value, as CloudFormation resolved it
        assertEquals("teal", result.path("env").path("COLOUR").asText(), inv::toString);

        // a new value cannot be hot-swapped: hotswap mode says so, fallback mode deploys a change set
        Cli.Result hot = cli("deploy", "--mode", "hotswap", "--output", "json", "--parameters", "Stage=staging");
        assertEquals(0, hot.exit(), hot::toString);
        assertTrue(event(hot, "hotswap.skipped").path("reason").asText().contains("parameter Stage has a new value"), hot::toString);
        assertEquals("prod", output("StageOut"));
        Cli.Result fallback = cli("deploy", "--mode", "fallback", "--output", "json", "--parameters", "Stage=staging");
        assertEquals(0, fallback.exit(), fallback::toString);
        event(fallback, "changeset.executed");
        assertEquals("staging", output("StageOut"));
    }
}
