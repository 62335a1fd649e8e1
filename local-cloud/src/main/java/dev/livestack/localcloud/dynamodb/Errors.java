package dev.livestack.localcloud.dynamodb;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;

/** DynamoDB's errors: the codes and wording AWS uses, and the extra members some carry (the item, cancellation reasons). */
final class Errors {
    static final String CONDITION_FAILED = "The conditional request failed";

    private Errors() {
    }

    /** An error with members besides {@code __type} and {@code message}, rendered into the error body. */
    static final class DynamoException extends AwsException {
        private static final long serialVersionUID = 1L;
        private final transient ObjectNode members;

        DynamoException(String code, String message, ObjectNode members) {
            super(400, code, message);
            this.members = members;
        }

        ObjectNode members() {
            return members;
        }
    }

    static AwsException validation(String message) {
        return new AwsException(400, "ValidationException", message);
    }

    static AwsException serialization(String type) {
        return new AwsException(400, "SerializationException", "Unexpected value type in payload: " + type);
    }

    static AwsException notFound() {
        return new AwsException(400, "ResourceNotFoundException", "Requested resource not found");
    }

    static AwsException tableNotFound(String name) {
        return new AwsException(400, "ResourceNotFoundException", "Requested resource not found: Table: " + name + " not found");
    }

    static AwsException inUse(String message) {
        return new AwsException(400, "ResourceInUseException", message);
    }

    /** The failed condition, with the item when the caller asked for it ({@code ReturnValuesOnConditionCheckFailure=ALL_OLD}). */
    static AwsException conditionFailed(ObjectNode item) {
        ObjectNode members = Values.NODES.objectNode();
        if (item != null) {
            members.set("Item", item);
        }
        return new DynamoException("ConditionalCheckFailedException", CONDITION_FAILED, members);
    }

    static AwsException invalid(String kind, String detail) {
        return validation("Invalid " + kind + ": " + detail);
    }
}
