package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link DeployResult}: its compact constructor rejects bad arguments. */
class DeployResultTest {

    @Test
    void rejectsABlankStackAndAFailureWithoutAnError() {
        assertThrows(IllegalArgumentException.class, () -> new DeployResult(" ", DeployResult.Status.DEPLOYED, null, null, null, null, null, null, Duration.ZERO));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DeployResult("s", DeployResult.Status.FAILED, null, null, null, null, null, null, Duration.ZERO));
        assertTrue(e.getMessage().contains("error"));
    }
}
