package dev.livestack.cfntemplate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What differs between the evaluator's users: how names resolve, and how a failure is reported.
 * local-cloud resolves against the stack being created and fails the operation with CloudFormation's
 * message; the deployer resolves against the deployed stack and reports the value as unresolvable.
 */
public interface StackEnvironment {
    /**
     * The value of {@code Ref name}: a pseudo parameter (other than {@code AWS::NoValue}, which the evaluator
     * handles), a parameter or a resource's physical id. Throws the user's own exception when it has none.
     */
    JsonNode ref(String name);

    /** The value of {@code Fn::GetAtt [logicalId, attribute]}; throws the user's own exception when it has none. */
    JsonNode getAtt(String logicalId, String attribute);

    /** The value exported under this name, or null when nothing exports it. */
    String importValue(String name);

    /** The stack's region, for {@code Fn::GetAZs ""}. */
    String region();

    /** The exception to throw for a problem the evaluator found. */
    RuntimeException failure(Problem problem);
}
