package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestack.localcloud.core.StateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** What a crash or a damaged file leaves behind: temp files, unreadable records, torn log lines, long names. */
class DurabilityIT {
    @TempDir
    Path state;

    static final String TEMPLATE = """
            Resources:
              Q:
                Type: AWS::SQS::Queue
            """;

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void temporaryFilesACrashLeftAreRemovedOnStart() throws Exception {
        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0))) {
            new Cfn(Sdk.cloudFormation(cloud.endpoint())).deploy("one", TEMPLATE);
        }
        Path stacks = state.resolve("cloudformation/stacks");
        Files.writeString(stacks.resolve(".abc.json123456.tmp"), "{\"half");
        Files.writeString(stacks.resolve(".987.livestack-tmp"), "{\"half");
        // lambda/run and lambda/runtimes hold files local-cloud did not name (users' code, runtime bootstraps)
        Path code = Files.createDirectories(state.resolve("lambda/runtimes"));
        Files.writeString(code.resolve(".user.tmp"), "not ours to sweep");
        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0))) {
            assertEquals(List.of(), files(stacks).stream().filter(p -> p.getFileName().toString().startsWith(".")).toList());
            assertTrue(Files.exists(code.resolve(".user.tmp")), "only our own temporary files are swept");
        }
    }

    @Test
    void anUnreadableRecordIsQuarantinedAndTheRestIsServed() throws Exception {
        String kept;
        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0))) {
            Cfn cfn = new Cfn(Sdk.cloudFormation(cloud.endpoint()));
            kept = cfn.deploy("kept", TEMPLATE).stackId();
            cfn.deploy("broken", TEMPLATE);
            try (var ssm = Sdk.ssm(cloud.endpoint())) {
                ssm.putParameter(b -> b.name("/p").value("v").type(ParameterType.STRING));
            }
            cfn.client.close();
        }
        Path stacks = state.resolve("cloudformation/stacks");
        Path broken = files(stacks).stream().filter(p -> !p.toString().contains(kept.substring(kept.lastIndexOf('/') + 1)))
                .findFirst().orElseThrow();
        Files.writeString(broken, "{\"stackId\": \"arn:aws:cloudformation:us-east-1:0000");
        Files.writeString(state.resolve("ssm/parameters.json"), "");

        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0))) {
            Cfn cfn = new Cfn(Sdk.cloudFormation(cloud.endpoint()));
            assertEquals("CREATE_COMPLETE", cfn.client.describeStacks(b -> b.stackName("kept")).stacks().get(0).stackStatusAsString());
            CloudFormationException gone = org.junit.jupiter.api.Assertions.assertThrows(CloudFormationException.class,
                    () -> cfn.client.describeStacks(b -> b.stackName("broken")));
            assertEquals("ValidationError", gone.awsErrorDetails().errorCode());
            // still writable: a new stack by the quarantined one's name, a new parameter
            assertEquals("CREATE_COMPLETE", cfn.deploy("broken", TEMPLATE).stackStatusAsString());
            try (var ssm = Sdk.ssm(cloud.endpoint())) {
                ssm.putParameter(b -> b.name("/q").value("w").type(ParameterType.STRING));
            }
            cfn.client.close();
        }
        Path quarantine = state.resolve("quarantine");
        List<String> names = files(quarantine).stream().map(p -> p.getFileName().toString()).sorted().toList();
        assertEquals(List.of("cloudformation__stacks__" + broken.getFileName(), "ssm__parameters.json"), names);
        assertEquals("{\"stackId\": \"arn:aws:cloudformation:us-east-1:0000",
                Files.readString(quarantine.resolve("cloudformation__stacks__" + broken.getFileName())));
    }

    @Test
    void recordsOfTheWrongShapeAreQuarantinedAndSaidSo() throws Exception {
        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0));
             CloudWatchLogsClient logs = LambdaFixtures.logs(cloud.endpoint())) {
            new Cfn(Sdk.cloudFormation(cloud.endpoint())).deploy("kept", TEMPLATE);
            logs.createLogGroup(b -> b.logGroupName("kept"));
            logs.createLogGroup(b -> b.logGroupName("bad"));
            logs.createLogStream(b -> b.logGroupName("kept").logStreamName("bad-stream"));
        }
        // valid JSON, but not what each service stores
        Files.writeString(state.resolve("ssm/parameters.json"), "[1]");
        Files.createDirectories(state.resolve("sts"));
        Files.writeString(state.resolve("sts/sessions.json"), "{\"a\": 1}");
        Files.createDirectories(state.resolve("s3"));
        Files.writeString(state.resolve("s3/index.json"), "[]");
        Files.createDirectories(state.resolve("states"));
        Files.writeString(state.resolve("states/state-machines.json"), "{\"x\": 1}");
        Files.createDirectories(state.resolve("lambda/functions"));
        Files.writeString(state.resolve("lambda/functions/f.json"), "{\"name\": 3}");
        Files.writeString(state.resolve("cloudformation/stacks/x.json"), "[]");
        Path badGroup = files(state.resolve("logs")).stream().filter(p -> p.endsWith("group.json"))
                .filter(p -> Files.isRegularFile(p) && readQuietly(p).contains("\"bad\"")).findFirst().orElseThrow();
        Files.writeString(badGroup, "{\"logGroupName\": 7}");
        Path badMeta = files(state.resolve("logs")).stream().filter(p -> p.toString().endsWith(".meta.json")).findFirst().orElseThrow();
        Files.writeString(badMeta, "{}");

        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("dev.livestack.localcloud");
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                warnings.add(java.text.MessageFormat.format(r.getMessage(), r.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(handler);
        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0));
             CloudWatchLogsClient logs = LambdaFixtures.logs(cloud.endpoint())) {
            Cfn cfn = new Cfn(Sdk.cloudFormation(cloud.endpoint()));
            assertEquals("CREATE_COMPLETE", cfn.client.describeStacks(b -> b.stackName("kept")).stacks().get(0).stackStatusAsString());
            assertEquals(List.of("kept"), logs.describeLogGroups().logGroups().stream().map(g -> g.logGroupName()).toList());
            assertEquals(List.of(), logs.describeLogStreams(b -> b.logGroupName("kept")).logStreams());
            try (var ssm = Sdk.ssm(cloud.endpoint()); var s3 = Sdk.s3(cloud.endpoint())) {
                ssm.putParameter(b -> b.name("/after").value("v").type(ParameterType.STRING));
                s3.createBucket(b -> b.bucket("after"));
            }
            cfn.client.close();
        } finally {
            jul.removeHandler(handler);
        }
        try (Stream<Path> q = Files.list(state.resolve("quarantine"))) {
            List<String> names = q.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(8, names.size(), names.toString());
            assertTrue(names.containsAll(List.of("cloudformation__stacks__x.json", "lambda__functions__f.json", "s3__index.json",
                    "ssm__parameters.json", "states__state-machines.json", "sts__sessions.json")), names.toString());
        }
        assertEquals(8, warnings.size(), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("lambda/functions/f.json") && w.contains("quarantine")), warnings.toString());
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void aStoreThatCannotMoveItsTempFileIntoPlaceLeavesNoneBehind() throws Exception {
        StateStore store = new StateStore(state);
        Path target = Files.createDirectories(state.resolve("x/record.json"));
        Files.writeString(target.resolve("inside"), "a folder in the way makes the rename fail");
        org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class,
                () -> store.writeBytes(target, "{}".getBytes(StandardCharsets.UTF_8)));
        try (Stream<Path> left = Files.list(state.resolve("x"))) {
            assertEquals(List.of(target), left.toList());
        }
        store.writeBytes(state.resolve("x/other.json"), "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals("{}", Files.readString(state.resolve("x/other.json")));
    }

    private static void put(CloudWatchLogsClient logs, String group, String stream, String... messages) {
        long now = System.currentTimeMillis();
        logs.putLogEvents(b -> b.logGroupName(group).logStreamName(stream).logEvents(
                Stream.of(messages).map(m -> InputLogEvent.builder().timestamp(now).message(m).build()).toList()));
    }

    private static List<String> messages(CloudWatchLogsClient logs, String group, String stream) {
        return logs.getLogEvents(b -> b.logGroupName(group).logStreamName(stream).startFromHead(true)).events().stream()
                .map(OutputLogEvent::message).toList();
    }

    @Test
    void anAppendAfterATornLastLineStartsOnANewLineAndSurvivesAReload() throws Exception {
        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0));
             CloudWatchLogsClient logs = LambdaFixtures.logs(cloud.endpoint())) {
            logs.createLogGroup(b -> b.logGroupName("g"));
            logs.createLogStream(b -> b.logGroupName("g").logStreamName("s"));
            put(logs, "g", "s", "one", "two");
        }
        Path events = files(state.resolve("logs")).stream().filter(p -> p.toString().endsWith(".jsonl")).findFirst().orElseThrow();
        // what a crash in the middle of an append leaves: half a line, no newline
        Files.writeString(events, "{\"t\":1,\"i\":1,\"s\":2,\"m\":\"thr", StandardOpenOption.APPEND);
        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0));
             CloudWatchLogsClient logs = LambdaFixtures.logs(cloud.endpoint())) {
            assertEquals(List.of("one", "two"), messages(logs, "g", "s"));
            put(logs, "g", "s", "four");
            put(logs, "g", "s", "five");
            assertEquals(List.of("one", "two", "four", "five"), messages(logs, "g", "s"));
        }
        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0));
             CloudWatchLogsClient logs = LambdaFixtures.logs(cloud.endpoint())) {
            assertEquals(List.of("one", "two", "four", "five"), messages(logs, "g", "s"));
        }
    }

    @Test
    void logGroupsAndStreamsWithTheLongestNamesArePersisted() throws Exception {
        // 512 characters is the API's limit for both; once encoded they exceed a file name's 255 bytes
        String group = "/aws/lambda/" + "g".repeat(500);
        String stream = "2026/12/05/[$LATEST]" + "é".repeat(492);
        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0));
             CloudWatchLogsClient logs = LambdaFixtures.logs(cloud.endpoint())) {
            logs.createLogGroup(b -> b.logGroupName(group));
            logs.createLogStream(b -> b.logGroupName(group).logStreamName(stream));
            put(logs, group, stream, "kept");
        }
        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0));
             CloudWatchLogsClient logs = LambdaFixtures.logs(cloud.endpoint())) {
            assertEquals(List.of("kept"), messages(logs, group, stream));
            assertEquals(stream, logs.describeLogStreams(b -> b.logGroupName(group)).logStreams().get(0).logStreamName());
            logs.deleteLogGroup(b -> b.logGroupName(group));
        }
        assertFalse(files(state.resolve("logs")).stream().anyMatch(p -> p.toString().contains("group.json")));
    }

    @Test
    void logsAnOlderLocalCloudStoredUnderBase64NamesStillLoad() throws Exception {
        // the layout before names were hashed: folders and files named by base64url of the name
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        Path group = state.resolve("logs").resolve(b64.encodeToString("old".getBytes(StandardCharsets.UTF_8)));
        Path streams = Files.createDirectories(group.resolve("streams"));
        Files.writeString(group.resolve("group.json"), "{\"logGroupName\":\"old\",\"creationTime\":1}");
        String base = b64.encodeToString("s".getBytes(StandardCharsets.UTF_8));
        Files.writeString(streams.resolve(base + ".meta.json"), "{\"logStreamName\":\"s\",\"creationTime\":1}");
        Files.writeString(streams.resolve(base + ".jsonl"), "{\"t\":1,\"i\":1,\"s\":0,\"m\":\"before\"}\n");
        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0));
             CloudWatchLogsClient logs = LambdaFixtures.logs(cloud.endpoint())) {
            put(logs, "old", "s", "after");
            assertEquals(List.of("before", "after"), messages(logs, "old", "s"));
        }
        assertEquals(2, Files.readAllLines(streams.resolve(base + ".jsonl")).size());
    }
}
