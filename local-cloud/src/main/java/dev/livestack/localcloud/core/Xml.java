package dev.livestack.localcloud.core;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Map;

/**
 * Renders plain Java values as the XML the awsQuery and S3 protocols use: a map is a sequence of
 * child elements, a collection a sequence of {@code <member>} elements (awsQuery's list encoding),
 * an {@link Instant} an ISO-8601 timestamp, null nothing at all.
 */
public final class Xml {
    private Xml() {
    }

    public static void element(StringBuilder out, String name, Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            out.append('<').append(name).append('>');
            children(out, map);
            out.append("</").append(name).append('>');
        } else if (value instanceof Collection<?> list) {
            out.append('<').append(name).append('>');
            for (Object item : list) {
                element(out, "member", item);
            }
            out.append("</").append(name).append('>');
        } else {
            out.append('<').append(name).append('>').append(Http.xmlEscape(scalar(value))).append("</").append(name).append('>');
        }
    }

    public static void children(StringBuilder out, Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            element(out, String.valueOf(e.getKey()), e.getValue());
        }
    }

    public static String scalar(Object value) {
        if (value instanceof Instant instant) {
            return instant.truncatedTo(ChronoUnit.MILLIS).toString();
        }
        return String.valueOf(value);
    }
}
