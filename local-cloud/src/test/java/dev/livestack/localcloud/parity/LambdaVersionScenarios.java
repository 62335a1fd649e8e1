package dev.livestack.localcloud.parity;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateAliasResponse;
import software.amazon.awssdk.services.lambda.model.ListAliasesResponse;
import software.amazon.awssdk.services.lambda.model.PublishVersionResponse;

/** TestLambdaVersions and TestLambdaAlias: publishing, qualifiers, aliases and their not-found answers. */
final class LambdaVersionScenarios {
    private final LambdaParity ctx;
    private final ParityReport report;
    private final LambdaClient lambda;

    LambdaVersionScenarios(LambdaParity ctx, ParityReport report) {
        this.ctx = ctx;
        this.report = report;
        this.lambda = ctx.lambda;
    }

    void all() {
        publishOnCreate();
        versionLifecycle();
        publishWithWrongSha();
        publishWithUpdate();
        aliasLifecycle();
        nonExistentAliasDeletion();
        nonExistentAliasUpdate();
    }

    void publishOnCreate() {
        report.run(ctx.snapshots, "TestLambdaVersions::test_publish_version_on_create", run -> {
            String name = LambdaParity.name("fn-");
            try {
                run.match("create_response", ctx.createAws(name, b -> b.publish(true)));
                run.call("get_function_result", () -> lambda.getFunction(b -> b.functionName(name)));
                run.call("get_function_version_result", () -> lambda.getFunction(b -> b.functionName(name).qualifier("1")));
                run.call("get_function_latest_result", () -> lambda.getFunction(b -> b.functionName(name).qualifier("$LATEST")));
                run.call("list_versions_result", () -> lambda.listVersionsByFunction(b -> b.functionName(name)));
                run.call("repeated_publish_response", () -> lambda.publishVersion(b -> b.functionName(name)
                        .description("Repeated version description :)")));
                run.call("list_versions_result_after_publish", () -> lambda.listVersionsByFunction(b -> b.functionName(name)));
            } finally {
                ctx.delete(name);
            }
        });
    }

    void versionLifecycle() {
        report.run(ctx.snapshots, "TestLambdaVersions::test_version_lifecycle", run -> {
            String name = LambdaParity.name("fn-");
            try {
                run.match("create_response", ctx.createAws(name, b -> b.description("No version :(")));
                run.call("get_function_result", () -> lambda.getFunction(b -> b.functionName(name)));
                run.call("list_versions_result", () -> lambda.listVersionsByFunction(b -> b.functionName(name)));
                run.call("first_update_response", () -> lambda.updateFunctionConfiguration(b -> b.functionName(name)
                        .description("First version :)")));
                ctx.waitUpdated(name);
                run.call("first_update_get_function", () -> lambda.getFunction(b -> b.functionName(name)));
                PublishVersionResponse first = run.call("first_publish_response", () -> lambda.publishVersion(b -> b.functionName(name)
                        .description("First version description :)")));
                String v = first.version();
                run.call("first_publish_get_function", () -> lambda.getFunction(b -> b.functionName(name).qualifier(v)));
                run.call("first_publish_get_function_config", () -> lambda.getFunctionConfiguration(b -> b.functionName(name).qualifier(v)));
                run.call("second_update_response", () -> lambda.updateFunctionConfiguration(b -> b.functionName(name)
                        .description("Second version :))")));
                ctx.waitUpdated(name);
                run.call("first_publish_get_function_after_update", () -> lambda.getFunction(b -> b.functionName(name).qualifier(v)));
                run.call("second_publish_response", () -> lambda.publishVersion(b -> b.functionName(name)));
                run.call("third_publish_response", () -> lambda.publishVersion(b -> b.functionName(name)
                        .description("Third version description :)))")));
                run.call("list_versions_result_after_third_publish", () -> lambda.listVersionsByFunction(b -> b.functionName(name)));
                lambda.deleteFunction(b -> b.functionName(name + ":" + v));
                run.call("list_versions_result_after_deletion_of_first_version",
                        () -> lambda.listVersionsByFunction(b -> b.functionName(name)));
            } finally {
                ctx.delete(name);
            }
        });
    }

    void publishWithWrongSha() {
        report.run(ctx.snapshots, "TestLambdaVersions::test_publish_with_wrong_sha256", run -> {
            String name = LambdaParity.name("fn-");
            try {
                run.match("create_response", ctx.createAws(name, b -> { }));
                var fn = run.call("get_fn_response", () -> lambda.getFunction(b -> b.functionName(name)));
                run.call("publish_wrong_sha256_exc", () -> lambda.publishVersion(b -> b.functionName(name)
                        .codeSha256("somenonexistentsha256")));
                run.call("publish_result", () -> lambda.publishVersion(b -> b.functionName(name)
                        .codeSha256(fn.configuration().codeSha256())));
            } finally {
                ctx.delete(name);
            }
        });
    }

    void publishWithUpdate() {
        report.run(ctx.snapshots, "TestLambdaVersions::test_publish_with_update", run -> {
            String name = LambdaParity.name("fn-");
            try {
                run.match("create_response", ctx.createAws(name, b -> { }));
                run.call("get_function_result", () -> lambda.getFunction(b -> b.functionName(name)));
                run.call("update_function_code_result", () -> lambda.updateFunctionCode(b -> b.functionName(name)
                        .zipFile(LambdaParity.versionZip("version1")).publish(true)));
                run.call("get_function_version_result", () -> lambda.getFunction(b -> b.functionName(name).qualifier("1")));
                run.call("get_function_latest_result", () -> lambda.getFunction(b -> b.functionName(name).qualifier("$LATEST")));
            } finally {
                ctx.delete(name);
            }
        });
    }

    void aliasLifecycle() {
        report.run(ctx.snapshots, "TestLambdaAlias::test_alias_lifecycle", run -> {
            run.transform(Transform.sortBy("Aliases", "Name"));
            String name = LambdaParity.name("alias-fn-");
            try {
                run.match("create_response", ctx.createAws(name, b -> b.environment(e -> e.variables(Map.of("testenv", "staging")))));
                run.call("publish_v1", () -> lambda.publishVersion(b -> b.functionName(name)));
                lambda.updateFunctionConfiguration(b -> b.functionName(name).environment(e -> e.variables(Map.of("testenv", "prod"))));
                ctx.waitUpdated(name);
                run.call("publish_v2", () -> lambda.publishVersion(b -> b.functionName(name)));
                CreateAliasResponse a11 = run.call("create_alias_1_1", () -> lambda.createAlias(b -> b.functionName(name)
                        .name("aliasname1_1").functionVersion("1").description("custom-alias")
                        .routingConfig(r -> r.additionalVersionWeights(Map.of("2", 0.2)))));
                run.call("get_alias_1_1", () -> lambda.getAlias(b -> b.functionName(name).name("aliasname1_1")));
                run.call("get_function_alias_1_1", () -> lambda.getFunction(b -> b.functionName(name).qualifier("aliasname1_1")));
                String aliasArn = a11 == null ? "arn:aws:lambda:" + ctx.region + ":" + ctx.account + ":function:" + name + ":aliasname1_1"
                        : a11.aliasArn();
                run.call("get_function_byarn_alias_1_1", () -> lambda.getFunction(b -> b.functionName(aliasArn)));
                run.call("get_function_alias_notfound_exc", () -> lambda.getFunction(b -> b.functionName(name)
                        .qualifier("aliasdoesnotexist")));
                run.call("get_function_alias_byarn_notfound_exc", () -> lambda.getFunction(b -> b.functionName(
                        aliasArn.replace("aliasname1_1", "aliasdoesnotexist"))));
                run.call("create_alias_1_2", () -> lambda.createAlias(b -> b.functionName(name).name("aliasname1_2")
                        .functionVersion("1").description("custom-alias")));
                run.call("get_alias_1_2", () -> lambda.getAlias(b -> b.functionName(name).name("aliasname1_2")));
                run.call("create_alias_1_3", () -> lambda.createAlias(b -> b.functionName(name).name("aliasname1_3").functionVersion("1")));
                run.call("get_alias_1_3", () -> lambda.getAlias(b -> b.functionName(name).name("aliasname1_3")));
                run.call("create_alias_2", () -> lambda.createAlias(b -> b.functionName(name).name("aliasname2")
                        .functionVersion("2").description("custom-alias")));
                run.call("get_alias_2", () -> lambda.getAlias(b -> b.functionName(name).name("aliasname2")));
                run.match("list_aliases_for_fnname", allAliases(name));
                run.call("update_alias_1_1", () -> lambda.updateAlias(b -> b.functionName(name).name("aliasname1_1")
                        .routingConfig(r -> r.additionalVersionWeights(Map.of()))));
                run.call("get_alias_1_1_after_update", () -> lambda.getAlias(b -> b.functionName(name).name("aliasname1_1")));
                run.call("list_aliases_for_fnname_after_update", () -> lambda.listAliases(b -> b.functionName(name)));
                run.call("update_alias_1_2", () -> lambda.updateAlias(b -> b.functionName(name).name("aliasname1_2")));
                run.call("get_alias_1_2_after_update", () -> lambda.getAlias(b -> b.functionName(name).name("aliasname1_2")));
                run.call("list_aliases_for_fnname_after_update_2", () -> lambda.listAliases(b -> b.functionName(name)));
                run.call("list_aliases_for_version", () -> lambda.listAliases(b -> b.functionName(name).functionVersion("1")));
                run.call("delete_alias_response", () -> lambda.deleteAlias(b -> b.functionName(name).name("aliasname1_1")));
                run.call("list_aliases_for_fnname_afterdelete", () -> lambda.listAliases(b -> b.functionName(name)));
            } finally {
                ctx.delete(name);
            }
        });
    }

    /** ListAliases page by page (one per page), merged as botocore's build_full_result merges them. */
    private ObjectNode allAliases(String name) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        var aliases = out.putArray("Aliases");
        String marker = null;
        do {
            String m = marker;
            ListAliasesResponse page = lambda.listAliases(b -> b.functionName(name).maxItems(1).marker(m));
            page.aliases().forEach(a -> aliases.add(Botocore.pojo(a)));
            marker = page.nextMarker();
        } while (marker != null);
        return out;
    }

    void nonExistentAliasDeletion() {
        report.run(ctx.snapshots, "TestLambdaAlias::test_non_existent_alias_deletion", run -> {
            String name = LambdaParity.name("alias-fn-");
            try {
                run.match("create_response", ctx.createAws(name, b -> b.environment(e -> e.variables(Map.of("testenv", "staging")))));
                run.call("delete_alias_response", () -> lambda.deleteAlias(b -> b.functionName(name).name("non-existent")));
            } finally {
                ctx.delete(name);
            }
        });
    }

    void nonExistentAliasUpdate() {
        report.run(ctx.snapshots, "TestLambdaAlias::test_non_existent_alias_update", run -> {
            String name = LambdaParity.name("alias-fn-");
            try {
                run.match("create_response", ctx.createAws(name, b -> b.environment(e -> e.variables(Map.of("testenv", "staging")))));
                run.call("update_alias_response", () -> lambda.updateAlias(b -> b.functionName(name).name("non-existent")));
            } finally {
                ctx.delete(name);
            }
        });
    }
}
