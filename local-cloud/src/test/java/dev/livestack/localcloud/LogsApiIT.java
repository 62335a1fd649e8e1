package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.LiveTailSessionLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.LiveTailSessionStart;
import software.amazon.awssdk.services.cloudwatchlogs.model.LiveTailSessionUpdate;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatchlogs.model.SessionTimeoutException;
import software.amazon.awssdk.services.cloudwatchlogs.model.StartLiveTailResponseHandler;

/** CloudWatch Logs through the real AWS SDK v2, sync and async (Live Tail's event stream). */
class LogsApiIT {
    @RegisterExtension
    static final LocalCloudFixture cloud = new LocalCloudFixture();
    static CloudWatchLogsClient logs;

    @BeforeAll
    static void start() throws Exception {
        logs = cloud.closeAfter(LambdaFixtures.logs(cloud.endpoint()));
    }

    static void put(String group, String stream, long ts, String... messages) {
        List<InputLogEvent> events = new ArrayList<>();
        for (String m : messages) {
            events.add(InputLogEvent.builder().timestamp(ts).message(m).build());
        }
        logs.putLogEvents(b -> b.logGroupName(group).logStreamName(stream).logEvents(events));
    }

    @Test
    void groupsStreamsAndEventsWithAwsErrors() {
        logs.createLogGroup(b -> b.logGroupName("/app/one"));
        ResourceAlreadyExistsException dup = assertThrows(ResourceAlreadyExistsException.class,
                () -> logs.createLogGroup(b -> b.logGroupName("/app/one")));
        assertEquals("The specified log group already exists", dup.awsErrorDetails().errorMessage());
        assertEquals(1, logs.describeLogGroups(b -> b.logGroupNamePrefix("/app/on")).logGroups().size());
        assertEquals("arn:aws:logs:us-east-1:000000000000:log-group:/app/one:*",
                logs.describeLogGroups(b -> b.logGroupNamePrefix("/app/one")).logGroups().get(0).arn());
        ResourceNotFoundException nf = assertThrows(ResourceNotFoundException.class,
                () -> logs.filterLogEvents(b -> b.logGroupName("/app/missing")));
        assertEquals("The specified log group does not exist.", nf.awsErrorDetails().errorMessage());
        assertThrows(ResourceNotFoundException.class, () -> logs.createLogStream(b -> b.logGroupName("/app/missing").logStreamName("s")));
        logs.createLogStream(b -> b.logGroupName("/app/one").logStreamName("s1"));
        ResourceNotFoundException ns = assertThrows(ResourceNotFoundException.class, () -> put("/app/one", "nope", 1L, "x"));
        assertEquals("The specified log stream does not exist.", ns.awsErrorDetails().errorMessage());
        long now = System.currentTimeMillis();
        put("/app/one", "s1", now, "first", "second");
        InvalidParameterException order = assertThrows(InvalidParameterException.class, () -> logs.putLogEvents(b -> b
                .logGroupName("/app/one").logStreamName("s1").logEvents(
                        InputLogEvent.builder().timestamp(now).message("b").build(),
                        InputLogEvent.builder().timestamp(now - 5).message("a").build())));
        assertEquals("Log events in a single PutLogEvents request must be in chronological order.", order.awsErrorDetails().errorMessage());
        GetLogEventsResponse got = logs.getLogEvents(b -> b.logGroupName("/app/one").logStreamName("s1").startFromHead(true));
        assertEquals(List.of("first", "second"), got.events().stream().map(e -> e.message()).collect(Collectors.toList()));
        GetLogEventsResponse next = logs.getLogEvents(b -> b.logGroupName("/app/one").logStreamName("s1")
                .nextToken(got.nextForwardToken()));
        assertTrue(next.events().isEmpty());
        assertEquals(got.nextForwardToken(), next.nextForwardToken(), "the forward token stays put at the end of the stream");
        var stream = logs.describeLogStreams(b -> b.logGroupName("/app/one")).logStreams().get(0);
        assertEquals(now, stream.firstEventTimestamp());
        assertEquals(now, stream.lastEventTimestamp());
        logs.deleteLogStream(b -> b.logGroupName("/app/one").logStreamName("s1"));
        assertTrue(logs.describeLogStreams(b -> b.logGroupName("/app/one")).logStreams().isEmpty());
        logs.deleteLogGroup(b -> b.logGroupName("/app/one"));
        assertThrows(ResourceNotFoundException.class, () -> logs.describeLogStreams(b -> b.logGroupName("/app/one")));
    }

    @Test
    void filterInterleavesStreamsPagesAndMatchesPatterns() {
        logs.createLogGroup(b -> b.logGroupName("/app/filter"));
        logs.createLogStream(b -> b.logGroupName("/app/filter").logStreamName("a"));
        logs.createLogStream(b -> b.logGroupName("/app/filter").logStreamName("b"));
        long base = System.currentTimeMillis() - 60_000;
        for (int i = 0; i < 25; i++) {
            String stream = i % 2 == 0 ? "a" : "b";
            String level = i % 5 == 0 ? "ERROR" : "INFO";
            put("/app/filter", stream, base + i, level + " event " + i + " {\"n\":" + i + "}");
        }
        List<FilteredLogEvent> all = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            FilterLogEventsResponse page = logs.filterLogEvents(b -> b.logGroupName("/app/filter").limit(10).nextToken(t));
            all.addAll(page.events());
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertEquals(3, pages);
        assertEquals(25, all.size());
        for (int i = 0; i < 25; i++) {
            assertTrue(all.get(i).message().contains("event " + i + " "), "interleaved by time: " + all.get(i).message());
            assertEquals(i % 2 == 0 ? "a" : "b", all.get(i).logStreamName());
        }
        Set<String> ids = all.stream().map(FilteredLogEvent::eventId).collect(Collectors.toSet());
        assertEquals(25, ids.size());
        assertTrue(ids.stream().allMatch(id -> id.matches("\\d{56}")));
        assertEquals(ids, logs.filterLogEvents(b -> b.logGroupName("/app/filter")).events().stream()
                .map(FilteredLogEvent::eventId).collect(Collectors.toSet()), "event ids are stable");

        assertEquals(5, filter("ERROR").size());
        assertEquals(20, filter("INFO -ERROR").size());
        assertEquals(6, filter("?\"event 1 \" ?ERROR").size());
        assertEquals(3, filter("{ $.n > 21 }").size());
        assertEquals(List.of("a"), logs.filterLogEvents(b -> b.logGroupName("/app/filter").logStreamNames("a")).events().stream()
                .map(FilteredLogEvent::logStreamName).distinct().collect(Collectors.toList()));
        assertEquals(3, logs.filterLogEvents(b -> b.logGroupName("/app/filter").startTime(base + 10).endTime(base + 12))
                .events().size(), "startTime and endTime are inclusive");
        assertThrows(InvalidParameterException.class, () -> filter("{ $.n > }"));
    }

    static List<FilteredLogEvent> filter(String pattern) {
        return logs.filterLogEvents(b -> b.logGroupName("/app/filter").filterPattern(pattern)).events();
    }

    @Test
    void liveTailStreamsNewEventsThenTimesOut() throws Exception {
        logs.createLogGroup(b -> b.logGroupName("/app/tail"));
        logs.createLogStream(b -> b.logGroupName("/app/tail").logStreamName("s"));
        LambdaFixtures.settings(cloud.get(), "{\"liveTailLimitMillis\": 3000}");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch received = new CountDownLatch(2);
        List<LiveTailSessionLogEvent> events = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        StartLiveTailResponseHandler handler = StartLiveTailResponseHandler.builder()
                .onError(errors::add)
                .subscriber(e -> {
                    if (e instanceof LiveTailSessionStart) {
                        started.countDown();
                    } else if (e instanceof LiveTailSessionUpdate u) {
                        for (LiveTailSessionLogEvent l : u.sessionResults()) {
                            events.add(l);
                            received.countDown();
                        }
                    }
                })
                .build();
        try (CloudWatchLogsAsyncClient async = LambdaFixtures.logsAsync(cloud.endpoint())) {
            CompletableFuture<Void> done = async.startLiveTail(b -> b
                    .logGroupIdentifiers("arn:aws:logs:us-east-1:000000000000:log-group:/app/tail")
                    .logEventFilterPattern("-skip"), handler);
            assertTrue(started.await(10, TimeUnit.SECONDS), "sessionStart arrives");
            put("/app/tail", "s", System.currentTimeMillis(), "hello tail", "skip me", "second line");
            assertTrue(received.await(10, TimeUnit.SECONDS), "the events arrive in sessionUpdates");
            ExecutionException end = assertThrows(ExecutionException.class, () -> done.get(20, TimeUnit.SECONDS));
            assertInstanceOf(SessionTimeoutException.class, end.getCause());
        } finally {
            LambdaFixtures.settings(cloud.get(), "{\"liveTailLimitMillis\": 10800000}");
        }
        assertEquals(List.of("hello tail", "second line"), events.stream().map(LiveTailSessionLogEvent::message).collect(Collectors.toList()));
        assertEquals("s", events.get(0).logStreamName());
        assertFalse(errors.isEmpty());
    }

    @Test
    void liveTailOfAMissingGroupIsNotFound() {
        try (CloudWatchLogsAsyncClient async = LambdaFixtures.logsAsync(cloud.endpoint())) {
            StartLiveTailResponseHandler handler = StartLiveTailResponseHandler.builder().subscriber(e -> { }).build();
            ExecutionException e = assertThrows(ExecutionException.class, () -> async.startLiveTail(b -> b
                    .logGroupIdentifiers("arn:aws:logs:us-east-1:000000000000:log-group:/nope"), handler).get(10, TimeUnit.SECONDS));
            assertInstanceOf(ResourceNotFoundException.class, e.getCause());
        }
    }

    @Test
    void theTestControlsResetForgetsFunctionsAndLogs() throws Exception {
        Path other = cloud.state().resolve("reset");
        try (LocalCloud c = LambdaFixtures.start(other); CloudWatchLogsClient l = LambdaFixtures.logs(c.endpoint());
             software.amazon.awssdk.services.lambda.LambdaClient lambda = LambdaFixtures.lambda(c.endpoint())) {
            LambdaFixtures.create(lambda, "gone", software.amazon.awssdk.services.lambda.model.Runtime.NODEJS20_X,
                    "exports.handler = async () => { console.log('bye'); return 1; };");
            lambda.invoke(b -> b.functionName("gone"));
            assertEquals(1, l.describeLogGroups().logGroups().size());
            var reset = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    c.endpoint().resolve("/_localcloud/reset"))
                    .header(LocalCloud.ADMIN_TOKEN_HEADER, TestControls.adminToken(other)).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, reset.statusCode(), reset.body());
            assertTrue(l.describeLogGroups().logGroups().isEmpty());
            assertTrue(lambda.listFunctions().functions().isEmpty());
            assertThrows(software.amazon.awssdk.services.lambda.model.ResourceNotFoundException.class,
                    () -> lambda.invoke(b -> b.functionName("gone")));
        }
        try (LocalCloud again = LambdaFixtures.start(other); CloudWatchLogsClient l = LambdaFixtures.logs(again.endpoint())) {
            assertTrue(l.describeLogGroups().logGroups().isEmpty(), "a reset is persistent");
        }
    }

    @Test
    void eventsAndIdsSurviveARestart() throws Exception {
        Path other = cloud.state().resolve("restart");
        Set<String> before = new HashSet<>();
        try (LocalCloud first = LambdaFixtures.start(other); CloudWatchLogsClient l = LambdaFixtures.logs(first.endpoint())) {
            l.createLogGroup(b -> b.logGroupName("keep"));
            l.createLogStream(b -> b.logGroupName("keep").logStreamName("s"));
            l.putLogEvents(b -> b.logGroupName("keep").logStreamName("s").logEvents(
                    InputLogEvent.builder().timestamp(System.currentTimeMillis()).message("kept").build()));
            l.filterLogEvents(b -> b.logGroupName("keep")).events().forEach(e -> before.add(e.eventId()));
        }
        try (LocalCloud second = LambdaFixtures.start(other); CloudWatchLogsClient l = LambdaFixtures.logs(second.endpoint())) {
            List<FilteredLogEvent> after = l.filterLogEvents(b -> b.logGroupName("keep")).events();
            assertEquals(1, after.size());
            assertEquals("kept", after.get(0).message());
            assertEquals(before, Set.of(after.get(0).eventId()));
            l.putLogEvents(b -> b.logGroupName("keep").logStreamName("s").logEvents(
                    InputLogEvent.builder().timestamp(System.currentTimeMillis()).message("more").build()));
            assertEquals(2, l.filterLogEvents(b -> b.logGroupName("keep")).events().stream().map(FilteredLogEvent::eventId).distinct().count());
            assertNull(l.filterLogEvents(b -> b.logGroupName("keep")).nextToken());
            assertNotNull(l.describeLogGroups().logGroups().get(0).creationTime());
        }
    }
}
