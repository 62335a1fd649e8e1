package dev.livestack.synth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * One stack of an assembly.
 *
 * @param stackName the CloudFormation stack name
 * @param template the CloudFormation template (JSON tree; YAML templates are converted)
 * @param dependencies names of stacks that must be deployed before this one
 * @param roles the CDK bootstrap roles the stack's artifact names (as written, placeholders and all)
 */
public record StackTemplate(String stackName, ObjectNode template, List<String> dependencies, Roles roles) {
    public StackTemplate {
        if (stackName == null || stackName.isBlank()) {
            throw new IllegalArgumentException("stackName must not be blank");
        }
        Objects.requireNonNull(template, "template");
        dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
        roles = roles == null ? Roles.NONE : roles;
    }

    /** A stack whose artifact names no roles (a template file app, or the legacy synthesizer). */
    public StackTemplate(String stackName, ObjectNode template, List<String> dependencies) {
        this(stackName, template, dependencies, Roles.NONE);
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
