package dev.livestack.sample;

import dev.livestack.inlinepackager.InlineFunction;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.lambda.Function;
import software.constructs.Construct;

/**
 * The reaper actor (Node.js, {@value #SOURCE}): every {@value #EVERY_MINUTES} minutes it replays the dead-letter
 * queue into the orders queue. The schedule is part of the actor, so it lives here.
 */
final class ReaperFunction {
    /** Its source folder, relative to the app folder. */
    static final String SOURCE = "functions/reaper";
    /** How often it runs. */
    static final int EVERY_MINUTES = 5;

    private final Function function;

    /** Creates the function (id {@code Reaper}) and its schedule (id {@code ReaperSchedule}) in {@code scope}. */
    ReaperFunction(Construct scope) {
        function = InlineFunction.nodejs(scope, "Reaper", SOURCE)
                .description("Replays the orders dead-letter queue")
                .timeout(Duration.seconds(30))
                .build();
        Rule.Builder.create(scope, "ReaperSchedule")
                .description("Runs the reaper every " + EVERY_MINUTES + " minutes")
                .schedule(Schedule.rate(Duration.minutes(EVERY_MINUTES)))
                .targets(List.of(new LambdaFunction(function)))
                .build();
    }

    Function function() {
        return function;
    }
}
