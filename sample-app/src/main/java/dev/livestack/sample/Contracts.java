package dev.livestack.sample;

import java.util.Locale;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.lambda.Function;
import software.constructs.Construct;

/**
 * The two halves of every resource contract that are the same for all resources: a function learns where a
 * resource is from one environment variable, and the stack exports the same value as an output named after that
 * variable, so tools ({@code livestack env}, {@code invoke --local}) and people reach it under the same name.
 */
final class Contracts {
    private Contracts() {
    }

    /**
     * The output name for a variable: CloudFormation logical ids are alphanumeric, so {@code ORDERS_QUEUE_URL}
     * becomes {@code OrdersQueueUrl} (and {@code livestack env} turns it back).
     */
    static String outputName(String variable) {
        if (variable == null || !variable.matches("[A-Z][A-Z0-9]*(_[A-Z0-9]+)*")) {
            throw new IllegalArgumentException("variable must be UPPER_SNAKE_CASE, was " + variable);
        }
        StringBuilder name = new StringBuilder();
        for (String word : variable.split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }

    /** Declares the stack output for a variable, at stack level so its logical id is exactly the output name. */
    static CfnOutput output(Construct owner, String variable, String value, String description) {
        return CfnOutput.Builder.create(Stack.of(owner), outputName(variable))
                .value(value)
                .description(variable + ": " + description)
                .build();
    }

    /** Hands a resource's value to a function under the resource's variable. */
    static void provide(Function function, String variable, String value) {
        function.addEnvironment(variable, value);
    }
}
