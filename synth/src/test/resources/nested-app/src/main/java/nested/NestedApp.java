package nested;

import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.NestedStack;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.constructs.Construct;

/**
 * A parent stack with one NestedStack holding a Node.js asset function; the parent outputs the function's name
 * (a nested stack output, read with Fn::GetAtt Inner.Outputs.X). A file {@code fail} next to cdk.json adds a
 * queue to the nested stack that CloudFormation refuses (VisibilityTimeout above 43200), to fail the nested stack.
 */
public final class NestedApp {
    public static void main(final String[] args) {
        App app = new App();
        Stack parent = new Stack(app, "NestedParent");
        Inner inner = new Inner(parent, "Inner");
        CfnOutput.Builder.create(parent, "HelloName").value(inner.hello.getFunctionName()).build();
        app.synth();
    }

    static final class Inner extends NestedStack {
        final Function hello;

        Inner(final Construct scope, final String id) {
            super(scope, id);
            hello = Function.Builder.create(this, "Hello")
                    .runtime(Runtime.NODEJS_20_X)
                    .handler("index.handler")
                    .code(Code.fromAsset("functions/hello"))
                    .build();
            if (Files.exists(Path.of("fail"))) {
                CfnResource.Builder.create(this, "Broken").type("AWS::SQS::Queue")
                        .properties(java.util.Map.of("VisibilityTimeout", 99999)).build();
            }
        }
    }
}
