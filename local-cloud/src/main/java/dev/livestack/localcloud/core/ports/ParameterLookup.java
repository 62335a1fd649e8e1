package dev.livestack.localcloud.core.ports;

/**
 * SSM parameters as other services read them: CloudFormation's {@code AWS::SSM::Parameter::Value} parameter
 * types and STS's check that a CDK bootstrap stack exists.
 */
public interface ParameterLookup {
    /** The parameter's value, or null when there is none. */
    public String value(String name);
}
