package dev.livestack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestack.synth.CloudAssembly;
import dev.livestack.synth.StackTemplate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import picocli.CommandLine.Option;

/**
 * {@code --parameters [STACK:]KEY=VALUE}, repeatable, as the CDK CLI takes it (a picocli mixin for deploy, watch and
 * diff). {@code KEY=VALUE} is for every selected stack that declares KEY; {@code STACK:KEY=VALUE} for that stack only.
 */
final class ParametersOption {
    private static final String WHAT_TO_DO = "Write it as --parameters KEY=VALUE (every stack that declares KEY) or "
            + "--parameters STACK:KEY=VALUE (one stack).";

    @Option(names = "--parameters", paramLabel = "[STACK:]KEY=VALUE",
            description = "A stack parameter's value (repeatable): KEY=VALUE for every stack that declares it, "
                    + "STACK:KEY=VALUE for one stack. Parameters not given keep their previous value.")
    List<String> raw = new ArrayList<>();

    /**
     * The values keyed {@code KEY} or {@code STACK:KEY} (the deployer's form); the last of a repeated key wins, as
     * in the CDK CLI. A malformed one is bad input.
     */
    Map<String, String> parsed() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : raw) {
            int eq = p.indexOf('=');
            if (eq < 0) {
                throw new UserError("--parameters '" + p + "' has no '=': it is not KEY=VALUE or STACK:KEY=VALUE.", WHAT_TO_DO);
            }
            String key = p.substring(0, eq);
            int colon = key.indexOf(':');
            String stack = colon < 0 ? null : key.substring(0, colon);
            String name = colon < 0 ? key : key.substring(colon + 1);
            if (stack != null && stack.isBlank()) {
                throw new UserError("--parameters '" + p + "' names no stack before ':'.", WHAT_TO_DO);
            }
            if (!name.matches("[A-Za-z0-9]+")) {
                throw new UserError("--parameters '" + p + "': '" + name + "' is not a parameter name"
                        + " (CloudFormation parameter names are letters and digits only).", WHAT_TO_DO);
            }
            out.put(stack == null ? name : stack + ":" + name, p.substring(eq + 1));
        }
        return out;
    }

    /**
     * A value for a stack the app does not have, or for a parameter no stack it is meant for declares, is bad input:
     * found here, before anything is deployed.
     */
    static void check(Map<String, String> parameters, CloudAssembly assembly, List<StackTemplate> selected) {
        for (String key : parameters.keySet()) {
            int colon = key.indexOf(':');
            if (colon >= 0) {
                String stack = key.substring(0, colon);
                String name = key.substring(colon + 1);
                StackTemplate s = assembly.stack(stack).orElseThrow(() -> new UserError(
                        "--parameters " + key + "=…: the app has no stack " + stack + " (its stacks: "
                                + String.join(", ", assembly.stacks().stream().map(StackTemplate::stackName).toList()) + ").",
                        "Check the stack name (as 'livestack synth' lists it), or drop 'STACK:' to give it to every stack."));
                if (!declared(s).contains(name)) {
                    throw new UserError("--parameters " + key + "=…: stack " + stack + " has no parameter " + name
                            + " (" + declaredList(s) + ").", "Check the name (parameter names are case-sensitive).");
                }
            } else if (selected.stream().noneMatch(s -> declared(s).contains(key))) {
                TreeSet<String> all = new TreeSet<>();
                selected.forEach(s -> all.addAll(declared(s)));
                throw new UserError("--parameters " + key + "=…: no selected stack has a parameter " + key
                        + (all.isEmpty() ? " (they declare none)." : " (they declare " + String.join(", ", all) + ")."),
                        "Check the name (parameter names are case-sensitive) and the stacks selected with --stack.");
            }
        }
    }

    private static TreeSet<String> declared(StackTemplate s) {
        TreeSet<String> names = new TreeSet<>();
        JsonNode p = s.template().path("Parameters");
        p.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String declaredList(StackTemplate s) {
        TreeSet<String> d = declared(s);
        return d.isEmpty() ? "it declares none" : "it declares " + String.join(", ", d);
    }
}
