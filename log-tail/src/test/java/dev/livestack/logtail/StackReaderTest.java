package dev.livestack.logtail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackReaderTest {

    @Test
    void functionsAndLogGroupsBecomeActionsInTemplateOrder() {
        JsonNode template = StackReader.parse("""
            {"Resources": {
              "WorkerRole1": {"Type": "AWS::IAM::Role"},
              "Worker5F3C": {"Type": "AWS::Lambda::Function",
                 "Metadata": {"aws:cdk:path": "Shop/Orders/Worker/Resource"}},
              "ApiLogs9A": {"Type": "AWS::Logs::LogGroup", "Metadata": {"aws:cdk:path": "Shop/ApiLogs/Resource"}},
              "Api77": {"Type": "AWS::Lambda::Function",
                 "Properties": {"LoggingConfig": {"LogGroup": {"Ref": "ApiLogs9A"}}},
                 "Metadata": {"aws:cdk:path": "Shop/Api/Resource"}},
              "Named": {"Type": "AWS::Lambda::Function",
                 "Properties": {"LoggingConfig": {"LogGroup": {"Fn::Sub": "/app/${AWS::StackName}/named"}}}},
              "Joined": {"Type": "AWS::Lambda::Function",
                 "Properties": {"LoggingConfig": {"LogGroup": {"Fn::Join": ["-", ["/app", {"Ref": "ApiLogs9A"}]]}}}},
              "NotCreated": {"Type": "AWS::Lambda::Function"}
            }}""");
        Map<String, StackReader.Resource> created = new java.util.LinkedHashMap<>();
        created.put("Api77", fn("Shop-Api77-def"));
        created.put("WorkerRole1", new StackReader.Resource("AWS::IAM::Role", "role"));
        created.put("Worker5F3C", fn("Shop-Worker5F3C-abc"));
        created.put("ApiLogs9A", new StackReader.Resource("AWS::Logs::LogGroup", "shop-api-logs"));
        created.put("Named", fn("named-fn"));
        created.put("Joined", fn("joined-fn"));
        List<Action> actions = StackReader.actions("Shop", template, created);
        assertEquals(List.of(
                new Action("Shop", "Worker5F3C", "Shop/Orders/Worker", "Shop-Worker5F3C-abc", "/aws/lambda/Shop-Worker5F3C-abc"),
                new Action("Shop", "ApiLogs9A", "Shop/ApiLogs", "shop-api-logs", "shop-api-logs"),
                new Action("Shop", "Api77", "Shop/Api", "Shop-Api77-def", "shop-api-logs"),
                new Action("Shop", "Named", null, "named-fn", "/app/Shop/named"),
                new Action("Shop", "Joined", null, "joined-fn", "/app-shop-api-logs")), actions);
    }

    @Test
    void yamlTemplatesAreRead() {
        JsonNode template = StackReader.parse("""
            Resources:
              Fn:
                Type: AWS::Lambda::Function
                Properties:
                  LoggingConfig:
                    LogGroup: /shared/logs
            """);
        assertEquals(List.of(new Action("S", "Fn", null, "fn-1", "/shared/logs")),
                StackReader.actions("S", template, Map.of("Fn", fn("fn-1"))));
    }

    @Test
    void anUnresolvableLogGroupFallsBackToLambdasDefault() {
        JsonNode template = StackReader.parse("""
            {"Resources": {"Fn": {"Type": "AWS::Lambda::Function",
              "Properties": {"LoggingConfig": {"LogGroup": {"Fn::ImportValue": "x"}}}}}}""");
        assertEquals("/aws/lambda/fn-1", StackReader.actions("S", template, Map.of("Fn", fn("fn-1"))).get(0).logGroup());
    }

    @Test
    void withoutATemplateFunctionsStillResolveByIdAndName() {
        Map<String, StackReader.Resource> created = new java.util.LinkedHashMap<>();
        created.put("Fn", fn("fn-1"));
        created.put("Logs", new StackReader.Resource("AWS::Logs::LogGroup", "/g"));
        assertEquals(List.of(new Action("S", "Fn", null, "fn-1", "/aws/lambda/fn-1"), new Action("S", "Logs", null, "/g", "/g")),
                StackReader.actions("S", null, created));
    }

    private static StackReader.Resource fn(String name) {
        return new StackReader.Resource("AWS::Lambda::Function", name);
    }

    @Test
    void aNestedStacksNameIsReadFromItsArn() {
        assertEquals("NestedParent-InnerNested-ABCDEFGHIJKL", StackReader.nestedStackName(
                "arn:aws:cloudformation:us-east-1:000000000000:stack/NestedParent-InnerNested-ABCDEFGHIJKL/7c1f-uuid"));
        assertEquals("app-Inner-1", StackReader.nestedStackName("arn:aws-cn:cloudformation:cn-north-1:1:stack/app-Inner-1/x"));
        // not a stack ARN (a resource not created yet, or a made-up id): nothing to read
        assertEquals(null, StackReader.nestedStackName("app-Inner-1"));
        assertEquals(null, StackReader.nestedStackName(null));
    }
}
