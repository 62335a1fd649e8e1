package dev.livestack.deployer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.synth.CloudAssembly;
import dev.livestack.synth.StackTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes a cloud assembly as {@code cdk synth} does for a stack with one {@code Code.fromAsset} Node.js function
 * under the DefaultStackSynthesizer (cloud-assembly-schema 4x): {@code manifest.json} with the stack artifact
 * depending on its {@code cdk:asset-manifest} artifact, {@code <stack>.assets.json} with the folder asset's
 * {@code zip} source and its S3 destination (account/region placeholders), the staged folder
 * {@code asset.<sha256>}, and the template with the asset's {@code Code.S3Bucket/S3Key}, the
 * {@code aws:asset:*} metadata, the BootstrapVersion parameter and the CheckBootstrapVersion rule. The qualifier
 * (normally {@code hnb659fds}) is the test's, so each test has its own staging bucket and version parameter.
 */
final class AssetAssembly {
    final Path dir;
    final String stackName;
    final String qualifier;
    /** The roles the stack artifact names: by default what {@code cdk synth} writes for the qualifier. */
    final StackTemplate.Roles roles;

    AssetAssembly(Path dir, String stackName, String qualifier) {
        this(dir, stackName, qualifier, null);
    }

    AssetAssembly(Path dir, String stackName, String qualifier, StackTemplate.Roles roles) {
        this.dir = dir;
        this.stackName = stackName;
        this.qualifier = qualifier;
        this.roles = roles != null ? roles : new StackTemplate.Roles(role(qualifier, "deploy"), null, role(qualifier, "cfn-exec"));
    }

    /** A bootstrap role's ARN as {@code cdk synth} writes it. */
    static String role(String qualifier, String kind) {
        return "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-" + qualifier + "-" + kind + "-role-${AWS::AccountId}-${AWS::Region}";
    }

    String bucket() {
        return "cdk-" + qualifier + "-assets-000000000000-us-east-1";
    }

    String bootstrapParameter() {
        return "/cdk-bootstrap/" + qualifier + "/version";
    }

    /** The staged asset folder of the current synth. */
    Path assetFolder(String hash) {
        return dir.resolve("asset." + hash);
    }

    /**
     * Synthesises: stages {@code files} (relative path → content) as the function's asset, writes the manifests
     * and the template, and returns the assembly and the asset hash.
     */
    Synth synth(Map<String, byte[]> files, List<String> dockerImages) {
        try {
            String hash = hash(files);
            Path staged = assetFolder(hash);
            if (!Files.isDirectory(staged)) {
                for (Map.Entry<String, byte[]> f : new TreeMap<>(files).entrySet()) {
                    Path p = staged.resolve(f.getKey());
                    Files.createDirectories(p.getParent());
                    Files.write(p, f.getValue());
                }
            }
            String dockerJson = dockerImages.isEmpty() ? "{}" : "{" + String.join(",", dockerImages.stream().map(id ->
                    "'" + id + "':{'displayName':'Image/" + id + "','source':{'directory':'asset." + id + "'},'destinations':{"
                            + "'000000000000-us-east-1':{'repositoryName':'cdk-" + qualifier + "-container-assets-000000000000-us-east-1',"
                            + "'imageTag':'" + id + "'}}}").toList()) + "}";
            ObjectNode assets = TestTemplates.obj("{'version':'48.0.0','files':{'" + hash + "':{'displayName':'Fn/Code',"
                    + "'source':{'path':'asset." + hash + "','packaging':'zip'},'destinations':{'000000000000-us-east-1':{"
                    + "'bucketName':'cdk-" + qualifier + "-assets-${AWS::AccountId}-${AWS::Region}','objectKey':'" + hash + ".zip',"
                    + "'region':'us-east-1','assumeRoleArn':'arn:${AWS::Partition}:iam::000000000000:role/cdk-" + qualifier
                    + "-file-publishing-role-000000000000-us-east-1'}}}},'dockerImages':" + dockerJson + "}");
            ObjectNode template = template(hash);
            ObjectNode manifest = TestTemplates.obj("{'version':'48.0.0','artifacts':{"
                    + "'" + stackName + ".assets':{'type':'cdk:asset-manifest','properties':{'file':'" + stackName + ".assets.json',"
                    + "'requiresBootstrapStackVersion':6,'bootstrapStackVersionSsmParameter':'" + bootstrapParameter() + "'}},"
                    + "'" + stackName + "':{'type':'aws:cloudformation:stack','environment':'aws://000000000000/us-east-1',"
                    + "'properties':{'templateFile':'" + stackName + ".template.json','terminationProtection':false,"
                    + "'validateOnSynth':false,'stackName':'" + stackName + "'"
                    + (roles.assumeRoleArn() == null ? "" : ",'assumeRoleArn':'" + roles.assumeRoleArn() + "'")
                    + (roles.cloudFormationExecutionRoleArn() == null ? ""
                            : ",'cloudFormationExecutionRoleArn':'" + roles.cloudFormationExecutionRoleArn() + "'") + "},"
                    + "'dependencies':['" + stackName + ".assets'],"
                    + "'metadata':{'/" + stackName + "/Fn/Resource':[{'type':'aws:cdk:logicalId','data':'Fn9270CBC0'}]},"
                    + "'displayName':'" + stackName + "'},"
                    + "'Tree':{'type':'cdk:tree','properties':{'file':'tree.json'}}}}");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(stackName + ".assets.json"), Json.write(assets));
            Files.writeString(dir.resolve(stackName + ".template.json"), Json.write(template));
            Files.writeString(dir.resolve("manifest.json"), Json.write(manifest));
            StackTemplate stack = new StackTemplate(stackName, template, List.of(), roles, Map.of(), null, null);
            return new Synth(new CloudAssembly(dir, List.of(stack)), stack, hash);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Synth synth(String handlerSource) {
        return synth(Map.of("index.js", handlerSource.getBytes(StandardCharsets.UTF_8),
                "lib/reply.json", "{\"from\":\"asset\"}".getBytes(StandardCharsets.UTF_8)), List.of());
    }

    record Synth(CloudAssembly assembly, StackTemplate stack, String hash) {
    }

    ObjectNode template(String hash) {
        return TestTemplates.obj("{'Resources':{"
                + "'FnServiceRoleB9001A96':{'Type':'AWS::IAM::Role','Properties':{'AssumeRolePolicyDocument':{'Statement':[{"
                + "'Action':'sts:AssumeRole','Effect':'Allow','Principal':{'Service':'lambda.amazonaws.com'}}],'Version':'2012-10-17'},"
                + "'ManagedPolicyArns':[{'Fn::Join':['',['arn:',{'Ref':'AWS::Partition'},':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']]}]},"
                + "'Metadata':{'aws:cdk:path':'" + stackName + "/Fn/ServiceRole/Resource'}},"
                + "'Fn9270CBC0':{'Type':'AWS::Lambda::Function','Properties':{'Code':{"
                + "'S3Bucket':{'Fn::Sub':'cdk-" + qualifier + "-assets-${AWS::AccountId}-${AWS::Region}'},'S3Key':'" + hash + ".zip'},"
                + "'Handler':'index.handler','Role':{'Fn::GetAtt':['FnServiceRoleB9001A96','Arn']},'Runtime':'nodejs20.x'},"
                + "'DependsOn':['FnServiceRoleB9001A96'],"
                + "'Metadata':{'aws:cdk:path':'" + stackName + "/Fn/Resource','aws:asset:path':'asset." + hash + "',"
                + "'aws:asset:is-bundled':false,'aws:asset:property':'Code'}}},"
                + "'Outputs':{'FnName':{'Value':{'Ref':'Fn9270CBC0'}}},"
                + "'Parameters':{'BootstrapVersion':{'Type':'AWS::SSM::Parameter::Value<String>','Default':'" + bootstrapParameter() + "',"
                + "'Description':'Version of the CDK Bootstrap resources in this environment, automatically retrieved from SSM Parameter Store. [cdk:skip]'}},"
                + "'Rules':{'CheckBootstrapVersion':{'Assertions':[{'Assert':{'Fn::Not':[{'Fn::Contains':[['1','2','3','4','5'],"
                + "{'Ref':'BootstrapVersion'}]}]},'AssertDescription':'CDK bootstrap stack version 6 required. Please run cdk bootstrap with a recent version of the CDK CLI.'}]}}}");
    }

    /** The CDK's asset hash is a SHA-256 over the staged files; any content hash gives the same behaviour here. */
    static String hash(Map<String, byte[]> files) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> f : new TreeMap<>(files).entrySet()) {
                md.update(f.getKey().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(f.getValue());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every file under a folder, for a big asset written straight to disk. */
    static long size(Path folder) throws IOException {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
