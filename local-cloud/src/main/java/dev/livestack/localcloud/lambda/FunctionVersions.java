package dev.livestack.localcloud.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.Http;
import java.util.List;
import java.util.UUID;

/**
 * A function's published versions and its aliases. It works on a {@link FunctionEntry} and holds no
 * lock: {@link LambdaFunctions} calls it holding its monitor, and saves the entry afterwards.
 */
final class FunctionVersions {
    /** What differs between $LATEST and a version published from it without any change in between. */
    private static final List<String> PER_VERSION = List.of("Version", "FunctionArn", "Description", "RevisionId",
            "LastModified", "State", "StateReason", "StateReasonCode", "LastUpdateStatus", "LastUpdateStatusReason",
            "LastUpdateStatusReasonCode");

    private final CloudContext context;

    FunctionVersions(CloudContext context) {
        this.context = context;
    }

    /** PublishVersion's checks against $LATEST: CodeSha256 and RevisionId, when the request gives them. */
    static void checkPublish(FunctionEntry e, JsonNode req) {
        String sha = FunctionSettings.text(req, "CodeSha256");
        if (sha != null && !sha.equals(e.latest.get("CodeSha256").asText())) {
            throw FunctionNames.invalid("CodeSHA256 (" + sha + ") is different from current CodeSHA256 in $LATEST ("
                    + e.latest.get("CodeSha256").asText() + "). Please try again with the CodeSHA256 in $LATEST.");
        }
        checkRevision(req, e.latest);
    }

    /** Refuses a request whose RevisionId is not the current one of {@code current} (a function or an alias). */
    static void checkRevision(JsonNode req, ObjectNode current) {
        String rev = FunctionSettings.text(req, "RevisionId");
        if (rev != null && !rev.equals(current.path("RevisionId").asText())) {
            throw new AwsException(412, "PreconditionFailedException",
                    "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
        }
    }

    /** Publishes $LATEST as the next version, or returns the last version when $LATEST has not changed since. */
    ObjectNode publish(FunctionEntry e, String description) {
        if (!e.versions.isEmpty()) {
            ObjectNode last = e.versions.lastEntry().getValue();
            if (sameAsVersion(e.latest, last)) {
                return last;
            }
        }
        int number = e.nextVersion++;
        // publishing is a change of the function: $LATEST gets a new revision too
        e.latest.put("RevisionId", UUID.randomUUID().toString());
        ObjectNode v = e.latest.deepCopy();
        v.put("Version", Integer.toString(number));
        v.put("FunctionArn", FunctionNames.arn(context, e.name) + ":" + number);
        v.put("Description", description);
        v.put("RevisionId", UUID.randomUUID().toString());
        FunctionStates.activate(v);
        e.versions.put(number, v);
        return v;
    }

    /**
     * Whether $LATEST is unchanged since {@code version} was published from it: every change of $LATEST (its
     * description included) stamps a new LastModified, which a version keeps from the moment it was published.
     */
    private static boolean sameAsVersion(ObjectNode latest, ObjectNode version) {
        ObjectNode a = latest.deepCopy();
        ObjectNode b = version.deepCopy();
        a.remove(PER_VERSION);
        b.remove(PER_VERSION);
        return a.equals(b) && latest.path("LastModified").equals(version.path("LastModified"));
    }

    ObjectNode createAlias(FunctionEntry e, JsonNode req) {
        String name = FunctionSettings.text(req, "Name");
        String version = FunctionSettings.text(req, "FunctionVersion");
        if (name == null) {
            throw FunctionSettings.validationNull("name");
        }
        if (version == null) {
            throw FunctionSettings.validationNull("functionVersion");
        }
        FunctionNames.checkAliasName(name);
        String arn = FunctionNames.arn(context, e.name) + ":" + name;
        if (e.aliases.containsKey(name)) {
            throw FunctionNames.conflict("Alias already exists: " + arn);
        }
        checkRoutingTargets(e, version, req);
        checkVersion(e, version);
        ObjectNode a = Http.JSON.createObjectNode();
        a.put("AliasArn", arn);
        a.put("Name", name);
        a.put("FunctionVersion", version);
        a.put("Description", req.path("Description").asText(""));
        routing(a, req);
        a.put("RevisionId", UUID.randomUUID().toString());
        e.aliases.put(name, a);
        return a;
    }

    ObjectNode updateAlias(FunctionEntry e, String aliasName, JsonNode req) {
        ObjectNode a = alias(e, aliasName);
        checkRevision(req, a);
        checkRouting(req);
        checkRoutingTargets(e, req.path("FunctionVersion").asText(a.get("FunctionVersion").asText()), req);
        if (req.hasNonNull("FunctionVersion")) {
            checkVersion(e, req.get("FunctionVersion").asText());
            a.put("FunctionVersion", req.get("FunctionVersion").asText());
        }
        if (req.hasNonNull("Description")) {
            a.put("Description", req.get("Description").asText());
        }
        routing(a, req);
        a.put("RevisionId", UUID.randomUUID().toString());
        return a;
    }

    /** The request-level constraints of RoutingConfig.AdditionalVersionWeights: version-number keys, weights in [0, 1]. */
    static void checkRouting(JsonNode req) {
        JsonNode weights = req.path("RoutingConfig").get("AdditionalVersionWeights");
        if (weights == null || !weights.isObject()) {
            return;
        }
        java.util.List<String> shown = new java.util.ArrayList<>();
        boolean badKey = false;
        boolean badValue = false;
        for (var it = weights.fields(); it.hasNext(); ) {
            var w = it.next();
            shown.add(w.getKey() + "=" + w.getValue().asDouble());
            badKey |= !w.getKey().matches("[0-9]+") || w.getKey().length() > 1024;
            badValue |= w.getValue().asDouble() < 0 || w.getValue().asDouble() > 1;
        }
        String value = "{" + String.join(", ", shown) + "}";
        if (badKey) {
            throw new AwsException(400, "ValidationException", dev.livestack.localcloud.core.ValidationErrors.detected(
                    dev.livestack.localcloud.core.ValidationErrors.failure(value, "routingConfig.additionalVersionWeights",
                            "Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have "
                                    + "length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+]")));
        }
        if (badValue) {
            throw new AwsException(400, "ValidationException", dev.livestack.localcloud.core.ValidationErrors.detected(
                    dev.livestack.localcloud.core.ValidationErrors.failure(value, "routingConfig.additionalVersionWeights",
                            "Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have "
                                    + "value greater than or equal to 0.0, Member must not be null]")));
        }
    }

    /** What a routing configuration may point at: one other published version, and never beside $LATEST. */
    private void checkRoutingTargets(FunctionEntry e, String version, JsonNode req) {
        JsonNode weights = req.path("RoutingConfig").get("AdditionalVersionWeights");
        if (weights == null || !weights.isObject() || weights.isEmpty()) {
            return;
        }
        if (weights.size() > 1) {
            throw FunctionNames.invalid("Number of items in AdditionalVersionWeights cannot be greater than 1");
        }
        String other = weights.fieldNames().next();
        if (version.equals("$LATEST")) {
            throw FunctionNames.invalid("$LATEST is not supported for an alias pointing to more than 1 version");
        }
        if (other.equals(version)) {
            throw FunctionNames.invalid("Invalid function version " + other + ". Function version " + other
                    + " is already included in routing configuration.");
        }
        checkVersion(e, version);
        checkVersion(e, other);
    }

    /**
     * An alias's RoutingConfig: the weights of additional versions as given; empty weights remove it. Invocations
     * still run the alias's version (local-cloud does not split traffic).
     */
    private static void routing(ObjectNode alias, JsonNode req) {
        JsonNode weights = req.path("RoutingConfig").get("AdditionalVersionWeights");
        if (weights == null || weights.isNull()) {
            return;
        }
        if (weights.isEmpty()) {
            alias.remove("RoutingConfig");
        } else {
            alias.putObject("RoutingConfig").set("AdditionalVersionWeights", weights.deepCopy());
        }
    }

    /** GetAlias' lookup, whose not-found Lambda words differently from UpdateAlias'. */
    ObjectNode getAlias(FunctionEntry e, String aliasName) {
        ObjectNode a = e.aliases.get(aliasName);
        if (a == null) {
            throw new AwsException(404, "ResourceNotFoundException", "Cannot find alias arn: " + FunctionNames.arn(context, e.name)
                    + ":" + aliasName);
        }
        return a;
    }

    ObjectNode alias(FunctionEntry e, String aliasName) {
        ObjectNode a = e.aliases.get(aliasName);
        if (a == null) {
            throw FunctionNames.aliasNotFound(context, e.name, aliasName);
        }
        return a;
    }

    /** The configuration a qualifier names: null or $LATEST, a version number, or an alias. */
    ObjectNode resolve(FunctionEntry e, String qualifier) {
        if (qualifier == null || qualifier.equals("$LATEST")) {
            return e.latest;
        }
        if (qualifier.matches("\\d+")) {
            ObjectNode v = e.versions.get(Integer.parseInt(qualifier));
            if (v == null) {
                throw FunctionNames.notFound(context, e.name, qualifier);
            }
            return v;
        }
        ObjectNode alias = e.aliases.get(qualifier);
        if (alias == null) {
            throw FunctionNames.notFound(context, e.name, qualifier);
        }
        String version = alias.get("FunctionVersion").asText();
        return version.equals("$LATEST") ? e.latest : e.versions.get(Integer.parseInt(version));
    }

    /**
     * DeleteFunction with a version number: removes the version unless an alias points at it, and answers its
     * number (0 when there was no such version). Refuses an alias qualifier, as Lambda does.
     */
    int deleteVersion(FunctionEntry e, String qualifier) {
        if (!qualifier.matches("\\d+")) {
            throw FunctionNames.invalid("Deletion of aliases is not currently supported.");
        }
        int v = Integer.parseInt(qualifier);
        if (!e.versions.containsKey(v)) {
            // deleting a version that does not exist succeeds, as on Lambda: the call is idempotent
            return 0;
        }
        for (ObjectNode a : e.aliases.values()) {
            if (a.get("FunctionVersion").asText().equals(qualifier)) {
                throw FunctionNames.conflict("Unable to delete version because the following aliases reference it: ["
                        + a.get("Name").asText() + "]");
            }
        }
        // removed only once nothing refuses it: a refused delete leaves the version as it was
        e.versions.remove(v);
        return v;
    }

    private void checkVersion(FunctionEntry e, String version) {
        if (!version.equals("$LATEST") && (!version.matches("\\d+") || !e.versions.containsKey(Integer.parseInt(version)))) {
            throw FunctionNames.notFound(context, e.name, version);
        }
    }
}
