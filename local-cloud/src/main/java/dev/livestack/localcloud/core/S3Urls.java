package dev.livestack.localcloud.core;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an S3 URL points in local-cloud's S3: CloudFormation's {@code TemplateURL} and the Serverless Application
 * Repository's {@code templateUrl} / {@code sourceCodeUrl} are read this way. Only S3 URLs are read; the forms the CDK
 * CLI, the AWS CLI and CDK's nested stacks produce are path-style ({@code https://s3.<region>.amazonaws.com/<bucket>/<key>},
 * {@code https://s3.amazonaws.com/...}), virtual-hosted ({@code https://<bucket>.s3.<region>.amazonaws.com/<key>}),
 * and local-cloud's own endpoint URL (path-style, or {@code <bucket>.localhost}).
 */
public final class S3Urls {
    private static final Pattern VIRTUAL = Pattern.compile("(.+?)\\.s3(?:[.-][a-z0-9-]+)*\\.amazonaws\\.com(?:\\.cn)?");
    private static final Pattern PATH_STYLE = Pattern.compile("s3(?:[.-][a-z0-9-]+)*\\.amazonaws\\.com(?:\\.cn)?");

    /** A bucket and key. */
    public record Location(String bucket, String key) {
        public Location {
            if (bucket == null || bucket.isEmpty()) {
                throw new IllegalArgumentException("bucket must not be empty");
            }
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("key must not be empty");
            }
        }
    }

    private S3Urls() {
    }

    /** The object a URL names, or null when it is not an S3 URL local-cloud serves. */
    public static Location locate(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(java.util.Locale.ROOT);
        String path = uri.getPath() == null ? "" : uri.getPath();
        String rest = path.startsWith("/") ? path.substring(1) : path;
        Matcher virtual = VIRTUAL.matcher(host);
        if (virtual.matches() && !PATH_STYLE.matcher(host).matches()) {
            return rest.isEmpty() ? null : new Location(virtual.group(1), rest);
        }
        if (host.endsWith(".localhost")) {
            return rest.isEmpty() ? null : new Location(host.substring(0, host.length() - ".localhost".length()), rest);
        }
        if (host.equals("127.0.0.1") || host.equals("localhost") || PATH_STYLE.matcher(host).matches()) {
            int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1) {
                return null;
            }
            return new Location(rest.substring(0, slash), rest.substring(slash + 1));
        }
        return null;
    }
}
