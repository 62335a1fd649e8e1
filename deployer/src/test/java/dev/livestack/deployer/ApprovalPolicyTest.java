package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ApprovalPolicy}: which change sets need approval. */
class ApprovalPolicyTest {

    @Test
    void approvalPolicies() {
        ChangeSetSummary none = new ChangeSetSummary("s", "id", "UPDATE", List.of(), false, Map.of());
        ChangeSetSummary plain = new ChangeSetSummary("s", "id", "UPDATE", List.of(new ChangeRow("Modify", "Fn", "AWS::Lambda::Function", "False")), false, Map.of());
        ChangeSetSummary broad = new ChangeSetSummary("s", "id", "UPDATE", List.of(new ChangeRow("Add", "Role", "AWS::IAM::Role", "")), true, Map.of());
        assertFalse(ApprovalPolicy.NEVER.requiresApproval(broad));
        assertFalse(ApprovalPolicy.BROADENING.requiresApproval(plain));
        assertTrue(ApprovalPolicy.BROADENING.requiresApproval(broad));
        assertTrue(ApprovalPolicy.ANY_CHANGE.requiresApproval(plain));
        assertFalse(ApprovalPolicy.ANY_CHANGE.requiresApproval(none));
        assertEquals(ApprovalPolicy.ANY_CHANGE, ApprovalPolicy.parse("any-change"));
        assertThrows(IllegalArgumentException.class, () -> ApprovalPolicy.parse("sometimes"));
    }
}
