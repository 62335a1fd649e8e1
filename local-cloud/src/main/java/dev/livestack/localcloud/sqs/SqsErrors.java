package dev.livestack.localcloud.sqs;

import dev.livestack.localcloud.core.AwsException;
import java.util.Map;

/**
 * SQS's errors. Each carries its awsQuery code (what the query protocol and, through {@code x-amzn-query-error}, the
 * newer JSON clients report); {@link #shape} names the JSON protocol's {@code __type} for it.
 */
final class SqsErrors {
    private static final Map<String, String> SHAPES = Map.ofEntries(
            Map.entry("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"),
            Map.entry("QueueAlreadyExists", "QueueNameExists"),
            Map.entry("AWS.SimpleQueueService.PurgeQueueInProgress", "PurgeQueueInProgress"),
            Map.entry("AWS.SimpleQueueService.TooManyEntriesInBatchRequest", "TooManyEntriesInBatchRequest"),
            Map.entry("AWS.SimpleQueueService.InvalidBatchEntryId", "InvalidBatchEntryId"),
            Map.entry("AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "BatchEntryIdsNotDistinct"),
            Map.entry("AWS.SimpleQueueService.EmptyBatchRequest", "EmptyBatchRequest"),
            Map.entry("AWS.SimpleQueueService.BatchRequestTooLong", "BatchRequestTooLong"),
            Map.entry("AWS.SimpleQueueService.MessageNotInflight", "MessageNotInflight"),
            Map.entry("AWS.SimpleQueueService.UnsupportedOperation", "UnsupportedOperation"),
            // the JSON model names these two shapes differently from their query codes (recorded AWS responses)
            Map.entry("InvalidParameterValue", "InvalidParameterValueException"),
            Map.entry("MissingParameter", "MissingRequiredParameterException"));

    private SqsErrors() {
    }

    /** The JSON protocol's error shape for a query code (the code itself when the model has no shape of its own). */
    static String shape(String queryCode) {
        return SHAPES.getOrDefault(queryCode, queryCode);
    }

    static AwsException noQueue() {
        return new AwsException(400, "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.");
    }

    static AwsException invalidParameter(String message) {
        return new AwsException(400, "InvalidParameterValue", message);
    }

    static AwsException invalidValue(Object value, String parameter, String reason) {
        return invalidParameter("Value " + value + " for parameter " + parameter + " is invalid. Reason: " + reason);
    }

    static AwsException missing(String parameter) {
        return new AwsException(400, "MissingParameter", "The request must contain the parameter " + parameter + ".");
    }

    static AwsException invalidAttributeName(String message) {
        return new AwsException(400, "InvalidAttributeName", message);
    }

    static AwsException invalidAttributeValue(String message) {
        return new AwsException(400, "InvalidAttributeValue", message);
    }

    static AwsException receiptHandleInvalid(String handle) {
        return new AwsException(400, "ReceiptHandleIsInvalid",
                "The input receipt handle \"" + handle + "\" is not a valid receipt handle.");
    }
}
