package dev.livestack.localcloud.parity;

import static dev.livestack.localcloud.parity.CfnParityCloud.template;
import static dev.livestack.localcloud.parity.CfnParityCloud.uid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.GetTemplateResponse;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.cloudformation.model.Tag;
import software.amazon.awssdk.services.cloudformation.model.TemplateStage;

/** Stacks, replayed from LocalStack's recorded {@code api/test_stacks.py} and {@code api/test_validations.py}. */
class CloudFormationStacksParityIT extends CloudFormationParity {
    static final String FILE = "cloudformation/api/test_stacks.snapshot.json";
    static final String VALIDATIONS = "cloudformation/api/test_validations.snapshot.json";
    static final String MINIMAL = CloudFormationChangeSetsParityIT.MINIMAL;

    private JsonNode firstStack(String stack) {
        return BotoShape.value(cloud.cfn.describeStacks(b -> b.stackName(stack)).stacks().get(0));
    }

    @Test
    void lifecycle() {
        RUNS.run(FILE, "test_stack_lifecycle", c -> {
            String body = template("simple_api.yaml");
            var deployed = cloud.deploy(null, false, body, Map.of("ApiName", "test_" + uid()));
            c.match("creation", firstStack(deployed.stackName()));
            cloud.deploy(deployed.stackName(), true, body, Map.of("ApiName", "test_" + uid()));
            c.match("update", firstStack(deployed.stackName()));
            cloud.cfn.deleteStack(b -> b.stackName(deployed.stackName()));
            cloud.waiter.waitUntilStackDeleteComplete(b -> b.stackName(deployed.stackId()));
            c.match("describe_deleted_by_name_exc", c.error(() -> cloud.cfn.describeStacks(b -> b.stackName(deployed.stackName()))));
            c.match("deleted", firstStack(deployed.stackId()));
        });
    }

    @Test
    void descriptionSpecialChars() {
        RUNS.run(FILE, "test_stack_description_special_chars", c -> {
            var deployed = cloud.deploy("""
                    {"AWSTemplateFormatVersion": "2010-09-09", "Description": "test <env>.test.net",
                     "Resources": {"TestResource": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "100.30.20.0/20"}}}}
                    """);
            c.match("describe_stack", firstStack(deployed.stackId()));
        });
    }

    @Test
    void descriptionLifecycleNoTags() {
        descriptionLifecycle("test_stack_description_lifecycle[no-tags]", List.of());
    }

    @Test
    void descriptionLifecycleWithTags() {
        descriptionLifecycle("test_stack_description_lifecycle[with-tags]", List.of(Tag.builder().key("foo").value("bar").build()));
    }

    private void descriptionLifecycle(String test, List<Tag> tags) {
        RUNS.run(FILE, test, c -> {
            String body = """
                    {"AWSTemplateFormatVersion": "2010-09-09", "Description": "test <env>.test.net",
                     "Resources": {"TestResource": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": "DummyValue"}}}}
                    """;
            var cs = cloud.cfn.createChangeSet(b -> {
                b.stackName("stack-" + uid()).changeSetName("cs-" + uid()).changeSetType(ChangeSetType.CREATE).templateBody(body);
                if (!tags.isEmpty()) {
                    b.tags(tags);
                }
            });
            cloud.waiter.waitUntilChangeSetCreateComplete(b -> b.changeSetName(cs.id()).stackName(cs.stackId()));
            c.match("change-set-pre-execute", cloud.cfn.describeChangeSet(b -> b.changeSetName(cs.id())));
            c.match("stack-pre-execute", firstStack(cs.stackId()));
            cloud.cfn.executeChangeSet(b -> b.changeSetName(cs.id()));
            cloud.waiter.waitUntilStackCreateComplete(b -> b.stackName(cs.stackId()));
            c.match("stack-post-execute", firstStack(cs.stackId()));
        });
    }

    @Test
    void getTemplateUsingCreateStack() {
        for (String format : List.of("yaml", "json")) {
            RUNS.run(FILE, "test_get_template_using_create_stack[" + format + "]", c -> {
                String stack = "stack-" + uid();
                cloud.cfn.createStack(b -> b.stackName(stack).templateBody(template("sns_topic_template." + format)));
                cloud.waiter.waitUntilStackCreateComplete(b -> b.stackName(stack));
                c.match("template_original", decoded(cloud.cfn.getTemplate(b -> b.stackName(stack).templateStage(TemplateStage.ORIGINAL))));
                c.match("template_processed", decoded(cloud.cfn.getTemplate(b -> b.stackName(stack).templateStage(TemplateStage.PROCESSED))));
            });
        }
    }

    @Test
    void getTemplateUsingChangeSets() {
        for (String format : List.of("yaml", "json")) {
            RUNS.run(FILE, "test_get_template_using_changesets[" + format + "]", c -> {
                var stack = cloud.deploy(template("sns_topic_template." + format));
                c.match("template_original", decoded(cloud.cfn.getTemplate(b -> b.stackName(stack.stackId()).templateStage(TemplateStage.ORIGINAL))));
                c.match("template_processed", decoded(cloud.cfn.getTemplate(b -> b.stackName(stack.stackId()).templateStage(TemplateStage.PROCESSED))));
            });
        }
    }

    /** boto3 hands a JSON template body back decoded; a YAML one stays text. */
    static ObjectNode decoded(GetTemplateResponse r) {
        ObjectNode out = BotoShape.response(r);
        try {
            JsonNode parsed = BotoShape.JSON.readTree(r.templateBody());
            if (parsed != null && parsed.isObject()) {
                out.set("TemplateBody", parsed);
            }
        } catch (java.io.IOException yaml) {
            // not JSON: boto3 leaves it as the text it is
        }
        return out;
    }

    @Test
    void stackUpdateResources() {
        RUNS.run(FILE, "test_stack_update_resources", c -> {
            var deployed = cloud.deploy(null, false, template("simple_api.yaml"), Map.of("ApiName", "test_" + uid()));
            c.match("stack_created", firstStack(deployed.stackId()));
            cloud.deploy(deployed.stackName(), true, template("simple_api.update.yaml"), Map.of("ApiName", "test_" + uid()));
            c.match("stack_updated", firstStack(deployed.stackId()));
            c.match("stack_resources", cloud.cfn.describeStackResources(b -> b.stackName(deployed.stackName())));
        });
    }

    @Test
    void updateWithSameTemplate() {
        RUNS.run(FILE, "test_update_stack_with_same_template_withoutchange", c -> {
            String body = template("simple_no_change.yaml");
            var stack = cloud.deploy(body);
            c.match("no_change_exception", c.error(() -> cloud.cfn.updateStack(b -> b.stackName(stack.stackName()).templateBody(body))));
        });
    }

    @Test
    void listEventsAfterDeployment() {
        RUNS.run(FILE, "test_list_events_after_deployment", c -> {
            var stack = cloud.deploy(template("sns_topic_simple.yaml"));
            var events = cloud.cfn.describeStackEvents(b -> b.stackName(stack.stackName()));
            ObjectNode out = BotoShape.response(events);
            ArrayNode sorted = BotoShape.NODES.arrayNode();
            events.stackEvents().stream().sorted(Comparator.comparing(StackEvent::timestamp)).forEach(e -> sorted.add(BotoShape.value(e)));
            out.set("StackEvents", sorted);
            c.match("events", out);
        });
    }

    @Test
    void updateTerminationProtection() {
        RUNS.run(FILE, "test_update_termination_protection", c -> {
            var stack = cloud.deploy(null, false, template("simple_api.yaml"), Map.of("ApiName", "test_" + uid()));
            cloud.cfn.updateTerminationProtection(b -> b.enableTerminationProtection(true).stackName(stack.stackName()));
            c.match("describe-stack-1", cloud.cfn.describeStacks(b -> b.stackName(stack.stackName())));
            cloud.cfn.updateTerminationProtection(b -> b.enableTerminationProtection(false).stackName(stack.stackName()));
            c.match("describe-stack-2", cloud.cfn.describeStacks(b -> b.stackName(stack.stackName())));
        });
    }

    @Test
    void nameConflicts() {
        RUNS.run(FILE, "test_name_conflicts", c -> {
            String name = "repeated-stack-" + uid();
            String first = cloud.cfn.createStack(b -> b.stackName(name).templateBody(MINIMAL)).stackId();
            cloud.waiter.waitUntilStackCreateComplete(b -> b.stackName(name));
            c.match("create_stack_already_exists_exc", c.error(() -> cloud.cfn.createStack(b -> b.stackName(name).templateBody(MINIMAL))));
            c.match("created_stack_desc", firstStack(name).get("StackStatus"));
            cloud.cfn.deleteStack(b -> b.stackName(name));
            cloud.waiter.waitUntilStackDeleteComplete(b -> b.stackName(first));
            c.match("deleted_stack_not_found_exc", c.error(() -> cloud.cfn.describeStacks(b -> b.stackName(name))));
            c.match("deleted_stack_events_not_found_by_name", c.error(() -> cloud.cfn.describeStackEvents(b -> b.stackName(name))));
            c.match("deleted_stack_desc", cloud.cfn.describeStacks(b -> b.stackName(first)));
            String second = cloud.cfn.createStack(b -> b.stackName(name).templateBody(MINIMAL)).stackId();
            cloud.waiter.waitUntilStackCreateComplete(b -> b.stackName(name));
            c.match("new_stack_desc", cloud.cfn.describeStacks(b -> b.stackName(name)));
            c.match("stack_id_desc", cloud.cfn.describeStacks(b -> b.stackName(first)));
            c.match("new_stack_id_desc", cloud.cfn.describeStacks(b -> b.stackName(second)));
            cloud.cfn.deleteStack(b -> b.stackName(name));
            cloud.waiter.waitUntilStackDeleteComplete(b -> b.stackName(second));
            c.match("deleted_second_stack_desc", cloud.cfn.describeStacks(b -> b.stackName(second)));
        });
    }

    @Test
    void describeStackEventsErrors() {
        RUNS.run(FILE, "test_describe_stack_events_errors", c -> c.match("describe_stack_events_stack_not_found",
                c.error(() -> cloud.cfn.describeStackEvents(b -> b.stackName("does-not-exist")))));
    }

    @Test
    void deployOrder() {
        Map<String, String> defs = Map.of(
                "A", "{\"Type\": \"AWS::SSM::Parameter\", \"Properties\": {\"Type\": \"String\", \"Value\": \"root\"}}",
                "B", "{\"Type\": \"AWS::SSM::Parameter\", \"Properties\": {\"Type\": \"String\", \"Value\": {\"Ref\": \"A\"}}}",
                "C", "{\"Type\": \"AWS::SSM::Parameter\", \"Properties\": {\"Type\": \"String\", \"Value\": {\"Ref\": \"B\"}}}");
        for (String order : List.of("A-B-C", "A-C-B", "B-A-C", "B-C-A", "C-A-B", "C-B-A")) {
            RUNS.run(FILE, "test_stack_deploy_order[" + order + "]", c -> {
                StringBuilder body = new StringBuilder("{\"Resources\": {");
                String[] ids = order.split("-");
                for (int i = 0; i < ids.length; i++) {
                    body.append(i == 0 ? "" : ",").append('"').append(ids[i]).append("\": ").append(defs.get(ids[i]));
                }
                var stack = cloud.deploy(body.append("}}").toString());
                cloud.destroy(stack.stackId());
                ArrayNode out = BotoShape.NODES.arrayNode();
                cloud.cfn.describeStackEvents(b -> b.stackName(stack.stackId())).stackEvents().stream()
                        .filter(e -> List.of(ids).contains(e.logicalResourceId()) && e.resourceStatusAsString().endsWith("_COMPLETE"))
                        .sorted(Comparator.comparing(StackEvent::timestamp))
                        .forEach(e -> out.add(BotoShape.value(e)));
                c.match("events", out);
            });
        }
    }

    @Test
    void noEchoParameter() {
        RUNS.run(FILE, "test_no_echo_parameter", c -> {
            String body = template("cfn_no_echo.yml");
            var stack = cloud.deploy(null, false, body, Map.of("SecretParameter", "SecretValue"));
            c.match("describe_stacks", sortedParameters(BotoShape.response(cloud.cfn.describeStacks(b -> b.stackName(stack.stackId())))));
            c.match("describe_stack_resource_details_LocalBucket", cloud.cfn.describeStackResource(b -> b.stackName(stack.stackName())
                    .logicalResourceId("LocalBucket")));
            String cs1 = "CreateChangeSetSecretParameterValue-" + uid();
            cloud.cfn.createChangeSet(b -> b.stackName(stack.stackName()).templateBody(body).changeSetName(cs1)
                    .parameters(CloudFormationChangeSetsParityIT.param("SecretParameter", "NewSecretValue1")));
            cloud.waiter.waitUntilChangeSetCreateComplete(b -> b.stackName(stack.stackName()).changeSetName(cs1));
            c.match("describe_change_set_on_create_complete", sortedParameters(BotoShape.response(
                    cloud.cfn.describeChangeSet(b -> b.stackName(stack.stackId()).changeSetName(cs1)))));
            c.match("describe_stack_on_create_complete", sortedParameters(BotoShape.response(cloud.cfn.describeStacks(b -> b.stackName(stack.stackId())))));
            cloud.cfn.updateStack(b -> b.stackName(stack.stackName()).templateBody(body)
                    .parameters(CloudFormationChangeSetsParityIT.param("SecretParameter", "NewSecretValue1")));
            cloud.waiter.waitUntilStackUpdateComplete(b -> b.stackName(stack.stackName()));
            c.match("describe_updated_stacks", sortedParameters(BotoShape.response(cloud.cfn.describeStacks(b -> b.stackName(stack.stackId())))));
            String visible = body.replaceFirst("NoEcho: true", "NoEcho: false");
            String[][] steps = {{"UpdateSecretParameterValue-", body, "describe_updated_change_set", "describe_updated_stacks_change_set"},
                {"UpdateSecretParameterNoEchoToFalse-", visible, "describe_updated_change_set_no_echo_true", "describe_updated_stacks_no_echo_true"},
                {"UpdateSecretParameterNoEchoToTrue-", body, "describe_updated_change_set_no_echo_false", "describe_updated_stacks_no_echo_false"}};
            for (String[] step : steps) {
                String name = step[0] + uid();
                cloud.cfn.createChangeSet(b -> b.stackName(stack.stackName()).templateBody(step[1]).changeSetName(name)
                        .parameters(CloudFormationChangeSetsParityIT.param("SecretParameter", "NewSecretValue2")));
                cloud.waiter.waitUntilChangeSetCreateComplete(b -> b.stackName(stack.stackName()).changeSetName(name));
                c.match(step[2], sortedParameters(BotoShape.response(cloud.cfn.describeChangeSet(b -> b.stackName(stack.stackId()).changeSetName(name)))));
                c.match(step[3], sortedParameters(BotoShape.response(cloud.cfn.describeStacks(b -> b.stackName(stack.stackId())))));
            }
        });
    }

    /** The recording sorted {@code Parameters} lists by key wherever they appear. */
    static JsonNode sortedParameters(JsonNode node) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                if (f.getKey().equals("Parameters") && f.getValue().isArray()) {
                    List<JsonNode> items = new java.util.ArrayList<>();
                    f.getValue().forEach(items::add);
                    items.sort(Comparator.comparing(n -> n.path("ParameterKey").asText()));
                    ((ArrayNode) f.getValue()).removeAll().addAll(items);
                } else {
                    sortedParameters(f.getValue());
                }
            });
        } else if (node.isArray()) {
            node.forEach(CloudFormationStacksParityIT::sortedParameters);
        }
        return node;
    }

    @Test
    void resourceNotFound() {
        RUNS.run(FILE, "test_stack_resource_not_found", c -> {
            var stack = cloud.deploy(null, false, template("sns_topic_simple.yaml"), Map.of("TopicName", "topic" + uid()));
            c.match("Error", c.error(() -> cloud.cfn.describeStackResource(b -> b.stackName(stack.stackName())
                    .logicalResourceId("NonExistentResource"))));
        });
    }

    @Test
    void nonExistingStackMessage() {
        RUNS.run(FILE, "test_non_existing_stack_message", c ->
                c.match("Error", c.error(() -> cloud.cfn.describeStacks(b -> b.stackName("non-existing")))));
    }

    @Test
    void noParametersGiven() {
        RUNS.run(FILE, "test_no_parameters_given", c -> c.match("deploy-error", BotoShape.errorText(
                c.error(() -> cloud.deploy(template("ssm_parameter_defaultname.yaml"))), "CreateChangeSet")));
    }

    @Test
    void invalidOutputs() {
        Map<String, String> outputs = Map.of("none-value", "{\"MyOutput\": {\"Value\": null}}",
                "missing-def", "{\"MyOutput\": {\"Value\": null, \"AnotherValue\": null}}",
                "multiple-nones", "{\"MyOutput\": {}}");
        outputs.forEach((id, json) -> RUNS.run(VALIDATIONS, "test_invalid_output_structure[" + id + "]", c ->
                c.match("validation-error", c.error(() -> cloud.deploy(
                        "{\"Resources\": {\"Foo\": {\"Type\": \"AWS::SNS::Topic\"}}, \"Outputs\": " + json + "}")))));
    }

    @Test
    void missingResourcesBlock() {
        RUNS.run(VALIDATIONS, "test_missing_resources_block", c -> c.match("validation-error", c.error(() -> cloud.deploy("{}"))));
    }

    @Test
    void resourceBlocks() {
        RUNS.run(VALIDATIONS, "test_resources_blocks[missing-type]", c -> c.match("validation-error",
                c.error(() -> cloud.deploy("{\"Resources\": {\"A\": {\"Properties\": {}}}}"))));
        RUNS.run(VALIDATIONS, "test_resources_blocks[invalid-key]", c -> c.match("validation-error",
                c.error(() -> cloud.deploy("{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\", \"Invalid\": 10}}}"))));
    }
}
