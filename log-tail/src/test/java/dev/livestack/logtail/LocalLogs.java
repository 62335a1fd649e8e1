package dev.livestack.logtail;

import dev.livestack.localcloud.LocalCloud;
import dev.livestack.localcloud.LocalCloudConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;

/** A local-cloud with Logs clients, for the integration tests and the latency bench. */
final class LocalLogs implements AutoCloseable {
    final LocalCloud cloud;
    final CloudWatchLogsClient logs;
    final CloudWatchLogsAsyncClient async;
    final StaticCredentialsProvider credentials;
    final Region region;
    private final Path dir;
    private final java.util.Set<String> created = java.util.concurrent.ConcurrentHashMap.newKeySet();

    LocalLogs() throws IOException {
        dir = Files.createTempDirectory("log-tail-it");
        cloud = LocalCloud.start(LocalCloudConfig.defaults(dir, 0));
        credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                LocalCloudConfig.DEFAULT_ACCESS_KEY, LocalCloudConfig.DEFAULT_SECRET_KEY));
        region = Region.of(cloud.config().region());
        logs = LogClients.sync(cloud.endpoint(), region, credentials);
        async = LogClients.async(cloud.endpoint(), region, credentials);
    }

    void createGroup(String group) {
        try {
            logs.createLogGroup(b -> b.logGroupName(group));
        } catch (ResourceAlreadyExistsException ignored) {
            // already there
        }
    }

    void createStream(String group, String stream) {
        if (!created.add(group + "\u0000" + stream)) {
            return;
        }
        createGroup(group);
        try {
            logs.createLogStream(b -> b.logGroupName(group).logStreamName(stream));
        } catch (ResourceAlreadyExistsException ignored) {
            // already there
        }
    }

    /** Puts the messages into the stream, each with the current time, in one call. */
    void put(String group, String stream, List<String> messages) {
        createStream(group, stream);
        long now = Instant.now().toEpochMilli();
        List<InputLogEvent> events = new ArrayList<>();
        for (String m : messages) {
            events.add(InputLogEvent.builder().timestamp(now).message(m).build());
        }
        logs.putLogEvents(b -> b.logGroupName(group).logStreamName(stream).logEvents(events));
    }

    /** Puts one message with the given timestamp. */
    void putAt(String group, String stream, Instant timestamp, String message) {
        createStream(group, stream);
        logs.putLogEvents(b -> b.logGroupName(group).logStreamName(stream)
                .logEvents(InputLogEvent.builder().timestamp(timestamp.toEpochMilli()).message(message).build()));
    }

    void put(String group, String stream, String message) {
        put(group, stream, List.of(message));
    }

    /**
     * Shortens live-tail sessions (AWS: three hours). local-cloud keeps this knob package-private for now,
     * so it is reached by reflection; the sessions themselves still run over HTTP through the real SDK.
     */
    void liveTailSessionLimit(java.time.Duration limit) throws ReflectiveOperationException {
        java.lang.reflect.Field f = cloud.getClass().getDeclaredField("context");
        f.setAccessible(true);
        Object context = f.get(cloud);
        Object logs = context.getClass().getMethod("logs").invoke(context);
        Class<?> sink = Class.forName("dev.livestack.localcloud.core.ports.LogSink");
        sink.getMethod("liveTailLimitMillis", long.class).invoke(logs, limit.toMillis());
    }

    @Override
    public void close() {
        async.close();
        logs.close();
        cloud.close();
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
