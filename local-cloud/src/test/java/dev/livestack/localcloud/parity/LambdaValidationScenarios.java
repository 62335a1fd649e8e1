package dev.livestack.localcloud.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ListFunctionsResponse;

/** Name, ARN and qualifier validation; CreateFunction's and UpdateFunctionConfiguration's refusals; listing. */
final class LambdaValidationScenarios {
    private static final String T = "TestLambdaFunction::";
    private static final Pattern FAILURE = Pattern.compile("(Value '.*?' at '.*?' failed to satisfy constraint: .+?(?=;|$))");
    private final LambdaParity ctx;
    private final ParityReport report;
    private final LambdaClient lambda;

    LambdaValidationScenarios(LambdaParity ctx, ParityReport report) {
        this.ctx = ctx;
        this.report = report;
        this.lambda = ctx.lambda;
    }

    void all() {
        names();
        functionArns();
        createExceptions();
        updateExceptions();
        invalidInvoke();
        listFunctions();
    }

    /** The recorded test's parameter cases: id → FunctionName (with {region}/{account} to fill) and Qualifier. */
    static Map<String, String[]> cases() {
        Map<String, String[]> c = new LinkedHashMap<>();
        c.put("invalid_characters_in_function_name", new String[] {"my-function!", null});
        c.put("function_name_is_single_invalid", new String[] {"*", null});
        c.put("invalid_characters_in_qualifier", new String[] {"my-function", "invalid!"});
        c.put("qualifier_too_long", new String[] {"my-function", "a".repeat(129)});
        c.put("invalid_account_id_in_partial_arn", new String[] {"invalid-account:function:my-function", null});
        c.put("invalid_region_in_arn", new String[] {"arn:aws:lambda:invalid-region:{account}:function:my-function", null});
        c.put("non_lambda_arn", new String[] {"arn:aws:ec2:{region}:{account}:instance:i-1234567890abcdef0", null});
        c.put("function_name_too_long", new String[] {"a".repeat(65), null});
        c.put("function_name_too_long_and_invalid_region", new String[] {
            "arn:aws:lambda:invalid-region:{account}:function:my-function" + "a".repeat(170), null});
        c.put("full_arn_and_qualifier_too_long_and_invalid_region", new String[] {
            "arn:aws:lambda:invalid-region:{account}:function:my-function-" + "a".repeat(170), "a".repeat(129)});
        c.put("full_arn_with_multiple_qualifiers", new String[] {"arn:aws:lambda:{region}:{account}:function:my-function:1:2", null});
        c.put("incomplete_arn", new String[] {"arn:aws:lambda:{region}:{account}:function", null});
        c.put("partial_arn_with_extra_qualifier", new String[] {"function:my-function:$LATEST:extra", null});
        c.put("latest_version_with_additional_qualifier", new String[] {
            "arn:aws:lambda:{region}:{account}:function:my-function:$LATEST", "1"});
        c.put("lowercase_latest_qualifier", new String[] {"arn:aws:lambda:{region}:{account}:function:my-function", "$latest"});
        c.put("missing_region_in_arn", new String[] {"arn:aws:lambda::{account}:function:my-function", null});
        c.put("missing_account_id_in_arn", new String[] {"arn:aws:lambda:{region}::function:my-function", null});
        c.put("misspelled_latest_in_arn", new String[] {"arn:aws:lambda:{region}:{account}:function:my-function:$LATES", null});
        return c;
    }

    /** What the recorded test keeps of an error: the code and the sorted constraint failures, or the message. */
    static ObjectNode extract(JsonNode error) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        String code = error.path("Error").path("Code").asText();
        String message = error.path("Error").path("Message").asText();
        out.put("Code", code);
        if (!error.has("Error")) {
            out.put("Code", "no error");
            out.put("Message", error.toString());
            return out;
        }
        List<String> failures = new ArrayList<>();
        Matcher m = FAILURE.matcher(message);
        while (m.find()) {
            failures.add(m.group(1));
        }
        if (failures.isEmpty()) {
            out.put("Message", message);
        } else {
            failures.sort(null);
            var a = out.putArray("Errors");
            failures.forEach(a::add);
            out.put("Count", failures.size());
        }
        return out;
    }

    void names() {
        for (var e : cases().entrySet()) {
            for (String clientfn : List.of("get_function", "delete_function", "invoke", "create_function")) {
                String id = e.getKey() + "-" + clientfn;
                String testId = T + "test_function_name_and_qualifier_validation[" + id + "]";
                if (!ctx.snapshots.tests().containsKey(ctx.snapshots.nodeId(testId))
                        || !ctx.snapshots.recorded(testId).has(clientfn + "_exception")) {
                    continue;
                }
                report.run(ctx.snapshots, testId, run -> {
                    String fn = e.getValue()[0].replace("{region}", ctx.region).replace("{account}", ctx.account);
                    String q = e.getValue()[1];
                    int maxArn = clientfn.equals("invoke") || clientfn.equals("get_function") ? 170 : 140;
                    run.transform(Transform.regex("a".repeat(maxArn), "<a:len(" + maxArn + ")>"));
                    run.transform(Transform.regex("a".repeat(129), "<a:len(129)>"));
                    run.transform(Transform.regex("a".repeat(65), "<a:len(65)>"));
                    Supplier<? extends SdkResponse> call = switch (clientfn) {
                        case "get_function" -> () -> lambda.getFunction(b -> b.functionName(fn).qualifier(q));
                        case "delete_function" -> () -> lambda.deleteFunction(b -> b.functionName(fn).qualifier(q));
                        case "invoke" -> () -> lambda.invoke(b -> b.functionName(fn).qualifier(q));
                        default -> () -> lambda.createFunction(b -> b.functionName(q == null ? fn : fn + ":" + q)
                                .handler("index.handler").code(c -> c.zipFile(LambdaParity.echoZip())).packageType("Zip")
                                .role(ctx.role).runtime("python3.12"));
                    };
                    run.match(clientfn + "_exception", extract(run.errorOf(call)));
                });
            }
        }
        for (String stale : List.of("qualifier_too_long0", "qualifier_too_long1", "function_name_and_qualifier_too_long")) {
            for (String clientfn : List.of("get_function", "delete_function", "invoke", "create_function")) {
                String testId = T + "test_function_name_and_qualifier_validation[" + stale + "-" + clientfn + "]";
                if (ctx.snapshots.tests().containsKey(ctx.snapshots.nodeId(testId))) {
                    report.skip(ctx.snapshots, testId, "recorded for a parametrisation the test no longer has, so its input is unknown");
                }
            }
        }
    }

    private SdkBytes zip() {
        return LambdaParity.echoZip();
    }

    void functionArns() {
        report.run(ctx.snapshots, T + "test_function_arns", run -> {
            String name1 = LambdaParity.name("test-function-arn-");
            String name2 = LambdaParity.name("test-partial-arn-");
            try {
                String arnPrefix = "arn:aws:lambda:" + ctx.region + ":" + ctx.account + ":function:";
                run.match("create-function-arn-response", ctx.createAs(name1, arnPrefix + name1, b -> { }));
                run.match("create-function-partial-arn-response", ctx.createAs(name2, ctx.account + ":function:" + name2, b -> { }));
                run.call("invalid_function_name_exc", () -> lambda.createFunction(b -> b.functionName("invalid:function:name")
                        .handler("index.handler").code(c -> c.zipFile(zip())).packageType("Zip").role(ctx.role).runtime("python3.12")));
                run.call("long_function_name_exc", () -> lambda.createFunction(b -> b.functionName("a".repeat(65))
                        .handler("index.handler").code(c -> c.zipFile(zip())).packageType("Zip").role(ctx.role).runtime("python3.12")));
                String longName = "a".repeat(140 - arnPrefix.length() + 1);
                run.transform(Transform.regex(longName, "<function-name>"));
                run.call("long_function_arn_exc", () -> lambda.createFunction(b -> b.functionName(arnPrefix + longName)
                        .handler("index.handler").code(c -> c.zipFile(zip())).packageType("Zip").role(ctx.role).runtime("python3.12")));
                String other = "arn:aws:lambda:ap-southeast-1:" + ctx.account + ":function:" + LambdaParity.name("test-function-arn-");
                run.call("function_arn_other_region_exc", () -> lambda.createFunction(b -> b.functionName(other)
                        .handler("index.handler").code(c -> c.zipFile(zip())).packageType("Zip").role(ctx.role).runtime("python3.12")));
                String otherAccount = "arn:aws:lambda:" + ctx.region + ":123456789012:function:" + LambdaParity.name("test-function-arn-");
                run.call("function_arn_other_account_exc", () -> lambda.createFunction(b -> b.functionName(otherAccount)
                        .handler("index.handler").code(c -> c.zipFile(zip())).packageType("Zip").role(ctx.role).runtime("python3.12")));
            } finally {
                ctx.delete(name1);
                ctx.delete(name2);
            }
        });
    }

    void createExceptions() {
        report.run(ctx.snapshots, T + "test_create_lambda_exceptions", run -> {
            String name = LambdaParity.name("invalid-function-");
            try {
                run.call("invalid_role_arn_exc", () -> lambda.createFunction(b -> b.functionName(name).handler("index.handler")
                        .code(c -> c.zipFile(zip())).packageType("Zip").role("r1").runtime("python3.12")));
                run.call("invalid_runtime_exc", () -> lambda.createFunction(b -> b.functionName(name).handler("index.handler")
                        .code(c -> c.zipFile(zip())).packageType("Zip").role(ctx.role).runtime("non-existent-runtime")));
                run.call("uppercase_runtime_exc", () -> lambda.createFunction(b -> b.functionName(name).handler("index.handler")
                        .code(c -> c.zipFile(zip())).packageType("Zip").role(ctx.role).runtime("PYTHON3.9")));
                run.skip("empty_architectures", "botocore's client-side parameter validation; SDK v2 sends the request");
                run.call("multiple_architectures", () -> lambda.createFunction(b -> b.functionName(name).handler("index.handler")
                        .code(c -> c.zipFile(zip())).packageType("Zip").role(ctx.role).runtime("python3.12")
                        .architecturesWithStrings("x86_64", "arm64")));
                run.call("uppercase_architecture", () -> lambda.createFunction(b -> b.functionName(name).handler("index.handler")
                        .code(c -> c.zipFile(zip())).packageType("Zip").role(ctx.role).runtime("python3.12")
                        .architecturesWithStrings("X86_64")));
                run.call("invalid_zip_exc", () -> lambda.createFunction(b -> b.functionName(name).handler("index.handler")
                        .code(c -> c.zipFile(SdkBytes.fromUtf8String("this is not a zipfile, just a random string")))
                        .packageType("Zip").role(ctx.role).runtime("python3.9")));
            } finally {
                ctx.delete(name);
            }
        });
    }

    void updateExceptions() {
        report.run(ctx.snapshots, T + "test_update_lambda_exceptions", run -> {
            String name = LambdaParity.name("invalid-function-");
            try {
                ctx.createAws(name, b -> { });
                run.call("invalid_role_arn_exc", () -> lambda.updateFunctionConfiguration(b -> b.functionName(name).role("r1")));
                run.call("invalid_runtime_exc", () -> lambda.updateFunctionConfiguration(b -> b.functionName(name)
                        .runtime("non-existent-runtime")));
                run.call("uppercase_runtime_exc", () -> lambda.updateFunctionConfiguration(b -> b.functionName(name).runtime("PYTHON3.9")));
            } finally {
                ctx.delete(name);
            }
        });
    }

    void invalidInvoke() {
        report.run(ctx.snapshots, T + "test_invalid_invoke", run -> run.call("invoke_function_name_pattern_exc",
                () -> lambda.invoke(b -> b.functionName("arn:aws:lambda:" + ctx.region + ":123400000000@function:myfn")
                        .payload(SdkBytes.fromUtf8String("{}")))));
    }

    void listFunctions() {
        report.run(ctx.snapshots, T + "test_list_functions", run -> {
            run.transform(Transform.sortBy("Functions", "FunctionArn"));
            String name1 = LambdaParity.name("list-fn-1-");
            String name2 = LambdaParity.name("list-fn-2-");
            try {
                run.match("create_response_1", ctx.create(name1, b -> b.publish(true)));
                run.match("create_response_2", ctx.create(name2, b -> { }));
                run.call("list_functions_invalid_functionversion", () -> lambda.listFunctions(b -> b.functionVersion("invalid")));
                run.match("list_all", listed(name1, name2, "ALL"));
                run.match("list_default", listed(name1, name2, null));
            } finally {
                ctx.delete(name1);
                ctx.delete(name2);
            }
        });
    }

    /** Every page of ListFunctions (page size 1), kept to the two functions, as the recorded test builds it. */
    private ObjectNode listed(String name1, String name2, String version) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        var functions = out.putArray("Functions");
        String marker = null;
        ListFunctionsResponse page;
        do {
            String m = marker;
            page = lambda.listFunctions(b -> b.functionVersion(version).maxItems(1).marker(m));
            page.functions().forEach(f -> {
                if (f.functionName().equals(name1) || f.functionName().equals(name2)) {
                    functions.add(Botocore.pojo(f));
                }
            });
            marker = page.nextMarker();
        } while (marker != null);
        return out;
    }
}
