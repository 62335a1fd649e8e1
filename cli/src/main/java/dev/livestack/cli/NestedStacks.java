package dev.livestack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.synth.CloudAssembly;
import dev.livestack.synth.StackTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;

/**
 * A deployed nested stack of the app ({@code NestedStack}) as a stack of its own, for {@code hotswap}: the CDK CLI's
 * hot-swap reaches functions in nested stacks, whose templates are assets of their parent's in the cloud assembly.
 * The parent is found through the nested stack's {@code ParentId}, the nested stack's resource in the parent through
 * its physical id (the nested stack's ARN), its template through the resource's {@code aws:asset:path}.
 */
final class NestedStacks {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Guards against a cycle; CloudFormation's own nesting limit is lower. */
    private static final int MAX_DEPTH = 8;

    private NestedStacks() {
    }

    /** The nested stack {@code stackName} with its template from {@code assembly}, or empty when it is not one of the app's. */
    static Optional<StackTemplate> of(CloudFormationClient cfn, CloudAssembly assembly, String stackName) {
        return of(cfn, assembly, stackName, 0);
    }

    private static Optional<StackTemplate> of(CloudFormationClient cfn, CloudAssembly assembly, String stackName, int depth) {
        if (depth > MAX_DEPTH || assembly.directory() == null) {
            return Optional.empty();
        }
        List<Stack> found = cfn.describeStacks(b -> b.stackName(stackName)).stacks();
        if (found.isEmpty() || found.get(0).parentId() == null || found.get(0).parentId().isBlank()) {
            return Optional.empty();
        }
        Stack child = found.get(0);
        String parentName = nameOf(child.parentId());
        Optional<StackTemplate> parent = assembly.stack(parentName).or(() -> of(cfn, assembly, parentName, depth + 1));
        if (parent.isEmpty()) {
            return Optional.empty();
        }
        String logicalId = cfn.listStackResourcesPaginator(b -> b.stackName(child.parentId())).stackResourceSummaries().stream()
                .filter(r -> child.stackId().equals(r.physicalResourceId()))
                .map(StackResourceSummary::logicalResourceId).findFirst().orElse(null);
        if (logicalId == null) {
            return Optional.empty();
        }
        String file = parent.get().template().path("Resources").path(logicalId).path("Metadata").path("aws:asset:path").asText("");
        Path template = assembly.directory().resolve(file).normalize();
        if (file.isEmpty() || !template.startsWith(assembly.directory().normalize()) || !Files.isRegularFile(template)) {
            return Optional.empty();
        }
        try {
            JsonNode body = JSON.readTree(template.toFile());
            return body instanceof ObjectNode o ? Optional.of(new StackTemplate(stackName, o, List.of())) : Optional.empty();
        } catch (IOException e) {
            throw new UserError("Cannot read the nested stack template " + template + ": " + e.getMessage(),
                    "Synthesise the app again (livestack synth).");
        }
    }

    /** The stack name in a stack ARN ({@code arn:…:stack/NAME/uuid}); a name is returned as it is. */
    static String nameOf(String stackIdOrName) {
        String[] parts = stackIdOrName.split(":", 6);
        if (parts.length == 6 && parts[5].startsWith("stack/")) {
            String rest = parts[5].substring("stack/".length());
            int slash = rest.indexOf('/');
            return slash < 0 ? rest : rest.substring(0, slash);
        }
        return stackIdOrName;
    }
}
