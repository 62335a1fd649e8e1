package dev.livestack.localcloud;

import java.util.regex.Pattern;

/** Names the operation a request calls, for the protocols whose operation is not in a header or form field. */
final class Operations {
    private static final Pattern FUNCTION = Pattern.compile("^/2015-03-31/functions/[^/]+");

    private Operations() {
    }

    static String of(AwsRequest request) {
        String target = request.header("x-amz-target");
        if (target != null) {
            int dot = target.lastIndexOf('.');
            return dot < 0 ? target : target.substring(dot + 1);
        }
        String contentType = request.header("content-type");
        if ("POST".equals(request.method()) && contentType != null
                && contentType.startsWith("application/x-www-form-urlencoded")) {
            String action = request.form().get("Action");
            if (action != null) {
                return action;
            }
        }
        String action = request.query().get("Action");
        if (action != null) {
            return action;
        }
        if ("lambda".equals(request.service())) {
            return restOperation(request.method(), request.path());
        }
        return request.method() + " " + request.path();
    }

    /** Lambda's REST routes, by method and path, named as in the service model. */
    static String restOperation(String method, String path) {
        if (path.startsWith("/2021-11-15/functions/") && path.endsWith("/response-streaming-invocations")) {
            return "InvokeWithResponseStream";
        }
        if (path.equals("/2015-03-31/functions") || path.equals("/2015-03-31/functions/")) {
            return "POST".equals(method) ? "CreateFunction" : "ListFunctions";
        }
        if (!FUNCTION.matcher(path).find()) {
            return method + " " + path;
        }
        String rest = path.replaceFirst("^/2015-03-31/functions/[^/]+", "");
        return switch (rest) {
            case "", "/" -> switch (method) {
                case "GET" -> "GetFunction";
                case "DELETE" -> "DeleteFunction";
                default -> method + " " + path;
            };
            case "/invocations" -> "Invoke";
            case "/code" -> "UpdateFunctionCode";
            case "/configuration" -> "PUT".equals(method) ? "UpdateFunctionConfiguration" : "GetFunctionConfiguration";
            case "/versions" -> "POST".equals(method) ? "PublishVersion" : "ListVersionsByFunction";
            case "/aliases" -> "POST".equals(method) ? "CreateAlias" : "ListAliases";
            case "/policy" -> "POST".equals(method) ? "AddPermission" : "GetPolicy";
            default -> rest.startsWith("/aliases/")
                    ? switch (method) {
                        case "GET" -> "GetAlias";
                        case "PUT" -> "UpdateAlias";
                        case "DELETE" -> "DeleteAlias";
                        default -> method + " " + path;
                    }
                    : method + " " + path;
        };
    }
}
