package dev.livestack.localcloud.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ValidationErrorsTest {
    @Test
    void oneFailureIsSingular() {
        assertEquals("1 validation error detected: Value 'x y' at 'stackName' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*",
                ValidationErrors.detected(ValidationErrors.failure("x y", "stackName",
                        "Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*")));
    }

    @Test
    void severalFailuresArePluralAndJoinedBySemicolons() {
        assertEquals("2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null; "
                        + "Value '1' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
                ValidationErrors.detected(List.of(ValidationErrors.notNull("roleArn"),
                        ValidationErrors.failure("1", "roleSessionName", "Member must have length greater than or equal to 2"))));
    }

    @Test
    void aMissingMemberReadsValueNull() {
        assertEquals("1 validation error detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null",
                ValidationErrors.missing("functionName"));
    }

    @Test
    void noFailuresIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> ValidationErrors.detected(List.of()));
    }
}
