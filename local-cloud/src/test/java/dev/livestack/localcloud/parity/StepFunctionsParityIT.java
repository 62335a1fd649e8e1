package dev.livestack.localcloud.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.CreateStateMachineRequest;
import software.amazon.awssdk.services.sfn.model.CreateStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.LogLevel;
import software.amazon.awssdk.services.sfn.model.LoggingConfiguration;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;

/**
 * Step Functions API parity: the state machine lifecycle of LocalStack's recorded {@code test_sfn_api.py} and
 * {@code test_sfn_api_logs.py}, {@code test_sfn_api_tagging.py}. local-cloud stores and validates state machines but runs no executions, so the
 * recorded tests that start one are skipped with that reason.
 */
class StepFunctionsParityIT {
    static final String API = "tests/aws/services/stepfunctions/v2/test_sfn_api.snapshot.json";
    static final String LOGS = "tests/aws/services/stepfunctions/v2/test_sfn_api_logs.snapshot.json";
    static final String TAGS = "tests/aws/services/stepfunctions/v2/test_sfn_api_tagging.snapshot.json";
    static final String T = "TestSnfApi::";
    static final String L = "TestSnfApiLogs::";
    /** Just under what the suite reached when set (115 of 115); a lower share fails the build. */
    static final double FLOOR = 0.975;
    /** The recordings' BASE_PASS_RESULT template, as json.dumps wrote it. */
    static final String PASS = "{\"Comment\": \"BASE_PASS_RESULT\", \"StartAt\": \"State_1\", \"States\": {\"State_1\": "
            + "{\"Type\": \"Pass\", \"Result\": {\"Arg1\": \"%s\"}, \"End\": true}}}";
    @RegisterExtension
    static final ParityCloud cloud = new ParityCloud();
    static SfnClient sfn;
    static ParityReport report;
    static Snapshots api;
    static Snapshots logs;
    static Snapshots tagging;
    static String account;
    static String region;

    @BeforeAll
    static void start() {
        account = cloud.config().accountId();
        region = cloud.config().region();
        sfn = cloud.closeAfter(SfnClient.builder().endpointOverride(cloud.endpoint()).region(Region.of(region))
                .credentialsProvider(ParityCloud.credentials())
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(30)).retryStrategy(r -> r.maxAttempts(1)))
                .build());
        // this file was recorded with a snapshot library that wrote datetimes as "datetime"
        report = new ParityReport("stepfunctions", account, region, List.of(Transform.regex("\"<datetime>\"", "\"datetime\"")));
        api = Snapshots.load(API);
        logs = Snapshots.load(LOGS);
        tagging = Snapshots.load(TAGS);
    }

    @AfterAll
    static void check() throws Exception {
        report.skipRemaining(api, StepFunctionsParityIT::whyNot);
        report.skipRemaining(logs, StepFunctionsParityIT::whyNot);
        report.skipRemaining(tagging, StepFunctionsParityIT::whyNot);
        report.writeAndCheck(FLOOR);
    }

    static String whyNot(String testId) {
        if (testId.contains("test_tag_state_machine[tag_keys")) {
            return "recorded for a parametrisation the test no longer has, so its input is unknown";
        }
        if (testId.contains("tag_invalid_state_machine")) {
            return "botocore's client-side parameter validation; SDK v2 sends the request";
        }
        if (testId.contains("version")) {
            return "state machine versions (PublishStateMachineVersion) are not served by local-cloud";
        }
        if (testId.contains("execution") || testId.contains("stop_") || testId.contains("status_filter")) {
            return "local-cloud stores state machines but runs no executions (StartExecution and what follows are not served)";
        }
        if (testId.contains("cloudformation")) {
            return "the recording deploys the state machine with a CloudFormation template holding a YAML/JSON definition object; "
                    + "not reproduced here";
        }
        if (testId.contains("deleted_log_group") || testId.contains("update_logging")) {
            return "needs Step Functions to check that the log group exists; local-cloud checks only the ARN's form";
        }
        return "scenario not written yet";
    }

    private static String role() {
        return "arn:aws:iam::" + account + ":role/sfn-role-" + uid();
    }

    private static String uid() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static String pass(String arg) {
        return String.format(PASS, arg);
    }

    /** What the recordings' {@code sfn_sm_create_arn} step does: the machine's name becomes {@code <ArnPart_Nidx>}. */
    private static Transform arnPart(String arn, int index) {
        return Transform.text(arn.substring(arn.lastIndexOf(':') + 1), "<ArnPart_" + index + "idx>");
    }

    private static CreateStateMachineResponse create(ParityRun run, String key, String name, String definition, String role,
                                                     int index, LoggingConfiguration logging) {
        CreateStateMachineRequest.Builder b = CreateStateMachineRequest.builder().name(name).definition(definition).roleArn(role);
        if (logging != null) {
            b.loggingConfiguration(logging);
        }
        CreateStateMachineResponse r = sfn.createStateMachine(b.build());
        run.transform(arnPart(r.stateMachineArn(), index));
        if (key != null) {
            run.match(key, Botocore.view(r));
        }
        return r;
    }

    /** {@code {"exception_typename": ..., "exception_value": str(ClientError)}}, as some recordings hold an error. */
    private static ObjectNode exception(String operation, Supplier<? extends SdkResponse> call) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        try {
            return Botocore.view(call.get());
        } catch (AwsServiceException e) {
            out.put("exception_typename", e.awsErrorDetails().errorCode());
            out.put("exception_value", BotoShape.errorText(e, operation));
            return out;
        }
    }

    @Test
    void lifecycle() {
        report.run(api, T + "test_create_delete_valid_sm", run -> {
            String role = role();
            run.transform(Transform.text(role, "snf_role_arn"));
            String fn = "arn:aws:lambda:" + region + ":" + account + ":function:id_function";
            String def = "{\"Comment\": \"Hello World example\", \"StartAt\": \"State_1\", \"States\": {\"State_1\": "
                    + "{\"Type\": \"Task\", \"Resource\": \"" + fn + "\", \"Next\": \"State_2\"}, \"State_2\": {\"Type\": \"Task\", "
                    + "\"Resource\": \"" + fn + "\", \"ResultPath\": \"$.result_value\", \"End\": true}}}";
            var r = create(run, "creation_resp_1", "statemachine_" + uid(), def, role, 0, null);
            run.call("deletion_resp_1", () -> sfn.deleteStateMachine(b -> b.stateMachineArn(r.stateMachineArn())));
        });
        report.run(api, T + "test_create_delete_invalid_sm", run -> {
            String role = role();
            run.transform(Transform.text(role, "snf_role_arn"));
            run.call("invalid_definition_1", () -> sfn.createStateMachine(b -> b.name("statemachine_" + uid())
                    .definition("{\"Comment\": \"BASE_INVALID_DER\", \"StartAt\": \"State_1\"}").roleArn(role)));
        });
        report.run(api, T + "test_delete_nonexistent_sm", run -> {
            String role = role();
            run.transform(Transform.text(role, "snf_role_arn"));
            String name = "statemachine_" + uid();
            var r = sfn.createStateMachine(b -> b.name(name).definition(pass("argument1")).roleArn(role));
            String missing = r.stateMachineArn().replace(name, "statemachine_" + uid());
            run.call("deletion_resp_1", () -> sfn.deleteStateMachine(b -> b.stateMachineArn(missing)));
        });
        report.run(api, T + "test_describe_nonexistent_sm", run -> {
            String role = role();
            run.transform(Transform.text(role, "snf_role_arn"));
            String name = "statemachine_" + uid();
            var r = sfn.createStateMachine(b -> b.name(name).definition(pass("argument1")).roleArn(role));
            String missing = r.stateMachineArn().replace(name, "statemachine_" + uid());
            run.transform(Transform.text(missing, "sm_nonexistent_arn"));
            JsonNode e = exception("DescribeStateMachine", () -> sfn.describeStateMachine(b -> b.stateMachineArn(missing)));
            run.match("describe_nonexistent_sm", e.has("exception_value") ? e.get("exception_value") : e);
        });
        report.run(api, T + "test_describe_sm_arn_containing_punctuation", run -> {
            String role = role();
            run.transform(Transform.text(role, "snf_role_arn"));
            var r = create(run, "creation_resp", "state.machine_" + uid(), pass("argument1"), role, 0, null);
            run.call("describe_resp", () -> sfn.describeStateMachine(b -> b.stateMachineArn(r.stateMachineArn())));
        });
        report.run(api, T + "test_describe_invalid_arn_sm", run ->
                run.match("exception", exception("DescribeStateMachine", () -> sfn.describeStateMachine(b -> b.stateMachineArn("not_a_valid_arn")))));
    }

    @Test
    void duplicates() {
        report.run(api, T + "test_create_exact_duplicate_sm", run -> {
            String role = role();
            run.transform(Transform.text(role, "snf_role_arn"));
            String name = "statemachine_" + uid();
            var r1 = create(run, "creation_resp_1", name, pass("argument1"), role, 0, null);
            run.call("describe_resp_1", () -> sfn.describeStateMachine(b -> b.stateMachineArn(r1.stateMachineArn())));
            var r2 = create(run, "creation_resp_2", name, pass("argument1"), role, 1, null);
            run.call("describe_resp_2", () -> sfn.describeStateMachine(b -> b.stateMachineArn(r2.stateMachineArn())));
            run.call("describe_resp_1_2", () -> sfn.describeStateMachine(b -> b.stateMachineArn(r1.stateMachineArn())));
        });
        report.run(api, T + "test_create_duplicate_definition_format_sm", run -> {
            String role = role();
            run.transform(Transform.text(role, "snf_role_arn"));
            String name = "statemachine_" + uid();
            var r1 = create(run, "creation_resp_1", name, pass("argument1"), role, 0, null);
            run.call("describe_resp_1", () -> sfn.describeStateMachine(b -> b.stateMachineArn(r1.stateMachineArn())));
            // the same definition, indented (json.dumps with indent=4)
            String indented = "{\n    \"Comment\": \"BASE_PASS_RESULT\",\n    \"StartAt\": \"State_1\",\n    \"States\": {\n"
                    + "        \"State_1\": {\n            \"Type\": \"Pass\",\n            \"Result\": {\n                \"Arg1\": \"argument1\"\n"
                    + "            },\n            \"End\": true\n        }\n    }\n}";
            run.call("already_exists_1", () -> sfn.createStateMachine(b -> b.name(name).definition(indented).roleArn(role)));
        });
        report.run(api, T + "test_create_duplicate_sm_name", run -> {
            String role = role();
            run.transform(Transform.text(role, "snf_role_arn"));
            String name = "statemachine_" + uid();
            var r1 = create(run, "creation_resp_1", name, pass("argument1"), role, 0, null);
            run.call("describe_resp_1", () -> sfn.describeStateMachine(b -> b.stateMachineArn(r1.stateMachineArn())));
            String other = "{\"Comment\": \"BASE_PASS_RESULT\", \"StartAt\": \"State_1\", \"States\": {\"State_1\": {\"Type\": \"Pass\", "
                    + "\"Result\": {\"Arg1\": \"argument1\", \"Arg2\": \"Argument2\"}, \"End\": true}}}";
            run.call("already_exists_1", () -> sfn.createStateMachine(b -> b.name(name).definition(other).roleArn(role)));
        });
    }

    @Test
    void updates() {
        report.run(api, T + "test_create_update_state_machine_base_definition", run -> {
            String role = role();
            run.transform(Transform.text(role, "snf_role_arn"));
            var r = create(run, "creation_resp_t0", "statemachine_" + uid(), pass("argument1"), role, 0, null);
            String arn = r.stateMachineArn();
            run.call("describe_resp_t0", () -> sfn.describeStateMachine(b -> b.stateMachineArn(arn)));
            run.call("update_state_machine_res", () -> sfn.updateStateMachine(b -> b.stateMachineArn(arn).definition(pass("AfterUpdate1"))));
            run.call("describe_resp_t1", () -> sfn.describeStateMachine(b -> b.stateMachineArn(arn)));
            run.call("update_state_machine_res_t2", () -> sfn.updateStateMachine(b -> b.stateMachineArn(arn).definition(pass("AfterUpdate2"))));
            run.call("describe_resp_t2", () -> sfn.describeStateMachine(b -> b.stateMachineArn(arn)));
        });
        report.run(api, T + "test_create_update_state_machine_base_role_arn", run -> updateRoles(run, false, false));
        report.run(api, T + "test_create_update_state_machine_base_definition_and_role", run -> updateRoles(run, true, false));
        report.run(api, T + "test_create_update_state_machine_same_parameters", run -> updateRoles(run, false, true));
        report.run(api, T + "test_create_update_state_machine_base_update_none", run -> {
            String role = role();
            run.transform(Transform.text(role, "snf_role_arn"));
            var r = create(run, "creation_resp_t0", "statemachine_" + uid(), pass("argument1"), role, 0, null);
            String arn = r.stateMachineArn();
            run.call("describe_resp_t0", () -> sfn.describeStateMachine(b -> b.stateMachineArn(arn)));
            run.call("missing_required_parameter", () -> sfn.updateStateMachine(b -> b.stateMachineArn(arn)));
            run.skip("null_required_parameter", "botocore's client-side parameter validation; SDK v2 sends the request");
        });
    }

    /**
     * The role-update recordings: a new role at t1 and t2 (with new definitions when {@code definitions}); with
     * {@code same}, t2 repeats t0's definition and t1's role.
     */
    private static void updateRoles(ParityRun run, boolean definitions, boolean same) {
        String role0 = role();
        run.transform(Transform.text(role0, definitions ? "snf_role_arn" : "snf_role_arn_t0"));
        var r = create(run, "creation_resp_t0", "statemachine_" + uid(), pass("argument1"), role0, 0, null);
        String arn = r.stateMachineArn();
        run.call("describe_resp_t0", () -> sfn.describeStateMachine(b -> b.stateMachineArn(arn)));
        String role1 = role();
        run.transform(Transform.text(role1, "snf_role_arn_t1"));
        run.call("update_state_machine_res_t1", () -> sfn.updateStateMachine(b -> {
            b.stateMachineArn(arn).roleArn(role1);
            if (definitions) {
                b.definition(pass("AfterUpdate1"));
            }
        }));
        run.call("describe_resp_t1", () -> sfn.describeStateMachine(b -> b.stateMachineArn(arn)));
        if (same) {
            run.call("update_state_machine_res_t2", () -> sfn.updateStateMachine(b -> b.stateMachineArn(arn)
                    .definition(pass("argument1")).roleArn(role1)));
        } else {
            String role2 = role();
            run.transform(Transform.text(role2, "snf_role_arn_t2"));
            run.call("update_state_machine_res_t2", () -> sfn.updateStateMachine(b -> {
                b.stateMachineArn(arn).roleArn(role2);
                if (definitions) {
                    b.definition(pass("AfterUpdate2"));
                }
            }));
        }
        run.call("describe_resp_t2", () -> sfn.describeStateMachine(b -> b.stateMachineArn(arn)));
    }

    @Test
    void listing() {
        report.run(api, T + "test_list_sms", run -> {
            String role = role();
            run.transform(Transform.text(role, "snf_role_arn"));
            List<String> names = List.of("statemachine_1_" + uid(), "statemachine_2_" + uid(), "statemachine_3_" + uid());
            List<String> arns = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                arns.add(create(run, "creation_resp_" + i, names.get(i), pass("argument1"), role, i, null).stateMachineArn());
            }
            run.match("lst_resp_filter", listed(Set.copyOf(names), null));
            for (int i = 0; i < arns.size(); i++) {
                String arn = arns.get(i);
                run.call("deletion_resp_" + i, () -> sfn.deleteStateMachine(b -> b.stateMachineArn(arn)));
            }
            run.match("lst_resp_del_filter", listed(Set.copyOf(names), null));
        });
        report.run(api, T + "test_list_sms_pagination", run -> {
            String role = role();
            run.transform(Transform.text(role, "snf_role_arn"));
            List<String> names = new ArrayList<>();
            List<String> arns = new ArrayList<>();
            for (int i = 0; i < 13; i++) {
                String name = "statemachine_" + i + "_" + uid();
                names.add(name);
                arns.add(create(run, null, name, pass("argument1"), role, i, null).stateMachineArn());
            }
            ArrayNode all = listed(Set.copyOf(names), 5);
            // the recording printed the machines in the order the paginator gave them
            ArrayNode page1 = JsonNodeFactory.instance.arrayNode();
            ArrayNode page2 = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < all.size(); i++) {
                (i < 10 ? page1 : page2).add(all.get(i));
            }
            run.match("list-state-machines-page-1", page1);
            run.match("list-state-machines-page-2", page2);
            run.call("list-state-machines-invalid-param-too-large", () -> sfn.listStateMachines(b -> b.maxResults(1001)));
            run.skip("list-state-machines-invalid-param-short-nextToken",
                    "botocore's client-side parameter validation; SDK v2 sends the request");
            String longToken = "x".repeat(1025);
            run.transform(Transform.text(longToken, "<invalid_token_1025_chars>"));
            run.call("list-state-machines-invalid-param-long-nextToken", () -> sfn.listStateMachines(b -> b.nextToken(longToken)));
            arns.forEach(a -> sfn.deleteStateMachine(b -> b.stateMachineArn(a)));
        });
    }

    /** The listed machines named in {@code names}, each in botocore's shape, paging by {@code pageSize} when given. */
    private static ArrayNode listed(Set<String> names, Integer pageSize) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        var pages = sfn.listStateMachinesPaginator(b -> b.maxResults(pageSize));
        for (StateMachineListItem item : pages.stateMachines()) {
            if (names.contains(item.name())) {
                out.add(Botocore.pojo(item));
            }
        }
        return out;
    }

    private static List<software.amazon.awssdk.services.sfn.model.Tag> tags(String... kv) {
        List<software.amazon.awssdk.services.sfn.model.Tag> out = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.add(software.amazon.awssdk.services.sfn.model.Tag.builder().key(kv[i]).value(kv[i + 1]).build());
        }
        return out;
    }

    @Test
    void tagging() {
        String[][] lists = {{}, {"key1", "value1"}, {"key1", ""}, {"key1", "value1", "key1", "value1"},
                {"key1", "value1", "key2", "value2"}};
        for (int i = 0; i < lists.length; i++) {
            var list = tags(lists[i]);
            report.run(tagging, "TestSnfApiTagging::test_tag_state_machine[tag_list" + i + "]", run -> {
                String role = role();
                run.transform(Transform.text(role, "snf_role_arn"));
                var r = create(run, "creation_resp_1", "statemachine_" + uid(), pass("argument1"), role, 0, null);
                run.call("tag_resource_resp", () -> sfn.tagResource(b -> b.resourceArn(r.stateMachineArn()).tags(list)));
                run.call("list_resources_res", () -> sfn.listTagsForResource(b -> b.resourceArn(r.stateMachineArn())));
            });
        }
        String[][] keys = {{}, {"key1"}, {"key1", "key1"}, {"key1", "key2"}};
        for (int i = 0; i < keys.length; i++) {
            List<String> remove = List.of(keys[i]);
            report.run(tagging, "TestSnfApiTagging::test_untag_state_machine[tag_keys" + i + "]", run -> {
                String role = role();
                run.transform(Transform.text(role, "snf_role_arn"));
                var r = create(run, "creation_resp_1", "statemachine_" + uid(), pass("argument1"), role, 0, null);
                run.call("tag_resource_resp", () -> sfn.tagResource(b -> b.resourceArn(r.stateMachineArn()).tags(tags("key1", "value1"))));
                run.call("untag_resource_resp", () -> sfn.untagResource(b -> b.resourceArn(r.stateMachineArn()).tagKeys(remove)));
                run.call("list_resources_res", () -> sfn.listTagsForResource(b -> b.resourceArn(r.stateMachineArn())));
            });
        }
        report.run(tagging, "TestSnfApiTagging::test_create_state_machine", run -> {
            String role = role();
            run.transform(Transform.text(role, "snf_role_arn"));
            var r = sfn.createStateMachine(b -> b.name("statemachine_" + uid()).definition(pass("argument1")).roleArn(role)
                    .tags(tags("key1", "value1", "key2", "value2")));
            run.transform(arnPart(r.stateMachineArn(), 0));
            run.match("creation_resp_1", Botocore.view(r));
            run.call("list_resources_res", () -> sfn.listTagsForResource(b -> b.resourceArn(r.stateMachineArn())));
        });
    }

    @Test
    void logging() {
        String group = "log_group_" + uid();
        String groupArn = "arn:aws:logs:" + region + ":" + account + ":log-group:" + group + ":*";
        for (String level : List.of("ALL", "FATAL", "ERROR", "OFF")) {
            for (boolean data : List.of(false, true)) {
                String id = L + "test_logging_configuration[" + level + "-" + (data ? "True" : "False") + "]";
                report.run(logs, id, run -> {
                    String role = role();
                    run.transform(Transform.text(role, "snf_role_arn"));
                    run.transform(Transform.text(group, "log_group_name"));
                    LoggingConfiguration cfg = LoggingConfiguration.builder().level(LogLevel.fromValue(level))
                            .includeExecutionData(data)
                            .destinations(d -> d.cloudWatchLogsLogGroup(g -> g.logGroupArn(groupArn))).build();
                    var r = create(run, "creation_resp", "statemachine_" + uid(), pass("argument1"), role, 0, cfg);
                    run.call("describe_resp", () -> sfn.describeStateMachine(b -> b.stateMachineArn(r.stateMachineArn())));
                });
            }
        }
        List<LoggingConfiguration> incomplete = List.of(LoggingConfiguration.builder().build(),
                LoggingConfiguration.builder().destinations(List.of()).build());
        for (int i = 0; i < incomplete.size(); i++) {
            LoggingConfiguration cfg = incomplete.get(i);
            report.run(logs, L + "test_incomplete_logging_configuration[logging_configuration" + i + "]", run -> {
                String role = role();
                run.transform(Transform.text(role, "snf_role_arn"));
                var r = create(run, "creation_resp", "statemachine_" + uid(), pass("argument1"), role, 0, cfg);
                run.call("describe_resp", () -> sfn.describeStateMachine(b -> b.stateMachineArn(r.stateMachineArn())));
            });
        }
        List<String> levels = List.of("ALL", "FATAL", "ERROR");
        for (int i = 0; i < levels.size(); i++) {
            LoggingConfiguration cfg = LoggingConfiguration.builder().level(LogLevel.fromValue(levels.get(i))).build();
            report.run(logs, L + "test_invalid_logging_configuration[logging_configuration" + i + "]", run -> {
                String role = role();
                run.transform(Transform.text(role, "snf_role_arn"));
                run.match("exception", exception("CreateStateMachine", () -> sfn.createStateMachine(b -> b.name("statemachine_" + uid())
                        .definition(pass("argument1")).roleArn(role).loggingConfiguration(cfg))));
            });
        }
        report.run(logs, L + "test_multiple_destinations", run -> {
            String role = role();
            run.transform(Transform.text(role, "snf_role_arn"));
            LoggingConfiguration cfg = LoggingConfiguration.builder().level(LogLevel.ALL)
                    .destinations(d -> d.cloudWatchLogsLogGroup(g -> g.logGroupArn(groupArn)),
                            d -> d.cloudWatchLogsLogGroup(g -> g.logGroupArn(groupArn.replace(group, group + "2"))))
                    .build();
            run.match("exception", exception("CreateStateMachine", () -> sfn.createStateMachine(b -> b.name("statemachine_" + uid())
                    .definition(pass("argument1")).roleArn(role).loggingConfiguration(cfg))));
        });
    }
}
