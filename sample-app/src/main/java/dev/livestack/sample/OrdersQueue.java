package dev.livestack.sample;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * The buffer between the ingest and worker actors. Messages are orders shaped by {@link OrderSchema}; one that
 * fails {@value #MAX_RECEIVES} times moves to the {@link OrdersDeadLetterQueue}. Its contract: a producer may send
 * and a consumer is subscribed (batches, partial failures reported); both find the queue in {@value #VARIABLE}.
 */
final class OrdersQueue extends Construct {
    /** The variable clients read the queue's URL from. */
    static final String VARIABLE = "ORDERS_QUEUE_URL";
    /** Deliveries before a message is dead-lettered. */
    static final int MAX_RECEIVES = 3;

    private final Queue queue;

    OrdersQueue(Construct scope, String id, OrdersDeadLetterQueue deadLetters) {
        super(scope, id);
        queue = Queue.Builder.create(this, "Queue")
                // Six times the worker's timeout, as Lambda advises for SQS event sources, so a slow batch is not
                // delivered twice while it is still running.
                .visibilityTimeout(Duration.seconds(6 * WorkerFunction.TIMEOUT_SECONDS))
                .deadLetterQueue(DeadLetterQueue.builder().queue(deadLetters.queue()).maxReceiveCount(MAX_RECEIVES).build())
                .build();
        Contracts.output(this, VARIABLE, queue.getQueueUrl(), "URL of the orders queue");
    }

    /** A function that enqueues orders: may send; gets {@value #VARIABLE}. */
    void connectProducer(Function function) {
        queue.grantSendMessages(function);
        Contracts.provide(function, VARIABLE, queue.getQueueUrl());
    }

    /**
     * A function that consumes orders: subscribed in batches of ten with partial batch failures (the event source
     * grants receive and delete); gets {@value #VARIABLE} too, e.g. to log where a message came from.
     */
    void connectConsumer(Function function) {
        function.addEventSource(SqsEventSource.Builder.create(queue).batchSize(10).reportBatchItemFailures(true).build());
        Contracts.provide(function, VARIABLE, queue.getQueueUrl());
    }
}
