package dev.livestack.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Output;

/**
 * Stack outputs: read from CloudFormation, written as {@code cdk deploy --outputs-file} writes them,
 * and turned into environment variables named after each output (CDK's {@code OrdersQueueUrl} →
 * {@code ORDERS_QUEUE_URL}).
 */
final class StackOutputs {
    /** CDK appends an 8-hex hash to ids of constructs below the stack's root. */
    private static final Pattern CDK_HASH = Pattern.compile("^(.*[a-z0-9])([0-9A-F]{8})$");

    private StackOutputs() {
    }

    /** Outputs of each stack, stack by stack, in the given order; a stack that doesn't exist is an error. */
    static Map<String, Map<String, String>> read(CloudFormationClient cfn, List<String> stackNames) {
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        for (String stack : stackNames) {
            try {
                Map<String, String> outputs = new LinkedHashMap<>();
                for (Output o : cfn.describeStacks(r -> r.stackName(stack)).stacks().get(0).outputs()) {
                    outputs.put(o.outputKey(), o.outputValue());
                }
                all.put(stack, outputs);
            } catch (CloudFormationException e) {
                if (e.getMessage() != null && e.getMessage().contains("does not exist")) {
                    throw new UserError("The stack " + stack + " is not deployed.", "Deploy it first: livestack deploy.");
                }
                throw e;
            }
        }
        return all;
    }

    /** The {@code --outputs-file} format of the CDK CLI: {@code {"Stack": {"OutputKey": "value"}}}. */
    static void write(Path file, Map<String, Map<String, String>> outputs) throws IOException {
        ObjectNode root = Output_JSON.createObjectNode();
        outputs.forEach((stack, values) -> {
            ObjectNode s = root.putObject(stack);
            values.forEach(s::put);
        });
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".outputs", ".tmp");
        Files.writeString(tmp, Output_JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper Output_JSON = dev.livestack.cli.Output.JSON;

    /** {@code OrdersQueueUrl} (or {@code OrdersQueueUrl1A2B3C4D}) → {@code ORDERS_QUEUE_URL}. */
    static String variableName(String outputKey) {
        String key = outputKey;
        var m = CDK_HASH.matcher(key);
        if (m.matches()) {
            key = m.group(1);
        }
        if (key.equals(key.toUpperCase(Locale.ROOT))) {
            return key.replaceAll("[^A-Z0-9]+", "_");
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean boundary = i > 0 && Character.isUpperCase(c)
                    && (Character.isLowerCase(key.charAt(i - 1)) || Character.isDigit(key.charAt(i - 1))
                    || (i + 1 < key.length() && Character.isLowerCase(key.charAt(i + 1)) && Character.isUpperCase(key.charAt(i - 1))));
            if (boundary) {
                b.append('_');
            }
            b.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return b.toString();
    }

    /** All outputs of the stacks as variables; a later stack's variable wins over an earlier one's. */
    static Map<String, String> variables(Map<String, Map<String, String>> outputs) {
        Map<String, String> vars = new LinkedHashMap<>();
        outputs.values().forEach(values -> values.forEach((k, v) -> vars.put(variableName(k), v)));
        return vars;
    }
}
