package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/**
 * Types local-cloud does not run deploy through the SDK's CloudFormation client, and their Ref and Fn::GetAtt
 * answer in the service's own shapes.
 */
class UnservedTypesIT {
    @RegisterExtension
    static final LocalCloudFixture cloud = new LocalCloudFixture();
    static Cfn cfn;

    private static final String ACCOUNT_REGION = "us-east-1:000000000000";
    private static final String HEX17 = "[0-9a-f]{17}";

    static final String APP = """
            Resources:
              UserPool:
                Type: AWS::Cognito::UserPool
                Properties:
                  UserPoolName: users
                  AutoVerifiedAttributes: [email]
              UserPoolClient:
                Type: AWS::Cognito::UserPoolClient
                Properties:
                  UserPoolId: !Ref UserPool
                  ClientName: web
              Vpc:
                Type: AWS::EC2::VPC
                Properties: {CidrBlock: 10.0.0.0/16}
              Subnet:
                Type: AWS::EC2::Subnet
                Properties:
                  VpcId: !Ref Vpc
                  CidrBlock: 10.0.0.0/24
                  AvailabilityZone: !Select [0, !GetAZs '']
              Group:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: web
                  VpcId: !Ref Vpc
              Ingress:
                Type: AWS::EC2::SecurityGroupIngress
                Properties:
                  GroupId: !GetAtt Group.GroupId
                  IpProtocol: tcp
                  FromPort: 443
                  ToPort: 443
                  SourceSecurityGroupId: !GetAtt Vpc.DefaultSecurityGroup
              Topic:
                Type: AWS::SNS::Topic
              Cluster:
                Type: AWS::ECS::Cluster
              Database:
                Type: AWS::RDS::DBInstance
                Properties:
                  Engine: postgres
                  DBInstanceClass: db.t3.micro
                  AllocatedStorage: '20'
              Bus:
                Type: AWS::Events::EventBus
                Properties: {Name: orders}
              Archive:
                Type: AWS::Events::Archive
                Properties:
                  SourceArn: !GetAtt Bus.Arn
              Api:
                Type: AWS::ApiGateway::RestApi
                Properties: {Name: api}
              Key:
                Type: AWS::ApiGateway::ApiKey
            Outputs:
              PoolId: {Value: !Ref UserPool}
              PoolArn: {Value: !GetAtt UserPool.Arn}
              PoolProviderUrl: {Value: !GetAtt UserPool.ProviderURL}
              ClientId: {Value: !Ref UserPoolClient}
              VpcId: {Value: !Ref Vpc}
              VpcCidr: {Value: !GetAtt Vpc.CidrBlock}
              VpcAssociations: {Value: !Join [',', !GetAtt Vpc.CidrBlockAssociations]}
              SubnetId: {Value: !Ref Subnet}
              SubnetCidr: {Value: !GetAtt Subnet.CidrBlock}
              SubnetAz: {Value: !GetAtt Subnet.AvailabilityZone}
              GroupId: {Value: !GetAtt Group.GroupId}
              GroupRef: {Value: !Ref Group}
              TopicArn: {Value: !Ref Topic}
              TopicName: {Value: !GetAtt Topic.TopicName}
              ClusterName: {Value: !Ref Cluster}
              ClusterArn: {Value: !GetAtt Cluster.Arn}
              DbId: {Value: !Ref Database}
              DbArn: {Value: !GetAtt Database.DBInstanceArn}
              DbAddress: {Value: !GetAtt Database.Endpoint.Address}
              DbPort: {Value: !GetAtt Database.Endpoint.Port}
              BusArn: {Value: !GetAtt Bus.Arn}
              ArchiveArn: {Value: !GetAtt Archive.Arn}
              ApiId: {Value: !Ref Api}
              ApiKey: {Value: !Ref Key}
              Sub: {Value: !Sub '${UserPool.Arn}|${Group.VpcId}'}
            """;

    @BeforeAll
    static void start() throws Exception {
        cfn = new Cfn(cloud.closeAfter(Sdk.cloudFormation(cloud.endpoint())));
    }

    private static String failures(String stack) {
        return cfn.events(stack).stream().filter(e -> e.resourceStatusAsString().endsWith("_FAILED"))
                .map(e -> e.logicalResourceId() + ": " + e.resourceStatusReason()).toList().toString();
    }

    private static void matches(String regex, String value) {
        assertTrue(value != null && value.matches(regex), value + " should match " + regex);
    }

    @Test
    void unservedTypesDeployWithTheirAttributesInTheServicesShapes() {
        Stack s = cfn.deploy("unserved", APP);
        assertEquals("CREATE_COMPLETE", s.stackStatusAsString(), () -> failures("unserved"));
        Map<String, String> o = cfn.outputs(s);
        matches("us-east-1_[A-Za-z0-9]{9}", o.get("PoolId"));
        assertEquals("arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + o.get("PoolId"), o.get("PoolArn"));
        assertEquals("https://cognito-idp.us-east-1.amazonaws.com/" + o.get("PoolId"), o.get("PoolProviderUrl"));
        matches("[a-z0-9]{26}", o.get("ClientId"));
        matches("vpc-" + HEX17, o.get("VpcId"));
        assertEquals("10.0.0.0/16", o.get("VpcCidr"));
        matches("vpc-cidr-assoc-" + HEX17, o.get("VpcAssociations"));
        matches("subnet-" + HEX17, o.get("SubnetId"));
        assertEquals("10.0.0.0/24", o.get("SubnetCidr"));
        assertEquals("us-east-1a", o.get("SubnetAz"));
        matches("sg-" + HEX17, o.get("GroupId"));
        assertEquals(o.get("GroupId"), o.get("GroupRef"));
        matches("arn:aws:sns:" + ACCOUNT_REGION + ":unserved-Topic-[A-Z0-9]+", o.get("TopicArn"));
        assertTrue(o.get("TopicArn").endsWith(":" + o.get("TopicName")));
        matches("unserved-Cluster-[A-Z0-9]{13}", o.get("ClusterName"));
        assertEquals("arn:aws:ecs:" + ACCOUNT_REGION + ":cluster/" + o.get("ClusterName"), o.get("ClusterArn"));
        matches("unserved-database-[a-z0-9]{13}", o.get("DbId"));
        assertEquals("arn:aws:rds:" + ACCOUNT_REGION + ":db:" + o.get("DbId"), o.get("DbArn"));
        matches(o.get("DbId") + "\\.[a-z0-9]{12}\\.us-east-1\\.rds\\.amazonaws\\.com", o.get("DbAddress"));
        assertEquals("5432", o.get("DbPort"));
        assertEquals("arn:aws:events:" + ACCOUNT_REGION + ":event-bus/orders", o.get("BusArn"));
        matches("arn:aws:events:" + ACCOUNT_REGION + ":archive/.+", o.get("ArchiveArn"));
        matches("[a-z0-9]{10}", o.get("ApiId"));
        matches("[a-z0-9]{10}", o.get("ApiKey"));
        assertEquals(o.get("PoolArn") + "|" + o.get("VpcId"), o.get("Sub"));
        var ingress = cfn.client.describeStackResource(b -> b.stackName("unserved").logicalResourceId("Ingress"))
                .stackResourceDetail();
        matches("sgr-" + HEX17, ingress.physicalResourceId());
    }

    /** The failing case: what CDK's UserPool construct emits for {@code userPool.getUserPoolArn()}. */
    @Test
    void cdkUserPoolArnOutputNoLongerRollsBack() {
        String cdk = """
                {"Resources": {
                  "UserPool6BA7E5F2": {"Type": "AWS::Cognito::UserPool", "Properties": {
                    "AccountRecoverySetting": {"RecoveryMechanisms": [{"Name": "verified_phone_number", "Priority": 1},
                                                                    {"Name": "verified_email", "Priority": 2}]},
                    "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": true},
                    "EmailVerificationMessage": "The verification code to your new account is {####}",
                    "EmailVerificationSubject": "Verify your new account",
                    "SmsVerificationMessage": "The verification code to your new account is {####}",
                    "VerificationMessageTemplate": {"DefaultEmailOption": "CONFIRM_WITH_CODE"}},
                    "UpdateReplacePolicy": "Retain", "DeletionPolicy": "Retain"},
                  "CDKMetadata": {"Type": "AWS::CDK::Metadata", "Properties": {"Analytics": "v2:deflate64:H4sI"}}},
                 "Outputs": {"UserPoolArn": {"Value": {"Fn::GetAtt": ["UserPool6BA7E5F2", "Arn"]}}}}
                """;
        Stack s = cfn.deploy("cdk-user-pool", cdk);
        assertEquals("CREATE_COMPLETE", s.stackStatusAsString(), () -> failures("cdk-user-pool"));
        matches("arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_[A-Za-z0-9]{9}", cfn.outputs(s).get("UserPoolArn"));
    }

    @Test
    void anUnknownTypeIsATemplateFormatError() {
        String body = "{\"Resources\": {\"A\": {\"Type\": \"AWS::Foo::Bar\"}, \"B\": {\"Type\": \"AWS::SNS::Topic\"}}}";
        CloudFormationException e = assertThrows(CloudFormationException.class,
                () -> cfn.client.createStack(b -> b.stackName("unknown").templateBody(body)));
        assertEquals("ValidationError", e.awsErrorDetails().errorCode());
        assertEquals("Template format error: Unrecognized resource types: [AWS::Foo::Bar]", e.awsErrorDetails().errorMessage());
        e = assertThrows(CloudFormationException.class, () -> cfn.client.validateTemplate(b -> b.templateBody(body)));
        assertEquals("Template format error: Unrecognized resource types: [AWS::Foo::Bar]", e.awsErrorDetails().errorMessage());
    }

    @Test
    void aMisspelledPropertyOfARecordedTypeFailsTheResource() {
        Stack s = cfn.deploy("typo", "{\"Resources\": {\"C\": {\"Type\": \"AWS::ECS::Cluster\", \"Properties\": {\"ClusterNam\": \"x\"}}}}");
        assertEquals("ROLLBACK_COMPLETE", s.stackStatusAsString());
        assertTrue(cfn.events("typo").stream().anyMatch(e -> "CREATE_FAILED".equals(e.resourceStatusAsString())
                && "Properties validation failed for resource with message: #: extraneous key [ClusterNam] is not permitted"
                        .equals(e.resourceStatusReason())), () -> failures("typo"));
    }

    @Test
    void customResourcesTakeAnyPropertyBesideTheirServiceToken() {
        // what real-apps/custom-resource sends (a Provider framework resource with the app's own "Message")
        String token = "arn:aws:lambda:us-east-1:000000000000:function:provider";
        Stack s = cfn.deploy("custom-props", "{\"Resources\": {"
                + "\"A\": {\"Type\": \"AWS::CloudFormation::CustomResource\", \"Properties\": {\"ServiceToken\": \"" + token
                + "\", \"Message\": \"hello\", \"Nested\": {\"Any\": [1, 2]}}},"
                + "\"B\": {\"Type\": \"Custom::Thing\", \"Properties\": {\"ServiceToken\": \"" + token + "\", \"Size\": 3}}}}");
        assertEquals("CREATE_COMPLETE", s.stackStatusAsString(), () -> failures("custom-props"));
    }

    @Test
    void aMissingRequiredPropertyOfARecordedTypeFailsTheResource() {
        Stack s = cfn.deploy("required", "{\"Resources\": {\"G\": {\"Type\": \"AWS::EC2::SecurityGroup\"}}}");
        assertEquals("ROLLBACK_COMPLETE", s.stackStatusAsString());
        assertTrue(cfn.events("required").stream().anyMatch(e -> "CREATE_FAILED".equals(e.resourceStatusAsString())
                && "Properties validation failed for resource with message: #: required key [GroupDescription] not found"
                        .equals(e.resourceStatusReason())));
    }
}
