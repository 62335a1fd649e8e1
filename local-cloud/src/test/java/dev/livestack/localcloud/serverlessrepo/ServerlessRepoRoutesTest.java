package dev.livestack.localcloud.serverlessrepo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServerlessRepoRoutesTest {
    static final String ARN = "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSMySQLRotationMultiUser";

    @Test
    void anApplicationArnKeepsItsOwnSlash() {
        var r = ServerlessRepoService.route("PUT", "/applications/" + ARN + "/versions/1.2.3");
        assertEquals("CreateApplicationVersion", r.operation());
        assertEquals(ARN, r.applicationId());
        assertEquals("/versions/1.2.3", r.tail());
        assertEquals("GetApplication", ServerlessRepoService.route("GET", "/applications/" + ARN).operation());
        assertEquals("GetCloudFormationTemplate", ServerlessRepoService.route("GET", "/applications/" + ARN
                + "/templates/abc").operation());
        assertEquals("CreateApplication", ServerlessRepoService.route("POST", "/applications").operation());
        assertNull(ServerlessRepoService.route("PATCH", "/applications/" + ARN).operation());
        assertNull(ServerlessRepoService.route("GET", "/elsewhere").operation());
    }

    @Test
    void theCatalogueServesVersionsUpToTheNewestPublished() {
        RotationCatalogue.App app = RotationCatalogue.app(ARN);
        assertTrue(app.multiUser());
        assertEquals("mysql", app.engine());
        assertTrue(RotationCatalogue.serves(app, "1.1.671"));
        assertTrue(RotationCatalogue.serves(app, "1.0.9"));
        assertFalse(RotationCatalogue.serves(app, "1.1.672"));
        assertFalse(RotationCatalogue.serves(app, "2.0.0"));
        assertFalse(RotationCatalogue.serves(app, "0.9.0"));
        assertFalse(RotationCatalogue.serves(app, "latest"));
        assertNull(RotationCatalogue.app(ARN.replace("297356227824", "123456789012")));
        assertTrue(RotationCatalogue.code().length > 100);
    }
}
