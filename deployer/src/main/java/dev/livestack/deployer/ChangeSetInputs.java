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

    /** Parameters without a Default, a value given or a previous value: CloudFormation refuses the change set. */
    static final class MissingParameters extends RuntimeException {
        private final List<String> names;

        MissingParameters(List<String> names) {
            super("Parameters: " + names + " must have values");
            this.names = List.copyOf(names);
        }

        List<String> names() {
            return names;
        }
    }

    /** Where a parameter's value comes from, as the CDK CLI decides it. */
    enum Source { GIVEN, PREVIOUS, DEFAULT }

    /** One declared parameter's value for a deploy ({@code value} null for a previous value not known here). */
    record Value(String name, Source source, String value) {
    }

    /**
     * Each declared parameter's value, in the CDK CLI's order: the value given, else the stack's previous value (a
     * parameter CloudFormation remembers keeps it), else the Default; none of them is {@link MissingParameters}.
     *
     * @param previous the deployed stack's parameter values by name (empty for a new stack)
     */
    static List<Value> values(ObjectNode template, Map<String, String> given, Map<String, String> previous) {
        List<Value> out = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Json.objectOrEmpty(template.get("Parameters")).fields().forEachRemaining(e -> {
            String name = e.getKey();
            JsonNode def = e.getValue();
            if (given.containsKey(name)) {
                out.add(new Value(name, Source.GIVEN, given.get(name)));
            } else if (previous.containsKey(name)) {
                out.add(new Value(name, Source.PREVIOUS, previous.get(name)));
            } else if (def.has("Default")) {
                JsonNode d = def.get("Default");
                String v = d.isArray() ? String.join(",", java.util.stream.StreamSupport.stream(d.spliterator(), false)
                        .map(JsonNode::asText).toList()) : d.asText();
                out.add(new Value(name, Source.DEFAULT, v));
            } else {
                missing.add(name);
            }
        });
        if (!missing.isEmpty()) {
            throw new MissingParameters(missing);
        }
        return out;
    }

    /** The deployed stack's parameter values as given (an SSM parameter's name, not its resolved value). */
    static Map<String, String> previousValues(Stack existing) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (existing != null) {
            existing.parameters().forEach(p -> out.put(p.parameterKey(), p.parameterValue()));
        }
        return out;
    }

    /**
     * The change set's parameters: the values given for this stack, {@code UsePreviousValue} for the others the stack
     * has, nothing (the Default applies) for the rest, as {@code cdk deploy} passes them.
     *
     * @param shown filled with each parameter as it may be shown (NoEcho values masked)
     * @throws MissingParameters when a parameter would have no value
     */
    List<Parameter> parameters(String stackName, ObjectNode template, Stack existing, Map<String, String> shown) {
        Set<String> noEcho = Secrets.noEchoParameters(template);
        List<Parameter> out = new ArrayList<>();
        for (Value v : values(template, config.parametersFor(stackName), previousValues(existing))) {
            switch (v.source()) {
                case GIVEN -> {
                    out.add(Parameter.builder().parameterKey(v.name()).parameterValue(v.value()).build());
                    shown.put(v.name(), Secrets.maskParameterValue(v.name(), v.value(), noEcho));
                }
                case PREVIOUS -> {
                    out.add(Parameter.builder().parameterKey(v.name()).usePreviousValue(true).build());
                    shown.put(v.name(), "(previous value)");
                }
                // the Default applies (CDK's BootstrapVersion resolves from SSM this way on a first deploy)
                case DEFAULT -> { }
            }
        }
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
            if (type.equals("AWS::CloudFormation::Stack") || type.equals("AWS::Serverless::Application")) {
                // a nested stack's (or a SAM application's) IAM resources need the parent's acknowledgement; the CDK
                // CLI always gives all three
                caps.addAll(List.of(Capability.CAPABILITY_IAM, Capability.CAPABILITY_NAMED_IAM, Capability.CAPABILITY_AUTO_EXPAND));
            }
            if (type.startsWith("AWS::Serverless::")) {
                caps.add(Capability.CAPABILITY_AUTO_EXPAND);
            }
            if (type.equals("AWS::Serverless::Function") && !props.has("Role")) {
                // SAM generates the function's execution role
                caps.add(Capability.CAPABILITY_IAM);
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
