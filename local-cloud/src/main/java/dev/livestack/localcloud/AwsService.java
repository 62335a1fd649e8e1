package dev.livestack.localcloud;

import java.io.IOException;

/** One AWS service behind the endpoint, chosen by the signing name in the request's credential scope. */
interface AwsService {
    /** The SigV4 signing name, e.g. {@code cloudformation}, {@code lambda}, {@code logs}. */
    String signingName();

    /**
     * Answers one request. Errors are thrown as {@link AwsException} and rendered in the service's
     * protocol by the caller of {@link #renderError}; a streaming answer writes to the exchange itself.
     */
    void handle(AwsRequest request) throws IOException;

    /** Writes an error the way this service's protocol does (awsQuery XML, restJson1, awsJson1_1). */
    void renderError(AwsRequest request, AwsException error) throws IOException;
}
