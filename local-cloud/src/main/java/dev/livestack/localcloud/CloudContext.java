package dev.livestack.localcloud;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every service shares: the account, the region, the endpoint, the state store, and the
 * resource providers CloudFormation provisions through (each service registers its own).
 */
final class CloudContext {
    private final LocalCloudConfig config;
    private final StateStore store;
    private volatile URI endpoint;
    private final Map<String, ResourceProvider> providers = new ConcurrentHashMap<>();

    CloudContext(LocalCloudConfig config, StateStore store) {
        this.config = config;
        this.store = store;
    }

    LocalCloudConfig config() {
        return config;
    }

    String region() {
        return config.region();
    }

    String account() {
        return config.accountId();
    }

    StateStore store() {
        return store;
    }

    URI endpoint() {
        return endpoint;
    }

    void endpoint(URI uri) {
        this.endpoint = uri;
    }

    void register(ResourceProvider provider) {
        if (providers.putIfAbsent(provider.type(), provider) != null) {
            throw new IllegalStateException("two providers for " + provider.type());
        }
    }

    /** The provider for a type, or null when the type is only recorded. */
    ResourceProvider provider(String type) {
        return providers.get(type);
    }

    String arn(String service, String resource) {
        return "arn:aws:" + service + ":" + region() + ":" + account() + ":" + resource;
    }
}
