package dev.livestack.localcloud.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.AwsRequest;
import dev.livestack.localcloud.core.AwsService;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.LogsEventStream;
import dev.livestack.localcloud.core.ValidationErrors;
import dev.livestack.localcloud.core.ports.LogSink;
import dev.livestack.localcloud.core.ports.MessageQueues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Lambda over restJson1 ({@code /2015-03-31/functions/...}), the code download behind
 * {@code GetFunction}'s {@code Code.Location}, a small settings API for tests, and the
 * {@code AWS::Lambda::*} resources for CloudFormation.
 */
public final class LambdaService implements AwsService, AutoCloseable, dev.livestack.localcloud.core.ports.FunctionInvoker {
    private static final int MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;
    private static final int MAX_ASYNC_PAYLOAD = 256 * 1024;
    /** Error shapes whose message member Lambda's model spells in lower case. */
    private static final Set<String> LOWER_CASE_MESSAGE = Set.of("CodeStorageExceededException",
            "InvalidParameterValueException", "InvalidRequestContentException", "PolicyLengthExceededException",
            "PreconditionFailedException", "RequestTooLargeException", "ResourceConflictException",
            "ResourceNotReadyException", "TooManyRequestsException", "UnsupportedMediaTypeException", "ValidationException");

    private final LogSink logs;
    private final LambdaFunctions functions;
    private final EventSourceMappings mappings;
    private final ExecutorService async = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lambda-async-invoke");
        t.setDaemon(true);
        return t;
    });

    public LambdaService(CloudContext context) {
        this(context, null);
    }

    /** @param queues SQS, which event source mappings poll; null when SQS is not served (mappings are refused) */
    public LambdaService(CloudContext context, MessageQueues queues) {
        this.logs = context.logs();
        this.functions = new LambdaFunctions(context, logs);
        LambdaResources.register(context, functions);
        this.mappings = new EventSourceMappings(context, functions, queues);
        context.register(new EventSourceMappingResource(mappings));
    }

    @Override
    public String signingName() {
        return "lambda";
    }

    @Override
    public void reset() {
        mappings.reset();
        functions.reset();
    }

    @Override
    public void close() {
        async.shutdownNow();
        mappings.close();
        functions.close();
    }

    @Override
    public void renderError(AwsRequest request, AwsException error) throws IOException {
        ObjectNode body = Http.JSON.createObjectNode();
        body.put("Type", error.sender() ? "User" : "Service");
        body.put(LOWER_CASE_MESSAGE.contains(error.code()) ? "message" : "Message", error.getMessage());
        var h = request.exchange().getResponseHeaders();
        h.set("x-amzn-ErrorType", error.code());
        h.set("x-amzn-RequestId", request.requestId());
        Http.json(request.exchange(), error.status(), body, "application/json");
    }

    @Override
    public void handle(AwsRequest request) throws IOException {
        String path = request.path();
        if (path.startsWith("/_localcloud/lambda/code/")) {
            code(request, path.substring("/_localcloud/lambda/code/".length()));
            return;
        }
        String method = request.method();
        LambdaRoutes.Route route = LambdaRoutes.route(method, path);
        String qualifier = request.query().get("Qualifier");
        switch (route.operation()) {
            case "InvokeWithResponseStream" -> {
                invokeWithResponseStream(request, route.function(), qualifier);
                return;
            }
            case "ListTags", "TagResource", "UntagResource" -> {
                tags(request, route.resource());
                return;
            }
            default -> {
            }
        }
        if (path.startsWith(LambdaRoutes.MAPPINGS)) {
            request.exchange().getResponseHeaders().set("x-amzn-RequestId", request.requestId());
            mappings(request, route);
            return;
        }
        if (FunctionSideConfigs.OPERATIONS.contains(route.operation())) {
            request.exchange().getResponseHeaders().set("x-amzn-RequestId", request.requestId());
            var reply = FunctionSideConfigs.handle(functions, route.operation(), route.function(), qualifier, body(request));
            if (reply.body() == null) {
                Http.send(request.exchange(), reply.status(), null, new byte[0]);
            } else {
                reply(request, reply.status(), reply.body());
            }
            return;
        }
        if (!path.startsWith(LambdaRoutes.FUNCTIONS)) {
            throw unknown(request);
        }
        request.exchange().getResponseHeaders().set("x-amzn-RequestId", request.requestId());
        if (!route.known()) {
            throw unknown(request);
        }
        String name = route.function();
        switch (route.operation()) {
            case "CreateFunction" -> reply(request, 201, functions.create(body(request), false));
            case "ListFunctions" -> listFunctions(request);
            case "GetFunction" -> reply(request, 200, functions.getFunction(name, qualifier));
            case "DeleteFunction" -> {
                functions.delete(name, qualifier);
                Http.send(request.exchange(), 204, null, new byte[0]);
            }
            case "GetFunctionConfiguration" -> reply(request, 200, functions.configuration(name, qualifier));
            case "UpdateFunctionConfiguration" -> reply(request, 200, functions.updateConfiguration(name, body(request), false));
            case "UpdateFunctionCode" -> reply(request, 200, functions.updateCode(name, body(request), false));
            case "Invoke" -> invoke(request, name, qualifier);
            case "PublishVersion" -> reply(request, 201, functions.publishVersion(name, body(request)));
            case "ListVersionsByFunction" -> {
                ObjectNode out = Http.JSON.createObjectNode();
                ArrayNode a = out.putArray("Versions");
                functions.versions(name).forEach(a::add);
                reply(request, 200, out);
            }
            case "CreateAlias", "ListAliases", "GetAlias", "UpdateAlias", "DeleteAlias" -> aliases(request, name, route.alias());
            default -> throw unknown(request);
        }
    }

    /** The operation a request calls, from the same route table the dispatch uses (the test controls match faults on it). */
    @Override
    public String operation(AwsRequest request) {
        return LambdaRoutes.route(request.method(), request.path()).operation();
    }

    private static AwsException unknown(AwsRequest request) {
        return new AwsException(404, "UnknownOperationException", "Unknown operation " + request.method() + " " + request.path());
    }

    private static JsonNode body(AwsRequest request) {
        if (request.body().length == 0) {
            return Http.JSON.createObjectNode();
        }
        try {
            JsonNode n = Http.JSON.readTree(request.body());
            if (n == null || !n.isObject()) {
                throw new AwsException(400, "InvalidRequestContentException", "Could not parse request body into json");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new AwsException(400, "InvalidRequestContentException",
                    "Could not parse request body into json: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new AwsException(400, "InvalidRequestContentException", "Could not parse request body into json");
        }
    }

    private static void reply(AwsRequest request, int status, JsonNode body) throws IOException {
        Http.json(request.exchange(), status, body, "application/json");
    }

    private void listFunctions(AwsRequest request) throws IOException {
        String version = request.query().get("FunctionVersion");
        if (version != null && !version.equals("ALL")) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected(ValidationErrors.failure(version,
                    "functionVersion", "Member must satisfy enum value set: [ALL]")));
        }
        boolean all = "ALL".equals(version);
        List<ObjectNode> list = functions.list(all);
        int max = 50;
        if (request.query().get("MaxItems") != null) {
            max = Integer.parseInt(request.query().get("MaxItems"));
            if (max < 1 || max > 10000) {
                throw new AwsException(400, "ValidationException", ValidationErrors.detected("Value '" + max
                        + "' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 10000"));
            }
        }
        int start = 0;
        String marker = request.query().get("Marker");
        if (marker != null) {
            try {
                start = Integer.parseInt(new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new AwsException(400, "InvalidParameterValueException", "Invalid marker: " + marker);
            }
        }
        ObjectNode out = Http.JSON.createObjectNode();
        ArrayNode a = out.putArray("Functions");
        int end = Math.min(list.size(), start + max);
        for (int i = start; i < end; i++) {
            a.add(list.get(i));
        }
        if (end < list.size()) {
            out.put("NextMarker", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(Integer.toString(end).getBytes(StandardCharsets.UTF_8)));
        }
        reply(request, 200, out);
    }

    private void aliases(AwsRequest request, String name, String alias) throws IOException {
        String method = request.method();
        if (alias == null) {
            if (method.equals("POST")) {
                reply(request, 201, functions.createAlias(name, body(request)));
            } else if (method.equals("GET")) {
                ObjectNode out = Http.JSON.createObjectNode();
                ArrayNode a = out.putArray("Aliases");
                String version = request.query().get("FunctionVersion");
                functions.aliases(name).stream()
                        .filter(x -> version == null || version.equals(x.get("FunctionVersion").asText()))
                        .forEach(a::add);
                reply(request, 200, out);
            } else {
                throw unknown(request);
            }
            return;
        }
        switch (method) {
            case "GET" -> reply(request, 200, functions.getAlias(name, alias));
            case "PUT" -> reply(request, 200, functions.updateAlias(name, alias, body(request)));
            case "DELETE" -> {
                functions.deleteAlias(name, alias);
                Http.send(request.exchange(), 204, null, new byte[0]);
            }
            default -> throw unknown(request);
        }
    }

    /** TagResource, UntagResource, ListTags on a function ARN. */
    private void tags(AwsRequest request, String arn) throws IOException {
        request.exchange().getResponseHeaders().set("x-amzn-RequestId", request.requestId());
        switch (request.method()) {
            case "GET" -> {
                ObjectNode out = Http.JSON.createObjectNode();
                ObjectNode t = out.putObject("Tags");
                functions.tags(arn).forEach(t::put);
                reply(request, 200, out);
            }
            case "POST" -> {
                java.util.Map<String, String> add = new java.util.LinkedHashMap<>();
                body(request).path("Tags").fields().forEachRemaining(e -> add.put(e.getKey(), e.getValue().asText()));
                if (add.isEmpty()) {
                    functions.tags(arn);
                    throw new AwsException(400, "InvalidParameterValueException", "An error occurred and the request cannot be processed.");
                }
                functions.tag(arn, add, List.of());
                Http.send(request.exchange(), 204, null, new byte[0]);
            }
            case "DELETE" -> {
                List<String> keys = new java.util.ArrayList<>();
                String raw = request.exchange().getRequestURI().getRawQuery();
                if (raw != null) {
                    for (String pair : raw.split("&")) {
                        int eq = pair.indexOf('=');
                        if (eq > 0 && pair.substring(0, eq).equals("tagKeys")) {
                            keys.add(java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                        }
                    }
                }
                if (keys.isEmpty()) {
                    throw new AwsException(400, "ValidationException", ValidationErrors.missing("tagKeys"));
                }
                functions.tag(arn, java.util.Map.of(), keys);
                Http.send(request.exchange(), 204, null, new byte[0]);
            }
            default -> throw unknown(request);
        }
    }

    // ---- event source mappings ----------------------------------------------------------------

    private void mappings(AwsRequest request, LambdaRoutes.Route route) throws IOException {
        String uuid = route.function();
        switch (route.operation()) {
            case "CreateEventSourceMapping" -> reply(request, 202, mappings.create(body(request)));
            case "ListEventSourceMappings" -> {
                String max = request.query().get("MaxItems");
                reply(request, 200, mappings.list(request.query().get("FunctionName"), request.query().get("EventSourceArn"),
                        request.query().get("Marker"), max == null ? 100 : Math.max(1, Math.min(10000, Integer.parseInt(max)))));
            }
            case "GetEventSourceMapping" -> reply(request, 200, mappings.get(uuid));
            case "UpdateEventSourceMapping" -> reply(request, 202, mappings.update(uuid, body(request)));
            case "DeleteEventSourceMapping" -> reply(request, 202, mappings.delete(uuid));
            default -> throw unknown(request);
        }
    }

    // ---- Invoke -------------------------------------------------------------------------------

    /** Another service's invocation (EventBridge, an event source): the function's own log stream records it. */
    @Override
    public Result invoke(String function, byte[] payload) {
        LambdaFunctions.Target target = functions.target(function, null);
        RuntimeSpec spec = functions.spec(target);
        try {
            RuntimeProcess.Result r = functions.runtimes.invoke(spec, java.util.UUID.randomUUID().toString(), payload,
                    target.invokedArn());
            return new Result(r.payload(), r.functionError());
        } catch (IOException e) {
            throw new IllegalStateException("local-cloud could not start the " + spec.runtime() + " runtime: " + e.getMessage(), e);
        }
    }

    private void invoke(AwsRequest request, String name, String qualifier) throws IOException {
        String type = request.header("x-amz-invocation-type");
        type = type == null ? "RequestResponse" : type;
        if (!Set.of("RequestResponse", "Event", "DryRun").contains(type)) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected("Value '" + type
                    + "' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]"));
        }
        byte[] payload = validPayload(request.body(), type.equals("Event") ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD);
        LambdaFunctions.Target target = functions.target(name, qualifier);
        if (type.equals("DryRun")) {
            Http.send(request.exchange(), 204, null, new byte[0]);
            return;
        }
        RuntimeSpec spec = functions.spec(target);
        String requestId = request.requestId();
        String clientContext = clientContext(request);
        if (type.equals("Event")) {
            byte[] event = payload;
            async.execute(() -> {
                try {
                    functions.runtimes.invoke(spec, requestId, event, target.invokedArn(), clientContext);
                } catch (IOException | RuntimeException e) {
                    // an asynchronous invocation has no caller to tell; its log stream shows what happened
                }
            });
            Http.send(request.exchange(), 202, null, new byte[0]);
            return;
        }
        RuntimeProcess.Result result;
        try {
            result = functions.runtimes.invoke(spec, requestId, payload, target.invokedArn(), clientContext);
        } catch (IOException e) {
            throw new AwsException(502, "ServiceException", "local-cloud could not start the " + spec.runtime()
                    + " runtime: " + e.getMessage(), false);
        }
        result = withinResponseLimit(result);
        var h = request.exchange().getResponseHeaders();
        h.set("X-Amz-Executed-Version", target.version());
        if (result.functionError() != null) {
            h.set("X-Amz-Function-Error", result.functionError());
        }
        if ("Tail".equals(request.header("x-amz-log-type"))) {
            h.set("X-Amz-Log-Result", tail(result.log()));
        }
        Http.send(request.exchange(), 200, "application/json", result.payload());
    }

    /**
     * InvokeWithResponseStream for handlers that return a whole response (streamifyResponse handlers
     * are not supported): the result goes out as one {@code PayloadChunk}, then {@code InvokeComplete}.
     */
    private void invokeWithResponseStream(AwsRequest request, String name, String qualifier) throws IOException {
        String type = request.header("x-amz-invocation-type");
        if (type != null && !type.equals("RequestResponse") && !type.equals("DryRun")) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected("Value '" + type
                    + "' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, DryRun]"));
        }
        byte[] payload = validPayload(request.body(), MAX_SYNC_PAYLOAD);
        LambdaFunctions.Target target = functions.target(name, qualifier);
        var h = request.exchange().getResponseHeaders();
        h.set("x-amzn-RequestId", request.requestId());
        if ("DryRun".equals(type)) {
            Http.send(request.exchange(), 204, null, new byte[0]);
            return;
        }
        RuntimeSpec spec = functions.spec(target);
        RuntimeProcess.Result result;
        try {
            result = withinResponseLimit(functions.runtimes.invoke(spec, request.requestId(), payload, target.invokedArn(),
                    clientContext(request)));
        } catch (IOException e) {
            throw new AwsException(502, "ServiceException", "local-cloud could not start the " + spec.runtime()
                    + " runtime: " + e.getMessage(), false);
        }
        h.set("X-Amz-Executed-Version", target.version());
        h.set("Content-Type", "application/vnd.amazon.eventstream");
        request.exchange().sendResponseHeaders(200, 0);
        try (var out = request.exchange().getResponseBody()) {
            if (result.functionError() == null) {
                out.write(LogsEventStream.event("PayloadChunk", "application/octet-stream", result.payload()));
            }
            ObjectNode complete = Http.JSON.createObjectNode();
            if (result.functionError() != null) {
                complete.put("ErrorCode", result.functionError());
                complete.put("ErrorDetails", new String(result.payload(), StandardCharsets.UTF_8));
            }
            if ("Tail".equals(request.header("x-amz-log-type"))) {
                complete.put("LogResult", tail(result.log()));
            }
            out.write(LogsEventStream.event("InvokeComplete", Http.JSON.writeValueAsBytes(complete)));
        }
    }

    /** {@code X-Amz-Client-Context}: base64 of a JSON object of at most 3583 bytes, handed to the function decoded. */
    private static String clientContext(AwsRequest request) {
        String header = request.header("x-amz-client-context");
        if (header == null || header.isEmpty()) {
            return null;
        }
        if (header.length() > 3583) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected("Value at 'clientContext' "
                    + "failed to satisfy constraint: Member must have length less than or equal to 3583"));
        }
        try {
            String json = new String(Base64.getDecoder().decode(header), StandardCharsets.UTF_8);
            Http.JSON.readTree(json);
            return json;
        } catch (IllegalArgumentException | IOException e) {
            throw new AwsException(400, "InvalidRequestContentException", "Client context must be a valid Base64-encoded JSON object.");
        }
    }

    /** Lambda's 6 MB response limit: a larger result becomes the error Lambda reports instead. */
    static RuntimeProcess.Result withinResponseLimit(RuntimeProcess.Result result) {
        int max = 6291556;
        if (result.payload().length <= max) {
            return result;
        }
        String error = "{\"errorMessage\":\"Response payload size (" + result.payload().length
                + " bytes) exceeded maximum allowed payload size (" + max + " bytes).\",\"errorType\":\"Function.ResponseSizeTooLarge\"}";
        return new RuntimeProcess.Result(error.getBytes(StandardCharsets.UTF_8), "Unhandled", result.log());
    }

    private static String tail(String log) {
        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        byte[] last = bytes.length <= 4096 ? bytes : Arrays.copyOfRange(bytes, bytes.length - 4096, bytes.length);
        return Base64.getEncoder().encodeToString(last);
    }

    /** The payload Invoke runs with: {@code {}} when empty; otherwise it must be JSON and within the limit. */
    private static byte[] validPayload(byte[] payload, int limit) {
        if (payload.length > limit) {
            throw new AwsException(413, "RequestTooLargeException",
                    "Request must be smaller than " + limit + " bytes for the InvokeFunction operation");
        }
        if (payload.length == 0) {
            return "{}".getBytes(StandardCharsets.UTF_8);
        }
        try {
            Http.JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new AwsException(400, "InvalidRequestContentException",
                    "Could not parse request body into json: Could not parse payload into json: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new AwsException(400, "InvalidRequestContentException", "Could not parse request body into json");
        }
        return payload;
    }

    // ---- local-cloud's own paths --------------------------------------------------------------

    /** A {@code Code.Location} download; the server let it in with its presigned signature. */
    private void code(AwsRequest request, String file) throws IOException {
        if (!file.endsWith(".zip") || !request.method().equals("GET")) {
            throw unknown(request);
        }
        byte[] zip = functions.zip(file.substring(0, file.length() - ".zip".length()));
        if (zip == null) {
            Http.send(request.exchange(), 404, "text/plain", "no such code package");
            return;
        }
        Http.send(request.exchange(), 200, "application/zip", zip);
    }

    /** {@code /_localcloud/lambda/settings}: an admin route (token-guarded by the server, never signed). */
    @Override
    public boolean admin(AwsRequest request, String route) throws IOException {
        if (route.equals("GET /_localcloud/lambda/settings") || route.equals("POST /_localcloud/lambda/settings")) {
            if (request.method().equals("POST")) {
                JsonNode in = body(request);
                try {
                    if (in.has("updateDelayMillis")) {
                        functions.updateDelayMillis(in.get("updateDelayMillis").asLong());
                    }
                    if (in.has("environmentIdleMillis")) {
                        functions.runtimes.idleMillis(in.get("environmentIdleMillis").asLong());
                    }
                    if (in.has("liveTailLimitMillis")) {
                        logs.liveTailLimitMillis(in.get("liveTailLimitMillis").asLong());
                    }
                } catch (IllegalArgumentException e) {
                    throw new AwsException(400, "InvalidParameterValueException", e.getMessage());
                }
            }
            ObjectNode out = Http.JSON.createObjectNode();
            out.put("updateDelayMillis", functions.updateDelayMillis());
            out.put("liveTailLimitMillis", logs.liveTailLimitMillis());
            out.put("environmentIdleMillis", functions.runtimes.idleMillis());
            reply(request, 200, out);
            return true;
        }
        return false;
    }
}
