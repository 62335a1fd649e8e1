package dev.livestack.sample;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * Where orders go that the worker failed {@link OrdersQueue#MAX_RECEIVES} times. Its contract: a replayer may
 * receive and delete dead letters and finds the queue in {@value #VARIABLE}.
 */
final class OrdersDeadLetterQueue extends Construct {
    /** The variable clients read the dead-letter queue's URL from. */
    static final String VARIABLE = "ORDERS_DLQ_URL";

    private final Queue queue;

    OrdersDeadLetterQueue(Construct scope, String id) {
        super(scope, id);
        // The longest SQS allows: a dead letter waits for the reaper or a person, not for a deadline.
        queue = Queue.Builder.create(this, "Queue").retentionPeriod(Duration.days(14)).build();
        Contracts.output(this, VARIABLE, queue.getQueueUrl(), "URL of the orders dead-letter queue");
    }

    /** The queue, for {@link OrdersQueue}'s redrive policy. */
    Queue queue() {
        return queue;
    }

    /** A function that replays dead letters: may receive and delete them; gets {@value #VARIABLE}. */
    void connectReplayer(Function function) {
        queue.grantConsumeMessages(function);
        Contracts.provide(function, VARIABLE, queue.getQueueUrl());
    }
}
