package dev.livestack.localcloud.parity;

import dev.livestack.localcloud.LocalCloud;
import dev.livestack.localcloud.LocalCloudConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * One local-cloud per parity test class (a static {@code @RegisterExtension} field), in a temporary state folder;
 * closes the clients given to {@link #closeAfter}, then local-cloud, then deletes the folder.
 */
public final class ParityCloud implements BeforeAllCallback, AfterAllCallback {
    private final Deque<AutoCloseable> clients = new ArrayDeque<>();
    private Path state;
    private LocalCloud cloud;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        state = Files.createTempDirectory("local-cloud-parity");
        cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            while (!clients.isEmpty()) {
                clients.pop().close();
            }
            cloud.close();
        } finally {
            try (Stream<Path> all = Files.walk(state)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException ignored) {
                // a function process may still hold a file; the temp folder is left for the OS
            }
        }
    }

    public URI endpoint() {
        return cloud.endpoint();
    }

    public LocalCloudConfig config() {
        return cloud.config();
    }

    public static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalCloudConfig.DEFAULT_ACCESS_KEY,
                LocalCloudConfig.DEFAULT_SECRET_KEY));
    }

    /** Closes {@code client} after the class, before local-cloud stops; returns it. */
    public <T extends AutoCloseable> T closeAfter(T client) {
        clients.push(client);
        return client;
    }
}
