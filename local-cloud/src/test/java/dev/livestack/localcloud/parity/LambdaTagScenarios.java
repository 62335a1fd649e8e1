package dev.livestack.localcloud.parity;

import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** TestLambdaTag's recordings for functions: tags at creation, the tagging lifecycle, refusals and deleted functions. */
final class LambdaTagScenarios {
    private static final String T = "TestLambdaTag::";
    private final LambdaParity ctx;
    private final ParityReport report;
    private final LambdaClient lambda;

    LambdaTagScenarios(LambdaParity ctx, ParityReport report) {
        this.ctx = ctx;
        this.report = report;
        this.lambda = ctx.lambda;
    }

    void all() {
        tagOnCreate();
        lifecycle();
        exceptions();
        nonexisting();
    }

    private String function(String name) {
        ctx.create(name, b -> { });
        return lambda.getFunction(b -> b.functionName(name)).configuration().functionArn();
    }

    void tagOnCreate() {
        report.run(ctx.snapshots, T + "test_create_tag_on_fn_create", run -> {
            String name = LambdaParity.name("fn-");
            String tag = LambdaParity.name("tag-");
            run.transform(Transform.regex(tag, "<custom-tag>"));
            try {
                ctx.create(name, b -> b.tags(Map.of("testtag", tag)));
                var got = run.call("get_function_result", () -> lambda.getFunction(b -> b.functionName(name)));
                run.call("list_tags_result", () -> lambda.listTags(b -> b.resource(got.configuration().functionArn())));
            } finally {
                ctx.delete(name);
            }
        });
    }

    void lifecycle() {
        report.run(ctx.snapshots, T + "test_tag_lifecycle[lambda_function]", run -> {
            String name = LambdaParity.name("fn-");
            try {
                String arn = function(name);
                step(run, "tag_single_response", arn, Map.of("A", "tag-a"), null);
                step(run, "tag_multiple_response", arn, Map.of("B", "tag-b", "C", "tag-c"), null);
                step(run, "tag_overlap_response", arn, Map.of("C", "tag-c-newsuffix", "D", "tag-d"), null);
                step(run, "untag_single_response", arn, null, new String[] {"A"});
                step(run, "untag_multiple_response", arn, null, new String[] {"B", "C"});
                step(run, "untag_nonexisting_response", arn, null, new String[] {"F"});
                step(run, "untag_existing_and_nonexisting_response", arn, null, new String[] {"D", "F"});
            } finally {
                ctx.delete(name);
            }
        });
    }

    private void step(ParityRun run, String key, String arn, Map<String, String> add, String[] remove) {
        if (add != null) {
            run.call(key, () -> lambda.tagResource(b -> b.resource(arn).tags(add)));
        } else {
            run.call(key, () -> lambda.untagResource(b -> b.resource(arn).tagKeys(remove)));
        }
        run.call(key + "_listtags", () -> lambda.listTags(b -> b.resource(arn)));
    }

    void exceptions() {
        report.run(ctx.snapshots, T + "test_tag_exceptions[lambda_function]", run -> {
            String name = UUID.randomUUID().toString();
            run.transform(Transform.regex(name, "<resource-name>"));
            String arn = "arn:aws:lambda:" + ctx.region + ":" + ctx.account + ":function:" + name;
            run.call("not_found_exception_tag", () -> lambda.tagResource(b -> b.resource(arn).tags(Map.of("A", "B"))));
            run.call("not_found_exception_untag", () -> lambda.untagResource(b -> b.resource(arn).tagKeys("A")));
            run.call("not_found_exception_list", () -> lambda.listTags(b -> b.resource(arn)));
            run.call("aliased_arn_exception", () -> lambda.listTags(b -> b.resource(arn + ":alias")));
            String invalid = "arn:aws:lambda:" + ctx.region + ":" + ctx.account + ":foobar:" + name;
            run.call("invalid_arn_exception", () -> lambda.listTags(b -> b.resource(invalid)));
        });
    }

    void nonexisting() {
        report.run(ctx.snapshots, T + "test_tag_nonexisting_resource", run -> {
            String name = LambdaParity.name("fn-");
            try {
                String arn = function(name);
                run.call("pre_delete_get_function", () -> lambda.getFunction(b -> b.functionName(arn)));
                lambda.deleteFunction(b -> b.functionName(arn));
                run.call("not_found_exception_tag", () -> lambda.tagResource(b -> b.resource(arn).tags(Map.of("A", "B"))));
                run.call("not_found_exception_untag", () -> lambda.untagResource(b -> b.resource(arn).tagKeys("A")));
                run.call("not_found_exception_list", () -> lambda.listTags(b -> b.resource(arn)));
            } finally {
                ctx.delete(name);
            }
        });
    }
}
