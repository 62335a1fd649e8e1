package dev.livestack.localcloud.core;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The awsQuery protocol (CloudFormation, STS): a form-encoded {@code POST /} naming an {@code Action},
 * answered with {@code <ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…} XML, and
 * errors as an {@code <ErrorResponse>} document.
 */
public abstract class QueryService implements AwsService {
    private final String namespace;

    public QueryService(String namespace) {
        this.namespace = namespace;
    }

    /**
     * Runs one action.
     *
     * @return the members of {@code <ActionResult>}, or null when the operation has no result element
     */
    public abstract Map<String, Object> call(String action, Form form, AwsRequest request);

    @Override
    public void handle(AwsRequest request) throws IOException {
        Form form = new Form(request.form());
        String action = form.get("Action");
        if (action == null) {
            throw new AwsException(400, "MissingAction", "Missing Action");
        }
        Map<String, Object> result = call(action, form, request);
        StringBuilder xml = new StringBuilder(512);
        xml.append("<").append(action).append("Response xmlns=\"").append(namespace).append("\">");
        if (result != null) {
            Xml.element(xml, action + "Result", result);
        }
        xml.append("<ResponseMetadata><RequestId>").append(request.requestId()).append("</RequestId></ResponseMetadata>");
        xml.append("</").append(action).append("Response>");
        request.exchange().getResponseHeaders().set("x-amzn-RequestId", request.requestId());
        Http.send(request.exchange(), 200, "text/xml", xml.toString());
    }

    @Override
    public void renderError(AwsRequest request, AwsException error) throws IOException {
        String xml = "<ErrorResponse xmlns=\"" + namespace + "\"><Error><Type>" + (error.sender() ? "Sender" : "Receiver")
                + "</Type><Code>" + Http.xmlEscape(error.code()) + "</Code><Message>" + Http.xmlEscape(error.getMessage())
                + "</Message></Error><RequestId>" + request.requestId() + "</RequestId></ErrorResponse>";
        request.exchange().getResponseHeaders().set("x-amzn-RequestId", request.requestId());
        Http.send(request.exchange(), error.status(), "text/xml", xml);
    }

    @Override
    public AwsException throttling() {
        return new AwsException(400, "Throttling", "Rate exceeded");
    }

    /** The awsQuery form: flat keys, lists as {@code Name.member.N}, maps and structures by dotted paths. */
    public static final class Form {
        private final Map<String, String> values;

        Form(Map<String, String> values) {
            this.values = values;
        }

        public String get(String name) {
            return values.get(name);
        }

        public String get(String name, String fallback) {
            String v = values.get(name);
            return v == null ? fallback : v;
        }

        public boolean flag(String name) {
            return "true".equalsIgnoreCase(values.get(name));
        }

        public String required(String name) {
            String v = values.get(name);
            if (v == null) {
                throw AwsException.validation(ValidationErrors.missing(lowerFirst(name)));
            }
            return v;
        }

        /** {@code Name.member.1}, {@code Name.member.2}, … */
        public List<String> list(String name) {
            List<String> out = new ArrayList<>();
            for (int i = 1; values.containsKey(name + ".member." + i); i++) {
                out.add(values.get(name + ".member." + i));
            }
            return out;
        }

        /** {@code Name.member.N.Field} structures, each as a field → value map. */
        public List<Map<String, String>> structs(String name) {
            List<Map<String, String>> out = new ArrayList<>();
            for (int i = 1; ; i++) {
                String prefix = name + ".member." + i + ".";
                Map<String, String> item = new LinkedHashMap<>();
                for (Map.Entry<String, String> e : values.entrySet()) {
                    if (e.getKey().startsWith(prefix)) {
                        item.put(e.getKey().substring(prefix.length()), e.getValue());
                    }
                }
                if (item.isEmpty()) {
                    return out;
                }
                out.add(item);
            }
        }

        public boolean has(String name) {
            if (values.containsKey(name)) {
                return true;
            }
            String prefix = name + ".";
            return values.keySet().stream().anyMatch(k -> k.startsWith(prefix));
        }

        private static String lowerFirst(String s) {
            return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
        }
    }
}
