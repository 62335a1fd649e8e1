package dev.livestack.localcloud;

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

/**
 * One local-cloud for a test class, in a state folder of its own: registered as a static
 * {@code @RegisterExtension} field, it starts before the class's {@code @BeforeAll} methods (so they can
 * build clients on {@link #endpoint()}), and after the class closes the clients handed to
 * {@link #closeAfter}, then local-cloud, then deletes the folder.
 */
final class LocalCloudFixture implements BeforeAllCallback, AfterAllCallback {
    private final Deque<AutoCloseable> clients = new ArrayDeque<>();
    private Path state;
    private LocalCloud cloud;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        state = Files.createTempDirectory("local-cloud-it");
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
            deleteTree(state);
        }
    }

    /** The running local-cloud. */
    LocalCloud get() {
        return cloud;
    }

    URI endpoint() {
        return cloud.endpoint();
    }

    /** Its state folder; tests may create sibling state below it for a second local-cloud. */
    Path state() {
        return state;
    }

    /** Closes {@code client} after the class (before local-cloud stops), and returns it. */
    <T extends AutoCloseable> T closeAfter(T client) {
        clients.push(client);
        return client;
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
