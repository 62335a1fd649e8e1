package dev.livestack.logtail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;

class EventFetcherTest {

    private static CloudWatchLogsException error(String code, int status) {
        return (CloudWatchLogsException) CloudWatchLogsException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("msg " + code).build())
                .build();
    }

    @Test
    void throttlingServerErrorsAndBrokenConnectionsAreRetried() {
        assertTrue(EventFetcher.retryable(error("ThrottlingException", 400)));
        assertTrue(EventFetcher.retryable(error("LimitExceededException", 400)));
        assertTrue(EventFetcher.retryable(error("ServiceUnavailableException", 503)));
        assertTrue(EventFetcher.retryable(error("InternalFailure", 500)));
        assertTrue(EventFetcher.retryable(new CompletionException(SdkClientException.create("connection reset"))));
        assertFalse(EventFetcher.retryable(error("AccessDeniedException", 400)));
        assertFalse(EventFetcher.retryable(error("InvalidParameterException", 400)));
        assertEquals("ThrottlingException: msg ThrottlingException",
                EventFetcher.describe(new CompletionException(error("ThrottlingException", 400))));
    }

    @Test
    void commonPrefixOfAStacksFunctions() {
        assertEquals("/aws/lambda/Shop-", EventFetcher.commonPrefix(List.of("/aws/lambda/Shop-Api-1", "/aws/lambda/Shop-Worker-2")));
        assertEquals("/", EventFetcher.commonPrefix(List.of("/aws/lambda/x", "/custom/y")));
        assertEquals("/aws/lambda/x", EventFetcher.commonPrefix(List.of("/aws/lambda/x")));
        assertEquals("", EventFetcher.commonPrefix(List.of()));
    }
}
