package dev.livestack.localcloud.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.ValidationErrors;
import java.util.Set;

/**
 * The per-function settings Lambda keeps beside a configuration: reserved concurrency (stored), and the URL,
 * code-signing and asynchronous-invocation configurations, which local-cloud has no way to create, so their reads
 * answer what Lambda answers for a function that has none.
 */
final class FunctionSideConfigs {
    static final Set<String> OPERATIONS = Set.of("GetFunctionUrlConfig", "GetFunctionCodeSigningConfig",
            "GetFunctionEventInvokeConfig", "GetFunctionConcurrency", "PutFunctionConcurrency", "DeleteFunctionConcurrency");

    private FunctionSideConfigs() {
    }

    /** The answer's status and body (null for none). */
    record Reply(int status, JsonNode body) {
    }

    static Reply handle(LambdaFunctions functions, String operation, String name, String qualifier, JsonNode body) {
        return switch (operation) {
            case "GetFunctionUrlConfig" -> {
                functions.qualified(name, qualifier);
                throw urlNotFound();
            }
            case "GetFunctionCodeSigningConfig" -> {
                FunctionNames.Ref ref = functions.qualified(name, null);
                functions.onFunction(ref, false, e -> require(functions, ref, e, null));
                yield new Reply(200, Http.JSON.createObjectNode());
            }
            case "GetFunctionEventInvokeConfig" -> {
                // local-cloud keeps no such configuration: every function, version and alias has none
                FunctionNames.Ref ref = functions.qualified(name, qualifier);
                throw new AwsException(404, "ResourceNotFoundException", "The function " + FunctionNames.arn(functions.context, ref.name())
                        + ":" + (ref.qualifier() == null ? "$LATEST" : ref.qualifier()) + " doesn't have an EventInvokeConfig");
            }
            case "GetFunctionConcurrency" -> {
                FunctionNames.Ref ref = FunctionNames.unqualified(functions.context, name);
                Integer reserved = functions.onFunction(ref, false, e -> require(functions, ref, e, null).reservedConcurrency);
                ObjectNode out = Http.JSON.createObjectNode();
                if (reserved != null) {
                    out.put("ReservedConcurrentExecutions", reserved);
                }
                yield new Reply(200, out);
            }
            case "PutFunctionConcurrency" -> {
                JsonNode n = body.get("ReservedConcurrentExecutions");
                if (n == null || n.isNull()) {
                    throw new AwsException(400, "ValidationException", ValidationErrors.missing("reservedConcurrentExecutions"));
                }
                if (n.asInt() < 0) {
                    throw new AwsException(400, "ValidationException", ValidationErrors.detected(ValidationErrors.failure(
                            n.asInt(), "reservedConcurrentExecutions", "Member must have value greater than or equal to 0")));
                }
                setReserved(functions, name, n.asInt());
                yield new Reply(200, Http.JSON.createObjectNode().put("ReservedConcurrentExecutions", n.asInt()));
            }
            case "DeleteFunctionConcurrency" -> {
                setReserved(functions, name, null);
                yield new Reply(204, null);
            }
            default -> throw new IllegalArgumentException("operation " + operation + " is not a side configuration");
        };
    }

    /** The function, or Function not found naming {@code qualifier} (Lambda names $LATEST in some of these). */
    private static FunctionEntry require(LambdaFunctions functions, FunctionNames.Ref ref, FunctionEntry e, String qualifier) {
        if (e == null) {
            throw FunctionNames.notFound(functions.context, ref.name(), qualifier);
        }
        return e;
    }

    private static void setReserved(LambdaFunctions functions, String name, Integer reserved) {
        FunctionNames.Ref ref = FunctionNames.unqualified(functions.context, name);
        functions.onFunction(ref, true, e -> require(functions, ref, e, reserved == null ? null : "$LATEST").reservedConcurrency = reserved);
    }

    private static AwsException urlNotFound() {
        return new AwsException(404, "ResourceNotFoundException", "The resource you requested does not exist.");
    }
}
