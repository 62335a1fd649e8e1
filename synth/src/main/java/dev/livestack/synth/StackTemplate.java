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
 */
public record StackTemplate(String stackName, ObjectNode template, List<String> dependencies) {
    public StackTemplate {
        if (stackName == null || stackName.isBlank()) {
            throw new IllegalArgumentException("stackName must not be blank");
        }
        Objects.requireNonNull(template, "template");
        dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
    }
}
