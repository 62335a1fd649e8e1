package dev.livestack.localcloud.core;

import dev.livestack.localcloud.LocalCloudConfig;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keeps web pages out. A page can make the browser send requests to 127.0.0.1 (a form POST needs no consent), and
 * with DNS rebinding it can even read the answers; the test credentials are public, so a page can sign too. Browsers
 * always name the page's site, in {@code Host} (rebinding) or {@code Origin} (cross-site calls), so local-cloud serves
 * only the loopback names with its own port as Host, and only loopback or explicitly allowed origins.
 */
public final class RequestGuard {
    private static final Pattern LOOPBACK_ORIGIN = Pattern.compile(
            "https?://(127\\.0\\.0\\.1|([a-z0-9-]+\\.)*localhost|\\[::1])(:\\d{1,5})?");
    /**
     * {@code <bucket>.localhost} is S3's virtual-hosted style on local-cloud. Names under {@code localhost} are loopback
     * by definition (RFC 6761), never a site's, so a rebinding page cannot have one.
     */
    private static final Pattern LOCALHOST_SUBDOMAIN = Pattern.compile("([a-z0-9-]+\\.)+localhost");
    private static final String CORS_EXPOSED = "x-amzn-RequestId, x-amzn-ErrorType, x-amz-request-id, x-amz-id-2, ETag, "
            + "x-amz-version-id, x-amz-function-error, x-amz-log-result, x-amz-executed-version, Date";

    private final int port;
    private final Set<String> hosts;
    private final String portSuffix;
    private final List<String> allowedOrigins;

    public RequestGuard(int port, List<String> allowedOrigins) {
        this.port = port;
        this.hosts = port == 80 ? Set.of("127.0.0.1:80", "localhost:80", "[::1]:80", "127.0.0.1", "localhost", "[::1]")
                : Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port);
        this.allowedOrigins = List.copyOf(allowedOrigins);
        this.portSuffix = ":" + port;
    }

    private boolean loopbackHost(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (hosts.contains(h)) {
            return true;
        }
        if (h.endsWith(portSuffix)) {
            h = h.substring(0, h.length() - portSuffix.length());
        } else if (port != 80) {
            return false;
        }
        return LOCALHOST_SUBDOMAIN.matcher(h).matches();
    }

    /** Why this request must not be served, or null when it may be. */
    public String refusal(AwsRequest request) {
        List<String> host = request.headers().get("host");
        if (host == null || host.size() != 1 || !loopbackHost(host.get(0))) {
            String named = host == null ? "no Host" : "Host '" + String.join(", ", host) + "'";
            return "local-cloud answers only requests for 127.0.0.1:" + port + ", localhost:" + port + " or [::1]:" + port
                    + "; this one named " + named + ". Use the endpoint URL local-cloud printed.";
        }
        List<String> origin = request.headers().get("origin");
        if (origin != null && (origin.size() != 1 || !allowed(origin.get(0)))) {
            return "local-cloud does not serve web pages from '" + String.join(", ", origin) + "'. To let that site's pages "
                    + "call it, start it with --allow-origin ORIGIN (LocalCloudConfig.allowedOrigins).";
        }
        return null;
    }

    /** An allowed page's script may read the answer (CORS); the answer names that one origin, never a wildcard. */
    public void allowCors(AwsRequest request) {
        String origin = request.header("origin");
        if (origin != null) {
            var h = request.exchange().getResponseHeaders();
            h.set("Access-Control-Allow-Origin", origin.trim());
            h.set("Access-Control-Expose-Headers", CORS_EXPOSED);
            h.add("Vary", "Origin");
        }
    }

    /**
     * Answers a browser's CORS preflight (an OPTIONS call with {@code Access-Control-Request-Method}), which comes
     * before any signed call from a page. Returns false when the request is no preflight. A refused origin gets a 403
     * without CORS headers, so the browser never sends the call itself.
     */
    public boolean preflight(AwsRequest request) throws java.io.IOException {
        if (!"OPTIONS".equals(request.method()) || request.header("access-control-request-method") == null) {
            return false;
        }
        var exchange = request.exchange();
        String refusal = refusal(request);
        if (refusal != null || request.header("origin") == null) {
            Http.send(exchange, 403, "text/plain", refusal == null ? "A CORS preflight needs an Origin header." : refusal);
            return true;
        }
        allowCors(request);
        var h = exchange.getResponseHeaders();
        h.set("Access-Control-Allow-Methods", "GET, PUT, POST, DELETE, HEAD, PATCH");
        String asked = request.header("access-control-request-headers");
        if (asked != null) {
            h.set("Access-Control-Allow-Headers", asked);
        }
        h.set("Access-Control-Max-Age", "600");
        Http.send(exchange, 204, null, new byte[0]);
        return true;
    }

    private boolean allowed(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        if (o.endsWith("/")) {
            o = o.substring(0, o.length() - 1);
        }
        return LOOPBACK_ORIGIN.matcher(o).matches() || allowedOrigins.contains(o);
    }
}
