package dev.livestack.deployer;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * What a handler's {@link HotswapHandler#apply} may use: the clients, the retry policy, the waits, and what earlier
 * swaps of the same run left for later ones (versions published, read by the aliases pointing at them).
 */
final class SwapContext {
    private final String stackName;
    private final LambdaClient lambda;
    private final SfnClient sfn;
    private final Retry retry;
    private final Retry.Listener listener;
    private final AssetPublisher assets;
    private final Duration poll;
    private final Duration timeout;
    private final Map<String, String> published = new ConcurrentHashMap<>();

    SwapContext(String stackName, LambdaClient lambda, SfnClient sfn, Retry retry, Retry.Listener listener,
                AssetPublisher assets, Duration poll, Duration timeout) {
        this.stackName = stackName;
        this.lambda = lambda;
        this.sfn = sfn;
        this.retry = retry;
        this.listener = listener;
        this.assets = assets;
        this.poll = poll;
        this.timeout = timeout;
    }

    String stackName() {
        return stackName;
    }

    LambdaClient lambda() {
        return lambda;
    }

    /** The Step Functions client; {@code null} when none is configured. */
    SfnClient sfn() {
        return sfn;
    }

    Retry retry() {
        return retry;
    }

    Retry.Listener listener() {
        return listener;
    }

    AssetPublisher assets() {
        return assets;
    }

    Duration poll() {
        return poll;
    }

    Duration timeout() {
        return timeout;
    }

    /** Records the version published in this run for an {@code AWS::Lambda::Version} resource. */
    void published(String versionLogicalId, String version) {
        published.put(versionLogicalId, version);
    }

    /** The version published in this run for an {@code AWS::Lambda::Version} resource, if any. */
    Optional<String> published(String versionLogicalId) {
        return Optional.ofNullable(published.get(versionLogicalId));
    }
}
