package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Lambda and Logs driven by clients nobody here wrote: the AWS CLI v2 and boto3. */
class LambdaCliIT {
    static final Path AWS_CLI_V2 = Path.of("/usr/bin/aws");
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static LocalCloud cloud;

    @BeforeAll
    static void start() throws Exception {
        cloud = LambdaFixtures.start(dir.resolve("state"));
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    record Run(int exit, String out, String err) {
    }

    static Run run(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().put("AWS_ACCESS_KEY_ID", "test");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "test");
        pb.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        pb.environment().put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
        pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
        pb.environment().put("AWS_PAGER", "");
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "client finished: " + command);
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    static List<String> aws(String... args) {
        List<String> c = new ArrayList<>(List.of(AWS_CLI_V2.toString(), "--endpoint-url", cloud.endpoint().toString(), "--output", "json"));
        c.addAll(List.of(args));
        return c;
    }

    @Test
    void awsCliV2InvokesAndFiltersLogs() throws Exception {
        assumeTrue(Files.isExecutable(AWS_CLI_V2), "AWS CLI v2 (apt awscli) is installed by .ci/run");
        Run version = run(List.of(AWS_CLI_V2.toString(), "--version"));
        assumeTrue(version.out().startsWith("aws-cli/2"), "needs CLI v2: " + version.out());
        try (LambdaClient lambda = LambdaFixtures.lambda(cloud.endpoint())) {
            LambdaFixtures.create(lambda, "cli-fn", Runtime.NODEJS20_X,
                    "exports.handler = async (e) => { console.log('cli says', e.who); return { hi: e.who }; };");
        }
        Run invoke = run(aws("lambda", "invoke", "--function-name", "cli-fn", "--cli-binary-format", "raw-in-base64-out",
                "--payload", "{\"who\":\"cli\"}", "--log-type", "Tail", "result.json"));
        assertEquals(0, invoke.exit(), invoke.err());
        JsonNode meta = JSON.readTree(invoke.out());
        assertEquals(200, meta.get("StatusCode").asInt());
        assertEquals("$LATEST", meta.get("ExecutedVersion").asText());
        String tail = new String(Base64.getDecoder().decode(meta.get("LogResult").asText()), StandardCharsets.UTF_8);
        assertTrue(tail.contains("\tINFO\tcli says cli\n") && tail.contains("REPORT RequestId: "), tail);
        assertEquals("{\"hi\":\"cli\"}", Files.readString(dir.resolve("result.json")));

        Run filter = run(aws("logs", "filter-log-events", "--log-group-name", "/aws/lambda/cli-fn", "--filter-pattern", "\"cli says\""));
        assertEquals(0, filter.exit(), filter.err());
        JsonNode events = JSON.readTree(filter.out()).get("events");
        assertEquals(1, events.size());
        assertTrue(events.get(0).get("message").asText().endsWith("\tINFO\tcli says cli"));

        Run missing = run(aws("lambda", "get-function", "--function-name", "nope"));
        assertNotEquals(0, missing.exit());
        assertTrue(missing.err().contains("An error occurred (ResourceNotFoundException) when calling the GetFunction operation: "
                + "Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope"), missing.err());
        Run noGroup = run(aws("logs", "filter-log-events", "--log-group-name", "/nope"));
        assertTrue(noGroup.err().contains("(ResourceNotFoundException) when calling the FilterLogEvents operation: "
                + "The specified log group does not exist."), noGroup.err());
    }

    static final String BOTO3_LIVE_TAIL = String.join("\n",
            "import boto3, json, sys, threading, time",
            "from botocore.config import Config",
            "kw = dict(endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')",
            "logs = boto3.client('logs', config=Config(inject_host_prefix=False), **kw)",
            "logs.create_log_group(logGroupName='/boto/tail')",
            "logs.create_log_stream(logGroupName='/boto/tail', logStreamName='s')",
            "r = logs.start_live_tail(logGroupIdentifiers=['arn:aws:logs:us-east-1:000000000000:log-group:/boto/tail'])",
            "out = {'messages': [], 'events': []}",
            "def put():",
            "    time.sleep(0.2)",
            "    logs.put_log_events(logGroupName='/boto/tail', logStreamName='s',",
            "        logEvents=[{'timestamp': int(time.time() * 1000), 'message': m} for m in ('one', 'two')])",
            "threading.Thread(target=put, daemon=True).start()",
            "try:",
            "    for ev in r['responseStream']:",
            "        out['events'].append(list(ev.keys())[0])",
            "        for res in ev.get('sessionUpdate', {}).get('sessionResults', []):",
            "            out['messages'].append(res['message'])",
            "except Exception as e:  # botocore raises EventStreamError carrying the modelled exception's code",
            "    out['error'] = getattr(e, 'response', {}).get('Error', {}).get('Code', type(e).__name__)",
            "print(json.dumps(out))");

    @Test
    void boto3LiveTailReadsTheEventStream() throws Exception {
        // the image's Python has boto3; Debian's python3-boto3 serves /usr/bin/python3
        String python = null;
        for (String candidate : List.of("python3", "/usr/bin/python3")) {
            if (python == null && run(List.of(candidate, "-c", "import boto3")).exit() == 0) {
                python = candidate;
            }
        }
        assumeTrue(python != null, "boto3 on the image's Python or Debian's python3-boto3");
        LambdaFixtures.settings(cloud, "{\"liveTailLimitMillis\": 2500}");
        try {
            Run r = run(List.of(python, "-c", BOTO3_LIVE_TAIL, cloud.endpoint().toString()));
            assertEquals(0, r.exit(), r.err());
            JsonNode out = JSON.readTree(r.out());
            assertEquals("sessionStart", out.get("events").get(0).asText());
            assertEquals(List.of("one", "two"), List.of(out.get("messages").get(0).asText(), out.get("messages").get(1).asText()));
            assertEquals(2, out.get("messages").size());
            assertEquals("SessionTimeoutException", out.get("error").asText(), r.out());
        } finally {
            LambdaFixtures.settings(cloud, "{\"liveTailLimitMillis\": 10800000}");
        }
    }
}
