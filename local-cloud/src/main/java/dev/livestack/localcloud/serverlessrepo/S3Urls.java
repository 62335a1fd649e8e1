package dev.livestack.localcloud.serverlessrepo;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where a {@code templateUrl} given to CreateApplication points in local-cloud's S3 (path-style or virtual-hosted). */
final class S3Urls {
    private static final Pattern VIRTUAL = Pattern.compile("(.+?)\\.s3(?:[.-][a-z0-9-]+)*\\.amazonaws\\.com");
    private static final Pattern PATH_STYLE = Pattern.compile("s3(?:[.-][a-z0-9-]+)*\\.amazonaws\\.com|127\\.0\\.0\\.1|localhost");

    record Location(String bucket, String key) {
    }

    private S3Urls() {
    }

    static Location locate(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        String path = uri.getPath() == null ? "" : uri.getPath();
        String rest = path.startsWith("/") ? path.substring(1) : path;
        if (PATH_STYLE.matcher(host).matches()) {
            int slash = rest.indexOf('/');
            return slash <= 0 || slash == rest.length() - 1 ? null
                    : new Location(rest.substring(0, slash), rest.substring(slash + 1));
        }
        Matcher virtual = VIRTUAL.matcher(host);
        return virtual.matches() && !rest.isEmpty() ? new Location(virtual.group(1), rest) : null;
    }
}
