package dev.livestack.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Resolves CloudFormation intrinsic functions (Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If,
 * Fn::FindInMap, Fn::ImportValue, Fn::Base64) against the deployed stack: its resources' physical ids, its parameter
 * values, its outputs, the region's exports and the pseudo parameters. Resolution is pure: the stack was read once, before planning.
 */
public interface Resolver {

    /**
     * The value with every intrinsic replaced by its deployed value ({@code AWS::NoValue} entries removed).
     *
     * @throws UnresolvableException when an expression refers to something the deployed stack does not have
     */
    JsonNode resolve(JsonNode value);

    /** The deployed physical id of a resource (function name, state machine ARN, …). */
    Optional<String> physicalId(String logicalId);

    /** The deployed value of an output. */
    Optional<String> output(String name);

    /** The region the stack is in. */
    String region();

    /** The account the stack is in. */
    String accountId();
}
