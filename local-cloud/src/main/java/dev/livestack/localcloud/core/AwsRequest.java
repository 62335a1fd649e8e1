package dev.livestack.localcloud.core;

import com.sun.net.httpserver.HttpExchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One signed request, already read: the service it was signed for (the SigV4 credential scope),
 * its method, path, query, headers (lower-case names) and body.
 */
public record AwsRequest(String service, String region, String method, String path, Map<String, String> query,
                  Map<String, List<String>> headers, byte[] body, HttpExchange exchange, String requestId) {

    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The form parameters of an awsQuery request (form-encoded body, else the query string). */
    public Map<String, String> form() {
        String contentType = header("content-type");
        if (contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
            return parseForm(bodyText());
        }
        return query;
    }

    public static Map<String, String> parseForm(String encoded) {
        Map<String, String> out = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return out;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return out;
    }
}
