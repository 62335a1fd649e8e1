package dev.livestack.localcloud;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How local-cloud runs.
 *
 * @param stateDir the folder its state is kept in (created when missing)
 * @param port the port to bind on 127.0.0.1, or 0 for a free one
 * @param accessKeyId the access key requests must be signed with
 * @param secretAccessKey the secret key requests must be signed with
 * @param region the region it reports
 * @param accountId the twelve-digit account it reports
 */
public record LocalCloudConfig(Path stateDir, int port, String accessKeyId, String secretAccessKey,
                               String region, String accountId) {
    public static final String DEFAULT_ACCESS_KEY = "test";
    public static final String DEFAULT_SECRET_KEY = "test";
    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_ACCOUNT = "000000000000";

    public LocalCloudConfig {
        Objects.requireNonNull(stateDir, "stateDir");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (accessKeyId == null || accessKeyId.isBlank()) {
            throw new IllegalArgumentException("accessKeyId must not be blank");
        }
        if (secretAccessKey == null || secretAccessKey.isBlank()) {
            throw new IllegalArgumentException("secretAccessKey must not be blank");
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("region must not be blank");
        }
        if (accountId == null || !accountId.matches("\\d{12}")) {
            throw new IllegalArgumentException("accountId must be twelve digits, was " + accountId);
        }
    }

    /** The defaults: credentials {@code test}/{@code test}, {@code us-east-1}, account {@code 000000000000}. */
    public static LocalCloudConfig defaults(Path stateDir, int port) {
        return new LocalCloudConfig(stateDir, port, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, DEFAULT_REGION, DEFAULT_ACCOUNT);
    }
}
