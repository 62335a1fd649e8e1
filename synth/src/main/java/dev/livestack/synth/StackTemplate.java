package dev.livestack.synth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One stack of an assembly.
 *
 * @param stackName the CloudFormation stack name
 * @param template the CloudFormation template (JSON tree; YAML templates are converted)
 * @param dependencies names of stacks that must be deployed before this one
 * @param roles the CDK bootstrap roles the stack's artifact names (as written, placeholders and all)
 * @param tags the stack-level tags the artifact carries ({@code Tags.of(app).add(...)}), which {@code cdk deploy}
 *        passes to CloudFormation
 * @param terminationProtection whether the artifact asks for termination protection; {@code null} when the app
 *        does not say (a template file), so a deploy leaves the stack's setting as it is
 * @param region the region the artifact's environment names ({@code aws://account/region}), or {@code null} when it
 *        is environment-agnostic ({@code unknown-region}) or the app does not say
 */
public record StackTemplate(String stackName, ObjectNode template, List<String> dependencies, Roles roles,
                            Map<String, String> tags, Boolean terminationProtection, String region) {
    public StackTemplate {
        if (stackName == null || stackName.isBlank()) {
            throw new IllegalArgumentException("stackName must not be blank");
        }
        Objects.requireNonNull(template, "template");
        dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
        roles = roles == null ? Roles.NONE : roles;
        tags = tags == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        region = region == null || region.isBlank() || region.startsWith("unknown-") ? null : region;
    }

    /** A stack whose artifact names no roles, tags, termination protection or region (a template file app). */
    public StackTemplate(String stackName, ObjectNode template, List<String> dependencies) {
        this(stackName, template, dependencies, Roles.NONE, Map.of(), null, null);
    }

    /**
     * The roles of a stack artifact's {@code properties} in {@code manifest.json}, which the CDK CLI uses to deploy
     * it. Values may hold {@code ${AWS::AccountId}}, {@code ${AWS::Region}} and {@code ${AWS::Partition}}.
     *
     * @param assumeRoleArn the deploy role: CloudFormation calls for the stack act as it ({@code null}: none)
     * @param assumeRoleExternalId the external id to assume it with, or {@code null}
     * @param cloudFormationExecutionRoleArn the role CloudFormation itself deploys the stack as ({@code RoleARN}), or {@code null}
     */
    public record Roles(String assumeRoleArn, String assumeRoleExternalId, String cloudFormationExecutionRoleArn) {
        /** No roles: everything acts as the caller's own credentials. */
        public static final Roles NONE = new Roles(null, null, null);

        public Roles {
            assumeRoleArn = blankToNull(assumeRoleArn);
            assumeRoleExternalId = blankToNull(assumeRoleExternalId);
            cloudFormationExecutionRoleArn = blankToNull(cloudFormationExecutionRoleArn);
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s;
        }
    }
}
