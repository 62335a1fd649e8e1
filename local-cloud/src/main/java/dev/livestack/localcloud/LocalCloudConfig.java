package dev.livestack.localcloud;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How local-cloud runs.
 *
 * @param stateDir the folder its state is kept in (created when missing)
 * @param port the port to bind on 127.0.0.1, or 0 for a free one
 * @param accessKeyId the access key requests must be signed with
 * @param secretAccessKey the secret key requests must be signed with
 * @param region the region it reports
 * @param accountId the twelve-digit account it reports
 * @param allowedOrigins web origins ({@code https://console.example}, {@code http://host:8080}) whose pages may call
 *     it besides loopback ones; every other request carrying an {@code Origin} header is refused (see docs/security.md)
 */
public record LocalCloudConfig(Path stateDir, int port, String accessKeyId, String secretAccessKey,
                               String region, String accountId, List<String> allowedOrigins) {
    public static final String DEFAULT_ACCESS_KEY = "test";
    public static final String DEFAULT_SECRET_KEY = "test";
    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_ACCOUNT = "000000000000";
    private static final Pattern ORIGIN = Pattern.compile("https?://([a-z0-9.-]+|\\[[0-9a-f:.]+\\])(:\\d{1,5})?");

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
        Objects.requireNonNull(allowedOrigins, "allowedOrigins");
        allowedOrigins = allowedOrigins.stream().map(LocalCloudConfig::origin).distinct().toList();
    }

    /** Allows no web origin but loopback ones. */
    public LocalCloudConfig(Path stateDir, int port, String accessKeyId, String secretAccessKey, String region, String accountId) {
        this(stateDir, port, accessKeyId, secretAccessKey, region, accountId, List.of());
    }

    /** This configuration with these web origins allowed (replacing any allowed before). */
    public LocalCloudConfig withAllowedOrigins(List<String> origins) {
        return new LocalCloudConfig(stateDir, port, accessKeyId, secretAccessKey, region, accountId, origins);
    }

    /**
     * An origin as a browser sends it, {@code scheme://host[:port]} in lower case. A wildcard is refused: it would let
     * every page on the web drive a server that runs code.
     */
    private static String origin(String origin) {
        String o = origin == null ? "" : origin.trim().toLowerCase(Locale.ROOT);
        if (o.endsWith("/")) {
            o = o.substring(0, o.length() - 1);
        }
        if (!ORIGIN.matcher(o).matches()) {
            throw new IllegalArgumentException("allowedOrigins must hold origins like https://console.example or "
                    + "http://host:8080 (scheme, host, optional port; no path, no wildcard), was " + origin);
        }
        return o;
    }

    /** The defaults: credentials {@code test}/{@code test}, {@code us-east-1}, account {@code 000000000000}. */
    public static LocalCloudConfig defaults(Path stateDir, int port) {
        return new LocalCloudConfig(stateDir, port, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, DEFAULT_REGION, DEFAULT_ACCOUNT);
    }
}
