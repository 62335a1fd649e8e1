package dev.livestack.localcloud.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;

/**
 * Turns SDK v2 responses and errors into the dictionaries boto3 gives for the same wire answer, which is what the
 * recorded snapshots hold: members by their wire names, absent members left out (an auto-constructed list is
 * absent, an empty one present), timestamps as text, {@code ResponseMetadata} with the status code, and errors as
 * {@code {"Error": {Code, Message, Type}, "ResponseMetadata": ...}}.
 */
final class BotoShape {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern XML_TYPE = Pattern.compile("<Type>([^<]*)</Type>");

    private BotoShape() {
    }

    /** A whole response, with boto3's {@code ResponseMetadata}. */
    static ObjectNode response(AwsResponse response) {
        ObjectNode out = (ObjectNode) value(response);
        ObjectNode meta = out.putObject("ResponseMetadata");
        meta.putObject("HTTPHeaders");
        meta.put("HTTPStatusCode", response.sdkHttpResponse().statusCode());
        return out;
    }

    /** An error as botocore's {@code ClientError.response} holds it. */
    static ObjectNode error(AwsServiceException e) {
        ObjectNode out = NODES.objectNode();
        ObjectNode err = out.putObject("Error");
        err.put("Code", e.awsErrorDetails().errorCode());
        err.put("Message", e.awsErrorDetails().errorMessage());
        SdkBytes raw = e.awsErrorDetails().rawResponse();
        if (raw != null) {
            String body = raw.asString(StandardCharsets.UTF_8);
            Matcher m = XML_TYPE.matcher(body);
            if (m.find()) {
                err.put("Type", m.group(1));
            }
        }
        ObjectNode meta = out.putObject("ResponseMetadata");
        meta.putObject("HTTPHeaders");
        meta.put("HTTPStatusCode", e.statusCode());
        return out;
    }

    /** {@code str(ClientError)}, as some snapshots record it. */
    static String errorText(AwsServiceException e, String operation) {
        return "An error occurred (" + e.awsErrorDetails().errorCode() + ") when calling the " + operation
                + " operation: " + e.awsErrorDetails().errorMessage();
    }

    static JsonNode value(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof JsonNode n) {
            return n;
        }
        if (v instanceof SdkPojo pojo) {
            ObjectNode out = NODES.objectNode();
            for (SdkField<?> f : pojo.sdkFields()) {
                Object fv = f.getValueOrDefault(pojo);
                if (fv == null || fv instanceof SdkAutoConstructList<?> || fv instanceof SdkAutoConstructMap<?, ?>) {
                    continue;
                }
                out.set(f.memberName(), value(fv));
            }
            return out;
        }
        if (v instanceof Collection<?> c) {
            ArrayNode a = NODES.arrayNode();
            c.forEach(x -> a.add(value(x)));
            return a;
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = NODES.objectNode();
            m.forEach((k, x) -> o.set(String.valueOf(k), value(x)));
            return o;
        }
        if (v instanceof Instant i) {
            return NODES.textNode(i.toString());
        }
        if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (v instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (v instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (v instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (v instanceof SdkBytes b) {
            return NODES.textNode(b.asUtf8String());
        }
        return NODES.textNode(v.toString());
    }
}
