package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/** The configured parameter values ({@code --parameters}) against a deployed stack's: what a deploy would change. */
final class StackParameters {
    private final DeployerConfig config;

    StackParameters(DeployerConfig config) {
        this.config = config;
    }

    /**
     * Each parameter whose value a change set would change (given, else previous, else Default; none at all is a
     * change with no {@code after}), secrets masked.
     *
     * @param live the deployed stack, or {@code null} when there is none (or only a failed creation)
     */
    List<ParameterChange> changes(String name, ObjectNode template, Stack live) {
        Map<String, String> previous = live == null ? Map.of() : ChangeSetInputs.previousValues(live);
        Set<String> noEcho = Secrets.noEchoParameters(template);
        List<ParameterChange> out = new ArrayList<>();
        List<ChangeSetInputs.Value> values;
        try {
            values = ChangeSetInputs.values(template, config.parametersFor(name), previous);
        } catch (ChangeSetInputs.MissingParameters e) {
            Map<String, String> blanks = new LinkedHashMap<>(config.parametersFor(name));
            e.names().forEach(n -> blanks.put(n, ""));
            values = ChangeSetInputs.values(template, blanks, previous);
            e.names().forEach(n -> out.add(new ParameterChange(n, null, null)));
        }
        for (ChangeSetInputs.Value v : values) {
            String before = previous.get(v.name());
            if (v.value() == null || out.stream().anyMatch(c -> c.name().equals(v.name())) || v.value().equals(before)) {
                continue;
            }
            String after = Secrets.maskParameterValue(v.name(), v.value(), noEcho);
            out.add(new ParameterChange(v.name(), before == null ? null
                    : Secrets.maskParameterValue(v.name(), before, noEcho), after));
        }
        return out;
    }

    /** Hot-swap mode: each given value that differs is reported as skipped (only a change set applies it). */
    static List<String> skipNewValues(String stack, List<String> names, java.util.function.Consumer<DeployEvent> emit) {
        List<String> skipped = new ArrayList<>();
        for (String p : names) {
            String reason = "parameter " + p + " has a new value; only a change set applies it (deploy with --mode full)";
            emit.accept(new DeployEvent.HotswapSkipped(stack, p, "", "", RejectReason.SECTION_CHANGED, reason));
            skipped.add(p + ": " + reason);
        }
        return skipped;
    }

    /**
     * The parameters given a value that differs from the deployed stack's. A NoEcho one reads back masked, so it cannot
     * be compared: {@code noEcho} says whether it counts as changed (a full deploy lets CloudFormation compare; a
     * hot-swap would otherwise never happen while a secret is passed).
     */
    List<String> changed(String name, ObjectNode template, Stack live, boolean noEcho) {
        Map<String, String> previous = ChangeSetInputs.previousValues(live);
        JsonNode declared = Json.objectOrEmpty(template.get("Parameters"));
        Set<String> secret = Secrets.noEchoParameters(template);
        List<String> out = new ArrayList<>();
        config.parametersFor(name).forEach((k, v) -> {
            if (declared.has(k) && !v.equals(previous.get(k)) && (noEcho || !secret.contains(k))) {
                out.add(k);
            }
        });
        return out;
    }
}
