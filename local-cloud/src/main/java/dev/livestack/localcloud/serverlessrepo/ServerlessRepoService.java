package dev.livestack.localcloud.serverlessrepo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.AwsRequest;
import dev.livestack.localcloud.core.AwsService;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.ports.ApplicationRepository;
import java.io.IOException;

/**
 * The AWS Serverless Application Repository (REST-JSON, 2017-09-08): publish applications and versions, read them,
 * and hand out CloudFormation templates, which the SAM transform deploys as nested stacks. The Secrets Manager rotation
 * applications AWS publishes are served from {@link RotationCatalogue}.
 */
public final class ServerlessRepoService implements AwsService, ApplicationRepository {
    private static final String PREFIX = "/applications";

    private final Applications applications;

    public ServerlessRepoService(CloudContext context) {
        this.applications = new Applications(context);
    }

    @Override
    public String signingName() {
        return "serverlessrepo";
    }

    @Override
    public void reset() {
        applications.reset();
    }

    @Override
    public String templateUrl(String applicationId, String semanticVersion) {
        applications.checkAccess(applicationId, "CreateCloudFormationTemplate");
        return applications.createTemplate(applicationId, semanticVersion).get("templateUrl").asText();
    }

    /** The request's route: the operation, the application id and the rest of the path. */
    record Route(String operation, String applicationId, String tail) {
    }

    static Route route(String method, String path) {
        if (!path.startsWith(PREFIX)) {
            return new Route(null, null, null);
        }
        String rest = path.substring(PREFIX.length());
        if (rest.isEmpty() || rest.equals("/")) {
            return new Route(switch (method) {
                case "POST" -> "CreateApplication";
                case "GET" -> "ListApplications";
                default -> null;
            }, null, null);
        }
        rest = rest.substring(1);
        // an application id is an ARN ending in applications/<name>: the one slash it holds is its own
        int cut = rest.startsWith("arn:") ? rest.indexOf('/', rest.indexOf(":applications/") + ":applications/".length())
                : rest.indexOf('/');
        if (rest.startsWith("arn:") && rest.indexOf(":applications/") < 0) {
            cut = rest.indexOf('/');
        }
        String id = cut < 0 ? rest : rest.substring(0, cut);
        String tail = cut < 0 ? "" : rest.substring(cut);
        String op = null;
        if (tail.isEmpty()) {
            op = switch (method) {
                case "GET" -> "GetApplication";
                case "DELETE" -> "DeleteApplication";
                default -> null;
            };
        } else if (tail.equals("/versions") && method.equals("GET")) {
            op = "ListApplicationVersions";
        } else if (tail.startsWith("/versions/") && method.equals("PUT")) {
            op = "CreateApplicationVersion";
        } else if (tail.equals("/templates") && method.equals("POST")) {
            op = "CreateCloudFormationTemplate";
        } else if (tail.startsWith("/templates/") && method.equals("GET")) {
            op = "GetCloudFormationTemplate";
        }
        return new Route(op, id, tail);
    }

    @Override
    public String operation(AwsRequest request) {
        Route r = route(request.method(), request.path());
        return r.operation() == null ? request.method() + " " + request.path() : r.operation();
    }

    @Override
    public void handle(AwsRequest request) throws IOException {
        Route r = route(request.method(), request.path());
        if (r.operation() == null) {
            throw new AwsException(404, "NotFoundException", "No operation of the Serverless Application Repository answers "
                    + request.method() + " " + request.path());
        }
        if (r.applicationId() != null) {
            applications.checkAccess(r.applicationId(), r.operation());
        }
        JsonNode body = body(request);
        String semver = request.query().get("semanticVersion");
        Object out;
        int status = 200;
        switch (r.operation()) {
            case "CreateApplication" -> {
                out = applications.create(body);
                status = 201;
            }
            case "ListApplications" -> out = wrap("applications", applications.list());
            case "GetApplication" -> out = applications.get(r.applicationId(), semver);
            case "DeleteApplication" -> {
                applications.delete(r.applicationId());
                out = null;
                status = 204;
            }
            case "ListApplicationVersions" -> out = wrap("versions", applications.versions(r.applicationId()));
            case "CreateApplicationVersion" -> {
                out = applications.createVersion(r.applicationId(), r.tail().substring("/versions/".length()), body);
                status = 201;
            }
            case "CreateCloudFormationTemplate" -> {
                String v = body.hasNonNull("semanticVersion") ? body.get("semanticVersion").asText() : null;
                out = applications.createTemplate(r.applicationId(), v);
                status = 201;
            }
            case "GetCloudFormationTemplate" -> out = applications.template(r.applicationId(),
                    r.tail().substring("/templates/".length()));
            default -> throw new IllegalStateException(r.operation());
        }
        request.exchange().getResponseHeaders().set("x-amzn-RequestId", request.requestId());
        if (out == null) {
            Http.send(request.exchange(), status, null, new byte[0]);
        } else {
            Http.json(request.exchange(), status, out, "application/json");
        }
    }

    private static ObjectNode wrap(String member, JsonNode list) {
        ObjectNode out = Http.JSON.createObjectNode();
        out.set(member, list);
        return out;
    }

    private static JsonNode body(AwsRequest request) {
        if (request.body().length == 0) {
            return Http.JSON.createObjectNode();
        }
        try {
            JsonNode n = Http.JSON.readTree(request.body());
            if (n == null || !n.isObject()) {
                throw ApplicationTemplates.bad("The request body must be a JSON object.");
            }
            return n;
        } catch (IOException e) {
            throw ApplicationTemplates.bad("The request body is not valid JSON.");
        }
    }

    @Override
    public void renderError(AwsRequest request, AwsException error) throws IOException {
        ObjectNode body = Http.JSON.createObjectNode();
        body.put("errorCode", error.code());
        body.put("message", error.getMessage());
        var h = request.exchange().getResponseHeaders();
        h.set("x-amzn-ErrorType", error.code());
        h.set("x-amzn-RequestId", request.requestId());
        Http.json(request.exchange(), error.status(), body, "application/json");
    }
}
