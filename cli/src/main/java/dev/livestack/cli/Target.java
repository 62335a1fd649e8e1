package dev.livestack.cli;

import java.net.URI;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Where AWS calls go, decided once per run.
 *
 * @param kind what the user gets: real AWS, an endpoint they named, or local-cloud
 * @param endpoint the endpoint override, or null for AWS's own endpoints
 * @param region the region
 * @param credentials how requests are signed
 * @param description one line for banners and {@code --output json}
 */
record Target(Kind kind, URI endpoint, Region region, AwsCredentialsProvider credentials, String description) {
    enum Kind {
        /** AWS's endpoints with the user's credentials. */
        AWS,
        /** An endpoint given with --endpoint-url or AWS_ENDPOINT_URL. */
        ENDPOINT,
        /** local-cloud, already running or started in this process. */
        LOCAL_CLOUD
    }

    Target {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(credentials, "credentials");
        if (kind != Kind.AWS && endpoint == null) {
            throw new IllegalArgumentException("endpoint is required for " + kind);
        }
    }

    /** True when this run talks to a local-cloud (embedded or named), where livestack may bootstrap on its own. */
    boolean isLocal() {
        return kind == Kind.LOCAL_CLOUD || (endpoint != null && isLoopback(endpoint));
    }

    static boolean isLoopback(URI uri) {
        String host = uri.getHost();
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1"));
    }
}
