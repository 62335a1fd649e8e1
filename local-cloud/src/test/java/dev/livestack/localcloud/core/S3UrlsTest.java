package dev.livestack.localcloud.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The TemplateURL forms that name an object in local-cloud's S3. */
class S3UrlsTest {
    static final S3Urls.Location AT = new S3Urls.Location("cdk-hnb659fds-assets-000000000000-us-east-1", "ab12.json");

    @Test
    void pathStyleVirtualHostedAndLocalUrlsAreRead() {
        assertEquals(AT, S3Urls.locate("https://s3.us-east-1.amazonaws.com/cdk-hnb659fds-assets-000000000000-us-east-1/ab12.json"));
        assertEquals(AT, S3Urls.locate("https://s3.amazonaws.com/cdk-hnb659fds-assets-000000000000-us-east-1/ab12.json"));
        assertEquals(AT, S3Urls.locate("https://s3-us-west-2.amazonaws.com/cdk-hnb659fds-assets-000000000000-us-east-1/ab12.json"));
        assertEquals(AT, S3Urls.locate("https://cdk-hnb659fds-assets-000000000000-us-east-1.s3.us-east-1.amazonaws.com/ab12.json"));
        assertEquals(AT, S3Urls.locate("https://cdk-hnb659fds-assets-000000000000-us-east-1.s3.amazonaws.com/ab12.json?versionId=1"));
        assertEquals(AT, S3Urls.locate("http://127.0.0.1:4566/cdk-hnb659fds-assets-000000000000-us-east-1/ab12.json"));
        assertEquals(AT, S3Urls.locate("http://cdk-hnb659fds-assets-000000000000-us-east-1.localhost:4566/ab12.json"));
        assertEquals(new S3Urls.Location("my.bucket", "a/b.json"), S3Urls.locate("https://my.bucket.s3.eu-west-1.amazonaws.com/a/b.json"));
    }

    @Test
    void otherUrlsAreNotTemplates() {
        assertNull(S3Urls.locate("https://example.com/bucket/key.json"));
        assertNull(S3Urls.locate("https://s3.amazonaws.com/bucket-only"));
        assertNull(S3Urls.locate("not a url"));
    }
}
