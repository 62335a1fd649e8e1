package dev.livestack.localcloud.stepfunctions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.Ids;
import dev.livestack.localcloud.core.TypedResourceProvider;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code AWS::StepFunctions::StateMachine} as CloudFormation's handler provisions it: a real state
 * machine in {@link StepFunctionsService}. Ref is the ARN; GetAtt gives {@code Arn}, {@code Name} and
 * {@code StateMachineRevisionId}. The definition is {@code DefinitionString} (already resolved by the
 * engine) or {@code Definition} (an object, serialised), with {@code DefinitionSubstitutions} applied.
 */
final class StepFunctionsStateMachineProvider extends TypedResourceProvider {
    static final String TYPE = "AWS::StepFunctions::StateMachine";
    private final StepFunctionsService service;

    StepFunctionsStateMachineProvider(StepFunctionsService service) {
        super(TYPE, Set.of("StateMachineName", "StateMachineType"));
        this.service = service;
    }

    @Override
    public Provisioned create(String stackName, String logicalId, ObjectNode properties) {
        String roleArn = roleArn(properties);
        String definition = definition(properties);
        // CloudFormation names an unnamed machine <LogicalId>-<12 random characters>.
        String name = properties.hasNonNull("StateMachineName") ? properties.get("StateMachineName").asText()
                : logicalId + "-" + Ids.lower(12);
        try {
            ObjectNode m = service.create(name, definition, roleArn, properties.path("StateMachineType").asText(null),
                    apiShape(properties.get("LoggingConfiguration")), apiShape(properties.get("TracingConfiguration")),
                    apiShape(properties.get("Tags")));
            return provisioned(m);
        } catch (AwsException e) {
            throw failure(e);
        }
    }

    @Override
    public Provisioned update(String stackName, String logicalId, String physicalId, ObjectNode oldProperties,
                              ObjectNode newProperties) {
        String roleArn = roleArn(newProperties);
        String definition = definition(newProperties);
        try {
            if (!service.exists(physicalId)) {
                service.adopt(physicalId, definition, roleArn, newProperties.path("StateMachineType").asText(null));
            }
            // A property removed from the template goes back to its default, so both are always sent.
            JsonNode logging = apiShape(newProperties.get("LoggingConfiguration"));
            JsonNode tracing = apiShape(newProperties.get("TracingConfiguration"));
            ObjectNode m = service.update(physicalId, definition, roleArn,
                    logging == null ? Http.JSON.createObjectNode() : logging,
                    tracing == null ? Http.JSON.createObjectNode() : tracing);
            return provisioned(m);
        } catch (AwsException e) {
            throw failure(e);
        }
    }

    @Override
    public void delete(String physicalId, ObjectNode properties) {
        try {
            service.delete(physicalId);
        } catch (AwsException e) {
            // A physical id that is not a state machine ARN names nothing this service could hold.
            if (!"InvalidArn".equals(e.code())) {
                throw failure(e);
            }
        }
    }

    private static Provisioned provisioned(ObjectNode m) {
        Map<String, Object> a = new LinkedHashMap<>();
        String arn = m.get("stateMachineArn").asText();
        a.put("Arn", arn);
        a.put("Name", m.get("name").asText());
        a.put("StateMachineRevisionId", m.get("revisionId").asText());
        return new Provisioned(arn, a);
    }

    private static String roleArn(ObjectNode p) {
        if (!p.hasNonNull("RoleArn")) {
            throw new ResourceFailure("Properties validation failed for resource with message: #: required key [RoleArn] not found");
        }
        return p.get("RoleArn").asText();
    }

    /** The definition text the handler sends: the string or the serialised object, with substitutions made. */
    static String definition(ObjectNode p) {
        String definition;
        JsonNode string = p.get("DefinitionString");
        JsonNode object = p.get("Definition");
        if (string != null && object != null) {
            throw new ResourceFailure("Properties validation failed for resource with message: #: only 1 subschema matches out of 2");
        }
        if (string != null) {
            definition = string.isTextual() ? string.asText() : write(string);
        } else if (object != null) {
            definition = write(object);
        } else if (p.has("DefinitionS3Location")) {
            throw new ResourceFailure("Resource handler returned message: \"local-cloud does not read state machine definitions "
                    + "from S3 (DefinitionS3Location); use DefinitionString or Definition\" (HandlerErrorCode: InvalidRequest)");
        } else {
            throw new ResourceFailure("Resource handler returned message: \"Either Definition, DefinitionString or "
                    + "DefinitionS3Location must be specified\" (HandlerErrorCode: InvalidRequest)");
        }
        JsonNode substitutions = p.get("DefinitionSubstitutions");
        if (substitutions != null && substitutions.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = substitutions.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                definition = definition.replace("${" + e.getKey() + "}", e.getValue().asText());
            }
        }
        return definition;
    }

    /** CloudFormation spells the API's members in PascalCase: {@code Level} for {@code level}, at every depth. */
    static JsonNode apiShape(JsonNode cfn) {
        if (cfn == null || cfn.isNull()) {
            return null;
        }
        if (cfn.isObject()) {
            ObjectNode out = Http.JSON.createObjectNode();
            cfn.fields().forEachRemaining(e -> out.set(Character.toLowerCase(e.getKey().charAt(0)) + e.getKey().substring(1),
                    apiShape(e.getValue())));
            return out;
        }
        if (cfn.isArray()) {
            ArrayNode out = Http.JSON.createArrayNode();
            cfn.forEach(n -> out.add(apiShape(n)));
            return out;
        }
        return cfn;
    }

    private static String write(JsonNode node) {
        try {
            return Http.JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new ResourceFailure("cannot serialise the definition: " + e.getOriginalMessage());
        }
    }

    private ResourceFailure failure(AwsException e) {
        String code = switch (e.code()) {
            case "StateMachineAlreadyExists" -> "AlreadyExists";
            case "StateMachineDoesNotExist" -> "NotFound";
            default -> e.status() >= 500 ? "ServiceInternalError" : "InvalidRequest";
        };
        return new ResourceFailure("Resource handler returned message: \"" + e.getMessage() + " (Service: Sfn, Status Code: "
                + e.status() + ", Request ID: " + UUID.randomUUID() + ")\" (RequestToken: " + UUID.randomUUID()
                + ", HandlerErrorCode: " + code + ")");
    }
}
