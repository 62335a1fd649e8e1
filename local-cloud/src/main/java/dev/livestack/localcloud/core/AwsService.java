package dev.livestack.localcloud.core;

import java.io.IOException;

/** One AWS service behind the endpoint, chosen by the signing name in the request's credential scope. */
public interface AwsService {
    /** The SigV4 signing name, e.g. {@code cloudformation}, {@code lambda}, {@code logs}. */
    public String signingName();

    /**
     * Answers one request. Errors are thrown as {@link AwsException} and rendered in the service's
     * protocol by the caller of {@link #renderError}; a streaming answer writes to the exchange itself.
     */
    public void handle(AwsRequest request) throws IOException;

    /** Writes an error the way this service's protocol does (awsQuery XML, restJson1, awsJson1_1). */
    public void renderError(AwsRequest request, AwsException error) throws IOException;

    /**
     * The operation name a request calls (e.g. {@code DescribeStacks}), which the test controls match
     * faults against. The default reads the awsQuery {@code Action} and the JSON {@code X-Amz-Target};
     * REST services override it from their route table.
     */
    public default String operation(AwsRequest request) {
        return Operations.of(request);
    }

    /** How throttling is reported by this service's protocol: the error code and HTTP status. */
    public default AwsException throttling() {
        if ("lambda".equals(signingName())) {
            return new AwsException(429, "TooManyRequestsException", "Rate Exceeded.");
        }
        return new AwsException(400, "ThrottlingException", "Rate exceeded");
    }

    /** Forgets every record this service keeps, in memory and in the state folder (the test controls' reset). */
    public default void reset() {
    }

    /**
     * Answers one of this service's own admin routes under {@code /_localcloud/} (e.g. Lambda's settings), which
     * arrive unsigned and have passed the admin token check. Returns false when the route is not this service's.
     */
    public default boolean admin(AwsRequest request, String route) throws IOException {
        return false;
    }
}
