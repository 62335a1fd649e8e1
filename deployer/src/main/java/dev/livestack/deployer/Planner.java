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

    /** The standard handlers, with no cloud assembly to take staged assets from. */
    static Planner standard() {
        return standard(null);
    }

    /** The standard handlers; S3 code of asset-based functions is swapped from the assets staged in {@code assemblyDir}. */
    static Planner standard(java.nio.file.Path assemblyDir) {
        return new Planner(standardHandlers(assemblyDir));
    }

    /** One handler per hot-swappable type: adding a type adds its handler here. */
    static List<HotswapHandler> standardHandlers(java.nio.file.Path assemblyDir) {
        return List.of(new LambdaFunctionHandler(assemblyDir), new LambdaVersionHandler(), new LambdaAliasHandler(),
                new StateMachineHandler());
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
            rejects.add(new HotswapPlan.Reject(s.name(), "", "", RejectReason.SECTION_CHANGED, what));
        }
        return new Result(swaps, rejects, ignores);
    }

    /**
     * Hotswap mode, as {@code cdk watch --hotswap}: a resource rejected for a property no handler can apply still gets
     * the properties its handler can apply (its code, say) swapped; each other changed property is rejected on its own.
     * Fallback mode must not use this: there a rejection sends the whole change to a change set.
     */
    Result withPartialSwaps(Result plan, TemplateDiff diff, Resolver deployed) {
        Map<String, ResourceChange> byId = new java.util.HashMap<>();
        diff.resources().forEach(c -> byId.put(c.logicalId(), c));
        List<HotswapPlan.Swap> swaps = new ArrayList<>(plan.swaps());
        List<HotswapPlan.Reject> rejects = new ArrayList<>();
        for (HotswapPlan.Reject r : plan.rejects()) {
            ResourceChange c = byId.get(r.logicalId());
            HotswapHandler h = c == null ? null : handlers.get(c.resourceType());
            if (h == null || c.kind() != ResourceChange.Kind.MODIFIED || r.property().isEmpty()) {
                rejects.add(r);
                continue;
            }
            List<PropertyChange> swappable = c.properties().stream()
                    .filter(p -> !p.attribute() && h.swappableProperties().contains(p.name())).toList();
            List<PropertyChange> rest = c.properties().stream()
                    .filter(p -> !swappable.contains(p) && !(p.attribute() && p.name().equals("Metadata"))).toList();
            if (swappable.isEmpty()) {
                rejects.add(r);
                continue;
            }
            // The resource as it runs, with only the swappable properties changed: the handler sees the old values of
            // everything it must not apply (an inline zip is built for the running Runtime, not a new one).
            com.fasterxml.jackson.databind.node.ObjectNode partial = c.oldResource().deepCopy();
            // ... but the new Metadata: it names the staged asset of the new code
            if (c.newResource().has("Metadata")) {
                partial.set("Metadata", c.newResource().get("Metadata").deepCopy());
            } else {
                partial.remove("Metadata");
            }
            com.fasterxml.jackson.databind.node.ObjectNode props = partial.has("Properties") && partial.get("Properties").isObject()
                    ? (com.fasterxml.jackson.databind.node.ObjectNode) partial.get("Properties") : partial.putObject("Properties");
            for (PropertyChange p : swappable) {
                if (p.newValue() == null) {
                    props.remove(p.name());
                } else {
                    props.set(p.name(), p.newValue().deepCopy());
                }
            }
            HotswapPlan sub = planOne(new ResourceChange(c.logicalId(), ResourceChange.Kind.MODIFIED, c.oldResource(), partial,
                    swappable), deployed);
            if (!(sub instanceof HotswapPlan.Swap s)) {
                rejects.add(r);
                continue;
            }
            swaps.add(s);
            for (PropertyChange p : rest) {
                rejects.add(p.attribute()
                        ? BaseHandler.attributeChanged(c, p.name())
                        : BaseHandler.notSwappable(c.logicalId(), c.resourceType(), p.name(), h.swappableProperties()));
            }
        }
        return new Result(swaps, rejects, plan.ignores());
    }

    /**
     * The plan of one change: CDK metadata is ignored, a type no handler knows is rejected with the checks a handler
     * makes, the rest is the handler's.
     */
    HotswapPlan planOne(ResourceChange change, Resolver deployed) {
        String type = change.resourceType();
        if (Json.CDK_METADATA.equals(type)
                || change.oldResource() != null && Json.CDK_METADATA.equals(change.oldResource().path("Type").asText())) {
            return new HotswapPlan.Ignore(change.logicalId(), "CDK metadata never needs a deploy");
        }
        HotswapHandler h = handlers.get(type);
        if (h != null) {
            return h.plan(change, deployed);
        }
        // no handler: the same structural checks a handler makes, then the type itself
        return switch (change.kind()) {
            case ADDED -> BaseHandler.added(change);
            case REMOVED -> BaseHandler.removedResource(change);
            case TYPE_CHANGED -> BaseHandler.typeChanged(change);
            default -> change.metadataOnly() ? BaseHandler.metadataOnly(change)
                    : new HotswapPlan.Reject(change.logicalId(), type, "", RejectReason.TYPE_NOT_SWAPPABLE,
                            "resource type " + type + " cannot be hot-swapped (hot-swappable: "
                                    + String.join(", ", handlers.keySet().stream().sorted().toList())
                                    + "); deploy it with a change set");
        };
    }
}
