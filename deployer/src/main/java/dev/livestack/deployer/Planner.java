package dev.livestack.deployer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Turns a template diff into hot-swap plans, asking the handler of each resource type. Pure. */
final class Planner {

    /** The plans of one diff. */
    record Result(List<HotswapPlan.Swap> swaps, List<HotswapPlan.Reject> rejects, List<HotswapPlan.Ignore> ignores) {
        Result {
            swaps = List.copyOf(swaps);
            rejects = List.copyOf(rejects);
            ignores = List.copyOf(ignores);
        }
    }

    private final Map<String, HotswapHandler> handlers;

    Planner(List<HotswapHandler> handlers) {
        this.handlers = handlers.stream().collect(Collectors.toUnmodifiableMap(HotswapHandler::resourceType, Function.identity()));
    }

    static Planner standard() {
        return new Planner(List.of(new LambdaFunctionHandler(), new LambdaVersionHandler(), new LambdaAliasHandler(),
                new StateMachineHandler()));
    }

    Map<String, HotswapHandler> handlers() {
        return handlers;
    }

    Result plan(TemplateDiff diff, Resolver deployed) {
        List<HotswapPlan.Swap> swaps = new ArrayList<>();
        List<HotswapPlan.Reject> rejects = new ArrayList<>();
        List<HotswapPlan.Ignore> ignores = new ArrayList<>();
        for (ResourceChange change : diff.resources()) {
            HotswapPlan p = planOne(change, deployed);
            if (p instanceof HotswapPlan.Swap s) {
                swaps.add(s);
            } else if (p instanceof HotswapPlan.Reject r) {
                rejects.add(r);
            } else {
                ignores.add((HotswapPlan.Ignore) p);
            }
        }
        for (SectionChange s : diff.sections()) {
            if (s.section().equals("Metadata")) {
                continue;
            }
            String what = switch (s.section()) {
                case "Outputs" -> "outputs changed; only a change set updates them";
                case "Parameters" -> "parameters changed; only a change set applies them";
                case "Conditions" -> "conditions changed; only a change set applies them";
                case "Mappings" -> "mappings changed; only a change set applies them";
                case "Rules" -> "rules changed; only a change set checks them";
                default -> "template " + s.section() + " changed; only a change set applies it";
            };
            rejects.add(new HotswapPlan.Reject(s.name(), "", "", what));
        }
        return new Result(swaps, rejects, ignores);
    }

    HotswapPlan planOne(ResourceChange change, Resolver deployed) {
        String type = change.resourceType();
        if (Json.CDK_METADATA.equals(type)
                || change.oldResource() != null && Json.CDK_METADATA.equals(change.oldResource().path("Type").asText())) {
            return new HotswapPlan.Ignore(change.logicalId(), "CDK metadata never needs a deploy");
        }
        if (change.metadataOnly()) {
            return new HotswapPlan.Ignore(change.logicalId(), "only Metadata changed");
        }
        if (change.kind() == ResourceChange.Kind.TYPE_CHANGED) {
            return new HotswapPlan.Reject(change.logicalId(), type, "Type",
                    "its type changed from " + change.oldResource().path("Type").asText() + " to " + type
                            + "; the resource must be replaced by a change set");
        }
        HotswapHandler h = handlers.get(type);
        if (h == null) {
            String what = switch (change.kind()) {
                case ADDED -> "resource added; only a change set creates it";
                case REMOVED -> "resource removed; only a change set deletes it";
                default -> "resource type " + type + " cannot be hot-swapped (hot-swappable: "
                        + String.join(", ", handlers.keySet().stream().sorted().toList()) + "); deploy it with a change set";
            };
            return new HotswapPlan.Reject(change.logicalId(), type, "", what);
        }
        try {
            return h.plan(change, deployed);
        } catch (UnresolvableException e) {
            return new HotswapPlan.Reject(change.logicalId(), type, "", "expression not resolvable: " + e.getMessage());
        }
    }
}
