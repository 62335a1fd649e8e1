package dev.livestack.localcloud.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;

/**
 * Turns SDK v2 responses and service exceptions into the dictionaries botocore hands a Python test, since that is
 * what the recordings hold: members under their model names, absent members left out, timestamps as datetimes,
 * errors as {@code Error: {Code, Message}} plus the error shape's modeled members found in the body, and a
 * {@code ResponseMetadata} with the HTTP status.
 */
public final class Botocore {
    /** How a botocore datetime looks after the recordings' datetime step. */
    public static final String DATETIME = "<datetime>";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final JsonNode MODELS = load();
    /**
     * The body of the last error response on this thread, for clients whose SDK keeps no raw error body (S3): set by
     * {@link ErrorBodies}, read by {@link #error}.
     */
    static final ThreadLocal<String> LAST_ERROR_BODY = new ThreadLocal<>();

    private Botocore() {
    }

    private static JsonNode load() {
        try (InputStream in = Botocore.class.getResourceAsStream("/parity/botocore-errors.json")) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A successful response as botocore parses it. */
    public static ObjectNode view(SdkResponse response) {
        ObjectNode out = pojo(response);
        ObjectNode meta = out.putObject("ResponseMetadata");
        meta.putObject("HTTPHeaders");
        meta.put("HTTPStatusCode", response.sdkHttpResponse().statusCode());
        return out;
    }

    /**
     * A service error as botocore's ClientError.response shows it, for a service named as in botocore's data folder
     * (lambda, cloudformation, logs, sts, ssm...).
     */
    public static ObjectNode error(String service, AwsServiceException e) {
        ObjectNode out = F.objectNode();
        ObjectNode error = out.putObject("Error");
        String body = e.awsErrorDetails() == null || e.awsErrorDetails().rawResponse() == null ? ""
                : e.awsErrorDetails().rawResponse().asUtf8String();
        if (body.isBlank() && LAST_ERROR_BODY.get() != null) {
            body = LAST_ERROR_BODY.get();
        }
        LAST_ERROR_BODY.remove();
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        if (service.equals("s3") && !body.trim().startsWith("<")) {
            // a bodiless S3 error (HEAD): botocore makes the code the status and the message its reason phrase
            error.put("Code", Integer.toString(e.statusCode()));
            error.put("Message", switch (e.statusCode()) {
                case 404 -> "Not Found";
                case 403 -> "Forbidden";
                case 400 -> "Bad Request";
                case 412 -> "Precondition Failed";
                default -> "";
            });
        } else if (service.equals("s3")) {
            // rest-xml: botocore copies every child of <Error> but the request ids
            String inner = xml(body, "Error");
            Matcher m = Pattern.compile("<([\\w-]+)>(.*?)</\\1>", Pattern.DOTALL).matcher(inner == null ? "" : inner);
            while (m.find()) {
                if (!m.group(1).equals("RequestId") && !m.group(1).equals("HostId")) {
                    // an empty element is None in botocore
                    if (m.group(2).isEmpty()) {
                        error.putNull(m.group(1));
                    } else {
                        error.put(m.group(1), unescape(m.group(2)));
                    }
                }
            }
        } else if (body.trim().startsWith("<")) {
            // query protocol: botocore copies Type, Code and Message of the XML error
            String type = xml(body, "Type");
            if (type != null) {
                error.put("Type", type);
            }
            error.put("Code", code == null ? "" : code);
            error.put("Message", message == null ? "" : message);
        } else {
            error.put("Code", code == null ? "" : code);
            queryCompatible(e, body, error);
            JsonNode parsed = null;
            try {
                parsed = body.isBlank() ? null : JSON.readTree(body);
            } catch (IOException ignored) {
                // a body that is not JSON carries no message and no modeled members
            }
            // botocore reads "message", then "Message", else the empty string; a JSON null stays null
            if (parsed != null && parsed.has("message")) {
                error.set("Message", parsed.get("message"));
            } else if (parsed != null && parsed.has("Message")) {
                error.set("Message", parsed.get("Message"));
            } else {
                error.put("Message", parsed == null && message != null ? message : "");
            }
            JsonNode members = MODELS.path(service).path("errors").path(code == null ? "" : code);
            if (members.isArray() && parsed != null) {
                for (JsonNode m : members) {
                    if (parsed.has(m.asText())) {
                        out.set(m.asText(), parsed.get(m.asText()));
                    }
                }
            }
        }
        ObjectNode meta = out.putObject("ResponseMetadata");
        meta.putObject("HTTPHeaders");
        meta.put("HTTPStatusCode", e.statusCode());
        return out;
    }

    /**
     * A JSON error from an awsQueryCompatible service (SQS) carries the query code and fault in
     * {@code x-amzn-query-error}; botocore then reports that code, the fault as Type, and the JSON shape's name as
     * QueryErrorCode.
     */
    private static void queryCompatible(AwsServiceException e, String body, ObjectNode error) {
        if (e.awsErrorDetails() == null || e.awsErrorDetails().sdkHttpResponse() == null) {
            return;
        }
        String header = e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amzn-query-error").orElse(null);
        String[] parts = header == null ? new String[0] : header.split(";", -1);
        if (parts.length != 2 || parts[0].isEmpty()) {
            return;
        }
        String type = null;
        try {
            JsonNode parsed = body.isBlank() ? null : JSON.readTree(body);
            type = parsed == null ? null : parsed.path("__type").asText(null);
        } catch (IOException ignored) {
            // no shape name to report
        }
        if (type != null) {
            error.put("QueryErrorCode", type.substring(type.lastIndexOf('#') + 1));
        }
        error.put("Type", parts[1]);
        error.put("Code", parts[0]);
    }

    private static String unescape(String xml) {
        return xml.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
    }

    private static String xml(String body, String tag) {
        Matcher m = Pattern.compile("<" + tag + ">(.*?)</" + tag + ">", Pattern.DOTALL).matcher(body);
        return m.find() ? m.group(1) : null;
    }

    /** The members of a model object, by model name, absent ones left out. */
    public static ObjectNode pojo(SdkPojo pojo) {
        ObjectNode out = F.objectNode();
        for (SdkField<?> field : pojo.sdkFields()) {
            Object v = field.getValueOrDefault(pojo);
            if (v == null || v instanceof SdkAutoConstructList || v instanceof SdkAutoConstructMap) {
                continue;
            }
            out.set(field.memberName(), value(v));
        }
        return out;
    }

    static JsonNode value(Object v) {
        if (v == null) {
            return F.nullNode();
        } else if (v instanceof SdkPojo p) {
            return pojo(p);
        } else if (v instanceof String s) {
            return F.textNode(s);
        } else if (v instanceof Boolean b) {
            return F.booleanNode(b);
        } else if (v instanceof Integer i) {
            return F.numberNode(i);
        } else if (v instanceof Long l) {
            return F.numberNode(l);
        } else if (v instanceof Double d) {
            return F.numberNode(d);
        } else if (v instanceof Float f) {
            return F.numberNode(f);
        } else if (v instanceof BigDecimal d) {
            return F.numberNode(d);
        } else if (v instanceof Instant) {
            return F.textNode(DATETIME);
        } else if (v instanceof SdkBytes b) {
            // botocore hands a streaming body; the recordings read it as UTF-8 text
            return F.textNode(b.asUtf8String());
        } else if (v instanceof Collection<?> c) {
            ArrayNode a = F.arrayNode();
            c.forEach(item -> a.add(value(item)));
            return a;
        } else if (v instanceof Map<?, ?> m) {
            ObjectNode o = F.objectNode();
            m.forEach((k, item) -> o.set(String.valueOf(k), value(item)));
            return o;
        }
        return F.textNode(String.valueOf(v));
    }
}
