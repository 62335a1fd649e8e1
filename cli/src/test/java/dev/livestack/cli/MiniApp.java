package dev.livestack.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A small cdk.json app for watch tests: {@code app.py} writes a cloud assembly with one stack (a role and an inline
 * Node.js function whose code is {@code fn/index.js}, stamped with {@code livestack:source} so the watcher's fast path
 * knows it) from {@code config.json}: memory, environment stage, description, an optional SSM parameter, a delay
 * after reading the sources (a slow synth), and a failure switch (a broken synth).
 */
final class MiniApp {
    static final String STACK = "MiniStack";

    private static final String APP = """
            import json, os, sys, time
            here = os.path.dirname(os.path.abspath(__file__))
            cfg = json.load(open(os.path.join(here, "config.json")))
            code = open(os.path.join(here, "fn", "index.js")).read()
            if cfg.get("fail"):
                sys.stderr.write("app.py: config.json asks for a failure\\n")
                sys.exit(1)
            time.sleep(cfg.get("sleepMs", 0) / 1000.0)
            out = os.environ["CDK_OUTDIR"]
            os.makedirs(out, exist_ok=True)
            res = {
              "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}},
              "Fn": {"Type": "AWS::Lambda::Function",
                "Metadata": {"livestack:source": "fn", "livestack:runtime": "nodejs20.x"},
                "Properties": {"Runtime": "nodejs20.x", "Handler": "index.handler", "Role": {"Fn::GetAtt": ["Role", "Arn"]},
                  "Code": {"ZipFile": code}, "MemorySize": cfg.get("memory", 128), "Description": cfg.get("description", "d"),
                  "Environment": {"Variables": {"STAGE": cfg.get("stage", "dev")}}}}}
            if cfg.get("param"):
              res["Param"] = {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": cfg["param"]}}
            t = {"Resources": res, "Outputs": {"FnName": {"Value": {"Ref": "Fn"}}}}
            stack = cfg.get("stack", "%s")
            json.dump(t, open(os.path.join(out, stack + ".template.json"), "w"), indent=1)
            json.dump({"version": "36.0.0", "artifacts": {stack: {"type": "aws:cloudformation:stack",
              "environment": "aws://unknown-account/unknown-region",
              "properties": {"templateFile": stack + ".template.json"}}}}, open(os.path.join(out, "manifest.json"), "w"))
            """.formatted(STACK);

    private MiniApp() {
    }

    /** The handler source whose reply is {@code reply}. */
    static String handler(String reply) {
        return "exports.handler = async () => '" + reply + "';\n";
    }

    static Path create(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("fn"));
        Files.writeString(dir.resolve("cdk.json"), "{\"app\": \"python3 app.py\"}");
        Files.writeString(dir.resolve("app.py"), APP);
        writeCode(dir, "v1");
        writeConfig(dir, config());
        return dir;
    }

    static final String NESTED_PARENT = "MiniParent";

    /**
     * A cdk.json app whose stack {@value #NESTED_PARENT} holds a CDK-style nested stack {@code Inner} with the inline
     * function {@code Fn} (code {@code fn/index.js}, stamped with {@code livestack:source}): as {@code NestedStack}
     * writes it, the nested template is a file asset of the assembly ({@code aws:asset:path}, published to the bootstrap
     * bucket under its hash, which the parent's {@code TemplateURL} names), and the parent outputs the function's name.
     */
    static Path nested(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("fn"));
        save(dir.resolve("cdk.json"), "{\"app\": \"python3 app.py\"}");
        save(dir.resolve("app.py"), """
            import hashlib, json, os
            here = os.path.dirname(os.path.abspath(__file__))
            code = open(os.path.join(here, "fn", "index.js")).read()
            out = os.environ["CDK_OUTDIR"]
            os.makedirs(out, exist_ok=True)
            inner = {"Resources": {
              "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}},
              "Fn": {"Type": "AWS::Lambda::Function",
                "Metadata": {"livestack:source": "fn", "livestack:runtime": "nodejs20.x"},
                "Properties": {"Runtime": "nodejs20.x", "Handler": "index.handler", "Role": {"Fn::GetAtt": ["Role", "Arn"]},
                  "Code": {"ZipFile": code}}}},
              "Outputs": {"FnName": {"Value": {"Ref": "Fn"}}}}
            body = json.dumps(inner, indent=1)
            digest = hashlib.sha256(body.encode()).hexdigest()
            nested = "%1$sInner.nested.template.json"
            open(os.path.join(out, nested), "w").write(body)
            bucket = "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"
            parent = {"Resources": {"Inner": {"Type": "AWS::CloudFormation::Stack",
              "Properties": {"TemplateURL": {"Fn::Join": ["", ["https://s3.", {"Ref": "AWS::Region"}, ".",
                {"Ref": "AWS::URLSuffix"}, "/", {"Fn::Sub": bucket}, "/" + digest + ".json"]]}},
              "Metadata": {"aws:asset:path": nested, "aws:asset:property": "TemplateURL"}}},
              "Outputs": {"FnName": {"Value": {"Fn::GetAtt": ["Inner", "Outputs.FnName"]}}}}
            json.dump(parent, open(os.path.join(out, "%1$s.template.json"), "w"), indent=1)
            json.dump({"version": "48.0.0", "files": {digest: {"displayName": "%1$s/Inner Nested Stack",
              "source": {"path": nested, "packaging": "file"}, "destinations": {"current_account-current_region": {
              "bucketName": bucket, "objectKey": digest + ".json"}}}}, "dockerImages": {}},
              open(os.path.join(out, "%1$s.assets.json"), "w"))
            json.dump({"version": "48.0.0", "artifacts": {
              "%1$s.assets": {"type": "cdk:asset-manifest", "properties": {"file": "%1$s.assets.json"}},
              "%1$s": {"type": "aws:cloudformation:stack", "environment": "aws://unknown-account/unknown-region",
                "properties": {"templateFile": "%1$s.template.json"}, "dependencies": ["%1$s.assets"]}}},
              open(os.path.join(out, "manifest.json"), "w"))
            """.formatted(NESTED_PARENT));
        writeCode(dir, "v1");
        return dir;
    }

    /** A cdk.json app (in {@code dir}, created when missing) whose assembly has two stacks, ApiStack and DataStack. */
    static void twoStacks(Path dir) throws IOException {
        Files.createDirectories(dir);
        save(dir.resolve("cdk.json"), "{\"app\": \"python3 app.py\"}");
        save(dir.resolve("app.py"), """
            import json, os
            out = os.environ["CDK_OUTDIR"]
            os.makedirs(out, exist_ok=True)
            arts = {}
            for name in ["ApiStack", "DataStack"]:
                json.dump({"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}, open(os.path.join(out, name + ".template.json"), "w"))
                arts[name] = {"type": "aws:cloudformation:stack", "environment": "aws://unknown-account/unknown-region",
                              "properties": {"templateFile": name + ".template.json"}}
            json.dump({"version": "36.0.0", "artifacts": arts}, open(os.path.join(out, "manifest.json"), "w"))
            """);
    }

    static ObjectNode config() {
        return Output.JSON.createObjectNode().put("memory", 128).put("stage", "dev").put("description", "d");
    }

    /** Saves the function's source as an editor does (a whole new file moved into place). */
    static void writeCode(Path dir, String reply) throws IOException {
        save(dir.resolve("fn/index.js"), handler(reply));
    }

    static void writeConfig(Path dir, ObjectNode config) throws IOException {
        save(dir.resolve("config.json"), config.toPrettyString());
    }

    private static void save(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
