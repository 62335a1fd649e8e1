package dev.livestack.localcloud.core;

import dev.livestack.localcloud.LocalCloudConfig;
import dev.livestack.localcloud.core.ports.LogSink;
import dev.livestack.localcloud.core.ports.ObjectStore;
import dev.livestack.localcloud.core.ports.ResourceProvider;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every service shares, fixed when it is built: the account, the region, the endpoint, the state store, the
 * injected faults, the credentials STS issued, and the ports every service may need (objects, logs, resource
 * providers). A port only some services need (SSM parameters, CloudFormation's roles) is handed to those services'
 * constructors by the server instead. A service package sees other services only through ports.
 */
public final class CloudContext {
    private final LocalCloudConfig config;
    private final URI endpoint;
    private final StateStore store;
    private final StsSessions sessions;
    private final SigV4 sigV4;
    private final Faults faults = new Faults();
    private final ObjectStore objects;
    private final LogSink logs;
    private final Map<String, ResourceProvider> providers = new ConcurrentHashMap<>();

    /**
     * @param sessions the temporary credentials STS issued, which the SigV4 check accepts too
     * @param objects the S3 subset's objects
     * @param logs where Lambda writes its functions' output
     */
    public CloudContext(LocalCloudConfig config, URI endpoint, StateStore store, StsSessions sessions,
                        ObjectStore objects, LogSink logs) {
        this.config = config;
        this.endpoint = endpoint;
        this.store = store;
        this.sessions = sessions;
        this.objects = objects;
        this.logs = logs;
        this.sigV4 = new SigV4(config.accessKeyId(), config.secretAccessKey(), sessions::find);
    }

    /** The SigV4 check every signed request passes, which also presigns the download URLs local-cloud hands out. */
    public SigV4 sigV4() {
        return sigV4;
    }

    public LocalCloudConfig config() {
        return config;
    }

    public String region() {
        return config.region();
    }

    public String account() {
        return config.accountId();
    }

    public StateStore store() {
        return store;
    }

    /** The S3 subset's objects: {@code objects().get(bucket, key)} reads one (null when missing). */
    public ObjectStore objects() {
        return objects;
    }

    /** CloudWatch Logs, where Lambda writes. */
    public LogSink logs() {
        return logs;
    }

    /** Faults the test controls injected: latency, failing calls, failing resources. */
    public Faults faults() {
        return faults;
    }

    /** The temporary credentials STS issued, which the SigV4 check accepts besides the configured ones. */
    public StsSessions sessions() {
        return sessions;
    }

    public URI endpoint() {
        return endpoint;
    }

    public void register(ResourceProvider provider) {
        if (providers.putIfAbsent(provider.type(), provider) != null) {
            throw new IllegalStateException("two providers for " + provider.type());
        }
    }

    /** The provider for a type, or null when the type is only recorded. */
    public ResourceProvider provider(String type) {
        return providers.get(type);
    }

    public String arn(String service, String resource) {
        return "arn:aws:" + service + ":" + region() + ":" + account() + ":" + resource;
    }
}
