package dev.livestack.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stack artifacts of a manifest, with what the CDK CLI deploys them with. */
class AssemblyReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsTheRolesTagsAndTerminationProtectionOfEachStackArtifact() throws Exception {
        Files.writeString(dir.resolve("Api.template.json"), "{\"Resources\":{}}");
        Files.writeString(dir.resolve("Legacy.template.json"), "{\"Resources\":{}}");
        Files.writeString(dir.resolve("manifest.json"), """
                {"version":"48.0.0","artifacts":{
                  "Legacy":{"type":"aws:cloudformation:stack","environment":"aws://unknown-account/unknown-region",
                    "properties":{"templateFile":"Legacy.template.json"}},
                  "Api":{"type":"aws:cloudformation:stack","environment":"aws://123456789012/eu-west-1",
                    "properties":{"templateFile":"Api.template.json","stackName":"Api",
                      "assumeRoleArn":"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-deploy-role-${AWS::AccountId}-${AWS::Region}",
                      "assumeRoleExternalId":"pipeline",
                      "cloudFormationExecutionRoleArn":"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-cfn-exec-role-${AWS::AccountId}-${AWS::Region}",
                      "tags":{"team":"orders","cost-centre":"42"},"terminationProtection":true},
                    "dependencies":["Legacy"]}}}
                """);
        CloudAssembly a = AssemblyReader.read(dir);
        assertEquals(List.of("Legacy", "Api"), a.stacks().stream().map(StackTemplate::stackName).toList());
        assertEquals(StackTemplate.Roles.NONE, a.stack("Legacy").orElseThrow().roles());
        assertEquals(new StackTemplate.Roles(
                "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-deploy-role-${AWS::AccountId}-${AWS::Region}", "pipeline",
                "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-cfn-exec-role-${AWS::AccountId}-${AWS::Region}"),
                a.stack("Api").orElseThrow().roles());
        assertEquals(java.util.Map.of("team", "orders", "cost-centre", "42"), a.stack("Api").orElseThrow().tags());
        assertEquals(List.of("team", "cost-centre"), List.copyOf(a.stack("Api").orElseThrow().tags().keySet()));
        assertEquals(true, a.stack("Api").orElseThrow().terminationProtection());
        assertEquals(java.util.Map.of(), a.stack("Legacy").orElseThrow().tags());
        assertEquals(null, a.stack("Legacy").orElseThrow().terminationProtection());
        assertEquals("eu-west-1", a.stack("Api").orElseThrow().region());
        assertEquals(null, a.stack("Legacy").orElseThrow().region());
        assertEquals(null, AssemblyReader.region("aws://123456789012/unknown-region"));
        assertEquals(null, AssemblyReader.region(""));
    }

    @Test
    void readsTheMissingContextOfTheAssemblyAndOfItsStages() throws Exception {
        Files.writeString(dir.resolve("App.template.json"), "{\"Resources\":{}}");
        Files.createDirectories(dir.resolve("assembly-Prod"));
        Files.writeString(dir.resolve("assembly-Prod/Prod-App.template.json"), "{\"Resources\":{}}");
        Files.writeString(dir.resolve("manifest.json"), """
                {"version":"48.0.0","missing":[
                  {"key":"availability-zones:account=123456789012:region=eu-west-1","provider":"availability-zones",
                   "props":{"account":"123456789012","region":"eu-west-1"}}],
                 "artifacts":{
                  "App":{"type":"aws:cloudformation:stack","properties":{"templateFile":"App.template.json"}},
                  "assembly-Prod":{"type":"cdk:cloud-assembly","properties":{"directoryName":"assembly-Prod"}}}}
                """);
        Files.writeString(dir.resolve("assembly-Prod/manifest.json"), """
                {"version":"48.0.0","missing":[
                  {"key":"availability-zones:account=123456789012:region=eu-west-1","provider":"availability-zones",
                   "props":{"account":"123456789012","region":"eu-west-1"}},
                  {"key":"ssm:account=123456789012:parameterName=/app/colour:region=eu-west-1","provider":"ssm",
                   "props":{"account":"123456789012","region":"eu-west-1","parameterName":"/app/colour"}}],
                 "artifacts":{
                  "ProdApp":{"type":"aws:cloudformation:stack","properties":{"templateFile":"Prod-App.template.json"}}}}
                """);
        CloudAssembly a = AssemblyReader.read(dir);
        assertEquals(List.of("availability-zones:account=123456789012:region=eu-west-1",
                "ssm:account=123456789012:parameterName=/app/colour:region=eu-west-1"),
                a.missing().stream().map(MissingContext::key).toList());
        assertEquals("ssm", a.missing().get(1).provider());
        assertEquals("/app/colour", a.missing().get(1).props().path("parameterName").asText());
    }

    @Test
    void errorsOfAnAssemblyThatMissesContextCarryTheMissingKeys() throws Exception {
        Files.writeString(dir.resolve("App.template.json"), "{\"Resources\":{}}");
        Files.writeString(dir.resolve("manifest.json"), """
                {"version":"48.0.0","missing":[{"key":"k1","provider":"vpc-provider","props":{"region":"us-east-1"}}],
                 "artifacts":{"App":{"type":"aws:cloudformation:stack","properties":{"templateFile":"App.template.json"},
                   "metadata":{"/App/Vpc":[{"type":"aws:cdk:error","data":"dummy subnets"}]}}}}
                """);
        SynthException e = org.junit.jupiter.api.Assertions.assertThrows(SynthException.class, () -> AssemblyReader.read(dir));
        assertEquals(List.of("k1"), e.missing().stream().map(MissingContext::key).toList());
    }
}
