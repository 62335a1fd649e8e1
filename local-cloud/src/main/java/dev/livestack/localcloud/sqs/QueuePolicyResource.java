package dev.livestack.localcloud.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.Ids;
import dev.livestack.localcloud.core.TypedResourceProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code AWS::SQS::QueuePolicy}: sets the queues' {@code Policy} attribute (stored and returned, not enforced:
 * local-cloud has one account and no IAM), and clears it on delete.
 */
final class QueuePolicyResource extends TypedResourceProvider {
    private final SqsQueues queues;

    QueuePolicyResource(SqsQueues queues) {
        super("AWS::SQS::QueuePolicy", Set.of());
        this.queues = queues;
    }

    @Override
    public Provisioned create(String stackName, String logicalId, ObjectNode properties) {
        apply(properties, List.of());
        return new Provisioned(stackName + "-" + logicalId + "-" + Ids.upper(12), Map.of());
    }

    @Override
    public Provisioned update(String stackName, String logicalId, String physicalId, ObjectNode oldProperties,
                              ObjectNode newProperties) {
        apply(newProperties, names(oldProperties));
        return new Provisioned(physicalId, Map.of());
    }

    @Override
    public void delete(String physicalId, ObjectNode properties) {
        synchronized (queues) {
            for (String name : names(properties)) {
                SqsQueue q = queues.get(name);
                if (q != null) {
                    q.attributes.remove("Policy");
                    queues.changed(q);
                }
            }
        }
    }

    private void apply(ObjectNode properties, List<String> previous) {
        JsonNode doc = properties.get("PolicyDocument");
        String policy = doc.isTextual() ? doc.asText() : doc.toString();
        List<String> names = names(properties);
        synchronized (queues) {
            for (String name : names) {
                if (queues.get(name) == null) {
                    throw new ResourceFailure("Resource handler returned message: \"The specified queue does not exist.\" "
                            + "(Service: Sqs, Status Code: 400)");
                }
            }
            for (String name : previous) {
                SqsQueue q = queues.get(name);
                if (q != null && !names.contains(name)) {
                    q.attributes.remove("Policy");
                    queues.changed(q);
                }
            }
            for (String name : names) {
                SqsQueue q = queues.get(name);
                q.attributes.put("Policy", policy);
                queues.changed(q);
            }
        }
    }

    private static List<String> names(ObjectNode properties) {
        List<String> out = new ArrayList<>();
        properties.path("Queues").forEach(u -> out.add(u.asText().substring(u.asText().lastIndexOf('/') + 1)));
        return out;
    }
}
