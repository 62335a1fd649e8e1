package dev.livestack.localcloud.cloudformation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.ports.ResourceProvider.Provisioned;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ref and Fn::GetAtt values of types local-cloud only records, made from the shipped schema data. */
class SchemaRecordsTest {
    private static final String HEX17 = "[0-9a-f]{17}";
    private final SchemaRecords records = new SchemaRecords("us-east-1", "000000000000", ResourceTypes::get);

    private Provisioned create(String type, String json) throws Exception {
        ObjectNode p = (ObjectNode) Http.JSON.readTree(json);
        Provisioned r = records.create(type, "MyStack", "Thing", p, Map.of(), null);
        assertTrue(r != null, type + " has a schema");
        return r;
    }

    private static void matches(String regex, Object value) {
        assertTrue(value instanceof String s && s.matches(regex), value + " should match " + regex);
    }

    @Test
    void everyTypeOfTheDataIsKnownAndUnknownOnesAreNot() {
        ResourceTypes t = ResourceTypes.get();
        assertTrue(t.known("AWS::Cognito::UserPool"));
        assertTrue(t.known("AWS::CDK::Metadata"));
        assertTrue(t.known("Custom::Anything"));
        assertTrue(t.known("AWS::CloudFormation::CustomResource"));
        assertFalse(t.known("AWS::Foo::Bar"));
        assertFalse(t.known("AWS::Serverless::Function"), "SAM types need the transform");
        assertEquals("elasticloadbalancing", t.arnService("ElasticLoadBalancingV2"));
    }

    @Test
    void cognitoUserPoolAndClient() throws Exception {
        Provisioned pool = create("AWS::Cognito::UserPool", "{}");
        matches("us-east-1_[A-Za-z0-9]{9}", pool.physicalId());
        assertEquals("arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + pool.physicalId(), pool.attributes().get("Arn"));
        assertEquals(pool.physicalId(), pool.attributes().get("UserPoolId"));
        assertEquals("cognito-idp.us-east-1.amazonaws.com/" + pool.physicalId(), pool.attributes().get("ProviderName"));
        assertEquals("https://cognito-idp.us-east-1.amazonaws.com/" + pool.physicalId(), pool.attributes().get("ProviderURL"));
        Provisioned client = create("AWS::Cognito::UserPoolClient",
                "{\"UserPoolId\":\"" + pool.physicalId() + "\",\"ClientName\":\"web\"}");
        matches("[a-z0-9]{26}", client.physicalId());
        assertEquals(client.physicalId(), client.attributes().get("ClientId"));
        assertEquals("web", client.attributes().get("Name"));
    }

    @Test
    void ec2IdsHaveTheirPrefixes() throws Exception {
        Provisioned vpc = create("AWS::EC2::VPC", "{\"CidrBlock\":\"10.1.0.0/16\"}");
        matches("vpc-" + HEX17, vpc.physicalId());
        assertEquals(vpc.physicalId(), vpc.attributes().get("VpcId"));
        assertEquals("10.1.0.0/16", vpc.attributes().get("CidrBlock"));
        matches("sg-" + HEX17, vpc.attributes().get("DefaultSecurityGroup"));
        matches("acl-" + HEX17, vpc.attributes().get("DefaultNetworkAcl"));
        assertTrue(vpc.attributes().get("CidrBlockAssociations") instanceof List<?> l
                && l.size() == 1 && ((String) l.get(0)).matches("vpc-cidr-assoc-" + HEX17));
        assertTrue(vpc.attributes().get("Ipv6CidrBlocks") instanceof List<?>);
        Provisioned subnet = create("AWS::EC2::Subnet", "{\"VpcId\":\"" + vpc.physicalId() + "\",\"CidrBlock\":\"10.1.0.0/24\"}");
        matches("subnet-" + HEX17, subnet.physicalId());
        assertEquals(vpc.physicalId(), subnet.attributes().get("VpcId"));
        matches("us-east-1[a-f]", subnet.attributes().get("AvailabilityZone"));
        matches("aclassoc-" + HEX17, subnet.attributes().get("NetworkAclAssociationId"));
        Provisioned sg = create("AWS::EC2::SecurityGroup", "{\"GroupDescription\":\"d\",\"VpcId\":\"vpc-1\"}");
        matches("sg-" + HEX17, sg.physicalId());
        assertEquals(sg.physicalId(), sg.attributes().get("GroupId"));
        assertEquals(sg.physicalId(), sg.attributes().get("Id"));
        matches("igw-" + HEX17, create("AWS::EC2::InternetGateway", "{}").physicalId());
        matches("rtb-" + HEX17, create("AWS::EC2::RouteTable", "{\"VpcId\":\"vpc-1\"}").physicalId());
        matches("nat-" + HEX17, create("AWS::EC2::NatGateway", "{\"SubnetId\":\"subnet-1\"}").physicalId());
        Provisioned instance = create("AWS::EC2::Instance", "{}");
        matches("i-" + HEX17, instance.physicalId());
        assertEquals("arn:aws:ec2:us-east-1:000000000000:instance/" + instance.physicalId(), arnOf(instance, "AWS::EC2::Instance"));
        Provisioned eip = create("AWS::EC2::EIP", "{}");
        matches("\\d+\\.\\d+\\.\\d+\\.\\d+", eip.physicalId());
        matches("eipalloc-" + HEX17, eip.attributes().get("AllocationId"));
    }

    private static String arnOf(Provisioned p, String type) {
        return "arn:aws:ec2:us-east-1:000000000000:instance/" + p.physicalId();
    }

    @Test
    void namesGivenInTheTemplateWinAndGeneratedOnesFollowCloudFormation() throws Exception {
        Provisioned named = create("AWS::ECS::Cluster", "{\"ClusterName\":\"blue\"}");
        assertEquals("blue", named.physicalId());
        assertEquals("arn:aws:ecs:us-east-1:000000000000:cluster/blue", named.attributes().get("Arn"));
        Provisioned generated = create("AWS::ECS::Cluster", "{}");
        matches("MyStack-Thing-[A-Z0-9]{13}", generated.physicalId());
        assertEquals("arn:aws:ecs:us-east-1:000000000000:cluster/" + generated.physicalId(), generated.attributes().get("Arn"));
    }

    @Test
    void rdsInstanceHasALowerCaseIdentifierAnEndpointAndItsArn() throws Exception {
        Provisioned db = create("AWS::RDS::DBInstance", "{\"Engine\":\"postgres\"}");
        matches("mystack-thing-[a-z0-9]{13}", db.physicalId());
        assertEquals("arn:aws:rds:us-east-1:000000000000:db:" + db.physicalId(), db.attributes().get("DBInstanceArn"));
        matches(db.physicalId() + "\\.[a-z0-9]{12}\\.us-east-1\\.rds\\.amazonaws\\.com", db.attributes().get("Endpoint.Address"));
        assertEquals("5432", db.attributes().get("Endpoint.Port"));
        matches("arn:aws:secretsmanager:us-east-1:000000000000:secret:.+-[a-z0-9]{6}", db.attributes().get("MasterUserSecret.SecretArn"));
        assertTrue(db.attributes().get("Endpoint") instanceof Map<?, ?> m && m.get("Port").equals("5432"));
    }

    @Test
    void arnIdentifiedTypesReferByArn() throws Exception {
        Provisioned lb = create("AWS::ElasticLoadBalancingV2::LoadBalancer", "{\"Name\":\"front\"}");
        matches("arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/front/[0-9a-f]{16}", lb.physicalId());
        assertEquals("front", lb.attributes().get("LoadBalancerName"));
        Provisioned td = create("AWS::ECS::TaskDefinition", "{\"Family\":\"web\"}");
        assertEquals("arn:aws:ecs:us-east-1:000000000000:task-definition/web:1", td.physicalId());
        Provisioned api = create("AWS::AppSync::GraphQLApi", "{\"Name\":\"g\"}");
        matches("arn:aws:appsync:us-east-1:000000000000:apis/[a-z0-9]{26}", api.physicalId());
        assertEquals(api.physicalId(), "arn:aws:appsync:us-east-1:000000000000:apis/" + api.attributes().get("ApiId"));
    }

    @Test
    void apiGatewayAndEventBridgeShapes() throws Exception {
        matches("[a-z0-9]{10}", create("AWS::ApiGateway::ApiKey", "{}").physicalId());
        Provisioned bus = create("AWS::Events::Archive", "{\"SourceArn\":\"arn:aws:events:us-east-1:000000000000:event-bus/b\"}");
        matches("arn:aws:events:us-east-1:000000000000:archive/.+", bus.attributes().get("Arn"));
    }

    @Test
    void unknownTypesFailValidationAsCloudFormationDoes() {
        Template t = Template.parse("{\"Resources\":{\"A\":{\"Type\":\"AWS::Foo::Bar\"},\"B\":{\"Type\":\"AWS::SNS::Topic\"}}}");
        AwsException e = assertThrows(AwsException.class, t::validate);
        assertEquals("Template format error: Unrecognized resource types: [AWS::Foo::Bar]", e.getMessage());
        Template ok = Template.parse("{\"Resources\":{\"A\":{\"Type\":\"Custom::Thing\"},\"B\":{\"Type\":\"AWS::CDK::Metadata\"}}}");
        ok.validate();
        assertNull(records.create("AWS::CDK::Metadata", "S", "L", Http.JSON.createObjectNode(), Map.of(), null));
    }
}
