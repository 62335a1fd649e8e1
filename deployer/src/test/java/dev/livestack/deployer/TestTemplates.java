package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** Test templates: JSON from single-quoted text, the change between two resource definitions, and a resolver over a made-up deployed stack. */
final class TestTemplates {
    private TestTemplates() {
    }

    static ObjectNode obj(String singleQuoted) {
        return Json.parseObject(singleQuoted.replace('\'', '"'));
    }

    static JsonNode node(String singleQuoted) {
        try {
            return Json.MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static StackResolver resolver(ObjectNode template) {
        return new StackResolver("app", "arn:aws:cloudformation:us-east-1:000000000000:stack/app/1234", "us-east-1",
                "000000000000",
                Map.of("Fn", new StackResolver.Deployed("app-Fn-ABC", "AWS::Lambda::Function"),
                        "Role", new StackResolver.Deployed("app-Role-XYZ", "AWS::IAM::Role"),
                        "Queue", new StackResolver.Deployed("http://127.0.0.1/000000000000/app-Queue-Q", "AWS::SQS::Queue"),
                        "Machine", new StackResolver.Deployed("arn:aws:states:us-east-1:000000000000:stateMachine:app-Machine", "AWS::StepFunctions::StateMachine"),
                        "FnVersion1", new StackResolver.Deployed("arn:aws:lambda:us-east-1:000000000000:function:app-Fn-ABC:3", "AWS::Lambda::Version"),
                        "Alias", new StackResolver.Deployed("arn:aws:lambda:us-east-1:000000000000:function:app-Fn-ABC:live", "AWS::Lambda::Alias")),
                Map.of("Stage", "dev", "Names", "a,b,c", "ApiToken", "s3cr3t"),
                Map.of("Url", "http://x"), template);
    }

    static ResourceChange change(String id, String oldResource, String newResource) {
        TemplateDiff d = TemplateDiff.between(obj("{'Resources':{'" + id + "':" + oldResource + "}}"),
                obj("{'Resources':{'" + id + "':" + newResource + "}}"));
        return d.resources().get(0);
    }
}
