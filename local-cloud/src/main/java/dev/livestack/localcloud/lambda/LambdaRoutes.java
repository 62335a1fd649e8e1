package dev.livestack.localcloud.lambda;

import java.util.Arrays;
import java.util.List;

/**
 * Lambda's REST routes, by method and path, named as in the service model: the one table that both the dispatch
 * in {@link LambdaService} and the fault matching of the test controls read.
 */
final class LambdaRoutes {
    static final String FUNCTIONS = "/2015-03-31/functions";
    static final String MAPPINGS = "/2015-03-31/event-source-mappings";
    private static final String STREAMING = "/2021-11-15/functions/";
    private static final String STREAMING_TAIL = "/response-streaming-invocations";
    private static final String TAGS = "/2017-03-31/tags/";

    /** Method, path prefix, path suffix and operation of the per-function settings outside /2015-03-31. */
    private static final List<String[]> SIDE = List.of(
            new String[] {"GET", "/2021-10-31/functions/", "/url", "GetFunctionUrlConfig"},
            new String[] {"GET", "/2020-06-30/functions/", "/code-signing-config", "GetFunctionCodeSigningConfig"},
            new String[] {"GET", "/2019-09-25/functions/", "/event-invoke-config", "GetFunctionEventInvokeConfig"},
            new String[] {"GET", "/2019-09-30/functions/", "/concurrency", "GetFunctionConcurrency"},
            new String[] {"PUT", "/2017-10-31/functions/", "/concurrency", "PutFunctionConcurrency"},
            new String[] {"DELETE", "/2017-10-31/functions/", "/concurrency", "DeleteFunctionConcurrency"});

    private LambdaRoutes() {
    }

    /**
     * A request's route.
     *
     * @param operation the operation name, or {@code METHOD path} when no operation answers this method and path
     * @param known whether an operation answers it (otherwise Lambda says UnknownOperationException)
     * @param function the function name or ARN from the path, or null
     * @param alias the alias name from the path, or null
     * @param resource the ARN a tagging call names, or null
     */
    record Route(String operation, boolean known, String function, String alias, String resource) {
    }

    static Route route(String method, String path) {
        if (path.startsWith(STREAMING) && path.endsWith(STREAMING_TAIL) && method.equals("POST")) {
            String name = path.substring(STREAMING.length(), path.length() - STREAMING_TAIL.length());
            return new Route("InvokeWithResponseStream", true, name, null, null);
        }
        if (path.startsWith(MAPPINGS)) {
            return mapping(method, path);
        }
        if (path.startsWith(TAGS)) {
            String arn = path.substring(TAGS.length());
            return switch (method) {
                case "GET" -> new Route("ListTags", true, null, null, arn);
                case "POST" -> new Route("TagResource", true, null, null, arn);
                case "DELETE" -> new Route("UntagResource", true, null, null, arn);
                default -> unknown(method, path);
            };
        }
        for (String[] side : SIDE) {
            if (method.equals(side[0]) && path.startsWith(side[1]) && path.endsWith(side[2])
                    && path.length() > side[1].length() + side[2].length()) {
                String name = path.substring(side[1].length(), path.length() - side[2].length());
                if (!name.contains("/")) {
                    return known(side[3], name, null);
                }
            }
        }
        if (!path.startsWith(FUNCTIONS)) {
            return unknown(method, path);
        }
        List<String> parts = Arrays.stream(path.substring(FUNCTIONS.length()).split("/")).filter(s -> !s.isEmpty()).toList();
        if (parts.isEmpty()) {
            return switch (method) {
                case "POST" -> known("CreateFunction", null, null);
                case "GET" -> known("ListFunctions", null, null);
                default -> unknown(method, path);
            };
        }
        String name = parts.get(0);
        String sub = parts.size() > 1 ? parts.get(1) : "";
        String operation = switch (sub) {
            case "" -> method.equals("GET") ? "GetFunction" : method.equals("DELETE") ? "DeleteFunction" : null;
            case "configuration" -> method.equals("GET") ? "GetFunctionConfiguration"
                    : method.equals("PUT") ? "UpdateFunctionConfiguration" : null;
            case "code" -> method.equals("PUT") ? "UpdateFunctionCode" : null;
            case "invocations" -> method.equals("POST") ? "Invoke" : null;
            case "versions" -> method.equals("POST") ? "PublishVersion" : method.equals("GET") ? "ListVersionsByFunction" : null;
            case "aliases" -> parts.size() > 2
                    ? switch (method) {
                        case "GET" -> "GetAlias";
                        case "PUT" -> "UpdateAlias";
                        case "DELETE" -> "DeleteAlias";
                        default -> null;
                    }
                    : method.equals("POST") ? "CreateAlias" : method.equals("GET") ? "ListAliases" : null;
            default -> null;
        };
        if (operation == null) {
            return unknown(method, path);
        }
        return known(operation, name, sub.equals("aliases") && parts.size() > 2 ? parts.get(2) : null);
    }

    /** Event source mappings: {@code /2015-03-31/event-source-mappings/[UUID]}; the UUID rides in {@code function}. */
    private static Route mapping(String method, String path) {
        String uuid = path.substring(MAPPINGS.length()).replaceAll("^/+|/+$", "");
        String operation = uuid.isEmpty()
                ? switch (method) {
                    case "POST" -> "CreateEventSourceMapping";
                    case "GET" -> "ListEventSourceMappings";
                    default -> null;
                }
                : switch (method) {
                    case "GET" -> "GetEventSourceMapping";
                    case "PUT" -> "UpdateEventSourceMapping";
                    case "DELETE" -> "DeleteEventSourceMapping";
                    default -> null;
                };
        return operation == null ? unknown(method, path) : known(operation, uuid.isEmpty() ? null : uuid, null);
    }

    private static Route known(String operation, String function, String alias) {
        return new Route(operation, true, function, alias, null);
    }

    private static Route unknown(String method, String path) {
        return new Route(method + " " + path, false, null, null, null);
    }
}
