package dev.livestack.localcloud.parity;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.cloudformation.model.Parameter;

/** What the CloudFormation parity classes share: one local-cloud per class, and the results checked against one floor. */
abstract class CloudFormationParity {
    static final RecordedRuns RUNS = RecordedRuns.of("cloudformation");
    /** The identical share of the CloudFormation scenarios run so far; set from what the suite reaches. */
    static final double FLOOR = 0.85;
    static CfnParityCloud cloud;

    @BeforeAll
    static void startCloud() throws Exception {
        cloud = new CfnParityCloud();
    }

    @AfterAll
    static void stopCloud() throws Exception {
        cloud.close();
        RUNS.writeAndCheck(FLOOR);
    }

    static Parameter param(String key, String value) {
        return Parameter.builder().parameterKey(key).parameterValue(value).build();
    }
}
