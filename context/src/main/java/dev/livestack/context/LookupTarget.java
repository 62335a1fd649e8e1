package dev.livestack.context;

import java.net.URI;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * Where context lookups go: the credentials and endpoint of the run's target (a local-cloud, another endpoint, or
 * AWS when {@code endpoint} is null). The region of each lookup comes from the query the app wrote (the stack's
 * {@code env}); {@code defaultRegion} serves a query that names none.
 *
 * @param credentials the run's credentials; a query's {@code lookupRoleArn} is assumed with them when STS allows it
 * @param endpoint the endpoint every client is pointed at, or null for AWS's own endpoints
 * @param defaultRegion the region of a query without one
 * @param httpClient the HTTP client the SDK clients share, or null for the SDK's default
 */
public record LookupTarget(AwsCredentialsProvider credentials, URI endpoint, String defaultRegion, SdkHttpClient httpClient) {
    public LookupTarget {
        Objects.requireNonNull(credentials, "credentials");
        if (defaultRegion == null || defaultRegion.isBlank()) {
            throw new IllegalArgumentException("defaultRegion must not be blank");
        }
    }
}
