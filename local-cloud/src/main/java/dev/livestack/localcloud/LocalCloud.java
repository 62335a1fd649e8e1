package dev.livestack.localcloud;

import java.io.IOException;
import java.net.URI;

/**
 * An AWS-compatible endpoint on the loopback interface: CloudFormation, Lambda, CloudWatch Logs,
 * STS, SSM and an S3 subset, speaking the same wire protocols as AWS. Its state lives in a folder
 * and survives restarts.
 */
public interface LocalCloud extends AutoCloseable {
    /**
     * The file in the state folder that holds this instance's admin token (owner read/write only); a new
     * random token is written at every start.
     */
    String ADMIN_TOKEN_FILE = "admin-token";

    /** The request header the admin routes under {@code /_localcloud/} want the token in. */
    String ADMIN_TOKEN_HEADER = "X-LocalCloud-Admin-Token";

    /**
     * Starts local-cloud on 127.0.0.1.
     *
     * @param config where state lives, which port, which credentials
     * @return the running endpoint
     * @throws IOException when the port cannot be bound or the state folder cannot be used
     */
    static LocalCloud start(LocalCloudConfig config) throws IOException {
        return LocalCloudServer.start(config);
    }

    /** The endpoint URL every service answers on, e.g. {@code http://127.0.0.1:4566}. */
    URI endpoint();

    /** The configuration it runs with (the port is the bound one). */
    LocalCloudConfig config();

    /** Stops the server and the function processes; state stays in the folder. */
    @Override
    void close();
}
