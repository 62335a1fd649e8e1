package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.InsufficientCapabilitiesException;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.TemplateStage;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;

/**
 * The SAM transform's {@code AWS::Serverless::Application} through the SDK v2: a rotation application of the
 * catalogue (located as CDK's {@code addRotationSingleUser} locates it, through a mapping keyed by partition) becomes a
 * nested stack whose function runs local-cloud's rotation code; the Original and Processed templates; and the errors
 * of an unknown transform, an unknown application or version, and a missing CAPABILITY_AUTO_EXPAND.
 */
class SamApplicationIT {
    @RegisterExtension
    static final LocalCloudFixture cloud = new LocalCloudFixture();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String POSTGRES = "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser";
    static Cfn cfn;
    static LambdaClient lambda;

    static String rotationTemplate(String applicationId, String version, String functionName) {
        return """
                Transform: AWS::Serverless-2016-10-31
                Mappings:
                  RotationMapping:
                    aws: {applicationId: "%s", semanticVersion: "%s"}
                    aws-cn: {applicationId: "arn:aws-cn:serverlessrepo:cn-north-1:193023089310:applications/X", semanticVersion: "1.1.440"}
                Resources:
                  Secret:
                    Type: AWS::SecretsManager::Secret
                    Properties:
                      GenerateSecretString: {SecretStringTemplate: '{"username":"admin"}', GenerateStringKey: password}
                  Rotation:
                    Type: AWS::Serverless::Application
                    DeletionPolicy: Delete
                    Metadata: {"aws:cdk:path": "Stack/Rotation/Resource"}
                    Properties:
                      Location:
                        ApplicationId: !FindInMap [RotationMapping, !Ref AWS::Partition, applicationId]
                        SemanticVersion: !FindInMap [RotationMapping, !Ref AWS::Partition, semanticVersion]
                      Parameters:
                        endpoint: !Sub "https://secretsmanager.${AWS::Region}.${AWS::URLSuffix}"
                        functionName: %s
                        excludeCharacters: "\\"@/\\\\ '"
                      Tags: {Name: sampledb}
                  Schedule:
                    Type: AWS::SecretsManager::RotationSchedule
                    Properties:
                      SecretId: !Ref Secret
                      RotationLambdaARN: !GetAtt Rotation.Outputs.RotationLambdaARN
                      RotationRules: {ScheduleExpression: rate(30 days)}
                Outputs:
                  RotationArn: {Value: !GetAtt Rotation.Outputs.RotationLambdaARN}
                """.formatted(applicationId, version, functionName);
    }

    @BeforeAll
    static void start() {
        cfn = new Cfn(cloud.closeAfter(Sdk.cloudFormation(cloud.endpoint())));
        lambda = cloud.closeAfter(LambdaFixtures.lambda(cloud.endpoint()));
    }

    private static String changeSet(String stack, String body, Capability... caps) {
        return cfn.client.createChangeSet(b -> b.stackName(stack).changeSetName("cs1").changeSetType(ChangeSetType.CREATE)
                .templateBody(body).capabilities(caps)).id();
    }

    private static DescribeChangeSetResponse settled(String id) {
        for (int i = 0; i < 400; i++) {
            DescribeChangeSetResponse d = cfn.client.describeChangeSet(b -> b.changeSetName(id));
            if (!d.statusAsString().endsWith("_PENDING") && !d.statusAsString().endsWith("_IN_PROGRESS")) {
                return d;
            }
            Cfn.sleep(20);
        }
        throw new AssertionError("change set " + id + " never settled");
    }

    @Test
    void aCatalogueRotationApplicationDeploysAsANestedStackWithItsFunction() throws Exception {
        String body = rotationTemplate(POSTGRES, "1.1.671", "rotate-postgres");
        String id = changeSet("rotation", body, Capability.CAPABILITY_IAM, Capability.CAPABILITY_AUTO_EXPAND);
        DescribeChangeSetResponse cs = settled(id);
        assertEquals("CREATE_COMPLETE", cs.statusAsString(), cs.statusReason());
        assertTrue(cs.changes().stream().anyMatch(c -> c.resourceChange().logicalResourceId().equals("Rotation")
                && c.resourceChange().resourceType().equals("AWS::CloudFormation::Stack")));
        cfn.client.executeChangeSet(b -> b.changeSetName(id));
        Stack stack = cfn.awaitSettled("rotation");
        assertEquals("CREATE_COMPLETE", stack.stackStatusAsString(), stack.stackStatusReason());
        String arn = cfn.outputs(stack).get("RotationArn");
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:rotate-postgres", arn);

        GetFunctionResponse fn = lambda.getFunction(b -> b.functionName("rotate-postgres"));
        assertEquals("python3.12", fn.configuration().runtimeAsString());
        assertEquals("rotation.lambda_handler", fn.configuration().handler());
        assertEquals("postgres", fn.configuration().environment().variables().get("DATABASE_ENGINE"));
        assertEquals("https://secretsmanager.us-east-1.amazonaws.com",
                fn.configuration().environment().variables().get("SECRETS_MANAGER_ENDPOINT"));
        assertEquals("\"@/\\ '", fn.configuration().environment().variables().get("EXCLUDE_CHARACTERS"));

        String original = cfn.client.getTemplate(b -> b.stackName("rotation").templateStage(TemplateStage.ORIGINAL)).templateBody();
        assertEquals(body, original);
        JsonNode processed = JSON.readTree(cfn.client.getTemplate(b -> b.stackName("rotation")
                .templateStage(TemplateStage.PROCESSED)).templateBody());
        assertFalse(processed.has("Transform"));
        JsonNode nested = processed.path("Resources").path("Rotation");
        assertEquals("AWS::CloudFormation::Stack", nested.path("Type").asText());
        assertEquals("Delete", nested.path("DeletionPolicy").asText());
        assertEquals("Stack/Rotation/Resource", nested.path("Metadata").path("aws:cdk:path").asText());
        assertTrue(nested.path("Properties").path("TemplateURL").asText()
                .endsWith("/catalogue/SecretsManagerRDSPostgreSQLRotationSingleUser/1.1.671/template.json"));
        assertEquals("[{\"Key\":\"lambda:createdBy\",\"Value\":\"SAM\"},{\"Key\":\"serverlessrepo:applicationId\",\"Value\":\""
                + POSTGRES + "\"},{\"Key\":\"serverlessrepo:semanticVersion\",\"Value\":\"1.1.671\"},"
                + "{\"Key\":\"Name\",\"Value\":\"sampledb\"}]",
                nested.path("Properties").path("Tags").toString());

        String childId = cfn.client.describeStackResource(b -> b.stackName("rotation").logicalResourceId("Rotation"))
                .stackResourceDetail().physicalResourceId();
        Stack child = cfn.client.describeStacks(b -> b.stackName(childId)).stacks().get(0);
        assertEquals(stack.stackId(), child.parentId());
        Map<String, String> tags = new java.util.HashMap<>();
        child.tags().forEach(t -> tags.put(t.key(), t.value()));
        assertEquals(POSTGRES, tags.get("serverlessrepo:applicationId"));
        assertEquals("1.1.671", tags.get("serverlessrepo:semanticVersion"));
        List<String> childTypes = cfn.client.describeStackResources(b -> b.stackName(childId)).stackResources().stream()
                .map(r -> r.resourceType()).sorted().toList();
        assertEquals(List.of("AWS::IAM::Role", "AWS::Lambda::Function", "AWS::Lambda::Permission"), childTypes);

        cfn.client.deleteStack(b -> b.stackName("rotation"));
        assertEquals("DELETE_COMPLETE", cfn.awaitSettled(stack.stackId()).stackStatusAsString());
        assertThrows(software.amazon.awssdk.services.lambda.model.ResourceNotFoundException.class,
                () -> lambda.getFunction(b -> b.functionName("rotate-postgres")));
    }

    @Test
    void anUnknownApplicationOrVersionFailsTheChangeSetAsTheTransformDoes() {
        String unknownApp = POSTGRES.replace("PostgreSQL", "Cobol");
        DescribeChangeSetResponse app = settled(changeSet("no-app", rotationTemplate(unknownApp, "1.1.671", "f1"),
                Capability.CAPABILITY_IAM, Capability.CAPABILITY_AUTO_EXPAND));
        assertEquals("FAILED", app.statusAsString());
        assertEquals("Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification "
                + "document. Number of errors found: 1. Resource with id [Rotation] is invalid. User: "
                + "arn:aws:iam::000000000000:root is not authorized to perform: serverlessrepo:CreateCloudFormationTemplate "
                + "on resource: " + unknownApp, app.statusReason());
        String ownMissing = "arn:aws:serverlessrepo:us-east-1:000000000000:applications/never-published";
        DescribeChangeSetResponse own = settled(changeSet("no-own-app", rotationTemplate(ownMissing, "1.0.0", "f0"),
                Capability.CAPABILITY_IAM, Capability.CAPABILITY_AUTO_EXPAND));
        assertTrue(own.statusReason().endsWith("Resource with id [Rotation] is invalid. Application with id " + ownMissing
                + " could not be found."), own.statusReason());
        DescribeChangeSetResponse version = settled(changeSet("no-version", rotationTemplate(POSTGRES, "9.0.0", "f2"),
                Capability.CAPABILITY_IAM, Capability.CAPABILITY_AUTO_EXPAND));
        assertEquals("FAILED", version.statusAsString());
        assertTrue(version.statusReason().endsWith("Resource with id [Rotation] is invalid. Application " + POSTGRES
                + " does not have a version 9.0.0"), version.statusReason());
        CloudFormationException validate = assertThrows(CloudFormationException.class, () -> cfn.client.validateTemplate(
                b -> b.templateBody(rotationTemplate(POSTGRES, "9.0.0", "f3"))));
        assertEquals("ValidationError", validate.awsErrorDetails().errorCode());
        assertTrue(validate.awsErrorDetails().errorMessage().startsWith("Transform AWS::Serverless-2016-10-31 failed with:"));
    }

    @Test
    void aLocationUrlNestsATemplateThatIsItselfSam() {
        var s3 = cloud.closeAfter(Sdk.s3(cloud.endpoint()));
        s3.createBucket(b -> b.bucket("apps"));
        s3.putObject(b -> b.bucket("apps").key("child.yaml"), software.amazon.awssdk.core.sync.RequestBody.fromString("""
                Transform: AWS::Serverless-2016-10-31
                Parameters:
                  Greeting: {Type: String}
                Resources:
                  Hello:
                    Type: AWS::Serverless::Function
                    Properties:
                      Runtime: python3.12
                      Handler: index.handler
                      InlineCode: "def handler(e, c):\\n    return 'hi'\\n"
                      Environment: {Variables: {GREETING: !Ref Greeting}}
                Outputs:
                  FunctionName: {Value: !Ref Hello}
                """));
        String parent = """
                Transform: AWS::Serverless-2016-10-31
                Conditions:
                  Always: !Equals [a, a]
                Resources:
                  Marker: {Type: AWS::SQS::Queue}
                  Child:
                    Type: AWS::Serverless::Application
                    Condition: Always
                    DependsOn: Marker
                    Properties:
                      NotificationARNs: ["arn:aws:sns:us-east-1:000000000000:topic"]
                      Location: https://s3.us-east-1.amazonaws.com/apps/child.yaml
                      Parameters: {Greeting: hello}
                      TimeoutInMinutes: 5
                Outputs:
                  Name: {Value: !GetAtt Child.Outputs.FunctionName}
                """;
        DescribeChangeSetResponse cs = settled(changeSet("url-app", parent, Capability.CAPABILITY_IAM,
                Capability.CAPABILITY_AUTO_EXPAND));
        assertEquals("CREATE_COMPLETE", cs.statusAsString(), cs.statusReason());
        cfn.client.executeChangeSet(b -> b.changeSetName(cs.changeSetId()));
        Stack stack = cfn.awaitSettled("url-app");
        assertEquals("CREATE_COMPLETE", stack.stackStatusAsString(), stack.stackStatusReason());
        String name = cfn.outputs(stack).get("Name");
        assertEquals("hello", lambda.getFunction(b -> b.functionName(name)).configuration().environment().variables()
                .get("GREETING"));
        String childId = cfn.client.describeStackResource(b -> b.stackName("url-app").logicalResourceId("Child"))
                .stackResourceDetail().physicalResourceId();
        assertTrue(cfn.client.getTemplate(b -> b.stackName(childId)).templateBody().startsWith("Transform:"));
        JsonNode nested;
        try {
            nested = JSON.readTree(cfn.client.getTemplate(b -> b.stackName("url-app").templateStage(TemplateStage.PROCESSED))
                    .templateBody()).path("Resources").path("Child");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertEquals("Always", nested.path("Condition").asText());
        assertEquals("Marker", nested.path("DependsOn").asText());
        assertEquals(5, nested.path("Properties").path("TimeoutInMinutes").asInt());
        assertEquals("[\"arn:aws:sns:us-east-1:000000000000:topic\"]", nested.path("Properties").path("NotificationARNs").toString());
        assertEquals("{\"Greeting\":\"hello\"}", nested.path("Properties").path("Parameters").toString());
        assertEquals("https://s3.us-east-1.amazonaws.com/apps/child.yaml", nested.path("Properties").path("TemplateURL").asText());
        assertEquals(List.of("lambda:createdBy"), cfn.client.describeStacks(b -> b.stackName(childId)).stacks().get(0)
                .tags().stream().map(t -> t.key()).toList());
    }

    @Test
    void anUnknownTransformFailsTheChangeSet() {
        String body = """
                {"Transform": ["AWS::Serverless-2016-10-31", "Acme::Widgets"],
                 "Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}
                """;
        DescribeChangeSetResponse cs = settled(changeSet("macro", body, Capability.CAPABILITY_AUTO_EXPAND));
        assertEquals("FAILED", cs.statusAsString());
        assertEquals("No transform named Acme::Widgets found.", cs.statusReason());
    }

    @Test
    void aNestedApplicationNeedsAutoExpandAndCreateStackNeedsItForAnyTransform() {
        InsufficientCapabilitiesException cs = assertThrows(InsufficientCapabilitiesException.class,
                () -> changeSet("caps", rotationTemplate(POSTGRES, "1.1.671", "f4"), Capability.CAPABILITY_IAM));
        assertEquals("Requires capabilities : [CAPABILITY_AUTO_EXPAND]", cs.awsErrorDetails().errorMessage());
        String plain = "{\"Transform\": \"AWS::Serverless-2016-10-31\", \"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\"}}}";
        InsufficientCapabilitiesException direct = assertThrows(InsufficientCapabilitiesException.class,
                () -> cfn.client.createStack(b -> b.stackName("direct").templateBody(plain)));
        assertEquals("Requires capabilities : [CAPABILITY_AUTO_EXPAND]", direct.awsErrorDetails().errorMessage());
        cfn.client.createStack(b -> b.stackName("direct").templateBody(plain).capabilities(Capability.CAPABILITY_AUTO_EXPAND));
        Stack s = cfn.awaitSettled("direct");
        assertEquals("CREATE_COMPLETE", s.stackStatusAsString(), s.stackStatusReason());
        assertEquals(plain, cfn.client.getTemplate(b -> b.stackName("direct")).templateBody());
        assertEquals(List.of("AWS::Serverless-2016-10-31"), cfn.client.getTemplateSummary(b -> b.stackName("direct"))
                .declaredTransforms());
    }
}
