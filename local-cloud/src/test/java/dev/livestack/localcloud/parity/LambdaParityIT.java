package dev.livestack.localcloud.parity;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lambda API parity: LocalStack's recorded Lambda API tests replayed against local-cloud. The floor is the
 * identical share this suite reached when it was set; a lower share fails the build.
 */
class LambdaParityIT {
    static final double FLOOR = 0.0;
    @RegisterExtension
    static final ParityCloud cloud = new ParityCloud();
    static LambdaParity ctx;
    static ParityReport report;

    @BeforeAll
    static void start() {
        ctx = new LambdaParity(cloud.endpoint(), cloud.config().accountId(), cloud.config().region());
        cloud.closeAfter(ctx.lambda);
        report = new ParityReport("lambda", ctx.account, ctx.region,
                lambdaSteps());
    }

    /** What the recorded file's autouse fixture added: Lambda's set and the code hashes. */
    static java.util.List<Transform> lambdaSteps() {
        java.util.List<Transform> steps = new java.util.ArrayList<>(Transform.lambdaApi());
        steps.add(Transform.keyValue("CodeSha256"));
        return steps;
    }

    @AfterAll
    static void check() throws Exception {
        report.writeAndCheck(FLOOR);
    }

    @Test
    void functions() {
        new LambdaFunctionScenarios(ctx, report).all();
    }

    @Test
    void versionsAndAliases() {
        new LambdaVersionScenarios(ctx, report).all();
    }

    @Test
    void revisionsTagsConcurrency() {
        new LambdaMoreScenarios(ctx, report).all();
    }

    @Test
    void validation() {
        new LambdaValidationScenarios(ctx, report).all();
    }
}
