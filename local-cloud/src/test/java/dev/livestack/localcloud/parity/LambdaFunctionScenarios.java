package dev.livestack.localcloud.parity;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** TestLambdaFunction's recorded tests: lifecycle, redundant updates, not-found and wrong-region answers. */
final class LambdaFunctionScenarios {
    private static final String T = "TestLambdaFunction::";
    private final LambdaParity ctx;
    private final ParityReport report;
    private final LambdaClient lambda;

    LambdaFunctionScenarios(LambdaParity ctx, ParityReport report) {
        this.ctx = ctx;
        this.report = report;
        this.lambda = ctx.lambda;
    }

    void all() {
        lifecycle();
        redundantUpdates();
        for (String fn : List.of("delete_function", "get_function", "get_function_configuration")) {
            arnQualifierMismatch(fn);
        }
        for (String fn : List.of("get_function", "get_function_configuration", "get_function_event_invoke_config")) {
            nonexistingVersion(fn);
        }
        deleteNonexistingVersion();
        for (String fn : List.of("delete_function", "get_function", "get_function_configuration", "get_function_url_config",
                "get_function_code_signing_config", "get_function_event_invoke_config", "get_function_concurrency")) {
            nonexistingFunction(fn);
        }
        for (String fn : List.of("get_function", "get_function_configuration", "get_function_url_config",
                "get_function_code_signing_config", "get_function_event_invoke_config", "get_function_concurrency",
                "delete_function", "invoke")) {
            wrongRegion(fn);
        }
    }

    /** The operation a parametrised recording names, called with a function name and an optional qualifier. */
    Supplier<SdkResponse> op(String clientfn, String function, String qualifier) {
        return switch (clientfn) {
            case "delete_function" -> () -> lambda.deleteFunction(b -> b.functionName(function).qualifier(qualifier));
            case "get_function" -> () -> lambda.getFunction(b -> b.functionName(function).qualifier(qualifier));
            case "get_function_configuration" -> () -> lambda.getFunctionConfiguration(b -> b.functionName(function).qualifier(qualifier));
            case "get_function_url_config" -> () -> lambda.getFunctionUrlConfig(b -> b.functionName(function).qualifier(qualifier));
            case "get_function_code_signing_config" -> () -> lambda.getFunctionCodeSigningConfig(b -> b.functionName(function));
            case "get_function_event_invoke_config" -> () -> lambda.getFunctionEventInvokeConfig(b -> b.functionName(function).qualifier(qualifier));
            case "get_function_concurrency" -> () -> lambda.getFunctionConcurrency(b -> b.functionName(function));
            case "invoke" -> () -> lambda.invoke(b -> b.functionName(function).qualifier(qualifier));
            default -> throw new IllegalArgumentException("clientfn " + clientfn + " is not one the scenarios call");
        };
    }

    void lifecycle() {
        report.run(ctx.snapshots, T + "test_function_lifecycle", run -> {
            String name = LambdaParity.name("fn-");
            try {
                run.match("create_response", ctx.create(name, b -> b.memorySize(256).timeout(5)));
                run.call("get_function_response", () -> lambda.getFunction(b -> b.functionName(name)));
                run.call("update_func_conf_response", () -> lambda.updateFunctionConfiguration(b -> b.functionName(name)
                        .runtime("python3.11").description("Changed-Description").memorySize(512).timeout(10)
                        .environment(e -> e.variables(Map.of("ENV_A", "a")))));
                ctx.waitUpdated(name);
                run.call("get_function_response_postupdate", () -> lambda.getFunction(b -> b.functionName(name)));
                run.call("update_code_response", () -> lambda.updateFunctionCode(b -> b.functionName(name)
                        .zipFile(LambdaParity.versionZip("version1"))));
                ctx.waitUpdated(name);
                run.call("get_function_response_postcodeupdate", () -> lambda.getFunction(b -> b.functionName(name)));
                run.call("delete_response", () -> lambda.deleteFunction(b -> b.functionName(name)));
                run.call("delete_postdelete", () -> lambda.deleteFunction(b -> b.functionName(name)));
            } finally {
                ctx.delete(name);
            }
        });
    }

    void redundantUpdates() {
        report.run(ctx.snapshots, T + "test_redundant_updates", run -> {
            String name = LambdaParity.name("fn-");
            try {
                run.match("create_response", ctx.create(name, b -> b.description("Initial description")));
                run.call("first_update_result", () -> lambda.updateFunctionConfiguration(b -> b.functionName(name)
                        .description("1st update description")));
                ctx.waitUpdated(name);
                run.call("get_fn_config_result", () -> lambda.getFunctionConfiguration(b -> b.functionName(name)));
                run.call("get_fn_result", () -> lambda.getFunction(b -> b.functionName(name)));
                run.call("redundant_update_result", () -> lambda.updateFunctionConfiguration(b -> b.functionName(name)
                        .description("1st update description")));
                ctx.waitUpdated(name);
                run.call("get_fn_result_after_redundant_update", () -> lambda.getFunction(b -> b.functionName(name)));
            } finally {
                ctx.delete(name);
            }
        });
    }

    void arnQualifierMismatch(String clientfn) {
        report.run(ctx.snapshots, T + "test_ops_with_arn_qualifier_mismatch[" + clientfn + "]", run -> {
            String arn = "arn:aws:lambda:" + ctx.region + ":" + ctx.account + ":function:some-function";
            run.match("not_match_exception", run.errorOf(op(clientfn, arn + ":1", "$LATEST")));
            run.match("match_exception", run.errorOf(op(clientfn, arn + ":$LATEST", "$LATEST")));
        });
    }

    void nonexistingVersion(String clientfn) {
        report.run(ctx.snapshots, T + "test_ops_on_nonexisting_version[" + clientfn + "]", run -> {
            String name = LambdaParity.name("i-exist-");
            run.transform(Transform.regex(name, "<fn-name>"));
            try {
                ctx.create(name, b -> b.description("Initial description"));
                run.match("version_not_found_exception", run.errorOf(op(clientfn, name, "1221")));
            } finally {
                ctx.delete(name);
            }
        });
    }

    void deleteNonexistingVersion() {
        report.run(ctx.snapshots, T + "test_delete_on_nonexisting_version", run -> {
            String name = LambdaParity.name("i-exist-");
            run.transform(Transform.regex(name, "<fn-name>"));
            try {
                ctx.create(name, b -> b.description("Initial description"));
                lambda.deleteFunction(b -> b.functionName(name).qualifier("1233"));
                lambda.deleteFunction(b -> b.functionName(name).qualifier("1233"));
                lambda.deleteFunction(b -> b.functionName(name));
                run.match("delete_function_response_non_existent", run.errorOf(op("delete_function", name, null)));
                run.match("delete_function_response_non_existent_with_qualifier", run.errorOf(op("delete_function", name, "1233")));
            } finally {
                ctx.delete(name);
            }
        });
    }

    void nonexistingFunction(String clientfn) {
        report.run(ctx.snapshots, T + "test_ops_on_nonexisting_fn[" + clientfn + "]", run -> {
            String name = LambdaParity.name("i-dont-exist-");
            run.transform(Transform.regex(name, "<nonexisting-fn-name>"));
            run.match("not_found_exception", run.errorOf(op(clientfn, name, null)));
        });
    }

    void wrongRegion(String clientfn) {
        report.run(ctx.snapshots, T + "test_get_function_wrong_region[" + clientfn + "]", run -> {
            String name = LambdaParity.name("i-exist-");
            run.transform(Transform.regex(name, "<fn-name>"));
            String wrong = ctx.region.equals("us-east-1") ? "eu-central-1" : "us-east-1";
            run.transform(Transform.regex(wrong, "<wrong-region>"));
            try {
                ctx.create(name, b -> b.description("Initial description"));
                String arn = "arn:aws:lambda:" + wrong + ":" + ctx.account + ":function:" + name;
                run.match("wrong_region_exception", run.errorOf(op(clientfn, arn, null)));
            } finally {
                ctx.delete(name);
            }
        });
    }

    static SdkBytes payload(String json) {
        return SdkBytes.fromUtf8String(json);
    }
}
