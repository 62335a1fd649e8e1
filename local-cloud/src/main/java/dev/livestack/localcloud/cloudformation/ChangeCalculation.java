package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.ports.ResourceProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a new template changes in a stack: the change set's resource changes (add, modify with replacement, remove)
 * and the intrinsic resolution both change sets and deployments use.
 */
final class ChangeCalculation {
    private final CloudContext context;
    private final StackStore store;
    private final SubmissionChecks checks;

    ChangeCalculation(CloudContext context, StackStore store, SubmissionChecks checks) {
        this.context = context;
        this.store = store;
        this.checks = checks;
    }

    /** Whether anything besides resources changed: outputs, parameters, tags, the template's other sections. */
    boolean otherChanges(StackRecord s, Prepared prepared, Map<String, String> tags) {
        if (s.templateBody == null) {
            return true;
        }
        ObjectNode oldRoot = Template.parse(s.templateBody).root().deepCopy();
        ObjectNode newRoot = prepared.template().root().deepCopy();
        for (ObjectNode r : List.of(oldRoot, newRoot)) {
            r.remove("Resources");
            r.remove("Description");
            r.remove("Metadata");
        }
        if (!oldRoot.equals(newRoot)) {
            return true;
        }
        Map<String, String> oldValues = new HashMap<>();
        s.parameters.forEach(p -> oldValues.put(p.key, p.resolvedValue != null ? p.resolvedValue : p.value));
        Map<String, String> newValues = new HashMap<>();
        prepared.parameters().forEach(p -> newValues.put(p.key, p.resolvedValue != null ? p.resolvedValue : p.value));
        return !oldValues.equals(newValues) || (tags != null && !tags.equals(s.tags));
    }

    /**
     * The resource changes between a stack's current resources and a submitted template, as
     * DescribeChangeSet shows them. Resources replaced by this change make their dependents'
     * references unknown (Dynamic), as in CloudFormation.
     */
    List<ObjectNode> changes(StackRecord s, Prepared prepared, boolean create) {
        Template t = prepared.template();
        Map<String, StackRecord.Resource> current = new LinkedHashMap<>();
        if (!create) {
            s.resources.forEach((id, r) -> {
                if (!"DELETE_COMPLETE".equals(r.status) && r.physicalId != null) {
                    current.put(id, r);
                }
            });
        }
        Set<String> unknown = new LinkedHashSet<>();
        Intrinsics probe = intrinsics(s, prepared, current, unknown, true);
        List<String> included = new ArrayList<>();
        for (var e : Template.iterable(t.resources())) {
            if (probe.included(e.getValue())) {
                included.add(e.getKey());
            }
        }
        included.stream().filter(id -> !current.containsKey(id)).forEach(unknown::add);
        Template oldTemplate = create || s.templateBody == null ? null : Template.parse(s.templateBody);
        List<ObjectNode> out = new ArrayList<>();
        Map<String, ObjectNode> modifications = new LinkedHashMap<>();
        for (int pass = 0; pass < 10; pass++) {
            Intrinsics in = intrinsics(s, prepared, current, unknown, true);
            modifications.clear();
            boolean grew = false;
            for (String id : included) {
                StackRecord.Resource old = current.get(id);
                if (old == null) {
                    continue;
                }
                JsonNode def = t.resources().get(id);
                String type = def.path("Type").asText();
                if (!type.equals(old.type)) {
                    throw AwsException.validation("Update of resource type is not permitted. The new template modifies resource type of the following resources: [" + id + "]");
                }
                ObjectNode props = properties(in, def);
                JsonNode oldDef = oldTemplate == null ? null : oldTemplate.resources().get(id);
                ObjectNode change = modification(id, old, def, oldDef, props, t.parameters());
                if (change != null) {
                    modifications.put(id, change);
                    if ("True".equals(change.path("ResourceChange").path("Replacement").asText()) && unknown.add(id)) {
                        grew = true;
                    }
                }
            }
            if (!grew) {
                break;
            }
        }
        for (String id : included) {
            if (!current.containsKey(id)) {
                ObjectNode rc = Template.NODES.objectNode();
                rc.put("Action", "Add");
                rc.put("LogicalResourceId", id);
                rc.put("ResourceType", t.resources().get(id).path("Type").asText());
                rc.putArray("Scope");
                rc.putArray("Details");
                try {
                    rc.put("AfterContext", context(properties(intrinsics(s, prepared, current, unknown, true), t.resources().get(id))));
                } catch (Intrinsics.TemplateError e) {
                    // the property values are only a preview; the deployment reports the error
                }
                out.add(wrap(rc));
            } else if (modifications.containsKey(id)) {
                out.add(modifications.get(id));
            }
        }
        for (StackRecord.Resource old : current.values()) {
            if (!included.contains(old.logicalId)) {
                ObjectNode rc = Template.NODES.objectNode();
                rc.put("PolicyAction", "Delete");
                rc.put("Action", "Remove");
                rc.put("LogicalResourceId", old.logicalId);
                rc.put("PhysicalResourceId", old.physicalId);
                rc.put("ResourceType", old.type);
                rc.putArray("Scope");
                rc.putArray("Details");
                rc.put("BeforeContext", context(old.properties));
                out.add(wrap(rc));
            }
        }
        return out;
    }

    private static ObjectNode wrap(ObjectNode resourceChange) {
        ObjectNode c = Template.NODES.objectNode();
        c.put("Type", "Resource");
        c.set("ResourceChange", resourceChange);
        return c;
    }

    private ObjectNode modification(String id, StackRecord.Resource old, JsonNode def, JsonNode oldDef, ObjectNode props,
                                    JsonNode parameters) {
        ObjectNode oldProps = old.properties == null ? Template.NODES.objectNode() : old.properties;
        Set<String> names = new LinkedHashSet<>(Template.names(oldProps));
        names.addAll(Template.names(props));
        Set<String> replacing = replacementProperties(old.type);
        ArrayNode details = Template.NODES.arrayNode();
        ArrayNode scope = Template.NODES.arrayNode();
        String replacement = "False";
        for (String name : names) {
            JsonNode a = oldProps.get(name);
            JsonNode b = props.get(name);
            if (Objects.equals(a, b)) {
                continue;
            }
            boolean dynamic = Intrinsics.unresolved(b);
            boolean recreate = replacing.contains(name);
            JsonNode oldRaw = oldDef == null ? null : oldDef.path("Properties").get(name);
            JsonNode newRaw = def.path("Properties").get(name);
            String source = !Objects.equals(oldRaw, newRaw) ? "DirectModification"
                    : refersToParameter(newRaw, parameters) ? "ParameterReference" : "ResourceReference";
            ObjectNode d = details.addObject();
            ObjectNode target = d.putObject("Target");
            target.put("Attribute", "Properties");
            target.put("Name", name);
            target.put("RequiresRecreation", recreate ? (dynamic ? "Conditionally" : "Always") : "Never");
            d.put("Evaluation", dynamic ? "Dynamic" : "Static");
            d.put("ChangeSource", source);
            if (recreate) {
                replacement = dynamic && !"True".equals(replacement) ? "Conditional" : "True";
            }
            if (name.equals("Tags") && !contains(scope, "Tags")) {
                scope.add("Tags");
            }
        }
        boolean propsChanged = !details.isEmpty();
        JsonNode newMeta = def.get("Metadata");
        boolean metaChanged = !Objects.equals(old.metadata, newMeta);
        if (!propsChanged && !metaChanged) {
            return null;
        }
        ArrayNode fullScope = Template.NODES.arrayNode();
        if (propsChanged) {
            fullScope.add("Properties");
        }
        if (metaChanged) {
            fullScope.add("Metadata");
        }
        fullScope.addAll(scope);
        ObjectNode rc = Template.NODES.objectNode();
        rc.put("Action", "Modify");
        rc.put("LogicalResourceId", id);
        rc.put("PhysicalResourceId", old.physicalId);
        rc.put("ResourceType", old.type);
        if ("True".equals(replacement)) {
            // what happens to the old physical resource once its replacement exists, from UpdateReplacePolicy
            String policy = def.path("UpdateReplacePolicy").asText("Delete");
            rc.put("PolicyAction", "Replace" + ("Retain".equals(policy) || "Snapshot".equals(policy) ? "And" + policy : "AndDelete"));
        }
        rc.put("Replacement", replacement);
        rc.set("Scope", fullScope);
        rc.set("Details", details);
        rc.put("BeforeContext", context(oldProps));
        rc.put("AfterContext", context(props));
        return wrap(rc);
    }

    /**
     * A resource's property values as DescribeChangeSet shows them with IncludePropertyValues: a JSON
     * document, values not known before the deployment as {@code {{changeSet:KNOWN_AFTER_APPLY}}}.
     */
    private static String context(ObjectNode properties) {
        ObjectNode c = Template.NODES.objectNode();
        c.set("Properties", properties == null ? Template.NODES.objectNode() : properties);
        return c.toString().replaceAll("\\{\\{local-cloud:unresolved:[^}]*}}", "{{changeSet:KNOWN_AFTER_APPLY}}");
    }

    private static boolean contains(ArrayNode a, String v) {
        for (JsonNode n : a) {
            if (n.asText().equals(v)) {
                return true;
            }
        }
        return false;
    }

    private static boolean refersToParameter(JsonNode raw, JsonNode parameters) {
        boolean[] found = {false};
        Template.collectRefs(raw, (target, getAtt) -> found[0] |= !getAtt && parameters.has(target));
        return found[0];
    }

    Set<String> replacementProperties(String type) {
        ResourceProvider p = context.provider(type);
        return p != null ? p.replacementProperties() : RecordedTypes.replacementProperties(type);
    }

    Intrinsics intrinsics(StackRecord s, Prepared prepared, Map<String, StackRecord.Resource> view, Set<String> unknown,
                                  boolean preview) {
        Template t = prepared.template();
        return new Intrinsics(t, prepared.values(), checks.pseudo(s.stackName, s.stackId), id -> {
            JsonNode def = t.resources().get(id);
            if (def == null) {
                return null;
            }
            StackRecord.Resource r = view.get(id);
            if (r == null || r.physicalId == null || unknown.contains(id)) {
                return new Intrinsics.ResourceView(def.path("Type").asText(), null, Map.of());
            }
            return new Intrinsics.ResourceView(r.type, r.physicalId, r.attributes);
        }, name -> store.exports().get(name), preview, checks.parameterStore());
    }

    static ObjectNode properties(Intrinsics in, JsonNode def) {
        JsonNode p = in.resolve(def.get("Properties"));
        return p instanceof ObjectNode o ? o : Template.NODES.objectNode();
    }
}
