package dev.livestack.localcloud.cloudformation;

import dev.livestack.localcloud.core.AwsException;

/**
 * A transform that failed: CloudFormation fails a change set with this message as its status reason, and refuses a
 * CreateStack, UpdateStack or ValidateTemplate with it as a ValidationError.
 */
final class TransformFailure extends AwsException {
    private static final long serialVersionUID = 1L;

    TransformFailure(String message) {
        super(400, "ValidationError", message);
    }
}
