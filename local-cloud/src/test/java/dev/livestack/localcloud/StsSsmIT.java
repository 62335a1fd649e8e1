package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

class StsSsmIT {
    @RegisterExtension
    static final LocalCloudFixture cloud = new LocalCloudFixture();
    static SsmClient ssm;

    @BeforeAll
    static void start() throws Exception {
        ssm = cloud.closeAfter(Sdk.ssm(cloud.endpoint()));
    }

    @Test
    void callerIdentityIsTheAccountRoot() {
        try (var sts = Sdk.sts(cloud.endpoint(), "test", "test")) {
            GetCallerIdentityResponse id = sts.getCallerIdentity();
            assertEquals("000000000000", id.account());
            assertEquals("arn:aws:iam::000000000000:root", id.arn());
        }
    }

    @Test
    void parametersArePutReadOverwrittenAndDeleted() {
        ssm.putParameter(b -> b.name("/app/colour").value("blue").type(ParameterType.STRING));
        assertEquals("blue", ssm.getParameter(b -> b.name("/app/colour")).parameter().value());
        assertThrows(ParameterAlreadyExistsException.class,
                () -> ssm.putParameter(b -> b.name("/app/colour").value("red").type(ParameterType.STRING)));
        long version = ssm.putParameter(b -> b.name("/app/colour").value("red").overwrite(true)).version();
        assertEquals(2, version);
        var p = ssm.getParameter(b -> b.name("/app/colour")).parameter();
        assertEquals("red", p.value());
        assertEquals("arn:aws:ssm:us-east-1:000000000000:parameter/app/colour", p.arn());
        GetParametersResponse both = ssm.getParameters(b -> b.names("/app/colour", "/app/missing"));
        assertEquals(1, both.parameters().size());
        assertEquals("/app/missing", both.invalidParameters().get(0));
        ssm.deleteParameter(b -> b.name("/app/colour"));
        ParameterNotFoundException e = assertThrows(ParameterNotFoundException.class,
                () -> ssm.getParameter(b -> b.name("/app/colour")));
        assertEquals(400, e.statusCode());
        assertTrue(e.awsErrorDetails().errorCode().equals("ParameterNotFound"));
    }
}
