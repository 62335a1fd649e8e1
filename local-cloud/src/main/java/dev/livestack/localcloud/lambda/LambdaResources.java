package dev.livestack.localcloud.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.inlinepackager.LambdaZip;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.Ids;
import dev.livestack.localcloud.core.TypedResourceProvider;
import dev.livestack.localcloud.core.ports.ResourceProvider;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code AWS::Lambda::Function}, {@code ::Version} and {@code ::Alias} for CloudFormation, on top of
 * the same model the API uses. CloudFormation waits for a function to stabilise, so these operations
 * complete the Pending / InProgress transitions at once. Failures carry CloudFormation's wording:
 * {@code Resource handler returned message: "…" (RequestToken: …, HandlerErrorCode: …)}.
 */
final class LambdaResources {
    private LambdaResources() {
    }

    static void register(CloudContext context, LambdaFunctions functions) {
        context.register(new FunctionResource(functions));
        context.register(new VersionResource(functions));
        context.register(new AliasResource(functions));
    }

    static ResourceProvider.ResourceFailure failure(AwsException e) {
        String code = switch (e.status()) {
            case 404 -> "NotFound";
            case 409 -> "ResourceConflict";
            case 429 -> "Throttling";
            default -> e.status() >= 500 ? "ServiceInternalError" : "InvalidRequest";
        };
        return new ResourceProvider.ResourceFailure("Resource handler returned message: \"" + e.getMessage()
                + " (Service: Lambda, Status Code: " + e.status() + ", Request ID: " + UUID.randomUUID() + ")\" (RequestToken: "
                + UUID.randomUUID() + ", HandlerErrorCode: " + code + ")");
    }

    /**
     * Runs a Lambda call the way CloudFormation's handler does: while the function is still settling
     * from an API update (409, an update in progress), it waits and tries again rather than failing.
     */
    static <T> T settled(java.util.function.Supplier<T> call) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                return call.get();
            } catch (AwsException e) {
                boolean busy = e.status() == 409 && e.getMessage() != null
                        && (e.getMessage().contains("An update is in progress") || e.getMessage().contains("state: Pending"));
                if (!busy || System.currentTimeMillis() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(25);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The CreateFunction / UpdateFunctionConfiguration request a resource's properties amount to. */
    static ObjectNode request(ObjectNode props, String name) {
        ObjectNode req = Http.JSON.createObjectNode();
        req.put("FunctionName", name);
        for (String f : new String[] {"Runtime", "Handler", "Role", "Description", "Timeout", "MemorySize", "Environment",
                "TracingConfig", "EphemeralStorage", "LoggingConfig", "Architectures"}) {
            if (props.hasNonNull(f)) {
                req.set(f, props.get(f).deepCopy());
            }
        }
        JsonNode tags = props.get("Tags");
        if (tags != null && tags.isArray()) {
            ObjectNode t = req.putObject("Tags");
            for (JsonNode tag : tags) {
                t.put(tag.path("Key").asText(), tag.path("Value").asText());
            }
        }
        return req;
    }

    /** {@code Code} as a request's code: inline source becomes the zip CloudFormation builds. */
    static ObjectNode code(ObjectNode props) {
        JsonNode code = props.path("Code");
        ObjectNode out = Http.JSON.createObjectNode();
        if (code.hasNonNull("ZipFile")) {
            String runtime = props.path("Runtime").asText(null);
            byte[] zip;
            try {
                zip = LambdaZip.forInline(runtime, code.get("ZipFile").asText());
            } catch (IllegalArgumentException e) {
                throw new ResourceProvider.ResourceFailure("Resource handler returned message: \"ZipFile can only be used when "
                        + "Runtime is set to either of nodejs or python runtimes.\" (RequestToken: " + UUID.randomUUID()
                        + ", HandlerErrorCode: InvalidRequest)");
            }
            out.put("ZipFile", Base64.getEncoder().encodeToString(zip));
        } else if (code.isObject()) {
            out.setAll((ObjectNode) code.deepCopy());
        }
        return out;
    }

    /** What the three types share: the model they provision through, and how a delete treats a resource already gone. */
    private abstract static class LambdaProvider extends TypedResourceProvider {
        final LambdaFunctions functions;

        LambdaProvider(String type, Set<String> replacementProperties, LambdaFunctions functions) {
            super(type, replacementProperties);
            this.functions = functions;
        }

        /** Runs a delete; a resource already gone (404) is not an error, as the provider contract says. */
        static void deleting(Runnable delete) {
            try {
                delete.run();
            } catch (AwsException e) {
                if (e.status() != 404) {
                    throw failure(e);
                }
            }
        }
    }

    private static final class FunctionResource extends LambdaProvider {
        FunctionResource(LambdaFunctions functions) {
            super("AWS::Lambda::Function", Set.of("FunctionName"), functions);
        }

        @Override
        public Provisioned create(String stackName, String logicalId, ObjectNode properties) {
            String name = properties.hasNonNull("FunctionName") ? properties.get("FunctionName").asText()
                    : Ids.trimmedGeneratedName(stackName, logicalId, 64);
            ObjectNode req = request(properties, name);
            req.set("Code", code(properties));
            try {
                ObjectNode c = functions.create(req, true);
                return provisioned(c);
            } catch (AwsException e) {
                if (e.status() == 409) {
                    throw new ResourceFailure(name + " already exists in stack " + stackName);
                }
                throw failure(e);
            }
        }

        @Override
        public Provisioned update(String stackName, String logicalId, String physicalId, ObjectNode oldProperties,
                                  ObjectNode newProperties) {
            try {
                ObjectNode c;
                ObjectNode newCode = code(newProperties);
                if (!newCode.equals(code(oldProperties)) || !newProperties.path("Runtime").equals(oldProperties.path("Runtime"))) {
                    settled(() -> functions.updateCode(physicalId, newCode, true));
                }
                ObjectNode req = request(newProperties, physicalId);
                req.remove("Tags");
                req.remove("Architectures");
                for (String f : new String[] {"Description", "Environment", "LoggingConfig"}) {
                    if (!req.has(f)) {
                        req.putNull(f);
                    }
                }
                if (!req.has("Timeout")) {
                    req.put("Timeout", 3);
                }
                if (!req.has("MemorySize")) {
                    req.put("MemorySize", 128);
                }
                if (!newProperties.hasNonNull("Description")) {
                    req.put("Description", "");
                }
                c = settled(() -> functions.updateConfiguration(physicalId, req, true));
                return provisioned(c);
            } catch (AwsException e) {
                throw failure(e);
            }
        }

        @Override
        public void delete(String physicalId, ObjectNode properties) {
            deleting(() -> functions.delete(physicalId, null));
        }

        private Provisioned provisioned(ObjectNode c) {
            return new Provisioned(c.get("FunctionName").asText(), Map.of(
                    "Arn", c.get("FunctionArn").asText(),
                    "SnapStartResponse.ApplyOn", "None",
                    "SnapStartResponse.OptimizationStatus", "Off"));
        }
    }

    private static final class VersionResource extends LambdaProvider {
        VersionResource(LambdaFunctions functions) {
            super("AWS::Lambda::Version", Set.of("FunctionName", "Description", "CodeSha256", "ProvisionedConcurrencyConfig", "RuntimePolicy"), functions);
        }

        @Override
        public Provisioned create(String stackName, String logicalId, ObjectNode properties) {
            ObjectNode req = Http.JSON.createObjectNode();
            if (properties.hasNonNull("Description")) {
                req.put("Description", properties.get("Description").asText());
            }
            if (properties.hasNonNull("CodeSha256")) {
                req.put("CodeSha256", properties.get("CodeSha256").asText());
            }
            try {
                ObjectNode v = settled(() -> functions.publishVersion(properties.path("FunctionName").asText(), req));
                return new Provisioned(v.get("FunctionArn").asText(), Map.of("Version", v.get("Version").asText(),
                        "FunctionArn", v.get("FunctionArn").asText()));
            } catch (AwsException e) {
                throw failure(e);
            }
        }

        @Override
        public Provisioned update(String stackName, String logicalId, String physicalId, ObjectNode oldProperties,
                                  ObjectNode newProperties) {
            String version = physicalId.substring(physicalId.lastIndexOf(':') + 1);
            return new Provisioned(physicalId, Map.of("Version", version, "FunctionArn", physicalId));
        }

        @Override
        public void delete(String physicalId, ObjectNode properties) {
            deleting(() -> functions.delete(physicalId, null));
        }
    }

    private static final class AliasResource extends LambdaProvider {
        AliasResource(LambdaFunctions functions) {
            super("AWS::Lambda::Alias", Set.of("FunctionName", "Name"), functions);
        }

        @Override
        public Provisioned create(String stackName, String logicalId, ObjectNode properties) {
            ObjectNode req = Http.JSON.createObjectNode();
            req.put("Name", properties.path("Name").asText());
            req.put("FunctionVersion", properties.path("FunctionVersion").asText());
            if (properties.hasNonNull("Description")) {
                req.put("Description", properties.get("Description").asText());
            }
            try {
                ObjectNode a = functions.createAlias(properties.path("FunctionName").asText(), req);
                return provisioned(a);
            } catch (AwsException e) {
                throw failure(e);
            }
        }

        @Override
        public Provisioned update(String stackName, String logicalId, String physicalId, ObjectNode oldProperties,
                                  ObjectNode newProperties) {
            ObjectNode req = Http.JSON.createObjectNode();
            req.put("FunctionVersion", newProperties.path("FunctionVersion").asText());
            req.put("Description", newProperties.path("Description").asText(""));
            try {
                return provisioned(functions.updateAlias(newProperties.path("FunctionName").asText(),
                        newProperties.path("Name").asText(), req));
            } catch (AwsException e) {
                throw failure(e);
            }
        }

        @Override
        public void delete(String physicalId, ObjectNode properties) {
            deleting(() -> functions.deleteAlias(properties.path("FunctionName").asText(), properties.path("Name").asText()));
        }

        private static Provisioned provisioned(ObjectNode a) {
            return new Provisioned(a.get("AliasArn").asText(), Map.of("AliasArn", a.get("AliasArn").asText()));
        }
    }
}
