package dev.livestack.localcloud.parity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.PublishVersionResponse;

/** Revisions, alias routing and naming, tags, reserved concurrency and code locations. */
final class LambdaMoreScenarios {
    private final LambdaParity ctx;
    private final ParityReport report;
    private final LambdaClient lambda;

    LambdaMoreScenarios(LambdaParity ctx, ParityReport report) {
        this.ctx = ctx;
        this.report = report;
        this.lambda = ctx.lambda;
    }

    void all() {
        revisionsBasic();
        revisionsVersionAndAlias();
        routingConfigs();
        aliasNaming();
        tagExceptions();
        tagLimits();
        tagVersions();
        tagLifecycle();
        concurrencyExceptions();
        concurrency();
        codeLocationZipFile();
        environmentLimits();
    }

    /** TestLambdaSizeLimits' environment cases: 4 KB of variables as compact JSON, one byte over, two keys over. */
    void environmentLimits() {
        String s = "TestLambdaSizeLimits::";
        String over = "x".repeat(4 * 1024 - 6 - "LARGE_VAR".length());
        String exact = "x".repeat(4 * 1024 - 7 - "LARGE_VAR".length());
        envCase(s + "test_large_environment_variables_fails", "failed_create_fn_result", Map.of("LARGE_VAR", over), false);
        Map<String, String> two = new LinkedHashMap<>();
        two.put("SMALL_VAR", "ok");
        two.put("LARGE_VAR", "x".repeat(4064));
        envCase(s + "test_large_environment_fails_multiple_keys", "failured_create_fn_result_multi_key", two, false);
        envCase(s + "test_lambda_envvars_near_limit_succeeds", "successful_create_fn_result", Map.of("LARGE_VAR", exact), true);
    }

    private void envCase(String testId, String key, Map<String, String> env, boolean succeeds) {
        report.run(ctx.snapshots, testId, run -> {
            String name = LambdaParity.name("large-envvar-lambda-");
            try {
                if (succeeds) {
                    run.match(key, ctx.create(name, b -> b.environment(e -> e.variables(env))));
                } else {
                    run.match(key, run.errorOf(() -> lambda.createFunction(b -> b.functionName(name).runtime("python3.12")
                            .handler("handler.handler").role(ctx.role).code(c -> c.zipFile(LambdaParity.echoZip())).timeout(30)
                            .environment(e -> e.variables(env)))));
                }
            } finally {
                ctx.delete(name);
            }
        });
    }

    void revisionsBasic() {
        report.run(ctx.snapshots, "TestLambdaRevisions::test_function_revisions_basic", run -> {
            String name = LambdaParity.name("fn-");
            try {
                // the recorded test uploads the same archive three times: one CodeSha256 throughout
                var zip = LambdaParity.echoZip();
                run.match("create_function_response_rev1", ctx.create(name, b -> b.handler("index.handler").code(c -> c.zipFile(zip))));
                GetFunctionResponse rev2 = run.call("get_function_response_rev2", () -> lambda.getFunction(b -> b.functionName(name)));
                run.call("update_function_revision_exception", () -> lambda.updateFunctionCode(b -> b.functionName(name)
                        .zipFile(zip).revisionId("wrong")));
                run.call("update_function_code_response_rev3", () -> lambda.updateFunctionCode(b -> b.functionName(name)
                        .zipFile(zip).revisionId(rev2.configuration().revisionId())));
                ctx.waitUpdated(name);
                GetFunctionResponse rev4 = run.call("get_function_response_rev4", () -> lambda.getFunction(b -> b.functionName(name)));
                run.call("update_function_configuration_revision_exception", () -> lambda.updateFunctionConfiguration(b -> b
                        .functionName(name).runtime("python3.8").revisionId("wrong")));
                run.call("update_function_configuration_response_rev5", () -> lambda.updateFunctionConfiguration(b -> b
                        .functionName(name).runtime("python3.8").revisionId(rev4.configuration().revisionId())));
                ctx.waitUpdated(name);
                run.call("get_function_response_rev6", () -> lambda.getFunction(b -> b.functionName(name)));
            } finally {
                ctx.delete(name);
            }
        });
    }

    void revisionsVersionAndAlias() {
        report.run(ctx.snapshots, "TestLambdaRevisions::test_function_revisions_version_and_alias", run -> {
            String name = LambdaParity.name("fn-");
            try {
                run.match("create_function_response_rev1", ctx.create(name, b -> { }));
                GetFunctionResponse rev2 = run.call("get_function_active_rev2", () -> lambda.getFunction(b -> b.functionName(name)));
                run.call("publish_version_revision_exception", () -> lambda.publishVersion(b -> b.functionName(name).revisionId("wrong")));
                PublishVersionResponse v1 = run.call("publish_version_response_rev_v1", () -> lambda.publishVersion(b -> b
                        .functionName(name).revisionId(rev2.configuration().revisionId())));
                String version = v1.version();
                lambda.waiter().waitUntilPublishedVersionActive(b -> b.functionName(name).qualifier(version));
                run.call("get_function_published_version_rev_v2", () -> lambda.getFunction(b -> b.functionName(name).qualifier(version)));
                run.call("get_function_latest_rev3", () -> lambda.getFunction(b -> b.functionName(name)));
                var alias = run.call("create_alias_response_rev_a1", () -> lambda.createAlias(b -> b.functionName(name)
                        .name("revision_alias").functionVersion(version)));
                run.call("get_function_latest_rev4", () -> lambda.getFunction(b -> b.functionName(name)));
                run.call("get_function_published_version_rev_v3", () -> lambda.getFunction(b -> b.functionName(name).qualifier(version)));
                run.call("update_alias_revision_exception", () -> lambda.updateAlias(b -> b.functionName(name).name("revision_alias")
                        .revisionId("wrong")));
                run.call("update_alias_response_rev_a2", () -> lambda.updateAlias(b -> b.functionName(name).name("revision_alias")
                        .description("something changed").revisionId(alias.revisionId())));
            } finally {
                ctx.delete(name);
            }
        });
    }

    void routingConfigs() {
        report.run(ctx.snapshots, "TestLambdaAlias::test_notfound_and_invalid_routingconfigs", run -> {
            String name = LambdaParity.name("alias-fn-");
            try {
                run.match("create_response", ctx.createAws(name, b -> b.publish(true)
                        .environment(e -> e.variables(Map.of("testenv", "staging")))));
                run.call("publish_v1", () -> lambda.publishVersion(b -> b.functionName(name)));
                lambda.updateFunctionConfiguration(b -> b.functionName(name).environment(e -> e.variables(Map.of("testenv", "prod"))));
                ctx.waitUpdated(name);
                run.call("publish_v2", () -> lambda.publishVersion(b -> b.functionName(name)));
                alias(run, "routing_config_exc_toomany", name, "custom", "1", Map.of("1", 0.8, "2", 0.2));
                alias(run, "routing_config_exc_toohigh", name, "custom", "1", Map.of("2", 2.0));
                alias(run, "routing_config_exc_subzero", name, "custom", "1", Map.of("2", -1.0));
                alias(run, "routing_config_exc_sameversion", name, "custom", "1", Map.of("1", 0.5));
                alias(run, "target_version_doesnotexist", name, "custom", "10", Map.of("2", 0.5));
                alias(run, "routing_config_exc_version_doesnotexist", name, "custom", "1", Map.of("10", 0.5));
                alias(run, "target_version_exc_version_latest", name, "custom", "$LATEST", Map.of("1", 0.5));
                alias(run, "routing_config_exc_version_latest", name, "custom", "1", Map.of("$LATEST", 0.5));
                run.call("create-alias-latest", () -> lambda.createAlias(b -> b.functionName(name).name("custom-latest")
                        .functionVersion("$LATEST")));
                alias(run, "routing_config_exc_fn_doesnotexist", name + "-unknown", "custom", "1", Map.of("2", 0.5));
                alias(run, "create_alias_empty_routingconfig", name, "custom-empty-routingconfig", "1", Map.of());
                alias(run, "create_alias_response", name, "custom", "1", Map.of("2", 0.5));
                alias(run, "routing_config_exc_already_exist", name, "custom", "1", Map.of("2", 0.5));
                run.call("alias_does_not_exist_esc", () -> lambda.getAlias(b -> b.functionName(name).name("non-existent")));
            } finally {
                ctx.delete(name);
            }
        });
    }

    private void alias(ParityRun run, String key, String function, String alias, String version, Map<String, Double> weights) {
        Map<String, Double> ordered = new LinkedHashMap<>(weights);
        run.call(key, () -> lambda.createAlias(b -> b.functionName(function).name(alias).functionVersion(version)
                .routingConfig(r -> r.additionalVersionWeights(ordered))));
    }

    void aliasNaming() {
        report.run(ctx.snapshots, "TestLambdaAlias::test_alias_naming", run -> {
            String name = LambdaParity.name("alias-fn-");
            try {
                run.match("create_response", ctx.createAws(name, b -> b.environment(e -> e.variables(Map.of("testenv", "staging")))));
                run.call("publish_v1", () -> lambda.publishVersion(b -> b.functionName(name)));
                run.call("create_alias_date", () -> lambda.createAlias(b -> b.functionName(name).name("2024-01-02")
                        .functionVersion("1").description("custom-alias")));
                run.call("get_alias_date", () -> lambda.getAlias(b -> b.functionName(name).name("2024-01-02")));
                lambda.invoke(b -> b.functionName(name + ":2024-01-02"));
                run.call("create_alias_number_exception", () -> lambda.createAlias(b -> b.functionName(name).name("2024")
                        .functionVersion("1").description("custom-alias")));
            } finally {
                ctx.delete(name);
            }
        });
    }

    void tagExceptions() {
        report.run(ctx.snapshots, "TestLambdaTags::test_tag_exceptions", run -> {
            String name = LambdaParity.name("fn-tag-");
            try {
                ctx.create(name, b -> { });
                String arn = lambda.getFunction(b -> b.functionName(name)).configuration().functionArn();
                String prefix = "arn:aws:lambda:" + ctx.region + ":" + ctx.account + ":function:";
                run.call("tag_lambda_invalidarn", () -> lambda.tagResource(b -> b.resource("arn:aws:something")
                        .tags(Map.of("key_a", "value_a"))));
                run.call("tag_lambda_doesnotexist", () -> lambda.tagResource(b -> b.resource(prefix + "doesnotexist")
                        .tags(Map.of("key_a", "value_a"))));
                run.call("tag_lambda_qualifier_doesnotexist", () -> lambda.tagResource(b -> b.resource(arn + ":v1")
                        .tags(Map.of("key_a", "value_a"))));
                run.call("list_tag_lambda_empty", () -> lambda.listTags(b -> b.resource(arn)));
                run.call("untag_nomatch", () -> lambda.untagResource(b -> b.resource(arn).tagKeys("somekey")));
                run.call("untag_empty_keys", () -> lambda.untagResource(b -> b.resource(arn).tagKeys(List.of())));
                run.call("tag_empty_tags", () -> lambda.tagResource(b -> b.resource(arn).tags(Map.of())));
            } finally {
                ctx.delete(name);
            }
        });
    }

    static Map<String, String> tags(int n) {
        Map<String, String> t = new LinkedHashMap<>();
        for (int k = 0; k < n; k++) {
            t.put(k + "_key", k + "_value");
        }
        return t;
    }

    void tagLimits() {
        report.run(ctx.snapshots, "TestLambdaTags::test_tag_limits", run -> {
            String name = LambdaParity.name("fn-tag-");
            try {
                ctx.create(name, b -> { });
                String arn = lambda.getFunction(b -> b.functionName(name)).configuration().functionArn();
                run.call("tag_lambda_too_many_tags", () -> lambda.tagResource(b -> b.resource(arn).tags(tags(51))));
                run.call("tag_response", () -> lambda.tagResource(b -> b.resource(arn).tags(tags(50))));
                run.call("list_tags_response", () -> lambda.listTags(b -> b.resource(arn)));
                run.call("get_fn_response", () -> lambda.getFunction(b -> b.functionName(name)));
                run.call("tag_lambda_too_many_tags_additional", () -> lambda.tagResource(b -> b.resource(arn)
                        .tags(Map.of("a_key", "a_value"))));
                String other = LambdaParity.name("fn-tag-");
                run.call("create_function_invalid_tags", () -> lambda.createFunction(b -> b.functionName(other)
                        .handler("index.handler").code(c -> c.zipFile(LambdaParity.echoZip())).packageType("Zip")
                        .role(ctx.role).runtime("python3.12").tags(tags(51))));
                ctx.delete(other);
            } finally {
                ctx.delete(name);
            }
        });
    }

    void tagVersions() {
        report.run(ctx.snapshots, "TestLambdaTags::test_tag_versions", run -> {
            String name = LambdaParity.name("fn-tag-");
            try {
                var created = ctx.create(name, b -> b.tags(Map.of("key_a", "value_a")));
                String arn = created.path("CreateFunctionResponse").path("FunctionArn").asText();
                String versionArn = lambda.publishVersion(b -> b.functionName(name)).functionArn();
                Map<String, String> more = Map.of("key_b", "value_b", "key_c", "value_c", "key_d", "value_d", "key_e", "value_e");
                run.call("tag_resource_exception", () -> lambda.tagResource(b -> b.resource(versionArn).tags(more)));
                run.call("tag_resource_latest_exception", () -> lambda.tagResource(b -> b.resource(arn + ":$LATEST").tags(more)));
            } finally {
                ctx.delete(name);
            }
        });
    }

    void tagLifecycle() {
        report.run(ctx.snapshots, "TestLambdaTags::test_tag_lifecycle", run -> {
            String name = LambdaParity.name("fn-tag-");
            try {
                ctx.create(name, b -> b.tags(Map.of("key_a", "value_a")));
                String arn = lambda.getFunction(b -> b.functionName(name)).configuration().functionArn();
                tagsOf(run, arn, "postfncreate");
                run.call("tag_resource_response", () -> lambda.tagResource(b -> b.resource(arn).tags(Map.of("key_b", "value_b",
                        "key_c", "value_c", "key_d", "value_d", "key_e", "value_e"))));
                tagsOf(run, arn, "postaddtags");
                run.call("tag_resource_overwrite", () -> lambda.tagResource(b -> b.resource(arn).tags(Map.of("key_b", "value_b",
                        "key_c", "value_x"))));
                tagsOf(run, arn, "overwrite");
                lambda.untagResource(b -> b.resource(arn).tagKeys("key_c", "key_d"));
                tagsOf(run, arn, "postuntag");
                lambda.untagResource(b -> b.resource(arn).tagKeys("key_a", "key_b", "key_e"));
                tagsOf(run, arn, "postuntagall");
                lambda.deleteFunction(b -> b.functionName(name));
                run.call("list_tags_postdelete", () -> lambda.listTags(b -> b.resource(arn)));
            } finally {
                ctx.delete(name);
            }
        });
    }

    private void tagsOf(ParityRun run, String arn, String suffix) {
        run.call("list_tags_response_" + suffix, () -> lambda.listTags(b -> b.resource(arn)));
        run.call("get_fn_response_" + suffix, () -> lambda.getFunction(b -> b.functionName(arn)));
    }

    void concurrencyExceptions() {
        report.run(ctx.snapshots, "TestLambdaReservedConcurrency::test_function_concurrency_exceptions", run -> {
            run.call("put_function_concurrency_with_function_name_doesnotexist", () -> lambda.putFunctionConcurrency(b -> b
                    .functionName("doesnotexist").reservedConcurrentExecutions(1)));
            run.call("put_function_concurrency_with_function_name_doesnotexist_and_invalid_concurrency",
                    () -> lambda.putFunctionConcurrency(b -> b.functionName("doesnotexist").reservedConcurrentExecutions(0)));
            String name = LambdaParity.name("lambda_func-");
            try {
                ctx.create(name, b -> { });
                String arn = lambda.getFunctionConfiguration(b -> b.functionName(name).qualifier("$LATEST")).functionArn();
                run.call("put_function_concurrency_with_qualified_arn", () -> lambda.putFunctionConcurrency(b -> b.functionName(arn)
                        .reservedConcurrentExecutions(0)));
            } finally {
                ctx.delete(name);
            }
        });
    }

    void concurrency() {
        report.run(ctx.snapshots, "TestLambdaReservedConcurrency::test_function_concurrency", run -> {
            String name = LambdaParity.name("lambda_func-");
            try {
                ctx.create(name, b -> { });
                run.call("put_function_concurrency_with_reserved_0", () -> lambda.putFunctionConcurrency(b -> b.functionName(name)
                        .reservedConcurrentExecutions(0)));
                run.call("put_function_concurrency_with_reserved_1", () -> lambda.putFunctionConcurrency(b -> b.functionName(name)
                        .reservedConcurrentExecutions(1)));
                run.call("get_function_concurrency", () -> lambda.getFunctionConcurrency(b -> b.functionName(name)));
                run.call("delete_response", () -> lambda.deleteFunctionConcurrency(b -> b.functionName(name)));
                run.call("get_function_concurrency_after_delete", () -> lambda.getFunctionConcurrency(b -> b.functionName(name)));
            } finally {
                ctx.delete(name);
            }
        });
    }

    void codeLocationZipFile() {
        report.run(ctx.snapshots, "TestLambdaFunction::test_lambda_code_location_zipfile", run -> {
            String name = LambdaParity.name("code-function-");
            try {
                run.match("create-response-zip-file", ctx.createAws(name, b -> { }));
                run.call("get-function-response", () -> lambda.getFunction(b -> b.functionName(name)));
                run.call("update-function-response", () -> lambda.updateFunctionCode(b -> b.functionName(name)
                        .zipFile(LambdaParity.versionZip("version1"))));
                run.call("get-function-response-updated", () -> lambda.getFunction(b -> b.functionName(name)));
            } finally {
                ctx.delete(name);
            }
        });
    }
}
