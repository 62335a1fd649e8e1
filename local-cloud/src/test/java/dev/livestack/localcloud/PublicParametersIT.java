package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.SsmException;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/** The AWS public parameters CDK's machine images resolve, read through the SDK, the AWS CLI and CloudFormation. */
class PublicParametersIT {
    @RegisterExtension
    static final LocalCloudFixture cloud = new LocalCloudFixture();
    static SsmClient ssm;
    static Cfn cfn;

    private static final String AMI = "ami-[0-9a-f]{17}";
    private static final String AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
    private static final String AL2 = "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2";

    @BeforeAll
    static void start() throws Exception {
        ssm = cloud.closeAfter(Sdk.ssm(cloud.endpoint()));
        cfn = new Cfn(cloud.closeAfter(Sdk.cloudFormation(cloud.endpoint())));
    }

    @Test
    void amazonLinuxWindowsBottlerocketAndEcsParametersAnswer() throws Exception {
        Parameter al2023 = ssm.getParameter(b -> b.name(AL2023)).parameter();
        assertTrue(al2023.value().matches(AMI), al2023.value());
        assertEquals("String", al2023.typeAsString());
        assertEquals("arn:aws:ssm:us-east-1::parameter" + AL2023, al2023.arn());
        assertEquals(al2023.value(), ssm.getParameter(b -> b.name(AL2023)).parameter().value(), "stable per path");
        assertNotEquals(al2023.value(), ssm.getParameter(b -> b.name(AL2)).parameter().value(), "distinct per path");
        for (String name : List.of("/aws/service/ami-amazon-linux-latest/amzn-ami-hvm-x86_64-gp2",
                "/aws/service/ami-amazon-linux-latest/al2023-ami-minimal-kernel-6.1-arm64",
                "/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base",
                "/aws/service/bottlerocket/aws-ecs-1/x86_64/latest/image_id",
                "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id",
                "/aws/service/eks/optimized-ami/1.31/amazon-linux-2/recommended/image_id")) {
            assertTrue(ssm.getParameter(b -> b.name(name)).parameter().value().matches(AMI), name);
        }
        String recommended = ssm.getParameter(b -> b.name("/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended"))
                .parameter().value();
        JsonNode doc = new ObjectMapper().readTree(recommended);
        assertEquals(ssm.getParameter(b -> b.name("/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"))
                .parameter().value(), doc.get("image_id").asText());
        assertEquals("Amazon Linux 2023", doc.get("os").asText());
        assertTrue(doc.get("image_name").asText().startsWith("al2023-ami-ecs-hvm-"));
        assertEquals("906394416424.dkr.ecr.us-east-1.amazonaws.com/aws-for-fluent-bit:latest",
                ssm.getParameter(b -> b.name("/aws/service/aws-for-fluent-bit/latest")).parameter().value());
        var both = ssm.getParameters(b -> b.names(AL2, "/aws/service/nope"));
        assertEquals(1, both.parameters().size());
        assertEquals(List.of("/aws/service/nope"), both.invalidParameters());
    }

    @Test
    void getParametersByPathListsThemInPages() {
        List<String> names = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String next = token;
            GetParametersByPathResponse r = ssm.getParametersByPath(b -> b.path("/aws/service/ami-amazon-linux-latest")
                    .nextToken(next));
            assertTrue(r.parameters().size() <= 10);
            r.parameters().forEach(p -> names.add(p.name()));
            token = r.nextToken();
            pages++;
        } while (token != null);
        assertTrue(pages > 1);
        assertTrue(names.contains(AL2023) && names.contains(AL2), names.toString());
        assertEquals(names.size(), new HashSet<>(names).size(), "no parameter twice across pages");
        assertEquals(List.of("/aws/service/ecs/optimized-ami/amazon-linux-2/recommended"),
                ssm.getParametersByPath(b -> b.path("/aws/service/ecs/optimized-ami/amazon-linux-2")).parameters().stream()
                        .map(Parameter::name).toList(), "only what sits directly below the path");
        Set<String> deep = new HashSet<>();
        ssm.getParametersByPathPaginator(b -> b.path("/aws/service/ecs/optimized-ami/amazon-linux-2").recursive(true))
                .forEach(page -> page.parameters().forEach(p -> deep.add(p.name())));
        assertTrue(deep.contains("/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id"), deep.toString());
        ssm.putParameter(b -> b.name("/listing/a").value("1").type(ParameterType.STRING));
        ssm.putParameter(b -> b.name("/listing/b/c").value("2").type(ParameterType.STRING));
        assertEquals(List.of("/listing/a"), ssm.getParametersByPath(b -> b.path("/listing")).parameters().stream().map(Parameter::name).toList());
        assertEquals(List.of("/listing/a", "/listing/b/c"), ssm.getParametersByPath(b -> b.path("/listing/").recursive(true)).parameters()
                .stream().map(Parameter::name).toList());
    }

    @Test
    void publicParametersAreReadOnly() {
        SsmException e = assertThrows(SsmException.class,
                () -> ssm.putParameter(b -> b.name(AL2023).value("ami-0").type(ParameterType.STRING).overwrite(true)));
        assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
        assertEquals("No access to reserved parameter name: " + AL2023.substring(1) + ".", e.awsErrorDetails().errorMessage());
        e = assertThrows(SsmException.class, () -> ssm.deleteParameter(b -> b.name(AL2023)));
        assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
        assertTrue(ssm.getParameter(b -> b.name(AL2023)).parameter().value().matches(AMI));
    }

    /** What {@code MachineImage.latestAmazonLinux2()} synthesises: an SSM-typed stack parameter with the public path. */
    @Test
    void aStackParameterOfAnImageIdTypeResolvesThePublicPath() {
        String body = """
                {"Parameters": {
                   "SsmParameterValueawsserviceamiamazonlinuxlatestamzn2amihvmx8664gp2C96584B6F00A464EAD1953AFF4B05118Parameter": {
                     "Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
                     "Default": "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2"}},
                 "Resources": {
                   "Instance": {"Type": "AWS::EC2::Instance", "Properties": {
                     "InstanceType": "t3.micro",
                     "ImageId": {"Ref": "SsmParameterValueawsserviceamiamazonlinuxlatestamzn2amihvmx8664gp2C96584B6F00A464EAD1953AFF4B05118Parameter"}}}},
                 "Outputs": {
                   "Image": {"Value": {"Ref": "SsmParameterValueawsserviceamiamazonlinuxlatestamzn2amihvmx8664gp2C96584B6F00A464EAD1953AFF4B05118Parameter"}},
                   "InstanceId": {"Value": {"Ref": "Instance"}}}}
                """;
        Stack s = cfn.deploy("ami", body);
        assertEquals("CREATE_COMPLETE", s.stackStatusAsString());
        assertEquals(ssm.getParameter(b -> b.name(AL2)).parameter().value(), cfn.outputs(s).get("Image"));
        assertTrue(cfn.outputs(s).get("InstanceId").matches("i-[0-9a-f]{17}"));
        var param = s.parameters().get(0);
        assertEquals(AL2, param.parameterValue());
        assertEquals(cfn.outputs(s).get("Image"), param.resolvedValue());
    }

    @Test
    void dynamicReferencesResolveAndAMissingOneIsAValidationError() {
        ssm.putParameter(b -> b.name("/app/colour").value("blue").type(ParameterType.STRING));
        String body = """
                {"Resources": {"Copy": {"Type": "AWS::SSM::Parameter", "Properties": {"Name": "/app/copy", "Type": "String",
                  "Value": "{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64}}|{{resolve:ssm:/app/colour:1}}"}}}}
                """;
        Stack s = cfn.deploy("dynamic", body);
        assertEquals("CREATE_COMPLETE", s.stackStatusAsString());
        assertEquals(ssm.getParameter(b -> b.name(AL2023)).parameter().value() + "|blue",
                ssm.getParameter(b -> b.name("/app/copy")).parameter().value());
        var e = assertThrows(software.amazon.awssdk.services.cloudformation.model.CloudFormationException.class,
                () -> cfn.client.createStack(b -> b.stackName("dangling").templateBody(body.replace("/app/colour", "/app/none"))));
        assertEquals("ValidationError", e.awsErrorDetails().errorCode());
        assertEquals("Parameters: [ssm:/app/none] cannot be found.", e.awsErrorDetails().errorMessage());
    }

    @Test
    void theAwsCliReadsThem() throws Exception {
        String aws = Files.isExecutable(Path.of("/usr/bin/aws")) ? "/usr/bin/aws" : "aws";
        Path work = Files.createTempDirectory(cloud.state(), "cli");
        ClientProcess.Result version = ClientProcess.run(work, List.of(aws, "--version"));
        Assumptions.assumeTrue(version.exit() == 0, "the AWS CLI is not installed");
        ClientProcess.Result r = ClientProcess.run(work, List.of(aws, "--endpoint-url", cloud.endpoint().toString(),
                "ssm", "get-parameter", "--name", AL2023, "--query", "Parameter.Value", "--output", "text"));
        assertEquals(0, r.exit(), r.err());
        assertEquals(ssm.getParameter(b -> b.name(AL2023)).parameter().value(), r.out().trim());
        ClientProcess.Result list = ClientProcess.run(work, List.of(aws, "--endpoint-url", cloud.endpoint().toString(),
                "ssm", "get-parameters-by-path", "--path", "/aws/service/ami-amazon-linux-latest", "--query", "Parameters[].Name",
                "--output", "text"));
        assertEquals(0, list.exit(), list.err());
        assertTrue(list.out().contains(AL2023) && list.out().contains(AL2), list.out());
    }
}
