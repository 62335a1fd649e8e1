package dev.livestack.localcloud.serverlessrepo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.S3Urls;
import dev.livestack.localcloud.core.StateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The repository's records: the account's own applications with their versions, the AWS-published catalogue
 * ({@link RotationCatalogue}), and the templates CreateCloudFormationTemplate handed out. Every template and code
 * object lives in local-cloud's S3, in a bucket local-cloud owns, so CloudFormation reads it like any TemplateURL.
 * Records are kept as the wire format's JSON objects and saved to one file on every change.
 */
final class Applications {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9-]{1,140}");
    private static final Pattern SEMVER = Pattern.compile("\\d+\\.\\d+\\.\\d+([-+][0-9A-Za-z.-]+)?");

    private final CloudContext context;
    private final StateStore store;
    private final Path file;
    private final String bucket;
    /** applicationId → the application, its {@code versions} (semver → version) kept beside the wire members */
    private final Map<String, ObjectNode> apps = new LinkedHashMap<>();
    /** templateId → the template record CreateCloudFormationTemplate answered */
    private final Map<String, ObjectNode> templates = new LinkedHashMap<>();

    Applications(CloudContext context) {
        this.context = context;
        this.store = context.store();
        this.file = store.folder("serverlessrepo").resolve("applications.json");
        this.bucket = "local-cloud-serverlessrepo-" + context.account();
        load();
    }

    private void load() {
        JsonNode saved = store.load(file, n -> n);
        if (saved == null) {
            return;
        }
        saved.path("applications").fields().forEachRemaining(e -> apps.put(e.getKey(), (ObjectNode) e.getValue()));
        saved.path("templates").fields().forEachRemaining(e -> templates.put(e.getKey(), (ObjectNode) e.getValue()));
    }

    private void save() {
        ObjectNode root = Http.JSON.createObjectNode();
        ObjectNode a = root.putObject("applications");
        apps.forEach(a::set);
        ObjectNode t = root.putObject("templates");
        templates.forEach(t::set);
        store.writeJson(file, root);
    }

    synchronized void reset() {
        apps.clear();
        templates.clear();
        save();
    }

    String applicationId(String name) {
        return "arn:aws:serverlessrepo:" + context.region() + ":" + context.account() + ":applications/" + name;
    }

    synchronized ObjectNode create(JsonNode body) {
        String name = required(body, "name");
        required(body, "author");
        required(body, "description");
        if (!NAME.matcher(name).matches()) {
            throw ApplicationTemplates.bad("Invalid name '" + name + "'. Name must match the pattern [a-zA-Z0-9\\-]+ "
                    + "and be between 1 and 140 characters long.");
        }
        String id = applicationId(name);
        if (apps.containsKey(id)) {
            throw new AwsException(409, "ConflictException", "Application with name " + name + " already exists.");
        }
        ObjectNode app = Http.JSON.createObjectNode();
        app.put("applicationId", id);
        app.put("name", name);
        for (String member : new String[] {"author", "description", "homePageUrl", "licenseUrl", "readmeUrl",
                "spdxLicenseId", "verifiedAuthorUrl"}) {
            if (body.hasNonNull(member)) {
                app.put(member, body.get(member).asText());
            }
        }
        if (body.path("labels").isArray()) {
            app.set("labels", body.get("labels"));
        }
        app.put("creationTime", Instant.now().toString());
        app.put("isVerifiedAuthor", false);
        app.putObject("versions");
        String semver = body.path("semanticVersion").asText(null);
        ObjectNode version = null;
        if (semver != null) {
            version = newVersion(id, semver, templateBody(body), body.path("sourceCodeUrl").asText(null));
        } else if (body.hasNonNull("templateBody") || body.hasNonNull("templateUrl")) {
            throw ApplicationTemplates.bad("SemanticVersion is required when a template is given.");
        }
        apps.put(id, app);
        if (version != null) {
            ((ObjectNode) app.get("versions")).set(semver, version);
        }
        save();
        return view(app, version);
    }

    synchronized ObjectNode createVersion(String applicationId, String semver, JsonNode body) {
        ObjectNode app = own(applicationId);
        if (app.get("versions").has(semver)) {
            throw new AwsException(409, "ConflictException", "Cannot create application version " + semver
                    + " of application " + app.get("applicationId").asText() + " because it already exists.");
        }
        ObjectNode version = newVersion(app.get("applicationId").asText(), semver, templateBody(body),
                body.path("sourceCodeUrl").asText(null));
        ((ObjectNode) app.get("versions")).set(semver, version);
        save();
        return version;
    }

    private ObjectNode newVersion(String applicationId, String semver, String templateBody, String sourceCodeUrl) {
        if (!SEMVER.matcher(semver).matches()) {
            throw ApplicationTemplates.bad("Invalid semantic version '" + semver + "'. It must follow Semantic "
                    + "Versioning (https://semver.org/).");
        }
        if (templateBody == null) {
            throw ApplicationTemplates.bad("Either TemplateBody or TemplateUrl must be specified.");
        }
        ObjectNode root = ApplicationTemplates.parse(templateBody);
        String key = "applications/" + applicationId.substring(applicationId.lastIndexOf('/') + 1) + "/" + semver
                + "/template.yaml";
        context.objects().putOwned(bucket, key, templateBody.getBytes(StandardCharsets.UTF_8), "text/yaml");
        ObjectNode v = Http.JSON.createObjectNode();
        v.put("applicationId", applicationId);
        v.put("creationTime", Instant.now().toString());
        v.set("parameterDefinitions", ApplicationTemplates.parameterDefinitions(root));
        v.set("requiredCapabilities", ApplicationTemplates.requiredCapabilities(root));
        v.put("resourcesSupported", true);
        v.put("semanticVersion", semver);
        if (sourceCodeUrl != null) {
            v.put("sourceCodeUrl", sourceCodeUrl);
        }
        v.put("templateUrl", url(key));
        return v;
    }

    /** GetApplication: the application with the asked version, or its newest. */
    synchronized ObjectNode get(String applicationId, String semver) {
        RotationCatalogue.App published = RotationCatalogue.app(applicationId);
        if (published != null) {
            String v = semver == null ? published.latest() : semver;
            return catalogueView(applicationId, published, publishedVersion(applicationId, published, v));
        }
        ObjectNode app = own(applicationId);
        return view(app, version(app, semver));
    }

    synchronized ArrayNode list() {
        ArrayNode out = Http.JSON.createArrayNode();
        for (ObjectNode app : apps.values()) {
            ObjectNode summary = app.deepCopy();
            summary.remove("versions");
            out.add(summary);
        }
        return out;
    }

    synchronized ArrayNode versions(String applicationId) {
        ArrayNode out = Http.JSON.createArrayNode();
        RotationCatalogue.App published = RotationCatalogue.app(applicationId);
        if (published != null) {
            out.add(summary(publishedVersion(applicationId, published, published.latest())));
            return out;
        }
        own(applicationId).get("versions").forEach(v -> out.add(summary(v)));
        return out;
    }

    synchronized void delete(String applicationId) {
        own(applicationId);
        apps.remove(applicationId);
        save();
    }

    /** CreateCloudFormationTemplate: a template record, ACTIVE at once (nothing needs copying between regions). */
    synchronized ObjectNode createTemplate(String applicationId, String semver) {
        ObjectNode version;
        RotationCatalogue.App published = RotationCatalogue.app(applicationId);
        if (published != null) {
            version = publishedVersion(applicationId, published, semver == null ? published.latest() : semver);
        } else {
            version = version(own(applicationId), semver);
        }
        Instant now = Instant.now();
        ObjectNode t = Http.JSON.createObjectNode();
        String id = UUID.randomUUID().toString();
        t.put("applicationId", applicationId);
        t.put("creationTime", now.toString());
        t.put("expirationTime", now.plus(6, ChronoUnit.HOURS).toString());
        t.put("semanticVersion", version.get("semanticVersion").asText());
        t.put("status", "ACTIVE");
        t.put("templateId", id);
        t.put("templateUrl", version.get("templateUrl").asText());
        templates.put(id, t);
        save();
        return t;
    }

    synchronized ObjectNode template(String applicationId, String templateId) {
        RotationCatalogue.App published = RotationCatalogue.app(applicationId);
        if (published == null) {
            own(applicationId);
        }
        ObjectNode t = templates.get(templateId);
        if (t == null || !t.get("applicationId").asText().equals(applicationId)) {
            throw notFound("Template with id " + templateId + " of application " + applicationId + " could not be found.");
        }
        ObjectNode out = t.deepCopy();
        if (Instant.parse(t.get("expirationTime").asText()).isBefore(Instant.now())) {
            out.put("status", "EXPIRED");
        }
        return out;
    }

    /** A catalogue version: its template and code are written to S3 the first time anyone asks for it. */
    private ObjectNode publishedVersion(String applicationId, RotationCatalogue.App app, String semver) {
        if (!RotationCatalogue.serves(app, semver)) {
            throw notFound("Application " + applicationId + " does not have a version " + semver);
        }
        String prefix = "catalogue/" + app.name() + "/" + semver + "/";
        String codeKey = prefix + "rotation.zip";
        if (context.objects().get(bucket, prefix + "template.json") == null) {
            context.objects().putOwned(bucket, codeKey, RotationCatalogue.code(), "application/zip");
            context.objects().putOwned(bucket, prefix + "template.json", RotationCatalogue.template(app, semver, bucket,
                    codeKey).getBytes(StandardCharsets.UTF_8), "application/json");
        }
        ObjectNode root = ApplicationTemplates.parse(new String(context.objects().get(bucket, prefix + "template.json"),
                StandardCharsets.UTF_8));
        ObjectNode v = Http.JSON.createObjectNode();
        v.put("applicationId", applicationId);
        v.put("creationTime", "2019-01-01T00:00:00Z");
        v.set("parameterDefinitions", ApplicationTemplates.parameterDefinitions(root));
        v.set("requiredCapabilities", ApplicationTemplates.requiredCapabilities(root));
        v.put("resourcesSupported", true);
        v.put("semanticVersion", semver);
        v.put("templateUrl", url(prefix + "template.json"));
        return v;
    }

    private ObjectNode catalogueView(String applicationId, RotationCatalogue.App app, ObjectNode version) {
        ObjectNode out = Http.JSON.createObjectNode();
        out.put("applicationId", applicationId);
        out.put("author", "AWS");
        out.put("creationTime", "2019-01-01T00:00:00Z");
        out.put("description", "Conducts an AWS Secrets Manager secret rotation for " + app.engine() + " using the "
                + (app.multiUser() ? "multi" : "single") + " user rotation scheme.");
        out.put("isVerifiedAuthor", true);
        out.put("name", app.name());
        out.put("spdxLicenseId", "MIT-0");
        out.set("version", version);
        return out;
    }

    private ObjectNode version(ObjectNode app, String semver) {
        JsonNode versions = app.get("versions");
        if (semver == null) {
            JsonNode newest = null;
            for (JsonNode v : versions) {
                newest = v;
            }
            if (newest == null) {
                throw notFound("Application " + app.get("applicationId").asText() + " has no published version.");
            }
            return (ObjectNode) newest;
        }
        if (!versions.has(semver)) {
            throw notFound("Application " + app.get("applicationId").asText() + " does not have a version " + semver);
        }
        return (ObjectNode) versions.get(semver);
    }

    /**
     * An application of another account is readable only when its owner shared it: AWS answers AccessDeniedException
     * for any other, whether it exists or not. The catalogue's are public.
     */
    void checkAccess(String applicationId, String operation) {
        if (RotationCatalogue.app(applicationId) != null) {
            return;
        }
        String[] parts = applicationId.split(":", 6);
        if (parts.length == 6 && parts[2].equals("serverlessrepo") && !parts[4].equals(context.account())) {
            throw new AwsException(403, "AccessDeniedException", "User: arn:aws:iam::" + context.account()
                    + ":root is not authorized to perform: serverlessrepo:" + operation + " on resource: " + applicationId);
        }
    }

    private ObjectNode own(String applicationId) {
        ObjectNode app = apps.get(applicationId);
        if (app == null) {
            throw notFound("Application with id " + applicationId + " could not be found.");
        }
        return app;
    }

    private static ObjectNode view(ObjectNode app, ObjectNode version) {
        ObjectNode out = app.deepCopy();
        out.remove("versions");
        if (version != null) {
            out.set("version", version);
        }
        return out;
    }

    private static ObjectNode summary(JsonNode version) {
        ObjectNode s = Http.JSON.createObjectNode();
        s.put("applicationId", version.get("applicationId").asText());
        s.put("creationTime", version.get("creationTime").asText());
        s.put("semanticVersion", version.get("semanticVersion").asText());
        if (version.has("sourceCodeUrl")) {
            s.put("sourceCodeUrl", version.get("sourceCodeUrl").asText());
        }
        return s;
    }

    /** The template a request carries: its templateBody, or the object its templateUrl names in local-cloud's S3. */
    private String templateBody(JsonNode body) {
        if (body.hasNonNull("templateBody")) {
            return body.get("templateBody").asText();
        }
        if (!body.hasNonNull("templateUrl")) {
            return null;
        }
        String url = body.get("templateUrl").asText();
        S3Urls.Location at = S3Urls.locate(url);
        byte[] bytes = at == null ? null : context.objects().get(at.bucket(), at.key());
        if (bytes == null) {
            throw ApplicationTemplates.bad("Cannot read the template at " + url
                    + ": it must be an object in local-cloud's S3 that exists.");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private String url(String key) {
        return context.endpoint() + "/" + bucket + "/" + key;
    }

    private static String required(JsonNode body, String member) {
        if (!body.hasNonNull(member) || body.get(member).asText().isEmpty()) {
            throw ApplicationTemplates.bad("Missing required parameter in body: \"" + member + "\"");
        }
        return body.get(member).asText();
    }

    static AwsException notFound(String message) {
        return new AwsException(404, "NotFoundException", message);
    }
}
