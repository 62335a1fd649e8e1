package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** What a change set is created with besides the stack's name: the template (uploaded when big), parameters, capabilities. */
final class ChangeSetInputs {
    private final DeployerConfig config;
    private final Retry retry;

    ChangeSetInputs(DeployerConfig config, Retry retry) {
        this.config = config;
        this.retry = retry;
    }

    /** Uploads a template too big for a TemplateBody to the template bucket (created when missing); its URL. */
    String upload(String stackName, String body, Retry.Listener l) {
        S3Client s3 = config.s3();
        String bucket = config.templateBucket();
        try {
            retry.run("HeadBucket", l, () -> s3.headBucket(b -> b.bucket(bucket)));
        } catch (NoSuchBucketException e) {
            createBucket(s3, bucket, l);
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            createBucket(s3, bucket, l);
        }
        String key = "livestack/" + stackName + "/" + sha256Hex(body) + ".json";
        retry.run("PutObject", l, () -> s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"),
                RequestBody.fromString(body, StandardCharsets.UTF_8)));
        return s3.utilities().getUrl(b -> b.bucket(bucket).key(key)).toExternalForm();
    }

    private void createBucket(S3Client s3, String bucket, Retry.Listener l) {
        String region = s3.serviceClientConfiguration().region() == null ? "us-east-1"
                : s3.serviceClientConfiguration().region().id();
        retry.run("CreateBucket", l, () -> s3.createBucket(b -> {
            b.bucket(bucket);
            if (!region.equals("us-east-1")) {
                b.createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.fromValue(region)));
            }
        }));
    }

    /**
     * The change set's parameters: configured values, else the previous value of a parameter without a Default.
     *
     * @param shown filled with each parameter as it may be shown (secret values masked)
     */
    List<Parameter> parameters(ObjectNode template, Stack existing, Map<String, String> shown) {
        Set<String> noEcho = Secrets.noEchoParameters(template);
        Set<String> previous = new LinkedHashSet<>();
        if (existing != null) {
            existing.parameters().forEach(p -> previous.add(p.parameterKey()));
        }
        List<Parameter> out = new ArrayList<>();
        Json.objectOrEmpty(template.get("Parameters")).fields().forEachRemaining(e -> {
            String name = e.getKey();
            JsonNode def = e.getValue();
            if (config.parameters().containsKey(name)) {
                String v = config.parameters().get(name);
                out.add(Parameter.builder().parameterKey(name).parameterValue(v).build());
                shown.put(name, Secrets.maskParameterValue(name, v, noEcho));
            } else if (!def.has("Default") && previous.contains(name)) {
                out.add(Parameter.builder().parameterKey(name).usePreviousValue(true).build());
                shown.put(name, "(previous value)");
            }
            // Otherwise no value: the Default applies (CDK's BootstrapVersion resolves from SSM this way).
        });
        return out;
    }

    /** The capabilities the template needs, as {@code cdk deploy} infers them. */
    static Set<Capability> capabilities(ObjectNode template) {
        Set<Capability> caps = new LinkedHashSet<>();
        Json.objectOrEmpty(template.get("Resources")).fields().forEachRemaining(e -> {
            String type = e.getValue().path("Type").asText("");
            JsonNode props = e.getValue().path("Properties");
            if (type.startsWith("AWS::IAM::")) {
                caps.add(Capability.CAPABILITY_IAM);
                for (String nameProp : List.of("RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName")) {
                    if (props.has(nameProp)) {
                        caps.add(Capability.CAPABILITY_NAMED_IAM);
                    }
                }
            }
            if (type.equals("AWS::CloudFormation::Stack")) {
                // a nested stack's IAM resources need the parent's acknowledgement; the CDK CLI always gives all three
                caps.addAll(List.of(Capability.CAPABILITY_IAM, Capability.CAPABILITY_NAMED_IAM, Capability.CAPABILITY_AUTO_EXPAND));
            }
            if (type.startsWith("AWS::Serverless::")) {
                caps.add(Capability.CAPABILITY_AUTO_EXPAND);
            }
        });
        if (template.has("Transform")) {
            caps.add(Capability.CAPABILITY_AUTO_EXPAND);
        }
        return caps;
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
