package dev.livestack.deployer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.cfntemplate.ParsedTemplate;
import dev.livestack.cfntemplate.TemplateFormatException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import software.amazon.awssdk.services.cloudformation.model.TemplateStage;

/** CloudFormation reads (and the termination-protection switch), each retried on transient failures. */
final class Cfn {
    private final CloudFormationClient cf;
    private final Retry retry;

    Cfn(CloudFormationClient cf, Retry retry) {
        this.cf = cf;
        this.retry = retry;
    }

    CloudFormationClient client() {
        return cf;
    }

    /** The client's region, for ARNs of a stack whose id does not say. */
    String region() {
        var r = cf.serviceClientConfiguration().region();
        return r == null ? "us-east-1" : r.id();
    }

    /** The region's exports, read only when the template imports any (it costs a call per deploy). */
    Map<String, String> exportsFor(ObjectNode template, Retry.Listener l) {
        if (!Json.write(template).contains("\"Fn::ImportValue\"")) {
            return Map.of();
        }
        try {
            return exports(l);
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            // Without exports an import is reported as not resolvable, which falls back to a change set.
            return Map.of();
        }
    }

    /**
     * Sets a stack's termination protection to what the app asks, when it asks ({@code wanted} not null) and the stack
     * differs, as {@code cdk deploy} does after a deploy.
     */
    void protect(Stack s, Boolean wanted, Retry.Listener l) {
        if (wanted == null || wanted.equals(Boolean.TRUE.equals(s.enableTerminationProtection()))) {
            return;
        }
        retry.run("UpdateTerminationProtection", l, () -> cf.updateTerminationProtection(b -> b.stackName(s.stackId())
                .enableTerminationProtection(wanted)));
    }

    Optional<Stack> describe(String stackName, Retry.Listener l) {
        try {
            return retry.call("DescribeStacks", l, () -> cf.describeStacks(b -> b.stackName(stackName)).stacks())
                    .stream().findFirst();
        } catch (CloudFormationException e) {
            if (notFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    static boolean notFound(CloudFormationException e) {
        String m = String.valueOf(e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage());
        return e.statusCode() == 400 && m.contains("does not exist");
    }

    Map<String, StackResolver.Deployed> resources(String stackName, Retry.Listener l) {
        Map<String, StackResolver.Deployed> out = new LinkedHashMap<>();
        String token = null;
        do {
            String t = token;
            var page = retry.call("ListStackResources", l,
                    () -> cf.listStackResources(b -> b.stackName(stackName).nextToken(t)));
            for (StackResourceSummary s : page.stackResourceSummaries()) {
                if (s.physicalResourceId() != null && !s.physicalResourceId().isEmpty()
                        && !String.valueOf(s.resourceStatusAsString()).startsWith("DELETE_COMPLETE")) {
                    out.put(s.logicalResourceId(), new StackResolver.Deployed(s.physicalResourceId(), s.resourceType()));
                }
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return out;
    }

    /** The template CloudFormation has for the stack (JSON, or YAML read as the JSON it stands for). */
    Optional<ObjectNode> template(String stackName, Retry.Listener l) {
        try {
            String body = retry.call("GetTemplate", l,
                    () -> cf.getTemplate(b -> b.stackName(stackName).templateStage(TemplateStage.ORIGINAL)).templateBody());
            if (body == null || body.isBlank()) {
                return Optional.empty();
            }
            return Optional.of(ParsedTemplate.parse(body).root());
        } catch (CloudFormationException e) {
            if (notFound(e)) {
                return Optional.empty();
            }
            throw e;
        } catch (TemplateFormatException e) {
            // CloudFormation accepted it, so this is a form the parser lacks; with no template to compare, the deploy uses a change set.
            return Optional.empty();
        }
    }

    /** The region's exports (ListExports), for {@code Fn::ImportValue}. */
    Map<String, String> exports(Retry.Listener l) {
        Map<String, String> out = new HashMap<>();
        String token = null;
        do {
            String t = token;
            var page = retry.call("ListExports", l, () -> cf.listExports(b -> b.nextToken(t)));
            page.exports().forEach(e -> out.put(e.name(), e.value()));
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return out;
    }

    static Map<String, String> outputs(Stack s) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Output o : s.outputs()) {
            out.put(o.outputKey(), o.outputValue());
        }
        return out;
    }

    static Map<String, String> parameters(Stack s) {
        Map<String, String> out = new HashMap<>();
        for (Parameter p : s.parameters()) {
            String v = p.resolvedValue() != null ? p.resolvedValue() : p.parameterValue();
            if (v != null) {
                out.put(p.parameterKey(), v);
            }
        }
        return out;
    }

    /** Region and account from a stack ARN {@code arn:aws:cloudformation:<region>:<account>:stack/…}. */
    static String[] regionAndAccount(String stackId, String fallbackRegion) {
        String[] parts = stackId == null ? new String[0] : stackId.split(":");
        if (parts.length >= 5 && parts[0].equals("arn")) {
            return new String[] {parts[3], parts[4]};
        }
        return new String[] {fallbackRegion, "000000000000"};
    }
}
