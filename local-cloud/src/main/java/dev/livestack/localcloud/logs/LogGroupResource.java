package dev.livestack.localcloud.logs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.Ids;
import dev.livestack.localcloud.core.ValidationErrors;
import dev.livestack.localcloud.core.TypedResourceProvider;
import java.util.Map;
import java.util.Set;

/** {@code AWS::Logs::LogGroup}: Ref is the name, GetAtt Arn the ARN with {@code :*}. */
final class LogGroupResource extends TypedResourceProvider {
    private final LogsStore store;

    LogGroupResource(LogsStore store) {
        super("AWS::Logs::LogGroup", Set.of("LogGroupName"));
        this.store = store;
    }

    @Override
    public Provisioned create(String stackName, String logicalId, ObjectNode properties) {
        String name = properties.hasNonNull("LogGroupName") ? properties.get("LogGroupName").asText()
                : Ids.trimmedGeneratedName(stackName, logicalId, 512);
        if (!LogsService.GROUP_NAME.matcher(name).matches()) {
            throw new ResourceFailure("Resource handler returned message: \"" + ValidationErrors.detected(ValidationErrors.failure(
                    name, "logGroupName", "Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+")) + "\"");
        }
        Integer retention = properties.hasNonNull("RetentionInDays") ? properties.get("RetentionInDays").asInt() : null;
        if (!store.createGroup(name, retention)) {
            throw new ResourceFailure("Resource of type 'AWS::Logs::LogGroup' with identifier '" + name + "' already exists.");
        }
        return provisioned(name);
    }

    @Override
    public Provisioned update(String stackName, String logicalId, String physicalId, ObjectNode oldProperties,
                              ObjectNode newProperties) {
        if (!store.hasGroup(physicalId)) {
            store.createGroup(physicalId, null);
        }
        store.retention(physicalId, newProperties.hasNonNull("RetentionInDays")
                ? newProperties.get("RetentionInDays").asInt() : null);
        return provisioned(physicalId);
    }

    @Override
    public void delete(String physicalId, ObjectNode properties) {
        store.deleteGroup(physicalId);
    }

    private Provisioned provisioned(String name) {
        return new Provisioned(name, Map.of("Arn", store.groupArn(name) + ":*"));
    }
}
