package dev.livestack.sample;

import dev.livestack.inlinepackager.InlineFunction;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.lambda.Function;
import software.constructs.Construct;

/** The worker actor (Python, {@value #SOURCE}): consumes the orders queue and stores orders. */
final class WorkerFunction {
    /** Its source folder, relative to the app folder. */
    static final String SOURCE = "functions/worker";
    /** Function timeout; the orders queue's visibility timeout is derived from it. */
    static final int TIMEOUT_SECONDS = 20;

    private final Function function;

    /** Creates the function directly in {@code scope} with id {@code Worker}. */
    WorkerFunction(Construct scope) {
        function = InlineFunction.python(scope, "Worker", SOURCE)
                .description("Consumes the orders queue and stores each order")
                .timeout(Duration.seconds(TIMEOUT_SECONDS))
                .memorySize(256)
                .build();
    }

    Function function() {
        return function;
    }
}
