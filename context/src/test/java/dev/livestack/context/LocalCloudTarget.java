package dev.livestack.context;

import dev.livestack.localcloud.LocalCloud;
import dev.livestack.localcloud.LocalCloudConfig;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** A local-cloud for a test class, and the lookup target and credentials pointing at it. */
final class LocalCloudTarget implements AutoCloseable {
    final LocalCloud cloud;
    final StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    LocalCloudTarget(Path state) throws Exception {
        cloud = LocalCloud.start(LocalCloudConfig.defaults(state, 0));
    }

    LookupTarget target() {
        return new LookupTarget(credentials, cloud.endpoint(), "us-east-1", null);
    }

    @Override
    public void close() {
        cloud.close();
    }
}
