package dev.livestack.deployer;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * What a handler's {@link HotswapHandler#apply} may use in one run of swaps: the clients, the retry policy and its
 * listener, the waits, and what earlier swaps of the run left for later ones (versions published, read by the aliases
 * pointing at them).
 *
 * @param sfn the Step Functions client; {@code null} when none is configured
 * @param published version published in this run by the logical id of its {@code AWS::Lambda::Version}
 */
record SwapContext(String stackName, LambdaClient lambda, SfnClient sfn, Retry retry, Retry.Listener listener,
                   AssetPublisher assets, Duration poll, Duration timeout, Map<String, String> published) {

    /** A run's context, with no version published yet. */
    SwapContext(String stackName, LambdaClient lambda, SfnClient sfn, Retry retry, Retry.Listener listener,
                AssetPublisher assets, Duration poll, Duration timeout) {
        this(stackName, lambda, sfn, retry, listener, assets, poll, timeout, new ConcurrentHashMap<>());
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
