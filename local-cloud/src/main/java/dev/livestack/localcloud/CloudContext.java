package dev.livestack.localcloud;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every service shares: the account, the region, the endpoint, the state store, the S3 objects,
 * the credentials STS issued, CloudFormation's stacks, the injected faults, and the resource providers CloudFormation provisions through (each service
 * registers its own).
 */
final class CloudContext {
    private final LocalCloudConfig config;
    private final StateStore store;
    private final S3Store s3;
    private final StsSessions sessions;
    private final SigV4 sigV4;
    private final Faults faults = new Faults();
    private volatile URI endpoint;
    private volatile SsmService ssm;
    private volatile StackEngine stacks;
    private final Map<String, ResourceProvider> providers = new ConcurrentHashMap<>();

    CloudContext(LocalCloudConfig config, StateStore store) {
        this.config = config;
        this.store = store;
        this.s3 = new S3Store(store);
        this.sessions = new StsSessions(store);
        this.sigV4 = new SigV4(config.accessKeyId(), config.secretAccessKey(), sessions::find);
    }

    /** The SigV4 check every signed request passes, which also presigns the download URLs local-cloud hands out. */
    SigV4 sigV4() {
        return sigV4;
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

    /** The S3 subset's objects: {@code s3().get(bucket, key)} reads one (null when missing). */
    S3Store s3() {
        return s3;
    }

    /** Faults the test controls injected: latency, failing calls, failing resources. */
    Faults faults() {
        return faults;
    }

    /** The temporary credentials STS issued, which the SigV4 check accepts besides the configured ones. */
    StsSessions sessions() {
        return sessions;
    }

    /** CloudFormation's stacks (STS looks up the roles they created); null before CloudFormation starts. */
    StackEngine stacks() {
        return stacks;
    }

    void stacks(StackEngine engine) {
        this.stacks = engine;
    }

    SsmService ssm() {
        return ssm;
    }

    void ssm(SsmService service) {
        this.ssm = service;
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
