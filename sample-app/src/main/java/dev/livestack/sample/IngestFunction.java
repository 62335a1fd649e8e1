package dev.livestack.sample;

import dev.livestack.inlinepackager.InlineFunction;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.lambda.Function;
import software.constructs.Construct;

/** The ingest actor (Node.js, {@value #SOURCE}): validates an order and enqueues it. */
final class IngestFunction {
    /** Its source folder, relative to the app folder. */
    static final String SOURCE = "functions/ingest";

    private final Function function;

    /** Creates the function directly in {@code scope} with id {@code Ingest}, so {@code invoke ingest} finds it. */
    IngestFunction(Construct scope) {
        function = InlineFunction.nodejs(scope, "Ingest", SOURCE)
                .description("Validates an order and enqueues it")
                .timeout(Duration.seconds(10))
                .memorySize(256)
                .build();
    }

    Function function() {
        return function;
    }
}
