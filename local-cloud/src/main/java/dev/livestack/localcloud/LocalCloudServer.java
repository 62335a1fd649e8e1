package dev.livestack.localcloud;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.livestack.localcloud.cloudformation.CloudFormationService;
import dev.livestack.localcloud.core.AdminService;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.AwsRequest;
import dev.livestack.localcloud.core.AwsService;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.Faults;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.RequestGuard;
import dev.livestack.localcloud.core.SigV4;
import dev.livestack.localcloud.core.StateStore;
import dev.livestack.localcloud.core.StsSessions;
import dev.livestack.localcloud.dynamodb.DynamoDbService;
import dev.livestack.localcloud.ec2.Ec2Service;
import dev.livestack.localcloud.kms.KmsService;
import dev.livestack.localcloud.lambda.LambdaService;
import dev.livestack.localcloud.logs.LogsService;
import dev.livestack.localcloud.logs.LogsStore;
import dev.livestack.localcloud.route53.Route53Service;
import dev.livestack.localcloud.s3.S3Service;
import dev.livestack.localcloud.s3.S3Store;
import dev.livestack.localcloud.serverlessrepo.ServerlessRepoService;
import dev.livestack.localcloud.ssm.SsmService;
import dev.livestack.localcloud.sqs.SqsService;
import dev.livestack.localcloud.ecr.EcrService;
import dev.livestack.localcloud.stepfunctions.StepFunctionsService;
import dev.livestack.localcloud.sts.StsService;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The HTTP endpoint: reads each request, finds its service from the SigV4 credential scope, dispatches. */
final class LocalCloudServer implements LocalCloud {
    static final String ADMIN_PREFIX = "/_localcloud/";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern SCOPE = Pattern.compile("Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request");

    private final LocalCloudConfig config;
    private final CloudContext context;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, AwsService> services = new ConcurrentHashMap<>();
    private final SigV4 sigV4;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final RequestGuard guard;
    private final S3Store objects;
    private final LogsStore logs;
    private final String adminToken;
    private AdminService admin;

    static {
        // The JDK server leaves Nagle's algorithm on, which with delayed ACKs adds ~40 ms to small
        // request/response exchanges. It reads this once, when the first server is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private LocalCloudServer(LocalCloudConfig requested) throws IOException {
        StateStore store = new StateStore(requested.stateDir());
        // Loopback only: local-cloud is never reachable from another machine.
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), requested.port()), 64);
        int port = server.getAddress().getPort();
        config = new LocalCloudConfig(requested.stateDir(), port, requested.accessKeyId(), requested.secretAccessKey(),
                requested.region(), requested.accountId(), requested.allowedOrigins());
        objects = new S3Store(store);
        logs = new LogsStore(store, config.region(), config.accountId());
        context = new CloudContext(config, URI.create("http://127.0.0.1:" + port), store, new StsSessions(store),
                objects, logs);
        sigV4 = context.sigV4();
        guard = new RequestGuard(port, config.allowedOrigins());
        adminToken = newAdminToken();
        writeAdminToken(config.stateDir().resolve(LocalCloud.ADMIN_TOKEN_FILE), adminToken);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "local-cloud-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
    }

    static LocalCloud start(LocalCloudConfig config) throws IOException {
        LocalCloudServer s = new LocalCloudServer(config);
        s.registerServices();
        s.server.start();
        return s;
    }

    private void registerServices() {
        // Each service registers its resource providers with the context in its constructor, and gets the ports of
        // the services it reads from here, so the order below is the order of those dependencies.
        SsmService ssm = new SsmService(context);
        add(ssm);
        add(new S3Service(context, objects));
        ServerlessRepoService serverlessRepo = new ServerlessRepoService(context);
        add(serverlessRepo);
        CloudFormationService cloudFormation = new CloudFormationService(context, ssm, serverlessRepo);
        add(cloudFormation);
        add(new StsService(context, cloudFormation.roles(), ssm));
        SqsService sqs = new SqsService(context);
        add(sqs);
        LambdaService lambda = new LambdaService(context, sqs.queues());
        add(lambda);
        add(new LogsService(context, logs));
        add(new StepFunctionsService(context));
        add(new EcrService(context));
        add(new Ec2Service(context));
        add(new Route53Service(context));
        add(new KmsService(context));
        add(new dev.livestack.localcloud.events.EventsService(context, lambda, sqs.queues()));
        add(new DynamoDbService(context));
        admin = new AdminService(context, services::values);
        add(admin);
    }

    private void add(AwsService service) {
        services.put(service.signingName(), service);
        if (service instanceof AutoCloseable c) {
            closeables.add(c);
        }
    }

    @Override
    public URI endpoint() {
        return context.endpoint();
    }

    /** The shared context, for tests and for services that need another service's store. */
    CloudContext context() {
        return context;
    }

    @Override
    public LocalCloudConfig config() {
        return config;
    }

    private static String newAdminToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Writes the token readable by its owner only, from the moment the file exists: it is created with those
     * permissions under a temporary name and moved into place.
     */
    private static void writeAdminToken(Path file, String token) throws IOException {
        Path dir = file.getParent();
        Path tmp;
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            tmp = Files.createTempFile(dir, ".admin-token", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            tmp = Files.createTempFile(dir, ".admin-token", ".tmp");
        }
        try {
            Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        Path tokenFile = config.stateDir().resolve(LocalCloud.ADMIN_TOKEN_FILE);
        try {
            // a later instance on the same folder may have written its own token: leave that one
            if (Files.isRegularFile(tokenFile) && Files.readString(tokenFile, StandardCharsets.US_ASCII).trim().equals(adminToken)) {
                Files.delete(tokenFile);
            }
        } catch (IOException ignored) {
            // a stale token names a stopped instance and opens nothing
        }
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing the rest matters more than one failure
            }
        }
        executor.shutdownNow();
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            AwsRequest request = read(exchange);
            if (guard.preflight(request)) {
                return;
            }
            // Unsigned calls under the admin prefix are admin calls, whatever scope they name; signed ones are AWS
            // calls and pass SigV4 like any other.
            boolean adminCall = request.path().startsWith(ADMIN_PREFIX) && !SigV4.carriesSignature(request);
            AwsService service = adminCall ? admin : services.get(request.service());
            if (service == null) {
                String refusal = guard.refusal(request);
                if (refusal != null) {
                    Http.send(exchange, 403, "text/plain", refusal);
                    return;
                }
                unserved(request);
                return;
            }
            try {
                String refusal = guard.refusal(request);
                if (refusal != null) {
                    throw accessDenied(service, refusal);
                }
                guard.allowCors(request);
                if (adminCall) {
                    checkAdminToken(request);
                } else if (service == admin) {
                    throw accessDenied(service, "The admin routes take the admin token in " + LocalCloud.ADMIN_TOKEN_HEADER
                            + ", not a signature.");
                } else {
                    sigV4.verify(request);
                }
                if (!injectFaults(service, request)) {
                    return;
                }
                service.handle(request);
            } catch (AwsException e) {
                service.renderError(request, e);
            } catch (RuntimeException e) {
                service.renderError(request, new AwsException(500, "InternalFailure",
                        "local-cloud failed: " + e, false));
            }
        }
    }

    /** Refused before any SigV4 check: the service's own access-denied error, so SDKs raise a typed exception. */
    private static AwsException accessDenied(AwsService service, String message) {
        String code = switch (SigV4.Dialect.of(service.signingName())) {
            case QUERY, S3 -> "AccessDenied";
            case JSON, REST_JSON -> "AccessDeniedException";
        };
        return new AwsException(403, code, message);
    }

    private void checkAdminToken(AwsRequest request) {
        String sent = request.header(LocalCloud.ADMIN_TOKEN_HEADER);
        if (sent == null || !MessageDigest.isEqual(adminToken.getBytes(StandardCharsets.US_ASCII),
                sent.trim().getBytes(StandardCharsets.US_ASCII))) {
            throw new AwsException(403, "AccessDenied", (sent == null ? "The admin routes want" : "Wrong admin token in")
                    + " the " + LocalCloud.ADMIN_TOKEN_HEADER + " header: send the token in " + config.stateDir()
                    .resolve(LocalCloud.ADMIN_TOKEN_FILE) + " (a new one at every start).");
        }
    }

    /**
     * A call to a service local-cloud does not serve (DynamoDB, SQS, ...) gets AWS's error for an account
     * without the service, {@code OptInRequired} (403), in the shape the caller's protocol parses: an
     * awsQuery form gets the XML error document, an awsJson call ({@code X-Amz-Target}) a {@code __type}
     * body, anything else the REST error header and a JSON body. SDKs then raise a typed service error
     * with the message, instead of failing to parse a plain-text body.
     */
    private void unserved(AwsRequest request) throws IOException {
        String name = request.service() == null ? "(an unsigned request)" : "'" + request.service() + "'";
        String message = "local-cloud does not serve " + name + "; it serves " + String.join(", ", new java.util.TreeSet<>(
                services.keySet().stream().filter(k -> !k.equals("localcloud")).toList()))
                + ". Point this client at another endpoint, or leave the call out when running on local-cloud.";
        HttpExchange exchange = request.exchange();
        exchange.getResponseHeaders().set("x-amzn-RequestId", request.requestId());
        String contentType = request.headers().getOrDefault("content-type", List.of("")).get(0);
        if (request.headers().containsKey("x-amz-target")) {
            String type = contentType.startsWith("application/x-amz-json-") ? contentType : "application/x-amz-json-1.1";
            Http.json(exchange, 403, Map.of("__type", "OptInRequired", "message", message), type);
        } else if (contentType.startsWith("application/x-www-form-urlencoded")) {
            Http.send(exchange, 403, "text/xml", "<ErrorResponse><Error><Type>Sender</Type><Code>OptInRequired</Code><Message>"
                    + Http.xmlEscape(message) + "</Message></Error><RequestId>" + request.requestId()
                    + "</RequestId></ErrorResponse>");
        } else {
            exchange.getResponseHeaders().set("x-amzn-ErrorType", "OptInRequired");
            Http.json(exchange, 403, Map.of("message", message), "application/json");
        }
    }

    /**
     * Applies the test controls' faults to one call: latency first, then a failure. Returns false when
     * the connection was dropped and nothing must be written.
     */
    private boolean injectFaults(AwsService service, AwsRequest request) throws IOException {
        if (service == admin || request.path().startsWith(ADMIN_PREFIX)) {
            return true;
        }
        String operation = service.operation(request);
        long latency = context.faults().latency(service.signingName(), operation);
        if (latency > 0) {
            try {
                Thread.sleep(latency);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Faults.Kind failure = context.faults().nextFailure(service.signingName(), operation);
        if (failure == null) {
            return true;
        }
        switch (failure) {
            case THROTTLING -> throw service.throttling();
            case HTTP_500 -> throw new AwsException(500, "InternalFailure",
                    "The request processing has failed because of an unknown error, exception or failure.", false);
            case HTTP_503 -> throw new AwsException(503, "ServiceUnavailable", "Service is unable to handle request.", false);
            case CONNECTION_RESET -> {
                // Closing an exchange before any response header is written closes the TCP connection:
                // the client sees the connection drop without a response, as with a reset.
                return false;
            }
            default -> throw new IllegalStateException(failure.name());
        }
    }

    private AwsRequest read(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        String service = null;
        String region = config.region();
        List<String> auth = headers.get("authorization");
        if (auth != null && !auth.isEmpty()) {
            Matcher m = SCOPE.matcher(auth.get(0));
            if (m.find()) {
                region = m.group(3);
                service = m.group(4);
            }
        }
        URI uri = exchange.getRequestURI();
        Map<String, String> query = AwsRequest.parseForm(uri.getRawQuery());
        if (service == null && query.containsKey("X-Amz-Credential")) {
            String[] scope = query.get("X-Amz-Credential").split("/");
            if (scope.length == 5) {
                region = scope[2];
                service = scope[3];
            }
        }
        if (service == null) {
            service = guessService(uri.getRawPath(), headers);
        }
        String path = URLDecoder.decode(uri.getRawPath().replace("+", "%2B"), StandardCharsets.UTF_8);
        return new AwsRequest(service, region, exchange.getRequestMethod(), path, query, headers, body, exchange,
                UUID.randomUUID().toString());
    }

    /** Unsigned requests carry no scope: route them by shape, so that their refusal is in the protocol they speak. */
    private static String guessService(String path, Map<String, List<String>> headers) {
        List<String> target = headers.get("x-amz-target");
        if (target != null && !target.isEmpty()) {
            String t = target.get(0);
            if (t.startsWith("Logs_")) {
                return "logs";
            }
            if (t.startsWith("AmazonSSM")) {
                return "ssm";
            }
            if (t.startsWith("DynamoDB_")) {
                return "dynamodb";
            }
        }
        if (path.startsWith("/2015-03-31/") || path.startsWith("/2021-11-15/")) {
            return "lambda";
        }
        return "s3";
    }
}
