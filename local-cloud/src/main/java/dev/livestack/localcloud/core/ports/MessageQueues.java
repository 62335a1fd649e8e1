package dev.livestack.localcloud.core.ports;

import java.util.List;
import java.util.Map;

/**
 * SQS as other services use it: Lambda's event source mappings receive, delete and release messages through this
 * port, so the lambda package never reaches into the sqs package.
 */
public interface MessageQueues {
    /** Whether a queue with this ARN exists. */
    public boolean exists(String queueArn);

    /** The queue's visibility timeout in seconds, or -1 when the queue does not exist. */
    public int visibilityTimeout(String queueArn);

    /**
     * Receives up to {@code max} (1..10) messages with their system attributes and message attributes, waiting up to
     * {@code waitMillis} for the first one; a send to the queue ends the wait at once. Empty when none came or the
     * queue is gone.
     */
    public List<Received> receive(String queueArn, int max, long waitMillis) throws InterruptedException;

    /**
     * Sends a message as SendMessage does ({@code groupId} for a FIFO queue, whose content-based deduplication must be
     * on); a queue that is gone refuses it with the error SendMessage gives.
     */
    public void send(String queueArn, String body, String groupId);

    /** Deletes a received message; a message already gone is not an error. */
    public void delete(String queueArn, String receiptHandle);

    /** Makes a received message visible again after {@code seconds}; a message already gone is not an error. */
    public void release(String queueArn, String receiptHandle, int seconds);

    /** A message as ReceiveMessage returns it, with every system attribute. */
    public record Received(String messageId, String receiptHandle, String body, String md5OfBody,
                           String md5OfMessageAttributes, Map<String, String> attributes,
                           Map<String, Attribute> messageAttributes) {
        public Received {
            if (messageId == null || receiptHandle == null || body == null) {
                throw new IllegalArgumentException("messageId, receiptHandle and body must not be null");
            }
            attributes = Map.copyOf(attributes == null ? Map.of() : attributes);
            messageAttributes = Map.copyOf(messageAttributes == null ? Map.of() : messageAttributes);
        }
    }

    /** A message attribute: its data type and a string value or a base64 binary value. */
    public record Attribute(String dataType, String stringValue, String binaryValue) {
        public Attribute {
            if (dataType == null || dataType.isBlank()) {
                throw new IllegalArgumentException("dataType must not be blank");
            }
        }
    }
}
