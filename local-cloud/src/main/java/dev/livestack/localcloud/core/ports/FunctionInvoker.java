package dev.livestack.localcloud.core.ports;

/** How another service (EventBridge, an event source) runs a Lambda function, as AWS's services invoke one. */
public interface FunctionInvoker {
    /**
     * Invokes a function and waits for its end.
     *
     * @param function its name, ARN or qualified ARN
     * @param payload the event, JSON
     * @return what it returned
     * @throws RuntimeException when the function does not exist or cannot run
     */
    public Result invoke(String function, byte[] payload);

    /**
     * An invocation's outcome.
     *
     * @param payload the function's response, or its error document
     * @param functionError {@code Unhandled} when the function failed, else null
     */
    public record Result(byte[] payload, String functionError) {
        public Result {
            if (payload == null) {
                throw new IllegalArgumentException("payload must not be null");
            }
        }
    }
}
