package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * What CDK's default synthesizer emits: the SSM-typed BootstrapVersion parameter, the
 * CheckBootstrapVersion rule, AWS::CDK::Metadata; plus exports/imports between stacks and TemplateURL.
 */
class CdkTemplateIT {
    @RegisterExtension
    static final LocalCloudFixture cloud = new LocalCloudFixture();
    static Cfn cfn;

    static final String CDK = """
            {
              "Resources": {
                "Table": {
                  "Type": "AWS::DynamoDB::Table",
                  "Properties": {
                    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                    "BillingMode": "PAY_PER_REQUEST",
                    "StreamSpecification": {"StreamViewType": "NEW_IMAGE"}
                  }
                },
                "CDKMetadata": {
                  "Type": "AWS::CDK::Metadata",
                  "Properties": {"Analytics": "v2:deflate64:H4sIAAAAAAAA"},
                  "Metadata": {"aws:cdk:path": "App/CDKMetadata/Default"}
                }
              },
              "Outputs": {
                "TableName": {"Value": {"Ref": "Table"}, "Export": {"Name": "shared-table"}},
                "StreamArn": {"Value": {"Fn::GetAtt": ["Table", "StreamArn"]}}
              },
              "Parameters": {
                "BootstrapVersion": {
                  "Type": "AWS::SSM::Parameter::Value<String>",
                  "Default": "/cdk-bootstrap/hnb659fds/version",
                  "Description": "Version of the CDK Bootstrap resources in this environment, automatically retrieved from SSM Parameter Store. [cdk:skip]"
                }
              },
              "Rules": {
                "CheckBootstrapVersion": {
                  "Assertions": [
                    {
                      "Assert": {"Fn::Not": [{"Fn::Contains": [["1", "2", "3", "4", "5"], {"Ref": "BootstrapVersion"}]}]},
                      "AssertDescription": "CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI."
                    }
                  ]
                }
              }
            }
            """;

    static final String IMPORTER = """
            Resources:
              Q:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName: !Join ['-', [!ImportValue shared-table, q]]
            Outputs:
              Name:
                Value: !GetAtt Q.QueueName
            """;

    @BeforeAll
    static void start() throws Exception {
        cfn = new Cfn(cloud.closeAfter(Sdk.cloudFormation(cloud.endpoint())));
    }

    @Test
    void theBootstrapVersionComesFromSsmAndTheRuleIsChecked() {
        try (var ssm = Sdk.ssm(cloud.endpoint())) {
            CloudFormationException e = assertThrows(CloudFormationException.class,
                    () -> cfn.client.createStack(b -> b.stackName("cdk").templateBody(CDK)));
            assertEquals("Unable to fetch parameters [/cdk-bootstrap/hnb659fds/version] from parameter store for this account.",
                    e.awsErrorDetails().errorMessage());
            ssm.putParameter(b -> b.name("/cdk-bootstrap/hnb659fds/version").value("5").type(ParameterType.STRING));
            e = assertThrows(CloudFormationException.class, () -> cfn.client.createStack(b -> b.stackName("cdk").templateBody(CDK)));
            assertEquals("CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI.",
                    e.awsErrorDetails().errorMessage());
            ssm.putParameter(b -> b.name("/cdk-bootstrap/hnb659fds/version").value("21").overwrite(true));

            Stack s = cfn.deploy("cdk", CDK);
            assertEquals("CREATE_COMPLETE", s.stackStatusAsString());
            var p = s.parameters().get(0);
            assertEquals("/cdk-bootstrap/hnb659fds/version", p.parameterValue());
            assertEquals("21", p.resolvedValue());
            assertTrue(cfn.outputs(s).get("StreamArn").startsWith("arn:aws:dynamodb:us-east-1:000000000000:table/cdk-Table-"));

            Stack importer = cfn.deploy("importer", IMPORTER);
            assertEquals("CREATE_COMPLETE", importer.stackStatusAsString());
            assertEquals(cfn.outputs(s).get("TableName") + "-q", cfn.outputs(importer).get("Name"));

            cfn.client.deleteStack(b -> b.stackName("cdk"));
            Stack blocked = cfn.awaitSettled("cdk");
            assertEquals("DELETE_FAILED", blocked.stackStatusAsString());
            assertEquals("Export shared-table cannot be deleted as it is in use by importer", blocked.stackStatusReason());

            e = assertThrows(CloudFormationException.class, () -> cfn.client.createStack(b -> b.stackName("orphan")
                    .templateBody(IMPORTER.replace("shared-table", "missing-export"))));
            assertEquals("No export named missing-export found. Rollback requested by user.", e.awsErrorDetails().errorMessage());
        }
    }

    @Test
    void aTemplateUrlIsReadFromLocalCloudsS3() {
        try (var s3 = Sdk.s3(cloud.endpoint())) {
            s3.createBucket(b -> b.bucket("templates"));
            s3.putObject(b -> b.bucket("templates").key("stacks/queue.yaml"),
                    RequestBody.fromString("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"));
            String url = cloud.endpoint() + "/templates/stacks/queue.yaml";
            cfn.client.createStack(b -> b.stackName("from-url").templateURL(url));
            assertEquals("CREATE_COMPLETE", cfn.awaitSettled("from-url").stackStatusAsString());
            var summary = cfn.client.getTemplateSummary(b -> b.templateURL("https://templates.s3.amazonaws.com/stacks/queue.yaml"));
            assertEquals("AWS::SQS::Queue", summary.resourceTypes().get(0));
            CloudFormationException e = assertThrows(CloudFormationException.class,
                    () -> cfn.client.validateTemplate(b -> b.templateURL(cloud.endpoint() + "/templates/none.yaml")));
            assertEquals("TemplateURL must reference a valid S3 object to which you have access.", e.awsErrorDetails().errorMessage());
        }
    }
}
