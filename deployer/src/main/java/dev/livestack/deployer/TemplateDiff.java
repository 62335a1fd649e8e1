package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The difference between two CloudFormation templates, by resource logical id and property, plus changes to
 * the other sections (Outputs, Parameters, Conditions, Mappings, Rules and top-level keys).
 *
 * @param resources the changed resources, in logical id order
 * @param sections the changed non-resource entries
 */
public record TemplateDiff(List<ResourceChange> resources, List<SectionChange> sections) {

    /** Resource attributes that are compared besides {@code Type} and {@code Properties}. */
    static final List<String> RESOURCE_ATTRIBUTES = List.of(
            "Metadata", "DependsOn", "Condition", "DeletionPolicy", "UpdateReplacePolicy", "UpdatePolicy", "CreationPolicy");

    private static final List<String> KEYED_SECTIONS = List.of("Parameters", "Outputs", "Conditions", "Mappings", "Rules");

    public TemplateDiff {
        resources = resources == null ? List.of() : List.copyOf(resources);
        sections = sections == null ? List.of() : List.copyOf(sections);
    }

    /**
     * Compares two templates.
     *
     * @param oldTemplate the last applied template ({@code null} or empty for a stack that does not exist)
     * @param newTemplate the template to deploy
     */
    public static TemplateDiff between(ObjectNode oldTemplate, ObjectNode newTemplate) {
        Objects.requireNonNull(newTemplate, "newTemplate");
        ObjectNode oldT = oldTemplate == null ? Json.MAPPER.createObjectNode() : oldTemplate;
        List<ResourceChange> resources = new ArrayList<>();
        ObjectNode oldRes = Json.objectOrEmpty(oldT.get("Resources"));
        ObjectNode newRes = Json.objectOrEmpty(newTemplate.get("Resources"));
        Set<String> ids = new TreeSet<>();
        oldRes.fieldNames().forEachRemaining(ids::add);
        newRes.fieldNames().forEachRemaining(ids::add);
        for (String id : ids) {
            JsonNode o = oldRes.get(id);
            JsonNode n = newRes.get(id);
            if (o == null || !o.isObject()) {
                resources.add(new ResourceChange(id, ResourceChange.Kind.ADDED, null, (ObjectNode) n, List.of()));
            } else if (n == null || !n.isObject()) {
                resources.add(new ResourceChange(id, ResourceChange.Kind.REMOVED, (ObjectNode) o, null, List.of()));
            } else if (!o.equals(n)) {
                ObjectNode oo = (ObjectNode) o;
                ObjectNode nn = (ObjectNode) n;
                List<PropertyChange> props = propertyChanges(oo, nn);
                boolean typeChanged = !oo.path("Type").asText("").equals(nn.path("Type").asText(""));
                resources.add(new ResourceChange(id, typeChanged ? ResourceChange.Kind.TYPE_CHANGED : ResourceChange.Kind.MODIFIED,
                        oo, nn, props));
            }
        }
        List<SectionChange> sections = new ArrayList<>();
        for (String section : KEYED_SECTIONS) {
            ObjectNode os = Json.objectOrEmpty(oldT.get(section));
            ObjectNode ns = Json.objectOrEmpty(newTemplate.get(section));
            Set<String> keys = new TreeSet<>();
            os.fieldNames().forEachRemaining(keys::add);
            ns.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                JsonNode o = os.get(key);
                JsonNode n = ns.get(key);
                if (!Objects.equals(o, n)) {
                    sections.add(new SectionChange(section, key, o, n));
                }
            }
        }
        Set<String> top = new LinkedHashSet<>();
        oldT.fieldNames().forEachRemaining(top::add);
        newTemplate.fieldNames().forEachRemaining(top::add);
        for (String key : top) {
            if (key.equals("Resources") || KEYED_SECTIONS.contains(key)) {
                continue;
            }
            JsonNode o = oldT.get(key);
            JsonNode n = newTemplate.get(key);
            if (!Objects.equals(o, n)) {
                sections.add(new SectionChange(key, "", o, n));
            }
        }
        return new TemplateDiff(resources, sections);
    }

    private static List<PropertyChange> propertyChanges(ObjectNode o, ObjectNode n) {
        List<PropertyChange> out = new ArrayList<>();
        ObjectNode op = Json.objectOrEmpty(o.get("Properties"));
        ObjectNode np = Json.objectOrEmpty(n.get("Properties"));
        Set<String> names = new TreeSet<>();
        op.fieldNames().forEachRemaining(names::add);
        np.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode ov = op.get(name);
            JsonNode nv = np.get(name);
            if (!Objects.equals(ov, nv)) {
                out.add(new PropertyChange(name, false, ov, nv));
            }
        }
        Set<String> attrs = new LinkedHashSet<>(RESOURCE_ATTRIBUTES);
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            attrs.add(it.next());
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            attrs.add(it.next());
        }
        attrs.remove("Type");
        attrs.remove("Properties");
        for (String attr : attrs) {
            JsonNode ov = o.get(attr);
            JsonNode nv = n.get(attr);
            if (!Objects.equals(ov, nv)) {
                out.add(new PropertyChange(attr, true, ov, nv));
            }
        }
        return out;
    }

    /** Whether the templates are equal. */
    public boolean isEmpty() {
        return resources.isEmpty() && sections.isEmpty();
    }

    /**
     * Whether nothing but metadata changed: resource {@code Metadata} attributes, {@code AWS::CDK::Metadata}
     * resources and the template's own {@code Metadata}. Such changes never need a deploy.
     */
    public boolean metadataOnly() {
        return resources.stream().allMatch(r -> r.metadataOnly() || Json.CDK_METADATA.equals(r.resourceType()))
                && sections.stream().allMatch(s -> s.section().equals("Metadata"));
    }

    /**
     * The diff for people, one line per change, with secret values masked: values of {@code NoEcho} parameters
     * and of environment variables whose names look secret ({@code *SECRET*}, {@code *PASSWORD*}, {@code *TOKEN*},
     * {@code *KEY*}).
     *
     * @param newTemplate the template the diff was made to, to find its {@code NoEcho} parameters
     */
    public List<String> render(ObjectNode newTemplate) {
        Set<String> noEcho = Secrets.noEchoParameters(newTemplate);
        List<String> lines = new ArrayList<>();
        for (ResourceChange r : resources) {
            switch (r.kind()) {
                case ADDED -> lines.add("[+] " + r.resourceType() + " " + r.logicalId());
                case REMOVED -> lines.add("[-] " + r.resourceType() + " " + r.logicalId());
                case TYPE_CHANGED -> lines.add("[~] " + r.logicalId() + " type "
                        + r.oldResource().path("Type").asText() + " -> " + r.newResource().path("Type").asText());
                case MODIFIED -> {
                    lines.add("[~] " + r.resourceType() + " " + r.logicalId());
                    for (PropertyChange p : r.properties()) {
                        JsonNode ov = Secrets.mask(p.name(), p.oldValue(), noEcho);
                        JsonNode nv = Secrets.mask(p.name(), p.newValue(), noEcho);
                        lines.add("    " + (p.attribute() ? "" : "Properties.") + p.name() + ": "
                                + Json.brief(ov) + " -> " + Json.brief(nv));
                    }
                }
            }
        }
        for (SectionChange s : sections) {
            JsonNode ov = s.oldValue();
            JsonNode nv = s.newValue();
            if (s.section().equals("Parameters") && noEcho.contains(s.key())) {
                ov = Secrets.maskParameter(ov);
                nv = Secrets.maskParameter(nv);
            }
            String mark = ov == null ? "[+] " : nv == null ? "[-] " : "[~] ";
            lines.add(mark + s.name() + ": " + Json.brief(ov) + " -> " + Json.brief(nv));
        }
        return lines;
    }

    /** Parameters of {@code template} marked {@code NoEcho}. */
    static Set<String> noEcho(ObjectNode template) {
        return Secrets.noEchoParameters(template);
    }

    /** The changed resources keyed by logical id. */
    Map<String, ResourceChange> byLogicalId() {
        Map<String, ResourceChange> m = new java.util.LinkedHashMap<>();
        resources.forEach(r -> m.put(r.logicalId(), r));
        return m;
    }
}
