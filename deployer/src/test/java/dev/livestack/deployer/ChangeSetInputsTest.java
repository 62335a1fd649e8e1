package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.model.Capability;

/** {@link ChangeSetInputs}: the capabilities a template needs. */
class ChangeSetInputsTest {

    @Test
    void capabilitiesAreInferred() {
        assertEquals(Set.of(), ChangeSetInputs.capabilities(TestTemplates.obj("{'Resources':{'Q':{'Type':'AWS::SQS::Queue'}}}")));
        assertEquals(Set.of(Capability.CAPABILITY_IAM), ChangeSetInputs.capabilities(TestTemplates.obj("{'Resources':{'R':{'Type':'AWS::IAM::Role','Properties':{}}}}")));
        assertEquals(Set.of(Capability.CAPABILITY_IAM, Capability.CAPABILITY_NAMED_IAM),
                ChangeSetInputs.capabilities(TestTemplates.obj("{'Resources':{'R':{'Type':'AWS::IAM::Role','Properties':{'RoleName':'x'}}}}")));
        assertEquals(Set.of(Capability.CAPABILITY_AUTO_EXPAND),
                ChangeSetInputs.capabilities(TestTemplates.obj("{'Transform':'AWS::Serverless-2016-10-31','Resources':{}}")));
        // a nested stack may hold IAM resources the parent must acknowledge
        assertEquals(Set.of(Capability.CAPABILITY_IAM, Capability.CAPABILITY_NAMED_IAM, Capability.CAPABILITY_AUTO_EXPAND),
                ChangeSetInputs.capabilities(TestTemplates.obj("{'Resources':{'N':{'Type':'AWS::CloudFormation::Stack','Properties':{}}}}")));
        // a SAM application is a nested stack; a SAM function without a Role gets a generated one
        assertEquals(Set.of(Capability.CAPABILITY_IAM, Capability.CAPABILITY_NAMED_IAM, Capability.CAPABILITY_AUTO_EXPAND),
                ChangeSetInputs.capabilities(TestTemplates.obj("{'Transform':'AWS::Serverless-2016-10-31',"
                        + "'Resources':{'A':{'Type':'AWS::Serverless::Application','Properties':{'Location':'x'}}}}")));
        assertEquals(Set.of(Capability.CAPABILITY_IAM, Capability.CAPABILITY_AUTO_EXPAND),
                ChangeSetInputs.capabilities(TestTemplates.obj("{'Transform':'AWS::Serverless-2016-10-31',"
                        + "'Resources':{'F':{'Type':'AWS::Serverless::Function','Properties':{}}}}")));
        assertEquals(Set.of(Capability.CAPABILITY_AUTO_EXPAND),
                ChangeSetInputs.capabilities(TestTemplates.obj("{'Transform':'AWS::Serverless-2016-10-31',"
                        + "'Resources':{'F':{'Type':'AWS::Serverless::Function','Properties':{'Role':'arn:aws:iam::1:role/r'}}}}")));
    }
}
