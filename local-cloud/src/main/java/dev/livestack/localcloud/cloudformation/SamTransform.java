package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.ports.ApplicationRepository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The transforms CloudFormation runs when a template is submitted. {@code AWS::Serverless-2016-10-31} (SAM) is
 * expanded here, resource by resource, into the resources SAM's translator generates, with its logical-id rules and
 * its error wording; the processed template is what CloudFormation then validates and deploys, and the submitted one
 * stays the stack's "Original" template. Any other transform fails as CloudFormation fails an unknown one.
 */
final class SamTransform {
    static final String SAM = "AWS::Serverless-2016-10-31";
    /** Transforms AWS hosts that local-cloud does not run; any other name is an unknown macro. */
    private static final Set<String> HOSTED = Set.of("AWS::Include", "AWS::LanguageExtensions",
            "AWS::CodeDeployBlueGreen", "AWS::SecretsManager-2020-07-23", "AWS::ServiceCatalog");

    private final CloudContext context;
    private final ApplicationRepository repository;

    SamTransform(CloudContext context, ApplicationRepository repository) {
        this.context = context;
        this.repository = repository;
    }

    /** The transform names a template declares (a string or a list), in order. */
    static List<String> declared(JsonNode root) {
        JsonNode t = root.get("Transform");
        List<String> out = new ArrayList<>();
        if (t == null) {
            return out;
        }
        if (t.isArray()) {
            t.forEach(n -> out.add(n.isObject() ? n.path("Name").asText() : n.asText()));
        } else if (t.isObject()) {
            out.add(t.path("Name").asText());
        } else {
            out.add(t.asText());
        }
        return out;
    }

    /**
     * The processed template; the template itself when it declares no transform.
     *
     * @param parameters the parameter values given with the submission (SAM resolves Ref to them in a few places)
     * @throws TransformFailure when a transform fails, with CloudFormation's message
     */
    Template expand(Template submitted, Map<String, String> parameters) {
        List<String> names = declared(submitted.root());
        if (names.isEmpty()) {
            return submitted;
        }
        for (String name : names) {
            if (HOSTED.contains(name)) {
                throw new TransformFailure("Transform " + name + " is not supported by local-cloud: it expands "
                        + SAM + " only.");
            }
            if (!name.equals(SAM)) {
                throw new TransformFailure("No transform named " + name + " found.");
            }
        }
        ObjectNode root = submitted.root().deepCopy();
        root.remove("Transform");
        SamGlobals.apply(root);
        SamContext sam = new SamContext(context, root, parameters);
        ObjectNode resources = root.path("Resources") instanceof ObjectNode o ? o : Template.NODES.objectNode();
        Map<String, JsonNode> out = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (var e : Template.iterable(resources)) {
            String id = e.getKey();
            JsonNode r = e.getValue();
            String type = r.path("Type").asText();
            if (!type.startsWith("AWS::Serverless::")) {
                out.put(id, r);
                continue;
            }
            try {
                out.putAll(type.equals(SamLayerVersion.TYPE) ? SamLayerVersion.expand(id, (ObjectNode) r, sam.renames)
                        : expandResource(sam, id, (ObjectNode) r, type));
            } catch (SamContext.Invalid invalid) {
                errors.add(invalid.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new TransformFailure("Transform " + SAM + " failed with: Invalid Serverless Application Specification "
                    + "document. Number of errors found: " + errors.size() + ". " + String.join(" ", errors));
        }
        ObjectNode expanded = Template.NODES.objectNode();
        out.forEach(expanded::set);
        root.set("Resources", expanded);
        root.remove("Globals");
        SamLayerVersion.rename(expanded, sam.renames);
        SamLayerVersion.rename(root.get("Outputs"), sam.renames);
        return Template.processed(root, submitted.body());
    }

    private Map<String, JsonNode> expandResource(SamContext sam, String id, ObjectNode r, String type) {
        return switch (type) {
            case SamApplication.TYPE -> new SamApplication(sam, repository).expand(id, r);
            case SamFunction.TYPE -> new SamFunction(sam).expand(id, r);
            case SamSimpleTable.TYPE -> SamSimpleTable.expand(id, r);
            default -> throw new SamContext.Invalid(id, "Resource type " + type + " is not expanded by local-cloud's "
                    + "SAM transform (it expands AWS::Serverless::Application, Function, SimpleTable and LayerVersion).");
        };
    }

    /** Whether a processed template came from one holding an {@code AWS::Serverless::Application}. */
    static boolean expandsApplications(Template t) {
        if (t.original() == null) {
            return false;
        }
        for (var e : Template.iterable(Template.parse(t.original()).resources())) {
            if (e.getValue().path("Type").asText().equals(SamApplication.TYPE)) {
                return true;
            }
        }
        return false;
    }
}
