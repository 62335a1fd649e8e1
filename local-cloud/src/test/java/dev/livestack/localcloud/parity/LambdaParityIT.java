package dev.livestack.localcloud.parity;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lambda API parity: LocalStack's recorded Lambda API tests replayed against local-cloud. The floor sits just under
 * the identical share this suite reached when it was set (298 of 301); a lower share fails the build.
 */
class LambdaParityIT {
    static final double FLOOR = 0.985;
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
        report.skipRemaining(ctx.snapshots, LambdaParityIT::whyNot);
        report.writeAndCheck(FLOOR);
    }

    /** Why a recorded test has no scenario: what local-cloud does not serve, or what is not written yet. */
    static String whyNot(String testId) {
        String cls = testId.split("::")[0];
        if (testId.contains("event_source_mapping") || testId.contains("esm")) {
            return "event source mappings are issue 20's work, not reproduced here";
        }
        if (testId.contains("capacity_provider")) {
            return "capacity providers are not served by local-cloud";
        }
        if (testId.contains("permission")) {
            return "resource policies (AddPermission, GetPolicy, RemovePermission) are not served by local-cloud";
        }
        return switch (cls) {
            case "TestLambdaLayer" -> "layers are not served by local-cloud";
            case "TestLambdaEventInvokeConfig" -> "asynchronous invocation configurations cannot be created in local-cloud "
                    + "(only GetFunctionEventInvokeConfig answers, for none)";
            case "TestLambdaUrl" -> "function URLs are not served by local-cloud";
            case "TestLambdaSnapStart" -> "SnapStart runtimes (Java, .NET) are not run by local-cloud";
            case "TestLambdaEventSourceMappings" -> "event source mappings are issue 20's work, not reproduced here";
            case "TestLambdaProvisionedConcurrency" -> "provisioned concurrency is not served by local-cloud";
            case "TestLambdaImages" -> "container-image functions are not served by local-cloud";
            case "TestCodeSigningConfig" -> "code signing configurations are not served by local-cloud";
            case "TestLambdaAccountSettings" -> "GetAccountSettings is not served by local-cloud";
            case "TestLambdaRecursion" -> "recursion configurations are not served by local-cloud";
            case "TestLambdaReservedConcurrency" -> "needs the account's concurrency limits (GetAccountSettings)";
            default -> "scenario not written yet";
        };
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
    void tags() {
        new LambdaTagScenarios(ctx, report).all();
    }

    @Test
    void validation() {
        new LambdaValidationScenarios(ctx, report).all();
    }
}
