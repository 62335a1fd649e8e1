package dev.livestack.localcloud.cloudformation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The TemplateURL forms that name an object in local-cloud's S3. */
class TemplateUrlsTest {
    static final TemplateUrls.Location AT = new TemplateUrls.Location("cdk-hnb659fds-assets-000000000000-us-east-1", "ab12.json");

    @Test
    void pathStyleVirtualHostedAndLocalUrlsAreRead() {
        assertEquals(AT, TemplateUrls.locate("https://s3.us-east-1.amazonaws.com/cdk-hnb659fds-assets-000000000000-us-east-1/ab12.json"));
        assertEquals(AT, TemplateUrls.locate("https://s3.amazonaws.com/cdk-hnb659fds-assets-000000000000-us-east-1/ab12.json"));
        assertEquals(AT, TemplateUrls.locate("https://s3-us-west-2.amazonaws.com/cdk-hnb659fds-assets-000000000000-us-east-1/ab12.json"));
        assertEquals(AT, TemplateUrls.locate("https://cdk-hnb659fds-assets-000000000000-us-east-1.s3.us-east-1.amazonaws.com/ab12.json"));
        assertEquals(AT, TemplateUrls.locate("https://cdk-hnb659fds-assets-000000000000-us-east-1.s3.amazonaws.com/ab12.json?versionId=1"));
        assertEquals(AT, TemplateUrls.locate("http://127.0.0.1:4566/cdk-hnb659fds-assets-000000000000-us-east-1/ab12.json"));
        assertEquals(AT, TemplateUrls.locate("http://cdk-hnb659fds-assets-000000000000-us-east-1.localhost:4566/ab12.json"));
        assertEquals(new TemplateUrls.Location("my.bucket", "a/b.json"), TemplateUrls.locate("https://my.bucket.s3.eu-west-1.amazonaws.com/a/b.json"));
    }

    @Test
    void otherUrlsAreNotTemplates() {
        assertNull(TemplateUrls.locate("https://example.com/bucket/key.json"));
        assertNull(TemplateUrls.locate("https://s3.amazonaws.com/bucket-only"));
        assertNull(TemplateUrls.locate("not a url"));
    }
}
